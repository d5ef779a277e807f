#include "catalogue/system_packages.h"

#include <nlohmann/json.hpp>

#include "util/jsontext.h"

#include <algorithm>
#include <cstdlib>
#include <deque>

namespace slimbench::catalogue {

namespace {
Diagnostic fail(const std::string& name, const std::string& msg) { return errorAt(name, msg); }
bool endsWith(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}
}  // namespace

bool isBuildToolPackage(const std::string& n) {
  static const std::set<std::string> tools = {"gcc", "g++", "build-essential", "build-base", "make", "cmake",
                                              "musl-dev", "libc6-dev", "libc-dev", "rust", "rustc", "cargo",
                                              "gfortran", "clang", "binutils", "cpp", "autoconf", "automake",
                                              "libtool", "pkg-config", "pkgconf", "linux-headers", "python3-dev"};
  if (tools.count(n)) return true;
  if (endsWith(n, "-dev") || endsWith(n, "-devel")) return true;
  if (n.rfind("gcc-", 0) == 0 || n.rfind("g++-", 0) == 0 || n.rfind("cpp-", 0) == 0) return true;
  return false;
}

Result<DebianCatalogue> DebianCatalogue::fromJson(std::string_view text, std::string_view excludes, const std::string& name) {
  DebianCatalogue c;
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("packages"))
    return fail(name, "not a Debian catalogue: expected an object with \"packages\"");
  c.suite = jStr(j.contains("about") ? j["about"] : j, "suite");
  c.arch = jStr(j.contains("about") ? j["about"] : j, "arch");
  c.releaseDate = jStr(j.contains("about") ? j["about"] : j, "release_date");
  c.source = jStr(j.contains("about") ? j["about"] : j, "source");
  for (const auto& [n, p] : j["packages"].items()) {
    Pkg k;
    k.installedKiB = jU64(p, "is");
    k.debBytes = jU64(p, "sz");
    if (p.contains("dep")) k.deps = p["dep"].get<std::vector<std::string>>();
    if (p.contains("alt"))
      for (const auto& [a, others] : p["alt"].items()) k.alternatives[a] = others.get<std::vector<std::string>>();
    if (p.contains("rec") && p["rec"].is_array()) k.recs = p["rec"].get<std::vector<std::string>>();
    if (p.contains("ralt") && p["ralt"].is_object())
      for (const auto& [a, others] : p["ralt"].items()) k.recAlternatives[a] = others.get<std::vector<std::string>>();
    k.version = jStr(p, "v");
    c.pkgs_[n] = std::move(k);
  }
  if (j.contains("provides"))
    for (const auto& [v, list] : j["provides"].items()) c.provides_[v] = list.get<std::vector<std::string>>();
  if (j.contains("bases"))
    for (const auto& [k, b] : j["bases"].items()) {
      if (!b.contains("packages")) continue;
      c.bases_[k] = b["packages"].get<std::vector<std::string>>();
      if (b.contains("applies_to"))
        for (const auto& alias : b["applies_to"]) c.bases_[alias.get<std::string>()] = c.bases_[k];
      // debian:<suite> has the same package set as debian:<suite>-slim (a faithful minbase;
      // -slim only adds dpkg path-excludes): the generator records it as same_packages_as.
      if (b.contains("same_packages_as") && b["same_packages_as"].is_array())
        for (const auto& alias : b["same_packages_as"])
          if (alias.is_string() && !c.bases_.count(alias.get<std::string>())) c.bases_[alias.get<std::string>()] = c.bases_[k];
    }
  auto x = nlohmann::json::parse(excludes.begin(), excludes.end(), nullptr, false);
  if (!x.is_discarded() && x.contains("model")) {
    const auto& m = x["model"];
    std::string key = c.suite + "/" + c.arch;
    if (m.contains("by_suite") && m["by_suite"].contains(key)) {
      c.docFractionMid_ = jNum(m["by_suite"][key], "bytes_weighted", c.docFractionMid_);
    } else {
      c.docFractionMid_ = jNum(m, "doc_fraction_bytes_weighted", c.docFractionMid_);
    }
    if (m.contains("doc_fraction_quartiles") && m["doc_fraction_quartiles"].size() == 3) {
      c.docFractionLow_ = m["doc_fraction_quartiles"][0].get<double>();
      c.docFractionHigh_ = m["doc_fraction_quartiles"][2].get<double>();
    }
  }
  return c;
}

