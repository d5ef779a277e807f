#include "mainwindow.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QFileInfo>
#include <QHorizontalStackedBarSeries>
#include <QValueAxis>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QTreeWidget>

#include "dockerfile/model.h"
#include "estimate/analysis.h"
#include "dockerfile/syntax.h"
#include "embedded_resources.h"
#include "util/files.h"

namespace slimbench::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("slimbench");
  auto* outer = new QSplitter(Qt::Vertical, this);
  chart_ = new QChartView(outer);
  chart_->setRenderHint(QPainter::Antialiasing);
  chart_->setMinimumHeight(320);
  auto* split = new QSplitter(outer);
  editor_ = new QPlainTextEdit(split);
  editor_->setReadOnly(true);
  editor_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  tree_ = new QTreeWidget(split);
  tree_->setHeaderLabels({"Stage / instruction", "Line", "Layer"});
  tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  split->addWidget(editor_);
  split->addWidget(tree_);
  outer->addWidget(chart_);
  outer->addWidget(split);
  outer->setStretchFactor(0, 3);
  outer->setStretchFactor(1, 2);
  setCentralWidget(outer);
  status_ = new QLabel(this);
  statusBar()->addWidget(status_, 1);
  resize(1280, 800);
}

QString MainWindow::statusText() const { return status_->text(); }

bool MainWindow::openPath(const QString& path) {
  QFileInfo fi(path);
  QString file = fi.isDir() ? fi.filePath() + "/Dockerfile" : fi.filePath();
  auto r = readTextFile(file.toStdString());
  if (!r) {
    status_->setText(QString::fromStdString(r.error().format()));
    return false;
  }
  showDockerfile(file, QString::fromStdString(*r));
  showAnalysis(fi.isDir() ? fi.filePath() : file);
  return true;
}

void MainWindow::showAnalysis(const QString& projectPath) {
  auto project = estimate::openProject(projectPath.toStdString());
  if (!project) return;
  static std::shared_ptr<estimate::Knowledge> knowledge;
  if (!knowledge) {
    auto k = estimate::loadKnowledge([](std::string_view p) { return resources::find(p); });
    if (!k) {
      status_->setText(QString::fromStdString(k.error().format()));
      return;
    }
    knowledge = *k;
  }
  auto analysis = estimate::analyze(*project, *knowledge, {});
  using estimate::Category;
  const Category cats[] = {Category::OsBase, Category::PythonRuntime, Category::SystemPackages, Category::BuildTools,
                           Category::PythonPackages, Category::Caches, Category::AppCode, Category::WheelsCopied, Category::Other};
  const char* colours[] = {"#4e79a7", "#59a14f", "#f28e2b", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"};
  auto* series = new QHorizontalStackedBarSeries;
  QStringList labels;
  variantIds_.clear();
  variantTotals_.clear();
  std::vector<QBarSet*> sets;
  for (std::size_t c = 0; c < std::size(cats); ++c) {
    auto* set = new QBarSet(estimate::categoryTitle(cats[c]));
    set->setColor(QColor(colours[c]));
    sets.push_back(set);
  }
  for (auto it = analysis.variants.rbegin(); it != analysis.variants.rend(); ++it) {
    const auto& v = *it;
    double total = 0;
    for (std::size_t c = 0; c < std::size(cats); ++c) {
      double mb = 0;
      for (const auto& l : v.estimate.layers)
        if (l.category == cats[c]) mb += static_cast<double>(l.disk.mid) / 1e6;
      *sets[c] << mb;
      total += mb;
    }
    labels << QString("%1\n%2 MB").arg(generate::variantTitle(v.kind)).arg(total, 0, 'f', 0);
    variantIds_.prepend(generate::variantId(v.kind));
    variantTotals_.prepend(total);
  }
  for (auto* set : sets) series->append(set);
  auto* chart = new QChart;
  chart->addSeries(series);
  chart->setTitle(QString("Estimated image size on disk by variant (Python %1, %2) — before building")
                      .arg(QString::fromStdString(analysis.pythonVersion), QString::fromStdString(analysis.settings.arch)));
  auto* y = new QBarCategoryAxis;
  y->append(labels);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(y);
  auto* x = new QValueAxis;
  x->setTitleText("MB on disk");
  x->setLabelFormat("%.0f");
  chart->addAxis(x, Qt::AlignBottom);
  series->attachAxis(x);
  chart->legend()->setAlignment(Qt::AlignBottom);
  QChart* old = chart_->chart();
  chart_->setChart(chart);
  delete old;
  status_->setText(status_->text() + "  ·  " + QString::fromStdString(analysis.dataNote));
}

void MainWindow::openBundledExample() {
  auto text = resources::find("examples/flask-app/Dockerfile");
  if (!text) {
    status_->setText("No bundled example found in this build.");
    return;
  }
  showDockerfile("examples/flask-app/Dockerfile", QString::fromUtf8(text->data(), static_cast<int>(text->size())));
  // The analysis needs the project's files: use the source tree's copy when it is there.
  const QString src = QStringLiteral(SLIMBENCH_EXAMPLES_DIR "/flask-app");
  if (QFileInfo(src).isDir()) showAnalysis(src);
}

void MainWindow::showDockerfile(const QString& name, const QString& text) {
  editor_->setPlainText(text);
  tree_->clear();
  setWindowTitle(name + " — slimbench");
  auto tree = dockerfile::parse(text.toStdString(), name.toStdString());
  if (!tree) {
    status_->setText(QString::fromStdString(tree.error().format()));
    return;
  }
  auto model = dockerfile::buildModel(*tree, name.toStdString(), {});
  int layers = 0;
  for (const auto& st : model.stages) {
    auto* s = new QTreeWidgetItem(tree_);
    s->setText(0, QString("Stage %1%2: FROM %3%4")
                      .arg(st.index)
                      .arg(st.name.empty() ? QString() : " \"" + QString::fromStdString(st.name) + "\"")
                      .arg(QString::fromStdString(st.baseImage))
                      .arg(st.index == model.finalStage ? "  (final)" : ""));
    s->setText(1, QString::number(st.line));
    for (const auto& step : st.steps) {
      if (step.kind == dockerfile::Kind::From) continue;
      auto* i = new QTreeWidgetItem(s);
      i->setText(0, QString::fromStdString(step.original).left(120));
      i->setText(1, QString::number(step.startLine));
      if (step.createsLayer) {
        i->setText(2, "layer");
        ++layers;
      }
    }
    s->setExpanded(true);
  }
  status_->setText(QString("%1 stage(s), %2 layer-creating instruction(s), %3 problem(s)")
                       .arg(model.stages.size())
                       .arg(layers)
                       .arg(model.diagnostics.size()));
}

bool MainWindow::saveScreenshot(const QString& file) { return grab().save(file, "PNG"); }

}  // namespace slimbench::ui
