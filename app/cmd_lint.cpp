// slimbench lint DOCKERFILE: the findings (rules as data, see resources/catalogue/rules.json).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "project_options.h"
#include "dockerfile/json.h"
#include "dockerfile/model.h"
#include "dockerfile/syntax.h"
#include "embedded_resources.h"
#include "lint/lint.h"
#include "util/files.h"
#include "util/jsontext.h"

namespace slimbench::app {

int cmdLint(const std::vector<std::string>& args) {
  bool json = false, list = false, useProjectFile = true;
  std::string file, target;
  std::map<std::string, std::string> overrides, buildArgs;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--json") json = true;
    else if (a == "--list") list = true;
    else if (a == "--no-project-file") useProjectFile = false;
    else if (a == "--target" || a == "--build-arg") {
      if (i + 1 >= args.size() || args[i + 1].empty()) {
        std::fprintf(stderr, "slimbench lint: %s needs a value (%s)\n", a.c_str(), a == "--target" ? "a stage name" : "NAME=VALUE");
        return 2;
      }
      if (a == "--target") target = args[++i];
      else if (!addBuildArg("lint", args[++i], buildArgs)) return 2;
    }
    else if (a == "--rule-severity" || a.rfind("--rule-severity=", 0) == 0) {
      std::string v;
      if (a == "--rule-severity") {
        if (i + 1 >= args.size()) {
          std::fprintf(stderr, "slimbench lint: --rule-severity needs RULE=SEVERITY (e.g. SB102=off)\n");
          return 2;
        }
        v = args[++i];
      } else {
        v = a.substr(std::string("--rule-severity=").size());
      }
      auto o = lint::parseOverride(v);
      if (!o) {
        std::fprintf(stderr, "slimbench lint: %s\n", o.error().message.c_str());
        return 2;
      }
      overrides[o->first] = o->second;
    } else if (a == "-h" || a == "--help") {
      std::printf(
          "usage: slimbench lint [--json] [--rule-severity RULE=off|info|warning|error]... [--target STAGE]\n"
          "                      [--build-arg NAME=VALUE]... [--no-project-file] DOCKERFILE\n"
          "       slimbench lint --list\n\n"
          "Prints the findings: file:line: severity RULE title: what exactly.\n"
          "--target and --build-arg are what docker build is told (the image is the target stage's).\n"
          "The rule severities of slimbench.toml beside the Dockerfile apply ([rules] SB102 = \"off\");\n"
          "--rule-severity overrides them, --no-project-file ignores the file.\n"
          "Silence a rule on one instruction with a comment on the line above it:\n"
          "  # slimbench ignore=SB101,SB105\n"
          "Exit codes: 0 no finding of warning or above, 1 findings of warning or above (or unreadable input), 2 usage.\n");
      return 0;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      std::fprintf(stderr, "slimbench lint: unknown option %s (see slimbench lint --help)\n", a.c_str());
      return 2;
    } else if (file.empty()) {
      file = a;
    } else {
      std::fprintf(stderr, "slimbench lint: one DOCKERFILE expected, got also %s\n", a.c_str());
      return 2;
    }
  }

  if (!list)
    if (int rc = resolveRuleOverrides("lint", file, useProjectFile, overrides)) return rc;
  auto catalogueText = resources::find("catalogue/rules.json");
  if (!catalogueText) {
    std::fprintf(stderr, "slimbench lint: the rules catalogue is missing from this build\n");
    return 1;
  }
  auto rules = lint::RuleSet::fromJson(*catalogueText, "catalogue/rules.json");
  if (!rules) {
    std::fprintf(stderr, "%s\n", rules.error().format().c_str());
    return 1;
  }
  if (auto bad = rules->applyOverrides(overrides)) {
    std::fprintf(stderr, "slimbench lint: %s\n", bad->message.c_str());
    return 2;
  }
  if (list) {
    for (const auto& r : rules->rules())
      std::printf("%s  %-7s  %-11s  %s%s\n", r.id.c_str(), severityName(r.severity), r.category.c_str(), r.title.c_str(),
                  r.enabled ? "" : "  (off)");
    return 0;
  }
  if (file.empty()) {
    std::fprintf(stderr, "slimbench lint: missing DOCKERFILE (see slimbench lint --help)\n");
    return 2;
  }

  std::string text;
  if (file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (auto d = checkText(text, "<stdin>")) {
      std::fprintf(stderr, "%s\n", d->format().c_str());
      return 1;
    }
  } else {
    auto r = readTextFile(file);
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().format().c_str());
      return 1;
    }
    text = std::move(*r);
  }
  auto tree = dockerfile::parse(text, file);
  if (!tree) {
    std::fprintf(stderr, "%s\n", tree.error().format().c_str());
    return 1;
  }
  auto model = dockerfile::buildModel(*tree, file, buildArgs, target);
  if (!target.empty() && model.targetStage(target) < 0) {
    std::fprintf(stderr, "slimbench lint: --target: %s\n", dockerfile::unknownTargetMessage(model, target).c_str());
    return 2;
  }
  // Parse problems travel separately from findings (stderr, GNU format).
  bool parseError = false;
  for (const auto& d : tree->warnings) std::fprintf(stderr, "%s\n", d.format().c_str());
  for (const auto& d : model.diagnostics) {
    std::fprintf(stderr, "%s\n", d.format().c_str());
    parseError |= d.severity == Severity::Error;
  }

  lint::LintFacts facts;
  if (file != "-") {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path dir = fs::path(file).parent_path();
    if (dir.empty()) dir = ".";
    facts.hasDockerignore = fs::exists(dir / ".dockerignore", ec) || fs::exists(fs::path(file + ".dockerignore"), ec);
  }
  auto findings = lint::lint(model, *tree, *rules, facts);

  bool failing = parseError;
  for (const auto& f : findings) failing |= f.severity != Severity::Info;
  if (json) {
    nlohmann::ordered_json j;
    j["file"] = file;
    j["findings"] = nlohmann::ordered_json::array();
    for (const auto& f : findings) j["findings"].push_back(lint::toJson(f));
    j["diagnostics"] = nlohmann::ordered_json::array();
    for (const auto& d : model.diagnostics) j["diagnostics"].push_back(dockerfile::toJson(d));
    std::printf("%s\n", jsonText(j).c_str());
  } else {
    for (const auto& f : findings) std::printf("%s\n", f.format().c_str());
  }
  return failing ? 1 : 0;
}

}  // namespace slimbench::app
