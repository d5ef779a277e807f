#pragma once
// A line diff (longest common subsequence) for showing a generated Dockerfile
// against the user's original.
#include <QString>
#include <QStringList>
#include <QVector>

namespace slimbench::ui {

struct DiffLine {
  enum Op { Same, Added, Removed } op = Same;
  QString text;
};

QVector<DiffLine> diffLines(const QString& before, const QString& after);
// Unified-style text: "  same", "- removed", "+ added".
QString unifiedDiff(const QString& before, const QString& after);
// HTML with added/removed lines coloured (for a QTextBrowser).
QString htmlDiff(const QString& before, const QString& after, bool dark);

}  // namespace slimbench::ui
