#include "editorspane.h"

#include <QBoxLayout>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QTabWidget>
#include <QTextDocumentFragment>
#include <QTreeWidget>

#include "codeeditor.h"
#include "projectdocument.h"

namespace slimbench::ui {

namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

EditorsPane::EditorsPane(ProjectDocument* doc, QWidget* parent) : QWidget(parent), doc_(doc) {
  auto* eb = new QVBoxLayout(this);
  eb->setContentsMargins(0, 0, 0, 0);
  eb->setSpacing(2);
  projectLabel_ = new QLabel;
  projectLabel_->setWordWrap(true);
  projectLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  projectLabel_->setContentsMargins(4, 2, 4, 2);
  eb->addWidget(projectLabel_);
  tabs_ = new QTabWidget;
  tabs_->setDocumentMode(true);
  dockerfile_ = new CodeEditor;
  dockerfile_->setDocument(doc->dockerfile());
  dockerfile_->setWhatsThis("The project's Dockerfile. Edit it: slimbench re-analyses 0.4 s after you stop typing, on a worker "
                            "thread. Parse errors and findings are underlined and marked in the gutter; hover for the message.");
  dfHighlighter_ = new DockerfileHighlighter(doc->dockerfile());
  requirements_ = new CodeEditor;
  requirements_->setDocument(doc->requirements());
  requirements_->setWhatsThis("The requirements file pip installs. Changes are analysed once saved (Ctrl+S), because pip "
                              "reads them from the project folder.");
  reqHighlighter_ = new RequirementsHighlighter(doc->requirements());
  tree_ = new QTreeWidget;
  tree_->setHeaderLabels({"Line", "Layer", "Stage / instruction"});
  // Line and Layer first and narrow; the instruction last, as wide as its text (scrolls sideways).
  tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  tree_->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
  tree_->header()->setStretchLastSection(false);
  tree_->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  tree_->setTreePosition(2);
  tree_->setRootIsDecorated(true);
  tabs_->addTab(dockerfile_, "Dockerfile");
  tabs_->addTab(requirements_, "requirements");
  tabs_->addTab(tree_, "Structure");
  eb->addWidget(tabs_, 1);

  connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* it) { goToLine(0, it->text(0).toInt()); });
  connect(doc, &ProjectDocument::textsReplaced, this, [this] {
    for (auto* e : {dockerfile_, requirements_}) e->moveCursor(QTextCursor::Start);  // a new file is read from the top
  });
  connect(doc, &ProjectDocument::projectChanged, this, &EditorsPane::refreshProject);
  connect(doc, &ProjectDocument::filesChanged, this, &EditorsPane::refreshProject);
  // While a long analysis runs the marks are of the text before it: they go until it is done.
  connect(doc, &ProjectDocument::problemsStaleChanged, this, &EditorsPane::refreshMarkers);
  connect(doc, &ProjectDocument::modificationChanged, this, &EditorsPane::refreshTabTitles);
  connect(doc, &ProjectDocument::analysisChanged, this, &EditorsPane::refreshStructure);
  connect(doc, &ProjectDocument::problemsChanged, this, &EditorsPane::refreshMarkers);
  refreshProject();
}

CodeEditor* EditorsPane::currentEditor() const { return tabs_->currentWidget() == requirements_ ? requirements_ : dockerfile_; }

void EditorsPane::goToLine(int file, int line) {
  if (line <= 0) return;
  CodeEditor* ed = file == 1 ? requirements_ : dockerfile_;
  tabs_->setCurrentWidget(ed);
  ed->goToLine(line);
}

void EditorsPane::revealDockerfileLine(int line) {
  if (line <= 0) return;
  QTextCursor c(dockerfile_->document()->findBlockByNumber(line - 1));
  dockerfile_->setTextCursor(c);
  dockerfile_->centerCursor();
  const auto items = tree_->findItems(QString::number(line), Qt::MatchExactly | Qt::MatchRecursive, 0);
  for (auto* it : items)
    if (it->parent()) tree_->setCurrentItem(it);
}

void EditorsPane::setDark(bool dark) {
  dfHighlighter_->setDark(dark);
  reqHighlighter_->setDark(dark);
}

