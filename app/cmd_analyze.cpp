// slimbench analyze: the variants × layers table, totals, build times, findings;
// --json with a stable schema; --export writes one variant's Dockerfile atomically; --report writes
// an HTML or Markdown report; --max-size fails (exit 3) when the estimate is known to be over a limit.
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli.h"
#include "embedded_resources.h"
#include "estimate/analysis.h"
#include "estimate/analysis_json.h"
#include "project_analysis.h"
#include "project_options.h"
#include "estimate/knowledge_embedded.h"
#include "image/image.h"
#include "python/version.h"
#include "report/report.h"
#include "report/sizelimit.h"
#include "util/files.h"
#include "util/jsontext.h"
#include "util/jsonwriter.h"
#include "util/trace.h"

namespace slimbench::app {
namespace {

using estimate::Range;

std::string mb(std::uint64_t b) {
  char buf[32];
  if (b > 0 && b < 50000) return "<0.1";  // a few kB: measured, not zero
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(b) / 1e6);
  return buf;
}
std::string rangeText(const Range& r) { return mb(r.low) + "–" + mb(r.high); }

// printf into a string.
template <class... A>
void appendf(std::string& out, const char* fmt, A... args) {
  const int n = std::snprintf(nullptr, 0, fmt, args...);
  if (n <= 0) return;
  const std::size_t at = out.size();
  out.resize(at + static_cast<std::size_t>(n) + 1);
  std::snprintf(out.data() + at, static_cast<std::size_t>(n) + 1, fmt, args...);
  out.resize(at + static_cast<std::size_t>(n));
}
std::string count(std::size_t n) {  // 83,333
  std::string d = std::to_string(n), out;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0) out += ',';
    out += d[i];
  }
  return out;
}

// A long Dockerfile's text output stays readable: past these, a list shows its first entries and
// says how many more there are (`analyze --json` has every one).
constexpr std::size_t kLayersAll = 60, kLayersShown = 40;  // layers of a variant
constexpr std::size_t kPartsShown = 5;                     // unknown parts and notes of one layer
constexpr std::size_t kFindingsAll = 40, kFindingsShown = 30;
constexpr std::size_t kListShown = 5;                      // build-time unknowns, proxies, --verbose unknowns (×10)

// One variant's row of the summary table.
std::string tableRow(const estimate::VariantResult& v) {
  std::string out;
  if (v.parseError) {
    appendf(out, "%-30s %s\n", generate::variantTitle(v.kind), v.parseError->format().c_str());
    return out;
  }
  const auto& e = v.estimate;
  int warn = 0;
  for (const auto& f : v.findings) warn += f.severity >= Severity::Warning;
  appendf(out, "%-30s %10s %15s %10s %10s %10s %8d %s\n", generate::variantTitle(v.kind),
          ((e.disk.open ? "≥ " : "") + mb(e.disk.mid)).c_str(), e.disk.open ? "unknown" : rangeText(e.disk).c_str(),
          ((e.compressed.open ? "≥ " : "") + mb(e.compressed.mid)).c_str(),
          estimate::formatSeconds(e.buildSecondsCold, e.coldLowerBound).c_str(),
          estimate::formatSeconds(e.buildSecondsWarm, e.warmLowerBound).c_str(), warn, e.compilerInFinal ? "yes" : "no");
  return out;
}

// Items of a list, the first `shown` of them when there are more than shown + 1.
template <class List, class F>
void someOf(std::string& out, const List& list, std::size_t shown, const char* more, F each) {
  const bool cut = list.size() > shown + 1;
  std::size_t i = 0;
  for (const auto& item : list) {
    if (cut && i == shown) break;
    each(item);
    ++i;
  }
  if (cut) appendf(out, more, count(list.size() - shown).c_str());
}

