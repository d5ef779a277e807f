#include "mainwindow.h"

#include <algorithm>

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QBoxLayout>
#include <QChartView>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QCommandLinkButton>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QMenuBar>
#include <QMimeData>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTextDocumentFragment>
#include <QToolBar>
#include <QTreeWidget>
#include <QWhatsThis>
#include <QtConcurrent/QtConcurrentRun>

#include "codeeditor.h"
#include "embedded_resources.h"
#include "estimate/analysis.h"
#include "estimate/knowledge_embedded.h"
#include "generate/variants.h"
#include "python/requirements.h"
#include "fidelityhtml.h"
#include "textdiff.h"
#include "variantchart.h"

#if __has_include("imagewindow.h")
#include "imagewindow.h"
#define SLIMBENCH_HAVE_IMAGEWINDOW 1
#endif

static void initSlimbenchResources() { Q_INIT_RESOURCE(slimbench); }

namespace {
// setProject is optional in the image window's API: call it when it exists.
template <class W>
void setProjectIfSupported(W* w, const QString& dir) {
  if constexpr (requires { w->setProject(dir); }) w->setProject(dir);
}
}  // namespace

namespace slimbench::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }



void fitRowHeight(QTableView* t) {
  t->verticalHeader()->setDefaultSectionSize(qMax(t->verticalHeader()->minimumSectionSize(), t->fontMetrics().height() + 8));
}

QTableView* makeTable(QWidget* parent) {
  auto* t = new QTableView(parent);
  t->setSelectionBehavior(QAbstractItemView::SelectRows);
  t->setSelectionMode(QAbstractItemView::SingleSelection);
  t->setAlternatingRowColors(true);
  t->setWordWrap(false);
  t->verticalHeader()->hide();
  // One line per row (no word wrap): a fixed height from the font, not measured row by row —
  // ResizeToContents laid out the text of all 50k layers of a 100k-line Dockerfile (most of a
  // minute). fitRowHeight follows the presenter zoom.
  t->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  fitRowHeight(t);
  t->horizontalHeader()->setHighlightSections(false);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  return t;
}

QPalette darkPalette() {
  QPalette p;
  p.setColor(QPalette::Window, QColor(37, 37, 38));
  p.setColor(QPalette::WindowText, QColor(230, 230, 230));
  p.setColor(QPalette::Base, QColor(30, 30, 30));
  p.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
  p.setColor(QPalette::ToolTipBase, QColor(50, 50, 52));
  p.setColor(QPalette::ToolTipText, QColor(230, 230, 230));
  p.setColor(QPalette::Text, QColor(230, 230, 230));
  p.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
  p.setColor(QPalette::Button, QColor(50, 50, 52));
  p.setColor(QPalette::ButtonText, QColor(230, 230, 230));
  p.setColor(QPalette::Highlight, QColor(38, 79, 120));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(121, 184, 255));
  p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
  p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
  p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
  return p;
}

// Writes text atomically; never replaces an existing file unless allowed.
bool writeAtomic(const QString& path, const QString& text, QString* error) {
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly)) {
    *error = QString("%1: %2").arg(path, f.errorString());
    return false;
  }
  const QByteArray data = text.toUtf8();
  if (f.write(data) != data.size() || !f.commit()) {
    *error = QString("%1: %2").arg(path, f.errorString());
    return false;
  }
  return true;
}

const char* kFindingHelp =
    "Findings are the gotchas slimbench sees in the Dockerfile: each explains why it costs size, build time or "
    "safety, and how to fix it. Hover a row for the explanation and the fix.";

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  initSlimbenchResources();
  setWindowTitle("slimbench");
  setWindowIcon(QIcon(":/icons/slimbench.svg"));
  setAcceptDrops(true);
  dark_ = palette().color(QPalette::Window).lightness() < 128;
  watcher_ = new QFutureWatcher<std::shared_ptr<const estimate::Analysis>>(this);
  connect(watcher_, &QFutureWatcherBase::finished, this, &MainWindow::analysisFinished);
  debounce_.setSingleShot(true);
  connect(&debounce_, &QTimer::timeout, this, &MainWindow::startAnalysis);
  reqTimer_.setSingleShot(true);
  connect(&reqTimer_, &QTimer::timeout, this, &MainWindow::checkRequirements);
  buildUi();
  buildActions();
  // The catalogues are loaded once (tens of milliseconds).
  auto k = estimate::bundledKnowledge();
  if (k) knowledge_ = *k;
  else knowledgeError_ = q(k.error().format());
  markPythonVersions();
  resize(1280, 800);
  showWelcome();
  applyFonts();
}

MainWindow::~MainWindow() {
  debounce_.stop();
  pending_ = false;
  if (watcher_->isRunning()) watcher_->waitForFinished();
}

// ---- layout -------------------------------------------------------------------

