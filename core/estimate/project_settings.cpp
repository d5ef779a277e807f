#include "estimate/project_settings.h"

#include <cctype>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "util/files.h"

namespace slimbench::estimate {
namespace fs = std::filesystem;

namespace {

// 1-based line and column of a byte offset.
std::pair<int, int> lineColumn(std::string_view text, std::size_t offset) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

// Where "key" first stands in the text (a line for messages about a value; 0 when not found).
std::pair<int, int> whereKey(std::string_view text, const std::string& key) {
  const std::string quoted = nlohmann::json(key).dump();
  const std::size_t at = text.find(quoted);
  return at == std::string_view::npos ? std::pair<int, int>{0, 0} : lineColumn(text, at);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string projectSettingsPath(const std::string& projectDir) {
  return (fs::path(projectDir.empty() ? "." : projectDir) / kProjectSettingsFile).string();
}

Result<ProjectSettings> parseProjectSettings(std::string_view text, const std::string& file, const lint::RuleSet* rules) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    auto [line, col] = lineColumn(text, e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    // nlohmann's text after its own "parse error at line L, column C: " prefix says what it expected.
    if (auto p = what.find(": "); p != std::string::npos && what.find("parse error") != std::string::npos) {
      auto q = what.find(": ", p + 2);
      if (q != std::string::npos) what = what.substr(q + 2);
    }
    return errorAt(file, "not valid JSON: " + what + " (expected {\"rules\": {\"SB102\": \"off\"}})", line, col);
  }
  if (!j.is_object()) return errorAt(file, "expected a JSON object such as {\"rules\": {\"SB102\": \"off\"}}", 1, 1);
  ProjectSettings out;
  for (const auto& [key, value] : j.items()) {
    auto [kl, kc] = whereKey(text, key);
    if (key != "rules")
      return errorAt(file, "unknown key \"" + key + "\" (expected \"rules\": {\"RULE\": \"off|info|warning|error\"})", kl, kc);
    if (!value.is_object())
      return errorAt(file, "\"rules\" must be an object mapping rule ids to off, info, warning or error (e.g. {\"SB102\": \"off\"})", kl, kc);
    for (const auto& [id, level] : value.items()) {
      auto [il, ic] = whereKey(text, id);
      if (!level.is_string())
        return errorAt(file, "rule " + id + ": expected \"off\", \"info\", \"warning\" or \"error\", got " + level.dump(), il, ic);
      const std::string l = lower(level.get<std::string>());
      if (l != "off" && l != "info" && l != "warning" && l != "error")
        return errorAt(file, "rule " + id + ": expected \"off\", \"info\", \"warning\" or \"error\", got \"" + level.get<std::string>() + "\"", il, ic);
      if (rules && !rules->find(id)) {
        std::string known;
        for (const auto& r : rules->rules()) known += (known.empty() ? "" : ", ") + r.id;
        return errorAt(file, "unknown rule \"" + id + "\" (the rules are " + known + "; slimbench lint --list describes them)", il, ic);
      }
      out.rules[id] = l;
    }
  }
  return out;
}

Result<ProjectSettings> readProjectSettings(const std::string& projectDir, const lint::RuleSet* rules) {
  const std::string path = projectSettingsPath(projectDir);
  std::error_code ec;
  if (!fs::exists(path, ec)) return ProjectSettings{};
  auto text = readTextFile(path);
  if (!text) return text.error();
  return parseProjectSettings(*text, path, rules);
}

std::string projectSettingsText(const ProjectSettings& s) {
  nlohmann::ordered_json j;
  j["rules"] = nlohmann::ordered_json::object();
  for (const auto& [id, level] : s.rules) j["rules"][id] = level;
  return j.dump(2) + "\n";
}

Result<std::pair<std::string, std::string>> parseBuildArg(std::string_view text,
                                                          std::optional<std::string> (*env)(const std::string&)) {
  const std::size_t eq = text.find('=');
  std::string name(text.substr(0, eq));
  if (name.empty())
    return errorAt("--build-arg", "\"" + std::string(text) + "\": the name before '=' is missing (expected NAME=VALUE, e.g. PYTHON_VER=3.12)");
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      return errorAt("--build-arg", "\"" + std::string(text) + "\": \"" + name +
                                        "\" is not an ARG name (letters, digits and '_'; expected NAME=VALUE)");
  if (eq != std::string_view::npos) return std::pair{name, std::string(text.substr(eq + 1))};
  if (env)
    if (auto v = env(name)) return std::pair{name, *v};
  return errorAt("--build-arg", "\"" + name + "\" has no value: expected NAME=VALUE (docker build takes NAME alone from the environment, where " +
                                    name + " is not set)");
}

Result<std::map<std::string, std::string>> parseBuildArgList(std::string_view text) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (std::isspace(static_cast<unsigned char>(text[i])) || text[i] == ',')) ++i;
    if (i >= text.size()) break;
    std::string word;
    bool quoted = false;
    const std::size_t start = i;
    while (i < text.size()) {
      const char c = text[i];
      if (c == '"') {
        quoted = !quoted;
        ++i;
        continue;
      }
      if (!quoted && (std::isspace(static_cast<unsigned char>(c)) || c == ',')) break;
      word += c;
      ++i;
    }
    if (quoted) return errorAt("Build args", "\"" + std::string(text.substr(start)) + "\": a '\"' is not closed");
    if (word.find('=') == std::string::npos)
      return errorAt("Build args", "\"" + word + "\": expected NAME=VALUE (e.g. PYTHON_VER=3.12), pairs separated by spaces");
    auto kv = parseBuildArg(word);
    if (!kv) return kv.error();
    out[kv->first] = kv->second;
  }
  return out;
}

std::string buildArgListText(const std::map<std::string, std::string>& args) {
  std::string out;
  for (const auto& [k, v] : args) {
    if (!out.empty()) out += ' ';
    const bool quote = v.empty() || v.find_first_of(" \t,") != std::string::npos;
    out += k + "=" + (quote ? "\"" + v + "\"" : v);
  }
  return out;
}

}  // namespace slimbench::estimate
