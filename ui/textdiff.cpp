#include "textdiff.h"

#include <vector>

namespace slimbench::ui {

QVector<DiffLine> diffLines(const QString& before, const QString& after) {
  QStringList a = before.split('\n'), b = after.split('\n');
  if (!a.isEmpty() && a.last().isEmpty()) a.removeLast();
  if (!b.isEmpty() && b.last().isEmpty()) b.removeLast();
  const auto n = a.size(), m = b.size();
  std::vector<std::vector<int>> lcs(static_cast<size_t>(n + 1), std::vector<int>(static_cast<size_t>(m + 1), 0));
  for (auto i = n - 1; i >= 0; --i)
    for (auto j = m - 1; j >= 0; --j)
      lcs[size_t(i)][size_t(j)] = a[i] == b[j] ? lcs[size_t(i + 1)][size_t(j + 1)] + 1
                                               : qMax(lcs[size_t(i + 1)][size_t(j)], lcs[size_t(i)][size_t(j + 1)]);
  QVector<DiffLine> out;
  qsizetype i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] == b[j]) {
      out.append({DiffLine::Same, a[i]});
      ++i;
      ++j;
    } else if (lcs[size_t(i + 1)][size_t(j)] >= lcs[size_t(i)][size_t(j + 1)]) {
      out.append({DiffLine::Removed, a[i++]});
    } else {
      out.append({DiffLine::Added, b[j++]});
    }
  }
  while (i < n) out.append({DiffLine::Removed, a[i++]});
  while (j < m) out.append({DiffLine::Added, b[j++]});
  return out;
}

QString unifiedDiff(const QString& before, const QString& after) {
  QString out;
  for (const auto& d : diffLines(before, after))
    out += (d.op == DiffLine::Same ? "  " : d.op == DiffLine::Added ? "+ " : "- ") + d.text + '\n';
  return out;
}

QString htmlDiff(const QString& before, const QString& after, bool dark) {
  const char* addBg = dark ? "#12361f" : "#e6ffec";
  const char* delBg = dark ? "#4b1818" : "#ffebe9";
  QString html = "<pre style=\"margin:0\">";
  for (const auto& d : diffLines(before, after)) {
    const QString esc = d.text.toHtmlEscaped();
    if (d.op == DiffLine::Same) html += "  " + esc + '\n';
    else
      html += QString("<span style=\"background:%1\">%2 %3</span>\n")
                  .arg(d.op == DiffLine::Added ? addBg : delBg, d.op == DiffLine::Added ? "+" : "-", esc);
  }
  return html + "</pre>";
}

}  // namespace slimbench::ui
