#include "image/compare.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

namespace slimbench::image {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Collapses whitespace and backslash-newline continuations, trims.
std::string collapse(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
      space = true;
      continue;
    }
    if (isSpace(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string upper(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

const char* const kKeywords[] = {"RUN", "COPY", "ADD", "WORKDIR", "ENV", "ARG", "LABEL", "EXPOSE", "VOLUME", "USER",
                                 "CMD", "ENTRYPOINT", "SHELL", "STOPSIGNAL", "HEALTHCHECK", "ONBUILD", "MAINTAINER", "FROM"};

// The first word when it is a Dockerfile keyword (upper-cased), else "".
std::string keywordOf(std::string_view s) {
  auto sp = s.find(' ');
  std::string w = upper(s.substr(0, sp));
  for (const char* k : kKeywords)
    if (w == k) return w;
  return {};
}

std::string_view afterWord(std::string_view s) {
  auto sp = s.find(' ');
  return sp == std::string_view::npos ? std::string_view{} : s.substr(sp + 1);
}

// Drops leading "--flag[=value]" words (--mount=..., --chown=..., --from=..., --link).
std::string_view dropFlags(std::string_view s) {
  while (startsWith(s, "--")) s = afterWord(s);
  return s;
}

// `["pip", "install", "x"]` -> `pip install x` (a cheap exec-form reader; no escapes beyond \").
std::string execFormText(std::string_view s) {
  if (s.empty() || s.front() != '[' || s.back() != ']') return std::string(s);
  std::string out, cur;
  bool in = false;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (in) {
      if (c == '\\' && i + 2 < s.size()) cur += s[++i];
      else if (c == '"') {
        in = false;
        if (!out.empty()) out += ' ';
        out += cur;
        cur.clear();
      } else cur += c;
    } else if (c == '"') in = true;
  }
  return out;
}

struct Parsed {
  std::string kind;  // RUN, COPY, ADD, WORKDIR, ...
  std::string body;  // after the keyword and its flags
};

Parsed parse(std::string_view text) {
  std::string n = normalizeCreatedBy(text);
  Parsed p;
  p.kind = keywordOf(n);
  p.body = std::string(dropFlags(afterWord(n)));
  if (p.kind == "RUN" || p.kind == "CMD" || p.kind == "ENTRYPOINT") p.body = execFormText(p.body);
  return p;
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (char c : s) {
    if (isSpace(c) || c == ';' || c == '&' || c == '|' || c == '\\' || c == '(' || c == ')' || c == '"' || c == '\'') flush();
    else cur += c;
  }
  flush();
  return out;
}

// Multiset Dice coefficient of the words.
double dice(std::string_view a, std::string_view b) {
  auto wa = words(a), wb = words(b);
  if (wa.empty() && wb.empty()) return 1.0;
  if (wa.empty() || wb.empty()) return 0.0;
  std::map<std::string, int> count;
  for (const auto& w : wa) ++count[w];
  std::size_t common = 0;
  for (const auto& w : wb) {
    auto it = count.find(w);
    if (it != count.end() && it->second > 0) {
      --it->second;
      ++common;
    }
  }
  return 2.0 * static_cast<double>(common) / static_cast<double>(wa.size() + wb.size());
}

std::string trimSlash(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// COPY/ADD history: "file:<hash> in /app/" (classic builder, buildah) carries only the destination;
// BuildKit and --created-by keep the sources.
double copySimilarity(const Parsed& h, const Parsed& d) {
  if (h.body == d.body) return 1.0;
  auto dw = words(d.body);
  std::string ddest = dw.empty() ? "" : trimSlash(dw.back());
  std::string hdest;
  double src = 0;
  auto in = h.body.rfind(" in ");
  bool hashed = in != std::string::npos &&
                (startsWith(h.body, "file:") || startsWith(h.body, "dir:") || startsWith(h.body, "multi:"));
  if (hashed) {
    hdest = trimSlash(collapse(h.body.substr(in + 4)));
  } else {
    auto hw = words(h.body);
    hdest = hw.empty() ? "" : trimSlash(hw.back());
    if (hw.size() > 1 && dw.size() > 1) {
      std::string hs, ds;
      for (std::size_t i = 0; i + 1 < hw.size(); ++i) hs += hw[i] + " ";
      for (std::size_t i = 0; i + 1 < dw.size(); ++i) ds += dw[i] + " ";
      src = dice(hs, ds);
    }
  }
  const bool destSame = !hdest.empty() && hdest == ddest;
  if (hashed) return destSame ? 0.85 : 0.5;
  return 0.5 + (destSame ? 0.3 : 0.0) + 0.2 * src;
}

std::optional<double> errorOf(std::uint64_t measured, std::uint64_t mid) {
  if (measured == 0) return mid == 0 ? std::optional<double>(0.0) : std::nullopt;
  return (static_cast<double>(mid) - static_cast<double>(measured)) / static_cast<double>(measured) * 100.0;
}

bool within(const estimate::Range& r, std::uint64_t v) { return r.low <= v && v <= r.high; }

// An estimate layer that stands for an uncatalogued base image (no figures): nothing to compare.
bool placeholderBase(const estimate::LayerEstimate& l) { return l.fromBase && l.source == "none" && l.disk.high == 0; }

nlohmann::json rangeJson(const estimate::Range& r) { return {{"low", r.low}, {"mid", r.mid}, {"high", r.high}}; }
nlohmann::json optJson(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

}  // namespace

const char* measureName(Measure m) { return m == Measure::TarBytes ? "tar-bytes" : "content-bytes"; }

std::string normalizeCreatedBy(std::string_view createdBy) {
  std::string s = collapse(createdBy);
  auto stripSuffix = [&](std::string_view suf) {
    if (s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0) {
      s.erase(s.size() - suf.size());
      while (!s.empty() && s.back() == ' ') s.pop_back();
    }
  };
  stripSuffix("# buildkit");
  std::string_view v = s;
  std::string kind;
  // BuildKit writes "RUN /bin/sh -c ..." and "RUN |2 A=1 B=2 /bin/sh -c ...".
  if (upper(v.substr(0, 4)) == "RUN ") {
    kind = "RUN";
    v = v.substr(4);
  }
  // Build args: "|N k=v k=v ...".
  if (!v.empty() && v.front() == '|') {
    std::size_t i = 1;
    int n = 0;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) n = n * 10 + (v[i++] - '0');
    if (i > 1 && (i == v.size() || v[i] == ' ')) {
      v = i < v.size() ? v.substr(i + 1) : std::string_view{};
      for (int k = 0; k < n && !v.empty() && v.find('=') != std::string_view::npos && v.find('=') < v.find(' '); ++k)
        v = afterWord(v);
    }
  }
  bool shell = false;
  for (std::string_view sh : {"/bin/sh -c ", "/bin/bash -c ", "/bin/ash -c ", "sh -c ", "bash -c ", "cmd /S /C "}) {
    if (startsWith(v, sh)) {
      v = v.substr(sh.size());
      shell = true;
      break;
    }
  }
  bool nop = false;
  if (startsWith(v, "#(nop)")) {
    v = v.substr(6);
    nop = true;
  }
  std::string rest = collapse(v);
  if (kind.empty()) {
    // "/bin/sh -c CMD" is a RUN whatever its first word ("env X=1 python ..."); otherwise the
    // text starts with its instruction ("#(nop) COPY ...", "COPY src dest", "run pip ...").
    std::string kw = shell && !nop ? std::string() : keywordOf(rest);
    if (!kw.empty()) return kw + rest.substr(kw.size());
    kind = "RUN";
  }
  return rest.empty() ? kind : kind + " " + rest;
}

double instructionSimilarity(std::string_view createdBy, std::string_view instruction) {
  Parsed h = parse(createdBy), d = parse(instruction);
  if (h.kind.empty() || d.kind.empty()) return 0.0;
  const bool copyish = (h.kind == "COPY" || h.kind == "ADD") && (d.kind == "COPY" || d.kind == "ADD");
  if (h.kind != d.kind && !copyish) return 0.0;
  double s;
  if (copyish) s = copySimilarity(h, d) * (h.kind == d.kind ? 1.0 : 0.9);
  else if (h.body == d.body) s = 1.0;
  else if (h.kind == "RUN") s = dice(h.body, d.body);
  else s = 0.5 + 0.5 * dice(h.body, d.body);
  return std::clamp(s, 0.0, 1.0);
}

Comparison compare(const Image& img, const estimate::VariantEstimate& est, const CompareOptions& options) {
  Comparison c;
  c.measure = options.measure;
  const std::size_t n = img.layers.size(), m = est.layers.size();
  auto measured = [&](const Layer& l) { return options.measure == Measure::TarBytes ? l.size : l.contentBytes; };

  // Scores: a Dockerfile layer match (1 + similarity) always outweighs a base layer matched by position
  // (0.5 + 0.25 × similarity + 0.1 at the same index), so base layers never take an image layer a Dockerfile instruction explains.
  constexpr double kNo = -1.0;
  std::vector<double> score(n * m, kNo), sim(n * m, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < m; ++j) {
      const auto& e = est.layers[j];
      if (placeholderBase(e)) continue;
      double s = instructionSimilarity(img.layers[i].createdBy, e.instruction);
      sim[i * m + j] = s;
      // The image's first N layers are the base's N layers: same position wins ties.
      if (e.fromBase) score[i * m + j] = 0.5 + 0.25 * s + (i == j ? 0.1 : 0.0);
      else if (s >= options.minSimilarity) score[i * m + j] = 1.0 + s;
    }
  // Monotonic alignment (weighted LCS).
  std::vector<double> dp((n + 1) * (m + 1), 0.0);
  auto D = [&](std::size_t i, std::size_t j) -> double& { return dp[i * (m + 1) + j]; };
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      double best = std::max(D(i - 1, j), D(i, j - 1));
      double s = score[(i - 1) * m + (j - 1)];
      if (s > 0) best = std::max(best, D(i - 1, j - 1) + s);
      D(i, j) = best;
    }
  // Backtrace: (image, estimate) pairs, -1 for a gap.
  std::vector<std::pair<int, int>> path;
  std::size_t i = n, j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0) {
      double s = score[(i - 1) * m + (j - 1)];
      if (s > 0 && D(i, j) == D(i - 1, j - 1) + s) {
        path.emplace_back(int(i - 1), int(j - 1));
        --i, --j;
        continue;
      }
    }
    // Prefer emitting the estimate gap first so that, reversed, an image-only layer precedes it.
    if (j > 0 && (i == 0 || D(i, j) == D(i, j - 1))) {
      path.emplace_back(-1, int(j - 1));
      --j;
    } else {
      path.emplace_back(int(i - 1), -1);
      --i;
    }
  }
  std::reverse(path.begin(), path.end());

