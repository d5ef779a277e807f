#include "mainwindow.h"

#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QTreeWidget>

#include "dockerfile/model.h"
#include "dockerfile/syntax.h"
#include "embedded_resources.h"
#include "util/files.h"

namespace slimbench::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("slimbench");
  auto* split = new QSplitter(this);
  editor_ = new QPlainTextEdit(split);
  editor_->setReadOnly(true);
  editor_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  tree_ = new QTreeWidget(split);
  tree_->setHeaderLabels({"Stage / instruction", "Line", "Layer"});
  tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  split->addWidget(editor_);
  split->addWidget(tree_);
  setCentralWidget(split);
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
  return true;
}

void MainWindow::openBundledExample() {
  auto text = resources::find("examples/flask-app/Dockerfile");
  if (!text) {
    status_->setText("No bundled example found in this build.");
    return;
  }
  showDockerfile("examples/flask-app/Dockerfile", QString::fromUtf8(text->data(), static_cast<int>(text->size())));
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
