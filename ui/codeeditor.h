#pragma once
// A plain-text editor with a line-number gutter, diagnostic markers (gutter dot +
// wavy underline) and syntax highlighters for Dockerfiles and requirements files.
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>
#include <QVector>

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

 protected:
  void resizeEvent(QResizeEvent* e) override;
  bool event(QEvent* e) override;  // tooltips on marked lines

 private:
  friend class LineGutter;
  void paintGutter(QPaintEvent* e);
  void updateGutterWidth();
  void updateGutter(const QRect& rect, int dy);
  void refreshSelections();
  QWidget* gutter_ = nullptr;
  QVector<EditorMarker> markers_;
};

}  // namespace slimbench::ui
