#pragma once
// The left pane's top: the project line, then tabs with the Dockerfile editor, the requirements
// editor (both show the document's text, so undo and the unsaved state are the document's) and
// the Structure tree of stages and instructions. Parse errors and findings are marked in the
// editors from the document's problems.
#include <QWidget>

class QLabel;
class QTabWidget;
class QTreeWidget;

namespace slimbench::ui {

class CodeEditor;
class DockerfileHighlighter;
class RequirementsHighlighter;
class ProjectDocument;

class EditorsPane : public QWidget {
  Q_OBJECT
 public:
  explicit EditorsPane(ProjectDocument* doc, QWidget* parent = nullptr);

  CodeEditor* dockerfileEditor() const { return dockerfile_; }
  CodeEditor* requirementsEditor() const { return requirements_; }
  QTreeWidget* structureTree() const { return tree_; }
  QTabWidget* tabs() const { return tabs_; }
  // The editor the user works in (Undo/Redo of the Edit menu).
  CodeEditor* currentEditor() const;

  void setDark(bool dark);
  void setEditorFont(const QFont& mono);

 public slots:
  // Shows the file (0 Dockerfile, 1 requirements) and puts the cursor on the line.
  void goToLine(int file, int line);
  // Moves the Dockerfile's cursor to the line and selects it in the Structure tree, without
  // switching tabs (a layer selected elsewhere).
  void revealDockerfileLine(int line);

 private:
  void refreshProject();
  void refreshTabTitles();
  void refreshStructure();
  void refreshMarkers();

  ProjectDocument* doc_;
  QLabel* projectLabel_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  CodeEditor* dockerfile_ = nullptr;
  CodeEditor* requirements_ = nullptr;
  QTreeWidget* tree_ = nullptr;
  DockerfileHighlighter* dfHighlighter_ = nullptr;
  RequirementsHighlighter* reqHighlighter_ = nullptr;
};

}  // namespace slimbench::ui