std::set<std::string> DebianCatalogue::baseSet(const std::string& key) const {
  auto it = bases_.find(key);
  if (it == bases_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<std::string> DebianCatalogue::recommends(const std::string& package) const {
  auto it = pkgs_.find(package);
  return it == pkgs_.end() ? std::vector<std::string>{} : it->second.recs;
}

std::string DebianCatalogue::distroPythonVersion(std::string* fullVersion) const {
  auto it = pkgs_.find("python3");
  if (it == pkgs_.end() || it->second.version.empty()) return {};
  std::string v = it->second.version;
  if (fullVersion) *fullVersion = v;
  if (auto colon = v.find(':'); colon != std::string::npos) v = v.substr(colon + 1);  // epoch
  // "3.11.2-1+b1" -> "3.11": major.minor of the upstream version.
  auto dot1 = v.find('.');
  if (dot1 == std::string::npos) return {};
  auto end = v.find_first_not_of("0123456789", dot1 + 1);
  std::string mm = v.substr(0, end);
  if (mm.size() <= dot1 + 1) return {};
  return mm;
}

std::string debianSuiteForUbuntu(const std::string& input, std::string& why) {
  std::string s = input;
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const char* pre : {"docker.io/library/", "docker.io/", "library/", "ubuntu:"})
    if (s.rfind(pre, 0) == 0) s = s.substr(std::string(pre).size());
  if (auto at = s.find('@'); at != std::string::npos) s = s.substr(0, at);
  // Codename or version, before any date suffix ("jammy-20240125", "22.04.5").
  std::string head = s.substr(0, s.find('-'));
  struct Rel { const char* codename; const char* version; const char* year; const char* gcc; const char* python; };
  static const Rel rels[] = {
      {"trusty", "14.04", "2014", "4.8", "3.4"},  {"xenial", "16.04", "2016", "5", "3.5"},
      {"bionic", "18.04", "2018", "7", "3.6"},    {"focal", "20.04", "2020", "9", "3.8"},
      {"jammy", "22.04", "2022", "11", "3.10"},   {"noble", "24.04", "2024", "13", "3.12"},
      {"oracular", "24.10", "2024", "14", "3.12"}, {"plucky", "25.04", "2025", "14", "3.13"},
      {"questing", "25.10", "2025", "15", "3.13"},
  };
  const Rel* r = nullptr;
  for (const auto& x : rels) {
    std::string v = x.version;
    if (head == x.codename || head == v || (head.rfind(v + ".", 0) == 0)) r = &x;
  }
  if (head == "latest" || head == "rolling") r = &rels[5];  // ubuntu:latest is the newest LTS (noble)
  if (head == "devel") r = &rels[8];
  if (!r) {
    why = "ubuntu:" + s + " is not a release slimbench knows; Ubuntu's package indexes are not reachable here, so "
          "Debian bookworm's packages stand in as a coarse proxy (sizes may differ by tens of percent)";
    return "bookworm";
  }
  const std::string name = std::string("Ubuntu ") + r->version + " (" + r->codename + ", " + r->year + ")";
  const int major = std::atoi(r->version);
  if (major >= 24) {
    why = name + " is modelled with Debian trixie: Ubuntu's package indexes are not reachable here, and trixie is the "
          "Debian release of the same generation (both imported Debian unstable of 2024 and made the 64-bit time_t "
          "(t64) library renames; gcc " + r->gcc + " vs trixie's 14, Python " + r->python +
          " vs 3.13), so package names and sizes match best; "
          "a stated proxy";
    return "trixie";
  }
  if (major >= 22) {
    why = name + " is modelled with Debian bookworm: Ubuntu's package indexes are not reachable here; " + r->codename +
          " imported its packages from Debian unstable between the bullseye (2021) and bookworm (2023) releases, "
          "bullseye is not catalogued, and bookworm shares its library names (before the t64 renames; gcc " +
          std::string(r->gcc) + " vs bookworm's 12, Python " + r->python + " vs 3.11); a stated proxy";
    return "bookworm";
  }
  why = name + " is older than every catalogued Debian release (bullseye and earlier are not catalogued): Debian "
        "bookworm stands in as a coarse proxy (gcc " + std::string(r->gcc) + " vs 12, Python " + r->python +
        " vs 3.11; package sizes of that era were somewhat smaller)";
  return "bookworm";
}

bool DebianCatalogue::has(const std::string& name) const { return pkgs_.count(name) > 0 || provides_.count(name) > 0; }

std::vector<std::string> DebianCatalogue::depends(const std::string& name) const {
  auto it = pkgs_.find(name);
  if (it == pkgs_.end()) {
    auto pv = provides_.find(name);
    if (pv == provides_.end() || pv->second.empty()) return {};
    it = pkgs_.find(pv->second.front());
    if (it == pkgs_.end()) return {};
  }
  return it->second.deps;
}

std::vector<std::string> DebianCatalogue::runtimeLibrariesOf(const std::string& devPackage) const {
  std::vector<std::string> libs;
  if (!endsWith(devPackage, "-dev")) return libs;  // compilers and tools have no runtime library
  // The C library's and the kernel's headers: their libraries are in every image already.
  static const std::set<std::string> toolchain = {"libc6-dev", "libc-dev", "linux-libc-dev", "libcrypt-dev", "libnsl-dev",
                                                  "libtirpc-dev", "libgcc-12-dev", "libstdc++-12-dev", "libgcc-14-dev", "libstdc++-14-dev"};
  if (toolchain.count(devPackage)) return libs;
  const std::string stem = devPackage.substr(0, devPackage.size() - 4);  // zlib1g-dev → zlib1g
  std::set<std::string> seen{devPackage};
  std::vector<std::string> level{devPackage};
  for (int depth = 0; depth < 4 && libs.empty() && !level.empty(); ++depth) {
    std::vector<std::string> next;
    for (const auto& pkg : level)
      for (const auto& d : depends(pkg)) {
        if (!seen.insert(d).second) continue;
        const bool dev = d.find("dev") != std::string::npos;
        if (dev) next.push_back(d);
        else if ((d.rfind("lib", 0) == 0 || d.rfind(stem, 0) == 0) && !isBuildToolPackage(d) && d != "libc6") libs.push_back(d);
      }
    level = std::move(next);
  }
  return libs;
}

InstallCost DebianCatalogue::install(const std::vector<std::string>& requested, std::set<std::string>& installed,
                                     bool slim, bool withRecommends) const {
  InstallCost cost;
  std::uint64_t kib = 0;
  std::deque<std::string> todo;
  auto resolve = [&](const std::string& n) -> std::string {
    if (pkgs_.count(n)) return n;
    auto it = provides_.find(n);
    if (it != provides_.end())
      for (const auto& p : it->second)
        if (pkgs_.count(p)) return p;
    return {};
  };
  for (const auto& r : requested) {
    std::string name = r.substr(0, r.find_first_of("=:"));  // pkg=version, pkg:arch
    std::string real = resolve(name);
    if (real.empty()) cost.unknown.push_back(name);
    else todo.push_back(real);
  }
  while (!todo.empty()) {
    std::string n = todo.front();
    todo.pop_front();
    if (installed.count(n)) continue;
    installed.insert(n);
    const Pkg& p = pkgs_.at(n);
    kib += p.installedKiB;
    cost.downloadBytes += p.debBytes;
    cost.added.push_back(n);
    for (const auto& d : p.deps) {
      auto alt = p.alternatives.find(d);
      if (alt != p.alternatives.end() &&
          std::any_of(alt->second.begin(), alt->second.end(), [&](const std::string& a) { return installed.count(a) > 0; }))
        continue;
      if (!installed.count(d) && pkgs_.count(d)) todo.push_back(d);
    }
    if (withRecommends)
      for (const auto& d : p.recs) {
        auto alt = p.recAlternatives.find(d);
        if (alt != p.recAlternatives.end() &&
            std::any_of(alt->second.begin(), alt->second.end(), [&](const std::string& a) { return installed.count(a) > 0; }))
          continue;
        if (!installed.count(d) && pkgs_.count(d)) todo.push_back(d);
      }
  }
  const double bytes = static_cast<double>(kib) * 1024.0;
  if (slim) {
    cost.bytesMid = static_cast<std::uint64_t>(bytes * (1.0 - docFractionMid_));
    cost.bytesLow = static_cast<std::uint64_t>(bytes * (1.0 - docFractionHigh_));
    cost.bytesHigh = static_cast<std::uint64_t>(bytes * (1.0 - docFractionLow_));
    cost.model = std::string("Installed-Size of the new packages (closure over Depends/Pre-Depends") +
                 (withRecommends ? " and Recommends" : "") + " minus the base image) × (1 − share of docs/man/locales the slim image's dpkg excludes drop; bytes-weighted " +
                 std::to_string(docFractionMid_).substr(0, 5) + ", range from the sample's quartiles)";
  } else {
    cost.bytesMid = static_cast<std::uint64_t>(bytes);
    cost.bytesLow = static_cast<std::uint64_t>(bytes * 0.97);
    cost.bytesHigh = static_cast<std::uint64_t>(bytes * 1.02);
    cost.model = std::string("Installed-Size of the new packages (closure over Depends/Pre-Depends") +
                 (withRecommends ? " and Recommends" : "") + " minus the base image); dpkg rounds each file up to KiB, so the real bytes are a little lower";
  }
  cost.source = "Debian " + suite + " " + arch + " Packages index (" + releaseDate + ")";
  return cost;
}

Result<AlpineCatalogue> AlpineCatalogue::fromJson(std::string_view text, const std::string& name) {
  AlpineCatalogue c;
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("packages"))
    return fail(name, "not an Alpine catalogue: expected an object with \"packages\"");
  for (const auto& item : j["packages"].items()) {
    const std::string n = item.key();
    const auto& p = item.value();
    Pkg k;
    auto num = [&](const char* key) -> std::uint64_t {
      return p.contains(key) && p[key].is_number() ? p[key].get<std::uint64_t>() : 0;
    };
    k.installedLow = num("installed_size");
    k.installedHigh = std::max(k.installedLow, num("installed_size_max"));
    k.download = num("download_size");
    if (p.contains("depends") && p["depends"].is_array())
      for (const auto& d : p["depends"])
        if (d.is_string()) k.deps.push_back(d.get<std::string>());
    k.depsRead = jBool(p, "depends_read", false);
    k.source = jStr(p, "source");
    c.pkgs_[n] = std::move(k);
  }
  if (j.contains("base_image") && j["base_image"].contains("packages")) {
    for (const auto& [n, _] : j["base_image"]["packages"].items()) c.base_.insert(n);
    c.baseImageSource = jStr(j["base_image"], "source");
  }
  return c;
}

