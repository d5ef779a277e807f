#include "dockerfile/shell.h"

#include <cctype>

namespace slimbench::dockerfile {
namespace {

struct Lexer {
  std::string_view s;
  std::size_t i = 0;
  char esc;
  const Lookup& lookup;
  ExpandResult& out;
  const std::function<bool(const std::string&)>& keep;
  int depth = 0;

  bool eof() const { return i >= s.size(); }
  char peek() const { return eof() ? '\0' : s[i]; }

  std::optional<std::string> get(const std::string& name) {
    auto v = lookup(name);
    if (!v) {
      for (const auto& u : out.unset)
        if (u == name) return v;
      out.unset.push_back(name);
    }
    return v;
  }

  bool fail(std::string msg) {
    if (out.error.empty()) out.error = std::move(msg);
    return false;
  }

  static bool nameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

  // Reads a word up to `stop` (for ${...} operands), expanding as it goes.
  bool word(std::string& acc, char stop) {
    while (!eof() && peek() != stop) {
      if (!one(acc, nullptr)) return false;
    }
    return true;
  }

  bool dollar(std::string& acc) {
    ++i;  // '$'
    if (eof()) { acc += '$'; return true; }
    if (peek() == '{') {
      ++i;
      struct Guard {
        int& d;
        ~Guard() { --d; }
      } guard{++depth};
      if (depth > 100) return fail("substitutions nested more than 100 deep");
      std::size_t st = i;
      while (!eof() && nameChar(peek())) ++i;
      std::string name(s.substr(st, i - st));
      if (name.empty()) return fail("bad substitution: expected a variable name after ${");
      if (eof()) return fail("missing '}' in ${" + name);
      char c = peek();
      if (c == '}') {
        ++i;
        if (auto v = get(name)) acc += *v;
        else if (keep && keep(name)) acc += "${" + name + "}";
        return true;
      }

      bool colon = false;
      if (c == ':') { colon = true; ++i; c = peek(); }
      if (c == '-' || c == '+' || c == '?') {
        ++i;
        std::string operand;
        if (!word(operand, '}')) return false;
        if (eof()) return fail("missing '}' in ${" + name);
        ++i;
        auto v = get(name);
        bool set = v.has_value() && (!colon || !v->empty());
        if (c == '-') acc += set ? *v : operand;
        else if (c == '+') acc += set ? operand : std::string();
        else {
          if (!set) return fail(name + ": " + (operand.empty() ? "is not allowed to be unset" : operand));
          acc += *v;
        }
        return true;
      }
      if (!colon && (c == '#' || c == '%')) {
        // ${VAR#pattern} / ${VAR%pattern}: literal-prefix/suffix removal (no globbing).
        ++i;
        bool longest = false;
        if (peek() == c) { longest = true; ++i; }
        std::string pat;
        if (!word(pat, '}')) return false;
        if (eof()) return fail("missing '}' in ${" + name);
        ++i;
        std::string v = get(name).value_or("");
        (void)longest;
        if (c == '#' && v.compare(0, pat.size(), pat) == 0) v = v.substr(pat.size());
        if (c == '%' && v.size() >= pat.size() && v.compare(v.size() - pat.size(), pat.size(), pat) == 0)
          v = v.substr(0, v.size() - pat.size());
        acc += v;
        return true;
      }
      return fail(std::string("unsupported modifier (") + c + ") in substitution ${" + name);
    }
    std::size_t st = i;
    while (!eof() && nameChar(peek())) ++i;
    if (st == i) { acc += '$'; return true; }
    std::string name(s.substr(st, i - st));
    if (auto v = get(name)) acc += *v;
    else if (keep && keep(name)) acc += "$" + name;
    return true;
  }

  // One unit: returns false on error. `quotedSeen` records quoting for word splitting.
  bool one(std::string& acc, bool* quotedSeen) {
    char c = peek();
    if (c == esc) {
      ++i;
      if (!eof()) acc += s[i++];
      return true;
    }
    if (c == '\'') {
      ++i;
      auto j = s.find('\'', i);
      if (j == std::string_view::npos) return fail("unexpected end of statement while looking for matching single-quote");
      acc.append(s.substr(i, j - i));
      i = j + 1;
      if (quotedSeen) *quotedSeen = true;
      return true;
    }
    if (c == '"') {
      ++i;
      for (;;) {
        if (eof()) return fail("unexpected end of statement while looking for matching double-quote");
        char d = peek();
        if (d == '"') { ++i; break; }
        if (d == '$') {
          if (!dollar(acc)) return false;
          continue;
        }
        ++i;
        if (d == esc) {
          if (eof()) continue;
          char n = peek();
          if (n == '"' || n == '$' || n == esc) { acc += n; ++i; continue; }
        }
        acc += d;
      }
      if (quotedSeen) *quotedSeen = true;
      return true;
    }
    if (c == '$') return dollar(acc);
    acc += c;
    ++i;
    return true;
  }
};

}  // namespace

ExpandResult expand(std::string_view text, const Lookup& lookup, char escape,
                    const std::function<bool(const std::string&)>& keepLiteral) {
  ExpandResult r;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  // Nothing to expand or unquote (most words): the text without its leading and trailing
  // whitespace, as the loop below makes it, without going through it a character at a time.
  bool plain = true;
  for (char c : text)
    if (c == '$' || c == '\'' || c == '"' || c == escape) {
      plain = false;
      break;
    }
  if (plain) {
    std::size_t b = 0, e = text.size();
    while (b < e && space(text[b])) ++b;
    while (e > b && space(text[e - 1])) --e;
    r.word.assign(text.substr(b, e - b));
    return r;
  }
  Lexer lx{text, 0, escape, lookup, r, keepLiteral};
  bool inWord = false;  // a word has started since the last whitespace (an empty "" starts one)
  while (!lx.eof()) {
    char c = lx.peek();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      if (inWord || !r.word.empty()) r.word += c;
      inWord = false;
      ++lx.i;
      continue;
    }
    // One unit, expanded straight onto the word.
    const std::size_t before = r.word.size();
    bool quoted = false;
    if (!lx.one(r.word, &quoted)) {
      r.word.resize(before);  // what the failed unit had added is not part of the word
      break;
    }
    inWord = inWord || quoted || r.word.size() > before;
  }
  // ProcessWord keeps inner whitespace but not trailing whitespace.
  while (!r.word.empty() && std::isspace(static_cast<unsigned char>(r.word.back()))) r.word.pop_back();
  return r;
}

}  // namespace slimbench::dockerfile
