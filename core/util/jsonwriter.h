#pragma once
// Streams pretty-printed JSON — the same text as nlohmann's dump(2) of the whole document —
// without building the document: large outputs (a 100k-line Dockerfile gives hundreds of MB of
// analysis) are written a small value at a time, so memory stays flat.
//
//   JsonWriter w(stdout);
//   w.beginObject();
//   w.field("schema", "x");
//   w.key("layers"); w.beginArray(); for (...) w.value(layerJson(l)); w.endArray();
//   w.endObject();
//   w.finish();   // flushes; also done by the destructor
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/jsontext.h"

namespace slimbench {

class JsonWriter {
 public:
  explicit JsonWriter(std::FILE* out) : out_(out) {}
  JsonWriter() = default;  // collects into text()
  ~JsonWriter() { flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void beginObject() { open('{', true); }
  void beginArray() { open('[', false); }
  // On one line: this container and everything in it written compact, `{"a":1,"b":[2,3]}` (a
  // record of a long list — a layer, a finding — is then one line of the text, as jq -c writes
  // it). Values given as nlohmann documents inside are dumped the same way.
  void beginObjectLine() { open('{', true, true); }
  void beginArrayLine() { open('[', false, true); }
  void endObject() { close('}'); }
  void endArray() { close(']'); }

  void key(std::string_view k) {
    separator();
    appendString(k);
    put(oneLine() ? std::string_view(":") : std::string_view(": "));
    afterKey_ = true;
  }
  // One whole value at the current place (after key(), in an array, or as the document):
  // a JSON document, or a scalar (strings, integers and booleans written directly).
  template <class V>
  void value(const V& v) {
    if (afterKey_) afterKey_ = false;
    else separator();
    if constexpr (std::is_same_v<V, nlohmann::ordered_json> || std::is_same_v<V, nlohmann::json>) {
      if (oneLine()) put(jsonText(v, -1));
      else appendIndented(jsonText(v));
    }
    else if constexpr (std::is_same_v<V, bool>) put(v ? std::string_view("true") : std::string_view("false"));
    else if constexpr (std::is_same_v<V, std::nullptr_t>) put("null");
    else if constexpr (std::is_integral_v<V>) {
      char tmp[24];
      auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
      put(std::string_view(tmp, static_cast<std::size_t>(r.ptr - tmp)));
    } else if constexpr (std::is_floating_point_v<V>) appendDouble(static_cast<double>(v));
    else if constexpr (std::is_convertible_v<const V&, std::string_view>) appendString(std::string_view(v));
    else if (oneLine()) put(jsonText(nlohmann::ordered_json(v), -1));
    else appendIndented(jsonText(nlohmann::ordered_json(v)));
    maybeFlush();
  }
  // A name written in the code ("diskBytes"): plain ASCII, so copied without being looked at.
  template <std::size_t N>
  void key(const char (&k)[N]) {
    separator();
    const bool line = oneLine();
    char* p = room(N + (line ? 2 : 3));
    *p++ = '"';
    std::memcpy(p, k, N - 1);
    p += N - 1;
    *p++ = '"';
    *p++ = ':';
    if (!line) *p = ' ';
    afterKey_ = true;
  }
  template <class V>
  void field(std::string_view k, const V& v) {
    key(k);
    value(v);
  }
  template <std::size_t N, class V>
  void field(const char (&k)[N], const V& v) {
    key(k);
    value(v);
  }
  // key: [items...], each item written as value(item).
  template <class K, class C>
  void arrayField(const K& k, const C& items) {
    key(k);
    beginArray();
    for (const auto& item : items) value(item);
    endArray();
  }

  // Ends the document (a newline, as printf("%s\n", dump) wrote) and flushes.
  void finish() {
    put('\n');
    flush();
  }
  const std::string& text() const {  // the collected text (no FILE*)
    buf_.resize(len_);
    return buf_;
  }

 private:
  struct Frame {
    bool object;
    std::size_t count;
    bool oneLine = false;
  };
  bool oneLine() const { return !frames_.empty() && frames_.back().oneLine; }
  void separator() {
    if (frames_.empty()) return;
    Frame& f = frames_.back();
    if (f.oneLine) {
      if (f.count++) put(',');
      return;
    }
    put(f.count++ ? std::string_view(",\n") : std::string_view("\n"));
    fill(frames_.size() * 2, ' ');
  }
  void open(char c, bool object, bool line = false) {
    const bool inLine = oneLine();
    if (afterKey_) afterKey_ = false;
    else separator();
    put(c);
    frames_.push_back({object, 0, line || inLine});
  }
  void close(char c) {
    const Frame f = frames_.back();
    frames_.pop_back();
    if (f.count && !f.oneLine) {
      put('\n');
      fill(frames_.size() * 2, ' ');
    }
    put(c);
    maybeFlush();
  }
  // A string as nlohmann writes it: plain printable ASCII directly, anything else (escapes,
  // UTF-8, invalid bytes replaced by U+FFFD) through nlohmann's own serializer.
  // A JSON string as nlohmann's dump writes it (ensure_ascii off): " and \\ escaped, \\b \\t \\n
  // \\f \\r, other control characters as \\u00xx, DEL and valid UTF-8 as they are. Text with
  // invalid UTF-8 goes through nlohmann (U+FFFD replaces the bad bytes, as before).
  void appendString(std::string_view sv) {
    const std::size_t plain = plainPrefix(sv);  // most strings are plain ASCII: copied as they are
    if (plain == sv.size()) {
      put('"');
      appendLong(sv);
      put('"');
      return;
    }
    if (!validUtf8(sv.substr(plain))) {
      put(jsonText(nlohmann::json(std::string(sv))));
      return;
    }
    put('"');
    std::size_t run = 0;  // start of the bytes not yet copied
    for (std::size_t i = nextEscape(sv, plain); i < sv.size(); i = nextEscape(sv, i + 1)) {
      const unsigned char ch = static_cast<unsigned char>(sv[i]);
      put(sv.substr(run, i - run));
      run = i + 1;
      maybeFlush();  // a long text (a variant's Dockerfile) goes out as it is escaped
      switch (ch) {
        case '"': put("\\\""); break;
        case '\\': put("\\\\"); break;
        case '\b': put("\\b"); break;
        case '\t': put("\\t"); break;
        case '\n': put("\\n"); break;
        case '\f': put("\\f"); break;
        case '\r': put("\\r"); break;
        default: {
          static const char hex[] = "0123456789abcdef";
          const char u[] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
          put(std::string_view(u, sizeof u));
        }
      }
    }
    appendLong(sv.substr(run));
    put('"');
  }
  // Text copied as it is: a long one straight to the file, not through the buffer.
  void appendLong(std::string_view sv) {
    if (out_ && sv.size() >= kFlushAt) {
      flush();
      std::fwrite(sv.data(), 1, sv.size(), out_);
      return;
    }
    put(sv);
  }
  // A double as dump writes it. Whole numbers below 10^15 are exact ("0.0", "12.0", "-3.0");
  // the rest (fractions, exponents, NaN) go through nlohmann, whose shortest-digit printing this
  // does not repeat.
  void appendDouble(double d) {
    if (d > -1e15 && d < 1e15 && d == std::trunc(d) && !(d == 0 && std::signbit(d))) {
      char tmp[24];
      auto r = std::to_chars(tmp, tmp + sizeof tmp, static_cast<long long>(d));
      put(std::string_view(tmp, static_cast<std::size_t>(r.ptr - tmp)));
      put(".0");
      return;
    }
    appendIndented(jsonText(nlohmann::ordered_json(d)));
  }
  // The first byte at or after `i` that JSON escapes (< 0x20, '"', '\\') — and, with
  // kStopAtHigh, any byte >= 0x80 — eight bytes at a time; sv.size() when none.
  template <bool kStopAtHigh>
  static std::size_t scanTo(std::string_view sv, std::size_t i) {
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    auto hasZero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    for (; i + 8 <= sv.size(); i += 8) {
      std::uint64_t x;
      std::memcpy(&x, sv.data() + i, 8);
      // a byte < 0x20 (x - 0x20 borrows into the high bit), a '"' or a '\\' (a borrow may flag a
      // byte that is none of them: the bytes are then looked at one by one)
      std::uint64_t special = ((x - ones * 0x20) & ~x & highs) | hasZero(x ^ (ones * '"')) | hasZero(x ^ (ones * '\\'));
      if constexpr (kStopAtHigh) special |= x & highs;
      if (special) break;
    }
    for (; i < sv.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(sv[i]);
      if (c < 0x20 || c == '"' || c == '\\' || (kStopAtHigh && c >= 0x80)) return i;
    }
    return sv.size();
  }
  // Length of the leading run of printable ASCII other than " and \\ (copied as it is).
  static std::size_t plainPrefix(std::string_view sv) { return scanTo<true>(sv, 0); }
  // Where the next character to escape is (bytes >= 0x80, valid UTF-8 checked before, are copied).
  static std::size_t nextEscape(std::string_view sv, std::size_t i) { return scanTo<false>(sv, i); }
  // RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
  static bool validUtf8(std::string_view sv) {
    const auto* p = reinterpret_cast<const unsigned char*>(sv.data());
    const auto* end = p + sv.size();
    while (p < end) {
      const unsigned char c = *p;
      if (c < 0x80) {
        ++p;
        continue;
      }
      int n;
      unsigned char lo = 0x80, hi = 0xbf;
      if (c >= 0xc2 && c <= 0xdf) n = 1;
      else if (c == 0xe0) n = 2, lo = 0xa0;
      else if (c == 0xed) n = 2, hi = 0x9f;
      else if (c >= 0xe1 && c <= 0xef) n = 2;
      else if (c == 0xf0) n = 3, lo = 0x90;
      else if (c >= 0xf1 && c <= 0xf3) n = 3;
      else if (c == 0xf4) n = 3, hi = 0x8f;
      else return false;
      if (end - p <= n) return false;
      if (p[1] < lo || p[1] > hi) return false;
      for (int k = 2; k <= n; ++k)
        if (p[k] < 0x80 || p[k] > 0xbf) return false;
      p += n + 1;
    }
    return true;
  }
  // A value dumped at depth 0 placed at the current depth: every line after the first moves
  // right (JSON strings hold no raw newline, so each '\n' is a line break of the dump).
  void appendIndented(const std::string& text) {
    const std::size_t pad = frames_.size() * 2;
    if (!pad) {
      put(text);
      return;
    }
    std::size_t from = 0;
    for (std::size_t nl; (nl = text.find('\n', from)) != std::string::npos; from = nl + 1) {
      put(std::string_view(text).substr(from, nl + 1 - from));
      fill(pad, ' ');
    }
    put(std::string_view(text).substr(from));
  }
  [[gnu::noinline]] void grow(std::size_t n) { buf_.resize(std::max(buf_.size() * 2, len_ + n + 4096)); }
  [[gnu::always_inline]] char* room(std::size_t n) {
    if (len_ + n > buf_.size()) [[unlikely]] grow(n);
    char* p = buf_.data() + len_;
    len_ += n;
    return p;
  }
  [[gnu::always_inline]] void put(std::string_view s) {
    if (!s.empty()) std::memcpy(room(s.size()), s.data(), s.size());
  }
  [[gnu::always_inline]] void put(char c) { *room(1) = c; }
  void fill(std::size_t n, char c) {
    if (n) std::memset(room(n), c, n);
  }
  static constexpr std::size_t kFlushAt = 1u << 20;
  void maybeFlush() {
    if (out_ && len_ >= kFlushAt) flush();
  }
  void flush() {
    if (!out_ || len_ == 0) return;
    std::fwrite(buf_.data(), 1, len_, out_);
    len_ = 0;
  }

  std::FILE* out_ = nullptr;
  // The text not yet written: buf_'s first len_ bytes (buf_ is grown, never shrunk, so that a
  // write is a bounds check and a copy, not a call into std::string).
  mutable std::string buf_;
  std::size_t len_ = 0;
  std::vector<Frame> frames_;
  bool afterKey_ = false;
};

}  // namespace slimbench
