#include "estimate/pip_planner.h"

#include <regex>

#include <nlohmann/json.hpp>

#include "util/jsontext.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "python/project.h"
#include "python/requirements.h"
#include "python/version.h"

namespace slimbench::estimate {
namespace fs = std::filesystem;

namespace {
RatioModel ratio(const nlohmann::json& j) {
  return {jNum(j, "p25", 0.0), jNum(j, "median", 0.0), jNum(j, "p75", 0.0)};
}
std::vector<std::string> strings(const nlohmann::json& j, const char* key) {
  std::vector<std::string> v;
  if (j.contains(key) && j[key].is_array())
    for (const auto& x : j[key])
      if (x.is_string()) v.push_back(x.get<std::string>());
  return v;
}
std::string formatRatio(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", r);
  return buf;
}
bool isPure(const python::Selection& s) {
  return s.kind == python::Selection::Wheel && s.wheel.filename.find("-none-any.whl") != std::string::npos;
}
}  // namespace

Result<PipPlannerImpl> PipPlannerImpl::create(python::Catalogue catalogue, std::string_view installedModelJson,
                                              std::string_view knowledgeJson) {
  PipPlannerImpl p;
  p.catalogue_ = std::move(catalogue);
  auto m = nlohmann::json::parse(installedModelJson.begin(), installedModelJson.end(), nullptr, false);
  if (m.is_discarded() || !m.contains("installed_over_compressed")) {
    Diagnostic d;
    d.where.file = "catalogue/installed-size-model.json";
    d.message = "expected installed_over_compressed ratios";
    return d;
  }
  p.compiled_ = ratio(m["installed_over_compressed"]["linux_compiled"]);
  p.pure_ = ratio(m["installed_over_compressed"]["pure_python"]);
  p.pycCompiled_ = ratio(m["bytecode_over_installed"]["compiled"]);
  p.pycPure_ = ratio(m["bytecode_over_installed"]["pure_python"]);
  {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "installed size = download size × measured installed/compressed ratio (compiled %.2f, pure %.2f; "
                  "range p25–p75) × (1 + bytecode pip compiles: compiled +%.0f%%, pure +%.0f%%)",
                  p.compiled_.mid, p.pure_.mid, p.pycCompiled_.mid * 100, p.pycPure_.mid * 100);
    p.model_ = SharedText(std::string(buf));
  }
  p.ratioSource_ = jStr(m.contains("about") ? m["about"] : m, "source", "installed-size-model.json");
  if (m.contains("measured_wheels") && m["measured_wheels"].is_object() && m["measured_wheels"].contains("wheels") &&
      m["measured_wheels"]["wheels"].is_object())
    for (const auto& item : m["measured_wheels"]["wheels"].items()) {
      if (!item.value().is_array()) continue;
      for (const auto& row : item.value()) {
        if (!row.is_array() || row.size() < 6 || !row[0].is_string() || !row[1].is_string() || !row[2].is_number_unsigned() ||
            !row[3].is_number_unsigned() || !row[4].is_number_unsigned() || !row[5].is_string())
          continue;
        MeasuredWheel w{row[0].get<std::string>(), row[1].get<std::string>(), row[2].get<std::uint64_t>(),
                        row[3].get<std::uint64_t>(), row[4].get<std::uint64_t>(), row[5].get<std::string>()};
        if (w.installed == 0 || w.compressed == 0 || w.native > w.installed) continue;
        p.measured_[python::normalizeName(item.key())].push_back(std::move(w));
      }
    }
  auto k = nlohmann::json::parse(knowledgeJson.begin(), knowledgeJson.end(), nullptr, false);
  if (!k.is_discarded() && k.contains("packages")) {
    for (const auto& [name, e] : k["packages"].items()) {
      Knowledge kn;
      if (e.contains("debian")) {
        kn.debBuild = strings(e["debian"], "build");
        kn.debRun = strings(e["debian"], "run");
      }
      if (e.contains("alpine")) {
        kn.apkBuild = strings(e["alpine"], "build");
        kn.apkRun = strings(e["alpine"], "run");
      }
      p.knowledge_[python::normalizeName(name)] = kn;
    }
  }
  if (!k.is_discarded() && k.contains("compile_times")) {
    for (const auto& r : k["compile_times"]) {
      if (!r.contains("minutes") || !r["minutes"].is_number()) continue;
      CompileRecord c;
      for (const auto& n : strings(r, "packages")) c.packages.push_back(python::normalizeName(n));
      std::string plat = jStr(r, "platform");
      c.musl = plat.find("alpine") != std::string::npos || plat.find("musl") != std::string::npos;
      c.minutes = r["minutes"].get<double>();
      c.low = r.contains("minutes_low") && r["minutes_low"].is_number() ? r["minutes_low"].get<double>() : c.minutes;
      c.high = r.contains("minutes_high") && r["minutes_high"].is_number() ? r["minutes_high"].get<double>() : c.minutes;
      if (r.contains("source") && r["source"].is_object())
        c.source = jStr(r["source"], "title") + " " + jStr(r["source"], "url");
      p.compileTimes_.push_back(c);
    }
  }
  return p;
}

