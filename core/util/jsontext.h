#pragma once
// JSON to text without exceptions: invalid UTF-8 in user data is replaced by U+FFFD.
#include <nlohmann/json.hpp>
#include <cstdint>
#include <string>

namespace slimbench {
template <class J>
std::string jsonText(const J& j, int indent = 2) {
  return j.dump(indent, ' ', false, nlohmann::detail::error_handler_t::replace);
}
}  // namespace slimbench

namespace slimbench {
// Field readers that never throw: a missing, null or mistyped field gives the fallback.
template <class J>
std::string jStr(const J& j, const char* key, const std::string& fallback = {}) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->template get<std::string>() : fallback;
}
template <class J>
std::uint64_t jU64(const J& j, const char* key, std::uint64_t fallback = 0) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return fallback;
  if (it->is_number_float()) return it->template get<double>() < 0 ? fallback : static_cast<std::uint64_t>(it->template get<double>());
  if (it->is_number_integer() && it->template get<std::int64_t>() < 0) return fallback;
  return it->template get<std::uint64_t>();
}
template <class J>
double jNum(const J& j, const char* key, double fallback = 0) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->template get<double>() : fallback;
}
template <class J>
bool jBool(const J& j, const char* key, bool fallback = false) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() ? it->template get<bool>() : fallback;
}
}  // namespace slimbench
