#pragma once
// Debian's own builds of PyPI projects (resources/catalogue/debian-python-proxy.json.zst, made by
// scripts/debian-python-proxy.py from Debian's Packages indexes and dh-python's
// cpython3_fallback name map): a stated proxy for a requirement no wheel data knows.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostic.h"

namespace slimbench::python {

struct DebianBuild {
  std::string suite, arch;  // "trixie", "amd64"
  std::string version;      // Debian's version, e.g. "6.0.11-1"
  std::int64_t installedKiB = -1;  // Installed-Size
  std::int64_t debBytes = -1;      // the .deb's Size
  bool archAll = false;            // Architecture: all (pure Python)
  // The upstream part of version: no epoch, no Debian revision ("1:2.3-4" -> "2.3").
  std::string upstreamVersion() const;
};

struct DebianProxyEntry {
  std::string name;        // PyPI name, normalised
  std::string package;     // Debian package, e.g. python3-feedparser
  std::vector<DebianBuild> builds;
  std::vector<std::string> dependencies;  // PyPI names of its python3 Depends
};

class DebianProxy {
 public:
  // Indexes the one-package-per-line JSON (inflated by the caller); an entry is parsed when asked for.
  static Result<DebianProxy> fromJson(std::string_view json);
  std::optional<DebianProxyEntry> find(std::string_view name) const;
  // The build for arch ("amd64"/"arm64"): that of `suite` when given and present, else
  // trixie's, else bookworm's; another architecture's only when this one has none.
  static const DebianBuild* pick(const DebianProxyEntry& e, std::string_view arch, std::string_view suite = {});
  std::size_t size() const;
  std::vector<std::string> names() const;

 private:
  struct Data;
  std::shared_ptr<const Data> data_;
};

}  // namespace slimbench::python
