#include "imagewindow.h"

#include <QAction>
#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLogValueAxis>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTreeView>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <map>
#include <mutex>

#include "embedded_resources.h"
#include "estimate/analysis.h"
#include "estimate/knowledge_embedded.h"
#include "imagemodels.h"

namespace slimbench::ui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// A table cell that sorts by kSortRole (numbers) instead of its text.
class SortItem : public QTableWidgetItem {
 public:
  SortItem(const QString& text, double key) : QTableWidgetItem(text) { setData(kSortRole, key); }
  bool operator<(const QTableWidgetItem& o) const override { return data(kSortRole).toDouble() < o.data(kSortRole).toDouble(); }
};

QTableWidget* makeTable(const QStringList& headers, QWidget* parent) {
  auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
  t->setHorizontalHeaderLabels(headers);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->setSelectionBehavior(QAbstractItemView::SelectRows);
  t->setAlternatingRowColors(true);
  t->setWordWrap(false);
  t->verticalHeader()->setVisible(false);
  t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
  return t;
}

QTableWidgetItem* cell(const QString& text, const QString& tip = {}) {
  auto* i = new QTableWidgetItem(text);
  if (!tip.isEmpty()) i->setToolTip(tip);
  return i;
}

QTableWidgetItem* sizeCell(quint64 bytes) {
  auto* i = new SortItem(humanSize(bytes), static_cast<double>(bytes));
  i->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  i->setToolTip(QString("%L1 bytes").arg(bytes));
  return i;
}

QString oneLine(const std::string& s, int max = 160) {
  QString t = q(s).simplified();
  return t.size() > max ? t.left(max - 1) + "…" : t;
}

std::shared_ptr<estimate::Knowledge> sharedKnowledge(QString* error) {
  static std::mutex m;
  static std::shared_ptr<estimate::Knowledge> k;
  std::lock_guard lock(m);
  if (!k) {
    auto r = estimate::bundledKnowledge();
    if (!r) {
      *error = q(r.error().format());
      return nullptr;
    }
    k = *r;
  }
  return k;
}

}  // namespace

struct ImageWindow::LoadResult {
  std::shared_ptr<image::Image> img;
  image::Analysis analysis;
  QString error;
};

struct ImageWindow::CompareResult {
  std::optional<image::Comparison> comparison;
  QString dockerfile;
  QStringList unknowns;
  QString error;
};

