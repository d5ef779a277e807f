#include "estimate/estimate.h"

#include <nlohmann/json.hpp>

#include "estimate/build_scripts.h"
#include "estimate/commands.h"
#include "python/project.h"
#include "python/version.h"
#include "util/files.h"
#include "util/jsontext.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <regex>
#include <set>
#include <unordered_set>

#include <filesystem>
#include <fnmatch.h>

// `x == "literal"sv` compares lengths first, inline (x == "literal" is strlen + memcmp in a call).
using namespace std::string_view_literals;

namespace slimbench::estimate {

using dockerfile::Kind;
using dockerfile::PackageOp;

const char* categoryId(Category c) {
  switch (c) {
    case Category::OsBase: return "os-base";
    case Category::PythonRuntime: return "python-runtime";
    case Category::SystemPackages: return "system-packages";
    case Category::BuildTools: return "build-tools";
    case Category::PythonPackages: return "python-packages";
    case Category::Caches: return "caches";
    case Category::AppCode: return "app-code";
    case Category::WheelsCopied: return "wheels-copied";
    case Category::Other: return "other";
  }
  return "other";
}

const char* categoryTitle(Category c) {
  switch (c) {
    case Category::OsBase: return "OS base";
    case Category::PythonRuntime: return "Python runtime";
    case Category::SystemPackages: return "System packages";
    case Category::BuildTools: return "Build tools";
    case Category::PythonPackages: return "Python packages";
    case Category::Caches: return "Caches";
    case Category::AppCode: return "Application code";
    case Category::WheelsCopied: return "Wheels copied";
    case Category::Other: return "Other";
  }
  return "Other";
}

std::string formatMB(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

const char* basisId(Basis b) {
  switch (b) {
    case Basis::Catalogue: return "catalogue";
    case Basis::Model: return "model";
    case Basis::Proxy: return "proxy";
    case Basis::Given: return "given";
    case Basis::Unknown: return "unknown";
  }
  return "unknown";
}

std::string formatSize(const Range& r) { return (r.open ? "≥ " : "") + formatMB(r.mid); }

std::string formatTotal(const Range& r, const Coverage& c) {
  // A few kB are not "0.0 MB" (least of all as a lower bound: "≥ 0.0 MB" reads as nothing known).
  const std::string mb = r.mid > 0 && r.mid < 50'000 ? std::string("<0.1 MB") : formatMB(r.mid);
  if (!r.open && c.complete) return mb;
  std::string s = "≥ " + mb;
  if (c.unknownCount > 0)
    s += " (" + std::to_string(c.unknownCount) + (c.unknownCount == 1 ? " layer" : " layers") + " unknown)";
  return s;
}

std::string formatSeconds(double s, bool lowerBound) {
  char buf[40];
  if (s < 60) std::snprintf(buf, sizeof buf, "%s%.0f s", lowerBound ? "≥ " : "", s);
  else std::snprintf(buf, sizeof buf, "%s%.1f min", lowerBound ? "≥ " : "", s / 60.0);
  return buf;
}

bool parseSize(const std::string& text, std::uint64_t& bytes, std::string& error) {
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::size_t start = i;
  bool dot = false;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || (text[i] == '.' && !dot))) {
    dot = dot || text[i] == '.';
    ++i;
  }
  if (i == start || (i == start + 1 && text[start] == '.')) {
    error = "expected a size such as 120MB, 1.2GB or 850MiB, got \"" + text + "\"";
    return false;
  }
  const double v = std::strtod(text.substr(start, i - start).c_str(), nullptr);
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::string unit = text.substr(i);
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::pair<const char*, double> units[] = {
      {"", 1}, {"b", 1}, {"k", 1e3}, {"kb", 1e3}, {"m", 1e6}, {"mb", 1e6}, {"g", 1e9}, {"gb", 1e9},
      {"kib", 1024.0}, {"mib", 1048576.0}, {"gib", 1073741824.0}};
  for (const auto& [name, factor] : units)
    if (unit == name) {
      const double b = v * factor;
      if (b > 1e15) {
        error = "size " + text + " is larger than 1 PB";
        return false;
      }
      bytes = static_cast<std::uint64_t>(b + 0.5);
      return true;
    }
  error = "unknown unit \"" + text.substr(i) + "\" in \"" + text + "\" (expected B, kB, MB, GB, KiB, MiB or GiB)";
  return false;
}

namespace {

// std::sort + std::unique of a list of texts, in the same (byte) order. A large variant has
// 100k+ of them ("line N: ..."): sorting the strings themselves compared them through memcmp
// and moved them across the heap; here the first 16 bytes of each, read as two big-endian
// numbers, decide most comparisons in a compact array, and the texts are moved once.
void sortUnique(std::vector<std::string>& v) {
  if (v.size() < 64) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return;
  }
  struct Key {
    std::uint64_t a, b;
    std::uint32_t index;
  };
  auto word = [](const std::string& s, std::size_t at) {
    std::uint64_t x = 0;
    for (std::size_t i = 0; i < 8; ++i)
      x = (x << 8) | (at + i < s.size() ? static_cast<unsigned char>(s[at + i]) : 0u);
    return x;
  };
  std::vector<Key> keys;
  keys.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) keys.push_back({word(v[i], 0), word(v[i], 8), static_cast<std::uint32_t>(i)});
  // Padding with zero bytes keeps the order: unequal keys order the texts as their bytes do; equal
  // keys (the same first 16 bytes, or a shorter text padded) are ordered by the whole texts.
  std::sort(keys.begin(), keys.end(), [&v](const Key& x, const Key& y) {
    if (x.a != y.a) return x.a < y.a;
    if (x.b != y.b) return x.b < y.b;
    return v[x.index] < v[y.index];
  });
  std::vector<std::string> out;
  out.reserve(v.size());
  for (const auto& k : keys) {
    std::string& s = v[k.index];
    if (!out.empty() && out.back() == s) continue;
    out.push_back(std::move(s));
  }
  v = std::move(out);
}

Range scale(const Range& r, double lo, double mid, double hi) {
  return {static_cast<std::uint64_t>(static_cast<double>(r.low) * lo), static_cast<std::uint64_t>(static_cast<double>(r.mid) * mid),
          static_cast<std::uint64_t>(static_cast<double>(r.high) * hi), r.open};
}

std::string shortText(const std::string& t, std::size_t n = 60) {
  std::string s;
  for (char c : t) s += (c == '\n' || c == '\t') ? ' ' : c;
  return s.size() > n ? s.substr(0, n - 3) + "..." : s;
}

// An empty virtual environment (pyvenv.cfg, bin/ with the interpreter links and activate scripts):
// measured with `python3 -m venv --without-pip` (Python 3.11): 42,738 bytes by `du -sb`, 30,720 bytes
// as a tar; high side for uv's layout and longer paths.
const Range kEmptyVenv{30720, 42738, 60000, false};
const char* kEmptyVenvSource = "measured: python3 -m venv --without-pip (Python 3.11) is 42.7 kB (du -sb), 30.7 kB as a tar";

Range fromCost(const catalogue::InstallCost& c) { return {c.bytesLow, c.bytesMid, c.bytesHigh, false}; }


// A path without its trailing '/' and '*' (hasPrefixPath compares these).
std::string stripPath(std::string s) {
  while (s.size() > 1 && (s.back() == '/' || s.back() == '*')) s.pop_back();
  return s;
}
bool hasPrefixPath(const std::string& p, const std::string& dir) {
  std::string a = stripPath(p), b = stripPath(dir);
  return a == b || a.rfind(b + "/", 0) == 0;
}
// Calls f(prefix) for every D with hasPrefixPath(a, D) true, D stripped: `a` itself and each
// part of it before a '/' (so lookups by ancestor cost O(depth), not a walk over every path).
template <class F>
void forEachAncestor(const std::string& strippedA, F f) {
  f(strippedA);
  for (std::size_t i = 0; i < strippedA.size(); ++i)
    if (strippedA[i] == '/') f(strippedA.substr(0, i));
}

Category classifyBaseLayer(const std::string& history, std::size_t index) {
  if (index == 0) return Category::OsBase;
  if (history.find("python.org") != std::string::npos || history.find("PYTHON_VERSION") != std::string::npos ||
      history.find("ln -svT") != std::string::npos || history.find("get-pip") != std::string::npos ||
      history.find("idle3") != std::string::npos || history.find("savedAptMark") != std::string::npos ||
      history.find(".build-deps") != std::string::npos)
    return Category::PythonRuntime;
  if (history.find("apt-get") != std::string::npos || history.find("apk add") != std::string::npos) {
    // buildpack-deps' main layer installs compilers and -dev headers (the full python image).
    if (history.find(" gcc ") != std::string::npos || history.find(" g++ ") != std::string::npos ||
        history.find("build-essential") != std::string::npos)
      return Category::BuildTools;
    return Category::SystemPackages;
  }
  return Category::OsBase;
}

struct StageState {
  const catalogue::BaseImage* base = nullptr;
  std::string family;   // debian | alpine | unknown
  std::string suite;    // bullseye | bookworm | trixie
  bool slim = false;
  std::set<std::string> debInstalled, apkInstalled;
  std::vector<LayerEstimate> layers;
  std::map<std::string, Range> wheelDirs;         // pip wheel --wheel-dir
  std::map<std::string, std::vector<PythonPackage>> wheelDirPackages;
  std::vector<PythonPackage> pipInstalled;
  Range pipInstalledBytes;
  std::set<std::string> pipSatisfied;  // "scope:dir|name==version" pip installed here (or in the FROM stage)
  std::map<std::string, std::vector<PythonPackage>> copiedWheels;  // COPY'd wheel dirs in this stage
  std::set<std::string> copiedWheelsOpen;                          // ... of which some wheels are unknown
  bool buildToolsPresent = false;  // a compiler (catalogue::isCompilerPackage) is installed
  bool headersPresent = false;     // -dev headers / build tools without a compiler
  bool baseUnknown = false;
  bool scratch = false;  // FROM scratch (or a stage built on it): no file is there before the steps
  std::string suiteNote;  // a proxy for the Debian package data of this base (another release, Ubuntu)
  std::string workdir = "/";
  // What this stage's steps wrote where (for COPY --from=stage PATH), in order.
  struct Written {
    std::string path;
    Range bytes;
    Category category;
    Basis basis;
    int line = 0;  // the step that wrote it
    bool byFile = false;  // a COPY from the build context: the files it placed are known one by one
  };
  std::vector<Written> written;
  // A step of this stage (or the stages it is built FROM) with a command that is not modelled and
  // names no folder it writes to (a project script, `ng build`): anything may lie anywhere after
  // it. The line and the command, shortened, of the last such step.
  std::optional<std::pair<int, std::string>> unplacedWrite;  // the last of them
  int currentLine = 0;  // the step being estimated (for `written`)
  // Paths the commands of the RUN being estimated wrote so far (echo > FILE, touch, sed -i, ...):
  // a later command of the same RUN that edits or chmods them finds them in this layer already.
  std::set<std::string> runFiles;
  // Debian packages the RUN being estimated installed (their /etc/<package>/ files are in this layer).
  std::set<std::string> runPackages;
  // Apt repositories the stage's RUNs added (line, URL or list file): not Debian's archive.
  std::vector<std::pair<int, std::string>> aptSources;
  // The context COPYs of this stage (for the files of a kind under a path: .py, .po, static/).
  struct ContextCopy {
    std::string source, dest;
    bool toDir = false;
  };
  std::vector<ContextCopy> contextCopies;
  std::map<std::string, catalogue::DebianCatalogue::PackageInfo> downloadedDebs;  // apt-get download NAME
  std::map<std::string, std::string> copiedFiles;  // image path -> context path, from COPY
  std::vector<std::string> createdDirs;             // WORKDIR and mkdir paths of this stage (empty unless written)
  std::set<std::string> createdIndex;               // createdDirs, stripped (stripPath)
  std::map<std::string, std::vector<std::size_t>> writtenIndex;  // stripped path -> indices into `written`
  void addCreated(const std::string& d) {
    createdDirs.push_back(d);
    createdIndex.insert(stripPath(d));
  }
  // Whether `path` (absolute) is a folder before this step: one WORKDIR or mkdir made, or one the
  // Filesystem Hierarchy Standard requires of every Debian, Ubuntu or Alpine root (FHS 3.0 §3;
  // Debian's base-files and Alpine's alpine-baselayout make them). `COPY requirements.txt /tmp`
  // then puts /tmp/requirements.txt, as Docker does when the destination is an existing folder.
  bool existingDir(const std::string& path) const {
    static const std::set<std::string, std::less<>> fhs = {
        "/bin", "/etc", "/home", "/lib", "/media", "/mnt", "/opt", "/root", "/run", "/sbin", "/srv", "/tmp", "/usr",
        "/usr/bin", "/usr/lib", "/usr/local", "/usr/local/bin", "/usr/local/lib", "/usr/local/share", "/usr/local/src",
        "/usr/sbin", "/usr/share", "/usr/src", "/var", "/var/cache", "/var/lib", "/var/log", "/var/tmp"};
    const std::string p = stripPath(path);
    return createdIndex.count(p) > 0 || (!scratch && fhs.count(p) > 0);
  }
  bool underCreated(const std::string& path) const {
    bool found = false;
    forEachAncestor(stripPath(path), [&](const std::string& d) { found = found || createdIndex.count(d) > 0; });
    return found;
  }
  // Indices of `written` whose path holds `path` or lies under it (hasPrefixPath either way):
  // `under` those under or equal to it, `above` those that contain it.
  void writtenAround(const std::string& path, std::vector<std::size_t>& under, std::vector<std::size_t>& above) const {
    const std::string a = stripPath(path);
    if (auto it = writtenIndex.find(a); it != writtenIndex.end()) under.insert(under.end(), it->second.begin(), it->second.end());
    const std::string pre = a + "/";
    for (auto it = writtenIndex.lower_bound(pre); it != writtenIndex.end() && it->first.compare(0, pre.size(), pre) == 0; ++it)
      under.insert(under.end(), it->second.begin(), it->second.end());
    forEachAncestor(a, [&](const std::string& d) {
      if (d == a) return;
      if (auto it = writtenIndex.find(d); it != writtenIndex.end())
        for (std::size_t i : it->second)
          if (!packagesNeverUnder(written[i], a)) above.push_back(i);
    });
  }
  // Debian and Alpine packages, recorded as one write at /usr, never install under /usr/local (the
  // FHS leaves it to the admin) nor into a project's folder under /usr/src (the few packages with
  // files there, kernel headers and -source packages, use their own folder, /usr/src/<package>):
  // COPY --from, chown -R or cp of /usr/src/app does not take a share of them.
  static bool packagesNeverUnder(const Written& w, const std::string& path) {
    if (w.category != Category::SystemPackages && w.category != Category::BuildTools) return false;
    if (stripPath(w.path) != "/usr"sv) return false;
    const std::string a = stripPath(path);
    return hasPrefixPath(a, "/usr/local") || (hasPrefixPath(a, "/usr/src") && a.size() > std::string_view("/usr/src").size());
  }
  struct Rewrite {
    int line;
    std::string path;
    Range bytes;
  };
  std::vector<Rewrite> rewrites;  // chown -R / chmod -R of files earlier layers wrote
};

class Estimator {
 public:
  Estimator(const dockerfile::Model& m, const Inputs& in) : m_(m), in_(in) {}

  VariantEstimate run() {
    VariantEstimate out;
    std::vector<StageState> states(m_.stages.size());
    for (const auto& st : m_.stages) {
      // A stage the final image does not need is not built (BuildKit; --target): nothing of it
      // counts, not even what it leaves unknown.
      if (!st.reachable) continue;
      auto& s = states[st.index];
      startStage(st, s, states);
      // One layer per RUN/COPY/ADD: room for them at once (grown by doubling, a 100k-line stage's
      // list was copied a dozen times and held up to twice its size).
      s.layers.reserve(s.layers.size() + static_cast<std::size_t>(std::count_if(
                                              st.steps.begin(), st.steps.end(), [](const dockerfile::Step& x) { return x.createsLayer; })));
      for (std::size_t stepIndex = 0; stepIndex < st.steps.size(); ++stepIndex) {
        const auto& step = st.steps[stepIndex];
        if (step.kind == Kind::Workdir && !step.args().empty()) {
          s.workdir = absPath(step.args()[0], s.workdir);
          s.addCreated(s.workdir);
        }
        if (!step.createsLayer) continue;
        s.currentLine = step.startLine;
        s.runFiles.clear();
        s.runPackages.clear();
        LayerEstimate le;
        le.stage = st.index;
        le.line = step.startLine;
        le.instruction = step.sharedOriginal();  // the model's text, not a copy
        if (step.kind == Kind::Run) runLayer(st, step, stepIndex, s, le);
        else copyLayer(st, step, s, states, le);
        uniqueParts(le);
        if (!in_.settings.layerSizes.empty()) applyGivenLayer(step, s, le);
        finalizeLayer(le);
        le.source = sources_.get(le.source);  // most layers name one of a few sources
        le.reason = reasons_.get(le.reason);  // and give one of a few reasons
        s.layers.push_back(std::move(le));
      }
    }
    if (m_.finalStage < 0) return out;
    auto& fin = states[m_.finalStage];
    const auto& finalLayers = fin.layers;  // moved into out.layers at the end (warmCache reads them)
    out.base = fin.base;
    out.baseImage = m_.stages[m_.finalStage].baseImage;
    out.packages = fin.pipInstalled;
    out.compilerInFinal = fin.buildToolsPresent;
    out.headersInFinal = fin.headersPresent && !fin.buildToolsPresent;
    for (const auto& l : finalLayers) {
      out.disk += l.disk;
      out.compressed += l.compressed;
      if (l.basis == Basis::Unknown) {
        out.coverage.complete = false;
        ++out.coverage.unknownCount;
        out.coverage.unknownLayers.push_back(l.line);
      } else if (l.basis == Basis::Proxy) {
        ++out.coverage.proxyCount;
        out.coverage.proxyLayers.push_back(l.line);
      }
    }
    // Build time: every stage the final image needs; the base pulls are part of it.
    std::size_t builderCount = 0;
    for (const auto& st : m_.stages) {
      if (!st.reachable) continue;
      for (const auto& l : states[st.index].layers) {
        out.buildSecondsCold += l.seconds;
        if (l.secondsOpen) out.coldLowerBound = true;
      }
      if (st.index != m_.finalStage) builderCount += states[st.index].layers.size();
    }
    warmCache(states, out);
    // The other stages' layers move to the estimate (a builder stage of a 100k-line variant holds
    // most of them: copied, they were there twice).
    out.builderLayers.reserve(builderCount);
    for (const auto& st : m_.stages)
      if (st.reachable && st.index != m_.finalStage)
        for (auto& l : states[st.index].layers) out.builderLayers.push_back(std::move(l));
    out.layers = std::move(fin.layers);
    if (in_.listUnknowns) fillUnknownLists(out);
    return out;
  }

