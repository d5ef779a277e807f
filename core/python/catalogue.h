#pragma once
// Release data per package (the embedded PyPI catalogue, or a project's own
// lock file as first-hand data) and a resolver good enough for estimation.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "python/debian_proxy.h"
#include "python/project.h"
#include "python/requirements.h"
#include "python/wheel.h"

namespace slimbench::python {

struct CatalogueDependency {
  std::string name;
  std::string marker;  // "" when none
  std::vector<std::string> extras;
};

struct CatalogueRelease : Release {
  std::optional<std::vector<CatalogueDependency>> dependencies;  // nullopt: not known
  std::map<std::string, std::vector<CatalogueDependency>> optionalDependencies;  // only the extras known
  std::string source;          // where the facts come from (repository/path@commit, or the lock file)
  bool wheelListPartial = false;
  // False when the source (a poetry.lock entry without files) says nothing about the files.
  bool fileListKnown = true;
};

class Catalogue {
 public:
  // The catalogue format written by scripts/convert-wheels.py: JSON with one package per
  // line after a `"packages": {` line. Only the lines are indexed here; a package's
  // releases are decoded the first time find() asks for it (thread-safe).
  static Result<Catalogue> fromJson(std::string_view json);
  // The same, zstd-compressed (resources/catalogue/pypi-wheels.json.zst).
  static Result<Catalogue> fromCompressed(std::string_view zstdBytes);
  // First-hand data from a lock file (its pinned packages and their files).
  static Catalogue fromLock(const LockFile& lock);

  // Adds releases; a release of the same name and version replaces the old one (keeping
  // the old file list when the new release's is not known).
  void merge(const Catalogue& other);
  void add(CatalogueRelease release);

  // Releases of name (any spelling), newest first; empty when unknown.
  const std::vector<CatalogueRelease>& find(std::string_view name) const;
  std::size_t size() const;
  std::vector<std::string> names() const;  // every package name, sorted
  std::string about;  // method/provenance text of the data
  std::string gathered;  // when the wheel lists were gathered (YYYY-MM-DD), "" when not said

  struct Store;  // the indexed catalogue text (shared by copies), decoded on demand

 private:
  static Result<Catalogue> fromText(std::string text);
  const std::vector<CatalogueRelease>* stored(std::string_view normalized) const;
  std::shared_ptr<Store> store_;
  std::map<std::string, std::vector<CatalogueRelease>, std::less<>> packages_;  // added or merged releases
};

struct ResolvedPackage {
  std::string name, version;
  std::vector<std::string> extras;
  Selection distribution;
  std::vector<std::string> requiredBy;  // "" for the user's own requirements
  std::string source;
  bool wheelListPartial = false;
  std::string note;  // why it is included when that is a guess ("" normally)
  // No wheel data: Debian's build of the project stands in (a proxy; distribution is None).
  std::optional<DebianBuild> debian;
  std::string debianPackage;  // e.g. python3-feedparser
};

struct Unknown {
  std::string name;
  std::string reason;
  std::string requiredBy;  // "" for the user's own requirements
};

// A catalogue dependency left out because its marker is false for the target.
struct SkippedDependency {
  std::string name;
  std::string marker;
  std::string requiredBy;
};

struct Resolution {
  std::vector<ResolvedPackage> packages;  // the user's requirements first, then their closure
  std::vector<Unknown> unknowns;          // never silently dropped
  // Dependencies whose every marker is false for the target (and that nothing else pulled in).
  std::vector<SkippedDependency> skippedByMarker;
  // What stands in for what, for people: "django[argon2]: dependencies of extra 'argon2' read from
  // django 6.0.7 ...", "feedparser: proxy: Debian python3-feedparser 6.0.11 ...".
  std::vector<std::string> proxies;
  const ResolvedPackage* find(std::string_view name) const;
};

struct ResolveOptions {
  GlobalOptions pip;  // --pre, --only-binary, --no-binary, --prefer-binary
  // Versions pinned by the project's own lock file (name -> version): chosen when
  // they satisfy the specifiers, instead of the newest catalogued version.
  std::map<std::string, std::string> pinned;
  // Debian's builds of PyPI projects, for names the catalogue does not hold (nullptr: none).
  const DebianProxy* debian = nullptr;
  std::string debianSuite;  // the suite to prefer ("bookworm", "trixie"; "": trixie)
};

// For each applicable requirement: the newest catalogue version satisfying its
// specifiers and the constraints, the file pip would pick, and the transitive
// closure where dependency data exists. Direct URLs, editables, unknown names
// and missing dependency data are reported in unknowns.
// A name the catalogue lacks but options.debian knows is resolved as a proxy: Debian's
// package of it (ResolvedPackage::debian), its python3 dependencies followed.
// An extra whose dependencies the chosen release does not record takes them from the
// nearest catalogued version that does, stated in proxies.
// A dependency listed several times applies when any of its markers is true. When
// all of them are false but they only split on python/platform variables (the
// resolution forks of the uv.lock the catalogue copied them from), it is included
// anyway, with a note; other false-marker dependencies go to skippedByMarker.
Resolution resolve(const std::vector<Requirement>& requirements, const Target& target, const Catalogue& catalogue,
                   const ResolveOptions& options = {});

}  // namespace slimbench::python
