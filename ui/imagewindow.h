#pragma once
// A window onto one saved image (docker save / podman save archives, OCI layouts),
// like dive: the layer list with a size chart, the file tree at the selected layer
// with its changes marked (sortable, filterable), the wasted space, the findings,
// and — with a project set — the image compared layer by layer with the estimate
// of the project's Dockerfile. Images load on a worker thread; errors show in the
// window.
//
//   auto* w = new slimbench::ui::ImageWindow(parent);
//   w->openImage(path);          // starts loading; false when it cannot start
//   w->setProject(projectDir);   // optional: "Compare with estimate"
//   w->show();
#include <QMainWindow>

#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "image/analyze.h"
#include "image/compare.h"
#include "image/image.h"

class QCheckBox;
class QChartView;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTableWidget;
class QTabWidget;
class QTreeView;

namespace slimbench::ui {

class FileFilterProxy;
class FileTreeModel;
class LayerTableModel;

class ImageWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit ImageWindow(QWidget* parent = nullptr);
  ~ImageWindow() override;

  // Starts reading the image on a worker thread. False (and the error shown) when the path does
  // not exist; a file that turns out unreadable reports through errorText() and loaded(false).
  bool openImage(const QString& path);
  // The project (folder or Dockerfile) the image was built from: adds "Compare with estimate".
  void setProject(const QString& projectDir);

  // The layer whose tree is shown (0-based); the last layer after loading.
  void selectLayer(int layer);
  int currentLayer() const { return layer_; }

  bool isBusy() const;
  QString errorText() const;
  std::shared_ptr<const image::Image> image() const { return img_; }
  const image::Analysis* analysis() const { return analysis_ ? &*analysis_ : nullptr; }
  const image::Comparison* comparison() const { return comparison_ ? &*comparison_ : nullptr; }

  // Whether the image was built from the project's Dockerfile: the history match is the mean, over
  // the Dockerfile's own layers (the final stage's RUN/COPY/ADD), of the text similarity
  // (image::instructionSimilarity, 0..1) to the image history entry the alignment matched it with,
  // 0 for a layer matched to none. Below kMinHistoryMatch the comparison is withheld until the
  // user picks another Dockerfile or chooses "Compare anyway".
  static constexpr double kMinHistoryMatch = 0.5;
  struct HistoryMatch {
    int ownLayers = 0;         // the Dockerfile's own layers
    int textMatched = 0;       // of them, matched to a history entry by text
    double similaritySum = 0;  // of the matched ones
    double share() const { return ownLayers > 0 ? similaritySum / ownLayers : 0.0; }
    bool enough() const { return ownLayers > 0 && share() >= kMinHistoryMatch; }
  };
  static HistoryMatch historyMatch(const image::Comparison& c);
  // The banner above the comparison ("" when hidden): a mismatch, or the warning of "Compare anyway".
  QString compareBannerText() const;
  // Shows a withheld comparison with a warning banner (the "Compare anyway" button).
  void compareAnyway();
  // Picks the Dockerfile to compare with (tests replace the file dialog).
  void setDockerfileChooser(std::function<QString()> c) { dockerfileChooser_ = std::move(c); }

  // For tests and screenshots.
  LayerTableModel* layerModel() const { return layerModel_; }
  FileTreeModel* treeModel() const { return treeModel_; }
  FileFilterProxy* treeProxy() const { return proxy_; }
  QTreeView* treeView() const { return treeView_; }
  QLineEdit* filterEdit() const { return filter_; }
  QCheckBox* changesOnlyBox() const { return changesOnly_; }
  QTableView* layerView() const { return layerView_; }
  QTableWidget* wastedTable() const { return wasted_; }
  QTableWidget* findingsTable() const { return findings_; }
  QTableWidget* compareTable() const { return compare_; }
  QTabWidget* tabs() const { return tabs_; }
  QChartView* chartView() const { return chart_; }

 signals:
  void loaded(bool ok);
  void comparisonReady(bool ok);

 private:
  struct LoadResult;
  struct CompareResult;
  void onLoaded(const std::shared_ptr<LoadResult>& r, quint64 generation);
  void onCompared(const std::shared_ptr<CompareResult>& r, quint64 generation);
  void startComparison();
  void showError(const QString& text);
  void setBusy(const QString& what);
  void clearBusy();
  void fillChart();
  void fillWasted();
  void fillFindings();
  void fillComparison();
  void fillCompareChart();
  void updateLayerDetails();
  void chooseImage();
  // The tree after `layer`, from a small cache (treeAt re-merges the layers below).
  std::shared_ptr<const image::FileTree> treeFor(int layer);
  void chooseProject();

  QLabel* summary_ = nullptr;
  QLabel* error_ = nullptr;
  QTableView* layerView_ = nullptr;
  LayerTableModel* layerModel_ = nullptr;
  QChartView* chart_ = nullptr;
  QPlainTextEdit* layerDetails_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  QLineEdit* filter_ = nullptr;
  QCheckBox* changesOnly_ = nullptr;
  QTreeView* treeView_ = nullptr;
  FileTreeModel* treeModel_ = nullptr;
  FileFilterProxy* proxy_ = nullptr;
  QLabel* wastedSummary_ = nullptr;
  QTableWidget* wasted_ = nullptr;
  QTableWidget* findings_ = nullptr;
  QWidget* comparePage_ = nullptr;
  QLabel* compareSummary_ = nullptr;
  QWidget* compareBanner_ = nullptr;
  QLabel* compareBannerText_ = nullptr;
  QPushButton* compareAnyway_ = nullptr;
  std::optional<image::Comparison> withheld_;  // a comparison whose history does not match
  QString comparedDockerfile_;
  QStringList comparedUnknowns_;
  std::function<QString()> dockerfileChooser_;
  void showComparisonSummary();
  QTableWidget* compare_ = nullptr;
  QChartView* compareChart_ = nullptr;
  QLabel* busyLabel_ = nullptr;
  QProgressBar* busy_ = nullptr;

  QString path_, project_;
  std::shared_ptr<const image::Image> img_;
  std::optional<image::Analysis> analysis_;
  std::optional<image::Comparison> comparison_;
  int layer_ = -1;
  std::vector<std::pair<int, std::shared_ptr<const image::FileTree>>> treeCache_;  // most recent last
  int pending_ = 0;            // worker jobs in flight
  quint64 loadGen_ = 0, compareGen_ = 0;
};

}  // namespace slimbench::ui