ImageWindow::ImageWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("Image — slimbench");
  setAttribute(Qt::WA_DeleteOnClose, parent != nullptr);

  auto* central = new QWidget(this);
  auto* outer = new QVBoxLayout(central);
  outer->setContentsMargins(6, 6, 6, 0);
  summary_ = new QLabel("Open a saved image (docker save / podman save archive, OCI layout folder): File ▸ Open Image…", central);
  summary_->setTextFormat(Qt::RichText);
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  error_ = new QLabel(central);
  error_->setWordWrap(true);
  error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  error_->setStyleSheet("QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #f5c2c0; padding: 6px; }");
  error_->hide();
  outer->addWidget(summary_);
  outer->addWidget(error_);

  auto* split = new QSplitter(Qt::Horizontal, central);
  outer->addWidget(split, 1);

  // Left: layers, chart, the selected layer's details.
  auto* left = new QSplitter(Qt::Vertical, split);
  layerModel_ = new LayerTableModel(this);
  layerView_ = new QTableView(left);
  layerView_->setModel(layerModel_);
  layerView_->setSelectionBehavior(QAbstractItemView::SelectRows);
  layerView_->setSelectionMode(QAbstractItemView::SingleSelection);
  layerView_->setAlternatingRowColors(true);
  layerView_->setWordWrap(false);
  layerView_->verticalHeader()->setVisible(false);
  layerView_->verticalHeader()->setDefaultSectionSize(layerView_->fontMetrics().height() + 6);
  layerView_->horizontalHeader()->setStretchLastSection(true);
  layerView_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  layerView_->horizontalHeader()->setSectionResizeMode(LayerTableModel::CreatedBy, QHeaderView::Stretch);
  connect(layerView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& cur) {
            if (cur.isValid() && cur.row() != layer_) selectLayer(cur.row());
          });
  chart_ = new QChartView(left);
  chart_->setRenderHint(QPainter::Antialiasing);
  chart_->setMinimumHeight(180);
  layerDetails_ = new QPlainTextEdit(left);
  layerDetails_->setReadOnly(true);
  layerDetails_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  layerDetails_->setPlaceholderText("The selected layer's instruction and changes.");
  left->addWidget(layerView_);
  left->addWidget(chart_);
  left->addWidget(layerDetails_);
  left->setStretchFactor(0, 2);
  left->setStretchFactor(1, 3);
  left->setStretchFactor(2, 1);
  left->setSizes({260, 320, 150});  // the chart gets room even when the table would take it all

  // Right: tabs.
  tabs_ = new QTabWidget(split);
  auto* files = new QWidget(tabs_);
  auto* fl = new QVBoxLayout(files);
  auto* bar = new QHBoxLayout;
  filter_ = new QLineEdit(files);
  filter_->setPlaceholderText("Filter by path, e.g. site-packages or .pyc");
  filter_->setClearButtonEnabled(true);
  changesOnly_ = new QCheckBox("Only this layer's changes", files);
  bar->addWidget(filter_, 1);
  bar->addWidget(changesOnly_);
  fl->addLayout(bar);
  treeModel_ = new FileTreeModel(this);
  proxy_ = new FileFilterProxy(this);
  proxy_->setSourceModel(treeModel_);
  treeView_ = new QTreeView(files);
  treeView_->setModel(proxy_);
  treeView_->setSortingEnabled(true);
  treeView_->sortByColumn(FileTreeModel::Size, Qt::DescendingOrder);
  treeView_->setUniformRowHeights(true);
  treeView_->setAlternatingRowColors(true);
  treeView_->header()->setStretchLastSection(false);
  treeView_->header()->setSectionResizeMode(FileTreeModel::Name, QHeaderView::Stretch);
  for (int c = FileTreeModel::Size; c < FileTreeModel::ColumnCount; ++c)
    treeView_->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  fl->addWidget(treeView_);
  connect(filter_, &QLineEdit::textChanged, this, [this](const QString& t) {
    proxy_->setText(t);
    if (!t.trimmed().isEmpty() || proxy_->changesOnly()) treeView_->expandAll();
  });
  connect(changesOnly_, &QCheckBox::toggled, this, [this](bool on) {
    proxy_->setChangesOnly(on);
    if (on) treeView_->expandAll();
  });
  tabs_->addTab(files, "Files");

  auto* waste = new QWidget(tabs_);
  auto* wl = new QVBoxLayout(waste);
  wastedSummary_ = new QLabel(waste);
  wastedSummary_->setWordWrap(true);
  wasted_ = makeTable({"Path", "Count", "Wasted", "Layers"}, waste);
  wasted_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  for (int c = 1; c < 4; ++c) wasted_->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  wl->addWidget(wastedSummary_);
  wl->addWidget(wasted_);
  tabs_->addTab(waste, "Wasted space");

  findings_ = makeTable({"Severity", "Finding", "Size", "Evidence", "What to do"}, tabs_);
  findings_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  findings_->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Interactive);
  findings_->horizontalHeader()->setStretchLastSection(true);
  tabs_->addTab(findings_, "Findings");

  comparePage_ = new QWidget(tabs_);
  auto* cl = new QVBoxLayout(comparePage_);
  compareSummary_ = new QLabel("Set the project the image was built from (File ▸ Compare with Project…).", comparePage_);
  compareSummary_->setWordWrap(true);
  compareSummary_->setTextFormat(Qt::RichText);
  compare_ = makeTable({"Layer", "Line", "Instruction", "Measured", "Estimate", "Range", "Error", "Match"}, comparePage_);
  compare_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  compare_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
  compareChart_ = new QChartView(comparePage_);
  compareChart_->setRenderHint(QPainter::Antialiasing);
  compareChart_->setMinimumHeight(220);
  auto* csplit = new QSplitter(Qt::Vertical, comparePage_);
  csplit->addWidget(compare_);
  csplit->addWidget(compareChart_);
  csplit->setStretchFactor(0, 3);
  csplit->setStretchFactor(1, 2);
  compareBanner_ = new QWidget(comparePage_);
  compareBanner_->setObjectName("compareBanner");
  compareBanner_->setAttribute(Qt::WA_StyledBackground);
  compareBanner_->setStyleSheet("QWidget#compareBanner { background: #fff4e5; border: 1px solid #c77800; }"
                                "QWidget#compareBanner QLabel { color: #663c00; }");
  auto* bl = new QHBoxLayout(compareBanner_);
  compareBannerText_ = new QLabel(compareBanner_);
  compareBannerText_->setWordWrap(true);
  compareBannerText_->setTextFormat(Qt::RichText);
  auto* pick = new QPushButton("Choose Dockerfile…", compareBanner_);
  pick->setObjectName("chooseDockerfileButton");
  pick->setToolTip("Pick the Dockerfile (or project folder) this image was built from");
  compareAnyway_ = new QPushButton("Compare anyway", compareBanner_);
  compareAnyway_->setObjectName("compareAnywayButton");
  compareAnyway_->setToolTip("Show the layer-by-layer comparison although the history does not match (with a warning)");
  bl->addWidget(compareBannerText_, 1);
  bl->addWidget(pick);
  bl->addWidget(compareAnyway_);
  compareBanner_->hide();
  connect(pick, &QPushButton::clicked, this, [this] {
    const QString f = dockerfileChooser_ ? dockerfileChooser_()
                                         : QFileDialog::getOpenFileName(this, "The Dockerfile the image was built from", project_,
                                                                        "Dockerfiles (*Dockerfile* Containerfile);;All files (*)");
    if (!f.isEmpty()) setProject(f);
  });
  connect(compareAnyway_, &QPushButton::clicked, this, &ImageWindow::compareAnyway);
  cl->addWidget(compareSummary_);
  cl->addWidget(compareBanner_);
  cl->addWidget(csplit, 1);
  tabs_->addTab(comparePage_, "Compare with estimate");
  tabs_->setTabVisible(3, false);

  split->addWidget(left);
  split->addWidget(tabs_);
  split->setStretchFactor(0, 5);
  split->setStretchFactor(1, 6);
  setCentralWidget(central);

  busyLabel_ = new QLabel(this);
  busy_ = new QProgressBar(this);
  busy_->setRange(0, 0);
  busy_->setMaximumWidth(160);
  busy_->hide();
  statusBar()->addWidget(busyLabel_, 1);
  statusBar()->addPermanentWidget(busy_);

  auto* menu = menuBar()->addMenu("&File");
  QAction* open = menu->addAction("&Open Image…");
  open->setShortcut(QKeySequence::Open);
  connect(open, &QAction::triggered, this, &ImageWindow::chooseImage);
  connect(menu->addAction("&Compare with Project…"), &QAction::triggered, this, &ImageWindow::chooseProject);
  menu->addSeparator();
  QAction* close = menu->addAction("&Close");
  close->setShortcut(QKeySequence::Close);
  connect(close, &QAction::triggered, this, &QWidget::close);

  resize(1400, 860);
}

