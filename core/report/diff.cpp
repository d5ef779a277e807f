#include "report/diff.h"

#include <algorithm>
#include <cstdint>

namespace slimbench::report {
namespace {

std::vector<std::string_view> splitLines(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) nl = s.size();
    std::string_view line = s.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF files diff as LF ones
    out.push_back(line);
    start = nl + 1;
  }
  return out;
}

using Lines = std::vector<std::string_view>;

// [a0, a1) against [b0, b1) by the longest-common-subsequence table (removals before additions).
void tableDiff(const Lines& a, std::size_t a0, std::size_t a1, const Lines& b, std::size_t b0, std::size_t b1,
               std::vector<DiffLine>& out) {
  const std::size_t n = a1 - a0, m = b1 - b0, w = m + 1;
  std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i * w + j] = a[a0 + i] == b[b0 + j] ? lcs[(i + 1) * w + j + 1] + 1 : std::max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
  std::size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (a[a0 + i] == b[b0 + j]) {
      out.push_back({DiffLine::Same, a[a0 + i], int(a0 + i + 1), int(b0 + j + 1)});
      ++i, ++j;
    } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
      out.push_back({DiffLine::Removed, a[a0 + i], int(a0 + i + 1), 0});
      ++i;
    } else {
      out.push_back({DiffLine::Added, b[b0 + j], 0, int(b0 + j + 1)});
      ++j;
    }
  }
  for (; i < n; ++i) out.push_back({DiffLine::Removed, a[a0 + i], int(a0 + i + 1), 0});
  for (; j < m; ++j) out.push_back({DiffLine::Added, b[b0 + j], 0, int(b0 + j + 1)});
}

// Myers' greedy O((N+M)·D) diff keeping each step's reach (O(D²) memory); false beyond maxEdits.
bool myersDiff(const Lines& a, std::size_t a0, std::size_t a1, const Lines& b, std::size_t b0, std::size_t b1, int maxEdits,
               std::vector<DiffLine>& out) {
  using I = std::int64_t;
  const I n = I(a1 - a0), m = I(b1 - b0);
  std::vector<std::vector<I>> trace;  // trace[d][k + d] = furthest x on diagonal k after d edits
  for (int d = 0; d <= maxEdits; ++d) {
    std::vector<I> v(std::size_t(2 * d + 1));
    bool done = false;
    for (int k = -d; k <= d; k += 2) {
      I x = 0;
      if (d > 0) {
        const auto& p = trace.back();
        const bool down = k == -d || (k != d && p[std::size_t(k - 1 + d - 1)] < p[std::size_t(k + 1 + d - 1)]);
        x = down ? p[std::size_t(k + 1 + d - 1)] : p[std::size_t(k - 1 + d - 1)] + 1;
      }
      I y = x - k;
      while (x < n && y < m && a[a0 + std::size_t(x)] == b[b0 + std::size_t(y)]) ++x, ++y;
      v[std::size_t(k + d)] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    trace.push_back(std::move(v));
    if (!done) continue;
    std::vector<DiffLine> rev;
    I x = n, y = m;
    for (int e = d; e > 0; --e) {
      const auto& p = trace[std::size_t(e - 1)];
      const I k = x - y;
      const bool down = k == -e || (k != e && p[std::size_t(k - 1 + e - 1)] < p[std::size_t(k + 1 + e - 1)]);
      const I pk = down ? k + 1 : k - 1;
      const I px = p[std::size_t(pk + e - 1)], py = px - pk;
      const I sx = down ? px : px + 1, sy = sx - k;
      for (; x > sx && y > sy; --x, --y)
        rev.push_back({DiffLine::Same, a[a0 + std::size_t(x - 1)], int(I(a0) + x), int(I(b0) + y)});
      if (down) rev.push_back({DiffLine::Added, b[b0 + std::size_t(py)], 0, int(I(b0) + py + 1)});
      else rev.push_back({DiffLine::Removed, a[a0 + std::size_t(px)], int(I(a0) + px + 1), 0});
      x = px, y = py;
    }
    for (; x > 0 && y > 0; --x, --y) rev.push_back({DiffLine::Same, a[a0 + std::size_t(x - 1)], int(I(a0) + x), int(I(b0) + y)});
    out.insert(out.end(), rev.rbegin(), rev.rend());
    return true;
  }
  return false;
}

}  // namespace

