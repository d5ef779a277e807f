#pragma once
// A report of an analysis, to keep or to paste: a self-contained HTML page (the layer charts as
// inline SVG, the comparison table, the findings with their fixes, the chosen Dockerfile and its
// diff against the user's, every figure with its basis and source) or Markdown for a pull request
// (the table, a text chart, the findings, the Dockerfile and its diff). Written by
// `slimbench analyze --report FILE` and the window's File ▸ Export Report.
#include <optional>
#include <string>

#include "estimate/analysis.h"

namespace slimbench::report {

enum class Format { Html, Markdown };
// By the file's extension: .html/.htm → HTML, .md/.markdown → Markdown (case-insensitive).
std::optional<Format> formatFromPath(const std::string& path);

// The variant whose Dockerfile the report shows, and why that one.
struct Choice {
  int variant = -1;        // index in Analysis::variants; -1 when none parses
  bool recommended = false;
  std::string why;         // one sentence for the reader
};
// The recommended variant: the smallest image on disk (the estimate's mid) among the variants that
// parse, those whose size is fully estimated ranked before lower bounds (an unknown part is never
// compared as if it were zero); ties go to the faster cold build, then to the user's own Dockerfile.
Choice recommend(const estimate::Analysis& a);
// The variant `id` (original, fat, alpine, slim, multistage, buildkit), or the recommended one
// when `id` is empty. nullopt when the analysis has no such variant.
std::optional<Choice> choose(const estimate::Analysis& a, const std::string& id);

struct Options {
  std::string title;      // the project's name, e.g. the folder's ("flask-app")
  std::string variant;    // the Dockerfile to show: a variant id; empty = recommend()
  std::string madeBy;     // how the report was made, e.g. "slimbench analyze flask-app --arch arm64"
  // Layers listed per variant in the HTML details (a 100k-line Dockerfile has 50k): past this, a
  // last row counts the rest and names `analyze --json` for them. 0 = all.
  int maxLayerRows = 2000;
};

std::string html(const estimate::Analysis& a, const Options& o);
std::string markdown(const estimate::Analysis& a, const Options& o);
inline std::string render(const estimate::Analysis& a, Format f, const Options& o) {
  return f == Format::Html ? html(a, o) : markdown(a, o);
}

// Escaping, for anything taken from the user (Dockerfile text, paths, build args):
// HTML/XML text and attribute values (& < > " '; control characters XML does not allow become
// U+FFFD), and Markdown text outside code (HTML specials as entities, Markdown punctuation
// backslash-escaped, line breaks as spaces; `|` escaped so a table cell stays one cell).
std::string escapeHtml(const std::string& s);
std::string escapeMarkdown(const std::string& s);
// A code fence longer than any run of backticks in `text` (at least three).
std::string fenceFor(const std::string& text);

}  // namespace slimbench::report
