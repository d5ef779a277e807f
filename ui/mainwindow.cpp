#include "mainwindow.h"

#include <QApplication>
#include <QBoxLayout>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QWhatsThis>

#include "codeeditor.h"
#include "detailspane.h"
#include "editorspane.h"
#include "exportdialog.h"
#include "reportexport.h"
#include "generate/variants.h"
#include "presenter.h"
#include "problemspane.h"
#include "settingstoolbar.h"
#include "tourpanel.h"
#include "variantchart.h"
#include "variantspane.h"
#include "welcomepage.h"

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

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  initSlimbenchResources();
  setWindowTitle("slimbench");
  setWindowIcon(QIcon(":/icons/slimbench.svg"));
  setAcceptDrops(true);
  dark_ = palette().color(QPalette::Window).lightness() < 128;
  doc_ = new ProjectDocument(this);
  // The document's questions are dialogs of this window (tests replace them).
  doc_->setAsker([this](const QString& text, QMessageBox::StandardButtons buttons) {
    return QMessageBox::question(this, "slimbench", text, buttons);
  });
  doc_->setPathChooser([this](const QString& kind, const QString& title, const QString& start) {
    if (kind == "folder") return QFileDialog::getExistingDirectory(this, title, start);
    return QFileDialog::getSaveFileName(this, title, start, {}, nullptr, QFileDialog::DontConfirmOverwrite);
  });
  buildUi();
  buildActions();
  connectDocument();
  new ToolBarFitter(this);  // a zoom or a narrow window puts the toolbars on more rows, never in » menus
  resize(1280, 800);
  showWelcome();
  applyFonts();
}

// The panes go first: the editors show the document's text, which goes with the document.
MainWindow::~MainWindow() { delete takeCentralWidget(); }

// ---- layout -------------------------------------------------------------------

void MainWindow::buildUi() {
  stack_ = new QStackedWidget(this);
  welcome_ = new WelcomePage;
  stack_->addWidget(welcome_);
  connect(welcome_, &WelcomePage::exampleRequested, this, [this](const QString& name) { doc_->openBundledExample(name); });
  connect(welcome_, &WelcomePage::openFolderRequested, this, &MainWindow::openProjectDialog);
  connect(welcome_, &WelcomePage::recentRequested, this, [this](const QString& path) { doc_->openPath(path); });

  mainSplit_ = new QSplitter(Qt::Horizontal);
  mainSplit_->setChildrenCollapsible(false);
  // Left: editors and structure over the problems.
  auto* left = new QSplitter(Qt::Vertical);
  left->setChildrenCollapsible(false);
  editors_ = new EditorsPane(doc_);
  problems_ = new ProblemsPane(doc_);
  left->addWidget(editors_);
  left->addWidget(problems_);
  left->setStretchFactor(0, 3);
  left->setStretchFactor(1, 1);
  // Right: the chart and the comparison, then the details in the same splitter (one handle
  // between each: the table is as tall as its rows and the others share the rest).
  variants_ = new VariantsPane(doc_);
  details_ = new DetailsPane(doc_);
  variants_->addWidget(details_);
  variants_->setStretchFactor(2, 4);
  variants_->setSizes({340, 170, 260});
  mainSplit_->addWidget(left);
  mainSplit_->addWidget(variants_);
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
  busy_->setToolTip("Analysis running on a worker thread");
  statusBar()->addWidget(status_, 1);
  statusBar()->addPermanentWidget(busy_);

  // Lines asked for in one pane are shown in the editors.
  connect(problems_, &ProblemsPane::lineRequested, editors_, &EditorsPane::goToLine);
  connect(details_, &DetailsPane::dockerfileLineShown, editors_, &EditorsPane::revealDockerfileLine);
  connect(details_, &DetailsPane::dockerfileLineRequested, editors_, [this](int line) { editors_->goToLine(0, line); });

  // The workshop tour: a dock on the right, hidden until started; it drives the document only.
  tour_ = new TourPanel(doc_, this);
  addDockWidget(Qt::RightDockWidgetArea, tour_);
  tour_->hide();
  connect(tour_, &TourPanel::failed, this, &MainWindow::showMessage);
  connect(tour_, &TourPanel::stepShown, this, [this] { showMessage({}); });
}

bool MainWindow::startTour(const QString& file, const QString& example, int step) {
  resizeDocks({tour_}, {qMax(420, width() * 3 / 10)}, Qt::Horizontal);
  return tour_->startFile(file, example, step);
}