void EditorsPane::setEditorFont(const QFont& mono) {
  for (auto* e : {dockerfile_, requirements_}) e->setFont(mono);
}

// The project line: its folder, its files, and what is missing or temporary.
void EditorsPane::refreshProject() {
  requirements_->setReadOnly(doc_->requirementsPath().isEmpty());
  refreshTabTitles();
  if (!doc_->hasProject()) {
    projectLabel_->clear();
    projectLabel_->setToolTip({});
    return;
  }
  const QDir dir(doc_->projectDir());
  QString text = QString("<b>%1</b> — %2").arg(dir.dirName().toHtmlEscaped(), doc_->projectFiles().join(", ").toHtmlEscaped());
  if (!doc_->hasDockerignore()) text += " · <span style='color:#c77800'>no .dockerignore</span>";
  if (doc_->isExample()) text += " · <i>example: Save (Ctrl+S) copies it to a folder you choose</i>";
  projectLabel_->setText(text);
  projectLabel_->setToolTip(doc_->projectDir());
}

void EditorsPane::refreshTabTitles() {
  if (doc_->dockerfilePath().isEmpty()) {
    tabs_->setTabText(0, "Dockerfile");
    tabs_->setTabText(1, "requirements");
    return;
  }
  tabs_->setTabText(0, QFileInfo(doc_->dockerfilePath()).fileName() + (doc_->dockerfile()->isModified() ? " *" : ""));
  // A file outside the Dockerfile's folder by its path from there (../requirements.txt).
  QString req = QDir(doc_->projectDir()).relativeFilePath(doc_->requirementsPath());
  if (req.startsWith("../../")) req = QFileInfo(doc_->requirementsPath()).fileName();
  tabs_->setTabText(1, doc_->requirementsPath().isEmpty() ? QString("requirements (none)")
                                                          : req + (doc_->requirements()->isModified() ? " *" : ""));
  tabs_->setTabToolTip(1, doc_->requirementsPath().isEmpty() ? QString("No requirements file was found or read")
                                                             : doc_->requirementsPath());
}

void EditorsPane::refreshStructure() {
  tree_->clear();
  const auto a = doc_->analysis();
  if (!a || a->variants.empty()) return;
  const auto& v = a->variants.front();
  if (v.parseError) return;
  const auto& model = v.model;
  for (const auto& st : model.stages) {
    auto* s = new QTreeWidgetItem(tree_);
    s->setText(2, QString("Stage %1%2: FROM %3%4")
                      .arg(st.index)
                      .arg(st.name.empty() ? QString() : " \"" + q(st.name) + "\"")
                      .arg(q(st.baseImage))
                      .arg(st.index == model.finalStage ? "  (final)" : ""));
    s->setText(0, QString::number(st.line));
    s->setToolTip(2, s->text(2));
    for (const auto& step : st.steps) {
      if (step.kind == dockerfile::Kind::From) continue;
      auto* i = new QTreeWidgetItem(s);
      const QString full = q(step.original()).simplified();
      i->setText(2, full.size() > 200 ? full.left(199) + "…" : full);
      i->setToolTip(2, full.size() > 200 ? full.left(2000) : full);
      i->setText(0, QString::number(step.startLine));
      if (step.createsLayer) i->setText(1, "layer");
    }
    s->setExpanded(true);
  }
}

// Gutter dots and underlines: the Dockerfile's from the analysis (none while there is none, or
// while a long analysis of a changed text runs), the requirements' from the live check.
void EditorsPane::refreshMarkers() {
  QVector<EditorMarker> df;
  if (!doc_->problemsStale())
    for (const auto& p : doc_->problems())
      if (p.file == Problem::Dockerfile && p.where.line > 0)
        df.append({p.where.line, static_cast<int>(p.severity),
                   p.tip.isEmpty() ? p.text : p.text + "\n" + QTextDocumentFragment::fromHtml(p.tip).toPlainText()});
  dockerfile_->setMarkers(df);
  QVector<EditorMarker> req;
  for (const auto& d : doc_->requirementsErrors())
    if (d.where.line > 0) req.append({d.where.line, 2, q(d.message)});
  requirements_->setMarkers(req);
}

}  // namespace slimbench::ui
