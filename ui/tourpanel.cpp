#include "tourpanel.h"

#include <QAction>
#include <QBoxLayout>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFontDatabase>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTextBlock>
#include <QTextBrowser>
#include <QToolButton>

#include "codeeditor.h"
#include "generate/variants.h"
#include "projectdocument.h"
#include "textdiff.h"

namespace slimbench::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// A paragraph of tour text: escaped, `code` in backquotes set as code.
QString paragraphHtml(const QString& text) {
  QString out;
  const QStringList parts = text.split('`');
  for (int i = 0; i < parts.size(); ++i)
    out += i % 2 ? "<code style=\"background: rgba(127,127,127,0.18);\">" + parts[i].toHtmlEscaped() + "</code>"
                 : parts[i].toHtmlEscaped();
  return out;
}

QString variantTitle(const QString& id) {
  generate::VariantKind k{};
  return generate::variantFromId(id.toStdString(), k) ? QString(generate::variantTitle(k)) : id;
}

QString minutes(double lo, double hi) {
  if (hi <= 0) return QString();
  return qFuzzyCompare(lo, hi) ? QString("%1 min").arg(lo, 0, 'f', 1) : QString("%1–%2 min").arg(lo, 0, 'f', 1).arg(hi, 0, 'f', 1);
}

// One variant's figures, as the chart and the table show them.
QString figuresOf(const estimate::VariantResult& v) {
  const auto& e = v.estimate;
  return QString("<b>%1</b> on disk, %2 to pull · build <b>%3</b> cold, %4 after a source edit")
      .arg(q(estimate::formatTotal(e.disk, e.coverage)).toHtmlEscaped(), q(estimate::formatSize(e.compressed)).toHtmlEscaped(),
           q(estimate::formatSeconds(e.buildSecondsCold, e.coldLowerBound)).toHtmlEscaped(),
           q(estimate::formatSeconds(e.buildSecondsWarm, e.warmLowerBound)).toHtmlEscaped());
}

}  // namespace

