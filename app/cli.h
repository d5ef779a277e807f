#pragma once
// The command-line side of slimbench: subcommands that print to stdout.
#include <string>
#include <vector>

namespace slimbench::app {

// True when args[0] names a subcommand (or --help/--version), so no GUI is needed.
bool isCliInvocation(const std::vector<std::string>& args);

// Runs a subcommand; returns the process exit code (0 ok, 1 findings/failure, 2 usage error,
// 3 analyze --max-size: the estimate is over the limit).
int runCli(const std::vector<std::string>& args);

// The "main job" in a terminal: the analysis of a project printed as text.
int runTerminalAnalysis(const std::string& project);

// slimbench requirements PATH: parsed requirements, markers, chosen distributions.
int cmdRequirements(const std::vector<std::string>& args);
// slimbench lint DOCKERFILE [--json] [--rule-severity SB102=off ...] (app/cmd_lint.cpp).
int cmdLint(const std::vector<std::string>& args);

// slimbench analyze: variants x layers, totals, build times, findings; --json; --export (app/cmd_analyze.cpp).
int cmdAnalyze(const std::vector<std::string>& args);
// slimbench inspect IMAGE: layers, waste and findings of a saved image (cmd_inspect.cpp).
int cmdInspect(const std::vector<std::string>& args);

// Usage text listing the subcommands.
std::string usage();

}  // namespace slimbench::app
