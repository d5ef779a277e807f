// The Diff tab's reasons and record: each original line carries the reason of the instruction it
// belongs to, added lines their notes, and a 100k-instruction record is mapped in linear time and
// listed up to kFidelityTableRows rows with the rest counted (it was a quadratic loop that froze
// the window on a 100k-line Dockerfile).
#include <QtTest>

#include "fidelityhtml.h"

using namespace slimbench;
using namespace slimbench::ui;

namespace {
generate::FidelityEntry entry(int line, const std::string& ins, const std::string& action, const std::string& reason) {
  generate::FidelityEntry f;
  f.line = line;
  f.instruction = ins;
  f.action = action;
  f.reason = reason;
  return f;
}
}  // namespace

class TestFidelityHtml : public QObject {
  Q_OBJECT
 private slots:
  void linesBelongToTheirInstruction() {
    const std::string original = "FROM python:3.12\nRUN apt-get update && \\\n    apt-get install -y gcc\nCOPY . /app\nCMD [\"x\"]\n";
    estimate::VariantResult v;
    v.kind = generate::VariantKind::Slim;
    v.dockerfile = "FROM python:3.12-slim\nRUN pip install x\nCOPY . /app\nCMD [\"x\"]\n";
    // Out of order on purpose: a record follows the variant's order, not the original's.
    v.fidelity = {entry(4, "COPY . /app", "moved", "after the dependencies"), entry(1, "FROM python:3.12", "replaced", "slim base"),
                  entry(2, "RUN apt-get ...", "dropped", "build tools"), entry(5, "CMD [\"x\"]", "kept", "kept in order"),
                  entry(0, "", "added", "not from a line")};
    v.lineNotes = {{2, "pip install added"}};
    const auto r = fidelityReasons(original, v);
    QCOMPARE(r.before.value(1), QString("replaced: slim base"));
    QCOMPARE(r.before.value(2), QString("dropped: build tools"));
    QCOMPARE(r.before.value(3), QString("dropped: build tools"));  // the continuation line
    QCOMPARE(r.before.value(4), QString("moved: after the dependencies"));
    QCOMPARE(r.before.value(5), QString("kept: kept in order"));
    QCOMPARE(r.after.value(2), QString("pip install added"));
    QVERIFY(!r.before.contains(0));
    const QString html = fidelityDiffHtml(original, v, false);
    QCOMPARE(html.count("<tr><td>"), 5);
    QVERIFY(!html.contains("more instructions"));
  }

  void hundredThousandInstructions() {
    const int n = 100000;
    std::string original, variant;
    estimate::VariantResult v;
    v.kind = generate::VariantKind::Fat;
    for (int i = 1; i <= n; ++i) {
      const std::string line = i == 1 ? "FROM python:3.11-slim" : "RUN echo " + std::to_string(i);
      original += line + "\n";
      variant += (i == 1 ? std::string("FROM python:3.11") : line) + "\n";
      v.fidelity.push_back(entry(i, line, i == 1 ? "replaced" : "kept", i == 1 ? "fat base" : "kept in order"));
    }
    v.dockerfile = variant;
    const auto r = fidelityReasons(original, v);
    QCOMPARE(r.before.size(), n);
    QCOMPARE(r.before.value(n), QString("kept: kept in order"));
    const QString html = fidelityDiffHtml(original, v, true);
    QCOMPARE(html.count("<tr><td>"), kFidelityTableRows);
    QVERIFY(html.contains(QString("%1 more instructions not listed here").arg(n - kFidelityTableRows)));
  }

  // One hunk longer than the limit (texts with nothing in common) is cut inside the hunk, and
  // what is not drawn is counted; a long unchanged stretch is folded with its line numbers.
  void longDiffsAreCutAndFolded() {
    QStringList a, b;
    for (int i = 1; i <= 5000; ++i) {
      a << QString("RUN echo a%1").arg(i);
      b << QString("RUN echo b%1").arg(i);
    }
    DiffLimits limits;
    limits.maxLines = 100;
    const QString cut = htmlDiffWithReasons(a.join('\n'), b.join('\n'), false, {}, limits);
    QCOMPARE(cut.count("<span style=\"background:"), 100);
    QVERIFY2(cut.contains("9900 more lines of the diff (9900 of them changed)"), qPrintable(cut.right(300)));

    QStringList c = a;
    c[0] = "FROM python:3.12-slim";
    c[4999] = "CMD [\"app\"]";
    limits.maxLines = 0;
    limits.foldContext = 3;
    const QString folded = htmlDiffWithReasons(a.join('\n'), c.join('\n'), false, {}, limits);
    QVERIFY2(folded.contains("4992 unchanged lines (5–4996 of yours)"), qPrintable(folded.left(2000)));
    QVERIFY(folded.contains("RUN echo a4"));      // context kept at each end
    QVERIFY(folded.contains("RUN echo a4997"));
    QVERIFY(!folded.contains("RUN echo a2500"));  // the middle is folded
    QVERIFY(!folded.contains("more lines of the diff"));
    // Without limits every line is drawn (a Dockerfile of usual size is shown whole).
    const QString whole = htmlDiffWithReasons(a.join('\n'), c.join('\n'), false, {});
    QVERIFY(whole.contains("RUN echo a2500") && !whole.contains("unchanged lines"));
  }
};

QTEST_MAIN(TestFidelityHtml)
#include "test_fidelityhtml.moc"