ImageWindow::~ImageWindow() = default;

bool ImageWindow::isBusy() const { return pending_ > 0; }

QString ImageWindow::errorText() const { return error_->isHidden() ? QString() : error_->text(); }

void ImageWindow::showError(const QString& text) {
  error_->setText(text);
  error_->setVisible(!text.isEmpty());
  if (!text.isEmpty()) busyLabel_->setText(text.section('\n', 0, 0));
}

void ImageWindow::setBusy(const QString& what) {
  ++pending_;
  busyLabel_->setText(what);
  busy_->show();
}

void ImageWindow::clearBusy() {
  if (pending_ > 0) --pending_;
  if (pending_ == 0) busy_->hide();
}

void ImageWindow::chooseImage() {
  QString f = QFileDialog::getOpenFileName(this, "Open a saved image", QFileInfo(path_).absolutePath(),
                                           "Saved images (*.tar *.tar.gz *.tgz *.tar.zst *.oci index.json);;All files (*)");
  if (f.isEmpty()) return;
  // An OCI layout is a folder: picking its index.json opens the folder.
  if (QFileInfo(f).fileName() == "index.json" && QFileInfo(QFileInfo(f).dir(), "oci-layout").exists())
    f = QFileInfo(f).absolutePath();
  openImage(f);
}

void ImageWindow::chooseProject() {
  QString d = QFileDialog::getExistingDirectory(this, "The project folder the image was built from", project_);
  if (!d.isEmpty()) setProject(d);
}

bool ImageWindow::openImage(const QString& path) {
  QFileInfo fi(path);
  if (!fi.exists()) {
    showError(QString("%1: no such file or folder").arg(path));
    return false;
  }
  path_ = path;
  const quint64 gen = ++loadGen_;
  ++compareGen_;  // any comparison in flight is for the old image
  showError({});
  setWindowTitle(fi.fileName() + " — slimbench");
  setBusy(QString("Reading %1…").arg(fi.fileName()));
  const std::string p = path.toStdString();
  auto* watcher = new QFutureWatcher<std::shared_ptr<LoadResult>>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, gen] {
    onLoaded(watcher->result(), gen);
    watcher->deleteLater();
  });
  watcher->setFuture(QtConcurrent::run([p] {
    auto r = std::make_shared<LoadResult>();
    try {
      auto img = image::open(p, {});
      if (!img) {
        r->error = q(img.error().format());
        return r;
      }
      r->img = std::make_shared<image::Image>(std::move(*img));
      r->analysis = image::analyze(*r->img);
    } catch (const std::exception& e) {
      r->img.reset();
      r->error = QString("%1: %2").arg(q(p), e.what());
    }
    return r;
  }));
  return true;
}

void ImageWindow::onLoaded(const std::shared_ptr<LoadResult>& r, quint64 generation) {
  clearBusy();
  if (generation != loadGen_) return;  // a newer image was asked for meanwhile
  if (!r->img) {
    img_.reset();
    treeCache_.clear();
    analysis_.reset();
    comparison_.reset();
    layer_ = -1;
    layerModel_->setImage(nullptr);
    treeModel_->clear();
    layerDetails_->clear();
    fillChart();
    fillWasted();
    fillFindings();
    fillComparison();
    summary_->setText(QString("<b>%1</b> could not be read.").arg(QFileInfo(path_).fileName().toHtmlEscaped()));
    showError(r->error);
    emit loaded(false);
    return;
  }
  img_ = r->img;
  treeCache_.clear();
  analysis_ = std::move(r->analysis);
  comparison_.reset();
  const image::Image& img = *img_;
  QString refs = img.references.empty() ? QString() : " · " + q(img.references.front()).toHtmlEscaped();
  summary_->setText(QString("<b>%1</b>%2 — %3, %4 · %5 layers · <b>%6</b> uncompressed (%7 of files), %8 stored · %9 files · "
                            "efficiency <b>%10 %</b>, wasted %11")
                        .arg(QFileInfo(path_).fileName().toHtmlEscaped(), refs, q(image::formatName(img.format)),
                             q(img.platform.str()))
                        .arg(img.layers.size())
                        .arg(humanSize(img.totalSize()), humanSize(img.totalContentBytes()), humanSize(img.totalCompressedSize()))
                        .arg(img.tree.root().fileCount)
                        .arg(analysis_->efficiency * 100.0, 0, 'f', 1)
                        .arg(humanSize(analysis_->wastedBytes)));
  QStringList warnings;
  for (const auto& w : img.warnings) warnings << q(w.format());
  if (!warnings.isEmpty()) showError(warnings.join('\n'));
  layerModel_->setImage(img_);
  layer_ = -1;
  fillChart();
  fillWasted();
  fillFindings();
  fillComparison();
  busyLabel_->setText(QString("%1 layers read").arg(img.layers.size()));
  if (!img.layers.empty()) selectLayer(static_cast<int>(img.layers.size()) - 1);
  else treeModel_->setTrees(std::shared_ptr<const image::FileTree>(img_, &img_->tree), nullptr, -1);
  emit loaded(true);
  if (!project_.isEmpty()) startComparison();
}

