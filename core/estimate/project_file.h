// slimbench.toml: the figures a user gives for what slimbench does not know, kept beside the
// Dockerfile so the window and the CLI read the same ones.
//
//   # slimbench.toml
//   [sizes.layers]        # by the line where the RUN/COPY/ADD starts in the Dockerfile
//   12 = "35 MB"
//   [sizes.packages]      # installed size of a Python distribution the catalogue lacks
//   internal-lib = "4 MB"
//   [sizes.base]          # on-disk size of a base image the catalogue lacks
//   "registry.example.com/base:1.4" = "350MB"
//   [base-images]         # a saved image (docker save / OCI) whose real layers stand for a base
//   "registry.example.com/base:1.4" = "images/base.tar"   # relative to this file
//   [rules]               # rule severities for this project: off | info | warning | error
//   SB102 = "off"
//
// Sizes take the units of --base-size (B, kB, MB, GB, KiB, MiB, GiB) or a plain integer of bytes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "estimate/analysis.h"
#include "util/diagnostic.h"

namespace slimbench::estimate {

struct ProjectFile {
  std::map<int, std::uint64_t> layerSizes;
  std::map<std::string, std::uint64_t> packageSizes;  // names as written
  std::map<std::string, std::uint64_t> baseSizes;
  std::map<std::string, std::string> baseImages;      // image -> archive path, as written
  std::map<std::string, std::string> rules;           // rule id -> off | info | warning | error (lower case)
  bool empty() const {
    return layerSizes.empty() && packageSizes.empty() && baseSizes.empty() && baseImages.empty() && rules.empty();
  }
};

// The project file of a project: slimbench.toml in the Dockerfile's folder.
std::string projectFilePath(const Project& project);

// Reads it; a missing file is an empty ProjectFile. Errors say file:line:column and what was expected.
// `rules`, when given, checks the ids of [rules] (an id no rule has is an error naming the rules).
Result<ProjectFile> readProjectFile(const std::string& path, const lint::RuleSet* rules = nullptr);
// The same for a text (`path` names it in errors and anchors relative archive paths).
Result<ProjectFile> parseProjectFile(std::string_view text, const std::string& path, const lint::RuleSet* rules = nullptr);

// The text of a project file with `[rules] ID = "LEVEL"` set (an empty level removes the line),
// everything else kept as written (comments too); a file without [rules] gets the table at its end.
// An error when the result would not say what was asked (e.g. the rules are written as an inline
// table): the file is then left for the user to edit.
Result<std::string> withProjectRule(std::string_view text, const std::string& path, const std::string& id, const std::string& level);

// The same for `[sizes.layers] LINE = BYTES` (no bytes: the line is removed).
Result<std::string> withProjectLayerSize(std::string_view text, const std::string& path, int line, std::optional<std::uint64_t> bytes);

// The TOML text for `f` (what the window saves atomically).
std::string projectFileText(const ProjectFile& f);

// Adds the file's figures to `options.settings` where the caller gave none for the same key (the
// command line wins). Saved base-image archives are not opened here: `baseImages` names them.
void mergeProjectFile(const ProjectFile& f, AnalysisOptions& options);

}  // namespace slimbench::estimate
