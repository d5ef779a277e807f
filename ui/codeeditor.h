#pragma once
// A plain-text editor with a line-number gutter, diagnostic markers (gutter dot +
// wavy underline) and syntax highlighters for Dockerfiles and requirements files.
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>
#include <QVector>

class QLabel;
class QLineEdit;

namespace slimbench::ui {

// Keywords, comments, strings, flags (--mount=...), variables ($X, ${X}) and parser directives.
class DockerfileHighlighter : public QSyntaxHighlighter {
  Q_OBJECT
 public:
  explicit DockerfileHighlighter(QTextDocument* doc);
  void setDark(bool dark);

 protected:
  void highlightBlock(const QString& text) override;

 private:
  struct Rule {
    QRegularExpression re;
    QTextCharFormat format;
  };
  QVector<Rule> rules_;
  QTextCharFormat comment_, keyword_;
  bool dark_ = false;
  void build();
};

// requirements.txt: comments, options (-r, --index-url), names, specifiers, markers.
class RequirementsHighlighter : public QSyntaxHighlighter {
  Q_OBJECT
 public:
  explicit RequirementsHighlighter(QTextDocument* doc);
  void setDark(bool dark);

 protected:
  void highlightBlock(const QString& text) override;

 private:
  bool dark_ = false;
};

struct EditorMarker {
  int line = 0;         // 1-based
  int severity = 2;     // 0 info, 1 warning, 2 error
  QString message;
};

class CodeEditor : public QPlainTextEdit {
  Q_OBJECT
 public:
  explicit CodeEditor(QWidget* parent = nullptr);

  void setMarkers(const QVector<EditorMarker>& markers);
  const QVector<EditorMarker>& markers() const { return markers_; }
  void goToLine(int line);
  int gutterWidth() const;

  // Find (Ctrl+F): a bar at the bottom with the text, previous/next (Shift+Enter/Enter, Shift+F3/F3)
  // and the match count; Esc closes it and returns to the text. Searches wrap around.
  void showFind();
  void hideFind();
  bool findNext(bool backward = false);
  QWidget* findBar() const { return findBar_; }
  QLineEdit* findEdit() const { return findEdit_; }
  QString findStatus() const;

 protected:
  void resizeEvent(QResizeEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;
  bool eventFilter(QObject* o, QEvent* e) override;
  bool event(QEvent* e) override;  // tooltips on marked lines

 private:
  friend class LineGutter;
  void paintGutter(QPaintEvent* e);
  void updateGutterWidth();
  void updateGutter(const QRect& rect, int dy);
  void refreshSelections();
  QWidget* gutter_ = nullptr;
  QWidget* findBar_ = nullptr;
  QLineEdit* findEdit_ = nullptr;
  QLabel* findCount_ = nullptr;
  void buildFindBar();
  void placeFindBar();
  void countMatches();
  QVector<EditorMarker> markers_;
};

}  // namespace slimbench::ui