// One variant's section: its layers, findings, cache note, what makes its time a lower bound.
std::string section(const estimate::VariantResult& v, bool verbose) {
  std::string out;
  if (v.parseError) return out;
  const auto& e = v.estimate;
  appendf(out, "\n== %s  (FROM %s): %s on disk, build %s cold\n", generate::variantTitle(v.kind), e.baseImage.c_str(),
          estimate::formatTotal(e.disk, e.coverage).c_str(), estimate::formatSeconds(e.buildSecondsCold, e.coldLowerBound).c_str());
  const std::size_t shown = e.layers.size() > kLayersAll ? kLayersShown : e.layers.size();
  // A stand-in said for the layer above (every layer of a proxied base image) is not said again:
  // the layer's "(proxy)" mark points up to it.
  const std::string* proxySaid = nullptr;
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& l = e.layers[i];
    std::string ins = l.instruction;
    if (ins.size() > 70) ins = ins.substr(0, 67) + "...";
    const std::string size = l.basis == estimate::Basis::Unknown ? (l.disk.mid ? "≥" + mb(l.disk.mid) : std::string("?")) : mb(l.disk.mid);
    appendf(out, "  %8s MB  [%-15s] %s%s%s\n", size.c_str(), estimate::categoryId(l.category),
            l.fromBase ? "(base) " : ("L" + std::to_string(l.line) + " ").c_str(), ins.c_str(),
            l.basis == estimate::Basis::Proxy ? "  (proxy)" : l.basis == estimate::Basis::Given ? "  (given by you)" : "");
    someOf(out, l.unknownParts, kPartsShown, "              ? … and %s more unknown\n",
           [&](const std::string& u) { appendf(out, "              ? unknown: %s\n", u.c_str()); });
    if (!l.proxyNote.empty() && !(proxySaid && *proxySaid == l.proxyNote))
      appendf(out, "              ~ proxy: %s\n", l.proxyNote.c_str());
    proxySaid = l.proxyNote.empty() ? nullptr : &l.proxyNote;
    if (verbose) {
      if (!l.reason.empty()) appendf(out, "              why: %s\n", l.reason.c_str());
      appendf(out, "              source: %s\n", l.source.c_str());
    }
    someOf(out, l.notes, kPartsShown, "              ! … and %s more notes\n",
           [&](const std::string& n) { appendf(out, "              ! %s\n", n.c_str()); });
  }
  if (shown < e.layers.size()) {
    std::size_t unknown = 0, proxy = 0;
    for (std::size_t i = shown; i < e.layers.size(); ++i) {
      unknown += e.layers[i].basis == estimate::Basis::Unknown;
      proxy += e.layers[i].basis == estimate::Basis::Proxy;
    }
    appendf(out, "  … and %s more layers (%s unknown, %s proxy): slimbench analyze --json lists every one\n",
            count(e.layers.size() - shown).c_str(), count(unknown).c_str(), count(proxy).c_str());
  }
  const std::size_t findingsShown = v.findings.size() > kFindingsAll ? kFindingsShown : v.findings.size();
  for (std::size_t i = 0; i < findingsShown; ++i) appendf(out, "  %s\n", v.findings[i].format().c_str());
  if (findingsShown < v.findings.size()) {
    std::map<std::string, std::size_t> byRule;
    for (std::size_t i = findingsShown; i < v.findings.size(); ++i) ++byRule[v.findings[i].ruleId];
    std::string rules;
    for (const auto& [id, n] : byRule) rules += (rules.empty() ? "" : ", ") + id + " ×" + count(n);
    appendf(out, "  … and %s more findings (%s): slimbench analyze --json lists every one\n",
            count(v.findings.size() - findingsShown).c_str(), rules.c_str());
  }
  if (!e.warmNote.empty()) appendf(out, "  cache: %s\n", e.warmNote.c_str());
  if (!e.timeUnknowns.empty()) {
    std::string t;
    someOf(t, e.timeUnknowns, kListShown, "; and %s more", [&](const std::string& u) { t += (t.empty() ? "" : "; ") + u; });
    appendf(out, "  build time is a lower bound: %s\n", t.c_str());
  }
  // Each stand-in once: a distribution installed by several RUNs (or as a dependency of several
  // requirements) is one proxy.
  std::vector<const estimate::PythonPackage*> proxies;
  std::set<std::string> saidProxies;
  for (const auto& p : e.packages)
    if (!p.asked.empty() && saidProxies.insert(p.name + '\n' + p.asked + '\n' + p.version).second) proxies.push_back(&p);
  someOf(out, proxies, kListShown * 4, "  … and %s more proxies\n", [&](const estimate::PythonPackage* p) {
    appendf(out, "  proxy: %s asked %s, sized as %s\n", p->name.c_str(), p->asked.c_str(), p->version.c_str());
  });
  if (verbose)
    someOf(out, e.unknowns, kListShown * 10, "  … and %s more unknown (slimbench analyze --json lists every one)\n",
           [&](const std::string& u) { appendf(out, "  unknown: %s\n", u.c_str()); });
  return out;
}