void MainWindow::buildUi() {
  stack_ = new QStackedWidget(this);
  welcome_ = buildWelcome();
  stack_->addWidget(welcome_);

  mainSplit_ = new QSplitter(Qt::Horizontal);
  mainSplit_->setChildrenCollapsible(false);

  // Left: editors, structure, problems.
  auto* left = new QSplitter(Qt::Vertical);
  left->setChildrenCollapsible(false);
  auto* editorBox = new QWidget;
  auto* eb = new QVBoxLayout(editorBox);
  eb->setContentsMargins(0, 0, 0, 0);
  eb->setSpacing(2);
  projectLabel_ = new QLabel;
  projectLabel_->setWordWrap(true);
  projectLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  projectLabel_->setContentsMargins(4, 2, 4, 2);
  eb->addWidget(projectLabel_);
  editorTabs_ = new QTabWidget;
  editorTabs_->setDocumentMode(true);
  dfEditor_ = new CodeEditor;
  dfEditor_->setWhatsThis("The project's Dockerfile. Edit it: slimbench re-analyses 0.4 s after you stop typing, on a worker "
                          "thread. Parse errors and findings are underlined and marked in the gutter; hover for the message.");
  dfHighlighter_ = new DockerfileHighlighter(dfEditor_->document());
  reqEditor_ = new CodeEditor;
  reqEditor_->setWhatsThis("The requirements file pip installs. Changes are analysed once saved (Ctrl+S), because pip "
                           "reads them from the project folder.");
  reqHighlighter_ = new RequirementsHighlighter(reqEditor_->document());
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
  editorTabs_->addTab(dfEditor_, "Dockerfile");
  editorTabs_->addTab(reqEditor_, "requirements");
  editorTabs_->addTab(tree_, "Structure");
  eb->addWidget(editorTabs_, 1);
  problems_ = new QTreeWidget;
  problems_->setHeaderLabels({"Problems", "Where"});
  problems_->setRootIsDecorated(false);
  problems_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  problems_->header()->setStretchLastSection(false);
  problems_->setWhatsThis("Parse errors and the findings of your Dockerfile. Double-click (or Enter) jumps to the line.");
  left->addWidget(editorBox);
  left->addWidget(problems_);
  left->setStretchFactor(0, 3);
  left->setStretchFactor(1, 1);

  // Right: chart, comparison, details.
  auto* right = new QSplitter(Qt::Vertical);
  right->setChildrenCollapsible(false);
  chart_ = new VariantChart;
  chart_->setMinimumHeight(220);
  chart_->setWhatsThis("One bar per variant, one segment per layer of the final image, coloured by what the layer holds. "
                       "Hover a segment for its instruction, size and uncertainty; click it to select the layer. "
                       "View ▸ Compressed pull size (Ctrl+T) switches between on-disk and download size.");
  tableModel_ = new VariantTableModel(this);
  table_ = makeTable(nullptr);
  table_->setModel(tableModel_);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  table_->setWhatsThis("The variants side by side: size on disk and as a pull, the build time with an empty cache and "
                       "after a source-only change, the number of findings, and whether a compiler ships. Click a row "
                       "to see its details.");
  auto* details = new QWidget;
  auto* dl = new QVBoxLayout(details);
  dl->setContentsMargins(0, 0, 0, 0);
  dl->setSpacing(2);
  summary_ = new QLabel;
  summary_->setWordWrap(true);
  summary_->setTextFormat(Qt::RichText);
  summary_->setContentsMargins(4, 2, 4, 2);
  dl->addWidget(summary_);
  detailTabs_ = new QTabWidget;
  detailTabs_->setDocumentMode(true);
  layerModel_ = new LayerModel(this);
  layers_ = makeTable(nullptr);
  layers_->setModel(layerModel_);
  layers_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  layers_->horizontalHeader()->setStretchLastSection(true);
  packageModel_ = new PackageModel(this);
  auto* pkgProxy = new QSortFilterProxyModel(this);
  pkgProxy->setSourceModel(packageModel_);
  pkgProxy->setSortRole(SortRole);
  packages_ = makeTable(nullptr);
  packages_->setModel(pkgProxy);
  packages_->setSortingEnabled(true);
  packages_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  packages_->horizontalHeader()->setStretchLastSection(true);
  packages_->setWhatsThis("The Python distributions pip installs in this variant and the file it picks for the target: "
                          "a manylinux wheel (glibc), a musllinux wheel (Alpine), or the sdist, which compiles — the "
                          "usual reason Alpine builds are slow and need a compiler.");
  findingModel_ = new FindingModel(this);
  findings_ = makeTable(nullptr);
  findings_->setModel(findingModel_);
  findings_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  findings_->horizontalHeader()->setStretchLastSection(true);
  findings_->setWhatsThis(kFindingHelp);
  findings_->setContextMenuPolicy(Qt::ActionsContextMenu);
  auto* ruleOff = new QAction("Switch this rule off for the session", findings_);
  connect(ruleOff, &QAction::triggered, this, [this] {
    auto* f = findingModel_->finding(findings_->currentIndex().row());
    if (!f) return;
    ruleOverrides_[f->ruleId] = "off";
    scheduleAnalysis(0);
  });
  findings_->addAction(ruleOff);
  findingText_ = new QTextBrowser;
  findingText_->setOpenExternalLinks(true);
  auto* fsplit = new QSplitter(Qt::Horizontal);
  fsplit->addWidget(findings_);
  fsplit->addWidget(findingText_);
  fsplit->setStretchFactor(0, 3);
  fsplit->setStretchFactor(1, 2);
  generated_ = new CodeEditor;
  generated_->setReadOnly(true);
  genHighlighter_ = new DockerfileHighlighter(generated_->document());
  diff_ = new QTextBrowser;
  diff_->setWhatsThis("The selected variant's Dockerfile against yours: + lines are added, - lines removed.");
  detailTabs_->addTab(layers_, "Layers");
  detailTabs_->addTab(packages_, "Packages");
  detailTabs_->addTab(fsplit, "Findings");
  detailTabs_->addTab(generated_, "Dockerfile");
  detailTabs_->addTab(diff_, "Diff vs yours");
  dl->addWidget(detailTabs_, 1);
  right->addWidget(chart_);
  right->addWidget(table_);
  right->addWidget(details);
  right->setStretchFactor(0, 5);
  right->setStretchFactor(1, 2);
  right->setStretchFactor(2, 4);
  right->setSizes({340, 170, 260});

  mainSplit_->addWidget(left);
  mainSplit_->addWidget(right);
  mainSplit_->setStretchFactor(0, 2);
  mainSplit_->setStretchFactor(1, 5);
  mainSplit_->setSizes({400, 880});
  stack_->addWidget(mainSplit_);
  auto* central = new QWidget;
  auto* cl = new QVBoxLayout(central);
  cl->setContentsMargins(0, 0, 0, 0);
  cl->setSpacing(0);
  messageBar_ = new QLabel;
  messageBar_->setObjectName("messageBar");
  messageBar_->setWordWrap(true);
  messageBar_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  messageBar_->setStyleSheet("QLabel#messageBar { background: #fde2e1; color: #611a15; border-bottom: 1px solid #d62728; padding: 6px; }");
  messageBar_->hide();
  cl->addWidget(messageBar_);
  cl->addWidget(stack_, 1);
  setCentralWidget(central);

  status_ = new QLabel;
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  busy_ = new QLabel;
  statusBar()->addWidget(status_, 1);
  statusBar()->addPermanentWidget(busy_);

  // Wiring.
  connect(dfEditor_, &QPlainTextEdit::textChanged, this, [this] {
    if (loading_) return;
    updateTitle();
    scheduleAnalysis(400);
  });
  connect(reqEditor_, &QPlainTextEdit::textChanged, this, [this] {
    if (loading_) return;
    updateTitle();
    reqTimer_.start(300);
  });
  connect(dfEditor_->document(), &QTextDocument::modificationChanged, this, [this] { updateTitle(); });
  connect(reqEditor_->document(), &QTextDocument::modificationChanged, this, [this] { updateTitle(); });
  connect(problems_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* it) {
    const int line = it->data(0, LineRole).toInt();
    if (line <= 0) return;
    CodeEditor* ed = it->data(0, IndexRole).toInt() == 1 ? reqEditor_ : dfEditor_;
    editorTabs_->setCurrentWidget(ed);
    ed->goToLine(line);
  });
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& cur) {
    const int v = tableModel_->variantAt(cur.row());
    if (v >= 0 && v != selectedVariant_) {
      selectedVariant_ = v;
      selectedLayer_ = -1;
      chart_->selectLayer(-1, -1);
      showDetails();
    }
  });
  connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* it) {
    const int line = it->text(0).toInt();
    if (line <= 0) return;
    editorTabs_->setCurrentWidget(dfEditor_);
    dfEditor_->goToLine(line);
  });
  connect(chart_, &VariantChart::layerClicked, this, [this](int v, int l) { selectLayer(v, l); });
  connect(layers_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& cur) {
    if (!cur.isValid()) return;
    selectedLayer_ = cur.row();
    chart_->selectLayer(selectedVariant_, selectedLayer_);
    const int line = cur.siblingAtColumn(0).data(LineRole).toInt();
    if (selectedVariant_ == 0 && line > 0) {
      QTextCursor c(dfEditor_->document()->findBlockByNumber(line - 1));
      dfEditor_->setTextCursor(c);
      dfEditor_->centerCursor();
      const auto items = tree_->findItems(QString::number(line), Qt::MatchExactly | Qt::MatchRecursive, 0);
      for (auto* it : items)
        if (it->parent()) tree_->setCurrentItem(it);
    } else if (selectedVariant_ != 0 && line > 0) {
      QTextCursor c(generated_->document()->findBlockByNumber(line - 1));
      generated_->setTextCursor(c);
      generated_->centerCursor();
    }
  });
  connect(findings_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& cur) {
    auto* f = findingModel_->finding(cur.row());
    findingText_->setHtml(f ? findingHtml(*f) : QString());
  });
  connect(findings_, &QTableView::activated, this, [this](const QModelIndex& idx) {
    const int line = idx.siblingAtColumn(0).data(LineRole).toInt();
    if (line <= 0) return;
    if (selectedVariant_ == 0) {
      editorTabs_->setCurrentWidget(dfEditor_);
      dfEditor_->goToLine(line);
    } else {
      detailTabs_->setCurrentWidget(generated_);
      generated_->goToLine(line);
    }
  });
}

QWidget* MainWindow::buildWelcome() {
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* page = new QWidget;
  auto* l = new QVBoxLayout(page);
  l->setContentsMargins(80, 40, 80, 40);
  auto* title = new QLabel("<h1>slimbench</h1><p>Estimate the Docker image of a Python application <b>before building "
                           "it</b>: your Dockerfile next to the fat, alpine, slim, multi-stage and BuildKit variants, "
                           "layer by layer, with the gotchas explained. Open a project folder (Ctrl+O), drop one on "
                           "this window, or start with an example:</p>");
  title->setWordWrap(true);
  l->addWidget(title);
  welcomeList_ = new QWidget;
  new QVBoxLayout(welcomeList_);
  l->addWidget(welcomeList_);
  l->addStretch(1);
  scroll->setWidget(page);
  return scroll;
}