std::set<std::string> AlpineCatalogue::baseSet() const { return base_; }

std::optional<Diagnostic> AlpineCatalogue::addDepends(std::string_view text, const std::string& name) {
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.contains("depends") || !j["depends"].is_object())
    return fail(name, "expected an object with \"depends\": {package: {depends: [...], source}}");
  for (const auto& item : j["depends"].items()) {
    auto it = pkgs_.find(item.key());
    if (it == pkgs_.end() || it->second.depsRead) continue;
    const auto& e = item.value();
    if (!e.contains("depends") || !e["depends"].is_array()) continue;
    it->second.deps.clear();
    for (const auto& d : e["depends"])
      if (d.is_string()) it->second.deps.push_back(d.get<std::string>());
    it->second.depsRead = true;
    it->second.source += "; depends: " + jStr(e, "source");
  }
  return std::nullopt;
}

InstallCost AlpineCatalogue::install(const std::vector<std::string>& requested, std::set<std::string>& installed) const {
  InstallCost cost;
  std::deque<std::string> todo;
  for (const auto& r : requested) {
    std::string n = r.substr(0, r.find_first_of("=<>~"));
    if (!pkgs_.count(n)) cost.unknown.push_back(n);
    else todo.push_back(n);
  }
  bool partialDeps = false;
  while (!todo.empty()) {
    std::string n = todo.front();
    todo.pop_front();
    if (installed.count(n)) continue;
    installed.insert(n);
    auto it = pkgs_.find(n);
    if (it == pkgs_.end()) {
      cost.unknown.push_back(n);
      continue;
    }
    const Pkg& p = it->second;
    cost.bytesLow += p.installedLow;
    cost.bytesHigh += p.installedHigh;
    cost.downloadBytes += p.download;
    cost.added.push_back(n);
    if (!p.depsRead) partialDeps = true;
    for (const auto& d : p.deps)
      if (!installed.count(d)) todo.push_back(d);
  }
  cost.bytesMid = (cost.bytesLow + cost.bytesHigh) / 2;
  cost.model = "installed sizes of the apk closure minus the python:X-alpine base packages";
  if (partialDeps) cost.model += "; some dependencies were not read, so the closure may be incomplete (low side)";
  if (!cost.unknown.empty()) cost.model += "; packages without a reading count as 0 and are listed as unknown";
  cost.source = "alpine-packages.json (pkgs.alpinelinux.org pages and docker-library/repo-info apk listings)";
  return cost;
}

}  // namespace slimbench::catalogue