void ImageWindow::selectLayer(int layer) {
  if (!img_ || layer < 0 || layer >= static_cast<int>(img_->layers.size())) return;
  layer_ = layer;
  auto cur = treeFor(layer);
  if (!cur) return;
  auto prev = layer > 0 ? treeFor(layer - 1) : nullptr;
  treeModel_->setTrees(cur, prev, layer);
  treeView_->sortByColumn(treeView_->header()->sortIndicatorSection(), treeView_->header()->sortIndicatorOrder());
  if (!filter_->text().trimmed().isEmpty() || proxy_->changesOnly()) treeView_->expandAll();
  else treeView_->expandToDepth(0);
  if (layerView_->currentIndex().row() != layer) layerView_->selectRow(layer);
  if (auto* c = chart_->chart())
    for (auto* s : c->series())
      if (auto* bars = qobject_cast<QBarSeries*>(s))
        for (auto* set : bars->barSets()) {
          set->deselectAllBars();
          set->selectBar(layer);
        }
  updateLayerDetails();
}

std::shared_ptr<const image::FileTree> ImageWindow::treeFor(int layer) {
  for (std::size_t i = 0; i < treeCache_.size(); ++i)
    if (treeCache_[i].first == layer) {
      auto hit = treeCache_[i];
      treeCache_.erase(treeCache_.begin() + static_cast<std::ptrdiff_t>(i));
      treeCache_.push_back(hit);
      return hit.second;
    }
  std::shared_ptr<const image::FileTree> t;
  if (layer == static_cast<int>(img_->layers.size()) - 1) {
    t = std::shared_ptr<const image::FileTree>(img_, &img_->tree);  // shares the image's ownership
  } else {
    auto r = image::treeAt(*img_, layer);
    if (!r) {
      showError(q(r.error().format()));
      return nullptr;
    }
    t = std::make_shared<const image::FileTree>(std::move(*r));
  }
  treeCache_.emplace_back(layer, t);
  if (treeCache_.size() > 4) treeCache_.erase(treeCache_.begin());
  return t;
}

void ImageWindow::updateLayerDetails() {
  if (!img_ || layer_ < 0) {
    layerDetails_->clear();
    return;
  }
  const image::Layer& l = img_->layers[std::size_t(layer_)];
  auto ch = [](const image::Changes& c) { return QString("%1 (%2)").arg(c.count).arg(humanSize(c.bytes)); };
  QString text = QString("Layer %1 of %2  %3 tar, %4 of files, %5 stored (%6)\n")
                     .arg(layer_ + 1)
                     .arg(img_->layers.size())
                     .arg(humanSize(l.size), humanSize(l.contentBytes), humanSize(l.compressedSize), q(l.compression));
  text += QString("added %1  changed %2  removed %3\n").arg(ch(l.added), ch(l.changed), ch(l.removed));
  text += q(l.digest) + "\n";
  if (!l.created.empty()) text += "created " + q(l.created) + "\n";
  text += "\n" + (l.createdBy.empty() ? QString("(no history entry)") : q(l.createdBy));
  if (!l.comment.empty()) text += "\n# " + q(l.comment);
  layerDetails_->setPlainText(text);
}

void ImageWindow::fillChart() {
  auto* chart = new QChart;
  chart->legend()->hide();
  chart->setMargins(QMargins(4, 4, 4, 4));
  if (img_ && !img_->layers.empty()) {
    quint64 max = 0;
    for (const auto& l : img_->layers) max = std::max<quint64>(max, l.size);
    double unit = 1;
    QString unitName = "B";
    if (max >= 1000ull * 1000 * 1000) unit = 1e9, unitName = "GB";
    else if (max >= 1000ull * 1000) unit = 1e6, unitName = "MB";
    else if (max >= 1000) unit = 1e3, unitName = "kB";
    // One layer (usually the base) often dwarfs the rest: a log scale keeps every layer visible.
    quint64 minNonZero = max;
    for (const auto& l : img_->layers)
      if (l.size > 0) minNonZero = std::min<quint64>(minNonZero, l.size);
    const bool logScale = minNonZero > 0 && max / std::max<quint64>(minNonZero, 1) >= 30;
    const double floor = logScale ? static_cast<double>(minNonZero) / unit / 2 : 0;
    auto* set = new QBarSet("Layer size");
    set->setColor(QColor("#4e79a7"));
    set->setSelectedColor(QColor("#f28e2b"));
    QStringList cats;
    for (const auto& l : img_->layers) {
      *set << std::max(static_cast<double>(l.size) / unit, floor);
      cats << QString::number(l.index + 1);
    }
    auto* series = new QBarSeries;
    series->append(set);
    series->setBarWidth(0.8);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(cats);
    x->setTitleText("layer (click to select)");
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    if (logScale) {
      auto* y = new QLogValueAxis;
      y->setTitleText(unitName + ", log");
      y->setLabelFormat("%g");
      y->setBase(10);
      y->setMinorTickCount(-1);
      y->setRange(floor, static_cast<double>(max) / unit * 1.5);
      chart->addAxis(y, Qt::AlignLeft);
      series->attachAxis(y);
    } else {
      auto* y = new QValueAxis;
      y->setTitleText(unitName);
      y->setLabelFormat("%g");
      y->setRange(0, static_cast<double>(max) / unit * 1.05);
      y->applyNiceNumbers();
      chart->addAxis(y, Qt::AlignLeft);
      series->attachAxis(y);
    }
    set->setLabelColor(palette().color(QPalette::Text));
    chart->setTitle(QString("Layer sizes (uncompressed tar, %1%2)").arg(unitName, logScale ? ", log scale" : ""));
    connect(set, &QBarSet::clicked, this, [this](int i) { selectLayer(i); });
  }
  QChart* old = chart_->chart();
  chart_->setChart(chart);
  delete old;
}