  bool placeholder = false;
  for (const auto& e : est.layers) placeholder = placeholder || placeholderBase(e);
  // With an uncatalogued base, the image's layers before the first one matched to an instruction
  // of the Dockerfile are the base's: nothing estimated them.
  bool inUncataloguedBase = placeholder;
  for (auto [ii, jj] : path) {
    ComparisonRow r;
    r.imageLayer = ii;
    r.estimateLayer = jj;
    if (ii >= 0) {
      const Layer& l = img.layers[std::size_t(ii)];
      r.createdBy = l.createdBy;
      r.measuredBytes = measured(l);
      r.measuredCompressed = l.compressedSize;
    }
    if (jj >= 0) {
      const auto& e = est.layers[std::size_t(jj)];
      r.instruction = e.instruction;
      r.fromBase = e.fromBase;
      r.line = e.line;
      r.estimate = e.disk;
      r.estimateCompressed = e.compressed;
      r.notEstimated = e.basis == estimate::Basis::Unknown || placeholderBase(e);
      if (!e.fromBase) inUncataloguedBase = false;
    } else if (inUncataloguedBase) {
      r.notEstimated = true;  // an image layer of the base the catalogue does not hold
    }
    if (r.notEstimated) {
      ++c.notEstimated;
      c.measuredNotEstimated += r.measuredBytes;
    } else {
      c.measuredCompared += r.measuredBytes;
      if (jj >= 0) c.estimateCompared += r.estimate;
    }
    if (r.matched()) {
      r.similarity = sim[std::size_t(ii) * m + std::size_t(jj)];
      r.match = r.fromBase ? "base-position" : "text";
      if (!r.notEstimated) {
        r.errorPercent = errorOf(r.measuredBytes, r.estimate.mid);
        r.withinRange = within(r.estimate, r.measuredBytes);
      }
      ++c.matched;
      if (!r.notEstimated) {  // the matched total's error, like the total's, is over what was estimated
        c.measuredMatched += r.measuredBytes;
        c.estimateMatched += r.estimate;
      }
    } else if (ii >= 0) {
      ++c.unmatchedImage;
    } else {
      ++c.unmatchedEstimate;
    }
    c.rows.push_back(std::move(r));
  }
  for (const auto& l : img.layers) c.measuredTotal += measured(l);
  for (const auto& e : est.layers) c.estimateTotal += e.disk;
  c.errorPercent = errorOf(c.measuredCompared, c.estimateCompared.mid);
  if (c.measuredCompared == 0 && c.estimateCompared.mid == 0 && c.notEstimated > 0) c.errorPercent.reset();  // nothing left to compare
  c.withinRange = c.errorPercent && within(c.estimateCompared, c.measuredCompared);
  if (c.matched) c.errorPercentMatched = errorOf(c.measuredMatched, c.estimateMatched.mid);

