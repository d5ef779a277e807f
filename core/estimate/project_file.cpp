#include "estimate/project_file.h"

#include <cctype>
#include <filesystem>
#include <vector>
#include <toml++/toml.h>

#include "python/version.h"
#include "util/files.h"

namespace slimbench::estimate {

namespace fs = std::filesystem;

namespace {

Diagnostic at(const std::string& file, const toml::node& n, std::string msg) {
  Diagnostic d;
  d.where.file = file;
  d.where.line = static_cast<int>(n.source().begin.line);
  d.where.column = static_cast<int>(n.source().begin.column);
  d.message = std::move(msg);
  return d;
}

// A size: "35 MB" / "350MiB" or an integer number of bytes.
std::optional<Diagnostic> sizeOf(const std::string& file, const toml::node& n, const std::string& key, std::uint64_t& bytes) {
  if (auto i = n.is_integer() ? n.value<std::int64_t>() : std::nullopt) {
    if (*i < 0) return at(file, n, key + ": expected a size, got a negative number");
    bytes = static_cast<std::uint64_t>(*i);
    return std::nullopt;
  }
  auto s = n.is_string() ? n.value<std::string>() : std::nullopt;
  if (!s) return at(file, n, key + ": expected a size such as \"35 MB\" or a number of bytes");
  std::string error;
  if (!parseSize(*s, bytes, error)) return at(file, n, key + ": " + error);
  return std::nullopt;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string projectFilePath(const Project& project) {
  const fs::path df(project.dockerfilePath);
  return ((df.has_parent_path() ? df.parent_path() : fs::path(project.dir)) / "slimbench.toml").string();
}

Result<ProjectFile> readProjectFile(const std::string& path, const lint::RuleSet* rules) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return ProjectFile{};
  auto text = readTextFile(path, TextLimits{1024 * 1024, true});
  if (!text) return text.error();
  return parseProjectFile(*text, path, rules);
}

Result<ProjectFile> parseProjectFile(std::string_view text, const std::string& path, const lint::RuleSet* rules) {
  toml::table t;
  try {
    t = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    Diagnostic d;
    d.where.file = path;
    d.where.line = static_cast<int>(e.source().begin.line);
    d.where.column = static_cast<int>(e.source().begin.column);
    d.message = "invalid TOML: " + std::string(e.description());
    return d;
  }
  ProjectFile f;
  for (const auto& [k, v] : t) {
    const std::string key(k.str());
    if (key != "sizes" && key != "base-images" && key != "rules")
      return at(path, v, "unknown table [" + key + "] (expected [sizes.layers], [sizes.packages], [sizes.base], [base-images] or [rules])");
  }
  if (auto* sizes = t["sizes"].as_table()) {
    for (const auto& [k, v] : *sizes) {
      const std::string sec(k.str());
      auto* tab = v.as_table();
      if (!tab || (sec != "layers" && sec != "packages" && sec != "base"))
        return at(path, v, "[sizes." + sec + "]: expected the table [sizes.layers], [sizes.packages] or [sizes.base]");
      for (const auto& [name, val] : *tab) {
        const std::string n(name.str());
        std::uint64_t bytes = 0;
        if (auto e = sizeOf(path, val, "[sizes." + sec + "] " + n, bytes)) return *e;
        if (sec == "layers") {
          char* end = nullptr;
          const long line = std::strtol(n.c_str(), &end, 10);
          if (n.empty() || *end != '\0' || line <= 0)
            return at(path, val, "[sizes.layers] " + n + ": expected a Dockerfile line number as the key (12 = \"35 MB\")");
          f.layerSizes[static_cast<int>(line)] = bytes;
        } else if (sec == "packages") {
          f.packageSizes[n] = bytes;
        } else {
          f.baseSizes[n] = bytes;
        }
      }
    }
  }
  if (auto* images = t["base-images"].as_table())
    for (const auto& [name, val] : *images) {
      auto s = val.value<std::string>();
      if (!s || s->empty()) return at(path, val, "[base-images] " + std::string(name.str()) + ": expected the path of a saved image (docker save, OCI archive)");
      const fs::path p(*s);
      f.baseImages[std::string(name.str())] = p.is_absolute() ? *s : (fs::path(path).parent_path() / p).string();
    }
  if (t.contains("rules")) {
    auto* tab = t["rules"].as_table();
    if (!tab) return at(path, *t.get("rules"), "[rules]: expected a table of rule severities (SB102 = \"off\")");
    for (const auto& [k, v] : *tab) {
      const std::string id(k.str());
      auto level = v.value<std::string>();
      std::string l = level.value_or("");
      for (auto& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!v.is_string() || (l != "off" && l != "info" && l != "warning" && l != "error"))
        return at(path, v, "[rules] " + id + ": expected \"off\", \"info\", \"warning\" or \"error\"" +
                               (v.is_string() ? ", got \"" + *level + "\"" : std::string()));
      if (rules && !rules->find(id)) {
        std::string known;
        for (const auto& r : rules->rules()) known += (known.empty() ? "" : ", ") + r.id;
        return at(path, v, "[rules] " + id + ": no rule has this id (the rules are " + known + "; slimbench lint --list describes them)");
      }
      f.rules[id] = l;
    }
  }
  return f;
}

namespace {

// The text with `KEY = VALUE` set in the table `header` ("[rules]", "[sizes.layers]"); an empty
// value removes the line; a file without the table gets it at its end, with `comment`.
std::string withTableEntry(std::string_view text, const std::string& header, const std::string& comment, const std::string& key,
                           const std::string& value) {
  // Lines, each with its end.
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t nl = text.find('\n', at);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.emplace_back(text.substr(at, end - at));
    at = end;
  }
  auto trimmed = [](const std::string& l) {
    const std::size_t b = l.find_first_not_of(" \t");
    return b == std::string::npos ? std::string() : l.substr(b);
  };
  const std::string entry = key + " = " + value + "\n";
  int found = -1;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string t = trimmed(lines[i]);
    if (t.rfind(header, 0) == 0) found = static_cast<int>(i);
  }
  if (found < 0) {
    if (!value.empty()) {
      std::string out(text);
      if (!out.empty() && out.back() != '\n') out += '\n';
      if (!out.empty()) out += '\n';
      out += header + "  # " + comment + "\n" + entry;
      lines = {out};
    }
  } else {
    std::size_t end = static_cast<std::size_t>(found) + 1;
    while (end < lines.size() && trimmed(lines[end]).rfind('[', 0) != 0) ++end;
    bool done = false;
    for (std::size_t i = static_cast<std::size_t>(found) + 1; i < end && !done; ++i) {
      std::string t = trimmed(lines[i]);
      std::string k = t.substr(0, t.find_first_of(" \t="));
      if (k.size() >= 2 && k.front() == '"' && k.back() == '"') k = k.substr(1, k.size() - 2);
      if (k != key || t.find('=') == std::string::npos) continue;
      done = true;
      if (value.empty()) lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(i));
      else lines[i] = entry;
    }
    if (!done && !value.empty()) {
      std::size_t last = static_cast<std::size_t>(found);  // after the table's last non-blank line
      for (std::size_t i = static_cast<std::size_t>(found) + 1; i < end; ++i)
        if (!trimmed(lines[i]).empty() && trimmed(lines[i]) != "\n") last = i;
      if (!lines[last].empty() && lines[last].back() != '\n') lines[last] += '\n';
      lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(last) + 1, entry);
    }
  }
  std::string out;
  for (const auto& l : lines) out += l;
  return out;
}

}  // namespace

