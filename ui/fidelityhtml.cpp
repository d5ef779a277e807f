#include "fidelityhtml.h"

#include <algorithm>
#include <vector>

namespace slimbench::ui {
namespace {
QString q(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

DiffReasons fidelityReasons(const std::string& original, const estimate::VariantResult& v) {
  DiffReasons reasons;
  const int lines = static_cast<int>(std::count(original.begin(), original.end(), '\n')) +
                    (original.empty() || original.back() != '\n' ? 1 : 0);  // a final newline ends the last line
  // The first line of every instruction, sorted: an instruction's lines run up to the next one's.
  std::vector<int> starts;
  starts.reserve(v.fidelity.size());
  for (const auto& f : v.fidelity)
    if (f.line > 0) starts.push_back(f.line);
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  for (const auto& f : v.fidelity) {
    if (f.line <= 0) continue;
    auto nextStart = std::upper_bound(starts.begin(), starts.end(), f.line);
    const int next = nextStart == starts.end() ? lines + 1 : *nextStart;
    const QString why = q(f.action + ": " + f.reason.str());
    for (int l = f.line; l < next; ++l) reasons.before[l] = why;
  }
  for (const auto& n : v.lineNotes) reasons.after[n.line] = q(n.reason);
  return reasons;
}

QString fidelityDiffHtml(const std::string& original, const estimate::VariantResult& v, bool dark) {
  DiffLimits limits;
  // A Dockerfile of usual size is shown whole (a workshop reads it top to bottom).
  if (std::count(original.begin(), original.end(), '\n') > kDiffFoldAbove) limits.foldContext = kDiffFoldContext;
  limits.maxLines = kDiffMaxLines;
  QString html = htmlDiffWithReasons(q(original), q(v.dockerfile), dark, fidelityReasons(original, v), limits);
  if (v.fidelity.empty()) return html;
  html += "<h4>What this variant did with each instruction of yours</h4><table cellspacing=\"0\" cellpadding=\"3\" border=\"1\">"
          "<tr><th>line</th><th>action</th><th>instruction</th><th>reason</th></tr>";
  const int shown = std::min<int>(kFidelityTableRows, static_cast<int>(v.fidelity.size()));
  for (int i = 0; i < shown; ++i) {
    const auto& f = v.fidelity[static_cast<std::size_t>(i)];
    QString ins = q(f.instruction);
    if (ins.size() > 70) ins = ins.left(67) + "...";
    html += QString("<tr><td>%1</td><td><b>%2</b></td><td><code>%3</code></td><td>%4</td></tr>")
                .arg(f.line > 0 ? QString::number(f.line) : QString("–"), q(f.action), ins.toHtmlEscaped(), q(f.reason).toHtmlEscaped());
  }
  html += "</table>";
  if (shown < static_cast<int>(v.fidelity.size()))
    html += QString("<p>%1 more instructions not listed here (the first %2 are): <code>slimbench analyze --json</code> "
                    "lists every one under <code>fidelity</code>.</p>")
                .arg(v.fidelity.size() - static_cast<std::size_t>(shown))
                .arg(shown);
  return html;
}

}  // namespace slimbench::ui