TourPanel::TourPanel(ProjectDocument* doc, QWidget* parent) : QDockWidget("Workshop Tour", parent), doc_(doc) {
  setObjectName("tourPanel");
  setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  auto* w = new QWidget;
  auto* l = new QVBoxLayout(w);
  l->setContentsMargins(8, 6, 8, 8);
  l->setSpacing(6);
  auto* top = new QHBoxLayout;
  counter_ = new QLabel;
  counter_->setObjectName("tourCounter");
  top->addWidget(counter_, 1);
  auto* file = new QToolButton;
  file->setText("Tour file…");
  file->setToolTip("Open a tour of your own (a JSON file; docs/workshop.md, \"Writing a tour\", describes the format)");
  connect(file, &QToolButton::clicked, this, &TourPanel::openTourFile);
  top->addWidget(file);
  l->addLayout(top);
  title_ = new QLabel;
  title_->setObjectName("tourTitle");
  title_->setWordWrap(true);
  l->addWidget(title_);
  era_ = new QLabel;
  era_->setObjectName("tourEra");
  era_->setWordWrap(true);
  l->addWidget(era_);

  auto* split = new QSplitter(Qt::Vertical);
  split->setChildrenCollapsible(false);
  body_ = new QTextBrowser;
  body_->setObjectName("tourBody");
  body_->setOpenExternalLinks(true);
  body_->setFrameShape(QFrame::NoFrame);
  split->addWidget(body_);
  auto* dfBox = new QWidget;
  auto* dl = new QVBoxLayout(dfBox);
  dl->setContentsMargins(0, 0, 0, 0);
  dl->setSpacing(3);
  diffLabel_ = new QLabel;
  diffLabel_->setObjectName("tourDiffLabel");
  diffLabel_->setWordWrap(true);
  dl->addWidget(diffLabel_);
  view_ = new CodeEditor;
  view_->setObjectName("tourDockerfile");
  view_->setReadOnly(true);
  view_->setLineWrapMode(QPlainTextEdit::NoWrap);
  highlighter_ = new DockerfileHighlighter(view_->document());
  dl->addWidget(view_, 1);
  removedLabel_ = new QLabel;
  removedLabel_->setObjectName("tourRemoved");
  removedLabel_->setWordWrap(true);
  removedLabel_->setTextFormat(Qt::RichText);
  dl->addWidget(removedLabel_);
  split->addWidget(dfBox);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  l->addWidget(split, 1);

  auto* nav = new QHBoxLayout;
  backButton_ = new QPushButton("◀ Back");
  backButton_->setToolTip("Previous step (PageUp, Alt+Left)");
  restartButton_ = new QPushButton("Restart");
  restartButton_->setToolTip("Back to the first step, its project as it was (Home)");
  nextButton_ = new QPushButton("Next ▶");
  nextButton_->setToolTip("Next step (PageDown, Alt+Right)");
  nextButton_->setDefault(true);
  auto* close = new QPushButton("Close");
  close->setToolTip("Close the tour (Esc): a Dockerfile it put into the editor and the era it set are undone");
  nav->addWidget(backButton_);
  nav->addWidget(restartButton_);
  nav->addStretch(1);
  nav->addWidget(close);
  nav->addWidget(nextButton_);
  l->addLayout(nav);
  setWidget(w);

  connect(backButton_, &QPushButton::clicked, this, &TourPanel::back);
  connect(nextButton_, &QPushButton::clicked, this, &TourPanel::next);
  connect(restartButton_, &QPushButton::clicked, this, &TourPanel::restart);
  connect(close, &QPushButton::clicked, this, &TourPanel::stop);

  // The keys a presenter's clicker sends (PageDown/PageUp) and Alt+arrows work in the whole window;
  // Esc and Home in the tour (elsewhere they belong to the editors and dialogs).
  auto key = [this](const QList<QKeySequence>& keys, Qt::ShortcutContext context, auto slot) {
    auto* a = new QAction(this);
    a->setShortcuts(keys);
    a->setShortcutContext(context);
    a->setEnabled(false);
    connect(a, &QAction::triggered, this, slot);
    addAction(a);
    keys_ << a;
  };
  key({QKeySequence(Qt::Key_PageDown), QKeySequence(Qt::ALT | Qt::Key_Right)}, Qt::WindowShortcut, [this] { next(); });
  key({QKeySequence(Qt::Key_PageUp), QKeySequence(Qt::ALT | Qt::Key_Left)}, Qt::WindowShortcut, [this] { back(); });
  key({QKeySequence(Qt::Key_Home)}, Qt::WidgetWithChildrenShortcut, [this] { restart(); });
  key({QKeySequence(Qt::Key_Escape)}, Qt::WidgetWithChildrenShortcut, [this] { stop(); });

  connect(doc_, &ProjectDocument::analysisChanged, this, &TourPanel::onAnalysisChanged);
  // A project the user opens meanwhile (or closes) is not the tour's any more: nothing to undo in it.
  connect(doc_, &ProjectDocument::projectChanged, this, [this] {
    if (!openedDir_.isEmpty() && doc_->projectDir() != openedDir_) {
      openedKey_.clear();
      openedDir_.clear();
      textLoaded_ = false;
    }
  });
  renderHeader();
  applyFonts();
}

// ---- starting and stopping ------------------------------------------------------

bool TourPanel::startFile(const QString& path, const QString& example, int step) {
  Tour t;
  QString err;
  const QStringList examples = ProjectDocument::bundledExamples();
  if (!loadTour(path.isEmpty() ? defaultTourPath() : path, examples, t, err)) {
    fail(err);
    return false;
  }
  if (!example.isEmpty()) {
    if (!examples.contains(example)) {
      fail(QString("No bundled example named \"%1\" (expected one of: %2)").arg(example, examples.join(", ")));
      return false;
    }
    t.example = example;  // the steps that name no project start from it
    t.project.clear();
  }
  return start(t, step);
}

