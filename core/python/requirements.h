#pragma once
// Requirements as pip reads them: PEP 508 strings, and requirements files
// (comments, continuations, ${VAR}, -r/-c includes, -e, paths, URLs, options).
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "python/marker.h"
#include "python/version.h"
#include "util/diagnostic.h"
#include "util/files.h"

namespace slimbench::python {

struct Requirement {
  std::string name;                 // PEP 503-normalised; "" when only a path/URL names it
  std::vector<std::string> extras;  // normalised, sorted, unique
  SpecifierSet specifier;
  std::optional<Marker> marker;
  std::string url;                  // direct reference, VCS URL or local path; "" when from an index
  bool editable = false;
  bool constraint = false;          // came from a -c file
  std::vector<std::string> hashes;  // --hash=algo:digest
  std::vector<std::string> perRequirementOptions;  // --config-settings, --global-option (as written)
  std::string text;                 // the requirement as written (after joining and ${VAR})
  std::string group;                // pyproject: "" main, extra or group name
  std::string file;
  int line = 0;

  // Marker result for env (true without a marker), with the extras being installed.
  bool applies(const Environment& env, const std::vector<std::string>& activeExtras = {}) const;
  // Canonical PEP 508 form: name[extras]specifier ; marker, or name @ url ; marker.
  std::string str() const;
};

// Parses one PEP 508 requirement ("name[extra]>=1,<2 ; python_version<'3.11'",
// "name @ https://...#sha256=..."). Errors carry the 1-based column.
Result<Requirement> parseRequirement(std::string_view text);

// Options that apply to the whole pip invocation.
struct GlobalOptions {
  std::string indexUrl;
  std::vector<std::string> extraIndexUrls, findLinks, trustedHosts, useFeature;
  std::vector<std::string> onlyBinary, noBinary;  // names, or ":all:" / ":none:"
  bool noIndex = false, preferBinary = false, pre = false, requireHashes = false;

  // (option, value) pairs in a stable order, "" values for switches; for JSON/text output.
  std::vector<std::pair<std::string, std::string>> list() const;
};

struct ParseOptions {
  // ${VAR} lookup; default: the process environment. Unknown variables stay as written (pip).
  std::function<std::optional<std::string>(const std::string&)> env;
  TextLimits limits;
  bool followIncludes = true;
  int maxDepth = 32;
};

struct RequirementsFile {
  std::vector<Requirement> requirements;  // file order; includes followed in place
  GlobalOptions options;
  std::vector<Diagnostic> errors;         // collected; the rest still parses
  std::vector<std::string> files;         // every file read, in order
};

// Reads a requirements file and everything it includes.
RequirementsFile parseRequirementsFile(const std::string& path, const ParseOptions& options = {});
// The same for text in memory; name is used in messages and to resolve includes.
RequirementsFile parseRequirementsText(std::string_view text, const std::string& name, const ParseOptions& options = {});

}  // namespace slimbench::python