bool PipPlannerImpl::hasMusllinuxWheel(const std::string& name, const std::string& version) const {
  for (const auto& r : catalogue_.find(name))
    if (r.version == version)
      for (const auto& w : r.wheels)
        if (w.filename.find("musllinux") != std::string::npos) return true;
  return false;
}

PipPlannerImpl PipPlannerImpl::withLock(const python::LockFile& lock) const {
  PipPlannerImpl p = *this;
  p.catalogue_.merge(python::Catalogue::fromLock(lock));
  for (const auto& lp : lock.packages) p.pinned_[python::normalizeName(lp.name)] = lp.version;
  p.lockFile_ = lock.file;
  // torch from the PyTorch index (download.pytorch.org, or its local labels +cpu, +cu126, +rocm6.2):
  // its own builds, whose dependencies and sizes are not PyPI's CUDA build's.
  static const std::regex label(R"(.*\+(cpu|cu[0-9]+|rocm[0-9.]*)(\..*)?)");
  for (const auto& lp : lock.packages) {
    const std::string n = python::normalizeName(lp.name);
    if ((n == "torch" || n == "torchvision" || n == "torchaudio") &&
        (lp.source.find("download.pytorch.org") != std::string::npos || std::regex_match(lp.version, label))) {
      p.torchIndexBuild_ = n + " " + lp.version + " in " + lock.file;
      break;
    }
  }
  return p;
}

void PipPlannerImpl::compileMinutes(const std::string& name, bool musl, double& lo, double& hi, std::string& source) const {
  lo = hi = 0;
  bool found = false;
  // Prefer records about this package alone; else share a combined record evenly (stated model).
  for (int pass = 0; pass < 2 && !found; ++pass) {
    for (const auto& c : compileTimes_) {
      if (c.musl != musl) continue;
      if (std::find(c.packages.begin(), c.packages.end(), name) == c.packages.end()) continue;
      if (pass == 0 && c.packages.size() != 1) continue;
      double share = static_cast<double>(c.packages.size());
      double l = c.low / share, h = c.high / share;
      lo = found ? std::min(lo, l) : l;
      hi = found ? std::max(hi, h) : h;
      source += (source.empty() ? "" : "; ") + c.source + (pass == 1 ? " (combined figure split evenly)" : "");
      found = true;
    }
  }
}

