#pragma once
// Whether a text is one JSON document (RFC 8259, strings in RFC 3629 UTF-8), for the fuzz targets'
// "the output is JSON" checks. nlohmann::json::accept says the same, but builds every token in a
// buffer as it goes: under ASan it was a tenth of fuzz_dockerfile's time. The targets still ask
// nlohmann for some of the texts and stop if the two ever disagree (checkedJson below).
// Not coverage-instrumented: its branches say nothing about slimbench's.
#include <cstddef>
#include <cstdio>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fuzzjson {

class Validator {
 public:
  explicit Validator(std::string_view s) : s_(s) {}

  __attribute__((no_sanitize("coverage"))) bool document() {
    space();
    if (!value(0)) return false;
    space();
    return i_ == s_.size();
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;

  __attribute__((no_sanitize("coverage"))) int peek() const {
    return i_ < s_.size() ? static_cast<unsigned char>(s_[i_]) : -1;
  }
  __attribute__((no_sanitize("coverage"))) void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  __attribute__((no_sanitize("coverage"))) bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }
  __attribute__((no_sanitize("coverage"))) bool digits() {
    const std::size_t from = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    return i_ > from;
  }
  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  __attribute__((no_sanitize("coverage"))) bool number() {
    if (peek() == '-') ++i_;
    if (peek() == '0') ++i_;
    else if (peek() >= '1' && peek() <= '9') digits();
    else return false;
    if (peek() == '.') {
      ++i_;
      if (!digits()) return false;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++i_;
      if (peek() == '+' || peek() == '-') ++i_;
      if (!digits()) return false;
    }
    return true;
  }
  __attribute__((no_sanitize("coverage"))) bool hex4() {
    if (i_ + 4 > s_.size()) return false;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = s_[i_ + k];
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
    }
    return true;
  }
  __attribute__((no_sanitize("coverage"))) unsigned hexValue() const {
    unsigned v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = s_[i_ + k];
      v = v * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
  }
  // After the opening quote: escapes (a \u high surrogate followed by a \u low one), no control
  // characters, UTF-8 without overlong forms, surrogates or anything above U+10FFFF.
  __attribute__((no_sanitize("coverage"))) bool string() {
    for (;;) {
      const int c = peek();
      if (c < 0x20) return false;  // end of text or a control character
      ++i_;
      if (c == '"') return true;
      if (c == '\\') {
        const int e = peek();
        ++i_;
        if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') continue;
        if (e != 'u' || !hex4()) return false;
        const unsigned cp = hexValue();
        i_ += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (!literal("\\u") || !hex4()) return false;
          const unsigned low = hexValue();
          if (low < 0xDC00 || low > 0xDFFF) return false;
          i_ += 4;
        }
        continue;
      }
      if (c < 0x80) continue;
      int n;
      int lo = 0x80, hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) n = 1;
      else if (c == 0xE0) n = 2, lo = 0xA0;
      else if (c == 0xED) n = 2, hi = 0x9F;
      else if (c >= 0xE1 && c <= 0xEF) n = 2;
      else if (c == 0xF0) n = 3, lo = 0x90;
      else if (c >= 0xF1 && c <= 0xF3) n = 3;
      else if (c == 0xF4) n = 3, hi = 0x8F;
      else return false;
      for (int k = 0; k < n; ++k) {
        const int b = peek();
        if (b < (k == 0 ? lo : 0x80) || b > (k == 0 ? hi : 0xBF)) return false;
        ++i_;
      }
    }
  }
  __attribute__((no_sanitize("coverage"))) bool value(int depth) {
    if (depth > 512) return false;  // a bound on the recursion (slimbench's outputs nest a dozen deep)
    const int c = peek();
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++i_;
      space();
      if (peek() == close) {
        ++i_;
        return true;
      }
      for (;;) {
        if (c == '{') {
          if (peek() != '"') return false;
          ++i_;
          if (!string()) return false;
          space();
          if (peek() != ':') return false;
          ++i_;
          space();
        }
        if (!value(depth + 1)) return false;
        space();
        if (peek() == ',') {
          ++i_;
          space();
          continue;
        }
        if (peek() != close) return false;
        ++i_;
        return true;
      }
    }
    if (c == '"') {
      ++i_;
      return string();
    }
    if (c == 't') return literal("true");
    if (c == 'f') return literal("false");
    if (c == 'n') return literal("null");
    return number();
  }
};

inline bool isJson(std::string_view text) { return Validator(text).document(); }

// The check the targets make: the validator above, and with `reference` (the caller picks it by
// the input, so that an input always takes the same path) nlohmann::json::accept too, stopping
// the run if the two ever disagree.
inline bool checkedJson(std::string_view text, bool reference) {
  const bool ok = isJson(text);
  if (reference && nlohmann::json::accept(text) != ok) __builtin_trap();
  return ok;
}

// The validator against nlohmann on texts at the edges of the grammar (run once at start: a target
// whose validator disagrees stops before fuzzing).
inline void selfTest() {
  static const char* const texts[] = {
      "{}", "[]", " [ ] ", "{\"a\": [1, -0, 0.5, -1.5e+3, 2E-2, true, false, null, \"x\"]}", "\"\"", "0", "-", "01", "1.",
      "1e", ".5", "+1", "[1,]", "[,1]", "{\"a\" 1}", "{\"a\":}", "{1: 2}", "[\"a\"] x", "[\"a\"]\n", "[\"a\"]\v", "nul",
      "truex", "[\"\\u00e9\\ud83d\\ude00\"]", "[\"\\ud83d\"]", "[\"\\ude00\"]", "[\"\\ud83d\\u0041\"]", "[\"\\u12\"]",
      "[\"\\x\"]", "[\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"]", "[\"a\tb\"]", "[\"\x7f\"]", "[\"caf\xc3\xa9\"]",
      "[\"\xc3\"]", "[\"\xc0\x80\"]", "[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]", "[\"\xf0\x9f\x98\x80\"]",
      "[\"\xe2\x82\"]", "[[[[{\"a\": {}}]]]]", "[1 2]", "", " ", "\"unterminated", "{\"a\":1,}"};
  for (const char* t : texts)
    if (isJson(t) != nlohmann::json::accept(std::string_view(t))) {
      std::fprintf(stderr, "json_check.h: the validator and nlohmann disagree on %s\n", nlohmann::json(t).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace).c_str());
      __builtin_trap();
    }
}

}  // namespace fuzzjson
