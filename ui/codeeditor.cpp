#include "codeeditor.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>
#include <QToolTip>

namespace slimbench::ui {

namespace {
QColor severityColour(int severity) {
  switch (severity) {
    case 0: return QColor("#3b82f6");
    case 1: return QColor("#e69500");
    default: return QColor("#d62728");
  }
}
}  // namespace

// ---- Dockerfile highlighting -------------------------------------------------

DockerfileHighlighter::DockerfileHighlighter(QTextDocument* doc) : QSyntaxHighlighter(doc) { build(); }

void DockerfileHighlighter::setDark(bool dark) {
  dark_ = dark;
  build();
  rehighlight();
}

void DockerfileHighlighter::build() {
  rules_.clear();
  keyword_ = {};
  keyword_.setForeground(QColor(dark_ ? "#79b8ff" : "#0b57d0"));
  keyword_.setFontWeight(QFont::Bold);
  comment_ = {};
  comment_.setForeground(QColor(dark_ ? "#8b949e" : "#6a737d"));
  comment_.setFontItalic(true);
  QTextCharFormat flag, str, var, stageName;
  flag.setForeground(QColor(dark_ ? "#d2a8ff" : "#8250df"));
  str.setForeground(QColor(dark_ ? "#a5d6a7" : "#116329"));
  var.setForeground(QColor(dark_ ? "#ffab70" : "#b35900"));
  stageName.setForeground(QColor(dark_ ? "#f0b72f" : "#953800"));
  stageName.setFontWeight(QFont::Bold);
  rules_.append({QRegularExpression(R"((?<=\s)--[A-Za-z-]+(=\S*)?)"), flag});
  rules_.append({QRegularExpression(R"(\$\{?[A-Za-z_][A-Za-z0-9_]*(:[-+][^}]*)?\}?)"), var});
  rules_.append({QRegularExpression(R"("(?:[^"\\]|\\.)*"|'[^']*')"), str});
  rules_.append({QRegularExpression(R"(\b[Aa][Ss]\s+\K[A-Za-z0-9_.-]+\s*$)"), stageName});
}

void DockerfileHighlighter::highlightBlock(const QString& text) {
  static const QRegularExpression kInstr(
      R"(^\s*(FROM|RUN|CMD|LABEL|MAINTAINER|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL)\b)",
      QRegularExpression::CaseInsensitiveOption);
  static const QRegularExpression kComment(R"(^\s*#.*$)");
  auto c = kComment.match(text);
  if (c.hasMatch()) {
    setFormat(0, static_cast<int>(text.size()), comment_);
    return;
  }
  for (const auto& r : rules_) {
    auto it = r.re.globalMatch(text);
    while (it.hasNext()) {
      auto m = it.next();
      setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()), r.format);
    }
  }
  auto m = kInstr.match(text);
  if (m.hasMatch()) setFormat(static_cast<int>(m.capturedStart(1)), static_cast<int>(m.capturedLength(1)), keyword_);
}

// ---- requirements highlighting -----------------------------------------------

RequirementsHighlighter::RequirementsHighlighter(QTextDocument* doc) : QSyntaxHighlighter(doc) {}

void RequirementsHighlighter::setDark(bool dark) {
  dark_ = dark;
  rehighlight();
}

void RequirementsHighlighter::highlightBlock(const QString& text) {
  QTextCharFormat comment, option, name, spec, marker;
  comment.setForeground(QColor(dark_ ? "#8b949e" : "#6a737d"));
  comment.setFontItalic(true);
  option.setForeground(QColor(dark_ ? "#d2a8ff" : "#8250df"));
  name.setForeground(QColor(dark_ ? "#79b8ff" : "#0b57d0"));
  name.setFontWeight(QFont::Bold);
  spec.setForeground(QColor(dark_ ? "#a5d6a7" : "#116329"));
  marker.setForeground(QColor(dark_ ? "#ffab70" : "#b35900"));
  int hash = static_cast<int>(text.indexOf(QRegularExpression(R"((^|\s)#)")));
  const int end = hash < 0 ? static_cast<int>(text.size()) : hash;
  if (hash >= 0) setFormat(hash, static_cast<int>(text.size()) - hash, comment);
  const QString body = text.left(end);
  static const QRegularExpression kOpt(R"(^\s*(-{1,2}[A-Za-z-]+))");
  static const QRegularExpression kName(R"(^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?)");
  static const QRegularExpression kSpec(R"((===|==|~=|!=|<=|>=|<|>)\s*[^,;\s]+)");
  auto o = kOpt.match(body);
  if (o.hasMatch()) {
    setFormat(static_cast<int>(o.capturedStart(1)), static_cast<int>(o.capturedLength(1)), option);
    return;
  }
  auto n = kName.match(body);
  if (n.hasMatch()) setFormat(static_cast<int>(n.capturedStart(1)), static_cast<int>(n.capturedLength(1)), name);
  auto it = kSpec.globalMatch(body);
  while (it.hasNext()) {
    auto m = it.next();
    setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()), spec);
  }
  int semi = static_cast<int>(body.indexOf(';'));
  if (semi >= 0) setFormat(semi, end - semi, marker);
}

// ---- the editor ----------------------------------------------------------------

class LineGutter : public QWidget {
 public:
  explicit LineGutter(CodeEditor* e) : QWidget(e), editor_(e) {}
  QSize sizeHint() const override { return {editor_->gutterWidth(), 0}; }