void MainWindow::rebuildWelcome() {
  auto* l = static_cast<QVBoxLayout*>(welcomeList_->layout());
  while (auto* item = l->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  static const QMap<QString, QString> kDescriptions = {
      {"flask-app", "A Flask web app on python:3.12 — the classic single-stage Dockerfile."},
      {"django-postgres", "Django with psycopg: system libraries and a compiler, the multi-stage case."},
      {"datascience-app", "numpy/pandas/scipy: huge wheels, and why alpine compiles for minutes."},
      {"uwsgi-app", "uWSGI has no wheel: it compiles everywhere, so the compiler question matters."}};
  for (const QString& name : bundledExamples()) {
    auto* b = new QCommandLinkButton(name, kDescriptions.value(name, "Bundled example project"));
    connect(b, &QPushButton::clicked, this, [this, name] { openBundledExample(name); });
    l->addWidget(b);
  }
  auto* open = new QCommandLinkButton("Open a project folder…", "A folder with a Dockerfile and requirements.txt / pyproject.toml");
  connect(open, &QPushButton::clicked, this, &MainWindow::openProjectDialog);
  l->addWidget(open);
  const QStringList recent = QSettings().value("recent").toStringList();
  if (!recent.isEmpty()) {
    l->addWidget(new QLabel("<h3>Recent projects</h3>"));
    for (const QString& r : recent) {
      auto* b = new QCommandLinkButton(QFileInfo(r).fileName(), r);
      connect(b, &QPushButton::clicked, this, [this, r] { openPath(r); });
      l->addWidget(b);
    }
  }
}

void MainWindow::buildActions() {
  auto* st = style();
  // File
  auto* file = menuBar()->addMenu("&File");
  auto* openProj = file->addAction(st->standardIcon(QStyle::SP_DirOpenIcon), "&Open Project…", this, &MainWindow::openProjectDialog);
  openProj->setShortcut(QKeySequence::Open);
  openProj->setToolTip("Open a project folder (Ctrl+O): its Dockerfile and requirements");
  auto* openFile = file->addAction(st->standardIcon(QStyle::SP_FileIcon), "Open &File…", this, &MainWindow::openFileDialog);
  openFile->setShortcut(QKeySequence("Ctrl+Shift+O"));
  recentMenu_ = file->addMenu("Open &Recent");
  connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
  auto* welcome = file->addAction("&Welcome / Examples", this, &MainWindow::showWelcome);
  welcome->setShortcut(QKeySequence("Ctrl+Shift+H"));
#ifdef SLIMBENCH_HAVE_IMAGEWINDOW
  auto* openImage = file->addAction("Open &Image…", this, &MainWindow::openImageDialog);
  openImage->setShortcut(QKeySequence("Ctrl+I"));
  openImage->setToolTip("Inspect a saved image (docker save / podman save / OCI layout)");
#endif
  file->addSeparator();
  saveAction_ = file->addAction(st->standardIcon(QStyle::SP_DialogSaveButton), "&Save", this, &MainWindow::saveAll);
  saveAction_->setShortcut(QKeySequence::Save);
  saveAction_->setToolTip("Save the Dockerfile and the requirements (Ctrl+S), atomically. An example is first copied "
                          "to a folder you choose.");
  saveAction_->setObjectName("saveAction");
  auto* saveAs = file->addAction("Save Dockerfile &As…", this, [this] {
    if (isExample_) {  // the example's files go with it
      saveExampleAs();
      return;
    }
    const QString p = choosePath("save", "Save Dockerfile as", QDir(startFolder()).filePath(QFileInfo(dockerfilePath_).fileName()));
    if (!p.isEmpty() && saveDockerfile(p)) {
      dockerfilePath_ = p;
      rememberFolder(QFileInfo(p).absolutePath());
      updateTitle();
    }
  });
  saveAs->setShortcut(QKeySequence::SaveAs);
  saveAs->setObjectName("saveAsAction");
  file->addSeparator();
  auto* exportDf = file->addAction(st->standardIcon(QStyle::SP_ArrowRight), "&Export Dockerfile…", this,
                                   &MainWindow::exportDockerfileDialog);
  exportDf->setShortcut(QKeySequence("Ctrl+E"));
  exportDf->setToolTip("Export the selected variant's Dockerfile (Ctrl+E), with a preview and the diff against yours");
  exportDf->setObjectName("exportAction");
  auto* copyDf = file->addAction("&Copy Dockerfile to Clipboard", this, &MainWindow::copyDockerfile);
  copyDf->setShortcut(QKeySequence("Ctrl+Shift+C"));
  copyDf->setObjectName("copyAction");
  auto* exportCh = file->addAction("Export &Chart…", this, &MainWindow::exportChartDialog);
  exportCh->setShortcut(QKeySequence("Ctrl+Shift+E"));
  exportCh->setToolTip("Save the chart as PNG or SVG at a chosen size, for slides");
  exportCh->setObjectName("exportChartAction");
  projectActions_ = {saveAction_, saveAs};
  analysisActions_ = {exportDf, copyDf, exportCh};
  file->addSeparator();
  auto* quit = file->addAction("&Quit", this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  // Edit
  auto* edit = menuBar()->addMenu("&Edit");
  auto focusedEditor = [this]() -> CodeEditor* {
    return editorTabs_->currentWidget() == reqEditor_ ? reqEditor_ : dfEditor_;
  };
  auto* undo = edit->addAction("&Undo", this, [focusedEditor] { focusedEditor()->undo(); });
  undo->setShortcut(QKeySequence::Undo);
  undo->setShortcutContext(Qt::WidgetShortcut);  // the editors handle it themselves when focused
  auto* redo = edit->addAction("&Redo", this, [focusedEditor] { focusedEditor()->redo(); });
  redo->setShortcut(QKeySequence::Redo);
  redo->setShortcutContext(Qt::WidgetShortcut);
  edit->addSeparator();
  auto* reanalyse = edit->addAction(st->standardIcon(QStyle::SP_BrowserReload), "Re-&analyse", this, [this] { scheduleAnalysis(0); });
  reanalyse->setShortcut(QKeySequence("F5"));
  reanalyse->setObjectName("reanalyseAction");
  projectActions_ << reanalyse;
  auto* nextProblem = edit->addAction("Next &Problem", this, [this] {
    if (problems_->topLevelItemCount() == 0) return;
    int i = problems_->indexOfTopLevelItem(problems_->currentItem()) + 1;
    auto* it = problems_->topLevelItem(i % problems_->topLevelItemCount());
    problems_->setCurrentItem(it);
    emit problems_->itemActivated(it, 0);
  });
  nextProblem->setShortcut(QKeySequence("F8"));

  // View
  auto* view = menuBar()->addMenu("&View");
  compressedAction_ = view->addAction("&Compressed Pull Size", this, [this](bool on) { setCompressed(on); });
  compressedAction_->setCheckable(true);
  compressedAction_->setShortcut(QKeySequence("Ctrl+T"));
  compressedAction_->setToolTip("Toggle the chart between the size on disk and the compressed size docker pull downloads (Ctrl+T)");
  variantsMenu_ = view->addMenu("&Variants");
  int n = 1;
  for (auto kind : generate::allVariants()) {
    auto* a = variantsMenu_->addAction(generate::variantTitle(kind));
    a->setCheckable(true);
    a->setChecked(true);
    a->setData(QString(generate::variantId(kind)));
    a->setShortcut(QKeySequence(QString("Alt+%1").arg(n++)));
    connect(a, &QAction::toggled, this, [this] { applyAnalysis(); });
    variantActions_ << a;
  }
  view->addSeparator();
  auto* zin = view->addAction("Zoom &In", this, [this] { setZoom(zoom_ * 1.15); });
  zin->setShortcuts({QKeySequence::ZoomIn, QKeySequence("Ctrl+=")});
  auto* zout = view->addAction("Zoom &Out", this, [this] { setZoom(zoom_ / 1.15); });
  zout->setShortcut(QKeySequence::ZoomOut);
  auto* zreset = view->addAction("&Reset Zoom", this, [this] { setZoom(1.0); });
  zreset->setShortcut(QKeySequence("Ctrl+0"));
  darkAction_ = view->addAction("&Dark Palette", this, [this](bool on) { setDarkPalette(on); });
  darkAction_->setCheckable(true);
  darkAction_->setChecked(dark_);
  darkAction_->setShortcut(QKeySequence("Ctrl+Shift+D"));
  auto* details = view->addMenu("&Details");
  const QStringList tabs = {"Layers", "Packages", "Findings", "Dockerfile", "Diff"};
  for (int i = 0; i < tabs.size(); ++i) {
    auto* a = details->addAction(tabs[i], this, [this, i] { detailTabs_->setCurrentIndex(i); });
    a->setShortcut(QKeySequence(QString("Ctrl+%1").arg(i + 1)));
  }

  // Help
  auto* help = menuBar()->addMenu("&Help");
  auto* wt = QWhatsThis::createAction(this);
  wt->setShortcut(QKeySequence::WhatsThis);
  help->addAction(wt);
  help->addAction("&About slimbench", this, [this] {
    QMessageBox::about(this, "About slimbench",
                       QString("<b>slimbench %1</b><p>Estimates Docker image variants for Python apps before building.</p><p>%2</p>")
                           .arg(QApplication::applicationVersion(), knowledge_ ? q(knowledge_->dataNote).toHtmlEscaped() : QString()));
  });

  // Toolbars: actions, then the analysis settings.
  auto* tb = addToolBar("Main");
  tb->setObjectName("mainToolbar");
  tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  tb->addAction(openProj);
  tb->addAction(saveAction_);
  tb->addAction(exportDf);
  tb->addAction(compressedAction_);
  auto* sb = addToolBar("Settings");
  sb->setObjectName("settingsToolbar");
  // A label before a toolbar field.
  auto label = [](QToolBar* bar, const QString& t) {
    auto* l = new QLabel(t);
    l->setContentsMargins(8, 0, 3, 0);
    bar->addWidget(l);
  };
  auto addLabel = [&](const QString& t) { label(sb, t); };
  addLabel("Python");
  python_ = new QComboBox;
  python_->setObjectName("pythonCombo");
  python_->addItem("as in Dockerfile", QString());
  for (const char* v : {"3.9", "3.10", "3.11", "3.12", "3.13"}) python_->addItem(v, QString(v));
  python_->setToolTip("Python version of the generated variants (default: the one your FROM names)");
  sb->addWidget(python_);
  addLabel("Arch");
  arch_ = new QComboBox;
  arch_->setObjectName("archCombo");
  arch_->addItems({"amd64", "arm64"});
  arch_->setToolTip("Target architecture: wheels, base image sizes and compiles differ (arm64 has fewer wheels)");
  sb->addWidget(arch_);
  addLabel("Network");
  bandwidth_ = new QDoubleSpinBox;
  bandwidth_->setObjectName("bandwidthSpin");
  bandwidth_->setRange(1, 10000);
  bandwidth_->setDecimals(0);
  bandwidth_->setValue(100);
  bandwidth_->setSuffix(" Mbit/s");
  bandwidth_->setToolTip("Download speed used for build-time estimates");
  sb->addWidget(bandwidth_);
  addLabel("Cores");
  cores_ = new QSpinBox;
  cores_->setObjectName("coresSpin");
  cores_->setRange(1, 128);
  cores_->setValue(2);
  cores_->setToolTip("CPU cores of the build machine: compile times scale with them (approximately)");
  sb->addWidget(cores_);
  busy_->setToolTip("Analysis running on a worker thread");
  auto reanalyse2 = [this] { scheduleAnalysis(150); };
  connect(python_, &QComboBox::currentIndexChanged, this, reanalyse2);
  connect(arch_, &QComboBox::currentIndexChanged, this, reanalyse2);
  connect(bandwidth_, &QDoubleSpinBox::valueChanged, this, reanalyse2);
  connect(cores_, &QSpinBox::valueChanged, this, reanalyse2);

  // What the user can supply when the estimate runs out of data: the build context and the size
  // of a base image the catalogue does not hold.
  addToolBarBreak();
  auto* ib = addToolBar("Inputs");
  ib->setObjectName("inputsToolbar");
  auto addInputLabel = [&](const QString& t) { label(ib, t); };
  addInputLabel("Context");
  context_ = new QLineEdit;
  context_->setObjectName("contextEdit");
  context_->setPlaceholderText("found from the Dockerfile's COPY sources");
  context_->setMinimumWidth(280);
  context_->setClearButtonEnabled(true);
  context_->setToolTip("The build context (docker build CONTEXT). Empty: the Dockerfile's folder when what it copies is "
                       "there, else the nearest folder above it from which its COPY sources exist.");
  ib->addWidget(context_);
  auto* pick = new QToolButton;
  pick->setText("…");
  pick->setToolTip("Choose the build context folder");
  ib->addWidget(pick);
  connect(pick, &QToolButton::clicked, this, [this] {
    QString start = context_->text().isEmpty() ? q(project_.dir) : context_->text();
    QString d = QFileDialog::getExistingDirectory(this, "Build context", start);
    if (!d.isEmpty()) context_->setText(d);
  });
  addInputLabel("Base size");
  baseSize_ = new QLineEdit;
  baseSize_->setObjectName("baseSizeEdit");
  baseSize_->setPlaceholderText("e.g. 350MB, or IMAGE=350MB");
  baseSize_->setMinimumWidth(200);
  baseSize_->setClearButtonEnabled(true);
  baseSize_->setToolTip("On-disk size of a base image the catalogue does not hold (docker images SIZE). A bare size "
                        "applies to every FROM image that is unknown; IMAGE=SIZE, IMAGE=SIZE names them. Units: B, kB, MB, GB, "
                        "KiB, MiB, GiB.");
  ib->addWidget(baseSize_);
  connect(context_, &QLineEdit::editingFinished, this, reanalyse2);
  connect(baseSize_, &QLineEdit::editingFinished, this, [this] {
    std::map<std::string, std::uint64_t> sizes;
    QString err;
    const bool ok = parseBaseSizes(baseSize_->text(), sizes, err);
    baseSize_->setStyleSheet(ok ? QString() : "QLineEdit { border: 2px solid #d62728; }");
    baseSize_->setToolTip(ok ? baseSize_->property("helpTip").toString() : "<b>Not applied:</b> " + err.toHtmlEscaped());
    if (ok) scheduleAnalysis(150);
  });
  baseSize_->setProperty("helpTip", baseSize_->toolTip());
  // Every action with a shortcut works even when its menu is closed.
  for (auto* m : menuBar()->findChildren<QMenu*>())
    for (auto* a : m->actions())
      if (!a->shortcut().isEmpty() && a->toolTip() == a->text().remove('&'))
        a->setToolTip(QString("%1 (%2)").arg(a->text().remove('&').remove("…"), a->shortcut().toString(QKeySequence::NativeText)));
}

// ---- opening ------------------------------------------------------------------

QStringList MainWindow::bundledExamples() const {
  QStringList out;
  for (auto p : resources::list("examples/")) {
    const QString s = QString::fromUtf8(p.data(), static_cast<int>(p.size())).section('/', 1, 1);
    if (!s.isEmpty() && !out.contains(s)) out << s;
  }
  return out;
}

bool MainWindow::showWelcome() {
  if (!maybeSave()) return false;
  closeProject();
  rebuildWelcome();
  stack_->setCurrentWidget(welcome_);
  status_->setText(knowledgeError_.isEmpty() ? "Open a project, or pick an example." : knowledgeError_);
  return true;
}

// Forgets the project: editors, panes, title and actions show no project.
void MainWindow::closeProject() {
  debounce_.stop();
  pending_ = false;
  ++generation_;  // a running analysis of it is dropped when it finishes
  project_ = {};
  dockerfilePath_.clear();
  requirementsPath_.clear();
  projectFiles_.clear();
  isExample_ = false;
  exampleName_.clear();
  analysis_.reset();
  reqErrors_.clear();
  loading_ = true;
  for (auto* e : {dfEditor_, reqEditor_}) {
    e->clear();
    e->document()->setModified(false);
    e->setMarkers({});
  }
  loading_ = false;
  problems_->clear();
  problems_->setHeaderLabels({"Problems", "Where"});
  tree_->clear();
  chart_->setAnalysis(nullptr, {}, compressed_);
  chart_->setPlaceholder();
  tableModel_->setAnalysis(nullptr, {});
  layerModel_->setVariant(nullptr, -1, compressed_);
  packageModel_->setVariant(nullptr, -1);
  findingModel_->setVariant(nullptr, -1);
  summary_->clear();
  findingText_->clear();
  generated_->clear();
  diff_->clear();
  projectLabel_->clear();
  busy_->clear();
  selectedVariant_ = 0;
  selectedLayer_ = -1;
  updateTitle();
  updateActions();
}

void MainWindow::updateActions() {
  const bool has = hasProject();
  for (auto* a : projectActions_) a->setEnabled(has);
  for (auto* a : analysisActions_) a->setEnabled(has && analysis_ != nullptr);
}

void MainWindow::showMessage(const QString& text) {
  messageBar_->setText(text);
  messageBar_->setVisible(!text.isEmpty());
}

QString MainWindow::messageText() const { return messageBar_->isVisible() ? messageBar_->text() : QString(); }

QAction* MainWindow::action(const QString& objectName) const {
  for (auto* a : findChildren<QAction*>())
    if (a->objectName() == objectName) return a;
  return nullptr;
}

QString MainWindow::startFolder() const {
  const QString last = QSettings().value("lastFolder").toString();
  const bool inExample = exampleDir_ && !last.isEmpty() && QDir(last).absolutePath().startsWith(exampleDir_->path());
  if (!last.isEmpty() && !inExample && QFileInfo(last).isDir()) return last;
  return QDir::homePath();
}

void MainWindow::rememberFolder(const QString& dir) {
  if (dir.isEmpty() || (exampleDir_ && QDir(dir).absolutePath().startsWith(exampleDir_->path()))) return;
  QSettings().setValue("lastFolder", QDir(dir).absolutePath());
}

QString MainWindow::choosePath(const QString& kind, const QString& title, const QString& start) {
  if (chooser_) return chooser_(kind, title, start);
  if (kind == "folder") return QFileDialog::getExistingDirectory(this, title, start);
  return QFileDialog::getSaveFileName(this, title, start, {}, nullptr, QFileDialog::DontConfirmOverwrite);
}

bool MainWindow::saveExampleAs() {
  if (!isExample_) return saveAll();
  const QString parent = choosePath("folder", QString("Save the example \"%1\" to a folder (a copy of the project is made there)").arg(exampleName_),
                                    startFolder());
  if (parent.isEmpty()) {
    status_->setText("Not saved: no folder chosen. The example is a temporary copy until saved.");
    return false;
  }
  // The project goes into PARENT/NAME (NAME-2, … when that exists), unless PARENT is an empty folder.
  QString target = parent;
  if (!QDir(parent).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
    target = QDir(parent).filePath(exampleName_);
    for (int n = 2; QFileInfo::exists(target); ++n) target = QDir(parent).filePath(QString("%1-%2").arg(exampleName_).arg(n));
  }
  const QString src = q(project_.dir);
  QStringList failed;
  QDirIterator it(src, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString f = it.next();
    const QString out = QDir(target).filePath(QDir(src).relativeFilePath(f));
    if (!QDir().mkpath(QFileInfo(out).path()) || !QFile::copy(f, out)) failed << out;
  }
  if (!failed.isEmpty()) {
    status_->setText("Not saved: could not write " + failed.first());
    return false;
  }
  // The edits go to the copy; the window then works on it.
  const QString df = QDir(target).filePath(QDir(src).relativeFilePath(dockerfilePath_));
  const QString req = requirementsPath_.isEmpty() ? QString() : QDir(target).filePath(QDir(src).relativeFilePath(requirementsPath_));
  QString err;
  if (!writeAtomic(df, dfEditor_->toPlainText(), &err) || (!req.isEmpty() && !writeAtomic(req, reqEditor_->toPlainText(), &err))) {
    status_->setText("Not saved: " + err);
    return false;
  }
  project_.dir = target.toStdString();
  project_.dockerfilePath = df.toStdString();
  project_.dockerfileText = dfEditor_->toPlainText().toStdString();
  dockerfilePath_ = df;
  requirementsPath_ = req;
  isExample_ = false;
  dfEditor_->document()->setModified(false);
  reqEditor_->document()->setModified(false);
  rememberFolder(parent);
  addRecent(target);
  projectLabel_->setToolTip(target);
  projectLabel_->setText(QString("<b>%1</b> — %2").arg(QDir(target).dirName().toHtmlEscaped(), projectFiles_.join(", ").toHtmlEscaped()));
  updateTitle();
  statusBar()->showMessage("Saved the example to " + target, 5000);
  status_->setText("Saved the example to " + target);
  scheduleAnalysis(0);
  return true;
}

bool MainWindow::openBundledExample(const QString& name) {
  const std::string prefix = "examples/" + name.toStdString() + "/";
  auto files = resources::list(prefix);
  if (files.empty()) {
    status_->setText("No bundled example named " + name);
    return false;
  }
  // Ask before the current copy (maybe an unsaved example) goes away.
  if (!maybeSave()) return false;
  auto dir = std::make_unique<QTemporaryDir>();
  const QString root = dir->filePath(name);
  for (auto f : files) {
    const QString rel = QString::fromUtf8(f.data(), static_cast<int>(f.size())).mid(static_cast<int>(prefix.size()));
    const QString out = root + "/" + rel;
    QDir().mkpath(QFileInfo(out).path());
    QFile w(out);
    auto data = resources::find(f);
    if (!w.open(QIODevice::WriteOnly) || !data) continue;
    w.write(data->data(), static_cast<qint64>(data->size()));
  }
  auto previous = std::move(exampleDir_);
  exampleDir_ = std::move(dir);
  if (!openPath(root)) {
    exampleDir_ = std::move(previous);
    return false;
  }
  isExample_ = true;
  exampleName_ = name;
  projectLabel_->setText(projectLabel_->text() + " · <i>example: Save (Ctrl+S) copies it to a folder you choose</i>");
  updateTitle();
  return true;
}

bool MainWindow::openPath(const QString& path) {
  QFileInfo fi(path);
  QString target = fi.absoluteFilePath();
  if (fi.isFile()) {
    const QString n = fi.fileName().toLower();
    if (n.endsWith(".txt") || n.endsWith(".toml") || n.endsWith(".lock") || n == ".dockerignore" || n.endsWith(".in"))
      target = fi.absolutePath();
  }
  auto project = estimate::openProject(target.toStdString());
  if (!project) {
    // The window stays as it was (the open project, or the welcome page): only the message says what failed.
    QString msg = QString("Could not open %1: %2").arg(QDir::toNativeSeparators(target), q(project.error().message));
    if (QFileInfo(target).isDir()) {
      // A Dockerfile one level down: name it, the user probably meant that folder.
      QStringList below;
      for (const QString& sub : QDir(target).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        for (const char* n : {"Dockerfile", "Containerfile"})
          if (QFileInfo(QDir(target).filePath(sub + "/" + n)).isFile()) below << sub + "/" + n;
      if (!below.isEmpty())
        msg += QString(". Found %1 in a subfolder: open that folder (File ▸ Open Project) or the file (File ▸ Open File).")
                   .arg(below.mid(0, 3).join(", "));
    }
    msg += hasProject() ? QString(" Still showing %1.").arg(QDir::toNativeSeparators(q(project_.dir))) : QString();
    showMessage(msg);
    status_->setText(msg);
    return false;
  }
  if (!maybeSave()) return false;
  showMessage({});
  const bool wasExample = isExample_;
  isExample_ = false;
  exampleName_.clear();
  if (wasExample && exampleDir_ && !target.startsWith(exampleDir_->path())) exampleDir_.reset();
  project_ = *project;
  dockerfilePath_ = q(project_.dockerfilePath);
  const QDir dir(q(project_.dir));
  // The requirements: requirements.txt first, then other requirements*.txt, then pyproject.toml.
  requirementsPath_.clear();
  QStringList reqs = dir.entryList({"requirements*.txt"}, QDir::Files, QDir::Name);
  reqs.sort();
  if (reqs.contains("requirements.txt")) reqs.move(reqs.indexOf("requirements.txt"), 0);
  if (!reqs.isEmpty()) requirementsPath_ = dir.filePath(reqs.first());
  else if (dir.exists("pyproject.toml")) requirementsPath_ = dir.filePath("pyproject.toml");
  projectFiles_.clear();
  projectFiles_ << QFileInfo(dockerfilePath_).fileName() << reqs;
  for (const char* f : {"pyproject.toml", "uv.lock", "poetry.lock", ".dockerignore"})
    if (dir.exists(f)) projectFiles_ << f;

  loading_ = true;
  dfEditor_->setPlainText(q(project_.dockerfileText));
  dfEditor_->document()->setModified(false);
  dfEditor_->setMarkers({});
  QString req;
  if (!requirementsPath_.isEmpty()) {
    auto r = readTextFile(requirementsPath_.toStdString());
    req = r ? q(*r) : QString("# ") + q(r.error().format());
  }
  reqEditor_->setPlainText(req);
  reqEditor_->setReadOnly(requirementsPath_.isEmpty());
  reqEditor_->document()->setModified(false);
  editorTabs_->setTabText(1, requirementsPath_.isEmpty() ? "requirements (none)" : QFileInfo(requirementsPath_).fileName());
  editorTabs_->setTabText(0, QFileInfo(dockerfilePath_).fileName());
  loading_ = false;
  checkRequirements();
  const bool hasIgnore = dir.exists(".dockerignore");
  projectLabel_->setText(QString("<b>%1</b> — %2%3")
                             .arg(dir.dirName().toHtmlEscaped(), projectFiles_.join(", ").toHtmlEscaped(),
                                  hasIgnore ? QString() : QString(" · <span style='color:#c77800'>no .dockerignore</span>")));
  projectLabel_->setToolTip(q(project_.dir));
  selectedVariant_ = 0;
  selectedLayer_ = -1;
  analysis_.reset();
  ++generation_;
  stack_->setCurrentWidget(mainSplit_);
  updateTitle();
  if (exampleDir_ == nullptr || !target.startsWith(exampleDir_->path())) {
    addRecent(target);
    rememberFolder(q(project_.dir));
  }
  updateActions();
  status_->setText("Analysing " + q(project_.dir) + " …");
  // No chart of the previous project while this one is analysed (a 100k-line file takes seconds).
  chart_->setAnalysis(nullptr, {}, compressed_);
  chart_->setPlaceholder("Analysing " + QFileInfo(q(project_.dir)).fileName() + " …");
  scheduleAnalysis(0);
  return true;
}

void MainWindow::openProjectDialog() {
  const QString d = choosePath("folder", "Open project folder", startFolder());
  if (!d.isEmpty()) openPath(d);
}

void MainWindow::openFileDialog() {
  const QString f = QFileDialog::getOpenFileName(this, "Open Dockerfile or requirements", startFolder(),
                                                 "Dockerfiles and requirements (*Dockerfile* Containerfile *.txt *.toml *.lock);;All files (*)");
  if (!f.isEmpty()) openPath(f);
}

void MainWindow::openImageDialog() {
#ifdef SLIMBENCH_HAVE_IMAGEWINDOW
  const QString f = QFileDialog::getOpenFileName(this, "Open saved image", startFolder(),
                                                 "Images (*.tar *.tar.gz *.tgz *.tar.zst *.oci);;All files (*)");
  if (f.isEmpty()) return;
  auto* w = new ImageWindow(this);
  w->setAttribute(Qt::WA_DeleteOnClose);
  if (!project_.dir.empty()) setProjectIfSupported(w, q(project_.dir));
  w->openImage(f);
  w->show();
#endif
}

void MainWindow::addRecent(const QString& path) {
  QSettings s;
  QStringList r = s.value("recent").toStringList();
  r.removeAll(path);
  r.prepend(path);
  while (r.size() > 8) r.removeLast();
  s.setValue("recent", r);
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList r = QSettings().value("recent").toStringList();
  int n = 1;
  for (const QString& p : r) {
    auto* a = recentMenu_->addAction(QString("&%1 %2").arg(n++).arg(p), this, [this, p] { openPath(p); });
    Q_UNUSED(a);
  }
  if (r.isEmpty()) recentMenu_->addAction("(none)")->setEnabled(false);
  else {
    recentMenu_->addSeparator();
    recentMenu_->addAction("Clear", this, [] { QSettings().remove("recent"); });
  }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls() && !e->mimeData()->urls().isEmpty() && e->mimeData()->urls().first().isLocalFile())
    e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  const auto urls = e->mimeData()->urls();
  if (!urls.isEmpty()) openPath(urls.first().toLocalFile());
}

// ---- analysis -----------------------------------------------------------------

// "350MB" (key "") or "img:1=350MB, other=1.2GB". False with the reason when a size does not parse.
bool MainWindow::parseBaseSizes(const QString& text, std::map<std::string, std::uint64_t>& out, QString& error) {
  for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
    const QString t = part.trimmed();
    if (t.isEmpty()) continue;
    const int eq = t.lastIndexOf('=');
    const std::string image = eq < 0 ? std::string() : t.left(eq).trimmed().toStdString();
    const std::string size = (eq < 0 ? t : t.mid(eq + 1)).trimmed().toStdString();
    if (eq == 0) {
      error = "\"" + t + "\": the image name before '=' is missing";
      return false;
    }
    std::uint64_t bytes = 0;
    std::string e;
    if (!estimate::parseSize(size, bytes, e)) {
      error = q(e);
      return false;
    }
    out[image] = bytes;
  }
  return true;
}

// Python versions the settings offer: marked when the catalogue has no exact base for them on both
// architectures (the estimate then uses a stated proxy, never a 0 MB base).
void MainWindow::markPythonVersions() {
  if (!knowledge_) return;
  for (int i = 1; i < python_->count(); ++i) {
    const std::string v = python_->itemData(i).toString().toStdString();
    QStringList missing;
    for (const char* variant : {"", "-slim", "-alpine"})
      for (const char* arch : {"amd64", "arm64"}) {
        auto r = knowledge_->bases.resolve("python:" + v + variant, arch);
        if (r.basis != catalogue::BaseBasis::Exact) missing << QString("python:%1%2 (%3)").arg(q(v), variant, arch);
      }
    if (missing.isEmpty()) {
      python_->setItemData(i, QString("Base images catalogued for amd64 and arm64"), Qt::ToolTipRole);
      continue;
    }
    python_->setItemText(i, q(v) + " (proxy)");
    python_->setItemData(i, "Sized by proxy (the nearest catalogued tag stands in, range widened): " + missing.join(", "), Qt::ToolTipRole);
  }
}

void MainWindow::scheduleAnalysis(int delayMs) {
  if (project_.dir.empty()) return;
  busy_->setText("analysing…");
  debounce_.start(delayMs);
}

void MainWindow::startAnalysis() {
  if (!knowledge_) {
    status_->setText(knowledgeError_);
    busy_->clear();
    return;
  }
  if (watcher_->isRunning()) {
    pending_ = true;  // one analysis at a time; the newest text wins
    return;
  }
  pending_ = false;
  runningGeneration_ = generation_;
  estimate::Project p = project_;
  p.dockerfileText = dfEditor_->toPlainText().toStdString();
  estimate::AnalysisOptions o;
  o.settings.arch = arch_->currentText().toStdString();
  o.settings.bandwidthMbps = bandwidth_->value();
  o.settings.cores = cores_->value();
  o.pythonOverride = python_->currentData().toString().toStdString();
  o.ruleOverrides = ruleOverrides_;
  o.contextDir = context_->text().trimmed().toStdString();
  {
    std::map<std::string, std::uint64_t> sizes;
    QString err;
    if (parseBaseSizes(baseSize_->text(), sizes, err)) {
      auto bare = sizes.find("");
      if (bare != sizes.end()) {
        // A bare size: every FROM image of this Dockerfile that the catalogue does not resolve.
        const std::uint64_t b = bare->second;
        sizes.erase(bare);
        if (auto tree = dockerfile::parse(p.dockerfileText, p.dockerfilePath)) {
          auto model = dockerfile::buildModel(*tree, p.dockerfilePath, {});
          for (const auto& st : model.stages)
            if (st.baseStage < 0 && st.baseImage != "scratch" &&
                knowledge_->bases.resolve(st.baseImage, o.settings.arch).basis == catalogue::BaseBasis::Unknown)
              sizes.emplace(st.baseImage, b);
        }
      }
      o.settings.baseSizes = std::move(sizes);
    }
  }
  auto k = knowledge_;
  watcher_->setFuture(QtConcurrent::run([k, p = std::move(p), o = std::move(o)]() -> std::shared_ptr<const estimate::Analysis> {
    return std::make_shared<const estimate::Analysis>(estimate::analyze(p, *k, o));
  }));
}

void MainWindow::analysisFinished() {
  const bool current = runningGeneration_ == generation_;  // not an earlier project's
  if (current) analysis_ = watcher_->result();
  if (pending_ || debounce_.isActive()) {
    if (!debounce_.isActive()) startAnalysis();
  } else {
    busy_->clear();
    updateTitle();  // re-shows the unsaved-requirements hint
  }
  if (current) applyAnalysis();
}

bool MainWindow::waitForAnalysis(int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while ((debounce_.isActive() || watcher_->isRunning() || pending_) && t.elapsed() < timeoutMs)
    QApplication::processEvents(QEventLoop::AllEvents, 20);
  QApplication::processEvents();
  return !(debounce_.isActive() || watcher_->isRunning() || pending_);
}

QList<int> MainWindow::shownVariants() const {
  QList<int> out;
  if (!analysis_) return out;
  for (int i = 0; i < static_cast<int>(analysis_->variants.size()); ++i) {
    const QString id = generate::variantId(analysis_->variants[static_cast<size_t>(i)].kind);
    for (auto* a : variantActions_)
      if (a->data().toString() == id && a->isChecked()) out << i;
  }
  return out;
}

void MainWindow::applyAnalysis() {
  if (!analysis_) return;
  const QList<int> shown = shownVariants();
  chart_->setAnalysis(analysis_, shown, compressed_);
  tableModel_->setAnalysis(analysis_, shown);
  // The comparison table is as tall as its rows: the details pane gets the rest.
  int h = table_->horizontalHeader()->sizeHint().height() + 2 * table_->frameWidth() + 2;
  for (int r = 0; r < tableModel_->rowCount(); ++r) h += table_->verticalHeader()->sectionSizeHint(r);
  table_->setMaximumHeight(h);
  if (!shown.contains(selectedVariant_) && !shown.isEmpty()) selectedVariant_ = shown.first();
  const int row = tableModel_->rowOf(selectedVariant_);
  if (row >= 0) {
    QSignalBlocker b(table_->selectionModel());
    table_->selectRow(row);
  }
  updateProblems();
  updateStructure();
  showDetails();
  if (selectedLayer_ >= 0) selectLayer(selectedVariant_, selectedLayer_);
  updateActions();
}

int MainWindow::variantIndex(const QString& id) const {
  if (!analysis_) return -1;
  for (int i = 0; i < static_cast<int>(analysis_->variants.size()); ++i)
    if (id == generate::variantId(analysis_->variants[static_cast<size_t>(i)].kind)) return i;
  return -1;
}

bool MainWindow::selectVariant(const QString& id) {
  const int v = variantIndex(id);
  if (v < 0) return false;
  const int row = tableModel_->rowOf(v);
  if (row < 0) return false;
  table_->selectRow(row);
  if (selectedVariant_ != v) {
    selectedVariant_ = v;
    showDetails();
  }
  return true;
}

QString MainWindow::selectedVariantId() const {
  if (!analysis_ || selectedVariant_ < 0 || selectedVariant_ >= static_cast<int>(analysis_->variants.size())) return {};
  return generate::variantId(analysis_->variants[static_cast<size_t>(selectedVariant_)].kind);
}

void MainWindow::selectLayer(int variant, int layer) {
  if (!analysis_ || variant < 0 || variant >= static_cast<int>(analysis_->variants.size())) return;
  if (variant != selectedVariant_) {
    selectedVariant_ = variant;
    const int row = tableModel_->rowOf(variant);
    QSignalBlocker b(table_->selectionModel());
    if (row >= 0) table_->selectRow(row);
    showDetails();
  }
  selectedLayer_ = layer;
  detailTabs_->setCurrentWidget(layers_);
  layers_->selectRow(layer);
  layers_->scrollTo(layerModel_->index(layer, 0));
  chart_->selectLayer(variant, layer);
}

void MainWindow::showDetails() {
  if (!analysis_ || selectedVariant_ < 0 || selectedVariant_ >= static_cast<int>(analysis_->variants.size())) return;
  const auto& v = analysis_->variants[static_cast<size_t>(selectedVariant_)];
  const auto& e = v.estimate;
  layerModel_->setVariant(analysis_, selectedVariant_, compressed_);
  packageModel_->setVariant(analysis_, selectedVariant_);
  findingModel_->setVariant(analysis_, selectedVariant_);
  layers_->resizeColumnsToContents();
  layers_->setColumnWidth(LayerModel::Instruction, qMin(layers_->columnWidth(LayerModel::Instruction), 340));
  packages_->resizeColumnsToContents();
  packages_->setColumnWidth(PackageModel::File, qMin(packages_->columnWidth(PackageModel::File), 300));
  findings_->resizeColumnsToContents();
  findings_->setColumnWidth(FindingModel::Title, qMin(findings_->columnWidth(FindingModel::Title), 280));
  if (findingModel_->rowCount() > 0) findings_->selectRow(0);
  else findingText_->setHtml("<p>No findings for this variant.</p>");
  generated_->setPlainText(q(v.dockerfile));
  const auto& original = analysis_->variants.front().dockerfile;
  diff_->setHtml(selectedVariant_ == 0 ? QString("<p>This is your Dockerfile. Select another variant to compare.</p>")
                                       : fidelityDiffHtml(original, v, dark_));
  QVector<EditorMarker> gm;
  for (const auto& f : v.findings)
    if (f.where.line > 0) gm.append({f.where.line, static_cast<int>(f.severity), q(f.ruleId + " " + f.title)});
  generated_->setMarkers(gm);

  const QString ge = e.disk.open ? "≥ " : "";
  QString s = QString("<b>%1</b> — FROM %2: <b>%3%4 MB</b> on disk, %5%6 MB pull; build %7%8 cold, %9%10 cached.")
                  .arg(generate::variantTitle(v.kind), q(e.baseImage).toHtmlEscaped(), ge, mb(e.disk.mid, 0), ge, mb(e.compressed.mid, 0))
                  .arg(e.coldLowerBound ? "≥ " : "", duration(e.buildSecondsCold).toHtmlEscaped(), e.warmLowerBound ? "≥ " : "",
                       duration(e.buildSecondsWarm).toHtmlEscaped());  // "< 1 s" is not a tag
  if (!e.coverage.complete) {
    // What is unknown, and how to supply it.
    QStringList what;
    bool base = false, context = false;
    for (const auto& l : e.layers)
      for (const auto& u : l.unknownParts) {
        what << q(u);
        base = base || l.fromBase;
        context = context || u.find("build context") != std::string::npos;
      }
    what.removeDuplicates();
    QString how = base      ? "Give the base image's size in the Base size field above"
                  : context ? "Check the build context in the Context field above"
                            : "The Layers tab lists each unknown with its reason";
    s += QString("<br><span style='color:#c77800'>A lower bound: %1 layer(s) could not be estimated — %2%3. %4.</span>")
             .arg(e.coverage.unknownCount)
             .arg(what.mid(0, 2).join("; ").toHtmlEscaped())
             .arg(what.size() > 2 ? QString(" and %1 more").arg(what.size() - 2) : QString())
             .arg(how);
  }
  if (e.coldLowerBound && !e.timeUnknowns.empty())
    s += QString("<br>Build time is a lower bound: %1.").arg(q(e.timeUnknowns.front()).toHtmlEscaped() +
                                                            (e.timeUnknowns.size() > 1 ? QString(" and %1 more").arg(e.timeUnknowns.size() - 1) : QString()));
  if (v.parseError) s = QString("<b>%1</b> does not parse: %2").arg(generate::variantTitle(v.kind), q(v.parseError->format()).toHtmlEscaped());
  // Why: compiles and the biggest layer.
  QStringList compiled;
  double compileMin = 0;
  for (const auto& p : e.packages)
    if (p.compiles) {
      compiled << q(p.name);
      compileMin += p.compileMinutesHigh;
    }
  if (!compiled.isEmpty())
    s += QString("<br><span style='color:#d62728'>%1 package(s) compile from source in this build (no wheel for the target): %2%3.</span>")
             .arg(compiled.size())
             .arg(compiled.mid(0, 6).join(", ").toHtmlEscaped())
             .arg(compileMin > 0 ? QString(", up to ~%1 min of compiling").arg(compileMin, 0, 'f', 0) : QString());
  if (e.compilerInFinal) s += "<br><span style='color:#d62728'>A compiler ships in the final image.</span>";
  const estimate::LayerEstimate* biggest = nullptr;
  for (const auto& l : e.layers)
    if (!l.fromBase && (!biggest || l.disk.mid > biggest->disk.mid)) biggest = &l;
  if (biggest && biggest->disk.mid > 0)
    s += QString("<br>Biggest own layer: line %1, %2 MB (%3).")
             .arg(biggest->line)
             .arg(mb(biggest->disk.mid, 0))
             .arg(estimate::categoryTitle(biggest->category));
  summary_->setText(s);
  updateStatus();
}

void MainWindow::updateProblems() {
  problems_->clear();
  QVector<EditorMarker> markers;
  if (!analysis_ || analysis_->variants.empty()) return;
  const auto& v = analysis_->variants.front();
  // The message first; the location relative to the project folder (never the temporary path).
  auto add = [&](Severity sev, const SourceLocation& where, const QString& text, const QString& tip) {
    const int line = where.line;
    auto* it = new QTreeWidgetItem(problems_);
    it->setText(0, text);
    it->setText(1, relativeLocation(where));
    it->setToolTip(1, it->text(1));
    it->setData(0, LineRole, line);
    it->setToolTip(0, tip.isEmpty() ? text : tip);
    it->setWhatsThis(0, tip);
    it->setIcon(0, style()->standardIcon(sev == Severity::Error     ? QStyle::SP_MessageBoxCritical
                                         : sev == Severity::Warning ? QStyle::SP_MessageBoxWarning
                                                                    : QStyle::SP_MessageBoxInformation));
    if (line > 0) markers.append({line, static_cast<int>(sev), tip.isEmpty() ? text : text + "\n" + QTextDocumentFragment::fromHtml(tip).toPlainText()});
  };
  if (v.parseError) add(Severity::Error, v.parseError->where, q(v.parseError->message), {});
  for (const auto& d : v.model.diagnostics) add(d.severity, d.where, q(d.message), {});
  for (const auto& f : v.findings) {
    SourceLocation w = f.where;
    w.column = 0;
    add(f.severity, w, QString("%1: %2 (%3)").arg(q(f.title), q(f.message), q(f.ruleId)), findingHtml(f));
  }
  dfEditor_->setMarkers(markers);
  for (const auto& d : reqErrors_) {
    auto* it = new QTreeWidgetItem(problems_);
    it->setText(0, q(d.message));
    it->setText(1, relativeLocation(d.where));
    it->setData(0, LineRole, d.where.line);
    it->setData(0, IndexRole, 1);
    it->setToolTip(0, q(d.format()));
    it->setIcon(0, style()->standardIcon(QStyle::SP_MessageBoxCritical));
  }
  problems_->resizeColumnToContents(1);
  problems_->setHeaderLabels({QString("Problems (%1)").arg(problems_->topLevelItemCount()), "Where"});
}

QString MainWindow::relativeLocation(const SourceLocation& where) const {
  QString file = where.file.empty() ? dockerfilePath_ : q(where.file);
  if (!project_.dir.empty() && QFileInfo(file).isAbsolute()) {
    const QString rel = QDir(q(project_.dir)).relativeFilePath(file);
    file = rel.startsWith("../../") ? QFileInfo(file).fileName() : rel;
  }
  if (where.line <= 0) return file;
  return QString("%1:%2%3").arg(file).arg(where.line).arg(where.column > 0 ? QString(":%1").arg(where.column) : QString());
}

void MainWindow::checkRequirements() {
  reqErrors_.clear();
  QVector<EditorMarker> markers;
  if (requirementsPath_.endsWith(".txt")) {
    python::ParseOptions o;
    o.followIncludes = false;  // live: only this file
    const std::string name = requirementsPath_.toStdString();
    auto r = python::parseRequirementsText(reqEditor_->toPlainText().toStdString(), name, o);
    for (const auto& d : r.errors)
      if (d.where.file == name || d.where.file.empty() || QFileInfo(q(d.where.file)).fileName() == QFileInfo(requirementsPath_).fileName()) {
        reqErrors_.push_back(d);
        if (d.where.line > 0) markers.append({d.where.line, 2, q(d.message)});
      }
  }
  reqEditor_->setMarkers(markers);
  if (analysis_) updateProblems();
}

void MainWindow::updateStructure() {
  tree_->clear();
  if (!analysis_ || analysis_->variants.empty()) return;
  const auto& v = analysis_->variants.front();
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

void MainWindow::updateStatus() {
  if (!analysis_) return;
  QString s;
  const auto& orig = analysis_->variants.front();
  if (orig.parseError) s = q(orig.parseError->format()) + "  ·  ";
  s += "Data: " + q(analysis_->dataNote);
  if (selectedVariant_ >= 0 && selectedVariant_ < static_cast<int>(analysis_->variants.size())) {
    const auto& u = analysis_->variants[static_cast<size_t>(selectedVariant_)].estimate.unknowns;
    if (!u.empty()) {
      s += QString("  ·  Unknown (%1): ").arg(u.size()) + q(u.front());
      QStringList all;
      for (const auto& x : u) all << q(x);
      status_->setToolTip("Not estimated:\n• " + all.join("\n• "));
    } else {
      status_->setToolTip(q(analysis_->dataNote));
    }
  }
  status_->setText(s);
}

void MainWindow::updateTitle() {
  QString t = dockerfilePath_.isEmpty() ? QString("slimbench")
              : isExample_           ? QString("Example %1 (not saved yet: Save asks for a folder)[*] — slimbench").arg(exampleName_)
                                     : QFileInfo(dockerfilePath_).absoluteFilePath() + "[*] — slimbench";
  setWindowTitle(t);
  if (dockerfilePath_.isEmpty()) {
    setWindowModified(false);
    editorTabs_->setTabText(0, "Dockerfile");
    editorTabs_->setTabText(1, "requirements");
    return;
  }
  setWindowModified(dfEditor_->document()->isModified() || reqEditor_->document()->isModified());
  editorTabs_->setTabText(0, QFileInfo(dockerfilePath_).fileName() + (dfEditor_->document()->isModified() ? " *" : ""));
  if (!requirementsPath_.isEmpty())
    editorTabs_->setTabText(1, QFileInfo(requirementsPath_).fileName() + (reqEditor_->document()->isModified() ? " *" : ""));
  // pip reads the requirements from the folder: say that unsaved edits are not in the figures yet.
  if (reqEditor_->document()->isModified()) {
    busy_->setText("requirements changed: save (Ctrl+S) to re-analyse");
  } else if (busy_->text().startsWith("requirements")) {
    busy_->clear();
  }
}

// ---- saving -------------------------------------------------------------------

QMessageBox::StandardButton MainWindow::ask(const QString& text, QMessageBox::StandardButtons buttons) {
  if (asker_) return asker_(text, buttons);
  return QMessageBox::question(this, "slimbench", text, buttons);
}

bool MainWindow::saveDockerfile(const QString& path) {
  QString err;
  if (!writeAtomic(path, dfEditor_->toPlainText(), &err)) {
    status_->setText("Not saved: " + err);
    return false;
  }
  dfEditor_->document()->setModified(false);
  return true;
}

bool MainWindow::saveRequirements() {
  if (requirementsPath_.isEmpty()) return true;
  QString err;
  if (!writeAtomic(requirementsPath_, reqEditor_->toPlainText(), &err)) {
    status_->setText("Not saved: " + err);
    return false;
  }
  reqEditor_->document()->setModified(false);
  scheduleAnalysis(0);  // pip reads the requirements from disk
  return true;
}

bool MainWindow::saveAll() {
  if (!hasProject()) return false;
  if (isExample_) return saveExampleAs();  // never into the temporary copy
  bool ok = true;
  if (dfEditor_->document()->isModified()) ok = saveDockerfile(dockerfilePath_) && ok;
  if (reqEditor_->document()->isModified()) ok = saveRequirements() && ok;
  updateTitle();
  if (ok) statusBar()->showMessage("Saved", 3000);
  return ok;
}

bool MainWindow::maybeSave() {
  if (!dfEditor_->document()->isModified() && !reqEditor_->document()->isModified()) return true;
  const auto b = ask(QString("%1 has unsaved changes. Save them?").arg(QFileInfo(q(project_.dir)).fileName()),
                     QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
  if (b == QMessageBox::Save) return saveAll();
  if (b == QMessageBox::Discard) {
    dfEditor_->document()->setModified(false);
    reqEditor_->document()->setModified(false);
    return true;
  }
  return false;
}

void MainWindow::closeEvent(QCloseEvent* e) {
  if (maybeSave()) e->accept();
  else e->ignore();
}

// ---- export -------------------------------------------------------------------

bool MainWindow::exportDockerfile(const QString& variantId, const QString& path, bool withDockerignore) {
  const int v = variantIndex(variantId);
  if (v < 0) {
    status_->setText("Nothing to export: no analysis yet.");
    return false;
  }
  const auto& var = analysis_->variants[static_cast<size_t>(v)];
  if (var.parseError) {
    status_->setText("Not exported: the variant does not parse: " + q(var.parseError->format()));
    return false;
  }
  auto writeChecked = [this](const QString& p, const QString& text) {
    if (QFileInfo::exists(p) &&
        ask(QString("%1 exists. Replace it?").arg(p), QMessageBox::Yes | QMessageBox::No) != QMessageBox::Yes) {
      status_->setText("Not exported: " + p + " exists and was kept.");
      return false;
    }
    QString err;
    if (!writeAtomic(p, text, &err)) {
      status_->setText("Not exported: " + err);
      return false;
    }
    return true;
  };
  if (!writeChecked(path, q(var.dockerfile))) return false;
  rememberFolder(QFileInfo(path).absolutePath());
  QString msg = QString("Exported %1 to %2").arg(generate::variantTitle(var.kind), path);
  if (withDockerignore) {
    const QString ig = QFileInfo(path).absoluteDir().filePath(".dockerignore");
    if (writeChecked(ig, q(generate::defaultDockerignore()))) msg += " with .dockerignore";
  }
  status_->setText(msg);
  return true;
}

void MainWindow::exportDockerfileDialog() {
  if (!analysis_) return;
  const int v = selectedVariant_;
  const auto& var = analysis_->variants[static_cast<size_t>(v)];
  QDialog d(this);
  d.setWindowTitle(QString("Export Dockerfile — %1").arg(generate::variantTitle(var.kind)));
  d.resize(900, 640);
  auto* l = new QVBoxLayout(&d);
  auto* tabs = new QTabWidget;
  auto* text = new CodeEditor;
  text->setReadOnly(true);
  text->setFont(dfEditor_->font());
  new DockerfileHighlighter(text->document());
  text->setPlainText(q(var.dockerfile));
  auto* diff = new QTextBrowser;
  diff->setFont(dfEditor_->font());
  diff->setHtml(fidelityDiffHtml(analysis_->variants.front().dockerfile, var, dark_));
  tabs->addTab(text, "Dockerfile");
  tabs->addTab(diff, "Diff against yours");
  l->addWidget(tabs, 1);
  auto* form = new QFormLayout;
  auto* pathRow = new QHBoxLayout;
  auto* path = new QLineEdit(QDir(startFolder()).filePath(QString("Dockerfile.%1").arg(generate::variantId(var.kind))));
  auto* browse = new QPushButton("Browse…");
  pathRow->addWidget(path, 1);
  pathRow->addWidget(browse);
  connect(browse, &QPushButton::clicked, &d, [&] {
    const QString p = choosePath("save", "Export Dockerfile", path->text());
    if (!p.isEmpty()) path->setText(p);
  });
  form->addRow("Write to", pathRow);
  auto* ignore = new QCheckBox("Also write a .dockerignore for Python projects next to it");
  ignore->setChecked(!QDir(q(project_.dir)).exists(".dockerignore"));
  form->addRow(QString(), ignore);
  l->addLayout(form);
  auto* bb = new QDialogButtonBox;
  auto* exportBtn = bb->addButton("Export", QDialogButtonBox::AcceptRole);
  auto* copyBtn = bb->addButton("Copy to Clipboard", QDialogButtonBox::ActionRole);
  bb->addButton(QDialogButtonBox::Cancel);
  exportBtn->setDefault(true);
  connect(copyBtn, &QPushButton::clicked, &d, [&] {
    QApplication::clipboard()->setText(q(var.dockerfile));
    copyBtn->setText("Copied");
  });
  connect(bb, &QDialogButtonBox::accepted, &d, [&] {
    if (exportDockerfile(generate::variantId(var.kind), path->text(), ignore->isChecked())) d.accept();
  });
  connect(bb, &QDialogButtonBox::rejected, &d, &QDialog::reject);
  l->addWidget(bb);
  d.exec();
}

void MainWindow::copyDockerfile() {
  if (!analysis_) return;
  const auto& v = analysis_->variants[static_cast<size_t>(selectedVariant_)];
  QApplication::clipboard()->setText(q(v.dockerfile));
  statusBar()->showMessage(QString("Copied the %1 Dockerfile").arg(generate::variantTitle(v.kind)), 3000);
}

bool MainWindow::exportChart(const QString& path, QSize size) {
  if (QFileInfo::exists(path) &&
      ask(QString("%1 exists. Replace it?").arg(path), QMessageBox::Yes | QMessageBox::No) != QMessageBox::Yes)
    return false;
  QString err;
  const bool ok = chart_->exportTo(path, size, &err);
  status_->setText(ok ? "Chart saved to " + path : err);
  return ok;
}

void MainWindow::exportChartDialog() {
  if (!analysis_) return;
  bool ok = false;
  const QString sz = QInputDialog::getItem(this, "Export chart", "Size in pixels:", {"1920x1080", "1280x720", "2560x1440", "1600x900", "1200x800"},
                                           0, true, &ok);
  if (!ok) return;
  const QStringList wh = sz.split('x');
  const QSize size(wh.value(0).toInt(), wh.value(1).toInt());
  if (size.width() < 100 || size.height() < 100) return;
  const QString f = chooser_ ? chooser_("save", "Export chart", QDir(startFolder()).filePath("variants.png"))
                             : QFileDialog::getSaveFileName(this, "Export chart", QDir(startFolder()).filePath("variants.png"),
                                                            "PNG image (*.png);;SVG drawing (*.svg)", nullptr, QFileDialog::DontConfirmOverwrite);
  if (!f.isEmpty() && exportChart(f, size)) rememberFolder(QFileInfo(f).absolutePath());
}

// ---- view ---------------------------------------------------------------------

void MainWindow::setCompressed(bool on) {
  compressed_ = on;
  if (compressedAction_->isChecked() != on) compressedAction_->setChecked(on);
  applyAnalysis();
}

void MainWindow::setZoom(double factor) {
  zoom_ = qBound(0.6, factor, 3.0);
  applyFonts();
}

void MainWindow::applyFonts() {
  // The presenter zoom scales every font of the application (menus, tables, headers, chart).
  static const double kBase = QApplication::font().pointSizeF() > 0 ? QApplication::font().pointSizeF() : 10;
  basePointSize_ = kBase;
  QFont f = QApplication::font();
  f.setPointSizeF(kBase * zoom_);
  if (f != QApplication::font()) QApplication::setFont(f);
  QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  mono.setPointSizeF(kBase * zoom_);
  for (auto* e : {dfEditor_, reqEditor_, generated_}) e->setFont(mono);
  diff_->setFont(mono);
  for (auto* t : {table_, layers_, packages_, findings_}) {
    t->setFont(f);
    fitRowHeight(t);
  }
  chart_->setFont(f);
  chart_->setFontScale(1.0);
  if (analysis_) showDetails();
}

void MainWindow::setDarkPalette(bool dark) {
  dark_ = dark;
  if (darkAction_->isChecked() != dark) darkAction_->setChecked(dark);
  QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
  dfHighlighter_->setDark(dark);
  genHighlighter_->setDark(dark);
  reqHighlighter_->setDark(dark);
  chart_->setDark(dark);
  if (analysis_) showDetails();
}

void MainWindow::setArch(const QString& arch) {
  const int i = arch_->findText(arch);
  if (i >= 0) arch_->setCurrentIndex(i);
}

void MainWindow::changeEvent(QEvent* e) {
  QMainWindow::changeEvent(e);
  // Follow the desktop's palette when the user did not choose one here.
  if (e->type() == QEvent::PaletteChange && chart_) chart_->setDark(palette().color(QPalette::Window).lightness() < 128);
}

// ---- test accessors -----------------------------------------------------------

QString MainWindow::statusText() const { return status_->text(); }
QChartView* MainWindow::chartView() const { return chart_; }

QStringList MainWindow::variantIds() const {
  QStringList out;
  if (!analysis_) return out;
  for (int v : chart_->shownVariants()) out << generate::variantId(analysis_->variants[static_cast<size_t>(v)].kind);
  return out;
}

QList<double> MainWindow::variantTotalsMB() const { return chart_->barTotalsMB(); }

QString MainWindow::detailsSummary() const { return summary_->text(); }

bool MainWindow::saveScreenshot(const QString& file) { return grab().save(file, "PNG"); }

}  // namespace slimbench::ui