python::Resolution PipPlannerImpl::resolveFiles(const PipRequest& req, const std::string& projectDir,
                                                std::vector<std::string>& errors, std::vector<python::Requirement>& reqs,
                                                std::string& torchIndex) const {
  bool projectAdded = false;
  for (const auto& f : req.requirementFiles) {
    fs::path p = fs::path(f).is_absolute() ? fs::path(projectDir) / fs::path(f).filename() : fs::path(projectDir) / f;
    std::error_code ec;
    if (!fs::exists(p, ec) && !projectAdded && fs::is_regular_file(fs::path(projectDir) / "pyproject.toml", ec)) {
      // Not in the build context: made during the build (uv export, poetry export) from the project.
      auto proj = python::loadProject(projectDir);
      if (!proj.torchIndex.empty()) torchIndex = proj.torchIndex + " in " + (fs::path(projectDir) / "pyproject.toml").string();
      for (const auto& e : proj.errors) errors.push_back(e.format());
      for (auto& r : proj.requirements)
        if (r.group.empty() && !r.constraint && !r.editable && r.url.empty()) reqs.push_back(r);
      projectAdded = true;
      continue;
    }
    if (p.filename() == "pyproject.toml") {
      // uv pip install -r pyproject.toml: the project's [project] dependencies (its extras and
      // groups only when asked for, which this request does not carry).
      auto proj = python::parsePyproject(p.string());
      for (const auto& e : proj.errors) errors.push_back(e.format());
      for (auto& r : proj.requirements)
        if (r.group.empty() && !r.constraint) reqs.push_back(r);
      continue;
    }
    auto rf = python::parseRequirementsFile(p.string());
    for (const auto& e : rf.errors) errors.push_back(e.format());
    for (auto& r : rf.requirements)
      if (!r.constraint) reqs.push_back(r);
  }
  // The project folder itself, with extras as written (`.`, `.[all]`, `'.[dev,test]'`, `./`).
  std::set<std::string> projectExtras;
  bool project = req.fromProject;
  auto projectSpec = [](const std::string& spec, std::set<std::string>* extras) {
    const std::string p = dockerfile::unquoted(spec);
    const auto open = p.find('[');
    const std::string base = p.substr(0, open);
    if (base != "." && base != "./") return false;
    if (extras && open != std::string::npos) {
      std::string cur;
      for (char ch : p.substr(open + 1)) {
        if (ch == ',' || ch == ']') {
          if (!cur.empty()) extras->insert(python::normalizeName(cur));
          cur.clear();
        } else if (ch != ' ') {
          cur += ch;
        }
      }
    }
    return true;
  };
  for (const auto& spec : req.packages) project = projectSpec(spec, &projectExtras) || project;
  for (const auto& e0 : req.projectExtras) {
    if (!e0.empty() && e0[0] == '*') {
      projectExtras.insert(e0);
      continue;
    }
    const bool without = !e0.empty() && e0[0] == '-';
    const std::string e = without ? e0.substr(1) : e0;
    projectExtras.insert((without ? "-" : "") + (e.rfind("group:", 0) == 0 ? "group:" + python::normalizeName(e.substr(6)) : python::normalizeName(e)));
  }
  if (project) {
    // pyproject.toml dependencies (or the lock's) of the project folder, and those of the extras asked
    // for: what pip reads installing the folder (not a requirements.txt beside it).
    std::error_code ec;
    const fs::path dir = req.projectSubdir.empty() ? fs::path(projectDir) : fs::path(projectDir) / req.projectSubdir;
    const fs::path pyproject = dir / "pyproject.toml";
    auto proj = python::loadProject(fs::is_regular_file(pyproject, ec) ? pyproject.string() : dir.string());
    if (!proj.torchIndex.empty()) torchIndex = proj.torchIndex + " in " + pyproject.string();
    for (const auto& e : proj.errors) errors.push_back(e.format());
    const std::set<std::string> optional(proj.optionalGroups.begin(), proj.optionalGroups.end());
    for (auto& r : proj.requirements) {
      const std::string g = python::normalizeName(r.group);
      const bool group = g.rfind("group:", 0) == 0;
      bool wanted = g.empty() ? !projectExtras.count("*no-main")
                              : projectExtras.count(g) || (!group && projectExtras.count("*all-extras")) ||
                                    (group && projectExtras.count("*all-groups")) ||
                                    (group && projectExtras.count("*default-groups") && !optional.count(g.substr(6)));
      if (!g.empty() && projectExtras.count("-" + g)) wanted = false;
      if (wanted && !r.constraint && !r.editable && r.url.empty()) reqs.push_back(r);
    }
  }
  for (const auto& spec : req.packages) {
    if (projectSpec(spec, nullptr) || spec.rfind("./", 0) == 0 || spec.rfind("/", 0) == 0 || spec.find(".whl") != std::string::npos) continue;
    if (spec.find('$') != std::string::npos) {  // a variable with no value here ($EXTRA_FLAGS, $(cat list))
      errors.push_back(spec + ": a word the shell computes at build time (no value known here): what it installs is not known");
      continue;
    }
    auto r = python::parseRequirement(spec);
    if (r) reqs.push_back(*r);
    else errors.push_back(spec + ": " + r.error().message);
  }
  python::Target t;
  t.python = req.python;
  t.setPlatform("linux/" + req.arch);
  t.libc = req.musl ? python::Libc::Musl : python::Libc::Glibc;
  t.libcVersion = req.musl ? "1.2" : "2.36";
  t.musllinuxWheels = !req.wheelsBeforeMusllinux;
  python::ResolveOptions ro;
  ro.pinned = pinned_;
  ro.debian = debian_ ? &*debian_ : nullptr;
  ro.debianSuite = req.suite;
  return python::resolve(reqs, t, catalogue_, ro);
}