// The table: settings, one row per variant, then each variant's section (rendered as each
// variant was analysed: see cmdAnalyze).
void printTable(const estimate::Analysis& a, const std::vector<std::string>& rows, const std::vector<std::string>& sections) {
  std::printf("Python %s, %s, %.0f Mbit/s, %d cores. Requirements: ", a.pythonVersion.c_str(), a.settings.arch.c_str(),
              a.settings.bandwidthMbps, a.settings.cores);
  for (const auto& r : a.requirementFiles) std::printf("%s ", r.c_str());
  if (!a.target.empty() || !a.buildArgs.empty()) {
    std::string told;
    if (!a.target.empty()) told += "--target " + a.target;
    for (const auto& [k, v] : a.buildArgs) told += (told.empty() ? "" : " ") + ("--build-arg " + k + "=" + v);
    std::printf("\nAs docker build is told: %s", told.c_str());
  }
  std::printf("\nBuild context: %s MB in %zu files%s, %s\n", mb(a.context.totalBytes).c_str(), a.context.files.size(),
              a.context.hasDockerignore ? " (after .dockerignore)" : " (no .dockerignore)", a.contextNote.c_str());
  if (a.settings.wheelsBeforeMusllinux) std::printf("Era: %s\n", estimate::kWheelsBeforeMusllinuxNote);
  std::printf("\n");
  std::printf("%-30s %10s %15s %10s %10s %10s %8s %s\n", "variant", "disk MB", "range MB", "pull MB", "cold", "warm", "findings", "compiler");
  for (const auto& r : rows) std::fputs(r.c_str(), stdout);
  for (const auto& s : sections) std::fputs(s.c_str(), stdout);
  std::printf("\nSizes are estimates before building: ranges come from the models named per layer (--verbose shows why and source).\n");
}

// --report: the analysis as HTML or Markdown, written atomically; false (said) when it is not.
bool writeReport(const ProjectAnalysis& pa, const std::vector<std::string>& args, const std::string& file, report::Format format,
                 const std::string& variantId, bool force) {
  const estimate::Analysis& analysis = pa.analysis;
  const auto choice = report::choose(analysis, variantId);
  if (!choice) {
    std::fprintf(stderr, "slimbench analyze: --variant %s: the analysis has no such variant\n", variantId.c_str());
    return false;
  }
  report::Options ro;
  const auto dir = std::filesystem::absolute(pa.project.dir).lexically_normal();
  ro.title = (dir.has_filename() ? dir.filename() : dir.parent_path().filename()).string();
  ro.variant = variantId;
  ro.madeBy = "slimbench";
  for (const auto& x : args) ro.madeBy += " " + x;
  if (auto e = writeFileAtomic(file, report::render(analysis, format, ro), force)) {  // says --force replaces it
    std::fprintf(stderr, "%s\n", e->format().c_str());
    return false;
  }
  std::fprintf(stderr, "wrote %s (%s report; showing %s)\n", file.c_str(), format == report::Format::Html ? "HTML" : "Markdown",
               choice->variant >= 0 ? generate::variantTitle(analysis.variants[std::size_t(choice->variant)].kind) : "no Dockerfile");
  return true;
}

}  // namespace

