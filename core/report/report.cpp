#include "report/report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <tuple>

#include "report/diff.h"

namespace slimbench::report {
namespace {

using estimate::Analysis;
using estimate::Basis;
using estimate::Category;
using estimate::formatMB;
using estimate::formatSeconds;
using estimate::formatTotal;
using estimate::LayerEstimate;
using estimate::Range;
using estimate::VariantEstimate;
using estimate::VariantResult;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// At most `max` bytes of `s` on one line, cut at a UTF-8 character boundary, with "…" when cut.
std::string clip(std::string s, std::size_t max) {
  for (auto& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "…";
}

std::string title(const VariantResult& v) { return generate::variantTitle(v.kind); }
std::string id(const VariantResult& v) { return generate::variantId(v.kind); }

bool lowerBound(const VariantEstimate& e) { return e.disk.open || !e.coverage.complete; }

// A total for a table cell: "123.4 MB", or "≥ 123.4 MB" when part of it is unknown.
std::string shortTotal(const VariantEstimate& e) { return (lowerBound(e) ? "≥ " : "") + formatMB(e.disk.mid); }

int warnings(const VariantResult& v) {
  int n = 0;
  for (const auto& f : v.findings) n += f.severity >= Severity::Warning;
  return n;
}

// A size in MB, or in kB under 0.1 MB: a few measured bytes never read as "0.0 MB".
std::string sizeText(std::uint64_t b) {
  if (b == 0 || b >= 50'000) return formatMB(b);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(b) / 1e3);
  return buf;
}

std::string rangeText(const Range& r) {
  if (r.open) return "no upper bound";
  if (r.high < 50'000) return sizeText(r.low) + "–" + sizeText(r.high);
  char low[32];
  std::snprintf(low, sizeof low, "%.1f", static_cast<double>(r.low) / 1e6);
  return low + ("–" + formatMB(r.high));
}

// Text with `code` spans (the rule texts and lint messages quote commands so): each span is a pair
// of single backticks with no backtick inside, rendered as code; everything else is escaped text.
// A stray backtick (say, in the user's own text) is escaped, never left to pair with a later one.
template <class Plain, class Code>
std::string withCodeSpans(const std::string& s, Plain plain, Code code) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t open = s.find('`', i);
    if (open == std::string::npos) break;
    const bool single = (open + 1 < s.size() && s[open + 1] != '`') && (open == 0 || s[open - 1] != '`');
    const std::size_t close = single ? s.find('`', open + 1) : std::string::npos;
    const bool closes = close != std::string::npos && close > open + 1 && (close + 1 >= s.size() || s[close + 1] != '`');
    if (!closes) {
      out += plain(s.substr(i, open + 1 - i));
      i = open + 1;
      continue;
    }
    out += plain(s.substr(i, open - i)) + code(s.substr(open + 1, close - open - 1));
    i = close + 1;
  }
  return out + plain(s.substr(i));
}

std::string linesList(const std::vector<int>& lines) {
  std::string s;
  for (std::size_t i = 0; i < lines.size() && i < 8; ++i) s += (i ? ", " : "") + (lines[i] ? "line " + std::to_string(lines[i]) : std::string("base image"));
  if (lines.size() > 8) s += ", … (" + std::to_string(lines.size() - 8) + " more)";
  return s;
}

// How much of the total is known: "complete", "2 layers unknown (line 4, base image)", "1 proxy layer (line 7)".
std::string sureText(const VariantEstimate& e) {
  std::vector<std::string> parts;
  if (e.coverage.unknownCount > 0)
    parts.push_back(std::to_string(e.coverage.unknownCount) + (e.coverage.unknownCount == 1 ? " layer" : " layers") + " unknown (" +
                    linesList(e.coverage.unknownLayers) + ")");
  if (e.coverage.proxyCount > 0)
    parts.push_back(std::to_string(e.coverage.proxyCount) + (e.coverage.proxyCount == 1 ? " layer" : " layers") + " sized by a proxy (" +
                    linesList(e.coverage.proxyLayers) + ")");
  if (parts.empty()) return "complete";
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : "; ") + p;
  return s;
}

std::string settingsLine(const Analysis& a) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "Python %s, %s, %.0f Mbit/s, %d cores", a.pythonVersion.c_str(), a.settings.arch.c_str(),
                a.settings.bandwidthMbps, a.settings.cores);
  std::string s = buf;
  if (!a.requirementFiles.empty()) {
    s += "; requirements: ";
    for (std::size_t i = 0; i < a.requirementFiles.size(); ++i) s += (i ? ", " : "") + a.requirementFiles[i];
  }
  if (!a.target.empty()) s += "; --target " + a.target;
  for (const auto& [k, v] : a.buildArgs) s += "; --build-arg " + k + "=" + v;
  return s;
}

std::string contextLine(const Analysis& a) {
  return "Build context: " + sizeText(a.context.totalBytes) + " in " + std::to_string(a.context.files.size()) + " files" +
         (a.context.hasDockerignore ? " (after .dockerignore)" : " (no .dockerignore)") + (a.contextNote.empty() ? "" : ", " + a.contextNote);
}

const char* colour(Category c) {  // the window's colours (ui/models.cpp)
  switch (c) {
    case Category::OsBase: return "#4e79a7";
    case Category::PythonRuntime: return "#59a14f";
    case Category::SystemPackages: return "#f28e2b";
    case Category::BuildTools: return "#e15759";
    case Category::PythonPackages: return "#76b7b2";
    case Category::Caches: return "#edc948";
    case Category::AppCode: return "#b07aa1";
    case Category::WheelsCopied: return "#ff9da7";
    case Category::Other: break;
  }
  return "#9c755f";
}

