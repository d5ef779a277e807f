#pragma once
// The workbench main window. It only wires: the project document (ProjectDocument: paths,
// edits, settings, the analysis and the selection) and the panes that show it — the editors
// and the Problems list (left), the variants chart and comparison table, the details of the
// selected variant (right), the settings toolbars — plus the menus, the status bar and the
// dialogs. The panes talk to the document, never to each other.
#include <QMainWindow>
#include <QMessageBox>
#include <QString>
#include <functional>
#include <memory>

#include "projectdocument.h"

class QAction;
class QChartView;
class QLabel;
class QMenu;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTreeWidget;

namespace slimbench::ui {

class CodeEditor;
class DetailsPane;
class EditorsPane;
class InputsToolBar;
class PresenterMode;
class ProblemsPane;
class SettingsToolBar;
class TourPanel;
class VariantChart;
class VariantsPane;
class WelcomePage;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  ProjectDocument* document() const { return doc_; }
  EditorsPane* editorsPane() const { return editors_; }
  ProblemsPane* problemsPane() const { return problems_; }
  VariantsPane* variantsPane() const { return variants_; }
  DetailsPane* detailsPane() const { return details_; }
  SettingsToolBar* settingsToolBar() const { return settingsBar_; }
  InputsToolBar* inputsToolBar() const { return inputsBar_; }
  // The workshop tour (Help ▸ Workshop Tour): a dock that drives the document step by step.
  TourPanel* tourPanel() const { return tour_; }
  // Starts a tour file (empty: the bundled one) from a bundled example (empty: the tour's own);
  // false with the reason in the message bar.
  bool startTour(const QString& file = {}, const QString& example = {}, int step = 0);

  // Opens a project folder, a Dockerfile, or a requirements/pyproject file (its folder).
  // Returns false and shows the reason when it cannot be read. Analysis runs in the background.
  bool openPath(const QString& path) { return doc_->openPath(path); }
  // Opens a bundled example project (copied from the executable into a temporary folder). The copy
  // is never saved in place: the first save copies the whole project to a folder the user chooses
  // (saveExampleAs) and the window switches to it.
  bool openBundledExample(const QString& name = "flask-app") { return doc_->openBundledExample(name); }
  QStringList bundledExamples() const { return ProjectDocument::bundledExamples(); }
  // Closes the project (asking to save unsaved edits; false when the user cancels) and shows the
  // welcome page: no project, no title, project actions disabled.
  bool showWelcome();
  bool saveExampleAs() { return doc_->saveExampleAs(); }
  bool saveAll() { return doc_->saveAll(); }

  // Asks for a path: kind "folder" (an existing folder) or "save" (a file to write). Tests replace it.
  using PathChooser = ProjectDocument::PathChooser;
  void setPathChooser(PathChooser c);
  // Asks the user a question; returns the button pressed. Tests replace it.
  using Asker = ProjectDocument::Asker;
  void setAsker(Asker a) { doc_->setAsker(std::move(a)); }
  // Where file dialogs start: the last folder the user opened or saved to, else the home folder.
  QString startFolder() const { return doc_->startFolder(); }
  bool hasProject() const { return doc_->hasProject(); }
  bool isExample() const { return doc_->isExample(); }
  QString projectDir() const { return doc_->projectDir(); }
  QString dockerfilePath() const { return doc_->dockerfilePath(); }
  std::shared_ptr<const estimate::Analysis> analysis() const { return doc_->analysis(); }
  // Waits (processing events) until no analysis is pending or running.
  bool waitForAnalysis(int timeoutMs = 20000) { return doc_->waitForAnalysis(timeoutMs); }

  // The message bar above the panes (failed opens); empty when hidden.
  QString messageText() const;
  QString statusText() const;
  // A menu action by its object name (saveAction, saveAsAction, exportAction, copyAction, exportChartAction, reanalyseAction).
  QAction* action(const QString& objectName) const;
  // Grabs the window into a PNG file.
  bool saveScreenshot(const QString& file);

  // Selection (a variant by id, a layer by index) and export; also used by the menus.
  bool selectVariant(const QString& id);
  QString selectedVariantId() const { return doc_->variantId(doc_->selectedVariant()); }
  void selectLayer(int variant, int layer) { doc_->select(variant, layer); }
  bool exportDockerfile(const QString& variantId, const QString& path, bool withDockerignore) {
    return doc_->exportDockerfile(variantId, path, withDockerignore);
  }
  bool exportChart(const QString& path, QSize size);

  // View settings.
  void setCompressed(bool on);
  void setZoom(double factor);
  double zoom() const { return zoom_; }
  void setDarkPalette(bool dark);
  bool isDarkPalette() const { return dark_; }
  // View ▸ Presenter Mode (F5; Esc leaves): full screen, large fonts, high contrast.
  PresenterMode* presenterMode() const { return presenter_; }
  void setArch(const QString& arch);  // amd64 | arm64: re-analyses

  // The panes' views, for tests.
  QTreeWidget* structureTree() const;
  QChartView* chartView() const;
  VariantChart* variantChart() const;
  QStringList variantIds() const;  // the variants shown, top to bottom
  QList<double> variantTotalsMB() const;
  QTableView* variantTable() const;
  QTableView* layerView() const;
  QTableView* packageView() const;
  QTableView* findingView() const;
  QTreeWidget* problemsList() const;
  CodeEditor* dockerfileEditor() const;
  CodeEditor* requirementsEditor() const;
  QString detailsSummary() const;

 protected:
  void closeEvent(QCloseEvent* e) override;
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;
  void changeEvent(QEvent* e) override;

 private:
  void buildUi();
  void buildActions();
  void connectDocument();
  void updateStatus();
  void updateTitle();
  void updateActions();
  void updateBusy();
  void showMessage(const QString& text);
  void exportDockerfileDialog();
  void exportChartDialog();
  void copyDockerfile();
  void openProjectDialog();
  void openFileDialog();
  void openImageDialog();
  void rebuildRecentMenu();
  void applyHiddenVariants();
  void applyFonts();

  ProjectDocument* doc_ = nullptr;
  PathChooser chooser_;  // also used for the chart export
  double zoom_ = 1.0;
  bool dark_ = false;
  bool compressed_ = false;
  QList<QAction*> projectActions_;   // need a project
  QList<QAction*> analysisActions_;  // need an analysis of it

  QLabel* messageBar_ = nullptr;
  QStackedWidget* stack_ = nullptr;
  WelcomePage* welcome_ = nullptr;
  QSplitter* mainSplit_ = nullptr;
  EditorsPane* editors_ = nullptr;
  ProblemsPane* problems_ = nullptr;
  VariantsPane* variants_ = nullptr;
  DetailsPane* details_ = nullptr;
  SettingsToolBar* settingsBar_ = nullptr;
  InputsToolBar* inputsBar_ = nullptr;
  TourPanel* tour_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* busy_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QList<QAction*> variantActions_;
  QAction* compressedAction_ = nullptr;
  QAction* darkAction_ = nullptr;
  PresenterMode* presenter_ = nullptr;
};

}  // namespace slimbench::ui