 protected:
  void paintEvent(QPaintEvent* e) override { editor_->paintGutter(e); }
  void mousePressEvent(QMouseEvent*) override {}

 private:
  CodeEditor* editor_;
};

CodeEditor::CodeEditor(QWidget* parent) : QPlainTextEdit(parent), gutter_(new LineGutter(this)) {
  setLineWrapMode(QPlainTextEdit::NoWrap);
  connect(this, &QPlainTextEdit::blockCountChanged, this, [this] { updateGutterWidth(); });
  connect(this, &QPlainTextEdit::updateRequest, this, &CodeEditor::updateGutter);
  connect(this, &QPlainTextEdit::cursorPositionChanged, this, &CodeEditor::refreshSelections);
  updateGutterWidth();
}

int CodeEditor::gutterWidth() const {
  int digits = 1;
  for (int max = qMax(1, blockCount()); max >= 10; max /= 10) ++digits;
  digits = qMax(digits, 3);
  return 8 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits + fontMetrics().height();
}

void CodeEditor::updateGutterWidth() {
  const int bottom = findBar_ && !findBar_->isHidden() ? findBar_->sizeHint().height() : 0;
  setViewportMargins(gutterWidth(), 0, 0, bottom);
  const QRect cr = contentsRect();
  gutter_->setGeometry(QRect(cr.left(), cr.top(), gutterWidth(), viewport()->height()));
  placeFindBar();
}

// ---- find ---------------------------------------------------------------------

void CodeEditor::buildFindBar() {
  findBar_ = new QFrame(this);
  findBar_->setObjectName("findBar");
  static_cast<QFrame*>(findBar_)->setFrameShape(QFrame::StyledPanel);
  findBar_->setAutoFillBackground(true);
  auto* l = new QHBoxLayout(findBar_);
  l->setContentsMargins(4, 2, 4, 2);
  l->setSpacing(4);
  l->addWidget(new QLabel("Find:", findBar_));
  findEdit_ = new QLineEdit(findBar_);
  findEdit_->setObjectName("findEdit");
  findEdit_->setClearButtonEnabled(true);
  findEdit_->setPlaceholderText("text (Enter: next, Shift+Enter: previous, Esc: close)");
  findEdit_->installEventFilter(this);
  l->addWidget(findEdit_, 1);
  auto* prev = new QToolButton(findBar_);
  prev->setText("▲");
  prev->setObjectName("findPrevious");
  prev->setToolTip("Previous match (Shift+Enter, Shift+F3)");
  auto* next = new QToolButton(findBar_);
  next->setText("▼");
  next->setObjectName("findNext");
  next->setToolTip("Next match (Enter, F3)");
  findCount_ = new QLabel(findBar_);
  findCount_->setMinimumWidth(fontMetrics().horizontalAdvance("999 of 999  "));
  auto* close = new QToolButton(findBar_);
  close->setText("✕");
  close->setObjectName("findClose");
  close->setToolTip("Close (Esc)");
  l->addWidget(prev);
  l->addWidget(next);
  l->addWidget(findCount_);
  l->addWidget(close);
  connect(prev, &QToolButton::clicked, this, [this] { findNext(true); });
  connect(next, &QToolButton::clicked, this, [this] { findNext(false); });
  connect(close, &QToolButton::clicked, this, &CodeEditor::hideFind);
  connect(findEdit_, &QLineEdit::textEdited, this, [this] {
    // Incremental: search again from the start of the current match.
    QTextCursor c = textCursor();
    c.setPosition(c.selectionStart());
    setTextCursor(c);
    findNext(false);
  });
  findBar_->hide();
}

void CodeEditor::placeFindBar() {
  if (!findBar_ || findBar_->isHidden()) return;
  // Below the text, above the horizontal scroll bar: the space the bottom viewport margin leaves.
  const QRect cr = contentsRect();
  const int h = findBar_->sizeHint().height();
  findBar_->setGeometry(cr.left(), viewport()->geometry().bottom() + 1, cr.width(), h);
}

void CodeEditor::showFind() {
  if (!findBar_) buildFindBar();
  const QString sel = textCursor().selectedText();
  if (!sel.isEmpty() && !sel.contains(QChar::ParagraphSeparator)) findEdit_->setText(sel);
  findBar_->show();
  updateGutterWidth();
  placeFindBar();
  findEdit_->setFocus();
  findEdit_->selectAll();
  countMatches();
}

void CodeEditor::hideFind() {
  if (!findBar_ || findBar_->isHidden()) return;
  findBar_->hide();
  updateGutterWidth();
  setFocus();
}

void CodeEditor::countMatches() {
  if (!findCount_) return;
  const QString t = findEdit_->text();
  if (t.isEmpty()) {
    findCount_->clear();
    return;
  }
  const QString all = toPlainText();
  int n = 0, current = 0;
  const int at = textCursor().selectionStart();
  for (int i = all.indexOf(t, 0, Qt::CaseInsensitive); i >= 0; i = all.indexOf(t, i + 1, Qt::CaseInsensitive)) {
    ++n;
    if (i == at && textCursor().hasSelection()) current = n;
  }
  findCount_->setText(n == 0 ? QString("no match") : current > 0 ? QString("%1 of %2").arg(current).arg(n) : QString("%1 matches").arg(n));
  findEdit_->setStyleSheet(n == 0 ? "QLineEdit { background: #fde2e1; color: #611a15; }" : QString());
}

bool CodeEditor::findNext(bool backward) {
  if (!findEdit_ || findEdit_->text().isEmpty()) return false;
  const QString t = findEdit_->text();
  const QTextDocument::FindFlags flags = backward ? QTextDocument::FindBackward : QTextDocument::FindFlags();
  QTextCursor found = document()->find(t, textCursor(), flags);
  if (found.isNull()) {  // wrap around
    QTextCursor from(document());
    if (backward) from.movePosition(QTextCursor::End);
    found = document()->find(t, from, flags);
  }
  if (!found.isNull()) {
    setTextCursor(found);
    centerCursor();
  }
  countMatches();
  return !found.isNull();
}

QString CodeEditor::findStatus() const { return findCount_ ? findCount_->text() : QString(); }

void CodeEditor::keyPressEvent(QKeyEvent* e) {
  if (e->matches(QKeySequence::Find)) {
    showFind();
    return;
  }
  if (e->matches(QKeySequence::FindNext) || e->matches(QKeySequence::FindPrevious)) {
    if (!findBar_ || findBar_->isHidden()) showFind();
    else findNext(e->matches(QKeySequence::FindPrevious));
    return;
  }
  if (e->key() == Qt::Key_Escape && findBar_ && !findBar_->isHidden()) {
    hideFind();
    return;
  }
  QPlainTextEdit::keyPressEvent(e);
}

bool CodeEditor::eventFilter(QObject* o, QEvent* e) {
  if (o == findEdit_ && e->type() == QEvent::KeyPress) {
    auto* k = static_cast<QKeyEvent*>(e);
    if (k->key() == Qt::Key_Escape) {
      hideFind();
      return true;
    }
    if (k->key() == Qt::Key_Return || k->key() == Qt::Key_Enter) {
      findNext(k->modifiers() & Qt::ShiftModifier);
      return true;
    }
    if (k->matches(QKeySequence::FindNext) || k->matches(QKeySequence::FindPrevious)) {
      findNext(k->matches(QKeySequence::FindPrevious));
      return true;
    }
  }
  if (o == findEdit_ && e->type() == QEvent::ShortcutOverride) {
    auto* k = static_cast<QKeyEvent*>(e);
    if (k->key() == Qt::Key_Escape || k->key() == Qt::Key_Return || k->key() == Qt::Key_Enter) {
      e->accept();  // ours, not a window shortcut's
      return true;
    }
  }
  return QPlainTextEdit::eventFilter(o, e);
}

void CodeEditor::updateGutter(const QRect& rect, int dy) {
  if (dy) gutter_->scroll(0, dy);
  else gutter_->update(0, rect.y(), gutter_->width(), rect.height());
  if (rect.contains(viewport()->rect())) updateGutterWidth();
}

void CodeEditor::resizeEvent(QResizeEvent* e) {
  QPlainTextEdit::resizeEvent(e);
  QRect cr = contentsRect();
  gutter_->setGeometry(QRect(cr.left(), cr.top(), gutterWidth(), viewport()->height()));
  placeFindBar();
}

void CodeEditor::paintGutter(QPaintEvent* e) {
  QPainter p(gutter_);
  const QPalette pal = palette();
  p.fillRect(e->rect(), pal.color(QPalette::AlternateBase));
  QTextBlock block = firstVisibleBlock();
  int number = block.blockNumber();
  int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
  int bottom = top + qRound(blockBoundingRect(block).height());
  const int h = fontMetrics().height();
  const int current = textCursor().blockNumber();
  while (block.isValid() && top <= e->rect().bottom()) {
    if (block.isVisible() && bottom >= e->rect().top()) {
      int sev = -1;
      for (const auto& m : markers_)
        if (m.line == number + 1) sev = qMax(sev, m.severity);
      if (sev >= 0) {
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(severityColour(sev));
        p.setPen(Qt::NoPen);
        const int d = h * 6 / 10;
        p.drawEllipse(QRect(4, top + (h - d) / 2, d, d));
      }
      QColor fg = pal.color(QPalette::PlaceholderText);
      if (number == current) fg = pal.color(QPalette::Text);
      p.setPen(fg);
      p.drawText(0, top, gutter_->width() - 6, h, Qt::AlignRight | Qt::AlignVCenter, QString::number(number + 1));
    }
    block = block.next();
    top = bottom;
    bottom = top + qRound(blockBoundingRect(block).height());
    ++number;
  }
}

void CodeEditor::setMarkers(const QVector<EditorMarker>& markers) {
  markers_ = markers;
  refreshSelections();
  gutter_->update();
}

void CodeEditor::refreshSelections() {
  QList<QTextEdit::ExtraSelection> sels;
  if (!isReadOnly()) {
    QTextEdit::ExtraSelection cur;
    QColor c = palette().color(QPalette::Highlight);
    c.setAlpha(28);
    cur.format.setBackground(c);
    cur.format.setProperty(QTextFormat::FullWidthSelection, true);
    cur.cursor = textCursor();
    cur.cursor.clearSelection();
    sels.append(cur);
  }
  for (const auto& m : markers_) {
    QTextBlock b = document()->findBlockByNumber(m.line - 1);
    if (!b.isValid()) continue;
    QTextEdit::ExtraSelection s;
    s.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    s.format.setUnderlineColor(severityColour(m.severity));
    s.format.setToolTip(m.message);
    s.cursor = QTextCursor(b);
    s.cursor.movePosition(QTextCursor::StartOfBlock);
    s.cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
    if (!s.cursor.hasSelection()) continue;
    sels.append(s);
  }
  setExtraSelections(sels);
}

void CodeEditor::goToLine(int line) {
  QTextBlock b = document()->findBlockByNumber(qMax(0, line - 1));
  if (!b.isValid()) return;
  QTextCursor c(b);
  setTextCursor(c);
  centerCursor();
  setFocus();
}

bool CodeEditor::event(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* he = static_cast<QHelpEvent*>(e);
    QPoint vp = viewport()->mapFrom(this, he->pos());
    int line = cursorForPosition(vp).blockNumber() + 1;
    if (he->pos().x() < gutterWidth()) line = cursorForPosition(QPoint(0, vp.y())).blockNumber() + 1;
    QStringList msgs;
    for (const auto& m : markers_)
      if (m.line == line) msgs << m.message;
    if (!msgs.isEmpty()) QToolTip::showText(he->globalPos(), msgs.join("\n\n"), this);
    else QToolTip::hideText();
    return true;
  }
  return QPlainTextEdit::event(e);
}

}  // namespace slimbench::ui
