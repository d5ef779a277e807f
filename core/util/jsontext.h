#pragma once
// JSON to text without exceptions: invalid UTF-8 in user data is replaced by U+FFFD.
#include <nlohmann/json.hpp>
#include <string>

namespace slimbench {
template <class J>
std::string jsonText(const J& j, int indent = 2) {
  return j.dump(indent, ' ', false, nlohmann::detail::error_handler_t::replace);
}
}  // namespace slimbench