 private:
  const dockerfile::Model& m_;
  TextPool sources_, reasons_;          // layers' sources and reasons, one copy of each
  std::unique_ptr<StageScope> scope_;  // the RUN variables of the stage being estimated (advanced, not recomputed)
  // The folder each command of the RUN being estimated runs in, by command index (see runLayer).
  std::map<int, std::string> runCwd_;
  const Inputs& in_;

  // A part of this layer could not be estimated: the layer becomes a lower bound.
  // A layer that installs thousands of packages (a variant's one install RUN for a 100k-line
  // Dockerfile) is not scanned per part: past kScanParts its list is made unique once, by
  // uniqueParts, when the layer is done (the variant's lists are made from the parts: fillUnknownLists).
  static constexpr std::size_t kScanParts = 32;
  SharedText shared(std::string_view text) const { return in_.texts ? in_.texts->get(text) : SharedText(std::string(text)); }
  void unknownPart(LayerEstimate& le, const std::string& what) const {
    le.basis = Basis::Unknown;
    if (le.unknownParts.size() >= kScanParts || std::find(le.unknownParts.begin(), le.unknownParts.end(), what) == le.unknownParts.end())
      le.unknownParts.push_back(shared(what));
  }
  static void uniqueParts(LayerEstimate& le) {
    for (auto* parts : {&le.unknownParts, &le.timeUnknownParts}) {
      if (parts->size() <= kScanParts) continue;
      std::unordered_set<std::string_view> seen;
      std::vector<SharedText> kept;
      for (auto& u : *parts)
        if (seen.insert(u.str()).second) kept.push_back(u);
      *parts = std::move(kept);
    }
    // A gotcha said once per layer (two apt-get installs without --no-install-recommends in one RUN).
    if (le.notes.size() > 1) {
      std::unordered_set<std::string> seen;
      std::vector<std::string> kept;
      for (auto& n : le.notes)
        if (seen.insert(n).second) kept.push_back(std::move(n));
      le.notes = std::move(kept);
    }
  }
  static void proxyPart(LayerEstimate& le, const std::string& note) {
    if (le.basis != Basis::Unknown) le.basis = Basis::Proxy;
    // Each stand-in once (two apt installs in one RUN on the same proxied base gave it twice).
    const std::string& all = le.proxyNote;
    for (std::size_t at = all.find(note); at != std::string::npos; at = all.find(note, at + 1))
      if ((at == 0 || all.compare(at - 2, 2, "; ") == 0) && (at + note.size() == all.size() || all.compare(at + note.size(), 2, "; ") == 0))
        return;
    le.proxyNote += (le.proxyNote.empty() ? "" : "; ") + note;
  }
  // A figure the user gave is part of this layer (unless something in it stays unknown).
  static void givenPart(LayerEstimate& le, const std::string& note) {
    if (le.basis != Basis::Unknown && le.basis != Basis::Proxy) le.basis = Basis::Given;
    le.notes.push_back(note);
  }
  // The user gave this step's layer size (--layer-size LINE=SIZE): it replaces the estimate, and
  // what was unknown in it is no longer counted as unknown (kept as a note).
  void applyGivenLayer(const dockerfile::Step& step, StageState& s, LayerEstimate& le) const {
    const Settings::GivenLayerSize* g = nullptr;
    const std::string text = step.sharedOriginal().str();
    for (const auto& l : in_.settings.layerSizes)
      if (l.text == text) g = &l;
    if (!g) return;
    for (const auto& u : le.unknownParts) le.notes.push_back("slimbench could not size: " + u.str());
    le.unknownParts.clear();
    le.disk = Range::exact(g->bytes);
    le.compressed = scale(le.disk, 0.25, 0.33, 0.5);
    le.basis = Basis::Given;
    le.reason = "size given by you (line " + std::to_string(g->line) + " = " + formatMB(g->bytes) + "). " + le.reason.str();
    le.source = "given by you";
    for (auto& w : s.written)
      if (w.line == le.line && w.basis == Basis::Unknown) {
        w.basis = Basis::Given;
        w.bytes = le.disk;
      }
  }
  // (The variant's lists are made from the layers' parts at the end: fillUnknownLists.)
  void timeUnknown(LayerEstimate& le, const std::string& what) const {
    le.secondsOpen = true;
    // The layer's own list leaves out " at line N": the layer says its line.
    const std::string at = " at line " + std::to_string(le.line);
    const bool lined = le.line > 0 && what.size() > at.size() && what.compare(what.size() - at.size(), at.size(), at) == 0;
    const std::string_view part = lined ? std::string_view(what).substr(0, what.size() - at.size()) : std::string_view(what);
    if (le.timeUnknownParts.size() >= kScanParts || std::find(le.timeUnknownParts.begin(), le.timeUnknownParts.end(), part) == le.timeUnknownParts.end()) {
      // Most often the same words as an unknown part of this layer (a script, a download): that text.
      const std::size_t scan = std::min(le.unknownParts.size(), kScanParts);
      const auto same = std::find(le.unknownParts.end() - static_cast<std::ptrdiff_t>(scan), le.unknownParts.end(), part);
      le.timeUnknownParts.push_back(same != le.unknownParts.end() ? *same : shared(part));
    }
  }
  static void finalizeLayer(LayerEstimate& le) {
    if (le.basis != Basis::Unknown) return;
    le.disk.open = le.compressed.open = true;
    le.disk.high = le.disk.mid;
    le.compressed.high = le.compressed.mid;
  }

  double installSeconds(std::uint64_t bytes, bool pip) const {
    if (!in_.catalogues) return 0;
    double rate = pip ? in_.catalogues->pipBytesPerSecond : in_.catalogues->dpkgBytesPerSecond;
    return rate > 0 ? static_cast<double>(bytes) / rate : 0;
  }

  double downloadSeconds(std::uint64_t bytes) const {
    double mbps = std::max(0.1, in_.settings.bandwidthMbps);
    return static_cast<double>(bytes) * 8.0 / (mbps * 1e6);
  }

  struct BaseLookup {
    const catalogue::BaseImage* image = nullptr;
    bool proxy = false;
    std::string note;  // proxy: what stands in for what; unknown: why
    double widen = 0;  // extra relative uncertainty of a proxy
  };

  static std::string stripRegistry(std::string ref) {
    for (const char* p : {"docker.io/library/", "index.docker.io/library/", "docker.io/", "library/"})
      if (ref.rfind(p, 0) == 0) return ref.substr(std::string(p).size());
    return ref;
  }

  BaseLookup lookupBase(const std::string& ref, const std::string& arch) const {
    BaseLookup r;
    if (!in_.catalogues || !in_.catalogues->bases) {
      r.note = "no base-image catalogue loaded";
      return r;
    }
    auto res = in_.catalogues->bases->resolve(ref, arch);
    r.image = res.image;
    r.note = res.note;
    r.widen = res.widen;
    r.proxy = res.basis == catalogue::BaseBasis::Proxy;
    if (res.basis == catalogue::BaseBasis::Unknown) r.image = nullptr;
    if (!r.image && r.note.empty()) r.note = "not in the bundled catalogue (docker-library/repo-info official images)";
    return r;
  }

  // Files under `src` in a catalogued non-base image (ghcr.io/astral-sh/uv's binaries): their size, and a
  // proxy note when another version stands in. nullopt when the image or the path is not catalogued.
  struct ExternalFiles {
    Range bytes;
    std::string note, source;
    bool proxy = false;
  };
  std::optional<ExternalFiles> externalFiles(const std::string& imageRef, const std::string& src) const {
    if (!in_.catalogues || in_.catalogues->imageFiles.empty()) return std::nullopt;
    auto ref = catalogue::parseImageRef(imageRef);
    if (!ref) return std::nullopt;
    const std::string name = (ref->registry.empty() ? "" : ref->registry + "/") + ref->repository;
    // A tool image is tagged by its version alone (uv:0.11.7, uv:latest). A tag with more
    // (uv:0.11.32-python3.12-trixie-slim, uv:alpine) names the tool on top of an OS image: not
    // these files.
    if (!ref->tag.empty() && ref->tag != "latest"sv &&
        ref->tag.find_first_not_of("0123456789.") != std::string::npos)
      return std::nullopt;
    const ImageFilesRecord* best = nullptr;
    double bestDist = 1e9;
    auto num = [](const std::string& v, std::size_t part) {
      std::size_t start = 0;
      for (std::size_t i = 0; i < part; ++i) {
        start = v.find('.', start);
        if (start == std::string::npos) return 0.0;
        ++start;
      }
      return std::atof(v.c_str() + start);
    };
    for (const auto& r : in_.catalogues->imageFiles) {
      if (std::find(r.names.begin(), r.names.end(), name) == r.names.end()) continue;
      // Distance between versions: minor releases weigh most (0.11.7 vs 0.12.3).
      const std::string& t = ref->tag;
      double d = t.empty() || t == "latest"sv || !std::isdigit(static_cast<unsigned char>(t[0]))
                     ? 50.0
                     : std::abs(num(t, 0) - num(r.version, 0)) * 1000 + std::abs(num(t, 1) - num(r.version, 1)) * 10 +
                           std::abs(num(t, 2) - num(r.version, 2)) * 0.1;
      if (t == r.version) d = 0;
      if (d < bestDist) {
        bestDist = d;
        best = &r;
      }
    }
    if (!best) return std::nullopt;
    ExternalFiles out;
    bool any = false;
    for (const auto& f : best->files)
      if (hasPrefixPath(f.path, src) || src == "/"sv || src == "/."sv) {
        out.bytes += Range{f.bytes > f.precision ? f.bytes - f.precision : 0, f.bytes, f.bytes + f.precision, false};
        any = true;
      }
    if (!any) return std::nullopt;
    out.source = best->source;
    if (bestDist > 0) {
      out.proxy = true;
      // Another release of the same tool: ±20 % (uv's binary grew from 31 MiB to 56 MiB in two years).
      out.bytes = scale(out.bytes, 0.8, 1.0, 1.2);
      out.note = name + ":" + (ref->tag.empty() ? "latest" : ref->tag) + " sized from " + best->version + "'s files (range ±20 %)";
    }
    return out;
  }

  std::optional<std::uint64_t> userBaseSize(const std::string& ref) const {
    const auto& m = in_.settings.baseSizes;
    for (const auto& key : {ref, stripRegistry(ref)}) {
      auto it = m.find(key);
      if (it != m.end()) return it->second;
    }
    return std::nullopt;
  }

  // The architecture a stage is built for: FROM --platform=linux/arm64 wins; $BUILDPLATFORM and
  // $TARGETPLATFORM are the setting (one platform per analysis).
  std::string stageArch(const dockerfile::Stage& st) const {
    if (st.platform.find("arm64") != std::string::npos || st.platform.find("aarch64") != std::string::npos) return "arm64";
    if (st.platform.find("amd64") != std::string::npos || st.platform.find("x86_64") != std::string::npos) return "amd64";
    return in_.settings.arch;
  }

  const catalogue::DebianCatalogue* debian(const StageState& s) const {
    if (!in_.catalogues) return nullptr;
    std::string suite = s.suite.empty() ? "trixie" : s.suite;
    auto it = in_.catalogues->debian.find(suite + "-" + in_.settings.arch);
    if (it == in_.catalogues->debian.end()) it = in_.catalogues->debian.find(suite + "-amd64");
    return it == in_.catalogues->debian.end() ? nullptr : &it->second;
  }

  // A base the catalogue does not hold whose tag names its Debian or Ubuntu release
  // (node:20-bookworm-slim, nvidia/cuda:12.4.1-devel-ubuntu22.04, ghcr.io/astral-sh/uv:X-trixie-slim):
  // that release's package data sizes what apt-get installs there, said as a proxy. Of what the
  // base already has, only a named image's packages are known: node's official images are built
  // FROM buildpack-deps:<release> (-slim: FROM debian:<release>-slim); for any other image,
  // debian:<release>-slim's packages are taken as present, so the others it may have are counted
  // too (high side). The base layer itself stays unknown.
  void releaseFromTag(const std::string& image, StageState& s) const {
    if (s.family == "alpine"sv || !in_.catalogues) return;
    const std::string tag = catalogue::splitImageRef(image).second;
    static const std::regex debianRe(R"((^|[-_.])(buster|bullseye|bookworm|trixie|forky)($|[-_.]))");
    static const std::regex ubuntuRe(R"((^|[-_.])(ubuntu-?(18|20|22|24|26)\.04|bionic|focal|jammy|noble|resolute)($|[-_.]))");
    std::smatch m;
    std::string suite, named;
    if (std::regex_search(tag, m, debianRe)) {
      named = "Debian " + m[2].str();
      suite = m[2].str() == "forky"sv ? "trixie" : m[2].str() == "buster"sv ? "bullseye" : m[2].str();
      if (m[2].str() == "forky"sv || m[2].str() == "buster"sv) named += " (sized from " + suite + "'s packages)";
    } else if (std::regex_search(tag, m, ubuntuRe)) {
      const std::string u = m[3].matched ? m[3].str() + ".04" : m[2].str();
      std::string why;
      suite = catalogue::debianSuiteForUbuntu(u, why);
      named = "Ubuntu " + u + " (sized from Debian " + suite + "'s packages of the same era: Ubuntu's package indexes are not reachable here)";
    } else {
      return;
    }
    s.suite = suite;
    const auto* d = debian(s);
    if (!d) {
      s.suite.clear();
      return;
    }
    s.family = "debian";
    s.slim = tag.find("slim") != std::string::npos;
    const bool node = catalogue::splitImageRef(image).first == "node"sv && named.rfind("Debian", 0) == 0;
    // A tag that names a Python build on that release (uv:0.11-python3.12-trixie-slim): the official
    // python image's packages are there at the least.
    const bool python = named.rfind("Debian", 0) == 0 && tag.find("python3") != std::string::npos;
    std::string present = node && !s.slim ? "buildpack-deps:" + suite : "debian:" + suite + "-slim";
    if (python) present = std::string("python:3.x") + (s.slim ? "-slim-" : "-") + suite;
    if (d->hasBase(present)) s.debInstalled = d->baseSet(present);
    if (s.debInstalled.count("gcc")) s.buildToolsPresent = true;
    s.suiteNote = image + " is not catalogued; its tag names " + named + ": that release's packages size apt-get's installs, " +
                  (node ? "and the packages of " + present + " (the image it is built FROM) are taken as present"
                        : "with only " + present + "'s packages taken as present (others the image has are counted too: high side)");
  }