std::vector<DiffLine> diffLines(std::string_view before, std::string_view after) {
  const Lines a = splitLines(before), b = splitLines(after);
  const std::size_t n = a.size(), m = b.size();
  std::vector<DiffLine> out;
  out.reserve(std::max(n, m));
  std::size_t head = 0;
  while (head < n && head < m && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < n - head && tail < m - head && a[n - 1 - tail] == b[m - 1 - tail]) ++tail;
  for (std::size_t i = 0; i < head; ++i) out.push_back({DiffLine::Same, a[i], int(i + 1), int(i + 1)});
  const std::size_t a1 = n - tail, b1 = m - tail;
  constexpr std::uint64_t kTableCells = 4'000'000;  // ≈ 2,000 × 2,000 lines: a 16 MB table
  if (std::uint64_t(a1 - head) * (b1 - head) <= kTableCells) tableDiff(a, head, a1, b, head, b1, out);
  else if (!myersDiff(a, head, a1, b, head, b1, 2000, out)) {
    for (std::size_t i = head; i < a1; ++i) out.push_back({DiffLine::Removed, a[i], int(i + 1), 0});
    for (std::size_t j = head; j < b1; ++j) out.push_back({DiffLine::Added, b[j], 0, int(j + 1)});
  }
  for (std::size_t t = tail; t > 0; --t) out.push_back({DiffLine::Same, a[n - t], int(n - t + 1), int(m - t + 1)});
  return out;
}

UnifiedDiff unifiedDiff(std::string_view before, std::string_view after, const std::string& beforeName,
                        const std::string& afterName, int context) {
  UnifiedDiff u;
  const auto lines = diffLines(before, after);
  const std::size_t ctx = std::size_t(std::max(0, context));
  // The changed lines, grouped into hunks whose context windows touch.
  std::vector<std::pair<std::size_t, std::size_t>> hunks;  // [first, last) in `lines`
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].op == DiffLine::Same) continue;
    const std::size_t first = i >= ctx ? i - ctx : 0;
    std::size_t j = i;
    while (j < lines.size() && lines[j].op != DiffLine::Same) ++j;
    const std::size_t last = std::min(lines.size(), j + ctx);
    if (!hunks.empty() && first <= hunks.back().second) hunks.back().second = last;
    else hunks.push_back({first, last});
    i = j - 1;
  }
  if (hunks.empty()) return u;
  u.text = "--- " + beforeName + "\n+++ " + afterName + "\n";
  for (const auto& hunk : hunks) {
    const std::size_t first = hunk.first, last = hunk.second;  // plain names: lambdas below capture them
    // Where the hunk starts on each side: its first line there, or the line before it when the
    // hunk has none on that side (as diff -u writes "-0,0").
    int bStart = 0, aStart = 0, bCount = 0, aCount = 0;
    for (std::size_t i = first; i < last; ++i) {
      if (lines[i].beforeLine) bCount++, bStart = bStart ? bStart : lines[i].beforeLine;
      if (lines[i].afterLine) aCount++, aStart = aStart ? aStart : lines[i].afterLine;
    }
    auto precedingLine = [&](bool beforeSide) {
      for (std::size_t i = first; i-- > 0;) {
        const int l = beforeSide ? lines[i].beforeLine : lines[i].afterLine;
        if (l) return l;
      }
      return 0;
    };
    if (!bCount) bStart = precedingLine(true);
    if (!aCount) aStart = precedingLine(false);
    auto span = [](int start, int count) { return std::to_string(start) + (count == 1 ? "" : "," + std::to_string(count)); };
    u.text += "@@ -" + span(bStart, bCount) + " +" + span(aStart, aCount) + " @@\n";
    for (std::size_t i = first; i < last; ++i) {
      const auto& l = lines[i];
      u.text += l.op == DiffLine::Same ? ' ' : l.op == DiffLine::Added ? '+' : '-';
      u.text.append(l.text);
      u.text += '\n';
      u.added += l.op == DiffLine::Added;
      u.removed += l.op == DiffLine::Removed;
    }
  }
  return u;
}

}  // namespace slimbench::report
