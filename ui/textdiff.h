#pragma once
// A line diff (longest common subsequence) for showing a generated Dockerfile
// against the user's original.
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

namespace slimbench::ui {

struct DiffLine {
  enum Op { Same, Added, Removed } op = Same;
  QString text;
  int beforeLine = 0;  // 1-based line in `before` (Same, Removed), else 0
  int afterLine = 0;   // 1-based line in `after` (Same, Added), else 0
};

QVector<DiffLine> diffLines(const QString& before, const QString& after);
// Unified-style text: "  same", "- removed", "+ added".
QString unifiedDiff(const QString& before, const QString& after);
// HTML with added/removed lines coloured (for a QTextBrowser).
QString htmlDiff(const QString& before, const QString& after, bool dark);

// Why lines differ: for lines of `before` (what the variant did to that instruction) and of
// `after` (why the variant added the line). Each hunk of the diff shows its reasons under it.
struct DiffReasons {
  QMap<int, QString> before, after;
};
// How much of a long diff is drawn (a QTextBrowser lays out all it is given: a 100k-line file's
// whole diff took seconds). 0 = no limit.
struct DiffLimits {
  int foldContext = 0;  // unchanged stretches longer than 2×this+1 lines show this many lines at each end
  int maxLines = 0;     // lines drawn at most; the rest is counted in a last row
};
QString htmlDiffWithReasons(const QString& before, const QString& after, bool dark, const DiffReasons& reasons,
                            const DiffLimits& limits = {});
// The reasons of one hunk (lines [first, last) of diffLines' output), de-duplicated, in order.
QStringList hunkReasons(const QVector<DiffLine>& lines, int first, int last, const DiffReasons& reasons);

}  // namespace slimbench::ui