const PipPlannerImpl::MeasuredWheel* PipPlannerImpl::measuredFor(const std::string& name, const std::string& version,
                                                                  const std::string& filename) const {
  auto it = measured_.find(python::normalizeName(name));
  if (it == measured_.end()) return nullptr;
  auto pureFile = [](const std::string& f) { return f.find("-none-any.whl") != std::string::npos; };
  const bool pure = pureFile(filename);
  const auto asked = python::Version::parse(version);
  const MeasuredWheel* best = nullptr;
  int bestRank = 4;
  std::optional<python::Version> bestVersion;
  for (const auto& w : it->second) {
    if (w.filename == filename) return &w;
    if (pureFile(w.filename) != pure) continue;
    const auto v = python::Version::parse(w.version);
    // Same version first, then the newest measured one not above the asked, then the oldest above it.
    int rank = 3;
    if (asked && v) rank = *v == *asked ? 0 : *v < *asked ? 1 : 2;
    const bool better = rank < bestRank ||
                        (rank == bestRank && v && bestVersion && (rank == 1 ? *bestVersion < *v : rank == 2 && *v < *bestVersion));
    if (better) {
      best = &w;
      bestRank = rank;
      bestVersion = v ? std::optional<python::Version>(*v) : std::nullopt;
    }
  }
  return best;
}

