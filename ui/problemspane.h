#pragma once
// The Problems list under the editors: parse errors and findings of the user's Dockerfile and the
// requirements' errors, message first, location relative to the project. Activating a row (double
// click, Enter, or F8 for the next one) asks for its line (lineRequested). While a long analysis
// runs, the entries are greyed and the header says they are of the text before it.
#include <QTreeWidget>

namespace slimbench::ui {

class ProjectDocument;

class ProblemsPane : public QTreeWidget {
  Q_OBJECT
 public:
  explicit ProblemsPane(ProjectDocument* doc, QWidget* parent = nullptr);

 public slots:
  void activateNext();  // the next problem, wrapping around

 signals:
  void lineRequested(int file, int line);  // file: 0 the Dockerfile, 1 the requirements

 private:
  void refresh();
  void showStale();
  ProjectDocument* doc_;
};

}  // namespace slimbench::ui