int cmdAnalyze(const std::vector<std::string>& args) {
  std::string target, exportVariant, outFile, reportFile, variantId;
  std::optional<std::uint64_t> maxSize;
  bool json = false, force = false, verbose = false, useProjectFile = true;
  estimate::AnalysisOptions opt;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& a = args[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "slimbench analyze: %s needs a value\n", name);
        std::exit(2);
      }
      return args[++i];
    };
    if (a == "--json") json = true;
    else if (a == "--verbose" || a == "-v") verbose = true;
    else if (a == "--force") force = true;
    else if (a == "-r" || a == "--requirement") opt.requirementFiles.push_back(value("-r"));
    else if (a == "--python") opt.pythonOverride = value("--python");
    else if (a == "--arch") opt.settings.arch = value("--arch");
    else if (a == "--bandwidth") opt.settings.bandwidthMbps = std::atof(value("--bandwidth").c_str());
    else if (a == "--cores") opt.settings.cores = std::atoi(value("--cores").c_str());
    else if (a == "--wheels-before-musllinux") opt.settings.wheelsBeforeMusllinux = true;
    else if (a == "--export") exportVariant = value("--export");
    else if (a == "--report") reportFile = value("--report");
    else if (a == "--variant") variantId = value("--variant");
    else if (a == "--max-size") {
      const std::string text = value("--max-size");
      std::uint64_t bytes = 0;
      std::string err;
      if (!estimate::parseSize(text, bytes, err)) {
        std::fprintf(stderr, "slimbench analyze: --max-size: %s\n", err.c_str());
        return 2;
      }
      maxSize = bytes;
    }
    else if (a == "--context") opt.contextDir = value("--context");
    else if (a == "--target") {
      opt.target = value("--target");
      if (opt.target.empty()) {
        std::fprintf(stderr, "slimbench analyze: --target expects a stage name (FROM ... AS NAME)\n");
        return 2;
      }
    }
    else if (a == "--build-arg") {
      if (!addBuildArg("analyze", value("--build-arg"), opt.buildArgs)) return 2;
    }
    else if (a == "--threads") {
      const std::string n = value("--threads");
      opt.threads = std::atoi(n.c_str());
      if (opt.threads < 1 || n.find_first_not_of("0123456789") != std::string::npos) {
        std::fprintf(stderr, "slimbench analyze: --threads expects a number from 1, got \"%s\"\n", n.c_str());
        return 2;
      }
    }
    else if (a == "--base-image") {
      auto kv = value("--base-image");
      auto eq = kv.rfind('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == kv.size()) {
        std::fprintf(stderr, "slimbench analyze: --base-image expects IMAGE=ARCHIVE (a docker save or OCI archive), got \"%s\"\n", kv.c_str());
        return 2;
      }
      if (auto e = loadBaseImage(kv.substr(0, eq), kv.substr(eq + 1), opt.settings)) {
        std::fprintf(stderr, "%s\n", e->format().c_str());
        return 1;
      }
    }
    else if (a == "--layer-size" || a == "--package-size") {
      // LINE=SIZE / NAME=SIZE: a figure for what slimbench does not know, given by you.
      const std::string flag = a;
      auto kv = value(flag.c_str());
      auto eq = kv.rfind('=');
      std::uint64_t bytes = 0;
      std::string err;
      const std::string key = eq == std::string::npos ? std::string() : kv.substr(0, eq);
      char* end = nullptr;
      const long line = flag == "--layer-size" ? std::strtol(key.c_str(), &end, 10) : 0;
      if (key.empty() || (flag == "--layer-size" && (*end != '\0' || line <= 0))) {
        std::fprintf(stderr, "slimbench analyze: %s expects %s=SIZE (e.g. %s), got \"%s\"\n", flag.c_str(),
                     flag == "--layer-size" ? "LINE" : "NAME", flag == "--layer-size" ? "12=35MB" : "internal-lib=4MB", kv.c_str());
        return 2;
      }
      if (!estimate::parseSize(kv.substr(eq + 1), bytes, err)) {
        std::fprintf(stderr, "slimbench analyze: %s %s: %s\n", flag.c_str(), kv.c_str(), err.c_str());
        return 2;
      }
      if (flag == "--layer-size") opt.settings.layerSizes.push_back({static_cast<int>(line), {}, bytes});
      else opt.settings.packageSizes[python::normalizeName(key)] = bytes;
    }
    else if (a == "--no-project-file") useProjectFile = false;
    else if (a == "--base-size") {
      auto kv = value("--base-size");
      auto eq = kv.rfind('=');
      std::uint64_t bytes = 0;
      std::string err;
      if (eq == std::string::npos || eq == 0) {
        std::fprintf(stderr, "slimbench analyze: --base-size expects IMAGE=SIZE (e.g. registry.example.com/base:1.4=350MB), got \"%s\"\n", kv.c_str());
        return 2;
      }
      if (!estimate::parseSize(kv.substr(eq + 1), bytes, err)) {
        std::fprintf(stderr, "slimbench analyze: --base-size %s: %s\n", kv.c_str(), err.c_str());
        return 2;
      }
      opt.settings.baseSizes[kv.substr(0, eq)] = bytes;
    }
    else if (a == "-o" || a == "--output") outFile = value("-o");
    else if (a == "--rule-severity") {
      auto kv = value("--rule-severity");
      auto eq = kv.find('=');
      if (eq == std::string::npos) { std::fprintf(stderr, "slimbench analyze: --rule-severity expects ID=off|info|warning|error\n"); return 2; }
      opt.ruleOverrides[kv.substr(0, eq)] = kv.substr(eq + 1);
    } else if (a == "-h" || a == "--help") {
      std::printf(
          "usage: slimbench analyze PROJECT_DIR_OR_DOCKERFILE [-r REQUIREMENTS] [--python X.Y] [--arch amd64|arm64]\n"
          "                         [--bandwidth MBIT/S] [--cores N] [--rule-severity ID=LEVEL]... [--json] [--verbose]\n"
          "                         [--context DIR] [--base-size IMAGE=SIZE]... [--base-image IMAGE=ARCHIVE]...\n"
          "                         [--target STAGE] [--build-arg NAME=VALUE]...\n"
          "                         [--export VARIANT -o FILE [--force]] [--threads N]\n"
          "                         [--layer-size LINE=SIZE]... [--package-size NAME=SIZE]... [--no-project-file]\n"
          "                         [--report FILE.html|FILE.md [--force]] [--max-size SIZE] [--variant VARIANT]\n"
          "                         [--wheels-before-musllinux]\n\n"
          "Estimates every layer of your Dockerfile and of the derived variants (fat, alpine, slim, multistage,\n"
          "buildkit) before anything is built. VARIANT is one of: original fat alpine slim multistage buildkit.\n"
          "--context DIR sets the build context (default: the Dockerfile's folder, or the nearest folder above it\n"
          "from which its COPY sources exist). --base-size gives the on-disk size of a base image the catalogue\n"
          "does not hold (units B, kB, MB, GB, KiB, MiB, GiB), e.g. --base-size registry.example.com/base:1.4=350MB;\n"
          "--base-image takes its real layers from a saved image (docker save, podman save, OCI archive or layout).\n"
          "--layer-size LINE=SIZE and --package-size NAME=SIZE give a figure for a layer (by the line where its\n"
          "RUN/COPY/ADD starts) or a Python distribution slimbench does not know; it is shown as \"given by you\".\n"
          "The same figures kept in slimbench.toml beside the Dockerfile are read too (the command line wins;\n"
          "--no-project-file ignores the file).\n"
          "--threads N analyses N variants at once (default: one per core; --cores is the build machine's, for\n"
          "build times). With --json each variant is written as soon as it and those before it are done.\n"
          "--target STAGE and --build-arg NAME=VALUE are what docker build is told: the image is that stage's,\n"
          "the ARGs take those values, in your Dockerfile and in the variants (which end with the target stage).\n"
          "Rule severities kept in slimbench.toml ([rules] SB102 = \"off\") apply too; --rule-severity wins over them.\n"
          "--report FILE writes a report of the analysis, HTML (.html: one self-contained page with the charts, the\n"
          "table, the findings, the chosen Dockerfile and its diff) or Markdown (.md: for a pull request); an existing\n"
          "file is replaced only with --force. The Dockerfile shown is --variant's, else the recommended one.\n"
          "--max-size SIZE (e.g. 300MB) checks the estimated size on disk of --variant (default: original, your\n"
          "Dockerfile) before any build. Only what is known to be over fails: a lower bound (unknown parts) over\n"
          "the limit fails; one under it passes with a warning that the unknown parts could exceed it.\n"
          "--wheels-before-musllinux estimates as before musllinux wheels (PEP 656, 2021): on Alpine (musl) pip then\n"
          "compiled what has no pure wheel (numpy, pandas, ...); compile times come from the bundled build-knowledge\n"
          "catalogue. Debian (glibc) variants are unchanged. The output says which era the figures describe.\n"
          "Exit codes: 0 ok, 1 the input has errors, 2 usage error, 3 the estimate is over --max-size.\n");
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "slimbench analyze: unknown option %s (see --help)\n", a.c_str());
      return 2;
    } else target = a;
  }
  if (target.empty()) {
    std::fprintf(stderr, "slimbench analyze: missing PROJECT_DIR_OR_DOCKERFILE (see --help)\n");
    return 2;
  }
  if (int rc = resolveRuleOverrides("analyze", target, useProjectFile, opt.ruleOverrides)) return rc;
  if (opt.settings.arch != "amd64" && opt.settings.arch != "arm64") {
    std::fprintf(stderr, "slimbench analyze: --arch must be amd64 or arm64\n");
    return 2;
  }
  std::optional<report::Format> reportFormat;
  if (!reportFile.empty()) {
    reportFormat = report::formatFromPath(reportFile);
    if (!reportFormat) {
      std::fprintf(stderr, "slimbench analyze: --report %s: the file must end in .html (a web page) or .md (Markdown)\n", reportFile.c_str());
      return 2;
    }
  }
  if (!variantId.empty()) {
    generate::VariantKind k{};
    if (!generate::variantFromId(variantId, k)) {
      std::fprintf(stderr, "slimbench analyze: --variant: unknown variant %s (original fat alpine slim multistage buildkit)\n", variantId.c_str());
      return 2;
    }
    if (reportFile.empty() && !maxSize) {
      std::fprintf(stderr, "slimbench analyze: --variant chooses the variant of --report and --max-size: give one of them\n");
      return 2;
    }
  }
  generate::VariantKind exportKind{};
  if (!exportVariant.empty()) {
    if (!generate::variantFromId(exportVariant, exportKind)) {
      std::fprintf(stderr, "slimbench analyze: unknown variant %s (original fat alpine slim multistage buildkit)\n", exportVariant.c_str());
      return 2;
    }
    if (outFile.empty()) {
      std::fprintf(stderr, "slimbench analyze: --export needs -o FILE (or -o - for standard output)\n");
      return 2;
    }
    if (outFile == "-" && json) {
      std::fprintf(stderr, "slimbench analyze: --export -o - and --json both write to standard output: give -o FILE\n");
      return 2;
    }
  }
  // --json: each variant is written as soon as it and those before it are analysed, while the
  // others are still being analysed (the same text as writing the whole analysis at the end).
  std::optional<JsonWriter> streamed;
  std::optional<estimate::AnalysisJsonWriter> analysisOut;
  // The text output: each variant's table row and section are made as it is analysed too (they
  // are short: long lists are cut), and printed at the end.
  std::vector<std::string> rows, sections;
  if (json)
    opt.onVariant = [&streamed, &analysisOut](const estimate::Analysis& head, const estimate::VariantResult& v) {
      if (!streamed) {
        streamed.emplace(stdout);
        analysisOut.emplace(*streamed);
        analysisOut->head(head);
      }
      analysisOut->variant(v);
    };
  else if (exportVariant.empty())
    opt.onVariant = [&rows, &sections, verbose](const estimate::Analysis&, const estimate::VariantResult& v) {
      rows.push_back(tableRow(v));
      sections.push_back(section(v, verbose));
    };
  // Written out: what follows reads only texts (to export one), totals and diagnostics. A report
  // reads every layer and text, --max-size the lines of the unknown layers: then all is kept.
  opt.releaseDelivered = static_cast<bool>(opt.onVariant) && reportFile.empty() && !maxSize;
  opt.releaseDeliveredTexts = exportVariant.empty();
  // The JSON holds each layer's unknowns and the variant's off-layer ones: no variant-wide lists
  // (a second copy of every unknown text) unless the report or the size check reads them.
  opt.unknownLists = !(json && reportFile.empty() && !maxSize);
  auto pa = analyzeProject(target, opt, useProjectFile);
  if (!pa) return 1;
  const estimate::Analysis& analysis = pa->analysis;
  if (analysis.targetError) {  // nothing was written: the option names no stage
    std::fprintf(stderr, "%s\n", analysis.targetError->format().c_str());
    static std::optional<ProjectAnalysis> parkedEarly;
    parkedEarly = std::move(pa);
    return 2;
  }
  for (const auto& w : analysis.settingWarnings) std::fprintf(stderr, "slimbench analyze: %s\n", w.c_str());
  if (!analysis.variants.empty() && analysis.variants[0].parseError) {
    std::fprintf(stderr, "%s\n", analysis.variants[0].parseError->format().c_str());
  }
  if (!exportVariant.empty()) {
    for (const auto& v : analysis.variants)
      if (v.kind == exportKind) {
        if (outFile == "-") {  // the Unix convention: the Dockerfile to standard output, nothing else there
          std::fwrite(v.dockerfile.data(), 1, v.dockerfile.size(), stdout);
          std::fprintf(stderr, "wrote the %s Dockerfile to standard output\n", generate::variantTitle(v.kind));
          continue;
        }
        if (auto e = writeFileAtomic(outFile, v.dockerfile, force)) {
          std::fprintf(stderr, "%s\n", e->format().c_str());
          return 1;
        }
        std::fprintf(stderr, "wrote %s (%s)\n", outFile.c_str(), generate::variantTitle(v.kind));
      }
  }
  if (json && streamed) {
    analysisOut->tail();
    streamed->finish();
  } else if (json) {
    JsonWriter w(stdout);
    estimate::writeAnalysisJson(w, analysis);
    w.finish();
  }
  else if (exportVariant.empty()) printTable(analysis, rows, sections);
  std::fflush(stdout);
  trace("output written");
  // The report, once the analysis is printed (a report that cannot be written fails with exit 1).
  const bool reportFailed = reportFormat && !writeReport(*pa, args, reportFile, *reportFormat, variantId, force);
  // Errors of the model (an unknown instruction, a bad --from) fail `docker build`: said, and exit 1.
  bool modelError = false;
  if (!analysis.variants.empty())
    for (const auto& d : analysis.variants[0].model.diagnostics)
      if (d.severity >= Severity::Error) {
        const auto& pe = analysis.variants[0].parseError;  // a rejection: printed above already
        if (!pe || pe->format() != d.format()) std::fprintf(stderr, "%s\n", d.format().c_str());
        modelError = true;
      }
  int rc = analysis.variants.empty() || analysis.variants[0].parseError || modelError || reportFailed ? 1 : 0;
  if (maxSize) {
    // Before any build: the chosen variant's estimated size on disk against the limit.
    const std::string want = variantId.empty() ? "original" : variantId;
    const estimate::VariantResult* checked = nullptr;
    for (const auto& v : analysis.variants)
      if (generate::variantId(v.kind) == want) checked = &v;
    if (!checked) {
      std::fprintf(stderr, "slimbench analyze: --max-size: the analysis has no variant %s\n", want.c_str());
      rc = 1;
    } else {
      const auto c = report::checkMaxSize(*checked, *maxSize);
      using V = report::SizeCheck::Verdict;
      const char* head = c.verdict == V::Over ? "over the size limit" : c.verdict == V::Within ? "within the size limit"
                       : c.verdict == V::WithinKnownOnly ? "warning" : "cannot check the size limit";
      std::fprintf(stderr, "slimbench analyze: %s: %s\n", head, c.message.c_str());
      if (c.verdict == V::NotEstimated) rc = 1;
      else if (c.fails() && rc == 0) rc = 3;
    }
  }
  // Parked, not freed: main ends the process with _Exit right after (freeing a 100k-line
  // Dockerfile's six variants one allocation at a time took a quarter of a second).
  static std::optional<ProjectAnalysis> parked;
  parked = std::move(pa);
  return rc;
}

}  // namespace slimbench::app