void ImageWindow::fillWasted() {
  wasted_->setSortingEnabled(false);
  wasted_->setRowCount(0);
  if (!analysis_) {
    wastedSummary_->clear();
    return;
  }
  const auto& a = *analysis_;
  // dive's "user wasted percent" is a ratio that can pass 100 %: say it also as a multiple of the user bytes.
  const QString times = a.userBytes > 0 ? QString(" = %1× the bytes of layers 2…n (%2)")
                                              .arg(a.wastedUserPercent, 0, 'f', a.wastedUserPercent >= 10 ? 1 : 2)
                                              .arg(humanSize(a.userBytes))
                                        : QString(" (no layers after the first)");
  wastedSummary_->setText(QString("Efficiency %1 % · wasted %2 (written more than once, or written then deleted) · "
                                  "user wasted %3 % as dive shows it%4 · %5 paths")
                              .arg(a.efficiency * 100.0, 0, 'f', 1)
                              .arg(humanSize(a.wastedBytes))
                              .arg(a.wastedUserPercent * 100.0, 0, 'f', 1)
                              .arg(times)
                              .arg(a.wasted.size()));
  wastedSummary_->setToolTip(
      QString("<p><b>Efficiency</b> (dive): the bytes the final image needs ÷ the bytes all layers store, over every path: "
      "100 % means no file is stored twice.</p>"
      "<p><b>Wasted</b>: the size of every path that two or more layers write, counted in each layer that writes it "
      "(a file rewritten, or written and deleted later).</p>"
      "<p><b>User wasted</b> (dive's <i>highestUserWastedPercent</i>): wasted ÷ the bytes of the layers after the "
      "first (the layers your Dockerfile adds over the base). It passes 100 % when the base layers' files that are "
      "rewritten or deleted weigh more than your own layers. Here: %1 % = %2 ÷ %3 = %4×.</p>")
          .arg(a.wastedUserPercent * 100.0, 0, 'f', 1)
          .arg(humanSize(a.wastedBytes), humanSize(a.userBytes))
          .arg(a.wastedUserPercent, 0, 'f', 2));
  const int n = static_cast<int>(std::min<std::size_t>(a.wasted.size(), 5000));
  wasted_->setRowCount(n);
  for (int r = 0; r < n; ++r) {
    const auto& w = a.wasted[std::size_t(r)];
    QStringList layers;
    for (int l : w.layers) layers << QString::number(l + 1);
    wasted_->setItem(r, 0, cell(q(w.path), q(w.path)));
    auto* count = new SortItem(QString::number(w.count), w.count);
    count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    wasted_->setItem(r, 1, count);
    wasted_->setItem(r, 2, sizeCell(w.bytes));
    wasted_->setItem(r, 3, cell(layers.join(", ")));
  }
  wasted_->setSortingEnabled(true);
  wasted_->sortByColumn(2, Qt::DescendingOrder);
}

void ImageWindow::fillFindings() {
  findings_->setSortingEnabled(false);
  findings_->setRowCount(0);
  if (!analysis_) return;
  const auto& fs = analysis_->findings;
  findings_->setRowCount(static_cast<int>(fs.size()));
  for (int r = 0; r < static_cast<int>(fs.size()); ++r) {
    const auto& f = fs[std::size_t(r)];
    QStringList paths;
    for (const auto& p : f.paths) paths << q(p);
    auto* sev = cell(q(severityName(f.severity)));
    sev->setForeground(QBrush(QColor(f.severity == Severity::Error ? "#c62828" : f.severity == Severity::Warning ? "#b26a00" : "#455a64")));
    findings_->setItem(r, 0, sev);
    findings_->setItem(r, 1, cell(q(f.title), q(f.id)));
    findings_->setItem(r, 2, sizeCell(f.bytes));
    findings_->setItem(r, 3, cell(paths.join(", "), paths.join('\n')));
    findings_->setItem(r, 4, cell(q(f.detail), q(f.detail)));
  }
  findings_->setColumnWidth(3, 260);
  findings_->setSortingEnabled(true);
}

void ImageWindow::setProject(const QString& projectDir) {
  project_ = projectDir;
  comparison_.reset();
  withheld_.reset();
  compareBanner_->hide();
  tabs_->setTabVisible(3, !project_.isEmpty());
  fillComparison();
  if (img_) startComparison();
}