bool TourPanel::start(const Tour& tour, int step) {
  if (tour.steps.isEmpty()) {
    fail("The tour has no steps");
    return false;
  }
  if (running_) restoreDocument();
  tour_ = tour;
  running_ = true;
  error_.clear();
  shownTexts_.clear();
  shownFigures_.clear();
  eraAtOpen_ = doc_->settings().wheelsBeforeMusllinux;
  for (auto* a : keys_) a->setEnabled(true);
  QDockWidget::show();
  raise();
  showStep(qBound(0, step, stepCount() - 1));
  nextButton_->setFocus();
  return error_.isEmpty();
}

void TourPanel::stop() {
  if (running_) restoreDocument();
  running_ = false;
  settled_ = true;
  for (auto* a : keys_) a->setEnabled(false);
  hide();
  emit stopped();
}

void TourPanel::closeEvent(QCloseEvent* e) {
  QDockWidget::closeEvent(e);
  if (running_) stop();
}

// Undoes what the tour changed in the project it opened: a Dockerfile text it put into the editor,
// and the era it set. The project stays open.
void TourPanel::restoreDocument() {
  const bool ours = !openedDir_.isEmpty() && doc_->hasProject() && doc_->projectDir() == openedDir_;
  if (ours && textLoaded_) {
    doc_->dockerfile()->setPlainText(originalText_);
    doc_->dockerfile()->setModified(false);
  }
  textLoaded_ = false;
  AnalysisSettings s = doc_->settings();
  if (s.wheelsBeforeMusllinux != eraAtOpen_) {
    s.wheelsBeforeMusllinux = eraAtOpen_;
    doc_->setSettings(s);
  }
}

void TourPanel::fail(const QString& message) {
  error_ = message;
  emit failed(message);
}

void TourPanel::openTourFile() {
  const QString f = QFileDialog::getOpenFileName(this, "Open a tour", doc_->startFolder(), "Tours (*.json);;All files (*)");
  if (!f.isEmpty()) startFile(f);
}

// ---- stepping -------------------------------------------------------------------

bool TourPanel::next() {
  if (!running_ || index_ + 1 >= stepCount()) return false;
  showStep(index_ + 1);
  return true;
}

bool TourPanel::back() {
  if (!running_ || index_ <= 0) return false;
  showStep(index_ - 1);
  return true;
}

void TourPanel::restart() {
  if (!running_) return;
  // The first step's project as it was: reopened, so the tour starts over from the example's files.
  restoreDocument();
  openedKey_.clear();
  openedDir_.clear();
  shownTexts_.clear();
  shownFigures_.clear();
  showStep(0);
}

bool TourPanel::goTo(int step) {
  if (!running_ || step < 0 || step >= stepCount()) return false;
  showStep(step);
  return true;
}

bool TourPanel::waitForStep(int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while (running_ && !settled_ && error_.isEmpty() && t.elapsed() < timeoutMs)
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  QCoreApplication::processEvents();
  return settled_;
}

// The project a step is about, as a key ("example:flask-app", "project:/path"): its own, else the
// nearest earlier step's, else the tour's.
QString TourPanel::projectKey(const TourStep&, int index, QString* example, QString* project) const {
  for (int i = index; i >= 0; --i) {
    const TourStep& s = tour_.steps[i];
    if (!s.example.isEmpty() || !s.project.isEmpty()) {
      *example = s.example;
      *project = s.project;
      return s.example.isEmpty() ? "project:" + s.project : "example:" + s.example;
    }
  }
  *example = tour_.example;
  *project = tour_.project;
  return tour_.example.isEmpty() ? "project:" + tour_.project : "example:" + tour_.example;
}

