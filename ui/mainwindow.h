#pragma once
// The workbench main window: editors for the Dockerfile and requirements (left),
// the variants chart, the comparison table and the details of the selected
// variant (right). Analysis runs on a worker thread, debounced after edits.
#include <QFutureWatcher>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <functional>
#include <map>
#include <memory>

#include "estimate/analysis.h"
#include "models.h"

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QMenu;
class QSpinBox;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTemporaryDir;
class QTextBrowser;
class QTreeWidget;
class QChartView;

namespace slimbench::ui {

class CodeEditor;
class DockerfileHighlighter;
class RequirementsHighlighter;
class VariantChart;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens a project folder, a Dockerfile, or a requirements/pyproject file (its folder).
  // Returns false and shows the reason when it cannot be read. Analysis runs in the background.
  bool openPath(const QString& path);
  // Opens a bundled example project (copied from the executable into a temporary folder). The copy
  // is never saved in place: the first save copies the whole project to a folder the user chooses
  // (saveExampleAs) and the window switches to it.
  bool openBundledExample(const QString& name = "flask-app");
  QStringList bundledExamples() const;
  // Closes the project (asking to save unsaved edits; false when the user cancels) and shows the
  // welcome page: no project, no title, project actions disabled.
  bool showWelcome();
  // Copies the open example to a folder the user chooses, writes the edits there and switches to it.
  bool saveExampleAs();

  // Asks for a path: kind "folder" (an existing folder) or "save" (a file to write). Tests replace it.
  using PathChooser = std::function<QString(const QString& kind, const QString& title, const QString& start)>;
  void setPathChooser(PathChooser c) { chooser_ = std::move(c); }
  // Where file dialogs start: the last folder the user opened or saved to (kept in the settings),
  // else the home folder; never the temporary copy of an example.
  QString startFolder() const;
  bool hasProject() const { return !project_.dir.empty(); }
  bool isExample() const { return isExample_; }
  QString projectDir() const { return QString::fromStdString(project_.dir); }
  // The message bar above the panes (failed opens); empty when hidden.
  QString messageText() const;
  // A menu action by its object name (saveAction, saveAsAction, exportAction, copyAction, exportChartAction, reanalyseAction).
  QAction* action(const QString& objectName) const;
  // Waits (processing events) until no analysis is pending or running.
  bool waitForAnalysis(int timeoutMs = 20000);
  // Grabs the window into a PNG file.
  bool saveScreenshot(const QString& file);

  // Asks the user a question; returns the button pressed. Tests replace it.
  using Asker = std::function<QMessageBox::StandardButton(const QString& text, QMessageBox::StandardButtons buttons)>;
  void setAsker(Asker a) { asker_ = std::move(a); }

  // Selection and export (also used by the menus).
  bool selectVariant(const QString& id);
  QString selectedVariantId() const;
  void selectLayer(int variant, int layer);
  bool exportDockerfile(const QString& variantId, const QString& path, bool withDockerignore);
  bool exportChart(const QString& path, QSize size);
  bool saveAll();
  void setCompressed(bool on);
  void setZoom(double factor);
  double zoom() const { return zoom_; }
  void setDarkPalette(bool dark);
  void setArch(const QString& arch);  // amd64 | arm64: re-analyses

  // For tests.
  QTreeWidget* structureTree() const { return tree_; }
  QString statusText() const;
  QChartView* chartView() const;
  VariantChart* variantChart() const { return chart_; }
  QStringList variantIds() const;
  QList<double> variantTotalsMB() const;
  QTableView* variantTable() const { return table_; }
  QTableView* layerView() const { return layers_; }
  QTableView* packageView() const { return packages_; }
  QTableView* findingView() const { return findings_; }
  QTreeWidget* problemsList() const { return problems_; }
  CodeEditor* dockerfileEditor() const { return dfEditor_; }
  CodeEditor* requirementsEditor() const { return reqEditor_; }
  QString detailsSummary() const;
  std::shared_ptr<const estimate::Analysis> analysis() const { return analysis_; }
  QString dockerfilePath() const { return dockerfilePath_; }

 protected:
  void closeEvent(QCloseEvent* e) override;
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;
  void changeEvent(QEvent* e) override;