void ImageWindow::startComparison() {
  if (!img_ || project_.isEmpty()) return;
  const quint64 gen = ++compareGen_;
  compareSummary_->setText(QString("Estimating %1 …").arg(project_.toHtmlEscaped()));
  setBusy("Estimating the project's Dockerfile…");
  std::shared_ptr<const image::Image> img = img_;
  const std::string project = project_.toStdString();
  auto* watcher = new QFutureWatcher<std::shared_ptr<CompareResult>>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, gen] {
    onCompared(watcher->result(), gen);
    watcher->deleteLater();
  });
  watcher->setFuture(QtConcurrent::run([img, project] {
    auto r = std::make_shared<CompareResult>();
    try {
      QString err;
      auto k = sharedKnowledge(&err);
      if (!k) {
        r->error = err;
        return r;
      }
      auto p = estimate::openProject(project);
      if (!p) {
        r->error = q(p.error().format());
        return r;
      }
      static std::mutex analyzing;  // one estimate at a time (windows share the knowledge)
      std::unique_lock lock(analyzing);
      auto a = estimate::analyze(*p, *k, {});
      lock.unlock();
      if (a.variants.empty()) {
        r->error = "the project's Dockerfile gave no estimate";
        return r;
      }
      const auto& v = a.variants.front();
      if (v.parseError) {
        r->error = q(v.parseError->format());
        return r;
      }
      r->dockerfile = q(p->dockerfilePath);
      for (const auto& u : v.estimate.unknowns) r->unknowns << q(u);
      r->comparison = image::compare(*img, v.estimate);
    } catch (const std::exception& e) {
      r->error = QString("estimate failed: %1").arg(e.what());
    }
    return r;
  }));
}

void ImageWindow::onCompared(const std::shared_ptr<CompareResult>& r, quint64 generation) {
  clearBusy();
  if (generation != compareGen_) return;
  if (!r->comparison) {
    comparison_.reset();
    fillComparison();
    compareSummary_->setText(QString("<span style='color:#8a1c1c'>Cannot compare with %1: %2</span>")
                                 .arg(project_.toHtmlEscaped(), r->error.toHtmlEscaped()));
    busyLabel_->setText("Comparison failed");
    emit comparisonReady(false);
    return;
  }
  comparedDockerfile_ = r->dockerfile;
  comparedUnknowns_ = r->unknowns;
  const HistoryMatch hm = historyMatch(*r->comparison);
  const QString measureText =
      QString("History match %1: the mean text similarity (0–1) of the Dockerfile's %2 own layer(s) (RUN/COPY/ADD) to the "
              "image history entries they align with (%3 aligned, unaligned count 0); comparing needs %4.")
          .arg(hm.share(), 0, 'f', 2)
          .arg(hm.ownLayers)
          .arg(hm.textMatched)
          .arg(kMinHistoryMatch, 0, 'f', 2);
  if (!hm.enough()) {
    // Not the image of this Dockerfile: withhold the numbers until the user decides.
    withheld_ = std::move(r->comparison);
    comparison_.reset();
    fillComparison();
    compareSummary_->setText(QString("<b>This image does not look built from %1.</b><br>%2")
                                 .arg(r->dockerfile.toHtmlEscaped(), measureText.toHtmlEscaped()));
    compareBannerText_->setText(hm.ownLayers == 0
                                    ? "The Dockerfile has no RUN/COPY/ADD of its own to check against the image's history."
                                    : QString("History match %1 (needed: %2): the image's history does not look like this "
                                              "Dockerfile, so a layer-by-layer comparison would compare unrelated layers.")
                                          .arg(hm.share(), 0, 'f', 2)
                                          .arg(kMinHistoryMatch, 0, 'f', 2));
    compareAnyway_->show();
    compareBanner_->show();
    busyLabel_->setText("Not compared: the history does not match the Dockerfile");
    emit comparisonReady(false);
    return;
  }
  compareBanner_->hide();
  comparison_ = std::move(r->comparison);
  fillComparison();
  showComparisonSummary();
  emit comparisonReady(true);
}

ImageWindow::HistoryMatch ImageWindow::historyMatch(const image::Comparison& c) {
  HistoryMatch m;
  for (const auto& r : c.rows) {
    if (r.estimateLayer < 0 || r.fromBase) continue;
    ++m.ownLayers;
    if (r.imageLayer >= 0 && r.match == "text") {
      ++m.textMatched;
      m.similaritySum += r.similarity;
    }
  }
  return m;
}

QString ImageWindow::compareBannerText() const { return compareBanner_->isHidden() ? QString() : compareBannerText_->text(); }

void ImageWindow::compareAnyway() {
  if (!withheld_) return;
  const HistoryMatch hm = historyMatch(*withheld_);
  comparison_ = std::move(withheld_);
  withheld_.reset();
  fillComparison();
  showComparisonSummary();
  compareBannerText_->setText(QString("<b>⚠ Compared anyway:</b> history match %1 (needed: %2). The image may not be built "
                                      "from this Dockerfile: the errors below may compare unrelated layers.")
                                  .arg(hm.share(), 0, 'f', 2)
                                  .arg(kMinHistoryMatch, 0, 'f', 2));
  compareAnyway_->hide();
  compareBanner_->show();
  emit comparisonReady(true);
}