void TourPanel::showStep(int step) {
  index_ = step;
  settled_ = false;
  warnings_.clear();
  error_.clear();
  shownText_.clear();
  highlighted_.clear();
  removed_.clear();
  figures_.clear();
  diffNote_.clear();
  const TourStep& s = tour_.steps[step];
  QString example, project;
  const QString key = projectKey(s, step, &example, &project);
  const bool same = key == openedKey_ && doc_->hasProject() && doc_->projectDir() == openedDir_;
  // A text an earlier step put into the editor goes before another project opens or when this step
  // has none (so the project's own Dockerfile is analysed again).
  if (textLoaded_ && (!same || !s.hasDockerfile)) {
    if (doc_->hasProject() && doc_->projectDir() == openedDir_) {
      doc_->dockerfile()->setPlainText(originalText_);
      doc_->dockerfile()->setModified(false);
    }
    textLoaded_ = false;
  }
  if (!same) {
    const bool ok = example.isEmpty() ? doc_->openPath(project) : doc_->openBundledExample(example);
    if (!ok) {
      renderHeader();
      body_->setHtml(QString("<p style=\"color:#d62728\">The tour could not open %1 (a question about unsaved edits was "
                             "cancelled, or the project cannot be read).</p>")
                         .arg((example.isEmpty() ? project : "the example " + example).toHtmlEscaped()));
      fail("The tour could not open " + (example.isEmpty() ? project : "the example " + example));
      settled_ = true;
      return;
    }
    openedKey_ = key;
    openedDir_ = doc_->projectDir();
    originalText_ = doc_->dockerfile()->toPlainText();
    eraAtOpen_ = doc_->settings().wheelsBeforeMusllinux;
  }
  if (s.hasDockerfile && doc_->dockerfile()->toPlainText() != s.dockerfile) {
    doc_->dockerfile()->setPlainText(s.dockerfile);
    textLoaded_ = true;
  }
  AnalysisSettings st = doc_->settings();
  if (st.wheelsBeforeMusllinux != s.wheelsBeforeMusllinux) {
    st.wheelsBeforeMusllinux = s.wheelsBeforeMusllinux;
    doc_->setSettings(st);
  }
  renderHeader();
  renderBody();
  if (!doc_->isAnalysing() && doc_->analysis()) finish();
}

void TourPanel::onAnalysisChanged() {
  if (running_ && !settled_ && !doc_->isAnalysing() && doc_->analysis()) finish();
}

