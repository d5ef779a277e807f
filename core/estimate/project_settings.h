#pragma once
// The project settings file, .slimbench.json in the project folder: what the user decided for this
// project and wants every run to see, the window's and the CLI's alike. Today: rule severities.
//
//   {"rules": {"SB102": "off", "SB105": "info"}}
//
// Read by `slimbench analyze` and `slimbench lint` (flags override it; --no-project-settings
// ignores it) and by the window when it opens the project; written by the window only on an
// explicit action (a finding's "Turn off for this project"), atomically. A file that does not
// parse, or says something unexpected, is an error with its line and what was expected.
#include <map>
#include <optional>
#include <utility>
#include <string>
#include <string_view>

#include "lint/lint.h"
#include "util/diagnostic.h"

namespace slimbench::estimate {

inline constexpr const char* kProjectSettingsFile = ".slimbench.json";

struct ProjectSettings {
  std::map<std::string, std::string> rules;  // rule id -> off | info | warning | error (lower case)
  bool operator==(const ProjectSettings&) const = default;
};

// PROJECT_DIR/.slimbench.json
std::string projectSettingsPath(const std::string& projectDir);

// Parses the text of a settings file. `rules`, when given, is checked for the ids (an id no rule
// has is an error naming the rules there are).
Result<ProjectSettings> parseProjectSettings(std::string_view text, const std::string& file,
                                             const lint::RuleSet* rules = nullptr);

// Reads PROJECT_DIR/.slimbench.json; no file: empty settings.
Result<ProjectSettings> readProjectSettings(const std::string& projectDir, const lint::RuleSet* rules = nullptr);

// The text to write (sorted keys, two-space indent, a final newline).
std::string projectSettingsText(const ProjectSettings& s);

// One --build-arg: NAME=VALUE (VALUE may be empty). NAME alone takes the value of the environment
// variable NAME, as docker build does; `env` looks it up (null: no environment). An error says
// what was expected.
Result<std::pair<std::string, std::string>> parseBuildArg(std::string_view text,
                                                          std::optional<std::string> (*env)(const std::string&) = nullptr);
// The window's Build args field: NAME=VALUE pairs separated by spaces or commas; a value with
// spaces in double quotes (NAME="a b"). An error names the pair and what was expected.
Result<std::map<std::string, std::string>> parseBuildArgList(std::string_view text);
// The same pairs written back for the field (quoted where needed).
std::string buildArgListText(const std::map<std::string, std::string>& args);

}  // namespace slimbench::estimate
