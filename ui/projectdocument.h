#pragma once
// The open project as a document, apart from every view of it: its paths and files, the text of
// the Dockerfile and the requirements (two QTextDocuments the editors show), their unsaved state,
// the settings that drive the analysis, the current analysis (run on a worker thread, debounced
// after edits), its problems, and the selected variant and layer. No widgets: the panes listen to
// its signals and change it through its methods; questions to the user go through the Asker and
// PathChooser the main window sets (dialogs; tests replace them). Without them the answer is
// Cancel and no path.
#include <QFutureWatcher>
#include <QMessageBox>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "estimate/analysis.h"
#include "util/diagnostic.h"

class QTemporaryDir;
class QTextDocument;

namespace slimbench::ui {

using AnalysisPtr = std::shared_ptr<const estimate::Analysis>;

// What the settings and inputs toolbars set: each change re-analyses.
struct AnalysisSettings {
  QString python;         // "3.11"; empty: the version the Dockerfile's FROM names
  QString arch = "amd64";  // amd64 | arm64
  double bandwidthMbps = 100;
  int cores = 2;
  QString context;  // the build context; empty: found from the COPY sources
  // Sizes of base images the catalogue does not hold; the key "" applies to every unknown FROM image.
  std::map<std::string, std::uint64_t> baseSizes;
  QString baseSizesText;  // as typed in the Base size field (what baseSizes was parsed from)
  QString target;         // docker build --target; empty: the last stage
  std::map<std::string, std::string> buildArgs;  // docker build --build-arg NAME=VALUE
  // "Wheels as before musllinux" (PEP 656, 2021): Alpine figures of the years pip compiled there.
  bool wheelsBeforeMusllinux = false;
  bool operator==(const AnalysisSettings&) const = default;
};
// Per project (saved per project folder, restored when it opens; the defaults otherwise): python,
// arch, context, base sizes, target, build args and the wheels' era. Bandwidth and cores are the machine's and stay.
AnalysisSettings withProjectDefaults(AnalysisSettings s);

// "350MB" (key "") or "img:1=350MB, other=1.2GB". False with the reason when a size does not parse.
bool parseBaseSizes(const QString& text, std::map<std::string, std::uint64_t>& out, QString& error);

// One line of the Problems pane (and a marker in the editor of its file).
struct Problem {
  enum File { Dockerfile = 0, Requirements = 1 };
  File file = Dockerfile;
  Severity severity = Severity::Error;
  SourceLocation where;
  QString text;     // the message
  QString tip;      // HTML explanation (findings), else empty
  QString location; // "Dockerfile:3", relative to the project folder
};

class ProjectDocument : public QObject {
  Q_OBJECT
 public:
  explicit ProjectDocument(QObject* parent = nullptr);
  ~ProjectDocument() override;

  // Questions to the user (the main window shows dialogs; tests answer directly).
  using Asker = std::function<QMessageBox::StandardButton(const QString& text, QMessageBox::StandardButtons buttons)>;
  using PathChooser = std::function<QString(const QString& kind, const QString& title, const QString& start)>;
  void setAsker(Asker a) { asker_ = std::move(a); }
  void setPathChooser(PathChooser c) { chooser_ = std::move(c); }
  QMessageBox::StandardButton ask(const QString& text, QMessageBox::StandardButtons buttons);
  // kind "folder" (an existing folder) or "save" (a file to write); empty when cancelled.
  QString choosePath(const QString& kind, const QString& title, const QString& start);

  // ---- the project
  // Opens a project folder, a Dockerfile, or a requirements/pyproject file (its folder). False
  // (and openFailed with the reason) when it cannot be read: the open project stays.
  bool openPath(const QString& path);
  // A bundled example, copied into a temporary folder; never saved in place (see saveExampleAs).
  bool openBundledExample(const QString& name);
  static QStringList bundledExamples();
  // Asks to save unsaved edits (false: the user cancelled), then forgets the project.
  bool close();
  bool hasProject() const { return !project_.dir.empty(); }
  bool isExample() const { return isExample_; }
  QString exampleName() const { return exampleName_; }
  QString projectDir() const { return QString::fromStdString(project_.dir); }
  QString dockerfilePath() const { return dockerfilePath_; }
  QString requirementsPath() const { return requirementsPath_; }
  QStringList projectFiles() const { return projectFiles_; }  // shown beside the editors
  // The build context: the analysis's (a Dockerfile in docker/ may build from the folder above),
  // else the project folder. Its .dockerignore is the one docker reads.
  QString contextDir() const;
  bool hasDockerignore() const;
  QString relativeLocation(const SourceLocation& where) const;

  // ---- the edits
  QTextDocument* dockerfile() const { return dockerfile_; }
  QTextDocument* requirements() const { return requirements_; }
  bool isModified() const;
  bool maybeSave();  // asks when modified; false when the user cancelled
  bool saveAll();
  bool saveDockerfileAs();  // asks for the path (an example: saveExampleAs)
  bool saveExampleAs();     // copies the example to a folder the user chooses and switches to it

  // Where file dialogs start: the last folder opened or saved to, never the example's copy.
  QString startFolder() const;
  void rememberFolder(const QString& dir);
  static QStringList recentProjects();
  static void clearRecentProjects();