void MainWindow::connectDocument() {
  connect(doc_, &ProjectDocument::projectChanged, this, [this] {
    if (doc_->hasProject()) stack_->setCurrentWidget(mainSplit_);
    updateTitle();
    updateActions();
  });
  connect(doc_, &ProjectDocument::modificationChanged, this, [this] {
    updateTitle();
    updateBusy();
  });
  connect(doc_, &ProjectDocument::busyChanged, this, &MainWindow::updateBusy);
  connect(doc_, &ProjectDocument::analysisChanged, this, [this] {
    updateStatus();
    updateActions();
  });
  connect(doc_, &ProjectDocument::selectionChanged, this, &MainWindow::updateStatus);
  connect(doc_, &ProjectDocument::statusMessage, status_, &QLabel::setText);
  connect(doc_, &ProjectDocument::transientMessage, statusBar(), &QStatusBar::showMessage);
  connect(doc_, &ProjectDocument::openFailed, this, &MainWindow::showMessage);
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
  auto* save = file->addAction(st->standardIcon(QStyle::SP_DialogSaveButton), "&Save", doc_, &ProjectDocument::saveAll);
  save->setShortcut(QKeySequence::Save);
  save->setToolTip("Save the Dockerfile and the requirements (Ctrl+S), atomically. An example is first copied "
                   "to a folder you choose.");
  save->setObjectName("saveAction");
  auto* saveAs = file->addAction("Save Dockerfile &As…", doc_, &ProjectDocument::saveDockerfileAs);
  saveAs->setShortcut(QKeySequence::SaveAs);
  saveAs->setObjectName("saveAsAction");
  file->addSeparator();
  auto* exportDf = file->addAction(st->standardIcon(QStyle::SP_ArrowRight), "&Export Dockerfile…", this, &MainWindow::exportDockerfileDialog);
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
  auto* exportRep = file->addAction("Export &Report…", this, [this] {
    const QString msg = exportReportDialog(this, doc_, bool(chooser_));
    if (!msg.isEmpty()) status_->setText(msg);
  });
  exportRep->setToolTip("Save the analysis as a report: one HTML page (charts, table, findings, the chosen Dockerfile and "
                        "its diff) or Markdown for a pull request");
  exportRep->setObjectName("exportReportAction");
  projectActions_ = {save, saveAs};
  analysisActions_ = {exportDf, copyDf, exportCh, exportRep};
  file->addSeparator();
  auto* quit = file->addAction("&Quit", this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  // Edit
  auto* edit = menuBar()->addMenu("&Edit");
  auto* undo = edit->addAction("&Undo", this, [this] { editors_->currentEditor()->undo(); });
  undo->setShortcut(QKeySequence::Undo);
  undo->setShortcutContext(Qt::WidgetShortcut);  // the editors handle it themselves when focused
  auto* redo = edit->addAction("&Redo", this, [this] { editors_->currentEditor()->redo(); });
  redo->setShortcut(QKeySequence::Redo);
  redo->setShortcutContext(Qt::WidgetShortcut);
  edit->addSeparator();
  auto* reanalyse = edit->addAction(st->standardIcon(QStyle::SP_BrowserReload), "Re-&analyse", this, [this] { doc_->reanalyse(0); });
  reanalyse->setShortcut(QKeySequence("Ctrl+R"));  // F5 is presenter mode
  reanalyse->setObjectName("reanalyseAction");
  projectActions_ << reanalyse;
  auto* nextProblem = edit->addAction("Next &Problem", problems_, &ProblemsPane::activateNext);
  nextProblem->setShortcut(QKeySequence("F8"));

  // View
  auto* view = menuBar()->addMenu("&View");
  // An icon (what docker pull downloads) lets the toolbar show it alone when the window is narrow.
  compressedAction_ = view->addAction(st->standardIcon(QStyle::SP_ArrowDown), "&Compressed Pull Size", this,
                                      [this](bool on) { setCompressed(on); });
  compressedAction_->setCheckable(true);
  compressedAction_->setShortcut(QKeySequence("Ctrl+T"));
  compressedAction_->setToolTip("Toggle the chart between the size on disk and the compressed size docker pull downloads (Ctrl+T)");
  auto* variantsMenu = view->addMenu("&Variants");
  int n = 1;
  for (auto kind : generate::allVariants()) {
    auto* a = variantsMenu->addAction(generate::variantTitle(kind));
    a->setCheckable(true);
    a->setChecked(true);
    a->setData(QString(generate::variantId(kind)));
    a->setShortcut(QKeySequence(QString("Alt+%1").arg(n++)));
    connect(a, &QAction::toggled, this, &MainWindow::applyHiddenVariants);
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
  presenter_ = new PresenterMode(this);
  auto* present = view->addAction("&Presenter Mode", presenter_, &PresenterMode::setActive);
  present->setCheckable(true);
  present->setShortcut(QKeySequence("F5"));
  present->setObjectName("presenterAction");
  present->setToolTip("Full screen, large fonts and high contrast for a projector, with a pointer on the selected "
                      "segment (F5; Esc leaves)");
  connect(presenter_, &PresenterMode::activeChanged, present, &QAction::setChecked);
  auto* detailsMenu = view->addMenu("&Details");
  const QStringList tabs = {"Layers", "Packages", "Findings", "Dockerfile", "Diff"};
  for (int i = 0; i < tabs.size(); ++i) {
    auto* a = detailsMenu->addAction(tabs[i], this, [this, i] { details_->showTab(i); });
    a->setShortcut(QKeySequence(QString("Ctrl+%1").arg(i + 1)));
  }

  // Help
  auto* help = menuBar()->addMenu("&Help");
  auto* wt = QWhatsThis::createAction(this);
  wt->setShortcut(QKeySequence::WhatsThis);
  help->addAction(wt);
  auto* tourAction = help->addAction("Workshop &Tour", this, [this] { startTour(); });
  tourAction->setObjectName("tourAction");
  tourAction->setToolTip("A guided tour for a workshop: from a bundled example, fat → alpine → slim → caching → multi-stage → "
                         "BuildKit, each step with the chart, the explanation and its source, and the Dockerfile diff");
  help->addAction("&About slimbench", this, [this] {
    const auto k = doc_->knowledge();
    QMessageBox::about(this, "About slimbench",
                       QString("<b>slimbench %1</b><p>Estimates Docker image variants for Python apps before building.</p><p>%2</p>")
                           .arg(QApplication::applicationVersion(), k ? q(k->dataNote).toHtmlEscaped() : QString()));
  });

  // Toolbars: actions, then the analysis settings, then (below) the inputs.
  auto* tb = addToolBar("Main");
  tb->setObjectName("mainToolbar");
  tb->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  tb->addAction(openProj);
  tb->addAction(save);
  tb->addAction(exportDf);
  tb->addAction(compressedAction_);
  settingsBar_ = new SettingsToolBar(doc_, this);
  addToolBar(settingsBar_);
  addToolBarBreak();
  inputsBar_ = new InputsToolBar(doc_, this);
  addToolBar(inputsBar_);
  // Every action with a shortcut names it in its tooltip.
  for (auto* m : menuBar()->findChildren<QMenu*>())
    for (auto* a : m->actions())
      if (!a->shortcut().isEmpty() && a->toolTip() == a->text().remove('&'))
        a->setToolTip(QString("%1 (%2)").arg(a->text().remove('&').remove("…"), a->shortcut().toString(QKeySequence::NativeText)));
}

// ---- project ------------------------------------------------------------------

bool MainWindow::showWelcome() {
  if (!doc_->close()) return false;
  welcome_->rebuild(ProjectDocument::bundledExamples(), ProjectDocument::recentProjects());
  stack_->setCurrentWidget(welcome_);
  status_->setText(doc_->knowledgeError().isEmpty() ? "Open a project, or pick an example." : doc_->knowledgeError());
  return true;
}

void MainWindow::setPathChooser(PathChooser c) {
  chooser_ = c;
  doc_->setPathChooser(std::move(c));
}

void MainWindow::openProjectDialog() {
  const QString d = doc_->choosePath("folder", "Open project folder", doc_->startFolder());
  if (!d.isEmpty()) doc_->openPath(d);
}

void MainWindow::openFileDialog() {
  const QString f = QFileDialog::getOpenFileName(this, "Open Dockerfile or requirements", doc_->startFolder(),
                                                 "Dockerfiles and requirements (*Dockerfile* Containerfile *.txt *.toml *.lock);;All files (*)");
  if (!f.isEmpty()) doc_->openPath(f);
}

void MainWindow::openImageDialog() {
#ifdef SLIMBENCH_HAVE_IMAGEWINDOW
  const QString f = QFileDialog::getOpenFileName(this, "Open saved image", doc_->startFolder(),
                                                 "Images (*.tar *.tar.gz *.tgz *.tar.zst *.oci);;All files (*)");
  if (f.isEmpty()) return;
  auto* w = new ImageWindow(this);
  w->setAttribute(Qt::WA_DeleteOnClose);
  if (doc_->hasProject()) setProjectIfSupported(w, doc_->projectDir());
  w->openImage(f);
  w->show();
#endif
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList r = ProjectDocument::recentProjects();
  int n = 1;
  for (const QString& p : r) recentMenu_->addAction(QString("&%1 %2").arg(n++).arg(p), this, [this, p] { doc_->openPath(p); });
  if (r.isEmpty()) recentMenu_->addAction("(none)")->setEnabled(false);
  else {
    recentMenu_->addSeparator();
    recentMenu_->addAction("Clear", this, [] { ProjectDocument::clearRecentProjects(); });
  }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls() && !e->mimeData()->urls().isEmpty() && e->mimeData()->urls().first().isLocalFile())
    e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  const auto urls = e->mimeData()->urls();
  if (!urls.isEmpty()) doc_->openPath(urls.first().toLocalFile());
}

void MainWindow::closeEvent(QCloseEvent* e) {
  if (doc_->maybeSave()) e->accept();
  else e->ignore();
}

// ---- window state -------------------------------------------------------------

void MainWindow::updateTitle() {
  const QString df = doc_->dockerfilePath();
  setWindowTitle(df.isEmpty()         ? QString("slimbench")
                 : doc_->isExample() ? QString("Example %1 (not saved yet: Save asks for a folder)[*] — slimbench").arg(doc_->exampleName())
                                     : QFileInfo(df).absoluteFilePath() + "[*] — slimbench");
  setWindowModified(!df.isEmpty() && doc_->isModified());
}

void MainWindow::updateActions() {
  const bool has = doc_->hasProject();
  for (auto* a : projectActions_) a->setEnabled(has);
  for (auto* a : analysisActions_) a->setEnabled(has && doc_->analysis() != nullptr);
}

// pip reads the requirements from the folder: say that unsaved edits are not in the figures yet.
void MainWindow::updateBusy() {
  if (doc_->isBusy()) busy_->setText("analysing…");
  else if (doc_->requirements()->isModified()) busy_->setText("requirements changed: save (Ctrl+S) to re-analyse");
  else busy_->clear();
}

// The data behind the figures, a parse error of yours, and what the selected variant could not estimate.
void MainWindow::updateStatus() {
  const auto a = doc_->analysis();
  if (!a) return;
  QString s;
  const auto& orig = a->variants.front();
  if (orig.parseError) s = q(orig.parseError->format()) + "  ·  ";
  if (a->settings.wheelsBeforeMusllinux) s += "Era: " + q(estimate::kWheelsBeforeMusllinuxNote) + "  ·  ";
  s += "Data: " + q(a->dataNote);
  const int sel = doc_->selectedVariant();
  if (sel >= 0 && sel < static_cast<int>(a->variants.size())) {
    const auto& u = a->variants[static_cast<size_t>(sel)].estimate.unknowns;
    if (!u.empty()) {
      s += QString("  ·  Unknown (%1): ").arg(u.size()) + q(u.front());
      QStringList all;
      for (const auto& x : u) all << q(x);
      status_->setToolTip("Not estimated:\n• " + all.join("\n• "));
    } else {
      status_->setToolTip(q(a->dataNote));
    }
  }
  status_->setText(s);
}

void MainWindow::showMessage(const QString& text) {
  messageBar_->setText(text);
  messageBar_->setVisible(!text.isEmpty());
}

QString MainWindow::messageText() const { return messageBar_->isVisible() ? messageBar_->text() : QString(); }
QString MainWindow::statusText() const { return status_->text(); }

QAction* MainWindow::action(const QString& objectName) const {
  for (auto* a : findChildren<QAction*>())
    if (a->objectName() == objectName) return a;
  return nullptr;
}

bool MainWindow::selectVariant(const QString& id) {
  const int v = doc_->variantIndex(id);
  if (v < 0 || !variants_->shownVariants().contains(v)) return false;
  if (v != doc_->selectedVariant()) doc_->select(v, -1);
  return true;
}

// ---- export -------------------------------------------------------------------

void MainWindow::exportDockerfileDialog() {
  const auto a = doc_->analysis();  // kept while the dialog is open, whatever the analysis does meanwhile
  if (!a) return;
  const auto& var = a->variants[static_cast<size_t>(doc_->selectedVariant())];
  const QString id = generate::variantId(var.kind);
  ExportDockerfileDialog d(var, a->variants.front().dockerfile, dark_, editors_->dockerfileEditor()->font(),
                           QDir(doc_->startFolder()).filePath("Dockerfile." + id), !doc_->hasDockerignore(), this);
  d.setExporter([this, id](const QString& path, bool ignore) { return doc_->exportDockerfile(id, path, ignore); });
  d.setSaveChooser([this](const QString& start) { return doc_->choosePath("save", "Export Dockerfile", start); });
  d.exec();
}

void MainWindow::copyDockerfile() {
  const auto a = doc_->analysis();
  if (!a) return;
  const auto& v = a->variants[static_cast<size_t>(doc_->selectedVariant())];
  QApplication::clipboard()->setText(q(v.dockerfile));
  statusBar()->showMessage(QString("Copied the %1 Dockerfile").arg(generate::variantTitle(v.kind)), 3000);
}

bool MainWindow::exportChart(const QString& path, QSize size) {
  if (QFileInfo::exists(path) && doc_->ask(QString("%1 exists. Replace it?").arg(path), QMessageBox::Yes | QMessageBox::No) != QMessageBox::Yes)
    return false;
  QString err;
  const bool ok = variants_->chart()->exportTo(path, size, &err);
  status_->setText(ok ? "Chart saved to " + path : err);
  return ok;
}

void MainWindow::exportChartDialog() {
  if (!doc_->analysis()) return;
  const QSize size = askChartSize(this);
  if (!size.isValid()) return;
  const QString start = QDir(doc_->startFolder()).filePath("variants.png");
  const QString f = chooser_ ? chooser_("save", "Export chart", start)
                             : QFileDialog::getSaveFileName(this, "Export chart", start, "PNG image (*.png);;SVG drawing (*.svg)", nullptr,
                                                            QFileDialog::DontConfirmOverwrite);
  if (!f.isEmpty() && exportChart(f, size)) doc_->rememberFolder(QFileInfo(f).absolutePath());
}

// ---- view ---------------------------------------------------------------------

void MainWindow::applyHiddenVariants() {
  QStringList hidden;
  for (auto* a : variantActions_)
    if (!a->isChecked()) hidden << a->data().toString();
  variants_->setHiddenVariants(hidden);
}

void MainWindow::setCompressed(bool on) {
  compressed_ = on;
  if (compressedAction_->isChecked() != on) compressedAction_->setChecked(on);
  variants_->setCompressed(on);
  details_->setCompressed(on);
}

void MainWindow::setZoom(double factor) {
  zoom_ = qBound(0.6, factor, 3.0);
  applyFonts();
}

void MainWindow::applyFonts() {
  // The presenter zoom scales every font of the application (menus, tables, headers, chart).
  static const double kBase = QApplication::font().pointSizeF() > 0 ? QApplication::font().pointSizeF() : 10;
  QFont f = QApplication::font();
  f.setPointSizeF(kBase * zoom_);
  if (f != QApplication::font()) QApplication::setFont(f);
  QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  mono.setPointSizeF(kBase * zoom_);
  editors_->setEditorFont(mono);
  variants_->applyFont(f);
  details_->applyFonts(f, mono);
}

void MainWindow::setDarkPalette(bool dark) {
  dark_ = dark;
  if (darkAction_->isChecked() != dark) darkAction_->setChecked(dark);
  QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
  editors_->setDark(dark);
  variants_->setDark(dark);
  details_->setDark(dark);
  tour_->setDark(dark);
}

void MainWindow::setArch(const QString& arch) { settingsBar_->setArch(arch); }

void MainWindow::changeEvent(QEvent* e) {
  QMainWindow::changeEvent(e);
  // Follow the desktop's palette when the user did not choose one here.
  if (e->type() == QEvent::PaletteChange && variants_) variants_->setDark(palette().color(QPalette::Window).lightness() < 128);
}

bool MainWindow::saveScreenshot(const QString& file) { return grab().save(file, "PNG"); }

// ---- the panes' views, for tests ----------------------------------------------

QTreeWidget* MainWindow::structureTree() const { return editors_->structureTree(); }
QChartView* MainWindow::chartView() const { return variants_->chart(); }
VariantChart* MainWindow::variantChart() const { return variants_->chart(); }
QList<double> MainWindow::variantTotalsMB() const { return variants_->chart()->barTotalsMB(); }
QTableView* MainWindow::variantTable() const { return variants_->table(); }
QTableView* MainWindow::layerView() const { return details_->layerView(); }
QTableView* MainWindow::packageView() const { return details_->packageView(); }
QTableView* MainWindow::findingView() const { return details_->findingView(); }
QTreeWidget* MainWindow::problemsList() const { return problems_; }
CodeEditor* MainWindow::dockerfileEditor() const { return editors_->dockerfileEditor(); }
CodeEditor* MainWindow::requirementsEditor() const { return editors_->requirementsEditor(); }
QString MainWindow::detailsSummary() const { return details_->summary(); }

QStringList MainWindow::variantIds() const {
  QStringList out;
  for (int v : variants_->chart()->shownVariants()) out << doc_->variantId(v);
  return out;
}

}  // namespace slimbench::ui
