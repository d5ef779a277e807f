#pragma once
// Findings: hadolint-style rules about image size, build cache, build time and
// security. The rule texts (title, explanation, fix, severity, category, source)
// are data (resources/catalogue/rules.json, passed in by the caller as text);
// the checks are C++ functions registered in one table in lint.cpp.
// Parse errors are not findings: they travel as Diagnostics.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "dockerfile/model.h"
#include "dockerfile/syntax.h"
#include "util/diagnostic.h"
#include "util/sharedtext.h"

namespace slimbench::lint {

struct Rule {
  std::string id;  // "SB101"
  Severity severity = Severity::Warning;
  bool enabled = true;
  std::string title;
  std::string explanation;
  std::string fix;
  std::string category;  // cache, size, security, time, correctness
  std::string source;    // where the facts come from (names and URLs)
};

class RuleSet {
 public:
  // Parses rules.json: {"rules": [{id, severity, title, explanation, fix, category, source}, ...]}.
  // Malformed JSON, a missing/empty field, an unknown severity/category or a duplicate id
  // gives a Diagnostic naming `name`, the line, and what was expected.
  static Result<RuleSet> fromJson(std::string_view text, const std::string& name = "rules.json");

  // User overrides: rule id -> "off" | "info" | "warning" | "error" (case-insensitive).
  // Returns an error (and changes nothing) for an unknown id or value.
  std::optional<Diagnostic> applyOverrides(const std::map<std::string, std::string>& overrides);

  const Rule* find(std::string_view id) const;
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  std::vector<Rule> rules_;
};

// "SB102=off" -> {"SB102", "off"}; an error when there is no '='.
Result<std::pair<std::string, std::string>> parseOverride(std::string_view text);

struct PackageWithoutWheel {
  std::string name;  // distribution name as in requirements
  std::string cost;  // what it costs, e.g. "compiles from sdist (needs gcc, ~2 min)"
};

// What the estimator knows beyond the Dockerfile. All optional: a check that
// needs a fact that is absent stays silent.
struct LintFacts {
  std::vector<PackageWithoutWheel> packagesWithoutWheel;  // for the target platform/libc
  std::optional<bool> hasDockerignore;
  std::optional<std::uint64_t> contextBytes;                    // build-context size
  std::vector<std::pair<std::string, std::uint64_t>> largestPaths;  // biggest paths in the context
  std::string targetLibc;                                       // "glibc", "musl" or empty
  // A compiler is in the final image (the estimate's: from the base image, such as the full
  // python:X, or from any layer). Headers there are then of use (SB118 stays silent).
  std::optional<bool> compilerInImage;
  // The target architecture ("amd64", "arm64"): decides `uname -m` / TARGETARCH branches in RUN.
  std::string arch = "amd64";
  std::uint64_t largeContextBytes = 50ull * 1000 * 1000;        // SB114 threshold
};

struct Finding {
  std::string ruleId;
  Severity severity = Severity::Warning;
  std::string title;
  std::string message;  // specific: names the package, path or line
  SharedText explanation;  // the rule's: one text shared by all its findings
  SharedText fix;
  std::string category;
  SourceLocation where;  // file, line, endLine (line 0 when not tied to a line)
  int stage = -1;        // stage index, -1 when not tied to a stage

  // "Dockerfile:12: warning SB102 pip cache left in the image: <message>"
  std::string format() const;
};

// Runs every enabled rule of `rules` whose check is implemented. Findings are
// sorted by line, then rule id. Inline ignores (`# slimbench ignore=SB101,SB105`
// on the comment lines just above an instruction) drop findings on that instruction.
std::vector<Finding> lint(const dockerfile::Model& model, const dockerfile::SyntaxTree& tree,
                          const RuleSet& rules, const LintFacts& facts = {});
// What lint reads of the syntax tree: the comment lines above each instruction, by instruction
// index. A caller can keep these and free the tree once the model is built.
using InstructionComments = std::vector<std::vector<std::string>>;
InstructionComments commentsOf(const dockerfile::SyntaxTree& tree);
std::vector<Finding> lint(const dockerfile::Model& model, const InstructionComments& comments,
                          const RuleSet& rules, const LintFacts& facts = {});

// Ids of the checks compiled in, in table order.
std::vector<std::string> implementedRules();

nlohmann::ordered_json toJson(const Finding& f);

}  // namespace slimbench::lint