std::string layerName(const LayerEstimate& l) {
  return (l.fromBase ? std::string("(base) ") : "L" + std::to_string(l.line) + " ") + clip(std::string(l.instruction), 160);
}

// A layer's size as the CLI prints it: "12.3 MB", "≥ 1.0 MB" or "?" (nothing of it known).
std::string layerSize(const LayerEstimate& l) {
  if (l.basis == Basis::Unknown || l.disk.open) return l.disk.mid ? "≥ " + sizeText(l.disk.mid) : std::string("?");
  return sizeText(l.disk.mid);
}

std::string basisText(const LayerEstimate& l) {
  return l.basis == Basis::Given ? std::string("given by you") : std::string(estimate::basisId(l.basis));
}

std::string fmtNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// ---- the chart (SVG) -----------------------------------------------------------------------

struct Segment {
  double x0 = 0, x1 = 0;
  Category category = Category::Other;
  std::string tip;
  bool merged = false;
};

// A bar's segments: one per layer; runs of layers too thin to see (under 1.5 px) are merged into
// one grey segment that names them, so a bar of 50,000 layers stays a few hundred rectangles.
std::vector<Segment> segmentsOf(const VariantEstimate& e, double scale, double x0) {
  std::vector<Segment> out;
  double cum = 0;
  struct Run {
    int count = 0, first = 0, last = 0;
    std::uint64_t bytes = 0;
    double start = 0;
  } run;
  auto flush = [&] {
    if (run.count == 0) return;
    Segment s;
    s.x0 = x0 + run.start * scale;
    s.x1 = x0 + cum * scale;
    s.merged = true;
    s.tip = std::to_string(run.count) + (run.count == 1 ? " layer" : " layers") +
            (run.first ? ", lines " + std::to_string(run.first) + "–" + std::to_string(run.last) : std::string()) + ": " +
            formatMB(run.bytes) + " together (each too thin to draw)";
    if (run.count == 1) s.merged = false;
    out.push_back(std::move(s));
    run = Run{};
  };
  for (const auto& l : e.layers) {
    const double bytes = static_cast<double>(l.disk.mid);
    if (bytes <= 0) continue;  // nothing known of it: no width (an unknown shows as the bar's open end)
    const double w = bytes * scale;
    if (w < 1.5) {
      if (run.count == 0) run.start = cum, run.first = l.line;
      run.count++;
      run.last = l.line;
      run.bytes += l.disk.mid;
      cum += bytes;
      if ((cum - run.start) * scale >= 3) flush();
      continue;
    }
    flush();
    Segment s;
    s.x0 = x0 + cum * scale;
    cum += bytes;
    s.x1 = x0 + cum * scale;
    s.category = l.category;
    s.tip = layerName(l) + "\n" + layerSize(l) + (l.disk.open ? " known so far" : ", range " + rangeText(l.disk)) + " · " +
            estimate::categoryTitle(l.category) + " · basis " + basisText(l) + (std::string(l.source).empty() ? "" : "\nsource: " + clip(std::string(l.source), 300));
    for (const auto& u : l.unknownParts) s.tip += "\nunknown: " + clip(u, 200);
    out.push_back(std::move(s));
  }
  flush();
  return out;
}

double niceStep(double maxMB) {
  const double raw = maxMB / 5;
  const double p = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-9))));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * p >= raw) return m * p;
  return 10 * p;
}