PipPlan PipPlannerImpl::plan(const PipRequest& req, const std::string& projectDir) const {
  PipPlan out;
  std::vector<std::string> errors;
  std::vector<python::Requirement> reqs;
  std::string projectTorch;
  auto res = resolveFiles(req, projectDir, errors, reqs, projectTorch);
  for (const auto& e : errors) out.unknown.push_back(e);
  python::Target t;
  t.python = req.python;
  t.setPlatform("linux/" + req.arch);
  t.libc = req.musl ? python::Libc::Musl : python::Libc::Glibc;
  t.libcVersion = req.musl ? "1.2" : "2.36";
  t.musllinuxWheels = !req.wheelsBeforeMusllinux;
  auto add = [&](const std::string& name, const std::string& version, const python::Selection& sel, const std::string& why) {
    PythonPackage p;
    p.name = name;
    p.version = version;
    p.distribution = sel.distribution();
    p.reason = why.empty() ? sel.reason : why + "; " + sel.reason;
    if (req.musl && req.wheelsBeforeMusllinux && sel.kind == python::Selection::Sdist && hasMusllinuxWheel(name, version))
      p.reason = "wheels as before musllinux (PEP 656, 2021): its musllinux wheel is treated as absent, as pip on Alpine "
                 "could not use one then; " + p.reason;
    if (sel.kind == python::Selection::None) {
      out.unknown.push_back(name + " " + version + ": no file pip could install on this target (" + sel.reason + ")");
      return;
    }
    const std::uint64_t size = sel.size > 0 ? static_cast<std::uint64_t>(sel.size) : 0;
    p.downloadBytes = size;
    const bool pure = isPure(sel);
    const RatioModel& r = pure ? pure_ : compiled_;
    const RatioModel& pyc = pure ? pycPure_ : pycCompiled_;
    if (sel.kind == python::Selection::Sdist) {
      // Built from source: the built wheel's size is not known; the sdist is used as the
      // compressed size (a stated proxy), with the compiled-wheel ratios.
      p.compiles = true;
      compileMinutes(python::normalizeName(name), req.musl, p.compileMinutesLow, p.compileMinutesHigh, p.compileSource);
      if (p.compileSource.empty())
        out.timeUnknown.push_back("compile time of " + name + " on " + (req.musl ? "musl" : "glibc") + " (no published figure)");
    }
    const double bytecode = req.bytecode ? 1.0 : 0.0;
    auto inst = [&](double ratioV, double pycV) {
      return static_cast<std::uint64_t>(static_cast<double>(size) * ratioV * (1.0 + bytecode * pycV));
    };
    p.installed = {inst(r.low, pyc.low), inst(r.mid, pyc.mid), inst(r.high, pyc.high)};
    p.unpacked = {inst(r.low, 0), inst(r.mid, 0), inst(r.high, 0)};
    // A wheel of this package whose installed size was measured: the same wheel's RECORD sum, or
    // its ratio for another version (with the catalogue-wide spread around it); the bytecode pip
    // compiles comes from its Python files only, not from the native libraries it bundles.
    if (const MeasuredWheel* mw = sel.kind == python::Selection::Wheel && size > 0 ? measuredFor(name, version, sel.wheel.filename) : nullptr) {
      const double mRatio = static_cast<double>(mw->installed) / static_cast<double>(mw->compressed);
      const double nativeShare = static_cast<double>(mw->native) / static_cast<double>(mw->installed);
      const bool same = mw->filename == sel.wheel.filename;
      auto at = [&](double spread, double pycV) {
        const double files = same ? static_cast<double>(mw->installed) : static_cast<double>(size) * mRatio * spread;
        return static_cast<std::uint64_t>(files * (1.0 + bytecode * (1.0 - nativeShare) * pycV));
      };
      const double lo = r.mid > 0 ? r.low / r.mid : 1.0, hi = r.mid > 0 ? r.high / r.mid : 1.0;
      p.installed = {at(lo, pycPure_.low), at(1.0, pycPure_.mid), at(hi, pycPure_.high)};
      p.unpacked = {at(lo, 0), at(1.0, 0), at(hi, 0)};
      char buf[160];
      std::snprintf(buf, sizeof buf, "%.1f MB installed, %.0f%% of it native libraries", static_cast<double>(mw->installed) / 1e6,
                    nativeShare * 100);
      p.reason += same ? std::string("; installed size measured for this wheel (") + buf + ": RECORD of " + mw->source + ")"
                       : "; installed/compressed ratio " + formatRatio(mRatio) + " measured for " + mw->filename + " (" + buf +
                             ": RECORD of " + mw->source + "), not the median of all wheels";
      if (req.bytecode) p.reason += "; bytecode only for its Python files";
    }
    out.packages.push_back(p);
  };
  // No wheel data, Debian's package stands in: its Installed-Size (KiB) plus the bytecode pip
  // would compile (Debian ships no .pyc), at the measured pure/compiled ratio.
  auto addDebian = [&](const python::ResolvedPackage& rp) {
    const auto& b = *rp.debian;
    PythonPackage p;
    p.name = rp.name;
    p.version = rp.version;
    p.distribution = rp.debianPackage + " " + b.version + " (Debian " + b.suite + "/" + b.arch + ")";
    const RatioModel& pyc = b.archAll ? pycPure_ : pycCompiled_;
    const double bytes = static_cast<double>(std::max<std::int64_t>(b.installedKiB, 0)) * 1024.0;
    auto inst = [&](double pycV) { return static_cast<std::uint64_t>(bytes * (1.0 + (req.bytecode ? pycV : 0.0))); };
    p.installed = {inst(pyc.low), inst(pyc.mid), inst(pyc.high)};
    p.unpacked = Range::exact(inst(0));
    // The .deb stands in for the download pip would cache.
    p.downloadBytes = b.debBytes > 0 ? static_cast<std::uint64_t>(b.debBytes) : 0;
    char buf[96];
    std::snprintf(buf, sizeof buf, " + bytecode pip compiles (%s +%.0f%%)", b.archAll ? "pure" : "compiled", pyc.mid * 100);
    if (!req.bytecode) std::snprintf(buf, sizeof buf, " (no bytecode compiled at install)");
    p.reason = rp.note + " (Installed-Size " + std::to_string(b.installedKiB) + " KiB, " + b.suite + "/" + b.arch + ")" + buf +
               (b.archAll ? "" : "; a compiled project: libraries a manylinux wheel bundles are separate Debian packages, not counted");
    out.packages.push_back(p);
  };
  for (const auto& rp : res.packages) {
    if (rp.debian) addDebian(rp);
    else add(rp.name, rp.version, rp.distribution, "");
  }
  for (const auto& pr : res.proxies) out.proxies.push_back(pr);
  // Requirements whose pinned version is not catalogued: resolve them again without
  // their version specifier, so the catalogued release stands in as a proxy and its
  // dependencies are followed too (stated in unknowns).
  std::vector<python::Requirement> relaxed;
  std::map<std::string, std::string> asked;  // normalised name -> specifier of the uncatalogued pin
  std::map<std::string, std::string> nearest;  // normalised name -> catalogued version nearest to the pin
  std::set<std::string> have;
  for (const auto& p : out.packages) have.insert(python::normalizeName(p.name));
  for (const auto& u : res.unknowns) {
    const auto& rel = catalogue_.find(u.name);
    if (rel.empty() || !u.requiredBy.empty()) {
      out.unknown.push_back(u.name + ": " + u.reason + (u.requiredBy.empty() ? "" : " (required by " + u.requiredBy + ")"));
      continue;
    }
    for (const auto& r : reqs)
      if (python::normalizeName(r.name) == python::normalizeName(u.name)) {
        python::Requirement x = r;
        x.specifier = python::SpecifierSet();
        relaxed.push_back(x);
        asked[python::normalizeName(u.name)] = r.specifier.str();
        // A pinned version the catalogue lacks: the nearest catalogued version stands in (in the
        // pin's major.minor series when there is one: the newest not above the pin, else the
        // oldest above it; the same rule over all versions otherwise); other specifiers: the newest.
        for (const auto& c : r.specifier.specifiers) {
          auto want = python::Version::parse(c.version);
          if ((c.op != "==" && c.op != "===") || c.wildcard || !want) continue;
          auto series = [](const python::Version& v) {
            return std::make_pair(v.release.at(0), v.release.size() > 1 ? v.release[1] : std::uint64_t(0));
          };
          for (bool sameSeries : {true, false}) {
            const python::CatalogueRelease* below = nullptr;
            const python::CatalogueRelease* above = nullptr;
            for (const auto& cr : rel) {  // newest first
              auto v = python::Version::parse(cr.version);
              if (!v || (sameSeries && series(*v) != series(*want))) continue;
              if (!(*want < *v)) {
                if (!below) below = &cr;
              } else {
                above = &cr;
              }
            }
            if (const auto* n = below ? below : above) {
              nearest[python::normalizeName(u.name)] = n->version;
              break;
            }
          }
          break;
        }
        break;
      }
  }
  if (!relaxed.empty()) {
    python::ResolveOptions ro;
    ro.pinned = pinned_;
    for (const auto& [n, v] : nearest) ro.pinned[n] = v;
    ro.debian = debian_ ? &*debian_ : nullptr;
    ro.debianSuite = req.suite;
    auto proxy = python::resolve(relaxed, t, catalogue_, ro);
    for (const auto& rp : proxy.packages) {
      if (have.count(python::normalizeName(rp.name))) continue;
      have.insert(python::normalizeName(rp.name));
      if (rp.debian) addDebian(rp);
      else add(rp.name, rp.version, rp.distribution, rp.requiredBy.empty() ? "proxy for an uncatalogued pin" : "");
      auto a = asked.find(python::normalizeName(rp.name));
      if (a != asked.end() && !out.packages.empty() && python::normalizeName(out.packages.back().name) == a->first) {
        out.packages.back().asked = a->second;
        out.proxies.push_back(rp.name + ": asked " + a->second + ", sized as " + rp.version +
                              (nearest.count(a->first) ? " (the nearest catalogued version)" : " (the newest catalogued version)"));
      }
    }
    for (const auto& pr : proxy.proxies)
      if (std::find(out.proxies.begin(), out.proxies.end(), pr) == out.proxies.end()) out.proxies.push_back(pr);
    for (const auto& u : proxy.unknowns)
      if (!have.count(python::normalizeName(u.name))) out.unknown.push_back(u.name + ": " + u.reason);
  }
  // Sizes the user gave stand in for what stays unknown.
  if (!req.givenSizes.empty()) {
    std::vector<std::string> still;
    for (const auto& u : out.unknown) {
      const std::string name = u.substr(0, u.find_first_of(" :[=<>!~;@("));
      auto it = req.givenSizes.find(python::normalizeName(name));
      if (name.empty() || it == req.givenSizes.end() ||
          std::any_of(out.packages.begin(), out.packages.end(), [&](const PythonPackage& p) { return python::normalizeName(p.name) == it->first; })) {
        still.push_back(u);
        continue;
      }
      PythonPackage p;
      p.name = name;
      p.distribution = "given by you";
      p.installed = Range::exact(it->second);
      p.unpacked = p.installed;  // the user's figure: whatever it includes
      p.reason = "installed size given by you (" + formatMB(it->second) + "); slimbench's catalogue: " + u.substr(name.size() + (u.size() > name.size() + 1 ? 2 : 0));
      out.packages.push_back(std::move(p));
      out.given.push_back(name + ": " + formatMB(it->second) + ", given by you");
    }
    out.unknown = std::move(still);
  }
  out.model = model_;
  const std::string& torch = !torchIndexBuild_.empty() ? torchIndexBuild_ : projectTorch;
  if (!torch.empty() && std::any_of(out.packages.begin(), out.packages.end(), [](const PythonPackage& p) {
        const std::string n = python::normalizeName(p.name);
        return n == "torch" || n == "torchvision" || n == "torchaudio";
      }))
    out.torchIndexBuild = torch;
  return out;
}