void ImageWindow::showComparisonSummary() {
  const auto& c = *comparison_;
  const HistoryMatch hm = historyMatch(c);
  const bool partial = c.notEstimated > 0 || c.estimateTotal.open;
  QString s = QString("<b>%1</b> · measured = %2 · %3 layer(s) matched, %4 only in the image, %5 only in the estimate · "
                      "total: measured <b>%6</b>, estimated <b>%7</b> (%8), error <b>%9</b>")
                  .arg(comparedDockerfile_.toHtmlEscaped(),
                       c.measure == image::Measure::TarBytes ? QString("uncompressed layer tars") : QString("bytes of the files each layer writes"))
                  .arg(c.matched)
                  .arg(c.unmatchedImage)
                  .arg(c.unmatchedEstimate)
                  .arg(humanSize(c.measuredTotal), (partial ? "≥ " : "") + humanSize(c.estimateTotal.mid),
                       partial ? QString("no upper bound") : humanSize(c.estimateTotal.low) + " – " + humanSize(c.estimateTotal.high),
                       q(image::formatError(c.errorPercent)).toHtmlEscaped());
  if (c.notEstimated > 0)
    s += QString(" over the layers that were estimated (%1 measured, %2 estimated); %3 layer(s) not estimated (%4 measured) are left "
                 "out of it")
             .arg(humanSize(c.measuredCompared), humanSize(c.estimateCompared.mid))
             .arg(c.notEstimated)
             .arg(humanSize(c.measuredNotEstimated));
  QStringList notes;
  for (std::size_t i = 0; i + 1 < c.notes.size(); ++i) notes << q(c.notes[i]).toHtmlEscaped();  // the last one is the measure
  for (const auto& u : comparedUnknowns_) notes << "not estimated: " + u.toHtmlEscaped();
  notes.prepend(QString("history match %1 (needed %2): mean text similarity of the Dockerfile's %3 own layer(s) to the "
                        "history entries they align with")
                    .arg(hm.share(), 0, 'f', 2)
                    .arg(kMinHistoryMatch, 0, 'f', 2)
                    .arg(hm.ownLayers));
  s += "<br><small>" + notes.join("<br>") + "</small>";
  compareSummary_->setText(s);
  busyLabel_->setText(QString("Compared with %1").arg(comparedDockerfile_));
}

void ImageWindow::fillCompareChart() {
  auto* chart = new QChart;
  chart->setMargins(QMargins(4, 4, 4, 4));
  if (comparison_ && !comparison_->rows.empty()) {
    const auto& c = *comparison_;
    quint64 max = 0;
    for (const auto& r : c.rows) max = std::max<quint64>({max, r.measuredBytes, r.estimate.mid});
    double unit = 1;
    QString unitName = "B";
    if (max >= 1000ull * 1000 * 1000) unit = 1e9, unitName = "GB";
    else if (max >= 1000ull * 1000) unit = 1e6, unitName = "MB";
    else if (max >= 1000) unit = 1e3, unitName = "kB";
    auto* measured = new QBarSet("Measured");
    measured->setColor(QColor("#4e79a7"));
    auto* mid = new QBarSet("Estimate (mid)");
    mid->setColor(QColor("#b07aa1"));
    QStringList cats;
    bool anyNotEstimated = false;
    for (const auto& r : c.rows) {
      *measured << static_cast<double>(r.measuredBytes) / unit;
      *mid << static_cast<double>(r.estimate.mid) / unit;
      cats << (r.imageLayer >= 0 ? QString::number(r.imageLayer + 1) : QString("—")) +
                  (r.line > 0 ? QString(" (L%1)").arg(r.line) : QString()) + (r.notEstimated ? " ?" : "");
      anyNotEstimated = anyNotEstimated || r.notEstimated;
    }
    auto* series = new QBarSeries;
    series->append({measured, mid});
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(cats);
    x->setTitleText("image layer (Dockerfile line)");
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    auto* y = new QValueAxis;
    y->setTitleText(unitName);
    y->setLabelFormat("%g");
    y->setRange(0, static_cast<double>(std::max<quint64>(max, 1)) / unit * 1.05);
    y->applyNiceNumbers();
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    chart->setTitle(anyNotEstimated ? "Measured vs estimated, per layer (? = not estimated: no estimate bar)" : "Measured vs estimated, per layer");
    chart->legend()->setAlignment(Qt::AlignBottom);
  } else {
    chart->legend()->hide();
  }
  QChart* old = compareChart_->chart();
  compareChart_->setChart(chart);
  delete old;
}