// The analysis of the step is there: select its variant, diff its Dockerfile, show the figures.
void TourPanel::finish() {
  const TourStep& s = tour_.steps[index_];
  const auto a = doc_->analysis();
  const int v = doc_->variantIndex(s.variant);
  if (v < 0 || a->variants[static_cast<size_t>(v)].parseError) {
    warnings_ << QString("The analysis has no %1 variant here%2.")
                     .arg(variantTitle(s.variant),
                          v >= 0 ? ": " + q(a->variants[static_cast<size_t>(v)].parseError->format()) : QString());
  }
  const estimate::VariantResult* vr = v >= 0 ? &a->variants[static_cast<size_t>(v)] : nullptr;
  shownText_ = vr ? q(vr->dockerfile) : QString();

  // What the highlighted lines differ from.
  QString before;
  bool haveBefore = false;
  const estimate::VariantResult* against = nullptr;
  if (s.diff == "previous") {
    if (shownTexts_.contains(index_ - 1)) {
      before = shownTexts_.value(index_ - 1);
      haveBefore = true;
      diffNote_ = QString("what changed since step %1 (%2)").arg(index_).arg(tour_.steps[index_ - 1].title.toHtmlEscaped());
    } else {
      warnings_ << "The previous step was not shown in this session: nothing to compare with (step back and forward to see the diff).";
    }
  } else if (!s.diff.isEmpty()) {
    const int d = doc_->variantIndex(s.diff);
    if (d >= 0 && !a->variants[static_cast<size_t>(d)].parseError) {
      against = &a->variants[static_cast<size_t>(d)];
      before = q(against->dockerfile);
      haveBefore = true;
      diffNote_ = QString("what differs from %1").arg(variantTitle(s.diff).toHtmlEscaped());
    } else {
      warnings_ << QString("The analysis has no %1 variant to compare with.").arg(variantTitle(s.diff));
    }
  }
  if (haveBefore) {
    // Comments (a variant's header) are not what changed the chart; parser directives are.
    auto matters = [](const QString& line) {
      const QString t = line.trimmed();
      static const QRegularExpression directive(R"(^#\s*(syntax|escape|check)\s*=)", QRegularExpression::CaseInsensitiveOption);
      return !t.isEmpty() && (!t.startsWith('#') || directive.match(t).hasMatch());
    };
    for (const auto& d : diffLines(before, shownText_)) {
      if (d.op == DiffLine::Added && matters(d.text)) highlighted_ << d.afterLine;
      else if (d.op == DiffLine::Removed && matters(d.text)) removed_ << d.text;
    }
  } else {
    const QStringList lines = shownText_.split('\n');
    for (int i = 0; i < lines.size(); ++i)
      for (const QString& f : s.focus)
        if (lines[i].contains(f) && !highlighted_.contains(i + 1)) highlighted_ << i + 1;
  }
  // The chart selects the variant, and in it the layer the first highlighted line makes (for a FROM
  // line: the largest layer of the base image), so the segment the change is about stands out.
  QList<int> byFocus;  // the focus lines first, in the order the data names them
  {
    const QStringList lines = shownText_.split('\n');
    for (const QString& f : s.focus)
      for (int l : highlighted_)
        if (lines.value(l - 1).contains(f) && !byFocus.contains(l)) byFocus << l;
    for (int l : highlighted_)
      if (!byFocus.contains(l)) byFocus << l;
  }
  if (v >= 0) doc_->select(v, vr && !vr->parseError ? layerOf(*vr, shownText_, byFocus) : -1);
  // Each focus text must be on a highlighted line: a Dockerfile that changed under the tour's text is said.
  {
    const QStringList lines = shownText_.split('\n');
    for (const QString& f : s.focus) {
      bool on = false;
      for (int l : highlighted_) on = on || (l >= 1 && l <= lines.size() && lines[l - 1].contains(f));
      if (!on) warnings_ << QString("\"%1\" is not on a highlighted line: the Dockerfile may differ from what the tour was written for.").arg(f);
    }
  }

  // Figures, all from the analysis.
  if (vr && !vr->parseError) {
    figures_ = QString("<b>%1</b> (FROM %2): %3").arg(q(generate::variantTitle(vr->kind)).toHtmlEscaped(),
                                                      q(vr->estimate.baseImage).toHtmlEscaped(), figuresOf(*vr));
    QStringList compiled;
    for (const auto& p : vr->estimate.packages)
      if (p.compiles) {
        const QString m = minutes(p.compileMinutesLow, p.compileMinutesHigh);
        compiled << q(p.name).toHtmlEscaped() + (m.isEmpty() ? QString(" (time not published)") : " (" + m + ")");
      }
    if (!compiled.isEmpty())
      figures_ += "<br>pip builds from source: " + compiled.join(", ") +
                  " <span style=\"color:gray\">— compile times reported in catalogue/build-knowledge.json (sources in the Packages tab)</span>";
    if (vr->estimate.compilerInFinal) figures_ += "<br>a compiler stays in the final image";
    if (!vr->estimate.warmNote.empty()) figures_ += "<br><span style=\"color:gray\">cache: " + q(vr->estimate.warmNote).toHtmlEscaped() + "</span>";
  }
  if (against && !against->parseError)
    figures_ += QString("<br>Compared with <b>%1</b>: %2").arg(q(generate::variantTitle(against->kind)).toHtmlEscaped(), figuresOf(*against));
  else if (s.diff == "previous" && shownFigures_.contains(index_ - 1))
    figures_ += "<br>At the previous step: " + shownFigures_.value(index_ - 1);
  // The finding the step is about: raised by the variant shown, or by the one it is compared with.
  if (!s.finding.isEmpty() && vr) {
    for (const estimate::VariantResult* fv : {vr, against}) {
      if (!fv) continue;
      for (const auto& f : fv->findings)
        if (q(f.ruleId) == s.finding) {
          figures_ += QString("<br><b>%1</b> in %2: %3")
                          .arg(s.finding, q(generate::variantTitle(fv->kind)).toHtmlEscaped(), q(f.message).toHtmlEscaped());
          break;
        }
      if (figures_.contains("<b>" + s.finding + "</b>")) break;
    }
    if (!figures_.contains("<b>" + s.finding + "</b>"))
      warnings_ << QString("Neither variant shown here raises %1.").arg(s.finding);
  }
  shownTexts_[index_] = shownText_;
  if (vr && !vr->parseError) shownFigures_[index_] = QString("%1: %2").arg(q(generate::variantTitle(vr->kind)).toHtmlEscaped(), figuresOf(*vr));

  // The Dockerfile with the lines that changed highlighted (the background and a gutter dot).
  view_->setPlainText(shownText_);
  QTextCursor c(view_->document());
  QTextBlockFormat plain, marked;
  marked.setBackground(QColor(dark_ ? "#1f4d2b" : "#c9f2d0"));
  QVector<EditorMarker> markers;
  for (int l : highlighted_) {
    QTextBlock b = view_->document()->findBlockByNumber(l - 1);
    if (!b.isValid()) continue;
    QTextCursor bc(b);
    bc.setBlockFormat(marked);
    markers.push_back({l, 0, haveBefore ? "changed: " + diffNote_ : "the line this step is about"});
  }
  view_->setMarkers(markers);
  if (!highlighted_.isEmpty()) view_->goToLine(highlighted_.first());
  settled_ = true;
  renderHeader();
  renderBody();
  emit stepShown(index_);
}

