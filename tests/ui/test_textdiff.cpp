// The Diff tab's line diff: small files by the exact table, long ones (a variant of a
// 100k-line Dockerfile) by common head/tail + Myers, in bounded memory and time.
#include <QtTest>

#include "textdiff.h"

using namespace slimbench::ui;

namespace {
// The diff must rebuild both texts: Same+Removed lines give `before`, Same+Added give `after`,
// with line numbers counting up by one on each side.
QString check(const QStringList& before, const QStringList& after, const QVector<DiffLine>& d, int* edits) {
  QStringList a, b;
  int na = 0, nb = 0;
  *edits = 0;
  for (const auto& l : d) {
    if (l.op != DiffLine::Added) {
      a << l.text;
      if (l.beforeLine != ++na) return QString("before line %1 numbered %2").arg(na).arg(l.beforeLine);
    }
    if (l.op != DiffLine::Removed) {
      b << l.text;
      if (l.afterLine != ++nb) return QString("after line %1 numbered %2").arg(nb).arg(l.afterLine);
    }
    if (l.op != DiffLine::Same) ++*edits;
  }
  if (a != before) return "the kept and removed lines are not the original";
  if (b != after) return "the kept and added lines are not the new text";
  return {};
}

QStringList lines(int n, const QString& prefix) {
  QStringList l;
  for (int i = 0; i < n; ++i) l << QString("%1 %2").arg(prefix).arg(i);
  return l;
}
}  // namespace

class TestTextDiff : public QObject {
  Q_OBJECT
 private slots:
  void smallExact() {
    const QStringList a = {"FROM python:3.12", "COPY . .", "RUN pip install -r requirements.txt", "CMD x"};
    const QStringList b = {"FROM python:3.12-slim", "COPY requirements.txt .", "RUN pip install -r requirements.txt", "COPY . .", "CMD x"};
    const auto d = diffLines(a.join('\n') + '\n', b.join('\n') + '\n');
    int edits = 0;
    QCOMPARE(check(a, b, d, &edits), QString());
    QCOMPARE(edits, 5);  // FROM -/+, COPY . . moved (-/+), one COPY added
    QCOMPARE(d.first().op, DiffLine::Removed);  // removals before additions
  }

  // 60,000 lines with 300 scattered edits: aligned (few edit lines), not a block replace.
  void longWithScatteredEdits() {
    const QStringList a = lines(60000, "RUN step");
    QStringList b = a;
    int made = 0;
    for (int i = 100; i < b.size(); i += 200, ++made) {
      if (made % 3 == 0) b[i] = "RUN changed " + QString::number(i);
      else if (made % 3 == 1) b.insert(i, "RUN inserted " + QString::number(i));
      else b.removeAt(i);
    }
    QElapsedTimer t;
    t.start();
    const auto d = diffLines(a.join('\n'), b.join('\n'));
    const auto ms = t.elapsed();
    int edits = 0;
    QCOMPARE(check(a, b, d, &edits), QString());
    QVERIFY2(edits <= 2 * made, qPrintable(QString("%1 edit lines for %2 edits").arg(edits).arg(made)));
    qInfo("60k lines, %d edits: %d diff lines changed, %lld ms", made, edits, static_cast<long long>(ms));
  }

  // Entirely different long texts: shown as replaced, still exact, without a 10^9-cell table.
  void longUnrelated() {
    const QStringList a = lines(30000, "ENV A"), b = lines(30000, "ENV B");
    const auto d = diffLines(a.join('\n'), b.join('\n'));
    int edits = 0;
    QCOMPARE(check(a, b, d, &edits), QString());
    QCOMPARE(edits, 60000);
  }

  void commonHeadAndTail() {
    QStringList a = lines(5000, "x"), b = a;
    b.insert(2500, "inserted");
    const auto d = diffLines(a.join('\n'), b.join('\n'));
    int edits = 0;
    QCOMPARE(check(a, b, d, &edits), QString());
    QCOMPARE(edits, 1);
  }
  // A hunk says each reason once: an added line's note that repeats the reason of the line it
  // replaces ("replaced: X" beside "X") is listed once; different reasons stay.
  void hunkReasonsSaidOnce() {
    const auto d = diffLines("RUN a\nRUN b\n", "RUN c\nRUN d\n");
    DiffReasons r;
    r.before = {{1, "replaced: slim base"}, {2, "dropped: build tools"}};
    r.after = {{1, "slim base"}, {2, "a new note"}};
    QCOMPARE(hunkReasons(d, 0, static_cast<int>(d.size()), r),
             QStringList({"replaced: slim base", "dropped: build tools", "a new note"}));
  }
};

QTEST_GUILESS_MAIN(TestTextDiff)
#include "test_textdiff.moc"