  void startStage(const dockerfile::Stage& st, StageState& s, std::vector<StageState>& states) {
    if (st.baseStage >= 0) {
      // FROM an earlier stage: its filesystem and knowledge carry over.
      s = states[st.baseStage];
      for (auto& l : s.layers) {
        l.stage = st.index;
        l.seconds = 0;  // built once
      }
      return;
    }
    if (st.baseImage == "scratch"sv) {
      s.family = "unknown";  // an empty filesystem: nothing to count
      s.scratch = true;
      return;
    }
    // A saved image of the base, read like `slimbench inspect`: its real layers.
    for (const auto& key : {st.baseImage, stripRegistry(st.baseImage)}) {
      auto it = in_.settings.baseImages.find(key);
      if (it == in_.settings.baseImages.end()) continue;
      for (std::size_t i = 0; i < it->second.layers.size(); ++i) {
        const auto& gl = it->second.layers[i];
        LayerEstimate le;
        le.stage = st.index;
        le.fromBase = true;
        le.instruction = gl.history.empty() ? "(layer " + std::to_string(i + 1) + " of " + st.baseImage + ")" : gl.history;
        le.category = classifyBaseLayer(gl.history, i);
        le.disk = Range::exact(gl.disk);
        le.compressed = Range::exact(gl.compressed);
        le.basis = Basis::Catalogue;
        le.reason = "layer " + std::to_string(i + 1) + " of the saved image of " + st.baseImage + ": measured";
        le.source = it->second.source;
        le.seconds = downloadSeconds(gl.compressed);
        s.layers.push_back(le);
      }
      s.family = st.baseImage.find("alpine") != std::string::npos ? "alpine" : "unknown";
      releaseFromTag(st.baseImage, s);
      return;
    }
    // A size the user supplied wins over the catalogue (they know their image).
    if (auto given = userBaseSize(st.baseImage)) {
      LayerEstimate le;
      le.stage = st.index;
      le.fromBase = true;
      le.instruction = "FROM " + st.baseImage;
      le.category = Category::OsBase;
      le.disk = Range::exact(*given);
      le.compressed = scale(le.disk, 0.25, 0.4, 0.6);
      le.basis = Basis::Catalogue;
      le.reason = "size of " + st.baseImage + " as given with --base-size (compressed size: a stated 0.25–0.6 ratio)";
      le.source = "supplied by the user";
      le.seconds = downloadSeconds(le.compressed.mid);
      s.layers.push_back(le);
      s.family = st.baseImage.find("alpine") != std::string::npos ? "alpine" : "unknown";
      releaseFromTag(st.baseImage, s);
      return;
    }
    auto look = lookupBase(st.baseImage, stageArch(st));
    const catalogue::BaseImage* b = look.image;
    s.base = b;
    if (!b) {
      if (auto f = externalFiles(st.baseImage, "/")) {
        // A tool image whose files are catalogued (FROM ghcr.io/astral-sh/uv:X AS uv): its one layer.
        LayerEstimate le;
        le.stage = st.index;
        le.fromBase = true;
        le.instruction = "FROM " + st.baseImage;
        le.category = Category::BuildTools;
        le.disk = f->bytes;
        le.compressed = scale(f->bytes, 0.35, 0.4, 0.5);
        le.basis = Basis::Catalogue;
        le.reason = "the files of " + st.baseImage + " (a tool image, catalogued by file)";
        le.source = f->source;
        if (f->proxy) proxyPart(le, f->note);
        le.seconds = downloadSeconds(le.compressed.mid);
        s.layers.push_back(le);
        s.family = "unknown";
        return;
      }
      LayerEstimate le;
      le.stage = st.index;
      le.fromBase = true;
      le.instruction = "FROM " + st.baseImage;
      le.category = Category::OsBase;
      le.reason = "unknown base image: " + look.note;
      le.source = "none";
      s.baseUnknown = true;
      if (!st.unsetBaseArgs.empty()) {
        // Not an unknown image: an incomplete name. The fix is the build arg, not a size.
        std::string names, fixes;
        for (const auto& n : st.unsetBaseArgs) {
          names += (names.empty() ? "ARG " : ", ARG ") + n;
          fixes += (fixes.empty() ? "" : " ") + ("--build-arg " + n + "=" + dockerfile::exampleArgValue(n));
        }
        le.reason = "the base image depends on " + names + ", which has no value";
        unknownPart(le, "base image " + st.baseImage + ": " + names + " (FROM at line " + std::to_string(st.line) +
                                 ") has no default and no value was given: set it with " + fixes + " or the window's Build args field");
      } else
      unknownPart(le, "base image not catalogued (" + look.note + "): supply its size with --base-size " + st.baseImage +
                               "=SIZE or the window's Base size field");
      timeUnknown(le, "pull of " + st.baseImage);
      finalizeLayer(le);
      s.layers.push_back(le);
      s.family = st.baseImage.find("alpine") != std::string::npos ? "alpine" : "unknown";
      releaseFromTag(st.baseImage, s);
      return;
    }
    s.family = b->libc == "musl"sv ? "alpine" : "debian";
    s.suite = b->debianSuite();
    if (s.family == "debian"sv) {
      // The Debian catalogue holds the bullseye, bookworm and trixie indexes: another release is
      // sized with the nearest of them, and says so.
      const std::string ubuntu = b->ubuntuRelease();
      if (!ubuntu.empty()) {
        std::string why;
        const std::string stand = catalogue::debianSuiteForUbuntu(ubuntu, why);
        s.suiteNote = "Ubuntu " + ubuntu + " packages sized from Debian " + stand +
                      "'s of the same era (Ubuntu's package indexes are not reachable here)";
        s.suite = stand;
      } else if (s.suite.empty()) {
        s.suiteNote = "the Debian release of " + b->tag + " is not known: trixie's packages stand in";
        s.suite = "trixie";
      } else if (s.suite != "bookworm"sv && s.suite != "trixie"sv && s.suite != "bullseye"sv) {
        const std::string stand = s.suite == "forky"sv ? "trixie" : "bullseye";
        s.suiteNote = "Debian " + s.suite + " packages sized from " + stand + "'s (the catalogue holds the bullseye, bookworm and trixie indexes)";
        s.suite = stand;
      }
    }
    s.slim = b->variant == "slim"sv || b->tag.find("slim") != std::string::npos;
    // The full python:X image is built FROM buildpack-deps, which installs gcc and -dev
    // headers (docker-library/python and buildpack-deps Dockerfiles): true for every
    // release, including older ones without a package catalogue.
    if (catalogue::splitImageRef(b->tag).first == "python"sv && b->variant == "default"sv && b->libc == "glibc"sv)
      s.buildToolsPresent = true;
    if (s.family == "debian"sv) {
      if (auto* d = debian(s)) {
        const std::string suite = s.suite.empty() ? "trixie" : s.suite;
        std::vector<std::string> keys;
        auto [repo, tag] = catalogue::splitImageRef(b->tag);
        if (repo == "python"sv) {
          keys = {b->tag + "-" + suite, std::string("python:3.x") + (s.slim ? "-slim-" : "-") + suite};
          if (tag.find(suite) != std::string::npos) keys.insert(keys.begin(), b->tag);
        } else {
          keys = {b->tag, "debian:" + suite + "-slim"};
        }
        for (const auto& k : keys)
          if (d->hasBase(k)) {
            s.debInstalled = d->baseSet(k);
            if (k == keys.back() && keys.size() > 1 && k != b->tag)
              s.suiteNote += std::string(s.suiteNote.empty() ? "" : "; ") + "the package set of " + k + " stands in for " + b->tag + "'s";
            break;
          }
        if (s.debInstalled.empty())
          s.suiteNote += std::string(s.suiteNote.empty() ? "" : "; ") + "the packages " + b->tag +
                         " already has are not catalogued, so apt-get install counts them too (high side)";
        // The full python:X image (buildpack-deps) ships gcc and -dev headers.
        if (s.debInstalled.count("gcc")) s.buildToolsPresent = true;
      }
    } else if (s.family == "alpine"sv && in_.catalogues->alpine) {
      s.apkInstalled = in_.catalogues->alpine->baseSet();
    }
    for (std::size_t i = 0; i < b->layers.size(); ++i) {
      const auto& bl = b->layers[i];
      LayerEstimate le;
      le.stage = st.index;
      le.fromBase = true;
      le.instruction = bl.history.empty() ? "(layer " + std::to_string(i + 1) + " of " + b->tag + ")" : bl.history;
      le.category = b->legacy ? Category::OsBase : classifyBaseLayer(bl.history, i);
      const std::uint64_t prec = b->layers.empty() ? 0 : b->diskPrecision / b->layers.size();
      le.disk = {bl.diskBytes > prec ? bl.diskBytes - prec : 0, bl.diskBytes, bl.diskBytes + prec};
      if (b->legacy) {
        le.compressed = {};
        le.reason = "published total of " + b->tag + " (older tag; no per-layer or compressed figure published)";
      } else {
        le.compressed = Range::exact(bl.compressedBytes);
        le.reason = std::string("layer ") + std::to_string(i + 1) + " of " + (b->resolvedTag.empty() ? b->tag : b->resolvedTag) +
                    ": compressed size exact; on-disk = image on-disk size × this layer's share of the compressed total";
        if (b->diskFromOtherArch) le.reason += " (on-disk size of the amd64 image)";
      }
      le.source = b->source + (b->built.empty() ? "" : ", built " + b->built);
      le.seconds = downloadSeconds(b->legacy ? bl.diskBytes / 3 : bl.compressedBytes);
      le.basis = b->diskModelled ? Basis::Model : Basis::Catalogue;
      if (b->diskModelled && i == 0) le.notes.push_back(b->diskNote);
      if (look.proxy) {
        le.disk = scale(le.disk, 1.0 - look.widen, 1.0, 1.0 + look.widen);
        le.compressed = scale(le.compressed, 1.0 - look.widen, 1.0, 1.0 + look.widen);
        proxyPart(le, look.note);
      }
      s.layers.push_back(le);
    }
  }

  static bool envDisablesPipCache(const dockerfile::Stage& st) {
    auto it = st.env.find("PIP_NO_CACHE_DIR");
    if (it == st.env.end()) return false;
    std::string v = it->second;
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // pip reads the variable as a boolean-like switch; any value but an explicit false disables the cache.
    return !(v == "0"sv || v == "false"sv || v == "no"sv);
  }

  // Whether the install compiles bytecode: pip does unless --no-compile or PIP_NO_COMPILE; uv only
  // with --compile-bytecode or UV_COMPILE_BYTECODE; the others (poetry, pipenv) are taken as pip.
  bool compilesBytecode(const PackageOp& o) const {
    auto envTrue = [this](const char* name) {
      if (!scope_) return false;
      auto it = scope_->env().find(name);
      if (it == scope_->env().end()) return false;
      std::string v = it->second;
      for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return v == "1"sv || v == "true"sv || v == "yes"sv || v == "on"sv || v == "y"sv || v == "t"sv;
    };
    if (o.tool == "uv"sv)
      return !o.has("no-compile-bytecode") && (o.has("compile-bytecode") || o.has("compile") || envTrue("UV_COMPILE_BYTECODE"));
    return !o.has("no-compile") && !envTrue("PIP_NO_COMPILE");
  }

  // What `uv sync` installs of the project: the workspace member --package names (the context's
  // pyproject.toml whose [project] name it is), its --extra's, and its dependency groups: `dev` by
  // default (uv's default-groups) unless --no-dev, --no-default-groups, --only-group or UV_NO_DEV,
  // and each --group.
  void uvSyncSelection(const PackageOp& o, PipRequest& req) const {
    bool dev = !o.has("no-dev") && !o.has("no-default-groups") && !o.has("only-group") && !o.has("only-dev");
    if (scope_)
      if (auto it = scope_->env().find("UV_NO_DEV"); it != scope_->env().end() && !it->second.empty() && it->second != "0"sv &&
                                                     it->second != "false"sv)
        dev = false;
    if (dev || o.has("only-dev")) req.projectExtras.push_back("group:dev");
    // --only-group/--only-dev: those groups without the project's own dependencies.
    if (o.has("only-group") || o.has("only-dev")) req.projectExtras.push_back("*no-main");
    if (o.has("all-extras")) req.projectExtras.push_back("*all-extras");
    if (o.has("all-groups")) req.projectExtras.push_back("*all-groups");
    for (const auto& [name, value] : o.options) {
      if (value.empty()) continue;
      if (name == "extra"sv) req.projectExtras.push_back(value);
      if (name == "group"sv || name == "only-group"sv) req.projectExtras.push_back("group:" + value);
      if (name == "no-extra"sv) req.projectExtras.push_back("-" + value);
      if (name == "no-group"sv) req.projectExtras.push_back("-group:" + value);
    }
    const std::string member = o.value("package");
    if (member.empty() || !in_.context) return;
    const std::string want = python::normalizeName(member);
    for (const auto& f : in_.context->files) {
      if (f.path != "pyproject.toml"sv && (f.path.size() < 15 || f.path.compare(f.path.size() - 15, 15, "/pyproject.toml") != 0)) continue;
      if (std::count(f.path.begin(), f.path.end(), '/') > 3) continue;
      auto pp = python::parsePyproject((std::filesystem::path(in_.context->root) / f.path).string());
      if (python::normalizeName(pp.name) != want) continue;
      req.projectSubdir = f.path == "pyproject.toml"sv ? std::string() : f.path.substr(0, f.path.size() - 15);
      return;
    }
  }

  // What `poetry install` installs of the project: its dependencies and every group not marked
  // optional (Poetry's default), --with's optional groups, less --without's (and 1.x's --no-dev);
  // --only GROUPS those groups alone ("main" being the project's own dependencies), --only-root none
  // of them; -E/--extras and --all-extras the extras; --all-groups every group.
  static void poetrySelection(const PackageOp& o, PipRequest& req) {
    auto names = [](const std::string& v) {
      std::vector<std::string> out;
      std::string cur;
      for (char ch : v + ",") {
        if (ch == ',' || ch == ' ') {
          if (!cur.empty()) out.push_back(cur);
          cur.clear();
        } else {
          cur += ch;
        }
      }
      return out;
    };
    if (o.has("only-root")) {
      req.projectExtras.push_back("*no-main");
      return;
    }
    bool only = false, onlyMain = false;
    for (const auto& [name, value] : o.options)
      if (name == "only"sv)
        for (const auto& g : names(value)) {
          only = true;
          if (g == "main"sv) onlyMain = true;
          else req.projectExtras.push_back("group:" + g);
        }
    if (only && !onlyMain) req.projectExtras.push_back("*no-main");
    if (!only) req.projectExtras.push_back("*default-groups");
    if (o.has("all-groups")) req.projectExtras.push_back("*all-groups");
    if (o.has("no-dev")) req.projectExtras.push_back("-group:dev");
    if (o.has("all-extras")) req.projectExtras.push_back("*all-extras");
    for (const auto& [name, value] : o.options) {
      if (name == "with"sv)
        for (const auto& g : names(value)) req.projectExtras.push_back("group:" + g);
      if (name == "without"sv)
        for (const auto& g : names(value)) req.projectExtras.push_back("-group:" + g);
      if (name == "extras"sv)
        for (const auto& e : names(value)) req.projectExtras.push_back(e);
    }
  }

  // An install's words the shell computes ($PKGS with no value known here), as written.
  static std::string dynamicWords(const PackageOp& o) {
    std::string out;
    for (const auto& w : o.dynamic) out += (out.empty() ? "" : " ") + w;
    return out;
  }