std::string svgChart(const Analysis& a, int chosen) {
  // The widest total label, "≥ 1234.5 MB (12 layers unknown)", fits right of the longest bar and its open end.
  const double W = 1040, labelW = 214, openW = 34, barW = W - labelW - openW - 16 - 230, rowH = 38, barH = 20, top = 34;
  std::uint64_t maxBytes = 0;
  for (const auto& v : a.variants)
    if (!v.parseError) maxBytes = std::max(maxBytes, v.estimate.disk.mid);
  const double scale = maxBytes ? barW / static_cast<double>(maxBytes) : 0;
  std::set<Category> used;
  bool anyOpen = false;
  for (const auto& v : a.variants)
    if (!v.parseError) {
      for (const auto& l : v.estimate.layers)
        if (l.disk.mid) used.insert(l.category);
      anyOpen = anyOpen || lowerBound(v.estimate);
    }
  // The legend, laid out in rows across the width.
  struct Item {
    std::string text;
    const char* fill;  // nullptr: the open end
  };
  std::vector<Item> items;
  for (Category c : used) items.push_back({estimate::categoryTitle(c), colour(c)});
  bool anyMerged = false;
  for (const auto& v : a.variants)
    if (!v.parseError)
      for (const auto& seg : segmentsOf(v.estimate, scale, labelW)) anyMerged = anyMerged || seg.merged;
  if (anyMerged) items.push_back({"several thin layers", "#bdbdbd"});
  if (anyOpen) items.push_back({"unknown: an open end, no size drawn (the total is a lower bound, ≥)", nullptr});
  const double legendTop = top + rowH * static_cast<double>(a.variants.size()) + 14;
  std::string legend;
  double lx = 10, ly = legendTop;
  for (const auto& it : items) {
    const double w = 22 + 6.6 * static_cast<double>(it.text.size()) + 18;
    if (lx + w > W && lx > 10) lx = 10, ly += 22;
    if (it.fill) legend += "<rect x=\"" + fmtNumber(lx) + "\" y=\"" + fmtNumber(ly) + "\" width=\"14\" height=\"14\" fill=\"" + it.fill + "\"/>";
    else
      legend += "<path d=\"M" + fmtNumber(lx) + " " + fmtNumber(ly) + " h14 M" + fmtNumber(lx) + " " + fmtNumber(ly + 14) +
                " h14\" stroke=\"#555\" stroke-dasharray=\"3 2\" fill=\"none\"/><text x=\"" + fmtNumber(lx + 16) + "\" y=\"" +
                fmtNumber(ly + 12) + "\" class=\"q\">?</text>";
    legend += "<text x=\"" + fmtNumber(lx + 22 + (it.fill ? 0 : 6)) + "\" y=\"" + fmtNumber(ly + 12) + "\">" + escapeHtml(it.text) + "</text>";
    lx += w;
  }
  const double H = ly + 30;

  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " + fmtNumber(W) + " " + fmtNumber(H) +
                  "\" width=\"" + fmtNumber(W) + "\" height=\"" + fmtNumber(H) + "\" role=\"img\" aria-label=\"" +
                  escapeHtml("Estimated size on disk of each variant, layer by layer") + "\">";
  s += "<style>text{font:12px system-ui,sans-serif;fill:#222}.lbl{font-size:13px}.chosen{font-weight:bold}.q{font-weight:bold;font-size:15px}"
       ".tick{fill:#666;font-size:11px}</style>";
  // Axis: gridlines at round figures.
  if (maxBytes) {
    const double maxMB = static_cast<double>(maxBytes) / 1e6, step = niceStep(maxMB);
    for (double t = 0; t <= maxMB + 1e-9; t += step) {
      const double x = labelW + t * 1e6 * scale;
      char lab[32];
      std::snprintf(lab, sizeof lab, t >= 1000 ? "%.2f GB" : step < 1 ? "%.1f MB" : "%.0f MB", t >= 1000 ? t / 1000 : t);
      s += "<line x1=\"" + fmtNumber(x) + "\" y1=\"" + fmtNumber(top - 6) + "\" x2=\"" + fmtNumber(x) + "\" y2=\"" +
           fmtNumber(top + rowH * static_cast<double>(a.variants.size()) - 8) + "\" stroke=\"#e3e3e3\"/>";
      s += "<text class=\"tick\" x=\"" + fmtNumber(x) + "\" y=\"" + fmtNumber(top - 10) + "\" text-anchor=\"middle\">" + lab + "</text>";
    }
  }
  for (std::size_t i = 0; i < a.variants.size(); ++i) {
    const auto& v = a.variants[i];
    const double y = top + rowH * static_cast<double>(i);
    const bool isChosen = static_cast<int>(i) == chosen;
    s += "<g class=\"bar\" data-variant=\"" + id(v) + "\">";
    s += "<text class=\"lbl" + std::string(isChosen ? " chosen" : "") + "\" x=\"" + fmtNumber(labelW - 10) + "\" y=\"" +
         fmtNumber(y + barH / 2 + 4) + "\" text-anchor=\"end\">" + escapeHtml(title(v)) + (isChosen ? " ▸" : "") + "</text>";
    if (v.parseError) {
      s += "<text x=\"" + fmtNumber(labelW) + "\" y=\"" + fmtNumber(y + barH / 2 + 4) + "\" fill=\"#b00020\">does not parse<title>" +
           escapeHtml(v.parseError->format()) + "</title></text></g>";
      continue;
    }
    const auto& e = v.estimate;
    for (const auto& seg : segmentsOf(e, scale, labelW)) {
      s += "<rect x=\"" + fmtNumber(seg.x0) + "\" y=\"" + fmtNumber(y) + "\" width=\"" + fmtNumber(std::max(seg.x1 - seg.x0, 0.5)) +
           "\" height=\"" + fmtNumber(barH) + "\" fill=\"" + (seg.merged ? "#bdbdbd" : colour(seg.category)) +
           "\" stroke=\"#fff\" stroke-width=\"0.6\"><title>" + escapeHtml(seg.tip) + "</title></rect>";
    }
    double end = labelW + static_cast<double>(e.disk.mid) * scale;
    if (lowerBound(e)) {
      // The unknown part: an open end after what is known (no width that could read as a size).
      std::string tip = "Unknown: " + sureText(e) + ". The total counts only what is known.";
      for (const auto& l : e.layers)
        for (const auto& u : l.unknownParts) tip += "\n" + layerName(l) + ": " + clip(u, 200);
      s += "<g class=\"open\"><title>" + escapeHtml(tip) + "</title><path d=\"M" + fmtNumber(end) + " " + fmtNumber(y) + " h" +
           fmtNumber(openW) + " M" + fmtNumber(end) + " " + fmtNumber(y + barH) + " h" + fmtNumber(openW) +
           "\" stroke=\"#555\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\" fill=\"none\"/><text class=\"q\" x=\"" +
           fmtNumber(end + openW + 4) + "\" y=\"" + fmtNumber(y + barH / 2 + 5) + "\">?</text></g>";
      end += openW + 16;
    }
    s += "<text x=\"" + fmtNumber(end + 8) + "\" y=\"" + fmtNumber(y + barH / 2 + 4) + "\">" +
         escapeHtml(formatTotal(e.disk, e.coverage)) + "<title>" +
         escapeHtml(title(v) + ": " + formatTotal(e.disk, e.coverage) + " on disk, " + estimate::formatSize(e.compressed) +
                    " to pull, build " + formatSeconds(e.buildSecondsCold, e.coldLowerBound) + " cold") + "</title></text>";
    s += "</g>";
  }
  s += legend + "</svg>";
  return s;
}

// ---- HTML pieces --------------------------------------------------------------------------

