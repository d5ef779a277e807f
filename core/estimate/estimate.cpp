#include "estimate/estimate.h"

#include <nlohmann/json.hpp>

#include "util/jsontext.h"

#include <algorithm>
#include <cstdio>
#include <set>

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

namespace {

Range scale(const Range& r, double lo, double mid, double hi) {
  return {static_cast<std::uint64_t>(r.low * lo), static_cast<std::uint64_t>(r.mid * mid), static_cast<std::uint64_t>(r.high * hi)};
}

Range fromCost(const catalogue::InstallCost& c) { return {c.bytesLow, c.bytesMid, c.bytesHigh}; }


bool hasPrefixPath(const std::string& p, const std::string& dir) {
  auto strip = [](std::string s) {
    while (s.size() > 1 && (s.back() == '/' || s.back() == '*')) s.pop_back();
    return s;
  };
  std::string a = strip(p), b = strip(dir);
  return a == b || a.rfind(b + "/", 0) == 0;
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
  std::string suite;    // bookworm | trixie
  bool slim = false;
  std::set<std::string> debInstalled, apkInstalled;
  std::vector<LayerEstimate> layers;
  std::map<std::string, Range> wheelDirs;         // pip wheel --wheel-dir
  std::map<std::string, std::vector<PythonPackage>> wheelDirPackages;
  std::vector<PythonPackage> pipInstalled;
  Range pipInstalledBytes;
  std::map<std::string, std::vector<PythonPackage>> copiedWheels;  // COPY'd wheel dirs in this stage
  bool buildToolsPresent = false;
  std::string pipPrefix;  // site-packages-like dirs written by pip (venv/prefix), for COPY --from
};

class Estimator {
 public:
  Estimator(const dockerfile::Model& m, const Inputs& in) : m_(m), in_(in) {}

  VariantEstimate run() {
    VariantEstimate out;
    std::vector<StageState> states(m_.stages.size());
    for (const auto& st : m_.stages) {
      auto& s = states[st.index];
      startStage(st, s, states, out);
      for (const auto& step : st.steps) {
        if (!step.createsLayer) continue;
        LayerEstimate le;
        le.stage = st.index;
        le.line = step.startLine;
        le.instruction = step.original;
        if (step.kind == Kind::Run) runLayer(st, step, s, le, out);
        else copyLayer(st, step, s, states, le, out);
        s.layers.push_back(std::move(le));
      }
    }
    if (m_.finalStage < 0) return out;
    auto& fin = states[m_.finalStage];
    out.layers = fin.layers;
    out.base = fin.base;
    out.baseImage = m_.stages[m_.finalStage].baseImage;
    out.packages = fin.pipInstalled;
    out.compilerInFinal = fin.buildToolsPresent;
    for (const auto& l : out.layers) {
      out.disk += l.disk;
      out.compressed += l.compressed;
    }
    // Build time: every stage the final image needs; the base pulls are part of it.
    for (const auto& st : m_.stages) {
      if (!st.reachable) continue;
      for (const auto& l : states[st.index].layers) {
        out.buildSecondsCold += l.seconds;
        if (st.index != m_.finalStage) out.builderLayers.push_back(l);
      }
    }
    warmCache(states, out);
    std::sort(out.unknowns.begin(), out.unknowns.end());
    out.unknowns.erase(std::unique(out.unknowns.begin(), out.unknowns.end()), out.unknowns.end());
    return out;
  }

 private:
  const dockerfile::Model& m_;
  const Inputs& in_;

  double installSeconds(std::uint64_t bytes, bool pip) const {
    if (!in_.catalogues) return 0;
    double rate = pip ? in_.catalogues->pipBytesPerSecond : in_.catalogues->dpkgBytesPerSecond;
    return rate > 0 ? static_cast<double>(bytes) / rate : 0;
  }

  double downloadSeconds(std::uint64_t bytes) const {
    double mbps = std::max(0.1, in_.settings.bandwidthMbps);
    return static_cast<double>(bytes) * 8.0 / (mbps * 1e6);
  }