  if (placeholder)
    c.notes.push_back("the base image " + est.baseImage +
                      " is not in the catalogue: its layers are not estimated, so the image's base layers stay unmatched");
  if (c.unmatchedImage)
    c.notes.push_back(std::to_string(c.unmatchedImage) +
                      " image layer(s) match no Dockerfile instruction (another Dockerfile, a base image with more layers than "
                      "catalogued, or a builder that makes a layer for WORKDIR)");
  if (c.unmatchedEstimate > (placeholder ? 1 : 0))
    c.notes.push_back(std::to_string(c.unmatchedEstimate - (placeholder ? 1 : 0)) +
                      " estimated layer(s) have no layer in the image (a different base tag, or a changed Dockerfile)");
  if (c.notEstimated)
    c.notes.push_back(std::to_string(c.notEstimated) + " layer(s) were not estimated (" + std::to_string(c.measuredNotEstimated) +
                      " bytes measured in them): they have no error and are left out of the total's error, which compares the other " +
                      std::to_string(c.measuredCompared) + " bytes measured with their estimate");
  c.notes.push_back(std::string("measured = ") +
                    (options.measure == Measure::TarBytes ? "the uncompressed layer tar (as podman history shows)"
                                                          : "the bytes of the files each layer writes (as docker history shows; "
                                                            "what the estimate models)"));
  return c;
}

