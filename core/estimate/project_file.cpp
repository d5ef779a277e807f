#include "estimate/project_file.h"

#include <filesystem>
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

Result<ProjectFile> readProjectFile(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return ProjectFile{};
  auto text = readTextFile(path, TextLimits{1024 * 1024, true});
  if (!text) return text.error();
  toml::table t;
  try {
    t = toml::parse(*text, path);
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
    if (key != "sizes" && key != "base-images" && key != "settings" && key != "rules")
      return at(path, v, "unknown table [" + key + "] (expected [sizes.layers], [sizes.packages], [sizes.base] or [base-images])");
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
  return f;
}

std::string projectFileText(const ProjectFile& f) {
  std::string out =
      "# slimbench.toml: figures you gave for what slimbench does not know, kept with the project.\n"
      "# Sizes: \"35 MB\", \"350MiB\" or a number of bytes. See slimbench's README, \"Your own figures\".\n";
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
}

}  // namespace slimbench::estimate