void ImageWindow::fillComparison() {
  compare_->setRowCount(0);
  fillCompareChart();
  if (!comparison_) return;
  const auto& c = *comparison_;
  compare_->setRowCount(static_cast<int>(c.rows.size()) + 1);
  auto errorCell = [](const std::optional<double>& e, bool within) {
    auto* i = new SortItem(q(image::formatError(e)), e ? *e : 0.0);
    i->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    if (e) {
      QColor col = within ? QColor("#2e7d32") : std::fabs(*e) <= 50.0 ? QColor("#b26a00") : QColor("#c62828");
      i->setForeground(QBrush(col));
      i->setToolTip(within ? "measured size within the estimated range" : "measured size outside the estimated range");
    }
    return i;
  };
  auto range = [](const estimate::Range& r) {
    return r.open ? QString("≥ %1, no upper bound").arg(humanSize(r.low)) : QString("%1 – %2").arg(humanSize(r.low), humanSize(r.high));
  };
  // A layer the estimate has no figure for: no size, no range, no error (never "0 B" and "−100 %").
  const QString notEstimatedTip = "The estimate has no figure for this layer (see the notes above): it has no error, and the "
                                  "total's error leaves it out.";
  auto notEstimatedCell = [&](const QString& text) {
    auto* it = cell(text, notEstimatedTip);
    it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    it->setData(kSortRole, -1.0);
    return it;
  };
  for (int i = 0; i < static_cast<int>(c.rows.size()); ++i) {
    const auto& r = c.rows[std::size_t(i)];
    const bool img = r.imageLayer >= 0, est = r.estimateLayer >= 0;
    compare_->setItem(i, 0, cell(img ? QString::number(r.imageLayer + 1) : QString("—")));
    compare_->setItem(i, 1, cell(r.line > 0 ? QString::number(r.line) : r.fromBase ? QString("base") : QString()));
    QString instr = est ? oneLine(r.instruction) : "(image only) " + oneLine(r.createdBy);
    compare_->setItem(i, 2, cell(instr, QString("Dockerfile: %1\nImage history: %2\nsimilarity %3")
                                            .arg(est ? q(r.instruction) : QString("—"), img ? q(r.createdBy) : QString("—"))
                                            .arg(r.similarity, 0, 'f', 2)));
    compare_->setItem(i, 3, img ? sizeCell(r.measuredBytes) : cell("—"));
    if (r.notEstimated) {
      // What is known of it (a lower bound), else nothing at all.
      compare_->setItem(i, 4, notEstimatedCell(est && r.estimate.mid > 0 ? "≥ " + humanSize(r.estimate.mid) : QString("not estimated")));
      compare_->setItem(i, 5, notEstimatedCell(est && r.estimate.mid > 0 ? QString("no upper bound") : QString("—")));
      compare_->setItem(i, 6, notEstimatedCell("not estimated"));
    } else {
      compare_->setItem(i, 4, est ? sizeCell(r.estimate.mid) : cell("—"));
      compare_->setItem(i, 5, cell(est ? range(r.estimate) : QString()));
      compare_->setItem(i, 6, r.matched() ? errorCell(r.errorPercent, r.withinRange) : cell(img ? "not estimated" : "not in image"));
    }
    compare_->setItem(i, 7, cell(r.match.empty() ? QString("unmatched") : QString("%1 %2").arg(q(r.match)).arg(r.similarity, 0, 'f', 2),
                                 "how the layers were matched, and the similarity of the texts (0–1)"));
    if (!r.matched())
      for (int col = 0; col < compare_->columnCount(); ++col)
        if (auto* it = compare_->item(i, col)) it->setForeground(QBrush(QColor("#757575")));
  }
  const int t = static_cast<int>(c.rows.size());
  QFont bold = compare_->font();
  bold.setBold(true);
  compare_->setItem(t, 0, cell("Total"));
  compare_->setItem(t, 1, cell(""));
  QString totalText = QString("all layers (%1 matched: error %2)").arg(c.matched).arg(q(image::formatError(c.errorPercentMatched)));
  if (c.notEstimated > 0)
    totalText += QString("; the error leaves out %1 layer(s) not estimated (%2 measured)").arg(c.notEstimated).arg(humanSize(c.measuredNotEstimated));
  compare_->setItem(t, 2, cell(totalText, c.notEstimated > 0 ? QString("The total's error compares the %1 measured in the layers that were "
                                                                           "estimated with their estimate, %2.")
                                                                       .arg(humanSize(c.measuredCompared), humanSize(c.estimateCompared.mid))
                                                                 : QString()));
  compare_->setItem(t, 3, sizeCell(c.measuredTotal));
  if (c.notEstimated > 0 || c.estimateTotal.open) {
    auto* e = new SortItem("≥ " + humanSize(c.estimateTotal.mid), static_cast<double>(c.estimateTotal.mid));
    e->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    e->setToolTip("A lower bound: part of the image was not estimated");
    compare_->setItem(t, 4, e);
    compare_->setItem(t, 5, cell(QString("≥ %1, no upper bound").arg(humanSize(c.estimateTotal.low))));
  } else {
    compare_->setItem(t, 4, sizeCell(c.estimateTotal.mid));
    compare_->setItem(t, 5, cell(range(c.estimateTotal)));
  }
  auto* totalError = errorCell(c.errorPercent, c.withinRange);
  if (c.notEstimated > 0)
    totalError->setToolTip(QString("Over the layers that were estimated: %1 measured against %2 estimated. %3 layer(s) not estimated "
                                   "(%4 measured) are left out.")
                               .arg(humanSize(c.measuredCompared), humanSize(c.estimateCompared.mid))
                               .arg(c.notEstimated)
                               .arg(humanSize(c.measuredNotEstimated)));
  compare_->setItem(t, 6, totalError);
  compare_->setItem(t, 7, cell(""));
  for (int col = 0; col < compare_->columnCount(); ++col)
    if (auto* it = compare_->item(t, col)) it->setFont(bold);
}

}  // namespace slimbench::ui