  const catalogue::DebianCatalogue* debian(const StageState& s) const {
    if (!in_.catalogues) return nullptr;
    std::string suite = s.suite.empty() ? "trixie" : s.suite;
    auto it = in_.catalogues->debian.find(suite + "-" + in_.settings.arch);
    if (it == in_.catalogues->debian.end()) it = in_.catalogues->debian.find(suite + "-amd64");
    return it == in_.catalogues->debian.end() ? nullptr : &it->second;
  }

  void startStage(const dockerfile::Stage& st, StageState& s, std::vector<StageState>& states, VariantEstimate& out) {
    if (st.baseStage >= 0) {
      // FROM an earlier stage: its filesystem and knowledge carry over.
      s = states[st.baseStage];
      for (auto& l : s.layers) {
        l.stage = st.index;
        l.seconds = 0;  // built once
      }
      return;
    }
    const catalogue::BaseImage* b = in_.catalogues && in_.catalogues->bases ? in_.catalogues->bases->find(st.baseImage, in_.settings.arch) : nullptr;
    s.base = b;
    if (st.baseImage == "scratch") {
      s.family = "unknown";
      return;
    }
    if (!b) {
      out.unknowns.push_back("base image " + st.baseImage + " is not in the catalogue (its size counts as 0)");
      LayerEstimate le;
      le.stage = st.index;
      le.fromBase = true;
      le.instruction = "FROM " + st.baseImage;
      le.category = Category::OsBase;
      le.reason = "unknown base image: not in the bundled catalogue, so its size is not counted";
      le.source = "none";
      s.layers.push_back(le);
      s.family = st.baseImage.find("alpine") != std::string::npos ? "alpine" : "unknown";
      return;
    }
    s.family = b->libc == "musl" ? "alpine" : "debian";
    s.suite = b->debianSuite();
    s.slim = b->variant == "slim" || b->tag.find("slim") != std::string::npos;
    // The full python:X image is built FROM buildpack-deps, which installs gcc and -dev
    // headers (docker-library/python and buildpack-deps Dockerfiles): true for every
    // release, including older ones without a package catalogue.
    if (catalogue::splitImageRef(b->tag).first == "python" && b->variant == "default" && b->libc == "glibc")
      s.buildToolsPresent = true;
    if (s.family == "debian") {
      if (auto* d = debian(s)) {
        const std::string suite = s.suite.empty() ? "trixie" : s.suite;
        std::vector<std::string> keys;
        auto [repo, tag] = catalogue::splitImageRef(b->tag);
        if (repo == "python") {
          keys = {b->tag + "-" + suite, std::string("python:3.x") + (s.slim ? "-slim-" : "-") + suite};
          if (tag.find(suite) != std::string::npos) keys.insert(keys.begin(), b->tag);
        } else {
          keys = {b->tag};
        }
        for (const auto& k : keys)
          if (d->hasBase(k)) {
            s.debInstalled = d->baseSet(k);
            break;
          }
        // The full python:X image (buildpack-deps) ships gcc and -dev headers.
        if (s.debInstalled.count("gcc")) s.buildToolsPresent = true;
      }
    } else if (s.family == "alpine" && in_.catalogues->alpine) {
      s.apkInstalled = in_.catalogues->alpine->baseSet();
    }
    const double ratio = b->diskTotal && b->compressedTotal ? 1.0 : 1.0;
    (void)ratio;
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
      s.layers.push_back(le);
    }
  }

  static bool envDisablesPipCache(const dockerfile::Stage& st) {
    auto it = st.env.find("PIP_NO_CACHE_DIR");
    if (it == st.env.end()) return false;
    std::string v = it->second;
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // pip reads the variable as a boolean-like switch; any value but an explicit false disables the cache.
    return !(v == "0" || v == "false" || v == "no");
  }

