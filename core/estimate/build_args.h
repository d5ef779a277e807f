#pragma once
// What docker build is told with --build-arg, as the command line and the window's Build args
// field take it.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "util/diagnostic.h"

namespace slimbench::estimate {

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