nlohmann::json toJson(const Comparison& c) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : c.rows) {
    rows.push_back({{"imageLayer", r.imageLayer >= 0 ? nlohmann::json(r.imageLayer) : nlohmann::json(nullptr)},
                    {"estimateLayer", r.estimateLayer >= 0 ? nlohmann::json(r.estimateLayer) : nlohmann::json(nullptr)},
                    {"instruction", r.instruction},
                    {"createdBy", r.createdBy},
                    {"fromBase", r.fromBase},
                    {"line", r.line},
                    {"match", r.match.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.match)},
                    {"similarity", r.similarity},
                    {"measuredBytes", r.measuredBytes},
                    {"measuredCompressedBytes", r.measuredCompressed},
                    {"estimateBytes", rangeJson(r.estimate)},
                    {"estimateCompressedBytes", rangeJson(r.estimateCompressed)},
                    {"errorPercent", optJson(r.errorPercent)},
                    {"withinRange", r.withinRange},
                    {"notEstimated", r.notEstimated}});
  }
  return {{"measure", measureName(c.measure)},
          {"rows", rows},
          {"total",
           {{"measuredBytes", c.measuredTotal},
            {"estimateBytes", rangeJson(c.estimateTotal)},
            {"errorPercent", optJson(c.errorPercent)},
            {"withinRange", c.withinRange},
            {"comparedMeasuredBytes", c.measuredCompared},
            {"comparedEstimateBytes", rangeJson(c.estimateCompared)},
            {"notEstimatedLayers", c.notEstimated},
            {"notEstimatedMeasuredBytes", c.measuredNotEstimated}}},
          {"matchedTotal",
           {{"measuredBytes", c.measuredMatched},
            {"estimateBytes", rangeJson(c.estimateMatched)},
            {"errorPercent", optJson(c.errorPercentMatched)}}},
          {"matched", c.matched},
          {"unmatchedImageLayers", c.unmatchedImage},
          {"unmatchedEstimateLayers", c.unmatchedEstimate},
          {"notes", c.notes}};
}

std::string formatError(const std::optional<double>& percent) {
  if (!percent) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f %%", *percent);
  return buf;
}

}  // namespace slimbench::image
