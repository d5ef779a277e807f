#pragma once
// PEP 440 versions and specifiers, PEP 503 names: parsing, normalisation,
// ordering and matching exactly as the `packaging` library (and so pip) does.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostic.h"

namespace slimbench::python {

// PEP 503: lower case, runs of -, _ and . become one "-".
std::string normalizeName(std::string_view name);
// A valid PEP 508 project name (letters/digits, inner . _ -)?
bool isValidName(std::string_view name);

class Version {
 public:
  // Accepts every spelling PEP 440 normalises (v prefix, case, separators,
  // alpha/beta/c/pre/preview/rev/r, implicit post "-1", implicit numbers).
  static Result<Version> parse(std::string_view text);

  std::uint64_t epoch = 0;
  std::vector<std::uint64_t> release;               // at least one segment
  std::optional<std::pair<int, std::uint64_t>> pre;  // 0 a, 1 b, 2 rc
  std::optional<std::uint64_t> post;
  std::optional<std::uint64_t> dev;
  std::vector<std::string> local;  // lower case segments; numeric ones compare as numbers

  std::string str() const;          // the normalised form
  std::string publicStr() const;    // without the local segment
  std::string baseStr() const;      // epoch and release only
  Version publicVersion() const;    // local dropped
  Version baseVersion() const;      // epoch and release only
  bool isPrerelease() const { return pre.has_value() || dev.has_value(); }
  bool isPostrelease() const { return post.has_value(); }
  bool isLocal() const { return !local.empty(); }

  // PEP 440 ordering (1.0 == 1.0.0; dev < a < b < rc < final < post; local last).
  int compare(const Version& o) const;
  bool operator==(const Version& o) const { return compare(o) == 0; }
  bool operator<(const Version& o) const { return compare(o) < 0; }
  bool operator<=(const Version& o) const { return compare(o) <= 0; }
  bool operator>(const Version& o) const { return compare(o) > 0; }
  bool operator>=(const Version& o) const { return compare(o) >= 0; }
};

// One clause: "~=1.4.2", "==1.2.*", "!=2.0", "<3", "===foo".
struct Specifier {
  std::string op;       // ~= == != <= >= < > ===
  std::string version;  // as written (normalised when it parses), ".*" kept for wildcards
  bool wildcard = false;

  static Result<Specifier> parse(std::string_view text);
  std::string str() const { return op + version; }
  // True when this clause by itself asks for pre-releases (==1.0b1, >=2.0.dev0, ...).
  bool mentionsPrerelease() const;
  // Matching without the pre-release policy (that is SpecifierSet's job).
  bool matches(const Version& v) const;
  bool matchesText(std::string_view candidate) const;  // for ===
};

class SpecifierSet {
 public:
  // Comma-separated clauses; whitespace anywhere between tokens is allowed.
  // Errors carry the 1-based column in text.
  static Result<SpecifierSet> parse(std::string_view text);

  std::vector<Specifier> specifiers;

  bool empty() const { return specifiers.empty(); }
  // Pre-releases match only when allowPrereleases or a clause mentions one (PEP 440).
  bool contains(const Version& v, bool allowPrereleases = false) const;
  bool contains(std::string_view version, bool allowPrereleases = false) const;
  bool mentionsPrerelease() const;
  // pip's choice among candidates: the newest matching final release; if none
  // matches, the newest matching pre-release (packaging's filter fallback).
  std::optional<std::size_t> best(const std::vector<Version>& candidates, bool allowPrereleases = false) const;
  void add(const SpecifierSet& other);
  std::string str() const;  // clauses in order, joined by ","
};

}  // namespace slimbench::python