generate::SystemNeeds PipPlannerImpl::needs(const std::vector<std::string>& requirementFiles, const std::string& projectDir,
                                            const std::string& python, const std::string& arch, bool wheelsBeforeMusllinux) const {
  generate::SystemNeeds n;
  for (bool musl : {false, true}) {
    PipRequest req;
    req.requirementFiles = requirementFiles;
    req.musl = musl;
    req.wheelsBeforeMusllinux = wheelsBeforeMusllinux;
    req.python = python;
    req.arch = arch;
    auto p = plan(req, projectDir);
    for (const auto& pkg : p.packages) {
      auto it = knowledge_.find(python::normalizeName(pkg.name));
      if (musl) {
        if (pkg.compiles) {
          n.alpineCompiles = true;
          if (it != knowledge_.end()) {
            n.alpineBuild.insert(n.alpineBuild.end(), it->second.apkBuild.begin(), it->second.apkBuild.end());
            n.alpineRun.insert(n.alpineRun.end(), it->second.apkRun.begin(), it->second.apkRun.end());
          }
        }
      } else if (pkg.compiles) {
        n.debianCompiles = true;
        if (it != knowledge_.end()) {
          n.debianBuild.insert(n.debianBuild.end(), it->second.debBuild.begin(), it->second.debBuild.end());
          n.debianRun.insert(n.debianRun.end(), it->second.debRun.begin(), it->second.debRun.end());
        }
      }
    }
  }
  // Build lists need not repeat what build-essential/build-base already bring.
  auto drop = [](std::vector<std::string>& v, std::set<std::string> known) {
    v.erase(std::remove_if(v.begin(), v.end(), [&](const std::string& x) { return known.count(x) > 0; }), v.end());
  };
  drop(n.debianBuild, {"gcc", "g++", "make", "libc6-dev", "build-essential"});
  drop(n.alpineBuild, {"gcc", "g++", "make", "musl-dev", "libc-dev", "build-base"});
  return n;
}

}  // namespace slimbench::estimate