const char* kCss = R"css(
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;background:#fff;margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}
.sub,.note{color:#555}.note{font-size:13px}
table{border-collapse:collapse;width:100%;font-size:13px}code{font:12.5px ui-monospace,"DejaVu Sans Mono",monospace;background:#f0f0f3;padding:0 3px;border-radius:3px}
pre.fix{margin:2px 0 4px;padding:6px 8px;background:#fff}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f6}td.num{text-align:right;white-space:nowrap}tr.chosen td{background:#eef6ee;font-weight:600}
.tag{font-size:12px;background:#2e7d32;color:#fff;border-radius:3px;padding:0 5px;margin-left:6px;font-weight:normal}
pre{background:#f6f8fa;border:1px solid #ddd;border-radius:4px;padding:10px;overflow-x:auto;font:13px/1.4 ui-monospace,"DejaVu Sans Mono",monospace}
pre .ln{color:#999;user-select:none}pre .add,pre .del,pre .hunk,pre .file{display:inline-block;min-width:100%}pre .add{background:#e6ffec;color:#05501c}pre .del{background:#ffebe9;color:#82071e}
pre .hunk{color:#6639ba}pre .file{color:#555;font-weight:bold}
.finding{border-left:4px solid #c77800;background:#fffaf0;padding:6px 10px;margin:8px 0}.finding.error{border-color:#d62728;background:#fff4f4}
.finding.info{border-color:#3b82f6;background:#f3f8ff}.finding p{margin:3px 0}.finding .head{font-weight:600}
.sev{text-transform:uppercase;font-size:11px;letter-spacing:.04em;margin-right:6px}
details{margin:6px 0}summary{cursor:pointer;font-weight:600}svg.chart{max-width:100%;height:auto}
.unknown{color:#8a4b00}.layers p{margin:0 0 3px}.layers td:nth-child(2){font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px;word-break:break-all}
footer{margin-top:32px;color:#666;font-size:12px}
)css";

std::string htmlText(const std::string& s) {
  return withCodeSpans(s, escapeHtml, [](const std::string& c) { return "<code>" + escapeHtml(c) + "</code>"; });
}

std::string findingHtml(const lint::Finding& f) {
  const char* sev = severityName(f.severity);
  std::string s = "<div class=\"finding " + std::string(sev) + "\"><p class=\"head\"><span class=\"sev\">" + sev + "</span>" +
                  escapeHtml(f.ruleId) + (f.where.line ? " · line " + std::to_string(f.where.line) : std::string()) + " · " +
                  escapeHtml(f.title) + "</p>";
  if (!f.message.empty()) s += "<p>" + htmlText(f.message) + "</p>";
  if (!f.explanation.empty()) s += "<p><b>Why:</b> " + htmlText(f.explanation) + "</p>";
  if (!f.fix.empty()) s += "<p><b>Fix:</b></p><pre class=\"fix\">" + escapeHtml(f.fix) + "</pre>";
  return s + "</div>";
}

std::string numberedHtml(const std::string& text) {
  std::string s = "<pre class=\"dockerfile\">";
  std::size_t start = 0;
  int n = 0;
  const int width = static_cast<int>(std::to_string(std::count(text.begin(), text.end(), '\n') + 1).size());
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    char ln[24];
    std::snprintf(ln, sizeof ln, "%*d  ", width, ++n);
    s += "<span class=\"ln\">" + std::string(ln) + "</span>" + escapeHtml(text.substr(start, nl - start)) + "\n";
    start = nl + 1;
  }
  return s + "</pre>";
}

std::string diffHtml(const UnifiedDiff& d) {
  std::string s = "<pre class=\"diff\">";
  std::size_t start = 0;
  int line = 0;
  while (start < d.text.size()) {
    std::size_t nl = d.text.find('\n', start);
    if (nl == std::string::npos) nl = d.text.size();
    const std::string l = d.text.substr(start, nl - start);
    const char* cls = line < 2 ? "file" : l.rfind("@@", 0) == 0 ? "hunk" : !l.empty() && l[0] == '+' ? "add" : !l.empty() && l[0] == '-' ? "del" : nullptr;
    if (cls) s += "<span class=\"" + std::string(cls) + "\">" + escapeHtml(l) + "</span>\n";
    else s += escapeHtml(l) + "\n";
    start = nl + 1;
    ++line;
  }
  return s + "</pre>";
}

std::string layersTableHtml(const VariantResult& v, int maxRows) {
  const auto& e = v.estimate;
  std::string s = "<table class=\"layers\"><tr><th>Layer</th><th>Instruction</th><th>Category</th><th>On disk</th><th>Range</th><th>Basis</th><th>Why, and the source</th></tr>";
  int rows = 0;
  for (const auto& l : e.layers) {
    if (maxRows > 0 && rows == maxRows) {
      s += "<tr><td colspan=\"7\">… " + std::to_string(e.layers.size() - static_cast<std::size_t>(rows)) +
           " more layers: slimbench analyze --json lists every one</td></tr>";
      break;
    }
    ++rows;
    std::string why;
    if (!l.reason.empty()) why += "<p>" + escapeHtml(l.reason) + "</p>";
    if (!std::string(l.source).empty()) why += "<p><i>Source:</i> " + escapeHtml(std::string(l.source)) + "</p>";
    for (const auto& u : l.unknownParts) why += "<p class=\"unknown\">? unknown: " + escapeHtml(u) + "</p>";
    if (!l.proxyNote.empty()) why += "<p>~ proxy: " + escapeHtml(l.proxyNote) + "</p>";
    for (const auto& n : l.notes) why += "<p>! " + escapeHtml(n) + "</p>";
    s += "<tr><td>" + (l.fromBase ? std::string("base") : "L" + std::to_string(l.line)) + "</td><td>" +
         escapeHtml(clip(std::string(l.instruction), 400)) + "</td><td>" + escapeHtml(estimate::categoryTitle(l.category)) +
         "</td><td class=\"num\">" + escapeHtml(layerSize(l)) + "</td><td class=\"num\">" + escapeHtml(rangeText(l.disk)) +
         "</td><td>" + escapeHtml(basisText(l)) + "</td><td>" + why + "</td></tr>";
  }
  s += "</table>";
  std::string extra;
  if (!e.warmNote.empty()) extra += "<li>Build after a source change: " + escapeHtml(e.warmNote) + "</li>";
  if (!e.timeUnknowns.empty()) {
    std::string t;
    for (const auto& u : e.timeUnknowns) t += (t.empty() ? "" : "; ") + u;
    extra += "<li>The build time is a lower bound: " + escapeHtml(t) + "</li>";
  }
  for (const auto& p : e.packages)
    if (!p.asked.empty()) extra += "<li>Proxy: " + escapeHtml(p.name) + " asked " + escapeHtml(p.asked) + ", sized as " + escapeHtml(p.version) + "</li>";
  if (!e.builderLayers.empty())
    extra += "<li>" + std::to_string(e.builderLayers.size()) + " builder-stage layers count for the build time, not the image.</li>";
  if (!extra.empty()) s += "<ul>" + extra + "</ul>";
  return s;
}

std::string recommendationHeading(const Analysis& a, const Choice& c) {
  return (c.recommended ? "Recommended: " : "Chosen: ") + title(a.variants[static_cast<std::size_t>(c.variant)]);
}

std::string diffName(const VariantResult& v) { return v.kind == generate::VariantKind::Original ? "Dockerfile" : "Dockerfile." + id(v); }

}  // namespace

// ---- escaping -----------------------------------------------------------------------------

std::string escapeHtml(const std::string& s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (c < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') out += "\xEF\xBF\xBD";  // not allowed in XML 1.0
        else if (c == 0x7F) out += "\xEF\xBF\xBD";
        else out += ch;
    }
  }
  return out;
}

std::string escapeMarkdown(const std::string& s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\n': case '\r': case '\t': out += ' '; break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '#': case '~': case '!':
        out += '\\';
        out += ch;
        break;
      default:
        if (c < 0x20 || c == 0x7F) out += "\xEF\xBF\xBD";
        else out += ch;
    }
  }
  return out;
}

std::string fenceFor(const std::string& text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

std::optional<Format> formatFromPath(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return std::nullopt;
  const std::string ext = lower(path.substr(dot + 1));
  if (ext == "html" || ext == "htm") return Format::Html;
  if (ext == "md" || ext == "markdown") return Format::Markdown;
  return std::nullopt;
}

// ---- choosing the Dockerfile to show -------------------------------------------------------

Choice recommend(const Analysis& a) {
  Choice c;
  c.recommended = true;
  for (std::size_t i = 0; i < a.variants.size(); ++i) {
    const auto& v = a.variants[i];
    if (v.parseError) continue;
    if (c.variant < 0) {
      c.variant = static_cast<int>(i);
      continue;
    }
    const auto& e = v.estimate;
    const auto& b = a.variants[static_cast<std::size_t>(c.variant)].estimate;
    // Fully estimated sizes before lower bounds, then the smaller image, then the faster build.
    const auto key = [](const VariantEstimate& x) { return std::make_tuple(lowerBound(x), x.disk.mid, x.buildSecondsCold); };
    if (key(e) < key(b)) c.variant = static_cast<int>(i);
  }
  if (c.variant < 0) {
    c.why = "No variant parses, so none is recommended.";
    return c;
  }
  const auto& v = a.variants[static_cast<std::size_t>(c.variant)];
  const auto& e = v.estimate;
  bool othersComplete = false;
  for (const auto& o : a.variants)
    if (!o.parseError && !lowerBound(o.estimate)) othersComplete = true;
  if (v.kind == generate::VariantKind::Original)
    c.why = "Your Dockerfile already makes the smallest estimated image (" + formatTotal(e.disk, e.coverage) + " on disk); no variant is smaller.";
  else if (!lowerBound(e))
    c.why = title(v) + " makes the smallest estimated image on disk (" + formatMB(e.disk.mid) +
            ") of the variants whose size is fully estimated" + (e.buildSecondsCold > 0 ? ", built in " + formatSeconds(e.buildSecondsCold, e.coldLowerBound) + " cold" : std::string()) + ".";
  else
    c.why = title(v) + " has the smallest known part: " + formatTotal(e.disk, e.coverage) +
            (othersComplete ? "" : "; every variant has unknown parts, so this compares lower bounds only and could change once they are known") + ".";
  return c;
}

std::optional<Choice> choose(const Analysis& a, const std::string& variantId) {
  if (variantId.empty()) return recommend(a);
  for (std::size_t i = 0; i < a.variants.size(); ++i)
    if (id(a.variants[i]) == variantId) {
      Choice c;
      c.variant = static_cast<int>(i);
      c.why = "The variant asked for (" + variantId + ").";
      const Choice r = recommend(a);
      if (r.variant >= 0 && r.variant != c.variant)
        c.why += " Recommended otherwise: " + r.why;
      return c;
    }
  return std::nullopt;
}

// ---- HTML ---------------------------------------------------------------------------------

std::string html(const Analysis& a, const Options& o) {
  const Choice choice = choose(a, o.variant).value_or(recommend(a));
  const std::string name = o.title.empty() ? std::string("project") : o.title;
  std::string s;
  s.reserve(64 * 1024);
  s += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
  s += "<title>" + escapeHtml("Image size report: " + name) + "</title><style>" + kCss + "</style></head><body>\n";
  s += "<header><h1>" + escapeHtml("Image size report: " + name) + "</h1><p class=\"sub\">Estimated by slimbench before building, layer by layer. " +
       escapeHtml(settingsLine(a)) + ".<br>" + escapeHtml(contextLine(a)) + ".</p></header>\n";
  for (const auto& w : a.settingWarnings) s += "<p class=\"unknown\">" + escapeHtml(w) + "</p>";

  // The chart.
  s += "<section id=\"chart\"><h2>Size on disk, layer by layer</h2>\n" + svgChart(a, choice.variant) + "\n";
  bool anySizeBound = false, anyTimeBound = false;
  for (const auto& v : a.variants)
    if (!v.parseError) {
      anySizeBound = anySizeBound || lowerBound(v.estimate);
      anyTimeBound = anyTimeBound || v.estimate.coldLowerBound || v.estimate.warmLowerBound;
    }
  s += "<p class=\"note\">One bar per variant, one segment per layer of the final image, coloured by what the layer holds "
       "(hover a segment for its instruction, size, basis and source).";
  if (anySizeBound)
    s += " A total marked ≥ is a lower bound: part of the image could not be estimated, and that part is drawn as an "
         "open end marked ?, not as a size.";
  s += "</p></section>\n";

  // The table.
  s += "<section id=\"compare\"><h2>Variants compared</h2><table><tr><th>Variant</th><th>Base image</th><th>On disk</th><th>Range</th>"
       "<th>Pull (compressed)</th><th>Build, cold</th><th>Build after a source change</th><th>Findings</th><th>Compiler in the image</th>"
       "<th>How complete</th></tr>\n";
  for (std::size_t i = 0; i < a.variants.size(); ++i) {
    const auto& v = a.variants[i];
    const bool isChosen = static_cast<int>(i) == choice.variant;
    s += std::string("<tr") + (isChosen ? " class=\"chosen\"" : "") + " data-variant=\"" + id(v) + "\"><td>" + escapeHtml(title(v)) +
         (isChosen ? std::string("<span class=\"tag\">") + (choice.recommended ? "recommended" : "chosen") + "</span>" : std::string()) + "</td>";
    if (v.parseError) {
      s += "<td colspan=\"9\" class=\"unknown\">does not parse: " + escapeHtml(v.parseError->format()) + "</td></tr>\n";
      continue;
    }
    const auto& e = v.estimate;
    s += "<td>" + escapeHtml(e.baseImage) + "</td><td class=\"num disk\">" + escapeHtml(shortTotal(e)) + "</td><td class=\"num range\">" +
         escapeHtml(rangeText(e.disk)) + "</td><td class=\"num pull\">" + escapeHtml(estimate::formatSize(e.compressed)) + "</td><td class=\"num cold\">" +
         escapeHtml(formatSeconds(e.buildSecondsCold, e.coldLowerBound)) + "</td><td class=\"num warm\">" +
         escapeHtml(formatSeconds(e.buildSecondsWarm, e.warmLowerBound)) + "</td><td class=\"num\">" + std::to_string(warnings(v)) +
         "</td><td>" + (e.compilerInFinal ? "yes" : "no") + "</td><td>" + escapeHtml(sureText(e)) + "</td></tr>\n";
  }
  s += "</table><p class=\"note\">Sizes are decimal megabytes as docker prints them; each total adds the layers listed under "
       "“Where every figure comes from”, each with its basis: <b>catalogue</b> (read from a catalogue record or measured), "
       "<b>model</b> (computed by a stated model from catalogue data), <b>proxy</b> (something similar stands in, named), "
       "<b>given by you</b>, or <b>unknown</b> (not estimated" + std::string(anySizeBound ? ": the total becomes a lower bound, ≥" : "") +
       "). Build times assume the bandwidth and cores above" + (anyTimeBound ? "; ≥ marks a build with a step whose time is not known" : "") +
       ". Findings counts warnings and errors.</p></section>\n";

  // Findings.
  s += "<section id=\"findings\"><h2>Findings in your Dockerfile</h2>";
  const VariantResult* original = a.variants.empty() ? nullptr : &a.variants.front();
  if (original && original->parseError) s += "<p class=\"unknown\">" + escapeHtml(original->parseError->format()) + "</p>";
  else if (!original || original->findings.empty()) s += "<p>None.</p>";
  else
    for (const auto& f : original->findings) s += findingHtml(f);
  if (original)
    for (const auto& d : original->model.diagnostics)
      if (d.severity >= Severity::Warning) s += "<p class=\"unknown\">" + escapeHtml(d.format()) + "</p>";
  s += "</section>\n";

  // The chosen Dockerfile and its diff.
  if (choice.variant >= 0) {
    const auto& v = a.variants[static_cast<std::size_t>(choice.variant)];
    s += "<section id=\"dockerfile\"><h2>" + escapeHtml(recommendationHeading(a, choice)) + "</h2><p>" + escapeHtml(choice.why) + "</p>";
    if (v.kind != generate::VariantKind::Original && !v.findings.empty()) {
      s += "<h3>Its findings</h3>";
      for (const auto& f : v.findings) s += findingHtml(f);
    }
    s += "<h3>" + escapeHtml(diffName(v)) + "</h3>" + numberedHtml(v.dockerfile);
    if (original && v.kind != generate::VariantKind::Original) {
      const auto d = unifiedDiff(original->dockerfile, v.dockerfile, "Dockerfile (yours)", diffName(v));
      s += "<h3>Changes against your Dockerfile</h3>";
      if (d.text.empty()) s += "<p>None: the text is the same as yours.</p>";
      else s += "<p class=\"note\">" + std::to_string(d.removed) + " lines removed, " + std::to_string(d.added) + " added.</p>" + diffHtml(d);
      std::string why;
      for (const auto& f : v.fidelity)
        if (f.action != "kept")
          why += "<li>Your line " + std::to_string(f.line) + " <code>" + escapeHtml(clip(std::string(f.instruction), 120)) + "</code> — " +
                 escapeHtml(f.action) + (std::string(f.reason).empty() ? "" : ": " + escapeHtml(std::string(f.reason))) + "</li>";
      for (const auto& n : v.lineNotes) why += "<li>Line " + std::to_string(n.line) + " of the variant: " + escapeHtml(n.reason) + "</li>";
      for (const auto& u : v.untranslated)
        why += "<li class=\"unknown\">Line " + std::to_string(u.line) + ": " + escapeHtml(u.package) + " has no " + escapeHtml(u.family) +
               " equivalent known (kept as a comment)</li>";
      if (!why.empty()) s += "<h3>Why the lines changed</h3><ul>" + why + "</ul>";
    }
    s += "</section>\n";
  }

  // Every figure's basis and source.
  s += "<section id=\"layers\"><h2>Where every figure comes from</h2>";
  for (std::size_t i = 0; i < a.variants.size(); ++i) {
    const auto& v = a.variants[i];
    if (v.parseError) continue;
    const bool open = static_cast<int>(i) == choice.variant || i == 0;
    s += std::string("<details") + (open ? " open" : "") + "><summary>" + escapeHtml(title(v) + " (FROM " + v.estimate.baseImage + "): " +
         formatTotal(v.estimate.disk, v.estimate.coverage) + " on disk") + "</summary>" + layersTableHtml(v, o.maxLayerRows);
    if (v.kind != generate::VariantKind::Original && !v.findings.empty()) {
      s += "<p><b>Findings:</b></p>";
      for (const auto& f : v.findings) s += findingHtml(f);
    }
    s += "</details>\n";
  }
  s += "</section>\n<footer>";
  if (!a.dataNote.empty()) s += "<p>Data: " + escapeHtml(a.dataNote) + "</p>";
  if (!o.madeBy.empty()) s += "<p>Made with: <code>" + escapeHtml(o.madeBy) + "</code></p>";
  s += "</footer></body></html>\n";
  return s;
}

// ---- Markdown -----------------------------------------------------------------------------

namespace {

// A bar of block characters `cells` eighths long.
std::string blocks(long eighths) {
  static const char* partial[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  std::string s;
  for (long i = 0; i < eighths / 8; ++i) s += "█";
  s += partial[eighths % 8];
  return s;
}

std::size_t displayWidth(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string pad(const std::string& s, std::size_t width) {
  const std::size_t w = displayWidth(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::string textChart(const Analysis& a) {
  constexpr long kWidth = 40;  // characters for the largest bar
  std::uint64_t maxBytes = 0;
  std::size_t labelW = 0;
  for (const auto& v : a.variants) {
    labelW = std::max(labelW, displayWidth(title(v)));
    if (!v.parseError) maxBytes = std::max(maxBytes, v.estimate.disk.mid);
  }
  std::string s;
  for (const auto& v : a.variants) {
    s += pad(title(v), labelW + 2);
    if (v.parseError) {
      s += "(does not parse)\n";
      continue;
    }
    const auto& e = v.estimate;
    const long eighths = maxBytes ? std::lround(static_cast<double>(e.disk.mid) / static_cast<double>(maxBytes) * kWidth * 8) : 0;
    std::string bar = blocks(eighths);
    if (lowerBound(e)) bar += "┄?";  // the unknown part: an open end, not a size
    s += pad(bar, kWidth + 3) + formatTotal(e.disk, e.coverage) + "\n";
  }
  return s;
}

std::string mdText(const std::string& s) {
  return withCodeSpans(s, escapeMarkdown, [](std::string c) {
    for (auto& ch : c)
      if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
    return "`" + c + "`";  // a code span shows its text as it is: no escaping inside
  });
}

// A finding as a list item: the title and message, then why and the fix (a Dockerfile snippet, fenced).
std::string mdFinding(const lint::Finding& f) {
  std::string s = "- **" + escapeMarkdown(f.ruleId) + "** " + severityName(f.severity) +
                  (f.where.line ? ", line " + std::to_string(f.where.line) : std::string()) + ": " + escapeMarkdown(f.title);
  if (!f.message.empty()) s += " — " + mdText(f.message);
  s += "\n";
  if (!f.explanation.empty()) s += "\n  *Why:* " + mdText(f.explanation) + "\n";
  if (!f.fix.empty()) {
    const std::string& fix = f.fix;
    const std::string fence = fenceFor(fix);
    s += "\n  *Fix:*\n\n  " + fence + "dockerfile\n";
    std::size_t start = 0;
    while (start <= fix.size()) {
      std::size_t nl = fix.find('\n', start);
      if (nl == std::string::npos) nl = fix.size();
      s += "  " + fix.substr(start, nl - start) + "\n";
      start = nl + 1;
    }
    s += "  " + fence + "\n";
  }
  return s + "\n";
}

std::string mdLayers(const VariantResult& v, std::size_t maxRows) {
  std::string s = "| layer | instruction | on disk | basis | source |\n|---|---|--:|---|---|\n";
  std::size_t rows = 0;
  for (const auto& l : v.estimate.layers) {
    if (rows++ == maxRows) {
      s += "| … | " + std::to_string(v.estimate.layers.size() - maxRows) + " more layers (`slimbench analyze --verbose`) | | | |\n";
      break;
    }
    std::string src = clip(std::string(l.source), 140);
    for (const auto& u : l.unknownParts) src += " · unknown: " + clip(u, 140);
    if (!l.proxyNote.empty()) src += " · proxy: " + clip(l.proxyNote, 140);
    s += "| " + (l.fromBase ? std::string("base") : "L" + std::to_string(l.line)) + " | " + escapeMarkdown(clip(std::string(l.instruction), 80)) +
         " | " + escapeMarkdown(layerSize(l)) + " | " + escapeMarkdown(basisText(l)) + " | " + escapeMarkdown(src) + " |\n";
  }
  return s;
}

}  // namespace

std::string markdown(const Analysis& a, const Options& o) {
  const Choice choice = choose(a, o.variant).value_or(recommend(a));
  const std::string name = o.title.empty() ? std::string("project") : o.title;
  std::string s = "## Image size estimate: " + escapeMarkdown(name) + "\n\n";
  s += "Estimated by slimbench before building: " + escapeMarkdown(settingsLine(a)) + ". " + escapeMarkdown(contextLine(a)) + ".\n\n";
  for (const auto& w : a.settingWarnings) s += "> " + escapeMarkdown(w) + "\n\n";
  s += "| variant | on disk | range | pull | build, cold | after a source change | findings | compiler in image | how complete |\n";
  s += "|---|--:|---|--:|--:|--:|--:|---|---|\n";
  for (std::size_t i = 0; i < a.variants.size(); ++i) {
    const auto& v = a.variants[i];
    const bool isChosen = static_cast<int>(i) == choice.variant;
    const std::string t = isChosen ? "**" + escapeMarkdown(title(v)) + "** (" + (choice.recommended ? "recommended" : "chosen") + ")" : escapeMarkdown(title(v));
    if (v.parseError) {
      s += "| " + t + " | does not parse: " + escapeMarkdown(v.parseError->format()) + " | | | | | | | |\n";
      continue;
    }
    const auto& e = v.estimate;
    s += "| " + t + " | " + shortTotal(e) + " | " + rangeText(e.disk) + " | " + estimate::formatSize(e.compressed) + " | " +
         formatSeconds(e.buildSecondsCold, e.coldLowerBound) + " | " + formatSeconds(e.buildSecondsWarm, e.warmLowerBound) + " | " +
         std::to_string(warnings(v)) + " | " + (e.compilerInFinal ? "yes" : "no") + " | " + escapeMarkdown(sureText(e)) + " |\n";
  }
  bool anySizeBound = false;
  for (const auto& v : a.variants) anySizeBound = anySizeBound || (!v.parseError && lowerBound(v.estimate));
  s += std::string("\nOn disk, by variant (bars to scale") + (anySizeBound ? "; `≥` and `┄?`: a lower bound, part of the image not estimated" : "") + "):\n\n";
  s += "```text\n" + textChart(a) + "```\n\n";

  const VariantResult* original = a.variants.empty() ? nullptr : &a.variants.front();
  s += "### Findings in your Dockerfile\n\n";
  if (original && original->parseError) s += escapeMarkdown(original->parseError->format()) + "\n\n";
  else if (!original || original->findings.empty()) s += "None.\n\n";
  else {
    for (const auto& f : original->findings) s += mdFinding(f);
  }

  if (choice.variant >= 0) {
    const auto& v = a.variants[static_cast<std::size_t>(choice.variant)];
    s += "### " + escapeMarkdown(recommendationHeading(a, choice)) + "\n\n" + escapeMarkdown(choice.why) + "\n\n";
    if (v.kind != generate::VariantKind::Original && !v.findings.empty()) {
      s += "Its findings:\n\n";
      for (const auto& f : v.findings) s += mdFinding(f);
    }
    const std::string fence = fenceFor(v.dockerfile);
    s += "`" + diffName(v) + "`:\n\n" + fence + "dockerfile\n" + v.dockerfile + (v.dockerfile.empty() || v.dockerfile.back() != '\n' ? "\n" : "") + fence + "\n\n";
    if (original && v.kind != generate::VariantKind::Original) {
      const auto d = unifiedDiff(original->dockerfile, v.dockerfile, "Dockerfile", diffName(v));
      if (d.text.empty()) s += "No changes against your Dockerfile.\n\n";
      else {
        const std::string df = fenceFor(d.text);
        s += "Against your Dockerfile (" + std::to_string(d.removed) + " lines removed, " + std::to_string(d.added) + " added):\n\n" + df + "diff\n" +
             d.text + df + "\n\n";
      }
    }
    s += "<details><summary>Layers of " + escapeMarkdown(title(v)) + " and where each figure comes from</summary>\n\n" + mdLayers(v, 80) + "\n</details>\n\n";
    if (original && v.kind != generate::VariantKind::Original && !original->parseError)
      s += "<details><summary>Layers of your Dockerfile</summary>\n\n" + mdLayers(*original, 80) + "\n</details>\n\n";
  }
  s += "<sub>Sizes are estimates before building (decimal MB, as docker prints them); each layer's basis is catalogue, model, proxy, "
       "given by you or unknown. `slimbench analyze --verbose` prints every reason and source.</sub>\n";
  return s;
}

}  // namespace slimbench::report
