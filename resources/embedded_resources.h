#pragma once
// Files under resources/catalogue and resources/examples, embedded at build time.
// Paths are relative to resources/, e.g. "catalogue/base-images.json".
#include <optional>
#include <string_view>
#include <vector>

namespace slimbench::resources {
// The bytes of an embedded file, or nullopt when no such file was embedded.
std::optional<std::string_view> find(std::string_view path);
// Embedded paths starting with prefix, sorted.
std::vector<std::string_view> list(std::string_view prefix);
}  // namespace slimbench::resources
