#pragma once
// The workshop tour (Help ▸ Workshop Tour, slimbench --tour): a dock that steps through a tour
// read from data (tour.h). Each step opens its project in the document (a bundled example or a
// folder; optionally a Dockerfile text put into the editor), sets the wheels' era, waits for the
// analysis, selects the step's variant (so the chart and the table show it), and shows the
// explanation with its sources, the figures of the analysis, and the variant's Dockerfile with
// the lines that differ from what the step compares it to highlighted. Forward and back with
// PageDown/PageUp or Alt+Right/Alt+Left, Home restarts, Esc closes (and undoes what the tour
// changed: a Dockerfile text it put into the editor, the era). It talks to the document only.
#include <QDockWidget>
#include <QMap>
#include <QString>
#include <QStringList>

#include "estimate/analysis.h"
#include "tour.h"

class QAction;
class QLabel;
class QPushButton;
class QTextBrowser;

namespace slimbench::ui {

class CodeEditor;
class DockerfileHighlighter;
class ProjectDocument;

class TourPanel : public QDockWidget {
  Q_OBJECT
 public:
  explicit TourPanel(ProjectDocument* doc, QWidget* parent = nullptr);

  // Reads a tour file (a path or ":/tours/...", empty: the bundled tour) and starts it at `step`.
  // `example` (a bundled example) replaces the tour's starting project. False, with the reason in
  // error() and failed(), when the file is not a tour or the example is unknown.
  bool startFile(const QString& path = {}, const QString& example = {}, int step = 0);
  bool start(const Tour& tour, int step = 0);
  // Closes the tour and undoes what it changed in the document (Esc, the dock's ×).
  void stop();

  bool isRunning() const { return running_; }
  const Tour& tour() const { return tour_; }
  int currentStep() const { return index_; }
  int stepCount() const { return static_cast<int>(tour_.steps.size()); }
  bool next();     // false at the last step
  bool back();     // false at the first
  void restart();  // the first step again, its project reopened as it was
  bool goTo(int step);
  // The step is shown: its analysis is done and the variant selected. waitForStep processes
  // events until then (tests, --screenshot).
  bool isSettled() const { return settled_; }
  bool waitForStep(int timeoutMs = 120000);
  QString error() const { return error_; }

  // What the step shows, for tests.
  QString shownDockerfile() const { return shownText_; }
  QList<int> highlightedLines() const { return highlighted_; }  // 1-based, in shownDockerfile()
  QStringList removedLines() const { return removed_; }
  QStringList warnings() const { return warnings_; }
  QString figuresText() const;
  QString eraText() const;
  QString stepTitle() const;
  CodeEditor* dockerfileView() const { return view_; }
  QPushButton* nextButton() const { return nextButton_; }
  QString explanationHtml() const;

  void setDark(bool dark);

 signals:
  void stepShown(int step);
  void failed(const QString& message);
  void stopped();

 protected:
  void closeEvent(QCloseEvent* e) override;
  void changeEvent(QEvent* e) override;

 private:
  void showStep(int step);
  void finish();
  void onAnalysisChanged();
  void restoreDocument();
  void renderHeader();
  void applyFonts();
  void renderBody();
  QString projectKey(const TourStep& s, int index, QString* example, QString* project) const;
  void fail(const QString& message);
  void openTourFile();
  // The layer of `v` that the first of `lines` (1-based, in its Dockerfile `text`) makes; -1 when none.
  static int layerOf(const estimate::VariantResult& v, const QString& text, const QList<int>& lines);

  ProjectDocument* doc_;
  Tour tour_;
  bool running_ = false;
  int index_ = -1;
  bool settled_ = true;
  QString error_;

  // What the tour changed, to undo: the project it opened (key), the text it put into the editor
  // (over `originalText_`), the era before it started.
  QString openedKey_, openedDir_;
  QString originalText_;
  bool textLoaded_ = false;
  bool eraAtOpen_ = false;

  QString shownText_;
  QList<int> highlighted_;
  QStringList removed_;
  QStringList warnings_;
  QString figures_, diffNote_;
  QMap<int, QString> shownTexts_;  // by step: the Dockerfile it showed (for "diff": "previous")
  QMap<int, QString> shownFigures_;

  QLabel* counter_ = nullptr;
  QLabel* title_ = nullptr;
  QLabel* era_ = nullptr;
  QTextBrowser* body_ = nullptr;
  QLabel* diffLabel_ = nullptr;
  CodeEditor* view_ = nullptr;
  DockerfileHighlighter* highlighter_ = nullptr;
  QLabel* removedLabel_ = nullptr;
  QPushButton* backButton_ = nullptr;
  QPushButton* nextButton_ = nullptr;
  QPushButton* restartButton_ = nullptr;
  QList<QAction*> keys_;
  bool dark_ = false;
};

}  // namespace slimbench::ui