 private:
  void buildUi();
  void buildActions();
  QWidget* buildWelcome();
  void rebuildWelcome();
  void scheduleAnalysis(int delayMs);
  void startAnalysis();
  void analysisFinished();
  void applyAnalysis();
  void showDetails();
  void updateProblems();
  void updateStructure();
  void updateStatus();
  void updateTitle();
  void updateActions();
  void closeProject();
  void showMessage(const QString& text);
  void rememberFolder(const QString& dir);
  QString choosePath(const QString& kind, const QString& title, const QString& start);
  QString relativeLocation(const SourceLocation& where) const;
  void checkRequirements();
  bool maybeSave();
  bool saveDockerfile(const QString& path);
  bool saveRequirements();
  void exportDockerfileDialog();
  void exportChartDialog();
  void copyDockerfile();
  void openProjectDialog();
  void openFileDialog();
  void openImageDialog();
  void addRecent(const QString& path);
  void rebuildRecentMenu();
  void applyFonts();
  QList<int> shownVariants() const;
  QMessageBox::StandardButton ask(const QString& text, QMessageBox::StandardButtons buttons);
  int variantIndex(const QString& id) const;

  std::shared_ptr<estimate::Knowledge> knowledge_;
  QString knowledgeError_;
  estimate::Project project_;
  QString dockerfilePath_, requirementsPath_;
  QStringList projectFiles_;
  std::shared_ptr<const estimate::Analysis> analysis_;
  QFutureWatcher<std::shared_ptr<const estimate::Analysis>>* watcher_ = nullptr;
  bool pending_ = false;
  int generation_ = 0, runningGeneration_ = -1;
  QTimer debounce_;
  QTimer reqTimer_;
  std::vector<Diagnostic> reqErrors_;
  std::map<std::string, std::string> ruleOverrides_;
  std::unique_ptr<QTemporaryDir> exampleDir_;
  int selectedVariant_ = 0;
  int selectedLayer_ = -1;
  bool compressed_ = false;
  double zoom_ = 1.0;
  double basePointSize_ = 10;
  bool dark_ = false;
  bool loading_ = false;
  Asker asker_;
  PathChooser chooser_;
  bool isExample_ = false;
  QString exampleName_;
  QList<QAction*> projectActions_;   // need a project
  QList<QAction*> analysisActions_;  // need an analysis of it
  QLabel* messageBar_ = nullptr;

  QStackedWidget* stack_ = nullptr;
  QWidget* welcome_ = nullptr;
  QWidget* welcomeList_ = nullptr;
  QSplitter* mainSplit_ = nullptr;
  QTabWidget* editorTabs_ = nullptr;
  CodeEditor* dfEditor_ = nullptr;
  CodeEditor* reqEditor_ = nullptr;
  DockerfileHighlighter* dfHighlighter_ = nullptr;
  RequirementsHighlighter* reqHighlighter_ = nullptr;
  DockerfileHighlighter* genHighlighter_ = nullptr;
  QTreeWidget* tree_ = nullptr;
  QTreeWidget* problems_ = nullptr;
  QLabel* projectLabel_ = nullptr;
  VariantChart* chart_ = nullptr;
  QTableView* table_ = nullptr;
  VariantTableModel* tableModel_ = nullptr;
  QLabel* summary_ = nullptr;
  QTabWidget* detailTabs_ = nullptr;
  QTableView* layers_ = nullptr;
  LayerModel* layerModel_ = nullptr;
  QTableView* packages_ = nullptr;
  PackageModel* packageModel_ = nullptr;
  QTableView* findings_ = nullptr;
  FindingModel* findingModel_ = nullptr;
  QTextBrowser* findingText_ = nullptr;
  CodeEditor* generated_ = nullptr;
  QTextBrowser* diff_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* busy_ = nullptr;
  QComboBox* python_ = nullptr;
  QComboBox* arch_ = nullptr;
  QDoubleSpinBox* bandwidth_ = nullptr;
  QSpinBox* cores_ = nullptr;
  QLineEdit* context_ = nullptr;   // build context (empty: found from the COPY sources)
  QLineEdit* baseSize_ = nullptr;  // sizes of base images the catalogue does not hold
  void markPythonVersions();
  static bool parseBaseSizes(const QString& text, std::map<std::string, std::uint64_t>& out, QString& error);
  QMenu* recentMenu_ = nullptr;
  QMenu* variantsMenu_ = nullptr;
  QList<QAction*> variantActions_;
  QAction* compressedAction_ = nullptr;
  QAction* darkAction_ = nullptr;
  QAction* saveAction_ = nullptr;
};

}  // namespace slimbench::ui