Result<std::string> withProjectRule(std::string_view text, const std::string& path, const std::string& id, const std::string& level) {
  const std::string out = withTableEntry(text, "[rules]", "rule severities for this project: off, info, warning or error", id,
                                         level.empty() ? std::string() : "\"" + level + "\"");
  // What the text now says must be what was asked; anything else is left to the user.
  auto check = parseProjectFile(out, path);
  if (!check) return check.error();
  auto it = check->rules.find(id);
  if (level.empty() ? it != check->rules.end() : (it == check->rules.end() || it->second != level))
    return errorAt(path, "could not set [rules] " + id + " in this file (its [rules] is not a plain table): edit it by hand");
  return out;
}

Result<std::string> withProjectLayerSize(std::string_view text, const std::string& path, int line, std::optional<std::uint64_t> bytes) {
  const std::string out = withTableEntry(text, "[sizes.layers]", "by the Dockerfile line where the RUN/COPY/ADD starts",
                                         std::to_string(line), bytes ? std::to_string(*bytes) : std::string());
  auto check = parseProjectFile(out, path);
  if (!check) return check.error();
  auto it = check->layerSizes.find(line);
  if (bytes ? (it == check->layerSizes.end() || it->second != *bytes) : it != check->layerSizes.end())
    return errorAt(path, "could not set [sizes.layers] " + std::to_string(line) + " in this file (it is not a plain table): edit it by hand");
  return out;
}

std::string projectFileText(const ProjectFile& f) {
  std::string out =
      "# slimbench.toml: figures you gave for what slimbench does not know, kept with the project.\n"
      "# Sizes: \"35 MB\", \"350MiB\" or a number of bytes. See slimbench's docs/cli.md, \"Your own figures\".\n";
  if (!f.layerSizes.empty()) {
    out += "\n[sizes.layers]  # by the Dockerfile line where the RUN/COPY/ADD starts\n";
    for (const auto& [line, bytes] : f.layerSizes) out += std::to_string(line) + " = " + std::to_string(bytes) + "\n";
  }
  if (!f.packageSizes.empty()) {
    out += "\n[sizes.packages]  # installed size of a Python distribution\n";
    for (const auto& [name, bytes] : f.packageSizes) out += quoted(name) + " = " + std::to_string(bytes) + "\n";
  }
  if (!f.baseSizes.empty()) {
    out += "\n[sizes.base]  # on-disk size of a base image\n";
    for (const auto& [name, bytes] : f.baseSizes) out += quoted(name) + " = " + std::to_string(bytes) + "\n";
  }
  if (!f.baseImages.empty()) {
    out += "\n[base-images]  # a saved image whose layers stand for the base\n";
    for (const auto& [name, path] : f.baseImages) out += quoted(name) + " = " + quoted(path) + "\n";
  }
  if (!f.rules.empty()) {
    out += "\n[rules]  # rule severities for this project: off, info, warning or error\n";
    for (const auto& [id, level] : f.rules) out += id + " = " + quoted(level) + "\n";
  }
  return out;
}

void mergeProjectFile(const ProjectFile& f, AnalysisOptions& options) {
  auto& s = options.settings;
  for (const auto& [line, bytes] : f.layerSizes) {
    bool given = false;
    for (const auto& g : s.layerSizes) given = given || g.line == line;
    if (!given) s.layerSizes.push_back({line, {}, bytes});
  }
  for (const auto& [name, bytes] : f.packageSizes) s.packageSizes.emplace(python::normalizeName(name), bytes);
  for (const auto& [name, bytes] : f.baseSizes) s.baseSizes.emplace(name, bytes);
  for (const auto& [id, level] : f.rules) options.ruleOverrides.emplace(id, level);  // a --rule-severity wins
}

}  // namespace slimbench::estimate