  void runLayer(const dockerfile::Stage& st, const dockerfile::Step& step, std::size_t stepIndex, StageState& s, LayerEstimate& le) {
    Range total;
    Category cat = Category::Other;
    Range biggest;
    // A part made by a command in a branch that may not run (an undecided condition) goes down to 0.
    bool mayNotRun = false;
    // A part of the layer. No text: an install of which nothing is known, which adds no part (not
    // "0 new packages": its unknown parts say what it installs) but names the layer's kind as a
    // part of 0 bytes would.
    auto add = [&](const std::string& what, const Range& r0, Category c) {
      Range r = r0;
      if (mayNotRun) r.low = 0;
      if (!what.empty()) {
        le.parts.emplace_back(what, r);
        total += r;
      }
      if (r.mid >= biggest.mid) {
        biggest = r;
        cat = c;
      }
    };
    // The RUN evaluated for this build: build-arg conditionals (TARGETARCH, uname -m, ...) decided
    // with the arch setting, untaken branches dropped, every other command classified.
    const std::string arch = stageArch(st);
    if (!scope_ || scope_->stage() != st.index || scope_->arch() != arch) scope_ = std::make_unique<StageScope>(m_, st.index, arch);
    const RunAnalysis ra = analyseRun(m_, st.index, stepIndex, *scope_);
    const auto& ops = ra.operations;
    // An apt repository this RUN adds (echo "deb URL …" > /etc/apt/sources.list.d/x.list): its
    // packages are not Debian's, so the catalogue cannot hold them; the unknowns say so.
    for (const auto& c : ra.costs)
      for (const auto& p : c.paths)
        if (p.rfind("/etc/apt/sources.list", 0) == 0) {
          static const std::regex url(R"((https?://[^\s"'\]]+))");
          std::smatch m;
          s.aptSources.emplace_back(step.startLine, std::regex_search(c.text, m, url) ? m[1].str() : p);
        }
    // The folder each command runs in: the WORKDIR, then each `cd DIR` before it in this RUN (not a
    // `cd` inside a group, a subshell or a branch that may not run, nor to a computed folder).
    runCwd_.clear();
    const bool changesFolder = std::any_of(ra.commands.begin(), ra.commands.end(), [](const dockerfile::ShellCommand& c) {
      return !c.argv.empty() && (c.argv[0] == "cd"sv || c.argv[0] == "pushd"sv);
    });
    if (changesFolder) {  // else every command runs in the WORKDIR (the lookup's default)
      std::string cwd = s.workdir;
      for (const auto& c : ra.commands) {
        runCwd_[c.index] = cwd;
        if (c.argv.size() == 2 && (c.argv[0] == "cd"sv || c.argv[0] == "pushd"sv) && !c.conditional && c.depth == 0 &&
            c.argv[1].find('$') == std::string::npos && c.argv[1] != "-"sv && c.argv[1] != "~"sv)
        {
          cwd = std::filesystem::path(absPath(c.argv[1], cwd)).lexically_normal().generic_string();
          while (cwd.size() > 1 && cwd.back() == '/') cwd.pop_back();
        }
      }
    }
    auto opIs = [](const PackageOp& o, std::string_view tool, std::string_view action) {
      return (o.tool == tool || (tool == "apt-get"sv && o.tool == "apt"sv)) && o.action == action;
    };
    bool aptUpdate = false, aptListsRemoved = false;
    std::set<std::string> purged;
    bool autoremove = false;
    std::set<std::string> apkDeleted;
    bool rmPipCache = false, rmPoetryCache = false;
    for (const auto& o : ops) {
      if (opIs(o, "apt-get", "update")) aptUpdate = true;
      if (opIs(o, "apt-get", "purge") || opIs(o, "apt-get", "remove")) {
        for (const auto& p : o.packages) purged.insert(p);
        if (o.has("auto-remove") || o.has("autoremove")) autoremove = true;
      }
      if (opIs(o, "apt-get", "autoremove")) autoremove = true;
      if (opIs(o, "apt-get", "dist-clean")) aptListsRemoved = true;
      if (o.tool == "apk"sv && o.action == "del"sv)
        for (const auto& p : o.packages) apkDeleted.insert(p);
      if (o.tool == "rm"sv)
        for (const auto& p : o.packages) {
          if (hasPrefixPath(p, "/var/lib/apt/lists") || p == "/var/lib/apt/lists/*"sv) aptListsRemoved = true;
          if (hasPrefixPath("/root/.cache/pip", p) || p == "~/.cache"sv || p == "~/.cache/pip"sv || p == "$HOME/.cache"sv) rmPipCache = true;
          if (hasPrefixPath("/root/.cache/pypoetry", p) || p == "~/.cache"sv || p == "~/.cache/pypoetry"sv || p == "$HOME/.cache"sv)
            rmPoetryCache = true;
        }
      if (opIs(o, "pip", "cache-purge")) rmPipCache = true;  // pip cache purge: the same as removing it
      if (opIs(o, "poetry", "cache-clear")) rmPoetryCache = true;
    }
    for (const auto& mt : step.mounts()) {
      if (mt.type == "cache"sv && (hasPrefixPath(mt.target(), "/var/lib/apt") || mt.target() == "/var/lib/apt/lists"sv)) aptListsRemoved = true;
    }
    const bool pipCacheMounted = std::any_of(step.mounts().begin(), step.mounts().end(), [](const dockerfile::Mount& mt) {
      return (mt.type == "cache"sv || mt.type == "tmpfs"sv) && hasPrefixPath("/root/.cache/pip", mt.target());
    });
    const bool poetryCacheMounted = std::any_of(step.mounts().begin(), step.mounts().end(), [](const dockerfile::Mount& mt) {
      return (mt.type == "cache"sv || mt.type == "tmpfs"sv) && hasPrefixPath("/root/.cache/pypoetry", mt.target());
    });
    const bool anyInstall = std::any_of(ops.begin(), ops.end(), [](const PackageOp& o) {
      return o.action == "install"sv || o.action == "add"sv || o.action == "wheel"sv;
    });

    for (const auto& o : ops) {
      mayNotRun = o.conditional;
      if (o.conditional) le.notes.push_back("`" + shortText(o.text, 50) + "` runs only if " + o.condition + " (not decided here): its low end is 0");
      if (o.tool == "conda"sv || o.tool == "mamba"sv || o.tool == "micromamba"sv) {
        unknownPart(le, o.tool + " " + o.action + ": conda packages are not catalogued (" + shortText(o.text, 60) + ")");
        timeUnknown(le, o.tool + " at line " + std::to_string(step.startLine));
        continue;
      }
      if (o.tool == "venv"sv && o.action == "create"sv) {
        venvCreate(st, step, o, s, le, add);
        continue;
      }
      if ((o.tool == "apt-get"sv || o.tool == "apt"sv) && o.action == "install"sv) {
        const auto* d = debian(s);
        if (!d || s.family != "debian"sv) {
          unknownPart(le, "apt-get install on a base without a Debian package catalogue (" +
                                   (s.base ? s.base->tag : m_.stages[st.index].baseImage) + "): " + o.text);
          timeUnknown(le, "apt-get install at line " + std::to_string(step.startLine));
          continue;
        }
        if (!o.dynamic.empty())
          unknownPart(le, "apt-get install " + dynamicWords(o) +
                              ": a word the shell computes at build time (no value known here): what it installs is not known");
        std::vector<std::string> keep, all = o.packages;
        for (const auto& p : o.packages)
          if (!(purged.count(p) && autoremove)) keep.push_back(p);
        // Installed into the stage's set directly (added names are undone when a purge in the
        // same RUN asks for the set without them): copying the base image's few hundred names
        // for every apt-get install was a sixth of the estimate's time on long Dockerfiles.
        const bool recommends = dockerfile::installsRecommends(o);
        auto full = d->install(all, s.debInstalled, s.slim, recommends);
        for (const auto& u : full.unknown) {
          unknownPart(le, u.find(" (no Installed-Size") != std::string::npos
                                   ? "Debian package " + u + " (" + d->suite + "/" + d->arch + "): its size is unknown"
                                   : "Debian package " + u + " is not in the catalogue (" + d->suite + "/" + d->arch + ")" +
                                         aptSourcesNote(s));
        }
        // Their download and install take time too: not counted, so this layer's time is a lower bound.
        if (!full.unknown.empty())
          timeUnknown(le, "apt-get install of packages of unknown size at line " + std::to_string(step.startLine));
        catalogue::InstallCost net = full;
        if (!purged.empty()) {
          for (const auto& a : full.added) s.debInstalled.erase(a);
          net = d->install(keep, s.debInstalled, s.slim, recommends);
          if (autoremove) {
            le.notes.push_back("purged with --auto-remove in the same RUN: the build packages do not stay in this layer");
          } else {
            // Without autoremove, the dependencies pulled in by the purged packages stay.
            le.notes.push_back("purged in the same RUN without --auto-remove: their dependencies stay");
            net = full;
          }
        }
        bool tools = std::all_of(o.packages.begin(), o.packages.end(), catalogue::isBuildToolPackage);
        // A compiler asked for, or pulled in by what was asked (build-essential -> gcc); -dev headers alone are no compiler.
        bool anyTool = std::any_of(keep.begin(), keep.end(), catalogue::isBuildToolPackage);
        if (std::any_of(keep.begin(), keep.end(), catalogue::isCompilerPackage) ||
            std::any_of(net.added.begin(), net.added.end(), catalogue::isCompilerPackage))
          s.buildToolsPresent = true;
        else if (anyTool)
          s.headersPresent = true;
        if (!s.suiteNote.empty()) proxyPart(le, s.suiteNote);
        const Category aptCat = tools && !keep.empty() ? Category::BuildTools : Category::SystemPackages;
        add(net.added.empty() && !full.unknown.empty() ? std::string() : "apt-get install " + std::to_string(net.added.size()) + " new packages", fromCost(net), aptCat);
        remember(s, "/usr", fromCost(net), aptCat, full.unknown.empty() ? Basis::Model : Basis::Unknown);
        s.runPackages.insert(net.added.begin(), net.added.end());
        le.seconds += downloadSeconds(full.downloadBytes) + installSeconds(full.bytesMid, false);
        le.source = net.source;
        if (net.added.empty() && net.unknown.empty() && o.dynamic.empty() && !o.packages.empty())
          le.reason += "every package asked (and its dependencies) is already in the base image: apt-get install adds nothing here. ";
        else
          le.reason += net.model + ". ";
        if (recommends)
          le.notes.push_back("without --no-install-recommends apt also installs the Recommends (counted here): add --no-install-recommends");
      }
      if (o.tool == "apk"sv && o.action == "add"sv) {
        if (!in_.catalogues || !in_.catalogues->alpine || s.family != "alpine"sv) {
          unknownPart(le, "apk add on a base that is not a catalogued Alpine image: " + o.text);
          timeUnknown(le, "apk add at line " + std::to_string(step.startLine));
          continue;
        }
        const bool removedHere = !o.virtualName.empty() && apkDeleted.count(o.virtualName);
        std::set<std::string> trial;  // only a --virtual group deleted in the same RUN leaves the set as it was
        if (removedHere) trial = s.apkInstalled;
        if (!o.dynamic.empty())
          unknownPart(le, "apk add " + dynamicWords(o) + ": a word the shell computes at build time (no value known here): what it installs is not known");
        auto c = in_.catalogues->alpine->install(o.packages, removedHere ? trial : s.apkInstalled);
        for (const auto& u : c.unknown) unknownPart(le, "Alpine package " + u + " has no size reading in the catalogue");
        if (!c.unknown.empty()) timeUnknown(le, "apk add of packages of unknown size at line " + std::to_string(step.startLine));
        le.seconds += downloadSeconds(c.downloadBytes ? c.downloadBytes : c.bytesMid / 3) + installSeconds(c.bytesMid, false);
        if (removedHere) {
          le.notes.push_back("apk add --virtual " + o.virtualName + " and apk del in the same RUN: the build packages do not stay");
          continue;
        }
        bool tools = std::all_of(o.packages.begin(), o.packages.end(), catalogue::isBuildToolPackage);
        if (std::any_of(o.packages.begin(), o.packages.end(), catalogue::isCompilerPackage) ||
            std::any_of(c.added.begin(), c.added.end(), catalogue::isCompilerPackage))
          s.buildToolsPresent = true;
        else if (std::any_of(o.packages.begin(), o.packages.end(), catalogue::isBuildToolPackage))
          s.headersPresent = true;
        add(c.added.empty() && !c.unknown.empty() ? std::string() : "apk add " + std::to_string(c.added.size()) + " new packages", fromCost(c), tools ? Category::BuildTools : Category::SystemPackages);
        remember(s, "/usr", fromCost(c), tools ? Category::BuildTools : Category::SystemPackages, c.unknown.empty() ? Basis::Model : Basis::Unknown);
        le.source = c.source;
        le.reason += c.model + ". ";
        if (!o.has("no-cache")) {
          le.notes.push_back("apk add without --no-cache leaves its index in /var/cache/apk: add --no-cache");
          unknownPart(le, "the apk index left in /var/cache/apk (apk add without --no-cache): its size is not catalogued");
        }
      }
      if (o.tool == "uv"sv && o.action == "venv"sv) {
        uvVenv(o, s, le, add);
        continue;
      }
      if (o.tool == "pip"sv || o.tool == "uv"sv || o.tool == "poetry"sv || o.tool == "pipenv"sv)
        pipOp(st, step, o, s, le, add,
              o.tool == "uv"sv       ? uvCacheGoneInRun(step, ops, uvCacheDir(o, s))
              : o.tool == "poetry"sv ? poetryCacheMounted || rmPoetryCache
                                     : pipCacheMounted || rmPipCache);
      else if (o.tool == "pdm"sv)
        unknownPart(le, shortText(o.text, 50) + ": pdm's lock file is not read: what it installs is not known");
    }
    if (aptUpdate && !aptListsRemoved) {
      auto lists = aptLists(s);
      if (lists.mid == 0) unknownPart(le, "apt lists left in /var/lib/apt/lists: their size is not catalogued for this release");
      else add("apt lists left in /var/lib/apt/lists", lists, Category::Caches);
      le.notes.push_back("apt-get update without rm -rf /var/lib/apt/lists/* in the same RUN leaves the package index in the layer");
    }
    if (!anyInstall) {
      bool removes = !purged.empty() || !apkDeleted.empty() ||
                     std::any_of(ops.begin(), ops.end(), [](const PackageOp& o) { return o.tool == "rm"sv || o.action == "uninstall"sv; });
      if (removes) {
        le.notes.push_back("deletes files made by an earlier layer: that layer still carries them, so this frees nothing (a whiteout)");
        le.reason += "Removal in a later layer: adds whiteouts only, frees nothing. ";
      }
    }
    commandCosts(ra, step, s, le, add, mayNotRun);
    // What an unknown step wrote is not known: builds and scripts write under their working folder
    // (npm ci → ./node_modules, pyinstaller → ./dist), so a later COPY --from this stage of anything
    // there is unknown too. Not when what is unknown went somewhere known (a requirement no catalogue
    // holds, into site-packages; a download to the file it names) and no command of the RUN that is
    // not modelled left its output unplaced: the working folder's files stay as they were.
    if (le.basis == Basis::Unknown) {
      const bool unplaced = s.unplacedWrite && s.unplacedWrite->first == step.startLine;
      bool placedUnknown = false;
      for (auto it = s.written.rbegin(); it != s.written.rend() && it->line == s.currentLine; ++it)
        placedUnknown = placedUnknown || it->basis == Basis::Unknown;
      if (unplaced || !placedUnknown) remember(s, s.workdir, Range::unknown(), Category::Other, Basis::Unknown);
    }
    le.disk = total;
    le.category = cat;
    // gzip of a layer: packages ship compressed about 3:1 (measured wheels 3.2-3.4×; .deb xz);
    le.compressed = scale(total, 0.25, 0.33, 0.5);
    if (le.reason.empty() && le.parts.empty() && le.basis != Basis::Unknown)
      le.reason = ops.empty() ? "the commands of this RUN add nothing to the image" : "recognised operations add nothing to the image here";
    if (le.source.empty()) le.source = "model";
  }

  // Where pip (uv, poetry) puts the packages of this operation: --target/--prefix/--user, the venv
  // whose pip runs (/venv/bin/pip, VIRTUAL_ENV, PATH), uv's project venv, else the interpreter's site-packages.
  std::string pipTarget(const dockerfile::Stage& st, const PackageOp& o, const StageState& s) const {
    if (!o.venv.empty()) return absPath(o.venv, s.workdir);
    for (const char* opt : {"target", "t", "prefix", "root"})
      if (!o.value(opt).empty()) return absPath(o.value(opt), s.workdir);
    // Old pip: --install-option="--prefix=/install"
    const std::string io = o.value("install-option");
    if (auto at = io.find("--prefix="); at != std::string::npos) {
      std::string v = io.substr(at + 9);
      v = v.substr(0, v.find_first_of(" \"'"));
      if (!v.empty()) return absPath(v, s.workdir);
    }
    auto env = [&](const char* k) {
      auto it = st.env.find(k);
      return it == st.env.end() ? std::string() : it->second;
    };
    if (o.has("user")) return (env("HOME").empty() ? "/root" : env("HOME")) + "/.local";
    const std::string first = o.text.substr(0, o.text.find(' '));
    auto bin = first.find("/bin/");
    if (first.size() > 1 && first[0] == '/' && bin != std::string::npos && bin > 0) return first.substr(0, bin);
    if (o.tool == "uv"sv && o.action == "sync"sv) {
      if (!env("UV_PROJECT_ENVIRONMENT").empty()) return absPath(env("UV_PROJECT_ENVIRONMENT"), s.workdir);
      return absPath(".venv", s.workdir);
    }
    if (o.tool == "poetry"sv) {
      std::string create = env("POETRY_VIRTUALENVS_CREATE");
      if (!(create == "false"sv || create == "0"sv)) {
        std::string inProject = env("POETRY_VIRTUALENVS_IN_PROJECT");
        if (inProject == "true"sv || inProject == "1"sv) return absPath(".venv", s.workdir);
        return "/root/.cache/pypoetry/virtualenvs";
      }
    }
    if (!env("VIRTUAL_ENV").empty()) return env("VIRTUAL_ENV");
    const std::string path = env("PATH");
    for (std::size_t start = 0; start < path.size();) {
      auto end = path.find(':', start);
      std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (dir.size() > 4 && dir.compare(dir.size() - 4, 4, "/bin") == 0 && dir.find("venv") != std::string::npos)
        return dir.substr(0, dir.size() - 4);
      if (end == std::string::npos) break;
      start = end + 1;
    }
    std::string py = s.base && !s.base->pythonVersion.empty() ? s.base->pythonVersion.substr(0, s.base->pythonVersion.find('.', 2)) : "3";
    return s.family == "debian"sv && s.base && s.base->pythonVersion.empty() ? "/usr/lib/python3/dist-packages"
                                                                          : "/usr/local/lib/python" + py + "/site-packages";
  }

  // True when `path` lies outside every top-level folder of the stage's catalogued base image: the
  // official python, debian, ubuntu and alpine images hold only the Filesystem Hierarchy
  // Standard's folders at their root (Debian Policy 9.1 requires FHS paths of every package; the
  // python images install into /usr/local), so /app, /code or /srv's siblings start empty there.
  bool baseLacks(const StageState& s, const std::string& path) const {
    if (!s.base || path.size() < 2 || path[0] != '/') return false;
    static const std::set<std::string, std::less<>> standard = {
        "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "media", "mnt", "opt",
        "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var"};
    const std::string_view p(path);
    const std::string_view top = p.substr(1, p.find('/', 1) == std::string_view::npos ? std::string_view::npos : p.find('/', 1) - 1);
    if (top.empty() || top.find('$') != std::string_view::npos) return false;
    return standard.find(top) == standard.end();
  }

  // ": line N adds the apt repository URL, …" for the repositories the stage added (at most three
  // named), or nothing when it added none.
  static std::string aptSourcesNote(const StageState& s) {
    if (s.aptSources.empty()) return {};
    // One per line (the URL when the line names one), the last three lines.
    std::vector<std::pair<int, std::string>> lines;
    for (const auto& [line, what] : s.aptSources) {
      if (!lines.empty() && lines.back().first == line) {
        if (lines.back().second.rfind("http", 0) != 0 && what.rfind("http", 0) == 0) lines.back().second = what;
        continue;
      }
      lines.emplace_back(line, what);
    }
    std::string named;
    for (std::size_t i = lines.size() > 3 ? lines.size() - 3 : 0; i < lines.size(); ++i)
      named += (named.empty() ? "" : ", ") + ("line " + std::to_string(lines[i].first) + " (" + lines[i].second + ")");
    return ": the catalogue holds the Debian release's main archive, and the stage adds other apt sources: " + named;
  }

  // A file under /etc/NAME/ when this RUN installed the Debian package NAME (or NAME-common, as
  // nginx-common holds /etc/nginx): Debian Policy 10.7.2 puts a package's configuration files in
  // /etc/<package>/, so `apt-get install nginx && sed -i … /etc/nginx/nginx.conf` edits a file of
  // this layer, which adds nothing.
  static bool ownConffile(const StageState& s, const std::string& path) {
    if (s.runPackages.empty() || path.rfind("/etc/", 0) != 0) return false;
    const auto slash = path.find('/', 5);
    if (slash == std::string::npos) return false;
    const std::string name = path.substr(5, slash - 5);
    return s.runPackages.count(name) > 0 || s.runPackages.count(name + "-common") > 0;
  }

  // What the stage's earlier steps wrote under `path` (or the part of a larger write that holds it).
  // `known` false when the path lies (also) in the base image, whose files are not catalogued by path.
  // `earlierOnly`: only what earlier steps wrote is summed (what this RUN wrote still makes the path known).
  Range writtenUnder(const StageState& s, const std::string& path, bool& known, bool earlierOnly = false) const {
    Range r;
    known = false;
    // Through the path index (a walk over every earlier write per command was quadratic); sums
    // do not depend on the order.
    std::vector<std::size_t> under, above;
    s.writtenAround(path, under, above);
    for (std::size_t i : under) {
      known = true;
      if (earlierOnly && s.written[i].line == s.currentLine) continue;
      r += s.written[i].bytes;
    }
    for (std::size_t i : above) {
      known = true;
      if (earlierOnly && s.written[i].line == s.currentLine) continue;
      Range part = s.written[i].bytes;
      part.low /= 4;
      r += part;
      known = true;
    }
    return r;
  }

  // Commands that are not package operations: cheap ones (measured), rewrites and copies of earlier
  // layers' files (chown -R: the classic hidden duplicate), and what is not modelled (unknown).
  template <class Add>
  void commandCosts(const RunAnalysis& ra, const dockerfile::Step& step, StageState& s, LayerEstimate& le, Add& add,
                    bool& mayNotRun) {
    std::string unmodelledBefore;  // the last command of this RUN that is not modelled, shortened
    for (const auto& c : ra.costs) {
      mayNotRun = c.conditional;
      switch (c.kind) {
        case CommandKind::Package:
        case CommandKind::NoOp:
          break;
        case CommandKind::Cheap: {
          Range r{c.low, c.mid, c.high, false};
          if (c.addPathSizes)
            for (const auto& p : c.paths) {
              const std::string ap = absPath(p, s.workdir);
              if (ap.find_first_of("*?[") != std::string::npos) {
                globPathSizes(c, ap, s, le, r);
                continue;
              }
              std::vector<std::size_t> under, above;
              s.writtenAround(ap, under, above);
              // What this RUN wrote is in this layer already: a metadata change or an edit adds nothing.
              const auto earlier = [&](std::size_t i) { return s.written[i].line != s.currentLine; };
              if (!under.empty()) {  // written at (or under) the path itself: those bytes
                for (std::size_t i : under)
                  if (earlier(i)) r += s.written[i].bytes;
                continue;
              }
              if (above.empty()) {
                // Nothing this stage wrote is there. sed -i, chmod, chown need the file to exist: the
                // base image's, copied whole (touch makes a new one when there is none; a folder
                // changes only its entry).
                const bool makes = c.text.rfind("touch", 0) == 0;
                if (makes || s.runFiles.count(stripPath(ap)) || ownConffile(s, ap) || s.existingDir(ap) || s.underCreated(ap) || s.scratch || (le.basis != Basis::Unknown && baseLacks(s, ap)))
                  continue;
                // After a command of this RUN whose output is not known (`curl -o tool URL && chmod +x
                // tool`), the file is most likely that output: the layer is unknown already.
                if (le.basis == Basis::Unknown) continue;
                if (ap.find('$') != std::string::npos) {
                  unknownPart(le, shortText(c.text, 50) + ": " + ap + " is a path the shell computes at build time; this copies that file whole");
                  continue;
                }
                // A package an earlier step installed may have put it there (nginx's /etc/nginx/nginx.conf):
                // its install is kept at /usr, its files are not known by path either.
                int pkgLine = 0;
                for (const auto& w : s.written)
                  if (w.path == "/usr"sv && w.line != s.currentLine &&
                      (w.category == Category::SystemPackages || w.category == Category::BuildTools))
                    pkgLine = w.line;
                unknownPart(le, shortText(c.text, 50) + ": " + ap + " comes from the base image" +
                                    (pkgLine ? " or a package line " + std::to_string(pkgLine) + " installed" : std::string()) +
                                    ", whose files are not catalogued by path; this copies it whole");
                continue;
              }
              const auto it = std::find_if(above.begin(), above.end(), earlier);
              if (it == above.end()) continue;  // inside this RUN's own write
              // Inside a larger write of an earlier layer. A COPY from the build context placed
              // known files: the one at this path (copied whole), or a folder (its entry only).
              std::uint64_t bytes = 0, below = 0;
              std::size_t files = 0, inside = 0;
              copiedUnder(s, ap, [&](const std::string& f) { return f == ap; }, bytes, files);
              if (files > 0) {
                r += Range::exact(bytes);
                continue;
              }
              copiedUnder(s, ap, [](const std::string&) { return true; }, below, inside);
              if (inside > 0 || s.createdIndex.count(stripPath(ap))) continue;  // a folder: only its entry changes
              if (std::all_of(above.begin(), above.end(), [&](std::size_t i) { return !earlier(i) || s.written[i].byFile; }))
                continue;  // none of those copies put a file here: the command makes it (touch) or finds none
              // A package install (under /usr) or a step whose files are not known one by one: the
              // file's own size is not known, and this copies it whole.
              const bool ownToo = std::any_of(above.begin(), above.end(), [&](std::size_t i) { return !earlier(i); });
              unknownPart(le, shortText(c.text, 50) + ": " + ap + " lies inside what " + (ownToo ? "this RUN or " : "") +
                                       "line " + std::to_string(s.written[*it].line) +
                                       " wrote, whose files are not sized one by one; if an earlier layer holds it, this copies it whole");
            }
          add(shortText(c.text, 50), r, Category::Other);
          if (le.source.empty() || le.source == "model"sv) le.source = std::string(c.source);
          if (!c.text.empty() && (c.text.rfind("mkdir", 0) == 0 || c.text.rfind("useradd", 0) == 0 || c.text.rfind("adduser", 0) == 0))
            for (const auto& p : c.paths) s.addCreated(absPath(p, s.workdir));
          else {
            // Files the command writes anew are this stage's from now on, with the command's own
            // bytes: a later RUN's chmod or sed -i copies them (not "the base image's"), COPY --from takes them.
            std::vector<std::string> made;
            for (const auto& p : c.paths)
              if (p.find_first_of("*?[$") == std::string::npos) {
                const std::string ap = absPath(p, s.workdir);
                if (c.writesPaths && le.basis != Basis::Unknown && !s.runFiles.count(stripPath(ap))) made.push_back(ap);
                s.runFiles.insert(stripPath(ap));
              }
            const std::uint64_t n = made.size();
            for (const auto& ap : made)
              remember(s, ap, Range{c.low / n, c.mid / n, c.high / n, false}, Category::Other, Basis::Model);
          }
          break;
        }
        case CommandKind::RecursiveRewrite:
        case CommandKind::Copy: {
          const bool rewrite = c.kind == CommandKind::RecursiveRewrite;
          Range r;
          bool allKnown = true;
          bool rewritesEarlier = false;  // files of an earlier layer (or the base image) are rewritten
          Category cat = Category::Other;
          for (const auto& p : c.paths) {
            bool known = false;
            const std::string ap = absPath(p, s.workdir);
            // A metadata change of files this RUN wrote adds nothing: they are in this layer once
            // (`pip install --target /app/lib … && chown -R app /app/lib`). A copy (cp -r) makes new files.
            Range w = writtenUnder(s, ap, known, rewrite);
            bool earlierWrite = false;  // an earlier step than this one wrote there
            {  // the category of the last write there
              std::vector<std::size_t> under, above;
              s.writtenAround(ap, under, above);
              std::size_t last = 0;
              bool any = false;
              for (const auto* v : {&under, &above})
                for (std::size_t i : *v) {
                  last = any ? std::max(last, i) : i;
                  any = true;
                  earlierWrite = earlierWrite || s.written[i].line != s.currentLine;
                }
              if (any) cat = s.written[last].category;
            }
            const bool created = s.underCreated(ap);
            if (!known && created) continue;  // a folder this stage made and nothing wrote into: empty
            // (Not after a command of this RUN that is not modelled: it may have written there, as
            // `git clone URL /iris && cp /iris/VERSION /` does.)
            if (!known && le.basis != Basis::Unknown && baseLacks(s, ap)) {
              const std::string why = "nothing lies under " + ap + " before this step: " + s.base->tag +
                                      " (an official image) has only the standard top-level folders. ";
              if (le.reason.find(why) == std::string::npos) le.reason += why;
              continue;
            }
            if (!known) {
              // Nothing this stage wrote is there: the base image's files, not catalogued by path,
              // or what a command of this RUN that is not modelled wrote (`playwright install && chmod -R`).
              allKnown = false;
              if (unmodelledBefore.empty()) rewritesEarlier = true;  // the base image's files
              unknownPart(le, shortText(c.text, 50) + ": what lies under " + ap +
                                  (unmodelledBefore.empty() ? std::string(" comes from the base image, whose files are not catalogued by path")
                                                            : " is what `" + unmodelledBefore + "` (not modelled) wrote before it in this RUN, or the base image's: not known"));
              continue;
            }
            r += w;
            if (rewrite && earlierWrite) rewritesEarlier = true;
            if (const auto* u = unknownWriteAround(s, ap, rewrite)) {
              allKnown = false;
              unknownPart(le, shortText(c.text, 50) + ": what line " + std::to_string(u->line) + " wrote under " + u->path +
                                       " is not known, and " + (rewrite ? "this rewrites it" : "this copies it"));
            }
          }
          if (rewrite && !c.paths.empty() && rewritesEarlier) {
            le.notes.push_back("`" + shortText(c.text, 40) + "` copies every file under " + c.paths.front() +
                               " into this layer again (a metadata change copies the whole file): use COPY --chown/--chmod instead");
            s.rewrites.push_back({step.startLine, c.paths.front(), r});
          }
          if (allKnown || r.mid > 0)
            add(std::string(!rewrite ? "copied: " : rewritesEarlier ? "rewritten again: " : "metadata of this RUN's own files (in the layer once): ") +
                    shortText(c.text, 50),
                r, cat);
          if (!c.destination.empty()) remember(s, absPath(c.destination, s.workdir), r, cat, allKnown ? Basis::Model : Basis::Unknown);
          break;
        }
        case CommandKind::PythonCompile:
        case CommandKind::Collectstatic:
        case CommandKind::CompileMessages:
          buildScript(c, s, le, add);
          timeUnknown(le, shortText(c.text, 40) + " at line " + std::to_string(step.startLine));
          break;
        case CommandKind::DebDownload:
        case CommandKind::DebExtract:
          debFiles(c, s, le, add);
          break;
        case CommandKind::Unknown: {
          unmodelledBefore = shortText(c.text, 50);
          // The same text says why its size and its time are not known.
          const std::string why = shortText(c.text, 50) + ": " + c.reason;
          unknownPart(le, why);
          timeUnknown(le, why + " at line " + std::to_string(step.startLine));
          // Where it writes, when the command names it (tar -C DIR, wget -O FILE, git clone URL DIR):
          // an unknown write there, which a later COPY --from, chown -R or cp of that path says.
          bool placed = false;
          for (const auto& p : c.paths)
            if (!p.empty() && p.find('$') == std::string::npos) {
              remember(s, absPath(p, s.workdir), Range{}, Category::Other, Basis::Unknown);
              placed = true;
            }
          if (!placed) s.unplacedWrite.emplace(step.startLine, shortText(c.text, 40));
          break;
        }
      }
    }
    mayNotRun = false;
  }


  static const BuildScriptModel& noScriptModel() {
    static const BuildScriptModel empty;
    return empty;
  }
  const BuildScriptModel& scriptModel() const { return in_.catalogues ? in_.catalogues->buildScripts : noScriptModel(); }

  // An earlier step of this stage whose writes are not known, under `path` or holding it.
  const StageState::Written* unknownWriteAround(const StageState& s, const std::string& path, bool earlierOnly = false) const {
    std::vector<std::size_t> under, above;
    s.writtenAround(path, under, above);
    for (const auto* v : {&under, &above})
      for (std::size_t i : *v)
        if (s.written[i].basis == Basis::Unknown && !(earlierOnly && s.written[i].line == s.currentLine)) return &s.written[i];
    return nullptr;
  }

  // The files this stage's COPYs from the context put under `path` (image path) that `want` keeps.
  template <class Want>
  void copiedUnder(const StageState& s, const std::string& path, Want want, std::uint64_t& bytes, std::size_t& files) const {
    bytes = 0;
    files = 0;
    if (!in_.context) return;
    for (const auto& cc : s.contextCopies)
      in_.context->forEachPlaced(cc.source, cc.dest, cc.toDir, [&](const std::string& imagePath, const ContextFile& f) {
        if ((path == "/"sv || hasPrefixPath(imagePath, path)) && want(imagePath)) {
          bytes += f.bytes;
          ++files;
        }
      });
  }

  // `chmod 775 /*.sh`: the shell's pattern over the files there. What COPYs from the build context
  // placed that match it is known exactly; the folder the pattern looks in decides the rest: one an
  // earlier step filled (not file by file) or the base image fills may hold more matches (unknown);
  // `/` of an official image, a folder the stage made, or FROM scratch hold none.
  void globPathSizes(const CommandCost& c, const std::string& pattern, const StageState& s, LayerEstimate& le, Range& r) const {
    std::uint64_t bytes = 0;
    std::size_t files = 0;
    const auto slash = pattern.find_last_of('/', pattern.find_first_of("*?["));
    const std::string dir = slash == 0 || slash == std::string::npos ? "/" : pattern.substr(0, slash);
    copiedUnder(s, dir, [&](const std::string& f) { return fnmatch(pattern.c_str(), f.c_str(), FNM_PATHNAME) == 0; }, bytes, files);
    const auto earlier = [&](std::size_t i) { return s.written[i].line != s.currentLine && !s.written[i].byFile; };
    std::vector<std::size_t> under, above;
    s.writtenAround(dir, under, above);
    const bool filled = (dir != "/"sv && std::any_of(under.begin(), under.end(), earlier)) || std::any_of(above.begin(), above.end(), earlier);
    const bool baseEmpty = s.scratch || s.underCreated(dir) || (dir == "/"sv && s.base) || (le.basis != Basis::Unknown && baseLacks(s, dir));
    r += Range::exact(bytes);
    if (filled || !baseEmpty)
      unknownPart(le, shortText(c.text, 50) + ": " + pattern + " may also match files " +
                          (filled ? "an earlier step wrote under " + dir + " (not known one by one)" : "the base image has in " + dir) +
                          ", copied whole; " + std::to_string(files) + " file(s) a COPY put there are counted");
  }

  // python -m compileall, collectstatic, msgfmt / pybabel compile / compilemessages: sized from the
  // files COPY put in the stage, the packages pip installed and the measured ratios
  // (catalogue/build-scripts.json); what lies in the base image or came from an unknown step stays unknown.
  template <class Add>
  void buildScript(const CommandCost& c, StageState& s, LayerEstimate& le, Add& add) {
    const std::string what = shortText(c.text, 50);
    const BuildScriptModel& m = scriptModel();
    if (!m.loaded()) {
      unknownPart(le, what + ": " + c.reason + " (no build-script figures in this build)");
      return;
    }
    auto endsWith = [](const std::string& p, std::string_view suffix) {
      return p.size() >= suffix.size() && p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    auto sized = [&](const ScriptEstimate& e, Category cat, const std::string& where) {
      if (!e.proxy.empty()) proxyPart(le, e.proxy);
      if (!e.unknown.empty()) unknownPart(le, what + ": " + e.unknown);
      add(what, e.bytes, cat);
      le.reason += e.reason + ". ";
      if (le.source.empty() || le.source == "model"sv) le.source = e.source;
      remember(s, where, e.bytes, cat, e.unknown.empty() ? Basis::Model : Basis::Unknown);
    };
    if (c.kind == CommandKind::Collectstatic) {
      CollectstaticInputs ci;
      for (const auto& p : s.pipInstalled) {
        const std::string n = python::normalizeName(p.name);
        if (n == "django"sv) ci.djangoVersion = p.version;
        else if (n == "whitenoise"sv) ci.whitenoise = true;
        else if (n == "brotli"sv || n == "brotlipy"sv || n == "brotlicffi"sv) ci.brotli = true;
        else if (isDjangoApp(n)) {
          ci.apps.push_back(p.name);
          ci.appsInstalledHigh += p.installed.high;
        }
      }
      copiedUnder(s, "/", [](const std::string& p) { return p.find("/static/") != std::string::npos && p.find("/node_modules/") == std::string::npos; },
                  ci.projectStaticBytes, ci.projectStaticFiles);
      sized(collectstaticModel(m, ci), Category::AppCode, s.workdir);
      return;
    }
    if (c.kind == CommandKind::CompileMessages) {
      // msgfmt FILE.po…: those files; pybabel -d DIR / -i FILE: under them; compilemessages: under WORKDIR.
      std::vector<std::string> roots = c.paths;
      if (roots.empty()) roots.push_back(".");
      std::uint64_t bytes = 0;
      std::size_t files = 0;
      for (const auto& r : roots) {
        const std::string ap = absPath(r, s.workdir);
        std::uint64_t b = 0;
        std::size_t f = 0;
        copiedUnder(s, ap, [&](const std::string& p) { return endsWith(p, ".po"); }, b, f);
        if (const auto* u = unknownWriteAround(s, ap))
          unknownPart(le, what + ": what line " + std::to_string(u->line) + " wrote under " + u->path + " is not known (it may hold .po files)");
        if (f == 0) {
          bool known = false;
          (void)writtenUnder(s, ap, known);
          if (!known && !s.underCreated(ap) && !(le.basis != Basis::Unknown && baseLacks(s, ap))) {
            unknownPart(le, what + ": what lies under " + ap + " comes from the base image, whose files are not catalogued by path");
            continue;
          }
        }
        bytes += b;
        files += f;
      }
      sized(messagesModel(m, bytes, files), Category::AppCode, c.destination.empty() ? absPath(roots.front(), s.workdir) : absPath(c.destination, s.workdir));
      return;
    }
    // python -m compileall DIR…
    if (c.paths.empty()) {
      unknownPart(le, what + ": with no folder named it compiles every folder of sys.path, the base image's standard library included, whose files are not catalogued by path");
      return;
    }
    for (const auto& p : c.paths) {
      const std::string ap = absPath(p, s.workdir);
      std::uint64_t bytes = 0;
      std::size_t files = 0;
      copiedUnder(s, ap, [&](const std::string& f) { return endsWith(f, ".py"); }, bytes, files);
      std::vector<std::size_t> under, above;
      s.writtenAround(ap, under, above);
      bool pip = false;
      for (const auto* v : {&under, &above})
        for (std::size_t i : *v) pip = pip || s.written[i].category == Category::PythonPackages;
      if (const auto* u = unknownWriteAround(s, ap))
        unknownPart(le, what + ": what line " + std::to_string(u->line) + " wrote under " + u->path + " is not known (it may hold .py files)");
      if (files == 0 && !pip && !s.underCreated(ap) && !(le.basis != Basis::Unknown && baseLacks(s, ap))) {
        unknownPart(le, what + ": what lies under " + ap + " comes from the base image, whose files are not catalogued by path");
        continue;
      }
      auto e = compileallModel(m, bytes, files);
      if (pip) e.reason += "; the packages pip installed there have their .pyc already (pip compiles at install, counted in its layer), so compileall leaves them";
      sized(e, Category::AppCode, ap);
    }
  }

  // apt-get download NAME…: the .deb files (Debian's Size); dpkg -x DEB DIR: the package's
  // Installed-Size under DIR, for a .deb this stage downloaded.
  template <class Add>
  void debFiles(const CommandCost& c, StageState& s, LayerEstimate& le, Add& add) {
    const std::string what = shortText(c.text, 50);
    const catalogue::DebianCatalogue* deb = debian(s);
    if (c.kind == CommandKind::DebDownload) {
      if (!deb) {
        unknownPart(le, what + ": this stage's base has no Debian package index in the catalogue");
        timeUnknown(le, what);
        return;
      }
      Range total;
      for (const auto& name : c.paths) {
        auto info = deb->package(name);
        if (!info || info->debBytes == 0) {
          unknownPart(le, what + ": no Debian package \"" + name + "\" with a file size in the index");
          timeUnknown(le, what + ": the download of Debian package \"" + name + "\"");
          continue;
        }
        total += Range::exact(info->debBytes);
        s.downloadedDebs[name] = *info;
        le.reason += name + "_" + info->version + ".deb: " + formatMB(info->debBytes) + " (Size in Debian's index). ";
      }
      add(what, total, Category::Other);
      le.seconds += downloadSeconds(total.mid);
      if (le.source.empty() || le.source == "model"sv) le.source = "Debian Packages index (Size of each .deb)";
      remember(s, s.workdir, total, Category::Other, Basis::Catalogue);
      return;
    }
    // dpkg -x DEB DIR
    const std::string file = c.paths.empty() ? std::string() : c.paths.front();
    const std::string name = file.substr(file.rfind('/') == std::string::npos ? 0 : file.rfind('/') + 1);
    const catalogue::DebianCatalogue::PackageInfo* found = nullptr;
    for (const auto& [pkg, info] : s.downloadedDebs)
      if (name.rfind(pkg + "_", 0) == 0 || name.rfind(pkg + "*", 0) == 0 || name == pkg + ".deb") found = &info;
    if (!found || !found->installedSizeKnown) {
      unknownPart(le, what + ": " + file + " is not a package this stage downloaded with apt-get download, so its contents are not known");
      return;
    }
    const Range r = Range::exact(found->installedKiB * 1024);
    add(what, r, Category::Other);
    le.reason += found->name + " " + found->version + " unpacked: " + formatMB(r.mid) + " (Installed-Size in Debian's index, KiB). ";
    if (le.source.empty() || le.source == "model"sv) le.source = "Debian Packages index (Installed-Size)";
    remember(s, absPath(c.destination, s.workdir), r, Category::Other, Basis::Catalogue);
  }


  // `uv venv DIR`: a venv without pip. With --python naming another minor version than the base
  // image's, or UV_PYTHON_PREFERENCE=only-managed, uv downloads a managed Python (not catalogued).
  template <class Add>
  void uvVenv(const PackageOp& o, StageState& s, LayerEstimate& le, Add& add) {
    const std::string dir = absPath(o.venv.empty() ? ".venv" : o.venv, s.workdir);
    const std::string want = o.value("python").empty() ? o.value("p") : o.value("python");
    std::string have;
    if (s.base && !s.base->pythonVersion.empty()) have = s.base->pythonVersion.substr(0, s.base->pythonVersion.find('.', 2));
    else if (s.base && !s.base->distroPython.empty()) have = s.base->distroPython.substr(0, s.base->distroPython.find('.', 2));
    const auto* pref = scope_ ? [&]() -> const std::string* {
      auto it = scope_->env().find("UV_PYTHON_PREFERENCE");
      return it == scope_->env().end() ? nullptr : &it->second;
    }() : nullptr;
    const bool otherPython = !want.empty() && !have.empty() && want.find('$') == std::string::npos &&
                             std::isdigit(static_cast<unsigned char>(want[0])) && want.rfind(have, 0) != 0;
    if ((pref && *pref == "only-managed"sv) || otherPython || (!want.empty() && want.find('$') != std::string::npos && !have.empty())) {
      unknownPart(le, shortText(o.text, 50) + ": uv may download a managed Python" + (want.empty() ? std::string() : " " + want) +
                          (have.empty() ? std::string() : " (the base image has " + have + ")") +
                          " into the image; those builds are not catalogued");
      remember(s, dir, Range::unknown(), Category::PythonRuntime, Basis::Unknown);
      return;
    }
    add("venv " + dir + " (uv venv: no pip seeded)", kEmptyVenv, Category::PythonRuntime);
    le.notes.push_back(std::string("venv size ") + kEmptyVenvSource);
    remember(s, dir, kEmptyVenv, Category::PythonRuntime, Basis::Model);
  }

  // Pipfile.lock's pins as requirements ("name[extras]==1.2 ; markers"): `default`, and `develop`
  // when asked (--dev). VCS, path and file entries are not catalogued: said in `unknown`.
  static std::vector<std::string> pipfileLockPins(const std::string& text, bool dev, std::vector<std::string>& unknown) {
    std::vector<std::string> out;
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      unknown.push_back("Pipfile.lock is not valid JSON");
      return out;
    }
    for (const char* section : {"default", "develop"}) {
      if (std::string_view(section) == "develop" && !dev) continue;
      if (!j.contains(section) || !j[section].is_object()) continue;
      for (const auto& item : j[section].items()) {  // (not a structured binding: clang 14 cannot capture one)
        const std::string& name = item.key();
        const auto& e = item.value();
        if (!e.is_object()) continue;
        const auto str = [&e](const char* k) { return e.contains(k) && e[k].is_string() ? e[k].get<std::string>() : std::string(); };
        if (str("version").empty()) {
          unknown.push_back(name + " (Pipfile.lock: " + (e.contains("git") ? "a git checkout" : e.contains("path") ? "a local path" : "no version") +
                            "): what it installs is not known before the build");
          continue;
        }
        std::string req = name;
        if (e.contains("extras") && e["extras"].is_array() && !e["extras"].empty()) {
          req += "[";
          for (std::size_t i = 0; i < e["extras"].size(); ++i)
            if (e["extras"][i].is_string()) req += (i ? "," : "") + e["extras"][i].get<std::string>();
          req += "]";
        }
        req += str("version");
        if (!str("markers").empty()) req += " ; " + str("markers");
        out.push_back(req);
      }
    }
    return out;
  }

  // `pip install /app[dev]` where a COPY put the build context at /app (COPY . /app, or COPY . .
  // in WORKDIR /app): the project itself, as ".[dev]" (the planner reads its pyproject). Empty for
  // any other path.
  static std::string contextRootSpec(const StageState& s, const std::string& spec) {
    const std::string p = dockerfile::unquoted(spec);
    const auto open = p.find('[');
    std::string path = p.substr(0, open);
    if (path.empty() || path.find('$') != std::string::npos) return {};
    path = absPath(path, s.workdir);
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    const auto it = s.copiedFiles.find(path);
    if (it == s.copiedFiles.end() || it->second != "."sv) return {};  // kept as context paths: the root is "."
    return open == std::string::npos ? std::string(".") : "." + p.substr(open);
  }

  // The build-context file a path in the image holds: put there by a COPY of the file, or of a
  // folder it lies in. Empty when no COPY of this stage put it there.
  static std::string contextFileAt(const StageState& s, const std::string& image) {
    if (auto it = s.copiedFiles.find(image); it != s.copiedFiles.end()) return it->second;
    std::string found;  // the deepest folder that holds it (/app/req before /app)
    for (const auto& [dest, src] : s.copiedFiles)
      if (image.size() > dest.size() + 1 && image.compare(0, dest.size() + 1, dest + "/") == 0) {
        std::string dir = src;
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        found = (dir == "." ? std::string() : dir + "/") + image.substr(dest.size() + 1);
      }
    return found;
  }

  // python -m venv DIR seeds pip into the venv (ensurepip): sized as the catalogued pip wheel installed.
  template <class Add>
  void venvCreate(const dockerfile::Stage& st, const dockerfile::Step& step, const PackageOp& o, StageState& s, LayerEstimate& le,
                  Add& add) {
    (void)st;
    (void)step;
    const std::string dir = absPath(o.venv.empty() ? (o.packages.empty() ? std::string() : o.packages.back()) : o.venv, s.workdir);
    if (o.has("without-pip") || o.text.rfind("uv ", 0) == 0) {
      add("venv " + dir + " (no pip seeded)", kEmptyVenv, Category::PythonRuntime);
      le.notes.push_back(std::string("venv size ") + kEmptyVenvSource);
      return;
    }
    if (!in_.pip) {
      unknownPart(le, "python -m venv " + dir + ": no Python package catalogue to size the pip it seeds");
      return;
    }
    PipRequest req;
    req.packages = {"pip"};
    req.musl = s.family == "alpine"sv;
    req.wheelsBeforeMusllinux = in_.settings.wheelsBeforeMusllinux;
    req.arch = in_.settings.arch;
    if (s.base && !s.base->pythonVersion.empty()) req.python = s.base->pythonVersion.substr(0, s.base->pythonVersion.find('.', 2));
    else if (s.base && !s.base->distroPython.empty()) req.python = s.base->distroPython.substr(0, s.base->distroPython.find('.', 2));
    auto plan = in_.pip(req);
    Range r;
    for (const auto& p : plan.packages) r += p.installed;
    if (plan.packages.empty()) {
      unknownPart(le, "python -m venv " + dir + ": pip is not in the wheel catalogue");
      return;
    }
    add("venv " + dir + " with pip (ensurepip)", r, Category::PythonRuntime);
    le.reason += "python -m venv seeds pip into the venv: sized as the catalogued pip wheel installed. ";
    remember(s, dir, r, Category::PythonRuntime, Basis::Model);
  }

  Range aptLists(const StageState& s) const {
    if (!in_.catalogues || in_.catalogues->aptListsJson.empty()) return {};
    auto j = nlohmann::json::parse(in_.catalogues->aptListsJson, nullptr, false);
    if (j.is_discarded()) return {};
    std::string suite = s.suite.empty() ? "trixie" : s.suite;
    auto p = nlohmann::json::json_pointer("/suites/" + suite + "/" + in_.settings.arch);
    if (!j.contains(p)) return {};
    const auto& e = j[p];
    std::uint64_t xz = jU64(e, "xz"), gz = jU64(e, "gz");
    return {xz, gz, gz * 13 / 10};
  }

  // A requirement whose version comes from a variable that is empty here (`pip install
  // sherlock-project==$VERSION_TAG` after `ARG VERSION_TAG=`): pip is given `sherlock-project==` and
  // fails. Said with the variable's name, as the RUN writes it; "" when that is not the case.
  static std::string emptyVersionArg(const dockerfile::Step& step, const std::string& unknown) {
    static const std::string kNoVersion = ": expected a version after '";
    const auto at = unknown.find(kNoVersion);
    if (at == std::string::npos) return {};
    const std::string spec = unknown.substr(0, at);  // "sherlock-project=="
    const std::string& script = step.script();
    for (std::size_t i = script.find(spec); i != std::string::npos; i = script.find(spec, i + 1)) {
      std::size_t j = i + spec.size();
      if (j >= script.size() || script[j] != '$') continue;
      ++j;
      const bool braced = j < script.size() && script[j] == '{';
      if (braced) ++j;
      std::size_t k = j;
      while (k < script.size() && (std::isalnum(static_cast<unsigned char>(script[k])) || script[k] == '_')) ++k;
      if (k == j) continue;
      const std::string name = script.substr(j, k - j);
      return " (the version is $" + name + ", which is empty here: pip fails on it; give --build-arg " + name + "=VERSION)";
    }
    return {};
  }

  template <class Add>
  void pipOp(const dockerfile::Stage& st, const dockerfile::Step& step, const PackageOp& o, StageState& s, LayerEstimate& le,
             Add& add, bool cacheGoneInRun) {
    if (!in_.pip) {
      unknownPart(le, "no Python package catalogue loaded: " + o.text);
      return;
    }
    const bool isInstall = o.action == "install"sv || o.action == "sync"sv;
    const bool isWheel = o.action == "wheel"sv;
    if (!isInstall && !isWheel) return;
    // Installing wheels that an earlier COPY brought in (multi-stage) or a bind mount shows.
    std::vector<PythonPackage> fromWheels;
    bool usesWheelFiles = false;
    bool originKnown = false;  // a builder's wheel dir, even one that holds no wheel (empty requirements)
    for (const auto& p : o.packages) {
      // Wheel files by name (*.whl), or every file of a folder that holds a builder's wheels
      // (`pip install /wheels/*` over `pip wheel --wheel-dir /wheels`).
      const bool allOfDir = p.size() > 2 && p.compare(p.size() - 2, 2, "/*") == 0;
      if (p.find(".whl") == std::string::npos) {
        bool wheelDir = false;
        if (allOfDir) {
          const std::string dir = p.substr(0, p.size() - 2);
          for (const auto& [d, pkgs] : s.copiedWheels) wheelDir = wheelDir || stripPath(d) == stripPath(dir);
          for (const auto& mt : step.mounts()) {
            auto from = mt.fields.find("from");
            auto source = mt.fields.find("source");
            if (mt.type == "bind"sv && from != mt.fields.end() && source != mt.fields.end() && stripPath(mt.target()) == stripPath(dir))
              wheelDir = wheelDir || boundWheels_.count(from->second + ":" + source->second);
          }
        }
        if (!wheelDir) continue;
      }
      usesWheelFiles = true;
      for (const auto& [dir, pkgs] : s.copiedWheels)
        if (hasPrefixPath(p, dir) || p.rfind(dir, 0) == 0) {
          fromWheels = pkgs;
          originKnown = !s.copiedWheelsOpen.count(dir) || !pkgs.empty();
        }
      for (const auto& mt : step.mounts()) {
        auto from = mt.fields.find("from");
        if (mt.type != "bind"sv || from == mt.fields.end()) continue;
        int fs = m_.findStage(from->second, st.index);
        if (fs < 0) continue;
        (void)fs;
        if (hasPrefixPath(p, mt.target()) || p.rfind(mt.target(), 0) == 0) {
          auto bw = boundWheels_.find(from->second + ":" + mt.fields.at("source"));
          if (bw != boundWheels_.end()) {
            fromWheels = bw->second;
            originKnown = !boundOpen_.count(bw->first) || !bw->second.empty();
          }
        }
      }
    }
    PipPlan plan;
    if (usesWheelFiles) {
      plan.packages = fromWheels;
      if (!originKnown) unknownPart(le, "pip install of wheel files whose origin is not known: " + o.text);
    } else {
      PipRequest req;
      if (o.tool == "pipenv"sv) {
        // pipenv installs what Pipfile.lock pins (the one in the working folder, or PIPENV_PIPFILE's).
        std::string pipfile = "Pipfile";
        if (scope_)
          if (auto it = scope_->env().find("PIPENV_PIPFILE"); it != scope_->env().end() && !it->second.empty()) pipfile = it->second;
        const std::string lockImage = absPath(pipfile, s.workdir) + ".lock";
        const std::string lockSource = contextFileAt(s, lockImage);
        std::optional<std::string> text;
        if (!lockSource.empty() && in_.context)
          if (auto r = readTextFile((std::filesystem::path(in_.context->root) / lockSource).string())) text = std::move(*r);
        if (!text) {
          unknownPart(le, shortText(o.text, 50) + ": no Pipfile.lock from the build context at " + lockImage +
                              " (pipenv then resolves the Pipfile itself, which is not modelled)");
          timeUnknown(le, "pipenv install at line " + std::to_string(step.startLine));
          return;
        }
        std::vector<std::string> lockUnknown;
        req.packages = pipfileLockPins(*text, o.has("dev") || o.has("d"), lockUnknown);
        for (const auto& u : lockUnknown) unknownPart(le, "Python requirement " + u);
        for (const auto& p : o.packages) req.packages.push_back(p);
      }
      // The folder the command runs in (WORKDIR, then `cd` in this RUN).
      const std::string cwd = [&] {
        auto it = runCwd_.find(o.commandIndex);
        return it == runCwd_.end() ? s.workdir : it->second;
      }();
      // -r FILE names a path in the image: the file the build context's COPY put there.
      for (const auto& f : o.requirementFiles) {
        // (Or under a folder COPY put there: COPY ./requirements /requirements, -r /requirements/prod.txt.)
        const std::string source = contextFileAt(s, absPath(f, cwd));
        req.requirementFiles.push_back(source.empty() ? f : source);
      }
      for (const auto& p : o.tool == "pipenv"sv ? std::vector<std::string>{} : o.packages) {
        // A local archive or folder (pip install /dist/app.tar.gz, ./vendor/lib): not catalogued.
        const bool path = p.rfind("/", 0) == 0 || p.rfind("./", 0) == 0 || p.rfind("../", 0) == 0 ||
                          p.find(".tar.gz") != std::string::npos || p.find(".zip") != std::string::npos;
        if (path && p != "."sv && p != "./"sv) {
          if (auto project = contextRootSpec(s, p); !project.empty()) {
            req.packages.push_back(project);  // the folder a COPY put the build context in: the project
            continue;
          }
          unknownPart(le, "local distribution " + p + ": what it installs is not known before the build");
          continue;
        }
        req.packages.push_back(p);
      }
      // The PyTorch index (pip's --index-url/-i/--extra-index-url, uv's --index/--default-index):
      // its torch builds (CPU-only, or one CUDA version) are not PyPI's, whose CUDA build pulls in
      // gigabytes of nvidia-* wheels; what it serves is taken out of the sized total below.
      std::string torchIndex;
      for (const auto& [name, value] : o.options)
        if ((name == "index-url"sv || name == "i"sv || name == "extra-index-url"sv || name == "index"sv || name == "default-index"sv) &&
            value.find("download.pytorch.org") != std::string::npos)
          torchIndex = value;
      req.musl = s.family == "alpine"sv;
      req.wheelsBeforeMusllinux = in_.settings.wheelsBeforeMusllinux;
      req.arch = in_.settings.arch;
      if (!req.musl) req.suite = s.suite;
      req.fromProject = (o.action == "sync"sv && o.tool != "pipenv"sv) || o.tool == "poetry"sv ||
                        (o.requirementFiles.empty() && o.packages.empty() && !o.editables.empty());
      for (const auto& e : o.editables)
        if (e == "."sv || e == "./"sv) req.fromProject = true;
        else if (auto project = contextRootSpec(s, e); !project.empty()) req.packages.push_back(project);
        else if (e.rfind(".[", 0) == 0 || e.rfind("./[", 0) == 0 || e.rfind("'.[", 0) == 0 || e.rfind("\".[", 0) == 0)
          req.packages.push_back(e);  // the project with extras (-e .[dev]): the planner reads both
      if (s.base && !s.base->pythonVersion.empty()) req.python = s.base->pythonVersion.substr(0, s.base->pythonVersion.find('.', 2));
      else if (s.base && !s.base->distroPython.empty()) {
        // An OS image: pip runs on the distribution's python3 (bookworm 3.11, trixie 3.13, ...).
        req.python = s.base->distroPython.substr(0, s.base->distroPython.find('.', 2));
        le.notes.push_back("wheels picked for Python " + req.python + ", the python3 of " + s.base->tag + " (" + s.base->distroPythonSource + ")");
      }
      if (o.has("get-pip")) {
        // get-pip.py installs setuptools and wheel beside pip on a Python before 3.12 (its
        // include_setuptools / include_wheel), unless told not to.
        const auto dot = req.python.find('.');
        const bool before312 = dot != std::string::npos && std::atoi(req.python.c_str()) == 3 && std::atoi(req.python.c_str() + dot + 1) < 12;
        if (before312 && !o.has("no-setuptools")) req.packages.push_back("setuptools");
        if (before312 && !o.has("no-wheel")) req.packages.push_back("wheel");
        le.notes.push_back("get-pip.py installs pip" + std::string(before312 ? " (with setuptools and wheel on Python " + req.python + ")" : "") +
                           " from PyPI, sized as pip install of the same");
      }
      req.givenSizes = in_.settings.packageSizes;
      req.bytecode = compilesBytecode(o);
      // The project is the one in the folder the command runs in (`cd server && uv sync`), or the
      // one uv's --directory/--project or poetry's --directory names: the build context's
      // pyproject.toml a COPY put there.
      if (req.fromProject || std::find(req.packages.begin(), req.packages.end(), ".") != req.packages.end()) {
        std::string dir = cwd;
        for (const char* opt : {"directory", "project"})
          if (o.has(opt) && !o.value(opt).empty() && o.value(opt).find('$') == std::string::npos) {
            dir = absPath(o.value(opt), cwd);
            break;
          }
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        const std::string src = contextFileAt(s, (dir == "/"sv ? std::string() : dir) + "/pyproject.toml");
        if (src.size() > 15 && src.compare(src.size() - 15, 15, "/pyproject.toml") == 0) req.projectSubdir = src.substr(0, src.size() - 15);
      }
      if (o.tool == "uv"sv && o.action == "sync"sv) uvSyncSelection(o, req);
      if (o.tool == "poetry"sv && (o.action == "install"sv || o.action == "sync"sv)) poetrySelection(o, req);
      plan = in_.pip(req);
      if (torchIndex.empty() && !plan.torchIndexBuild.empty())
        torchIndex = (plan.torchIndexBuild.find("[tool.uv.sources]") == std::string::npos ? "the project's lock: " : "the project's ") + plan.torchIndexBuild;
      if (!torchIndex.empty()) {
        std::vector<PythonPackage> kept;
        std::vector<std::string> fromTorch;
        for (auto& p : plan.packages) {
          const std::string n = python::normalizeName(p.name);
          if (n == "torch"sv || n == "torchvision"sv || n == "torchaudio"sv || n == "triton"sv || n == "pytorch-triton"sv ||
              n.rfind("nvidia-", 0) == 0 || n.rfind("cuda-", 0) == 0)
            fromTorch.push_back(p.name);
          else
            kept.push_back(std::move(p));
        }
        plan.packages = std::move(kept);
        std::string names;
        for (std::size_t i = 0; i < fromTorch.size() && i < 4; ++i) names += (i ? ", " : "") + fromTorch[i];
        if (fromTorch.size() > 4) names += " and " + std::to_string(fromTorch.size() - 4) + " more";
        unknownPart(le, "packages from the PyTorch index (" + torchIndex + ") are its own builds (CPU-only or one CUDA version), " +
                            "not the PyPI files the catalogue holds" + (names.empty() ? std::string() : ": " + names + " not counted"));
        timeUnknown(le, "download of the PyTorch index's builds at line " + std::to_string(step.startLine));
      }
      for (const auto& u : plan.unknown) unknownPart(le, "Python requirement " + u + emptyVersionArg(step, u));
      // What is not catalogued has no download size either: the cold build time is a lower bound.
      if (!plan.unknown.empty()) timeUnknown(le, "pip install of requirements of unknown size at line " + std::to_string(step.startLine));
      for (const auto& g : plan.given) givenPart(le, g);
      for (const auto& p : plan.proxies) proxyPart(le, p);
      for (const auto& t : plan.timeUnknown) timeUnknown(le, t);
    }
    // pip skips what this environment already has at that version ("Requirement already
    // satisfied"): an earlier layer wrote it, this one writes nothing for it.
    const std::string pipEnv = o.scope + ":" + o.venv + "|";
    std::size_t satisfiedCount = 0;
    if (isInstall && !o.has("force-reinstall") && !o.has("ignore-installed") && !o.has("I")) {
      std::vector<PythonPackage> fresh;
      std::vector<std::string> satisfied;
      for (auto& p : plan.packages) {
        if (s.pipSatisfied.count(pipEnv + python::normalizeName(p.name) + "==" + p.version)) satisfied.push_back(p.name + " " + p.version);
        else fresh.push_back(std::move(p));
      }
      satisfiedCount = satisfied.size();
      plan.packages = std::move(fresh);
      if (!satisfied.empty()) {
        std::string names;
        for (std::size_t i = 0; i < satisfied.size() && i < 5; ++i) names += (i ? ", " : "") + satisfied[i];
        if (satisfied.size() > 5) names += ", …";
        le.reason += std::to_string(satisfied.size()) + " distribution(s) already installed in this environment by an earlier layer (" +
                     names + "): pip reports \"Requirement already satisfied\" and writes nothing for them. ";
      }
    }
    std::uint64_t download = 0;
    Range installed;
    double compileLo = 0, compileHi = 0;
    std::vector<std::string> compiled;
    for (const auto& p : plan.packages) {
      download += p.downloadBytes;
      installed += p.installed;
      if (p.compiles && !usesWheelFiles) {
        compileLo += p.compileMinutesLow;
        compileHi += p.compileMinutesHigh;
        compiled.push_back(p.name);
      }
    }
    const double coreScale = 2.0 / std::max(1, in_.settings.cores);
    le.seconds += downloadSeconds(usesWheelFiles ? 0 : download) + (compileLo + compileHi) / 2.0 * 60.0 * std::min(1.0, coreScale + 0.5) +
                  (isWheel ? 0.0 : installSeconds(installed.mid, true));
    if (!compiled.empty()) {
      std::string names;
      for (const auto& n : compiled) names += (names.empty() ? "" : ", ") + n;
      le.notes.push_back("pip builds from source here: " + names);
    }
    if (isWheel) {
      std::string dir = o.value("wheel-dir");
      if (dir.empty()) dir = o.value("w");
      if (dir.empty()) dir = ".";
      Range wheels = Range::exact(download);
      s.wheelDirs[dir] = wheels;
      if (!plan.unknown.empty() || le.basis == Basis::Unknown) s.wheelDirs[dir].open = true;
      s.wheelDirPackages[dir] = plan.packages;
      boundWheels_[st.name + ":" + dir] = plan.packages;
      boundWheels_[std::to_string(st.index) + ":" + dir] = plan.packages;
      if (s.wheelDirs[dir].open) {
        boundOpen_.insert(st.name + ":" + dir);
        boundOpen_.insert(std::to_string(st.index) + ":" + dir);
      }
      add("wheels written to " + dir, wheels, Category::WheelsCopied);
      remember(s, absPath(dir, s.workdir), wheels, Category::WheelsCopied, plan.unknown.empty() ? Basis::Model : Basis::Unknown);
      le.reason += "pip wheel: the wheels of " + std::to_string(plan.packages.size()) + " distributions (download sizes; wheels built from sdists counted at their sdist size). ";
    } else {
      s.pipInstalled.insert(s.pipInstalled.end(), plan.packages.begin(), plan.packages.end());
      s.pipInstalledBytes += installed;
      for (const auto& p : plan.packages) s.pipSatisfied.insert(pipEnv + python::normalizeName(p.name) + "==" + p.version);
      if (plan.packages.empty() && plan.unknown.empty() && !usesWheelFiles && satisfiedCount == 0) {
        // Nothing to install (an empty dependency list): uv sync / poetry still make the venv.
        const bool makesVenv = (o.tool == "uv"sv && o.action == "sync"sv) || o.tool == "poetry"sv;
        if (makesVenv) {
          add("the project's venv (no dependencies to install)", kEmptyVenv, Category::PythonRuntime);
          le.notes.push_back(std::string("venv size ") + kEmptyVenvSource);
        }
        le.reason += makesVenv ? "the project lists no dependencies: only its venv is made (a few files, nothing installed). "
                               : "the requirements list nothing to install: this adds nothing. ";
      }
      add(plan.packages.empty() && !plan.unknown.empty() ? std::string() : "pip install: " + std::to_string(plan.packages.size()) + " distributions", installed, Category::PythonPackages);
      remember(s, pipTarget(st, o, s), installed, Category::PythonPackages, plan.unknown.empty() ? Basis::Model : Basis::Unknown);
      le.reason += plan.model.empty() ? "" : plan.model.str() + ". ";
      le.source = "wheel catalogue (public uv.lock files) and measured installed/compressed ratios";
    }
    // uv reads UV_NO_CACHE, not pip's PIP_NO_CACHE_DIR.
    const bool noCache = o.has("no-cache-dir") || o.has("no-cache") || cacheGoneInRun ||
                         (o.tool == "uv"sv ? envSwitchOn("UV_NO_CACHE") : envDisablesPipCache(st));
    if (!noCache && !usesWheelFiles && o.tool == "uv"sv) {
      uvCache(o, plan.packages, uvCacheDir(o, s), le, add);
    } else if (!noCache && !usesWheelFiles) {
      const std::string cacheDir = o.tool == "poetry"sv ? "/root/.cache/pypoetry" : "/root/.cache/pip";
      add(o.tool + " cache (" + cacheDir + ")", Range{download * 9 / 10, download, download * 12 / 10}, Category::Caches);
      le.notes.push_back(o.tool + " keeps downloaded and built files in " + cacheDir +
                         (o.tool == "poetry"sv ? ": use --no-cache, `poetry cache clear --all pypi` in the same RUN, or a cache mount"
                                               : ": use --no-cache-dir or a cache mount"));
    } else if (!noCache && usesWheelFiles) {
      // local wheels: pip caches nothing to download
    }
  }

  // A boolean-like ENV in effect for this RUN (uv's UV_NO_CACHE: 1/true/yes/on).
  bool envSwitchOn(const char* name) const {
    if (!scope_) return false;
    auto it = scope_->env().find(name);
    if (it == scope_->env().end()) return false;
    std::string v = it->second;
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return v == "1"sv || v == "true"sv || v == "yes"sv || v == "on"sv;
  }

  // uv's cache folder: --cache-dir, else UV_CACHE_DIR, else root's ~/.cache/uv.
  std::string uvCacheDir(const PackageOp& o, const StageState& s) const {
    std::string dir = o.value("cache-dir");
    if (dir.empty() && scope_)
      if (auto it = scope_->env().find("UV_CACHE_DIR"); it != scope_->env().end()) dir = it->second;
    if (dir.empty() || dir.find('$') != std::string::npos || dir[0] == '~') return "/root/.cache/uv";
    return absPath(dir, s.workdir);
  }

  // A cache or tmpfs mount over uv's cache folder (or a folder holding it), or an rm of it in the
  // same RUN: the layer keeps none of it.
  static bool uvCacheGoneInRun(const dockerfile::Step& step, const std::vector<PackageOp>& ops,
                               const std::string& dir) {
    for (const auto& mt : step.mounts())
      if ((mt.type == "cache"sv || mt.type == "tmpfs"sv) && hasPrefixPath(dir, mt.target())) return true;
    for (const auto& o : ops) {
      if (o.tool != "rm"sv) continue;
      for (std::string p : o.packages) {
        for (const char* home : {"~", "$HOME", "${HOME}"})
          if (p == home || p.rfind(std::string(home) + "/", 0) == 0) p = "/root" + p.substr(std::string(home).size());
        while (p.size() > 2 && p.compare(p.size() - 2, 2, "/*") == 0) p.resize(p.size() - 2);
        if (!p.empty() && hasPrefixPath(dir, p)) return true;
      }
    }
    return false;
  }

  // uv's cache after an install that keeps it. uv unpacks each wheel into the cache (archive-v0)
  // and installs by linking the files from there, as --link-mode or UV_LINK_MODE says; a layer tar
  // stores hard-linked files once, symlinks as links, and a copy or a reflink (clone) as a second
  // copy. The second copy is sized as the unpacked wheels: installed size without bytecode.
  template <class Add>
  void uvCache(const PackageOp& o, const std::vector<PythonPackage>& packages, const std::string& dir,
               LayerEstimate& le, Add& add) {
    Range copy;
    for (const auto& p : packages) copy += p.unpacked;
    std::string mode = o.value("link-mode"), given = "--link-mode ";
    if (mode.empty() && scope_)
      if (auto it = scope_->env().find("UV_LINK_MODE"); it != scope_->env().end()) {
        mode = it->second;
        given = "UV_LINK_MODE=";
      }
    for (auto& c : mode) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string name = "uv cache (" + dir + ")";
    const std::string how = mode.empty() ? std::string() : " (" + given + mode + ")";
    if (mode == "hardlink"sv)
      add(name + ": hard links to the installed files" + how + ", stored once in the layer", Range::exact(0),
          Category::Caches);
    else if (mode == "symlink"sv)
      add(name + ": the installed files are symlinks into it" + how + ": stored once in the layer", Range::exact(0),
          Category::Caches);
    else if (mode == "copy"sv)
      add(name + ": a second copy of the unpacked wheels" + how + ", sized as their installed size without bytecode",
          copy, Category::Caches);
    else if (mode == "clone"sv || mode == "reflink"sv)
      add(name + ": clones of the installed files" + how +
              ": 0 where the Docker host's filesystem has no reflinks (ext4) and uv 0.10.5+ falls back to hard "
              "links, stored once; up to a second copy of the unpacked wheels on an xfs or btrfs host (a layer "
              "stores a reflink as a copy) or where an older uv falls back to copying",
          Range{0, 0, copy.high}, Category::Caches);
    else
      add(name + (mode.empty() ? std::string() : " (" + given + mode + ": a link mode not known here)") +
              ": hard links to the installed files, stored once in the layer (uv's default link mode on Linux "
              "before 0.10.5, and 0.10.5+'s fallback from clone on a host filesystem without reflinks, e.g. ext4); "
              "reflinks on an xfs or btrfs host are stored as a second copy of the unpacked wheels: the high end",
          Range{0, 0, copy.high}, Category::Caches);
    std::string note = "uv keeps its cache in " + dir +
                       ": the unpacked wheels the install links to (the uv cache part), and the wheels it builds and its index "
                       "metadata, which are not counted: use --no-cache (UV_NO_CACHE=1) or a cache mount";
    if (std::find(le.notes.begin(), le.notes.end(), note) == le.notes.end()) le.notes.push_back(std::move(note));  // once per layer
  }

  // Where a path lands: absolute, or relative to the stage's WORKDIR.
  static std::string absPath(const std::string& p, const std::string& workdir) {
    if (p.empty() || p[0] == '/') return p;
    std::string w = workdir.empty() ? "/" : workdir;
    if (w.back() != '/') w += '/';
    std::string r = p;
    if (r.rfind("./", 0) == 0) r = r.substr(2);
    if (r == "."sv) return w.size() > 1 ? w.substr(0, w.size() - 1) : w;
    return w + r;
  }

  // `src` lies inside what `w` wrote and takes all of it that matters: the lib/, lib/pythonX.Y or
  // site-packages folder of a Python install into a prefix, target or venv.
  static bool wholeOfInstall(const StageState::Written& w, const std::string& src) {
    if (w.category != Category::PythonPackages) return false;
    const std::string root = stripPath(w.path), inner = stripPath(src);
    if (inner.size() <= root.size() + 1) return false;
    const std::string rel = inner.substr(root == "/"sv ? 1 : root.size() + 1);
    static const std::regex lib(R"((lib|lib64)(/python3(\.[0-9]+)?(/(site|dist)-packages)?)?)");
    return std::regex_match(rel, lib) || rel == "site-packages"sv;
  }

  static void remember(StageState& s, const std::string& path, const Range& r, Category c, Basis b) {
    if (path.empty()) return;
    s.writtenIndex[stripPath(path)].push_back(s.written.size());
    s.written.push_back({path, r, c, b, s.currentLine});
  }

  void copyLayer(const dockerfile::Stage& st, const dockerfile::Step& step, StageState& s, std::vector<StageState>& states,
                 LayerEstimate& le) {
    (void)st;
    Range total;
    const std::string dest = absPath(step.destination(), s.workdir);
    // An apt source list copied in (COPY --from=x /etc/apt/sources.list.d/x.list …): see aptSources.
    for (const auto& src : step.sources()) {
      const std::string base = src.substr(src.find_last_of('/') == std::string::npos ? 0 : src.find_last_of('/') + 1);
      if (dest.rfind("/etc/apt/sources.list", 0) == 0 || src.find("/etc/apt/sources.list") != std::string::npos ||
          (dest.rfind("/etc/apt", 0) == 0 && (base.find(".list") != std::string::npos || base.find(".sources") != std::string::npos)))
        s.aptSources.emplace_back(step.startLine, src);
    }
    if (step.copyFromStage >= 0) {
      const auto& from = states[step.copyFromStage];
      const std::string fromName = "stage " + (m_.stages[step.copyFromStage].name.empty() ? std::to_string(step.copyFromStage)
                                                                                          : m_.stages[step.copyFromStage].name);
      le.basis = Basis::Model;
      std::vector<std::string> what;
      std::string externalSource;
      for (const auto& rawSrc : step.sources()) {
        const std::string src = absPath(rawSrc, from.workdir);
        // What pip installed there is installed here too: a venv copied to the same path, a
        // --prefix tree onto /usr/local (the system site-packages). A later pip install finds it
        // "already satisfied", as it would in the image.
        for (const auto& key : from.pipSatisfied) {
          const auto colon = key.find(':'), bar = key.find('|');
          if (colon == std::string::npos || bar == std::string::npos || bar < colon) continue;
          const std::string scope = key.substr(0, colon), dir = key.substr(colon + 1, bar - colon - 1);
          if (dir.empty() || absPath(dir, from.workdir) != src) continue;
          if (scope == "prefix"sv && dest == "/usr/local"sv) s.pipSatisfied.insert("system:|" + key.substr(bar + 1));
          else if (dest == src) s.pipSatisfied.insert(key);
        }
        bool matched = false;
        for (const auto& [dir, r] : from.wheelDirs) {
          if (hasPrefixPath(src, absPath(dir, from.workdir)) || hasPrefixPath(absPath(dir, from.workdir), src)) {
            total += r;
            if (r.open) unknownPart(le, "COPY --from=" + step.copyFrom() + " " + rawSrc + ": some of the wheels built there are unknown");
            s.copiedWheels[step.destination()] = from.wheelDirPackages.at(dir);
            if (r.open) s.copiedWheelsOpen.insert(step.destination());
            le.category = Category::WheelsCopied;
            what.push_back("the wheels built in " + fromName + " (" + dir + ")");
            matched = true;
          }
        }
        if (matched) continue;
        if (src == "/"sv || src == "/."sv) {
          // The whole filesystem of that stage: its base image and every layer.
          Range all;
          bool anyUnknown = false;
          for (const auto& l : from.layers) {
            all += l.disk;
            anyUnknown = anyUnknown || l.basis == Basis::Unknown;
            if (l.basis == Basis::Proxy) proxyPart(le, l.proxyNote);
          }
          total += all;
          s.pipInstalled.insert(s.pipInstalled.end(), from.pipInstalled.begin(), from.pipInstalled.end());
          if (from.buildToolsPresent) s.buildToolsPresent = true;
          if (from.headersPresent) s.headersPresent = true;
          le.category = Category::OsBase;
          what.push_back("the whole filesystem of " + fromName + " (" + std::to_string(from.layers.size()) + " layers)");
          if (anyUnknown) unknownPart(le, "COPY --from=" + step.copyFrom() + " /: part of " + fromName + " is unknown");
          continue;
        }
        // What that stage's own steps put under the path (or the path is inside what they wrote).
        Range part;
        bool inside = false;
        Category cat = Category::Other;
        std::uint64_t best = 0;
        bool shareUnknown = false;
        for (const auto& w : from.written) {
          const bool under = hasPrefixPath(w.path, src);
          const bool contains = !under && hasPrefixPath(src, w.path);
          if (!under && !contains) continue;
          if (contains && StageState::packagesNeverUnder(w, src)) continue;
          if (contains && !wholeOfInstall(w, src) && (w.bytes.high > 0 || w.basis == Basis::Unknown)) {
            // A part of a larger write (one file of a venv, the wheel a build left in dist/): not
            // the whole of it. Files a COPY from the build context put there are known one by one.
            matched = true;
            if (w.byFile) {
              std::uint64_t bytes = 0;
              std::size_t files = 0;
              copiedUnder(from, src, [](const std::string&) { return true; }, bytes, files);
              if (files > 0) {
                part += Range::exact(bytes);
                continue;
              }
              // The build context put nothing there: a later step made it (a file a RUN wrote).
            }
            if (!shareUnknown)
              unknownPart(le, "COPY --from=" + step.copyFrom() + " " + rawSrc + ": a part of what " + fromName + " wrote under " + w.path +
                                  " (line " + std::to_string(w.line) +
                                  (w.basis == Basis::Unknown ? std::string(", itself not known") : ", " + formatMB(w.bytes.high) + " at most") +
                                  "); its share is not known");
            shareUnknown = true;
            continue;
          }
          part += w.bytes;
          inside = inside || contains;
          if (w.bytes.mid >= best) {
            best = w.bytes.mid;
            cat = w.category;
          }
          if (w.basis == Basis::Unknown) unknownPart(le, "COPY --from=" + step.copyFrom() + " " + rawSrc + ": what " + fromName + " wrote under " + w.path + " is partly unknown");
          if (w.category == Category::PythonPackages) {
            s.pipInstalled.insert(s.pipInstalled.end(), from.pipInstalled.begin(), from.pipInstalled.end());
          }
          if (w.category == Category::BuildTools) (from.buildToolsPresent ? s.buildToolsPresent : s.headersPresent) = true;
          matched = true;
        }
        if (matched) {
          // The site-packages of a --prefix/--target/venv install is nearly all of it (bin/ holds scripts).
          if (inside) part.low = part.low * 9 / 10;
          total += part;
          le.category = cat;
          what.push_back("what " + fromName + " wrote under " + rawSrc + (inside ? " (a part of a larger install)" : ""));
          continue;
        }
        if (!m_.stages[step.copyFromStage].baseImage.empty() && m_.stages[step.copyFromStage].baseStage < 0) {
          if (auto f = externalFiles(m_.stages[step.copyFromStage].baseImage, src)) {
            total += f->bytes;
            if (f->proxy) proxyPart(le, f->note);
            le.category = Category::BuildTools;
            what.push_back(rawSrc + " of " + m_.stages[step.copyFromStage].baseImage);
            externalSource = f->source;
            continue;
          }
        }
        if (from.unplacedWrite)
          unknownPart(le, "COPY --from=" + step.copyFrom() + " " + rawSrc + ": nothing " + fromName +
                              "'s steps are known to have written is under this path; line " +
                              std::to_string(from.unplacedWrite->first) + " (`" + from.unplacedWrite->second +
                              "`) is not modelled and may have made it (else it comes from the base image)");
        else if (from.base || from.baseUnknown)
          unknownPart(le, "COPY --from=" + step.copyFrom() + " " + rawSrc + ": nothing " + fromName +
                                   "'s own steps wrote is under this path, so it comes from its base image, whose files are not catalogued by path");
        else
          unknownPart(le, "COPY --from=" + step.copyFrom() + " " + rawSrc + ": size of what is copied not known");
      }
      // Dedupe packages copied twice.
      le.disk = total;
      le.compressed = scale(total, 0.25, 0.4, 1.0);
      for (const auto& w : what) le.reason += (le.reason.empty() ? "" : "; ") + w;
      if (le.category == Category::Other && le.reason.empty()) le.category = Category::PythonPackages;
      le.source = externalSource.empty() ? "estimate of " + fromName : externalSource;
      remember(s, dest, total, le.category, le.basis);
      le.seconds = 0.5;
      return;
    }
    if (!step.copyFrom().empty()) {
      le.reason = "files from the external image " + step.copyFrom();
      le.source = "none";
      Range known;
      bool all = !step.sources().empty();
      std::string proxyNote, source;
      for (const auto& src : step.sources()) {
        auto f = externalFiles(step.copyFrom(), src);
        if (!f) {
          all = false;
          continue;
        }
        known += f->bytes;
        source = f->source;
        if (f->proxy) proxyNote = f->note;
      }
      if (all) {
        le.disk = known;
        le.compressed = scale(known, 0.35, 0.4, 0.5);  // static binaries gzip to about 40 % (uv: ~20 MB pull for ~50 MB on disk)
        le.category = Category::BuildTools;
        le.basis = Basis::Catalogue;
        le.source = source;
        if (!proxyNote.empty()) proxyPart(le, proxyNote);
        remember(s, dest, known, le.category, le.basis);
        le.seconds = downloadSeconds(le.compressed.mid);
        return;
      }
      unknownPart(le, "COPY --from=" + step.copyFrom() + " (an external image): the size of what it copies is not catalogued");
      timeUnknown(le, "pull of " + step.copyFrom());
      return;
    }
    std::uint64_t bytes = 0;
    for (const auto& h : step.heredocs()) bytes += h.body().size();
    bool onlyReqs = true;
    for (const auto& src : step.sources()) {
      if (!step.heredocs().empty() && std::any_of(step.heredocs().begin(), step.heredocs().end(), [&](const auto& h) { return src == "<<" + h.name || src.find(h.name) != std::string::npos; }))
        continue;
      if (src.rfind("http://", 0) == 0 || src.rfind("https://", 0) == 0 || src.rfind("git@", 0) == 0) {
        unknownPart(le, "ADD " + src + ": the size of a remote file is not known before the build");
        timeUnknown(le, "download of " + src);
        continue;
      }
      auto base = src.substr(src.rfind('/') == std::string::npos ? 0 : src.rfind('/') + 1);
      if (!(base.rfind("requirements", 0) == 0 || base == "pyproject.toml"sv || base == "uv.lock"sv || base == "poetry.lock"sv)) onlyReqs = false;
      if (!in_.context) continue;
      if (src.find('$') != std::string::npos) {
        unknownPart(le, "COPY " + src + ": a path computed at build time");
        continue;
      }
      if (!in_.context->matches(src)) {
        unknownPart(le, "COPY " + src + ": not found in the build context " + in_.context->root +
                                 " (set the context with --context DIR, or the Context field in the window)");
        continue;
      }
      bytes += in_.context->bytesFor(src);
    }
    // The destination is a folder when it ends in '/', names several sources, or already is one
    // (`COPY requirements.txt /tmp`); else a single source is copied to that name.
    const bool toDir = step.destination().empty() || step.destination().back() == '/' || step.destination() == "."sv ||
                       step.sources().size() > 1 || s.existingDir(dest);
    for (const auto& src : step.sources()) {
      // Where each copied file lands in the image (for pip -r FILE after COPY x/requirements.txt .).
      if (src.find('$') == std::string::npos && src.rfind("http://", 0) != 0 && src.rfind("https://", 0) != 0 && src.rfind("<<", 0) != 0) {
        s.contextCopies.push_back({src, dest, toDir});
      }
      if (src.find_first_of("*?[$") != std::string::npos) continue;
      const std::string base = src.substr(src.find_last_of('/') == std::string::npos ? 0 : src.find_last_of('/') + 1);
      // A folder's contents go into the destination (COPY requirements/ /requirements/ puts
      // /requirements/prod.txt), a file into it by its name or to it by a new one.
      const bool folder = (!src.empty() && src.back() == '/') || src == "."sv || (in_.context && in_.context->isFolder(src));
      std::string d = dest;
      while (d.size() > 1 && d.back() == '/') d.pop_back();
      // By its path in the context, as Docker reads a source: `ADD / /app` and `COPY ./ /app` copy the
      // context's root (".") as `COPY . /app` does, `COPY /src/x .` the context's src/x.
      s.copiedFiles[folder || !toDir ? d : (d == "/"sv ? "/" : d + "/") + base] = contextPath(src);
    }
    le.disk = Range{bytes, bytes, bytes, false};
    le.compressed = scale(le.disk, 0.2, 0.4, 1.0);
    le.category = Category::AppCode;
    if (le.basis != Basis::Unknown) le.basis = Basis::Catalogue;
    le.reason = onlyReqs ? "dependency files from the build context" : "files from the build context after .dockerignore";
    if (bytes == 0 && le.basis != Basis::Unknown && in_.context && step.heredocs().empty()) {
      // A zero says why: what it copies is empty (a .gitkeep behind `COPY dir/* …`).
      std::size_t n = 0;
      for (const auto& src : step.sources()) in_.context->forEachPlaced(src, dest, toDir, [&](const std::string&, const ContextFile&) { ++n; });
      le.reason = std::string(le.reason) + ": " +
                  (n == 1 ? std::string("the one file it copies is empty") : "the " + std::to_string(n) + " files it copies are empty") +
                  " (0 bytes; the layer holds only their entries)";
    }
    le.source = in_.context ? "the project folder on disk (" + std::to_string(in_.context->files.size()) + " files)" : "no project folder: not measured";
    if (!in_.context && !step.sources().empty()) unknownPart(le, "COPY at line " + std::to_string(step.startLine) + ": no project folder to measure");
    remember(s, dest, le.disk, le.category, le.basis);
    s.written.back().byFile = in_.context && le.basis != Basis::Unknown;
    le.seconds = 0.5;
  }

  void warmCache(const std::vector<StageState>& states, VariantEstimate& out) {
    // A source-only change invalidates the first COPY of application code and every layer after it
    // (in that stage and in the stages built from it).
    out.buildSecondsWarm = 0;
    for (const auto& st : m_.stages) {
      if (!st.reachable) continue;
      const auto& layers = states[st.index].layers;
      bool invalid = false;
      for (const auto& l : layers) {
        if (l.fromBase || l.seconds == 0) {
          if (invalid) out.buildSecondsWarm += l.seconds;
          continue;
        }
        if (!invalid && l.category == Category::AppCode && l.reason.rfind("files from the build context", 0) == 0) {
          invalid = true;
          if (out.warmNote.empty())
            out.warmNote = "a source-only change rebuilds from line " + std::to_string(l.line) + " (" + l.instruction.str().substr(0, 60) + ")";
        }
        if (invalid) out.buildSecondsWarm += l.seconds;
      }
    }
  }

  std::map<std::string, std::vector<PythonPackage>> boundWheels_;
  std::set<std::string> boundOpen_;  // bound wheel dirs of which some wheels are unknown
};

}  // namespace

VariantEstimate estimateModel(const dockerfile::Model& model, const Inputs& in) { return Estimator(model, in).run(); }

void fillUnknownLists(VariantEstimate& e) {
  e.unknowns.clear();
  e.timeUnknowns.clear();
  for (const auto* list : {&e.builderLayers, &e.layers})
    for (const auto& l : *list) {
      if (l.unknownParts.empty() && l.timeUnknownParts.empty()) continue;
      const std::string line = std::to_string(l.line);
      for (const auto& u : l.unknownParts) e.unknowns.push_back(l.line > 0 ? "line " + line + ": " + u.str() : u.str());
      for (const auto& t : l.timeUnknownParts) e.timeUnknowns.push_back(l.line > 0 ? t.str() + " at line " + line : t.str());
    }
  e.unknowns.insert(e.unknowns.end(), e.unknownsOffLayers.begin(), e.unknownsOffLayers.end());
  sortUnique(e.unknowns);
  sortUnique(e.timeUnknowns);
}

}  // namespace slimbench::estimate
