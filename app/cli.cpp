#include "cli.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <iostream>
#include <nlohmann/json.hpp>

#include "dockerfile/model.h"
#include "dockerfile/syntax.h"
#include "dockerfile/json.h"
#include "util/files.h"
#include "util/jsontext.h"
#include "project_options.h"

namespace slimbench::app {
namespace {

const char* kVersion = "0.1.0";

struct Cmd {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

void printError(const Diagnostic& d) { std::fprintf(stderr, "%s\n", d.format().c_str()); }

int cmdParse(const std::vector<std::string>& args) {
  bool json = false;
  std::string file, target;
  std::map<std::string, std::string> ba;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--json") json = true;
    else if ((a == "--build-arg" || a == "--target") && (i + 1 >= args.size() || args[i + 1].empty())) {
      std::fprintf(stderr, "slimbench parse: %s needs a value (%s)\n", a.c_str(), a == "--target" ? "a stage name" : "NAME=VALUE");
      return 2;
    } else if (a == "--build-arg") {
      if (!addBuildArg("parse", args[++i], ba)) return 2;
    } else if (a == "--target") target = args[++i];
    else if (a == "-h" || a == "--help") {
      std::printf(
          "usage: slimbench parse [--json] [--build-arg NAME=VALUE]... [--target STAGE] DOCKERFILE\n\n"
          "Without --json: the syntax tree in BuildKit's dump format, one instruction per line.\n"
          "With --json: stages, instructions (with lines), layers and recognised package operations.\n"
          "--build-arg sets an ARG as docker build does; --target makes STAGE the final one (finalStage,\n"
          "reachable and final in the JSON).\n");
      return 0;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      std::fprintf(stderr, "slimbench parse: unknown option %s (see slimbench parse --help)\n", a.c_str());
      return 2;
    } else if (file.empty()) file = a;
    else {
      std::fprintf(stderr, "slimbench parse: one DOCKERFILE expected, got also %s\n", a.c_str());
      return 2;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "slimbench parse: missing DOCKERFILE (see slimbench parse --help)\n");
    return 2;
  }
  std::string text;
  if (file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (auto d = checkText(text, "<stdin>")) { printError(*d); return 1; }
  } else {
    auto r = readTextFile(file);
    if (!r) { printError(r.error()); return 1; }
    text = std::move(*r);
  }
  auto hasError = [](const dockerfile::Model& m) {
    return std::any_of(m.diagnostics.begin(), m.diagnostics.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; });
  };
  if (!json) {  // the dump is the whole tree's
    auto tree = dockerfile::parse(text, file);
    if (!tree) {
      printError(tree.error());
      return 1;
    }
    for (const auto& w : tree->warnings) printError(w);
    auto model = dockerfile::buildModel(*tree, file, ba, target);
    if (!target.empty() && model.targetStage(target) < 0) {
      std::fprintf(stderr, "slimbench parse: --target: %s\n", dockerfile::unknownTargetMessage(model, target).c_str());
      return 2;
    }
    std::fputs(tree->dump().c_str(), stdout);
    for (const auto& d : model.diagnostics) printError(d);
    return hasError(model) ? 1 : 0;
  }
  // JSON: the model made as the text is parsed (no whole tree beside it: at 100k lines the two
  // were 216 MB, much of the time spent by the kernel handing out fresh pages).
  dockerfile::SyntaxTree header;
  auto model = dockerfile::parseModel(text, file, file, ba, target, nullptr, nullptr, &header);
  if (!model) {
    printError(model.error());
    return 1;
  }
  if (!target.empty() && model->targetStage(target) < 0) {
    std::fprintf(stderr, "slimbench parse: --target: %s\n", dockerfile::unknownTargetMessage(*model, target).c_str());
    return 2;
  }
  for (const auto& w : header.warnings) printError(w);
  JsonWriter w(stdout);
  dockerfile::writeJson(w, header, *model);
  w.finish();
  return hasError(*model) ? 1 : 0;
}

const Cmd kCommands[] = {
    {"analyze", "Estimate every layer of your Dockerfile and the fat/alpine/slim/multi-stage/BuildKit variants; --json; --export; --report; --max-size", cmdAnalyze},
    {"parse", "Parse a Dockerfile: BuildKit's syntax-tree dump, or --json with stages, layers, operations", cmdParse},
    {"requirements", "Python requirements (file, pyproject, lock or folder): markers, versions, wheels pip picks", cmdRequirements},
    {"lint", "Findings: size, cache, time and security gotchas (rules in catalogue/rules.json), --json", cmdLint},
    {"inspect", "Open a saved image (docker/OCI archive or layout): layers, wasted space, findings, --ci rules", cmdInspect},
};

}  // namespace

std::string usage() {
  std::string s =
      "slimbench: estimate, compare and export Docker image variants for Python applications.\n\n"
      "usage: slimbench [PROJECT]                 open the workbench window (or print the analysis without a display)\n"
      "       slimbench --tour [EXAMPLE|FILE.json] open the window on the workshop tour (Help > Workshop Tour)\n"
      "       slimbench COMMAND [ARGS...]\n\n"
      "commands:\n";
  for (const auto& c : kCommands) {
    char line[256];
    std::snprintf(line, sizeof line, "  %-14s %s\n", c.name, c.summary);
    s += line;
  }
  s += "\noptions:\n  -h, --help     this text (COMMAND --help for a command's own)\n  --version      print the version\n";
  return s;
}

bool isCliInvocation(const std::vector<std::string>& args) {
  if (args.empty()) return false;
  const auto& a = args[0];
  if (a == "-h" || a == "--help" || a == "--version" || a == "help") return true;
  for (const auto& c : kCommands)
    if (a == c.name) return true;
  return false;
}

int runCli(const std::vector<std::string>& args) {
  const auto& a = args.at(0);
  if (a == "-h" || a == "--help" || a == "help") {
    std::fputs(usage().c_str(), stdout);
    return 0;
  }
  if (a == "--version") {
    std::printf("slimbench %s\n", kVersion);
    return 0;
  }
  for (const auto& c : kCommands)
    if (a == c.name) return c.run(args);
  std::fprintf(stderr, "slimbench: unknown command %s\n\n%s", a.c_str(), usage().c_str());
  return 2;
}

int runTerminalAnalysis(const std::string& project) {
  // The same analysis the window shows, as a table.
  return cmdAnalyze({"analyze", project});
}

}  // namespace slimbench::app
