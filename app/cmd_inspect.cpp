// slimbench inspect: open a saved image, print its layers, waste and findings
// (or --json), and with --ci check dive's rules.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cli.h"
#include "project_analysis.h"
#include "embedded_resources.h"
#include "estimate/analysis.h"
#include "estimate/knowledge_embedded.h"
#include "image/analyze.h"
#include "image/compare.h"
#include "image/image.h"
#include "image/report.h"

namespace slimbench::app {
namespace {

using namespace slimbench::image;

const char* kInspectUsage =
    "usage: slimbench inspect [OPTIONS] IMAGE\n\n"
    "IMAGE is a docker save archive, an OCI image archive or an OCI image layout folder\n"
    "(podman save --format docker-archive|oci-archive|oci-dir).\n\n"
    "  --json                         everything as JSON (schema in docs/images.md)\n"
    "  --platform OS/ARCH[/VARIANT]   image to pick from a multi-platform index (default linux/amd64)\n"
    "  --tree[=DEPTH]                 print the merged file tree (default depth 3)\n"
    "  --layer N                      the tree after layer N (1-based) instead of the last\n"
    "  --top N                        wasted files listed (default 10)\n"
    "  --threads N                    layers read in parallel (default: all cores)\n"
    "  --no-verify                    skip sha256 checks of blobs and diff IDs\n"
    "  --decoder isal|zlib            gzip layer decoder (default isal when built with ISA-L, else zlib)\n"
    "  --compare PROJECT_DIR_OR_DOCKERFILE\n"
    "                                 compare each layer with the estimate of the Dockerfile that built it\n"
    "                                 (estimate range vs measured, error %; in --json a \"comparison\" object)\n"
    "  --measure content|tar          what a layer measures for --compare: the bytes of its files\n"
    "                                 (default, as docker history and the estimate) or its uncompressed tar\n"
    "  --ci                           check dive's rules; exit 1 when one is broken\n"
    "  --lowest-efficiency F          (default 0.9 with --ci; 'disabled' to skip)\n"
    "  --highest-wasted-bytes SIZE    e.g. 20MB (default disabled)\n"
    "  --highest-user-wasted-percent F  fraction, e.g. 0.1 (default 0.1 with --ci)\n"
    "  (dive's --lowestEfficiency, --highestWastedBytes, --highestUserWastedPercent work too)\n\n"
    "Exit codes: 0 ok, 1 the image cannot be read or a CI rule is broken, 2 usage error.\n";

int usageError(const std::string& msg) {
  std::fprintf(stderr, "slimbench inspect: %s (see slimbench inspect --help)\n", msg.c_str());
  return 2;
}

bool parseFraction(const std::string& s, std::optional<double>& out) {
  if (s == "disabled" || s == "off") {
    out.reset();
    return true;
  }
  try {
    std::size_t pos = 0;
    double v = std::stod(s, &pos);
    if (pos != s.size() || v < 0) return false;
    out = v;
    return true;
  } catch (...) {
    return false;
  }
}

void printTree(const FileTree& t, std::int32_t node, int depth, const std::string& indent) {
  for (auto c : t.children(node)) {
    const FileNode& k = t.node(c);
    std::string name = std::string(t.name(c)) + (k.type == NodeType::Dir ? "/" : "");
    if (k.link) name += (k.type == NodeType::Symlink ? " -> " : " => ") + std::string(t.link(c));
    std::printf("%10s  L%-3d %s%s\n", humanSize(k.totalSize).c_str(), k.layer + 1, indent.c_str(), name.c_str());
    if (k.type == NodeType::Dir && depth > 1) printTree(t, c, depth - 1, indent + "  ");
  }
}

std::string oneLine(std::string s, std::size_t max) {
  for (auto& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  if (s.size() > max) s = s.substr(0, max - 3) + "...";
  return s;
}

void printComparison(const Comparison& c, const std::string& dockerfile, const std::vector<std::string>& unknowns) {
  std::printf("\nCompared with the estimate of %s\n(measured = %s)\n", dockerfile.c_str(),
              c.measure == Measure::TarBytes ? "the uncompressed layer tar, as podman history shows"
                                             : "the bytes of the files each layer writes, as docker history shows");
  std::printf("%-5s %-5s %10s %10s %-23s %9s %-5s %s\n", "LAYER", "LINE", "MEASURED", "ESTIMATE", "RANGE", "ERROR", "IN", "INSTRUCTION");
  auto range = [](const estimate::Range& r) { return humanSize(r.low) + " - " + humanSize(r.high); };
  // A layer the estimate has no figure for is never printed as a size: "?" when nothing of it is
  // known, "≥ known part" when some is, and the totals over it become lower bounds.
  auto estimateCell = [](const ComparisonRow& r) {
    if (!r.notEstimated) return humanSize(r.estimate.mid);
    return r.estimate.mid > 0 ? "≥ " + humanSize(r.estimate.mid) : std::string("?");
  };
  auto rangeCell = [&](const ComparisonRow& r) {
    if (!r.notEstimated) return range(r.estimate);
    return r.estimate.mid > 0 ? std::string("no upper bound") : std::string("not estimated");
  };
  for (const auto& r : c.rows) {
    std::string layer = r.imageLayer >= 0 ? std::to_string(r.imageLayer + 1) : "-";
    std::string line = r.line > 0 ? std::to_string(r.line) : r.fromBase ? "base" : "-";
    if (r.matched()) {
      std::printf("%-5s %-5s %10s %10s %-23s %9s %-5s %s\n", layer.c_str(), line.c_str(), humanSize(r.measuredBytes).c_str(),
                  estimateCell(r).c_str(), rangeCell(r).c_str(), r.notEstimated ? "-" : formatError(r.errorPercent).c_str(),
                  r.notEstimated ? "-" : r.withinRange ? "yes" : "no", oneLine(r.instruction, 70).c_str());
    } else if (r.imageLayer >= 0) {
      std::printf("%-5s %-5s %10s %10s %-23s %9s %-5s (image only) %s\n", layer.c_str(), line.c_str(),
                  humanSize(r.measuredBytes).c_str(), "-", "", "", "", oneLine(r.createdBy, 60).c_str());
    } else {
      std::printf("%-5s %-5s %10s %10s %-23s %9s %-5s (not in image) %s\n", layer.c_str(), line.c_str(), "-",
                  estimateCell(r).c_str(), rangeCell(r).c_str(), "", "", oneLine(r.instruction, 60).c_str());
    }
  }
  const bool partial = c.notEstimated > 0 || c.estimateTotal.open;
  const std::string totalMid = (partial ? "≥ " : "") + humanSize(c.estimateTotal.mid);
  const std::string totalRange = partial ? "≥ " + humanSize(c.estimateTotal.low) + " (lower bound)" : range(c.estimateTotal);
  std::printf("%-5s %-5s %10s %10s %-23s %9s %-5s %d matched, %d only in the image, %d only in the estimate\n", "TOTAL", "",
              humanSize(c.measuredTotal).c_str(), totalMid.c_str(), totalRange.c_str(),
              formatError(c.errorPercent).c_str(), c.withinRange ? "yes" : "no", c.matched, c.unmatchedImage, c.unmatchedEstimate);
  if (c.notEstimated > 0)
    std::printf("The error leaves out %d layer(s) not estimated (%s measured in them): it compares %s measured with %s estimated.\n",
                c.notEstimated, humanSize(c.measuredNotEstimated).c_str(), humanSize(c.measuredCompared).c_str(),
                humanSize(c.estimateCompared.mid).c_str());
  if (c.matched)
    std::printf("Matched layers only: measured %s, estimated %s, error %s\n", humanSize(c.measuredMatched).c_str(),
                humanSize(c.estimateMatched.mid).c_str(), formatError(c.errorPercentMatched).c_str());
  for (std::size_t i = 0; i + 1 < c.notes.size(); ++i) std::printf("note: %s\n", c.notes[i].c_str());
  for (const auto& u : unknowns) std::printf("not estimated: %s\n", u.c_str());
}

}  // namespace

int cmdInspect(const std::vector<std::string>& args) {
  bool json = false, ci = false;
  int treeDepth = -1, layer = 0, top = 10;
  Options opt;
  CiRules rules;
  std::string file, compareWith;
  CompareOptions cmpOpt;
  auto intArg = [&](std::size_t& i, int& out) {
    if (i + 1 >= args.size()) return false;
    try {
      out = std::stoi(args[++i]);
    } catch (...) {
      return false;
    }
    return true;
  };
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kInspectUsage, stdout);
      return 0;
    } else if (a == "--json") json = true;
    else if (a == "--ci") ci = true;
    else if (a == "--no-verify") opt.verifyDigests = false;
    else if (a == "--tree") treeDepth = 3;
    else if (a.starts_with("--tree=")) {
      try {
        treeDepth = std::stoi(a.substr(7));
      } catch (...) {
        return usageError("--tree=DEPTH expects a number");
      }
    } else if (a == "--decoder" || a.starts_with("--decoder=")) {
      std::string v;
      if (a == "--decoder") {
        if (i + 1 >= args.size()) return usageError("--decoder needs isal or zlib");
        v = args[++i];
      } else {
        v = a.substr(10);
      }
      if (v == "zlib") opt.decoder = GzipDecoder::Zlib;
      else if (v == "isal") {
        if (!isalAvailable()) return usageError("--decoder isal: this build has no ISA-L (install libisal-dev and rebuild)");
        opt.decoder = GzipDecoder::Isal;
      } else if (v == "auto") opt.decoder = GzipDecoder::Auto;
      else return usageError("--decoder expects isal or zlib, got " + v);
    } else if (a == "--platform") {
      if (i + 1 >= args.size()) return usageError("--platform needs OS/ARCH");
      opt.platform = args[++i];
      if (!Platform::parse(opt.platform)) return usageError("--platform expects OS/ARCH[/VARIANT], got " + opt.platform);
    } else if (a == "--compare") {
      if (i + 1 >= args.size()) return usageError("--compare needs a project folder or Dockerfile");
      compareWith = args[++i];
    } else if (a.starts_with("--compare=")) {
      compareWith = a.substr(10);
      if (compareWith.empty()) return usageError("--compare needs a project folder or Dockerfile");
    } else if (a == "--measure") {
      if (i + 1 >= args.size()) return usageError("--measure needs content or tar");
      const std::string& v = args[++i];
      if (v == "content") cmpOpt.measure = Measure::ContentBytes;
      else if (v == "tar") cmpOpt.measure = Measure::TarBytes;
      else return usageError("--measure expects content or tar, got " + v);
    } else if (a == "--layer") {
      if (!intArg(i, layer) || layer < 1) return usageError("--layer expects a layer number from 1");
    } else if (a == "--top") {
      if (!intArg(i, top) || top < 0) return usageError("--top expects a number");
    } else if (a == "--threads") {
      if (!intArg(i, opt.threads) || opt.threads < 1) return usageError("--threads expects a number from 1");
    } else if (a == "--lowest-efficiency" || a == "--highest-user-wasted-percent" || a == "--lowestEfficiency" ||
               a == "--highestUserWastedPercent") {  // dive's spellings too
      if (i + 1 >= args.size()) return usageError(a + " needs a value");
      bool eff = a == "--lowest-efficiency" || a == "--lowestEfficiency";
      auto& slot = eff ? rules.lowestEfficiency : rules.highestUserWastedPercent;
      if (!parseFraction(args[++i], slot)) return usageError(a + " expects a fraction like 0.9, got " + args[i]);
      ci = true;
    } else if (a == "--highest-wasted-bytes" || a == "--highestWastedBytes") {
      if (i + 1 >= args.size()) return usageError(a + " needs a size");
      const std::string& v = args[++i];
      if (v == "disabled" || v == "off") rules.highestWastedBytes.reset();
      else if (auto b = parseByteSize(v)) rules.highestWastedBytes = *b;
      else return usageError("--highest-wasted-bytes expects a size like 20MB, got " + v);
      ci = true;
    } else if (!a.empty() && a[0] == '-') {
      return usageError("unknown option " + a);
    } else if (file.empty()) {
      file = a;
    } else {
      return usageError("one IMAGE expected, got also " + a);
    }
  }
  if (file.empty()) return usageError("missing IMAGE");

  auto img = image::open(file, opt);
  if (!img) {
    std::fprintf(stderr, "%s\n", img.error().format().c_str());
    return 1;
  }
  std::optional<FileTree> atLayer;
  if (layer > 0) {
    auto t = treeAt(*img, layer - 1);
    if (!t) {
      std::fprintf(stderr, "%s\n", t.error().format().c_str());
      return 1;
    }
    atLayer = std::move(*t);
    if (treeDepth < 0) treeDepth = 3;
  }
  const FileTree& tree = atLayer ? *atLayer : img->tree;
  Analysis an = analyze(*img);
  CiResult cr;
  if (ci) cr = evaluate(an, rules);

  std::optional<Comparison> cmp;
  std::string dockerfilePath;
  std::vector<std::string> unknowns;
  if (!compareWith.empty()) {
    auto pa = analyzeProject(compareWith, {});
    if (!pa) return 1;
    const auto* project = &pa->project;
    const estimate::Analysis& analysis = pa->analysis;
    if (analysis.variants.empty()) {
      std::fprintf(stderr, "%s: no estimate\n", project->dockerfilePath.c_str());
      return 1;
    }
    const auto& v = analysis.variants.front();
    if (v.parseError) {
      std::fprintf(stderr, "%s\n", v.parseError->format().c_str());
      return 1;
    }
    dockerfilePath = project->dockerfilePath;
    unknowns = v.estimate.unknowns;
    cmp = compare(*img, v.estimate, cmpOpt);
  }

  if (json) {
    auto j = toJson(*img, an, treeDepth, &tree);
    if (ci) {
      nlohmann::json rs = nlohmann::json::array();
      for (const auto& r : cr.rules) rs.push_back({{"rule", r.name}, {"pass", r.pass}, {"message", r.message}});
      j["ci"] = {{"pass", cr.pass()}, {"rules", rs}};
    }
    if (cmp) {
      j["comparison"] = toJson(*cmp);
      j["comparison"]["dockerfile"] = dockerfilePath;
      j["comparison"]["unknowns"] = unknowns;
    }
    std::printf("%s\n", j.dump(2).c_str());
    return ci && !cr.pass() ? 1 : 0;
  }

  for (const auto& w : img->warnings) std::fprintf(stderr, "%s\n", w.format().c_str());
  std::printf("Image:      %s\n", img->path.c_str());
  std::printf("Format:     %s, platform %s\n", formatName(img->format), img->platform.str().c_str());
  if (img->platforms.size() > 1) {
    std::string p;
    for (const auto& s : img->platforms) p += (p.empty() ? "" : ", ") + s;
    std::printf("Platforms:  %s\n", p.c_str());
  }
  if (!img->references.empty()) std::printf("References: %s\n", img->references.front().c_str());
  std::printf("Size:       %s uncompressed, %s stored, %zu layers, %llu files\n", humanSize(img->totalSize()).c_str(),
              humanSize(img->totalCompressedSize()).c_str(), img->layers.size(),
              static_cast<unsigned long long>(img->tree.root().fileCount));
  {
    bool anyDiff = false, allDiff = !img->layers.empty();
    for (const auto& l : img->layers) {
      anyDiff = anyDiff || l.diffIdVerified;
      allDiff = allDiff && l.diffIdVerified;
    }
    std::printf("Decoder:    %s; sha256 %s\n\n", img->decoders().c_str(),
                !opt.verifyDigests ? "not checked (--no-verify)"
                : allDiff          ? "of every blob and diff ID verified"
                : anyDiff          ? "of blobs verified, diff IDs of some layers"
                                   : "of blobs verified");
  }
  std::printf("%-3s %10s %10s %7s %7s %7s  %s\n", "#", "SIZE", "STORED", "ADDED", "CHANGED", "REMOVED", "CREATED BY");
  // History order, empty layers included, so rows line up with Dockerfile instructions.
  std::vector<bool> printed(img->layers.size(), false);
  auto printLayer = [&](const Layer& l) {
    std::printf("%-3d %10s %10s %7llu %7llu %7llu  %s\n", l.index + 1, humanSize(l.size).c_str(),
                humanSize(l.compressedSize).c_str(), static_cast<unsigned long long>(l.added.count),
                static_cast<unsigned long long>(l.changed.count), static_cast<unsigned long long>(l.removed.count),
                oneLine(l.createdBy, 90).c_str());
    printed[std::size_t(l.index)] = true;
  };
  for (const auto& h : img->config.history) {
    if (h.layerIndex >= 0) printLayer(img->layers[std::size_t(h.layerIndex)]);
    else std::printf("%-3s %10s %10s %7s %7s %7s  %s\n", "-", "0 B", "", "", "", "", oneLine(h.createdBy, 90).c_str());
  }
  for (const auto& l : img->layers)
    if (!printed[std::size_t(l.index)]) printLayer(l);

  std::printf("\nEfficiency: %.2f %%   wasted: %s   user wasted: %.2f %%\n", an.efficiency * 100.0,
              humanSize(an.wastedBytes).c_str(), an.wastedUserPercent * 100.0);
  if (!an.wasted.empty() && top > 0) {
    std::printf("\n%-6s %10s  %s\n", "COUNT", "WASTED", "PATH");
    for (std::size_t i = 0; i < an.wasted.size() && i < std::size_t(top); ++i)
      std::printf("%-6d %10s  %s\n", an.wasted[i].count, humanSize(an.wasted[i].bytes).c_str(),
                  an.wasted[i].path.c_str());
    if (an.wasted.size() > std::size_t(top)) std::printf("... and %zu more\n", an.wasted.size() - std::size_t(top));
  }
  if (!an.findings.empty()) {
    std::printf("\nFindings:\n");
    for (const auto& f : an.findings) {
      std::printf("  %s [%s] %s (%s)\n", severityName(f.severity), f.id.c_str(), f.title.c_str(),
                  humanSize(f.bytes).c_str());
      for (std::size_t i = 0; i < f.paths.size() && i < 5; ++i) std::printf("      %s\n", f.paths[i].c_str());
      std::printf("      fix: %s\n", f.detail.c_str());
    }
  }
  if (treeDepth >= 0) {
    std::printf("\nTree%s:\n", atLayer ? (" after layer " + std::to_string(layer)).c_str() : "");
    std::printf("%10s  %-4s %s\n", humanSize(tree.root().totalSize).c_str(), "", "/");
    printTree(tree, FileTree::kRoot, treeDepth, "  ");
  }
  if (cmp) printComparison(*cmp, dockerfilePath, unknowns);
  if (ci) {
    std::printf("\nCI rules:\n");
    for (const auto& r : cr.rules) std::printf("  %s %s: %s\n", r.pass ? "PASS" : "FAIL", r.name.c_str(), r.message.c_str());
    std::printf("Result: %s\n", cr.pass() ? "PASS" : "FAIL");
    return cr.pass() ? 0 : 1;
  }
  return 0;
}

}  // namespace slimbench::app
