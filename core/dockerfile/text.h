#pragma once
// Small text helpers shared by the Dockerfile readers (UTF-8 runes, Go-like spaces).
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace slimbench::dockerfile {

inline constexpr std::uint32_t kRuneError = 0xFFFD;

// Decodes the UTF-8 rune at s[i]: {rune, width}. Invalid bytes give {kRuneError, 1}.
inline std::pair<std::uint32_t, std::size_t> decodeRune(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  if (c < 0x80) return {c, 1};
  std::size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return {kRuneError, 1};
  std::uint32_t cp = c & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return {kRuneError, 1};
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return {kRuneError, 1};
  return {cp, len};
}

// Go's unicode.IsSpace.
inline bool isUnicodeSpace(std::uint32_t r) {
  switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case 0x85: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

inline std::string toLowerAscii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace slimbench::dockerfile
