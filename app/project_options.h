#pragma once
// What analyze, parse and lint share of their options: --build-arg / --target (what docker build is
// told) and the [rules] of the project file (slimbench.toml) merged under the --rule-severity flags.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "embedded_resources.h"
#include "estimate/build_args.h"
#include "estimate/project_file.h"
#include "lint/lint.h"

namespace slimbench::app {

inline std::optional<std::string> environmentValue(const std::string& name) {
  if (const char* v = std::getenv(name.c_str())) return std::string(v);
  return std::nullopt;
}

// --build-arg VALUE into `out`; false (the reason printed, for exit code 2) when it does not parse.
inline bool addBuildArg(const char* cmd, const std::string& text, std::map<std::string, std::string>& out) {
  auto kv = estimate::parseBuildArg(text, &environmentValue);
  if (!kv) {
    std::fprintf(stderr, "slimbench %s: --build-arg %s\n", cmd, kv.error().message.c_str());
    return false;
  }
  out[kv->first] = kv->second;
  return true;
}

// The rule severities in effect: the [rules] of the project file (slimbench.toml beside the
// Dockerfile; unless `useFile` is false), then the --rule-severity flags over them. Every id and
// level is checked against the bundled rules. Returns 0, or the exit code after printing the reason
// (1 a bad file, 2 a bad flag).
inline int resolveRuleOverrides(const char* cmd, const std::string& projectPath, bool useFile,
                                std::map<std::string, std::string>& overrides) {
  auto catalogueText = resources::find("catalogue/rules.json");
  if (!catalogueText) {
    std::fprintf(stderr, "slimbench %s: the rules catalogue is missing from this build\n", cmd);
    return 1;
  }
  auto rules = lint::RuleSet::fromJson(*catalogueText, "catalogue/rules.json");
  if (!rules) {
    std::fprintf(stderr, "%s\n", rules.error().format().c_str());
    return 1;
  }
  {
    lint::RuleSet check = *rules;
    if (auto bad = check.applyOverrides(overrides)) {
      std::fprintf(stderr, "slimbench %s: --rule-severity: %s\n", cmd, bad->message.c_str());
      return 2;
    }
  }
  if (!useFile || projectPath.empty() || projectPath == "-") return 0;
  // The project file of the project PROJECT opens (a folder's Dockerfile, or the Dockerfile named).
  std::string path;
  std::error_code ec;
  if (std::filesystem::is_directory(projectPath, ec)) {
    auto project = estimate::openProject(projectPath);
    if (!project) return 0;  // said by the caller when it opens the project
    path = estimate::projectFilePath(*project);
  } else {
    estimate::Project p;
    p.dockerfilePath = projectPath;
    path = estimate::projectFilePath(p);
  }
  auto file = estimate::readProjectFile(path, &*rules);
  if (!file) {
    std::fprintf(stderr, "%s (or ignore the file with --no-project-file)\n", file.error().format().c_str());
    return 1;
  }
  std::map<std::string, std::string> merged = file->rules;
  for (const auto& [id, level] : overrides) merged[id] = level;  // the flag wins
  overrides = std::move(merged);
  return 0;
}

}  // namespace slimbench::app
