#pragma once
// The workbench main window.
#include <QMainWindow>
#include <QString>

class QPlainTextEdit;
class QTreeWidget;
class QLabel;
class QChartView;

namespace slimbench::ui {

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  // Opens a project folder (its Dockerfile) or a Dockerfile. Returns false and
  // shows the reason when it cannot be read.
  bool openPath(const QString& path);
  // Opens the first bundled example project (embedded in the executable).
  void openBundledExample();
  // Grabs the window into a PNG file.
  bool saveScreenshot(const QString& file);

  // For tests: the stage/instruction tree.
  QTreeWidget* structureTree() const { return tree_; }
  QString statusText() const;
  // For tests: one stacked bar per variant; totals in MB per variant id.
  QChartView* chartView() const { return chart_; }
  QStringList variantIds() const { return variantIds_; }
  QList<double> variantTotalsMB() const { return variantTotals_; }

 private:
  void showDockerfile(const QString& name, const QString& text);
  void showAnalysis(const QString& projectPath);

  QPlainTextEdit* editor_ = nullptr;
  QTreeWidget* tree_ = nullptr;
  QLabel* status_ = nullptr;
  QChartView* chart_ = nullptr;
  QStringList variantIds_;
  QList<double> variantTotals_;
};

}  // namespace slimbench::ui
