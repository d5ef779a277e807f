#include "estimate/build_args.h"

#include <cctype>


namespace slimbench::estimate {

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