int TourPanel::layerOf(const estimate::VariantResult& v, const QString& text, const QList<int>& lines) {
  const QStringList t = text.split('\n');
  const auto& layers = v.estimate.layers;
  for (int l : lines) {
    const QString line = t.value(l - 1).trimmed();
    if (line.startsWith("FROM ", Qt::CaseInsensitive)) {
      int best = -1;
      for (int i = 0; i < static_cast<int>(layers.size()); ++i)
        if (layers[static_cast<size_t>(i)].fromBase && (best < 0 || layers[static_cast<size_t>(i)].disk.mid > layers[static_cast<size_t>(best)].disk.mid))
          best = i;
      if (best >= 0) return best;
      continue;
    }
    // The layer whose instruction starts on this line, or continues to it (lines ending in a backslash).
    for (int i = 0; i < static_cast<int>(layers.size()); ++i) {
      const int start = layers[static_cast<size_t>(i)].line;
      if (layers[static_cast<size_t>(i)].fromBase || start <= 0 || start > l) continue;
      bool continued = true;
      for (int k = start; k < l && continued; ++k) continued = t.value(k - 1).trimmed().endsWith('\\');
      if (continued) return i;
    }
  }
  return -1;
}

// ---- drawing --------------------------------------------------------------------

QString TourPanel::stepTitle() const {
  return index_ >= 0 && index_ < stepCount() ? tour_.steps[index_].title : QString();
}

QString TourPanel::eraText() const {
  if (index_ < 0 || index_ >= stepCount()) return QString();
  if (tour_.steps[index_].wheelsBeforeMusllinux)
    return "Then — wheels as before musllinux (PEP 656, 2021): on Alpine pip could use no binary wheel and compiled. "
           "Package versions and base images are today's.";
  const auto k = doc_->knowledge();
  const std::string gathered = k && k->pip ? k->pip->catalogue().gathered : std::string();
  return "Now — today's wheels, as the bundled catalogue lists them" +
         (gathered.empty() ? QString() : QString(" (gathered %1)").arg(q(gathered.substr(0, 7))));
}

QString TourPanel::figuresText() const {
  QString t = figures_;
  t.replace("<br>", "\n");
  t.remove(QRegularExpression("<[^>]*>"));
  return t;
}

QString TourPanel::explanationHtml() const { return body_->toHtml(); }

