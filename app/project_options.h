#pragma once
// What analyze, parse and lint share of their options: --build-arg / --target (what docker build is
// told) and the project settings file (.slimbench.json) merged under the --rule-severity flags.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "embedded_resources.h"
#include "estimate/project_settings.h"
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

// The folder whose .slimbench.json applies to PROJECT (a folder, or a Dockerfile's folder).
inline std::string projectFolderOf(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return path;
  auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// The rule severities in effect: the project's .slimbench.json (unless `useFile` is false), then
// the --rule-severity flags over it. Every id and level is checked against the bundled rules.
// Returns 0, or the exit code after printing the reason (1 a bad file, 2 a bad flag).
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
  auto file = estimate::readProjectSettings(projectFolderOf(projectPath), &*rules);
  if (!file) {
    std::fprintf(stderr, "%s (or ignore the file with --no-project-settings)\n", file.error().format().c_str());
    return 1;
  }
  std::map<std::string, std::string> merged = file->rules;
  for (const auto& [id, level] : overrides) merged[id] = level;  // the flag wins
  overrides = std::move(merged);
  return 0;
}

}  // namespace slimbench::app
