#pragma once
// The details of the selected variant: a summary (sizes, build times, what is unknown and why it
// is big), then tabs with its layers, packages, findings, generated Dockerfile and its diff
// against yours. Follows the document's selection; selecting a layer row selects it in the
// document (and so in the chart).
#include <QWidget>

#include "models.h"

class QLabel;
class QScrollArea;
class QTabWidget;
class QTableView;
class QTextBrowser;

namespace slimbench::ui {

class CodeEditor;
class DockerfileHighlighter;
class ProjectDocument;

class DetailsPane : public QWidget {
  Q_OBJECT
 public:
  explicit DetailsPane(ProjectDocument* doc, QWidget* parent = nullptr);

  enum Tab { Layers, Packages, Findings, Dockerfile, Diff };
  void showTab(int tab);
  QTabWidget* tabs() const { return tabs_; }
  QTableView* layerView() const { return layers_; }
  QTableView* packageView() const { return packages_; }
  QTableView* findingView() const { return findings_; }
  CodeEditor* generatedEditor() const { return generated_; }
  QTextBrowser* diffView() const { return diff_; }
  QString summary() const;

  void setCompressed(bool on);
  void setDark(bool dark);
  void applyFonts(const QFont& f, const QFont& mono);

 signals:
  // A line of the user's Dockerfile: shown when its layer is selected, opened when its finding is activated.
  void dockerfileLineShown(int line);
  void dockerfileLineRequested(int line);

 private:
  void refresh(bool force = false);  // the selected variant's details, when they changed
  void showSelection(int variant, int layer);
  void clear();
  void fitSummary();
  void resizeEvent(QResizeEvent* e) override;

  ProjectDocument* doc_;
  QLabel* summary_ = nullptr;
  QScrollArea* summaryScroll_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  QTableView* layers_ = nullptr;
  LayerModel* layerModel_ = nullptr;
  QTableView* packages_ = nullptr;
  PackageModel* packageModel_ = nullptr;
  QTableView* findings_ = nullptr;
  FindingModel* findingModel_ = nullptr;
  QTextBrowser* findingText_ = nullptr;
  CodeEditor* generated_ = nullptr;
  DockerfileHighlighter* genHighlighter_ = nullptr;
  QTextBrowser* diff_ = nullptr;
  bool compressed_ = false;
  bool dark_ = false;
  bool syncing_ = false;
  AnalysisPtr shown_;  // the analysis and variant the tabs show
  int shownVariant_ = -1;
};

}  // namespace slimbench::ui