  void runLayer(const dockerfile::Stage& st, const dockerfile::Step& step, StageState& s, LayerEstimate& le, VariantEstimate& out) {
    Range total;
    Category cat = Category::Other;
    Range biggest;
    auto add = [&](const std::string& what, const Range& r, Category c) {
      le.parts.emplace_back(what, r);
      total += r;
      if (r.mid >= biggest.mid) {
        biggest = r;
        cat = c;
      }
    };
    const auto& ops = step.operations;
    auto opIs = [](const PackageOp& o, const char* tool, const char* action) {
      return (o.tool == tool || (std::string(tool) == "apt-get" && o.tool == "apt")) && o.action == action;
    };
    bool aptUpdate = false, aptListsRemoved = false;
    std::set<std::string> purged;
    bool autoremove = false;
    std::set<std::string> apkDeleted;
    bool rmPipCache = false;
    for (const auto& o : ops) {
      if (opIs(o, "apt-get", "update")) aptUpdate = true;
      if (opIs(o, "apt-get", "purge") || opIs(o, "apt-get", "remove")) {
        for (const auto& p : o.packages) purged.insert(p);
        if (o.has("auto-remove") || o.has("autoremove")) autoremove = true;
      }
      if (opIs(o, "apt-get", "autoremove")) autoremove = true;
      if (opIs(o, "apt-get", "dist-clean")) aptListsRemoved = true;
      if (o.tool == "apk" && o.action == "del")
        for (const auto& p : o.packages) apkDeleted.insert(p);
      if (o.tool == "rm")
        for (const auto& p : o.packages) {
          if (hasPrefixPath(p, "/var/lib/apt/lists") || p == "/var/lib/apt/lists/*") aptListsRemoved = true;
          if (hasPrefixPath("/root/.cache/pip", p) || p == "~/.cache" || p == "~/.cache/pip" || p == "$HOME/.cache") rmPipCache = true;
        }
    }
    for (const auto& mt : step.mounts) {
      if (mt.type == "cache" && (hasPrefixPath(mt.target(), "/var/lib/apt") || mt.target() == "/var/lib/apt/lists")) aptListsRemoved = true;
    }
    const bool pipCacheMounted = std::any_of(step.mounts.begin(), step.mounts.end(), [](const dockerfile::Mount& mt) {
      return (mt.type == "cache" || mt.type == "tmpfs") && hasPrefixPath("/root/.cache/pip", mt.target());
    });
    const bool anyInstall = std::any_of(ops.begin(), ops.end(), [](const PackageOp& o) {
      return o.action == "install" || o.action == "add" || o.action == "wheel";
    });

    for (const auto& o : ops) {
      if ((o.tool == "apt-get" || o.tool == "apt") && o.action == "install") {
        const auto* d = debian(s);
        if (!d || s.family != "debian") {
          out.unknowns.push_back("apt-get install on a base without a Debian catalogue: " + o.text);
          continue;
        }
        std::vector<std::string> keep, all = o.packages;
        for (const auto& p : o.packages)
          if (!(purged.count(p) && autoremove)) keep.push_back(p);
        std::set<std::string> trial = s.debInstalled;
        auto full = d->install(all, trial, s.slim);
        for (const auto& u : full.unknown) out.unknowns.push_back("Debian package " + u + " (not in the catalogue)");
        catalogue::InstallCost net = full;
        if (!purged.empty()) {
          std::set<std::string> t2 = s.debInstalled;
          if (autoremove) {
            net = d->install(keep, t2, s.slim);
            le.notes.push_back("purged with --auto-remove in the same RUN: the build packages do not stay in this layer");
          } else {
            net = d->install(keep, t2, s.slim);
            // Without autoremove, the dependencies pulled in by the purged packages stay.
            std::set<std::string> t3 = s.debInstalled;
            auto purgedOnly = d->install(std::vector<std::string>(purged.begin(), purged.end()), t3, s.slim);
            (void)purgedOnly;
            le.notes.push_back("purged in the same RUN without --auto-remove: their dependencies stay");
            net = full;
          }
          s.debInstalled = t2;
        } else {
          s.debInstalled = trial;
        }
        bool tools = std::all_of(o.packages.begin(), o.packages.end(), catalogue::isBuildToolPackage);
        bool anyTool = std::any_of(keep.begin(), keep.end(), catalogue::isBuildToolPackage);
        if (anyTool) s.buildToolsPresent = true;
        add("apt-get install " + std::to_string(net.added.size()) + " new packages", fromCost(net),
            tools && !keep.empty() ? Category::BuildTools : Category::SystemPackages);
        le.seconds += downloadSeconds(full.downloadBytes) + installSeconds(full.bytesMid, false);
        le.source = net.source;
        le.reason += net.model + ". ";
        if (!o.has("no-install-recommends"))
          le.notes.push_back("without --no-install-recommends apt also installs Recommends, which this estimate does not count (low side)");
      }
      if (o.tool == "apk" && o.action == "add") {
        if (!in_.catalogues || !in_.catalogues->alpine) continue;
        std::set<std::string> trial = s.apkInstalled;
        auto c = in_.catalogues->alpine->install(o.packages, trial);
        for (const auto& u : c.unknown) out.unknowns.push_back("Alpine package " + u + " (no size reading)");
        const bool removedHere = !o.virtualName.empty() && apkDeleted.count(o.virtualName);
        le.seconds += downloadSeconds(c.downloadBytes ? c.downloadBytes : c.bytesMid / 3) + installSeconds(c.bytesMid, false);
        if (removedHere) {
          le.notes.push_back("apk add --virtual " + o.virtualName + " and apk del in the same RUN: the build packages do not stay");
          continue;
        }
        s.apkInstalled = trial;
        bool tools = std::all_of(o.packages.begin(), o.packages.end(), catalogue::isBuildToolPackage);
        if (std::any_of(o.packages.begin(), o.packages.end(), catalogue::isBuildToolPackage)) s.buildToolsPresent = true;
        add("apk add " + std::to_string(c.added.size()) + " new packages", fromCost(c), tools ? Category::BuildTools : Category::SystemPackages);
        le.source = c.source;
        le.reason += c.model + ". ";
        if (!o.has("no-cache")) le.notes.push_back("apk add without --no-cache leaves its index in /var/cache/apk (size not catalogued)");
      }
      if (o.tool == "pip" || o.tool == "uv" || o.tool == "poetry") pipOp(st, step, o, s, le, out, add, pipCacheMounted || rmPipCache);
    }
    if (aptUpdate && !aptListsRemoved) {
      auto lists = aptLists(s);
      add("apt lists left in /var/lib/apt/lists", lists, Category::Caches);
      le.notes.push_back("apt-get update without rm -rf /var/lib/apt/lists/* in the same RUN leaves the package index in the layer");
    }
    if (!anyInstall) {
      bool removes = !purged.empty() || !apkDeleted.empty() ||
                     std::any_of(ops.begin(), ops.end(), [](const PackageOp& o) { return o.tool == "rm" || o.action == "uninstall"; });
      if (removes) {
        le.notes.push_back("deletes files made by an earlier layer: that layer still carries them, so this frees nothing (a whiteout)");
        le.reason += "Removal in a later layer: adds whiteouts only, frees nothing. ";
      }
    }
    le.disk = total;
    le.category = cat;
    // gzip of a layer: packages ship compressed about 3:1 (measured wheels 3.2-3.4×; .deb xz);
    le.compressed = scale(total, 0.25, 0.33, 0.5);
    if (le.reason.empty()) le.reason = le.parts.empty() ? "a RUN with no recognised package operation: size not estimated (counted as 0)" : "";
    if (le.parts.empty() && !step.operations.empty() && le.notes.empty())
      le.reason = "recognised operations add nothing to the image here";
    if (le.source.empty()) le.source = "model";
    if (le.parts.empty() && step.operations.empty()) out.unknowns.push_back("RUN at line " + std::to_string(step.startLine) + ": size not estimated");
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

  template <class Add>
  void pipOp(const dockerfile::Stage& st, const dockerfile::Step& step, const PackageOp& o, StageState& s, LayerEstimate& le,
             VariantEstimate& out, Add& add, bool cacheGoneInRun) {
    if (!in_.pip) return;
    const bool isInstall = o.action == "install" || o.action == "sync";
    const bool isWheel = o.action == "wheel";
    if (!isInstall && !isWheel) return;
    // Installing wheels that an earlier COPY brought in (multi-stage) or a bind mount shows.
    std::vector<PythonPackage> fromWheels;
    bool usesWheelFiles = false;
    for (const auto& p : o.packages) {
      if (p.find(".whl") == std::string::npos) continue;
      usesWheelFiles = true;
      for (const auto& [dir, pkgs] : s.copiedWheels)
        if (hasPrefixPath(p, dir) || p.rfind(dir, 0) == 0) fromWheels = pkgs;
      for (const auto& mt : step.mounts) {
        auto from = mt.fields.find("from");
        if (mt.type != "bind" || from == mt.fields.end()) continue;
        int fs = m_.findStage(from->second, st.index);
        if (fs < 0) continue;
        (void)fs;
        if (hasPrefixPath(p, mt.target()) || p.rfind(mt.target(), 0) == 0) fromWheels = boundWheels_[from->second + ":" + mt.fields.at("source")];
      }
    }
    PipPlan plan;
    if (usesWheelFiles) {
      plan.packages = fromWheels;
      if (fromWheels.empty()) out.unknowns.push_back("pip install of wheel files whose origin is not known: " + o.text);
    } else {
      PipRequest req;
      req.requirementFiles = o.requirementFiles;
      for (const auto& p : o.packages) req.packages.push_back(p);
      req.musl = s.family == "alpine";
      req.arch = in_.settings.arch;
      req.fromProject = o.action == "sync" || o.tool == "poetry" ||
                        (o.requirementFiles.empty() && o.packages.empty() && !o.editables.empty());
      for (const auto& e : o.editables)
        if (e == "." || e == "./") req.fromProject = true;
      if (s.base && !s.base->pythonVersion.empty()) req.python = s.base->pythonVersion.substr(0, s.base->pythonVersion.find('.', 2));
      plan = in_.pip(req);
      for (const auto& u : plan.unknown) out.unknowns.push_back("Python requirement " + u);
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
      s.wheelDirPackages[dir] = plan.packages;
      boundWheels_[st.name + ":" + dir] = plan.packages;
      boundWheels_[std::to_string(st.index) + ":" + dir] = plan.packages;
      add("wheels written to " + dir, wheels, Category::WheelsCopied);
      le.reason += "pip wheel: the wheels of " + std::to_string(plan.packages.size()) + " distributions (download sizes; wheels built from sdists counted at their sdist size). ";
    } else {
      s.pipInstalled.insert(s.pipInstalled.end(), plan.packages.begin(), plan.packages.end());
      s.pipInstalledBytes += installed;
      add("pip install: " + std::to_string(plan.packages.size()) + " distributions", installed, Category::PythonPackages);
      le.reason += plan.model.empty() ? "" : plan.model + ". ";
      le.source = "wheel catalogue (public uv.lock files) and measured installed/compressed ratios";
    }
    const bool noCache = o.has("no-cache-dir") || o.has("no-cache") || envDisablesPipCache(st) || cacheGoneInRun;
    if (!noCache && !usesWheelFiles) {
      add("pip cache (/root/.cache/pip)", Range{download * 9 / 10, download, download * 12 / 10}, Category::Caches);
      le.notes.push_back("pip keeps downloaded and built wheels in /root/.cache/pip: use --no-cache-dir or a cache mount");
    } else if (!noCache && usesWheelFiles) {
      // local wheels: pip caches nothing to download
    }
  }

  void copyLayer(const dockerfile::Stage& st, const dockerfile::Step& step, StageState& s, std::vector<StageState>& states,
                 LayerEstimate& le, VariantEstimate& out) {
    (void)st;
    Range total;
    if (step.copyFromStage >= 0) {
      const auto& from = states[step.copyFromStage];
      for (const auto& src : step.sources) {
        bool matched = false;
        for (const auto& [dir, r] : from.wheelDirs) {
          if (hasPrefixPath(src, dir) || hasPrefixPath(dir, src)) {
            total += r;
            s.copiedWheels[step.destination] = from.wheelDirPackages.at(dir);
            le.category = Category::WheelsCopied;
            le.reason = "the wheels built in stage " + std::to_string(step.copyFromStage) + " (" + dir + ")";
            matched = true;
          }
        }
        if (!matched && (src.find("venv") != std::string::npos || src.find("site-packages") != std::string::npos ||
                         src.find("/install") != std::string::npos || src.find("/usr/local") != std::string::npos)) {
          total += from.pipInstalledBytes;
          s.pipInstalled.insert(s.pipInstalled.end(), from.pipInstalled.begin(), from.pipInstalled.end());
          le.category = Category::PythonPackages;
          le.reason = "the Python packages installed in stage " + std::to_string(step.copyFromStage) + " (" + src + ")";
          matched = true;
        }
        if (!matched) out.unknowns.push_back("COPY --from=" + step.copyFrom + " " + src + ": size of what is copied not known");
      }
      le.disk = total;
      le.compressed = scale(total, 0.9, 1.0, 1.05);
      le.source = "estimate of the builder stage";
      return;
    }
    if (!step.copyFrom.empty()) {
      out.unknowns.push_back("COPY --from=" + step.copyFrom + " (external image): size not known");
      le.reason = "files from the external image " + step.copyFrom + ": size not known";
      le.source = "none";
      return;
    }
    std::uint64_t bytes = 0;
    for (const auto& h : step.heredocs) bytes += h.body().size();
    bool onlyReqs = true;
    for (const auto& src : step.sources) {
      if (!step.heredocs.empty() && std::any_of(step.heredocs.begin(), step.heredocs.end(), [&](const auto& h) { return src == "<<" + h.name || src.find(h.name) != std::string::npos; }))
        continue;
      if (src.rfind("http://", 0) == 0 || src.rfind("https://", 0) == 0 || src.rfind("git@", 0) == 0) {
        out.unknowns.push_back("ADD " + src + ": remote size not known");
        continue;
      }
      auto base = src.substr(src.rfind('/') == std::string::npos ? 0 : src.rfind('/') + 1);
      if (!(base.rfind("requirements", 0) == 0 || base == "pyproject.toml" || base == "uv.lock" || base == "poetry.lock")) onlyReqs = false;
      if (in_.context) bytes += in_.context->bytesFor(src);
    }
    le.disk = Range{bytes, bytes, bytes};
    le.compressed = scale(le.disk, 0.2, 0.4, 1.0);
    le.category = Category::AppCode;
    le.reason = onlyReqs ? "dependency files from the build context" : "files from the build context after .dockerignore";
    le.source = in_.context ? "the project folder on disk (" + std::to_string(in_.context->files.size()) + " files)" : "no project folder: not measured";
    if (!in_.context) out.unknowns.push_back("COPY at line " + std::to_string(step.startLine) + ": no project folder to measure");
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
            out.warmNote = "a source-only change rebuilds from line " + std::to_string(l.line) + " (" + l.instruction.substr(0, 60) + ")";
        }
        if (invalid) out.buildSecondsWarm += l.seconds;
      }
    }
  }

  std::map<std::string, std::vector<PythonPackage>> boundWheels_;
};

}  // namespace

VariantEstimate estimateModel(const dockerfile::Model& model, const Inputs& in) { return Estimator(model, in).run(); }

}  // namespace slimbench::estimate