  // ---- the analysis
  std::shared_ptr<const estimate::Knowledge> knowledge() const { return knowledge_; }
  QString knowledgeError() const { return knowledgeError_; }
  AnalysisSettings settings() const { return settings_; }
  void setSettings(const AnalysisSettings& s);  // re-analyses when they differ
  void switchRuleOff(const std::string& ruleId);  // for the session (this project, until it closes)
  // The project's saved rule severities ([rules] of slimbench.toml beside the Dockerfile, read on
  // open; the CLI reads it too). Setting one writes the file atomically; an empty level removes the rule
  // (back to its default). False, with the reason in statusMessage, when it cannot be written or
  // the file there does not parse (it is never overwritten then).
  bool setProjectRule(const std::string& ruleId, const std::string& level);
  // Your own size for the layer whose instruction starts on `line` of the Dockerfile (bytes < 0:
  // cleared), saved in the project's slimbench.toml ([sizes.layers]) and re-analysed.
  bool setLayerSize(int line, qint64 bytes);
  std::map<std::string, std::string> projectRules() const { return projectRules_; }
  std::map<std::string, std::string> sessionRules() const { return ruleOverrides_; }
  void switchRuleOn(const std::string& ruleId);  // drops a session override
  QString projectSettingsError() const { return projectSettingsError_; }  // the file's, as file:line: message
  // What the analysis is run with for these settings (the window's settings as the CLI's options).
  estimate::AnalysisOptions analysisOptions() const;
  // False: settings changed from now on are not saved as the project's (a --screenshot run).
  void setKeepsProjectSettings(bool keep) { keepsProjectSettings_ = keep; }
  void reanalyse(int delayMs = 0);
  bool isAnalysing() const;  // scheduled or running
  bool isBusy() const { return busy_; }  // as busyChanged last said
  bool waitForAnalysis(int timeoutMs = 20000);  // processes events until idle
  AnalysisPtr analysis() const { return analysis_; }
  // Parse errors and findings of the user's Dockerfile, then the requirements' errors (empty
  // while there is no analysis).
  std::vector<Problem> problems() const;
  // The problems are of an earlier text or settings: an analysis has been running for
  // staleDelay() ms since a change (the panes grey them out, the editors drop their marks).
  bool problemsStale() const { return problemsStale_; }
  void setStaleDelay(int ms) { staleTimer_.setInterval(ms); }
  int staleDelay() const { return staleTimer_.interval(); }
  const std::vector<Diagnostic>& requirementsErrors() const { return reqErrors_; }

  // ---- the selection (one variant, optionally one of its layers), shown by every pane
  int selectedVariant() const { return selectedVariant_; }
  int selectedLayer() const { return selectedLayer_; }
  void select(int variant, int layer = -1);
  int variantIndex(const QString& id) const;  // -1 when not in the analysis
  QString variantId(int variant) const;

  // ---- export
  // Writes a variant's Dockerfile (asking before replacing a file), optionally a .dockerignore.
  bool exportDockerfile(const QString& variantId, const QString& path, bool withDockerignore);

 signals:
  void projectChanged();        // opened, closed or moved (paths, files, example state)
  void filesChanged();          // the project's files: the requirements file read, a .dockerignore written
  void problemsStaleChanged(bool stale);
  void textsReplaced();         // the files' text was (re)loaded: not an edit
  void modificationChanged();   // the unsaved state of either file
  void settingsChanged();
  void busyChanged(bool busy);  // an analysis scheduled or running
  void analysisChanged();       // a new analysis, or none
  void problemsChanged();
  void selectionChanged(int variant, int layer);
  void statusMessage(const QString& text);                // lasting, until the next
  void transientMessage(const QString& text, int ms);     // for a few seconds
  void openFailed(const QString& message);               // empty: the last open worked

 private:
  void closeProject();
  void startAnalysis();
  void analysisFinished();
  void checkRequirements();
  void setBusy(bool busy);
  bool saveDockerfile(const QString& path);
  bool saveRequirements();
  void addRecent(const QString& path);
  void loadText(QTextDocument* doc, const QString& text);
  void scanProjectFiles();
  void followReadRequirements();
  void setProblemsStale(bool stale);

  std::shared_ptr<const estimate::Knowledge> knowledge_;
  QString knowledgeError_;
  estimate::Project project_;
  QString dockerfilePath_, requirementsPath_;
  QStringList projectFiles_;
  std::unique_ptr<QTemporaryDir> exampleDir_;
  bool isExample_ = false;
  QString exampleName_;
  QTextDocument* dockerfile_ = nullptr;
  QTextDocument* requirements_ = nullptr;
  bool loading_ = false;
  QString seenText_;  // the Dockerfile's text when it last changed (colours alone leave it)

  void restoreProjectSettings();  // on open: the project's saved settings and slimbench.toml's [rules]
  void saveProjectSettings();     // the per-project part of settings_, under the project's key
  void readProjectRules();

  AnalysisSettings settings_;
  std::map<std::string, std::string> ruleOverrides_;  // for the session
  std::map<std::string, std::string> projectRules_;   // slimbench.toml [rules]
  QString projectSettingsError_;
  bool keepsProjectSettings_ = true;
  AnalysisPtr analysis_;
  QFutureWatcher<AnalysisPtr>* watcher_ = nullptr;
  bool pending_ = false;
  bool busy_ = false;
  int generation_ = 0, runningGeneration_ = -1;
  QTimer debounce_;
  QTimer reqTimer_;
  std::vector<Diagnostic> reqErrors_;
  QTimer staleTimer_;
  bool problemsStale_ = false;

  int selectedVariant_ = 0;
  int selectedLayer_ = -1;

  Asker asker_;
  PathChooser chooser_;
};

}  // namespace slimbench::ui
