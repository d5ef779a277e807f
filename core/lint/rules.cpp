// RuleSet: the rule texts from rules.json, and the user's overrides.
#include <algorithm>
#include <cctype>
#include <set>

#include "lint/lint.h"

namespace slimbench::lint {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int lineAt(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(byte), '\n'));
}

Diagnostic error(const std::string& file, int line, std::string message) {
  Diagnostic d;
  d.severity = Severity::Error;
  d.where.file = file;
  d.where.line = line;
  d.message = std::move(message);
  return d;
}

std::optional<Severity> severityFrom(const std::string& s) {
  auto v = lower(s);
  if (v == "info") return Severity::Info;
  if (v == "warning") return Severity::Warning;
  if (v == "error") return Severity::Error;
  return std::nullopt;
}

bool validId(const std::string& id) {
  return id.size() == 5 && id.rfind("SB", 0) == 0 &&
         std::all_of(id.begin() + 2, id.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

Result<RuleSet> RuleSet::fromJson(std::string_view text, const std::string& name) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 5: ..." -> keep the part after the id
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    return error(name, lineAt(text, e.byte > 0 ? e.byte - 1 : 0), "rules catalogue is not valid JSON: " + what);
  }
  if (!j.is_object() || !j.contains("rules") || !j["rules"].is_array())
    return error(name, 1, "rules catalogue: expected an object with a \"rules\" array");
  RuleSet rs;
  std::set<std::string> seen;
  static const std::set<std::string> categories = {"cache", "size", "security", "time", "correctness"};
  int index = 0;
  for (const auto& r : j["rules"]) {
    ++index;
    std::string where = "rule #" + std::to_string(index);
    if (!r.is_object()) return error(name, 1, "rules catalogue: " + where + " is not an object");
    auto str = [&](const char* key, std::string& out) -> std::optional<std::string> {
      auto it = r.find(key);
      if (it == r.end() || !it->is_string() || it->get<std::string>().empty())
        return "\"" + std::string(key) + "\" must be a non-empty string";
      out = it->get<std::string>();
      return std::nullopt;
    };
    Rule rule;
    std::string sev;
    int line = 1;
    if (auto e = str("id", rule.id)) return error(name, 1, "rules catalogue: " + where + ": " + *e);
    if (auto p = text.find("\"" + rule.id + "\""); p != std::string_view::npos) line = lineAt(text, p);
    where += " (" + rule.id + ")";
    if (!validId(rule.id)) return error(name, line, "rules catalogue: " + where + ": id must look like SB101");
    if (!seen.insert(rule.id).second) return error(name, line, "rules catalogue: duplicate rule id " + rule.id);
    for (auto [key, out] : {std::pair<const char*, std::string*>{"severity", &sev}, {"title", &rule.title},
                            {"explanation", &rule.explanation}, {"fix", &rule.fix}, {"category", &rule.category},
                            {"source", &rule.source}})
      if (auto e = str(key, *out)) return error(name, line, "rules catalogue: " + where + ": " + *e);
    auto s = severityFrom(sev);
    if (!s) return error(name, line, "rules catalogue: " + where + ": severity must be info, warning or error (got \"" + sev + "\")");
    rule.severity = *s;
    if (!categories.count(rule.category))
      return error(name, line, "rules catalogue: " + where +
                                   ": category must be cache, size, security, time or correctness (got \"" + rule.category + "\")");
    rs.rules_.push_back(std::move(rule));
  }
  return rs;
}

std::optional<Diagnostic> RuleSet::applyOverrides(const std::map<std::string, std::string>& overrides) {
  // Validate everything first so a bad override changes nothing.
  for (const auto& [id, value] : overrides) {
    if (!find(id)) return error({}, 0, "unknown rule " + id + " (rule ids look like SB101; see slimbench lint --list)");
    auto v = lower(value);
    if (v != "off" && !severityFrom(v))
      return error({}, 0, "rule " + id + ": severity must be off, info, warning or error (got \"" + value + "\")");
  }
  for (const auto& [id, value] : overrides) {
    const std::string& key = id;  // (lambdas cannot capture structured bindings in clang 14)
    auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Rule& r) { return r.id == key; });
    auto v = lower(value);
    if (v == "off") it->enabled = false;
    else {
      it->enabled = true;
      it->severity = *severityFrom(v);
    }
  }
  return std::nullopt;
}

const Rule* RuleSet::find(std::string_view id) const {
  for (const auto& r : rules_)
    if (r.id == id) return &r;
  return nullptr;
}

Result<std::pair<std::string, std::string>> parseOverride(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size())
    return error({}, 0, "expected RULE=SEVERITY (e.g. SB102=off), got \"" + std::string(text) + "\"");
  std::string id(text.substr(0, eq));
  for (auto& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return std::pair<std::string, std::string>{id, std::string(text.substr(eq + 1))};
}

}  // namespace slimbench::lint
