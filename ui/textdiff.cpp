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
      out.append({DiffLine::Same, a[i], int(i + 1), int(j + 1)});
      ++i;
      ++j;
    } else if (lcs[size_t(i + 1)][size_t(j)] >= lcs[size_t(i)][size_t(j + 1)]) {
      out.append({DiffLine::Removed, a[i], int(i + 1), 0});
      ++i;
    } else {
      out.append({DiffLine::Added, b[j], 0, int(j + 1)});
      ++j;
    }
  }
  for (; i < n; ++i) out.append({DiffLine::Removed, a[i], int(i + 1), 0});
  for (; j < m; ++j) out.append({DiffLine::Added, b[j], 0, int(j + 1)});
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

QStringList hunkReasons(const QVector<DiffLine>& lines, int first, int last, const DiffReasons& reasons) {
  QStringList out;
  auto add = [&](const QString& r) {
    if (!r.isEmpty() && !out.contains(r)) out.append(r);
  };
  for (int k = first; k < last; ++k) {
    const auto& d = lines[k];
    if (d.op == DiffLine::Removed) add(reasons.before.value(d.beforeLine));
    if (d.op == DiffLine::Added) add(reasons.after.value(d.afterLine));
  }
  return out;
}

QString htmlDiffWithReasons(const QString& before, const QString& after, bool dark, const DiffReasons& reasons) {
  const char* addBg = dark ? "#12361f" : "#e6ffec";
  const char* delBg = dark ? "#4b1818" : "#ffebe9";
  const char* whyFg = dark ? "#9ecbff" : "#0b4f9c";
  const auto lines = diffLines(before, after);
  QString html = "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"2\">";
  int k = 0;
  const int n = static_cast<int>(lines.size());
  while (k < n) {
    const bool same = lines[k].op == DiffLine::Same;
    int end = k;
    while (end < n && (lines[end].op == DiffLine::Same) == same) ++end;
    QString pre;
    for (int x = k; x < end; ++x) {
      const auto& d = lines[x];
      const QString esc = d.text.toHtmlEscaped();
      if (d.op == DiffLine::Same) pre += "  " + esc + '\n';
      else
        pre += QString("<span style=\"background:%1\">%2 %3</span>\n").arg(d.op == DiffLine::Added ? addBg : delBg, d.op == DiffLine::Added ? "+" : "-", esc);
    }
    if (pre.endsWith('\n')) pre.chop(1);
    QString why;
    if (!same) {
      for (const auto& r : hunkReasons(lines, k, end, reasons)) why += "• " + r.toHtmlEscaped() + "<br>";
      if (why.isEmpty()) why = "•  (no reason recorded)";
    }
    html += QString("<tr><td valign=\"top\"><pre style=\"margin:0\">%1</pre></td><td valign=\"top\" width=\"38%\" style=\"color:%2\">%3</td></tr>")
                .arg(pre, whyFg, why);
    k = end;
  }
  return html + "</table>";
}

}  // namespace slimbench::ui
