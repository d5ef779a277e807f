#pragma once
// What `apt-get install` / `apk add` adds to an image: the dependency closure of
// the requested packages minus what the base image already has, from Debian's
// Packages indexes (scripts/debian-catalogue.py) and Alpine readings.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostic.h"

namespace slimbench::catalogue {

struct InstallCost {
  std::uint64_t bytesLow = 0, bytesMid = 0, bytesHigh = 0;  // on disk
  std::uint64_t downloadBytes = 0;                         // .deb/.apk sizes where known
  std::vector<std::string> added;    // packages new to the image, closure order
  std::vector<std::string> unknown;  // requested or needed but not in the catalogue
  std::string model;                 // how the figure was made
  std::string source;
};

class DebianCatalogue {
 public:
  // One generated file per suite/arch, e.g. catalogue/debian/bookworm-amd64.json;
  // excludesJson is catalogue/debian/dpkg-excludes.json.
  static Result<DebianCatalogue> fromJson(std::string_view json, std::string_view excludesJson, const std::string& name);

  // Base package sets: "debian:bookworm-slim", "buildpack-deps:bookworm", "python:3.x-slim-bookworm", ...
  std::set<std::string> baseSet(const std::string& key) const;
  bool hasBase(const std::string& key) const { return bases_.count(key) > 0; }
  // Closure of `requested` on top of `installed`. slim: the image excludes docs (dpkg path-exclude).
  // withRecommends: `apt-get install` without --no-install-recommends; apt then installs the
  // Recommends of every package it newly installs (APT::Install-Recommends is applied through the
  // whole walk, not only to the requested names), so the closure follows Recommends everywhere.
  // Recommended packages that are already installed are skipped, as apt does.
  InstallCost install(const std::vector<std::string>& requested, std::set<std::string>& installed, bool slim,
                      bool withRecommends = false) const;
  // The Recommends of one package as resolved in the catalogue (empty when none or not catalogued).
  std::vector<std::string> recommends(const std::string& package) const;
  bool hasPackage(const std::string& package) const { return pkgs_.count(package) > 0; }
  // The distro Python of this suite: "3.11" for bookworm, "3.13" for trixie, read from the
  // catalogued python3 package's version (fullVersion gets e.g. "3.11.2-1+b1"). Empty when the
  // catalogue has no python3 record.
  std::string distroPythonVersion(std::string* fullVersion = nullptr) const;
  // Packages a `purge`/`remove` would take out (only the named ones; autoremove not modelled).
  std::string suite, arch, releaseDate, source;

  // Whether the index has the package (or a package that Provides it).
  bool has(const std::string& name) const;
  // Its Depends + Pre-Depends as catalogued (one package per or-group), empty when unknown.
  std::vector<std::string> depends(const std::string& name) const;
  // The shared-library packages a -dev package's headers are for: its direct dependencies that
  // are libraries (lib*, not -dev), else those of the -dev packages it depends on (libpq-dev →
  // libpq5, default-libmysqlclient-dev → libmariadb3). Empty for a package that is not catalogued.
  std::vector<std::string> runtimeLibrariesOf(const std::string& devPackage) const;

 private:
  struct Pkg {
    std::uint64_t installedKiB = 0, debBytes = 0;
    std::vector<std::string> deps;
    std::map<std::string, std::vector<std::string>> alternatives;
    std::vector<std::string> recs;                                     // Recommends ("rec")
    std::map<std::string, std::vector<std::string>> recAlternatives;  // "ralt"
    std::string version;
  };
  std::map<std::string, Pkg> pkgs_;
  std::map<std::string, std::vector<std::string>> provides_;
  std::map<std::string, std::vector<std::string>> bases_;
  double docFractionMid_ = 0.11, docFractionLow_ = 0.02, docFractionHigh_ = 0.42;
};

class AlpineCatalogue {
 public:
  static Result<AlpineCatalogue> fromJson(std::string_view json, const std::string& name);
  std::set<std::string> baseSet() const;  // packages of the catalogued python:X-alpine image
  // Adds dependency lists (catalogue/alpine-depends.json) for packages whose own were not read.
  std::optional<Diagnostic> addDepends(std::string_view json, const std::string& name);
  InstallCost install(const std::vector<std::string>& requested, std::set<std::string>& installed) const;
  std::string baseImageSource;

 private:
  struct Pkg {
    std::uint64_t installedLow = 0, installedHigh = 0, download = 0;
    std::vector<std::string> deps;
    bool depsRead = false;
    std::string source;
  };
  std::map<std::string, Pkg> pkgs_;
  std::set<std::string> base_;
};

// Ubuntu's package indexes are not reachable here, so an ubuntu:* base is modelled with the
// Debian release of the same era and toolchain generation (a stated proxy). Accepts a codename
// ("jammy"), a version ("22.04", "22.04.5") or a tag ("ubuntu:jammy-20240125", "ubuntu:22.04").
// Returns "bookworm" or "trixie" (the catalogued suites); `why` says which Debian release stands
// in and why. Unknown or older releases map to bookworm with `why` saying it is a coarse proxy.
std::string debianSuiteForUbuntu(const std::string& codenameOrVersion, std::string& why);

// True for build tools and headers: compilers, build-essential/build-base, *-dev(el), rust/cargo, gfortran.
bool isBuildToolPackage(const std::string& name);

}  // namespace slimbench::catalogue
