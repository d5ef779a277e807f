#include "textdiff.h"

#include <vector>

namespace slimbench::ui {

namespace {

// Lines [a0, a1) of a against [b0, b1) of b by the longest-common-subsequence table: exact and
// stable (removals before additions), but (a1-a0)·(b1-b0) cells, so only for small ranges.
void tableDiff(const QStringList& a, qsizetype a0, qsizetype a1, const QStringList& b, qsizetype b0, qsizetype b1,
               QVector<DiffLine>& out) {
  const auto n = a1 - a0, m = b1 - b0;
  std::vector<std::vector<int>> lcs(static_cast<size_t>(n + 1), std::vector<int>(static_cast<size_t>(m + 1), 0));
  for (auto i = n - 1; i >= 0; --i)
    for (auto j = m - 1; j >= 0; --j)
      lcs[size_t(i)][size_t(j)] = a[a0 + i] == b[b0 + j] ? lcs[size_t(i + 1)][size_t(j + 1)] + 1
                                                         : qMax(lcs[size_t(i + 1)][size_t(j)], lcs[size_t(i)][size_t(j + 1)]);
  qsizetype i = 0, j = 0;
  while (i < n && j < m) {
    if (a[a0 + i] == b[b0 + j]) {
      out.append({DiffLine::Same, a[a0 + i], int(a0 + i + 1), int(b0 + j + 1)});
      ++i;
      ++j;
    } else if (lcs[size_t(i + 1)][size_t(j)] >= lcs[size_t(i)][size_t(j + 1)]) {
      out.append({DiffLine::Removed, a[a0 + i], int(a0 + i + 1), 0});
      ++i;
    } else {
      out.append({DiffLine::Added, b[b0 + j], 0, int(b0 + j + 1)});
      ++j;
    }
  }
  for (; i < n; ++i) out.append({DiffLine::Removed, a[a0 + i], int(a0 + i + 1), 0});
  for (; j < m; ++j) out.append({DiffLine::Added, b[b0 + j], 0, int(b0 + j + 1)});
}

// Myers' O((N+M)·D) greedy diff of [a0, a1) against [b0, b1), keeping only the V entries each
// step reached (O(D²) memory). Gives up (false) beyond maxEdits line edits.
bool myersDiff(const QStringList& a, qsizetype a0, qsizetype a1, const QStringList& b, qsizetype b0, qsizetype b1,
               int maxEdits, QVector<DiffLine>& out) {
  const qsizetype n = a1 - a0, m = b1 - b0;
  std::vector<std::vector<qsizetype>> trace;  // trace[d][k + d] = furthest x on diagonal k after d edits
  qsizetype x = 0, y = 0;
  for (int d = 0; d <= maxEdits; ++d) {
    std::vector<qsizetype> v(static_cast<size_t>(2 * d + 1));
    bool done = false;
    for (int k = -d; k <= d; k += 2) {
      if (d == 0) x = 0;
      else {
        const auto& p = trace.back();  // diagonals -(d-1)..(d-1) at index k + d - 1
        const bool down = k == -d || (k != d && p[size_t(k - 1 + d - 1)] < p[size_t(k + 1 + d - 1)]);
        x = down ? p[size_t(k + 1 + d - 1)] : p[size_t(k - 1 + d - 1)] + 1;
      }
      y = x - k;
      while (x < n && y < m && a[a0 + x] == b[b0 + y]) {
        ++x;
        ++y;
      }
      v[size_t(k + d)] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    trace.push_back(std::move(v));
    if (!done) continue;
    // Walk back from (n, m), collecting lines in reverse.
    QVector<DiffLine> rev;
    x = n;
    y = m;
    for (int e = d; e > 0; --e) {
      const auto& p = trace[size_t(e - 1)];
      const qsizetype k = x - y;
      const bool down = k == -e || (k != e && p[size_t(k - 1 + e - 1)] < p[size_t(k + 1 + e - 1)]);
      const qsizetype pk = down ? k + 1 : k - 1;
      const qsizetype px = p[size_t(pk + e - 1)], py = px - pk;
      const qsizetype sx = down ? px : px + 1, sy = sx - k;  // where the snake after the edit starts
      for (; x > sx && y > sy; --x, --y) rev.append({DiffLine::Same, a[a0 + x - 1], int(a0 + x), int(b0 + y)});
      if (down) rev.append({DiffLine::Added, b[b0 + py], 0, int(b0 + py + 1)});
      else rev.append({DiffLine::Removed, a[a0 + px], int(a0 + px + 1), 0});
      x = px;
      y = py;
    }
    for (; x > 0 && y > 0; --x, --y) rev.append({DiffLine::Same, a[a0 + x - 1], int(a0 + x), int(b0 + y)});
    for (auto it = rev.crbegin(); it != rev.crend(); ++it) out.append(*it);
    return true;
  }
  return false;
}

}  // namespace

QVector<DiffLine> diffLines(const QString& before, const QString& after) {
  QStringList a = before.split('\n'), b = after.split('\n');
  if (!a.isEmpty() && a.last().isEmpty()) a.removeLast();
  if (!b.isEmpty() && b.last().isEmpty()) b.removeLast();
  const auto n = a.size(), m = b.size();
  QVector<DiffLine> out;
  constexpr qint64 kTableCells = 4'000'000;  // ≈ 2,000 × 2,000 lines: the table stays under 16 MB
  if (qint64(n) * m <= kTableCells) {
    tableDiff(a, 0, n, b, 0, m, out);
    return out;
  }
  // Long files (a variant of a 100k-line Dockerfile): the common head and tail, then the middle
  // by the table when small, else by Myers' algorithm; past 2,000 edits the middle is shown as
  // replaced (all its lines removed, then the new ones added) rather than aligned.
  qsizetype head = 0;
  while (head < n && head < m && a[head] == b[head]) ++head;
  qsizetype tail = 0;
  while (tail < n - head && tail < m - head && a[n - 1 - tail] == b[m - 1 - tail]) ++tail;
  out.reserve(qMax(n, m));
  for (qsizetype i = 0; i < head; ++i) out.append({DiffLine::Same, a[i], int(i + 1), int(i + 1)});
  const qsizetype a1 = n - tail, b1 = m - tail;
  if (qint64(a1 - head) * (b1 - head) <= kTableCells) tableDiff(a, head, a1, b, head, b1, out);
  else if (!myersDiff(a, head, a1, b, head, b1, 2000, out)) {
    for (qsizetype i = head; i < a1; ++i) out.append({DiffLine::Removed, a[i], int(i + 1), 0});
    for (qsizetype j = head; j < b1; ++j) out.append({DiffLine::Added, b[j], 0, int(j + 1)});
  }
  for (qsizetype t = tail; t > 0; --t) out.append({DiffLine::Same, a[n - t], int(n - t + 1), int(m - t + 1)});
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
  // A note on an added line often repeats the reason of the instruction it replaces ("replaced: X"
  // and "X"): said once.
  auto same = [](const QString& a, const QString& b) { return a == b || a.endsWith(": " + b) || b.endsWith(": " + a); };
  auto add = [&](const QString& r) {
    if (r.isEmpty()) return;
    for (const auto& e : out)
      if (same(e, r)) return;
    out.append(r);
  };
  for (int k = first; k < last; ++k) {
    const auto& d = lines[k];
    if (d.op == DiffLine::Removed) add(reasons.before.value(d.beforeLine));
    if (d.op == DiffLine::Added) add(reasons.after.value(d.afterLine));
  }
  return out;
}

QString htmlDiffWithReasons(const QString& before, const QString& after, bool dark, const DiffReasons& reasons,
                            const DiffLimits& limits) {
  const char* addBg = dark ? "#12361f" : "#e6ffec";
  const char* delBg = dark ? "#4b1818" : "#ffebe9";
  const char* whyFg = dark ? "#9ecbff" : "#0b4f9c";
  const char* whyBg = dark ? "#1c2a3a" : "#eef5fc";
  const char* foldFg = dark ? "#a0a0a0" : "#6a6a6a";
  const auto lines = diffLines(before, after);
  // Each stretch of lines, then — under a changed one — its reasons, across the whole width (as a
  // review comment sits under the lines it is about). Beside the code, in a column of their own,
  // the reasons were squeezed to a few characters a line by long lines, and a hunk whose reasons
  // were longer than its code left a blank gap beside it; under it, they wrap at the view's width
  // at any font size and the next hunk follows right after them.
  QString html;
  int k = 0, shown = 0;
  const int n = static_cast<int>(lines.size());
  while (k < n) {
    const bool same = lines[k].op == DiffLine::Same;
    int end = k;
    while (end < n && (lines[end].op == DiffLine::Same) == same) ++end;
    if (limits.maxLines > 0 && shown >= limits.maxLines) break;
    // A long unchanged stretch is folded to its first and last lines of context.
    const int ctx = limits.foldContext;
    const bool fold = same && limits.foldContext > 0 && end - k > 2 * ctx + 1;
    QString pre;
    int x = k;
    for (; x < end && !(limits.maxLines > 0 && shown >= limits.maxLines); ++x) {
      if (fold && x == k + ctx) {
        pre += QString("<span style=\"color:%1\">  ⋯ %2 unchanged lines (%3–%4 of yours) ⋯</span>\n")
                   .arg(foldFg)
                   .arg(end - k - 2 * ctx)
                   .arg(lines[x].beforeLine)
                   .arg(lines[end - ctx - 1].beforeLine);
        x = end - ctx - 1;
        ++shown;
        continue;
      }
      const auto& d = lines[x];
      const QString esc = d.text.toHtmlEscaped();
      if (d.op == DiffLine::Same) pre += "  " + esc + '\n';
      else
        pre += QString("<span style=\"background:%1\">%2 %3</span>\n").arg(d.op == DiffLine::Added ? addBg : delBg, d.op == DiffLine::Added ? "+" : "-", esc);
      ++shown;
    }
    if (pre.endsWith('\n')) pre.chop(1);
    // The code wraps at the view's edge (pre-wrap): a long line never widens the page.
    html += QString("<pre style=\"margin-top:0; margin-bottom:0; white-space:pre-wrap\">%1</pre>").arg(pre);
    if (!same) {
      QStringList why;
      for (const auto& r : hunkReasons(lines, k, x, reasons)) why << "• " + r.toHtmlEscaped();
      if (why.isEmpty()) why << "•  (no reason recorded)";
      html += QString("<p class=\"why\" style=\"margin-top:2px; margin-bottom:6px; margin-left:24px; color:%1; background-color:%2\">%3</p>")
                  .arg(whyFg, whyBg, why.join("<br>"));
    }
    k = x;  // `end` unless the line limit stopped the hunk
  }
  if (k < n) {
    int changed = 0;
    for (int x = k; x < n; ++x) changed += lines[x].op != DiffLine::Same;
    html += QString("<p style=\"color:%1\">… %2 more lines of the diff (%3 of them changed) are not shown here: "
                    "the whole file is in the Export dialog and in <code>slimbench analyze --export</code>.</p>")
                .arg(foldFg)
                .arg(n - k)
                .arg(changed);
  }
  return html;
}

}  // namespace slimbench::ui