void TourPanel::renderHeader() {
  const bool has = running_ && index_ >= 0 && index_ < stepCount();
  counter_->setText(has ? QString("%1 — step %2 of %3").arg(tour_.title.toHtmlEscaped()).arg(index_ + 1).arg(stepCount()) : QString());
  title_->setText(has ? tour_.steps[index_].title : QString());
  const bool then = has && tour_.steps[index_].wheelsBeforeMusllinux;
  era_->setText(has ? eraText().toHtmlEscaped() : QString());
  era_->setStyleSheet(then ? "QLabel { background: #ffd966; color: #3b2f00; font-weight: bold; padding: 4px 6px; border-radius: 3px; }"
                           : "QLabel { background: rgba(127,127,127,0.15); padding: 4px 6px; border-radius: 3px; }");
  backButton_->setEnabled(has && index_ > 0);
  nextButton_->setEnabled(has && index_ + 1 < stepCount());
  restartButton_->setEnabled(has);
}

void TourPanel::renderBody() {
  if (!running_ || index_ < 0 || index_ >= stepCount()) {
    body_->clear();
    return;
  }
  const TourStep& s = tour_.steps[index_];
  QString h;
  if (index_ == 0 && !tour_.about.isEmpty()) h += "<p><i>" + paragraphHtml(tour_.about) + "</i></p>";
  for (const QString& p : s.paragraphs) h += "<p>" + paragraphHtml(p) + "</p>";
  const QString box = dark_ ? "#2b2f36" : "#eef3fb";
  h += QString("<table width=\"100%\" cellpadding=\"6\" style=\"background:%1;\"><tr><td>").arg(box);
  h += settled_ ? (figures_.isEmpty() ? QString("No figures: the variant is not in the analysis.") : figures_)
                : QString("<i>analysing…</i>");
  h += "</td></tr></table>";
  QStringList src;
  for (const auto& so : s.sources)
    src << (so.url.isEmpty() ? so.title.toHtmlEscaped()
                             : QString("<a href=\"%1\">%2</a>").arg(so.url.toHtmlEscaped(), so.title.toHtmlEscaped()));
  h += "<p><b>Source" + QString(s.sources.size() > 1 ? "s" : "") + ":</b> " + src.join(" · ") + "</p>";
  for (const QString& w : warnings_) h += "<p style=\"color:#d62728\">⚠ " + w.toHtmlEscaped() + "</p>";
  if (!error_.isEmpty()) h += "<p style=\"color:#d62728\">" + error_.toHtmlEscaped() + "</p>";
  body_->setHtml(h);

  const QString shown = variantTitle(s.variant);
  diffLabel_->setText(!settled_ ? QString()
                      : diffNote_.isEmpty()
                          ? QString("Dockerfile of <b>%1</b>%2").arg(shown.toHtmlEscaped(), highlighted_.isEmpty() ? QString() : " — highlighted: the lines this step is about")
                          : QString("Dockerfile of <b>%1</b> — highlighted: %2").arg(shown.toHtmlEscaped(), diffNote_));
  if (removed_.isEmpty()) {
    removedLabel_->hide();
  } else {
    QStringList r;
    for (const QString& line : removed_.mid(0, 4)) r << "− " + line.trimmed().toHtmlEscaped();
    if (removed_.size() > 4) r << QString("… and %1 more lines").arg(removed_.size() - 4);
    removedLabel_->setText(QString("<span style=\"color:%1\">Removed: <br><code>%2</code></span>")
                               .arg(dark_ ? "#ff9b9b" : "#9b1c1c", r.join("<br>")));
    removedLabel_->show();
  }
}

// The title and the explanation a size above the window's text (they are read from the back of a room).
void TourPanel::changeEvent(QEvent* e) {
  QDockWidget::changeEvent(e);
  if (e->type() == QEvent::FontChange) applyFonts();
}

void TourPanel::applyFonts() {
  QFont f = font();
  QFont t = f;
  t.setPointSizeF(f.pointSizeF() * 1.45);
  t.setBold(true);
  title_->setFont(t);
  QFont b = f;
  b.setPointSizeF(f.pointSizeF() * 1.12);
  body_->setFont(b);
  QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  mono.setPointSizeF(f.pointSizeF());
  view_->setFont(mono);
}

void TourPanel::setDark(bool dark) {
  dark_ = dark;
  highlighter_->setDark(dark);
  if (settled_ && running_) {
    renderHeader();
    renderBody();
  }
}

}  // namespace slimbench::ui
