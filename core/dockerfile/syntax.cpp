// A Dockerfile parser that reproduces BuildKit's syntax tree (the rules of
// moby/buildkit frontend/dockerfile/parser: directives, continuation lines,
// per-instruction argument rules, flags, heredocs). Written from its documented
// behaviour and checked against BuildKit's own test cases (tests/test_dockerfile_parser).
#include "dockerfile/syntax.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>

#include "dockerfile/text.h"

// `x == "literal"sv` compares lengths first, inline (x == "literal" is strlen + memcmp in a call).
using namespace std::string_view_literals;

namespace slimbench::dockerfile {

std::string Heredoc::body() const {
  if (!chomp) return content;
  std::string out;
  bool atLineStart = true;
  for (char c : content) {
    if (atLineStart && c == '\t') continue;
    atLineStart = (c == '\n');
    out += c;
  }
  return out;
}

std::string Instruction::lowerKeyword() const { return toLowerAscii(keyword); }

bool isKnownKeyword(std::string_view k) {
  static const char* const kKnown[] = {"add",        "arg",   "cmd",    "copy",    "entrypoint", "env",
                                       "expose",     "from",  "healthcheck", "label", "maintainer", "onbuild",
                                       "run",        "shell", "stopsignal",  "user",  "volume",     "workdir"};
  for (const char* w : kKnown)
    if (k == w) return true;
  return false;
}

// ---------------------------------------------------------------------------
// Go's strconv.Quote
namespace {
bool goIsPrint(std::uint32_t r) {
  if (r < 0x20 || r == 0x7f) return false;
  if (r < 0x80) return true;
  if (r <= 0xA0 || r == 0xAD) return false;
  if (r == 0x1680 || (r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F) ||
      (r >= 0x205F && r <= 0x2064) || r == 0x3000 || r == 0xFEFF || (r >= 0xFFF9 && r <= 0xFFFB))
    return false;
  if ((r >= 0xD800 && r <= 0xDFFF) || (r >= 0xE000 && r <= 0xF8FF) || r > 0x10FFFF) return false;
  return true;
}
}  // namespace

std::string goQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  std::size_t i = 0;
  char buf[16];
  while (i < s.size()) {
    // A run of printable ASCII other than '"' and '\\' (most of any text) is copied as it is.
    std::size_t j = i;
    while (j < s.size()) {
      const auto c = static_cast<unsigned char>(s[j]);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') break;
      ++j;
    }
    if (j > i) {
      out.append(s.substr(i, j - i));
      i = j;
      continue;
    }
    auto [r, w] = decodeRune(s, i);
    if (r == kRuneError && w == 1) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i]));
      out += buf;
      i += 1;
      continue;
    }
    if (r == '"' || r == '\\') {
      out += '\\';
      out += static_cast<char>(r);
    } else if (goIsPrint(r)) {
      out.append(s.substr(i, w));
    } else {
      switch (r) {
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        default:
          if (r < 0x20 || r == 0x7f) std::snprintf(buf, sizeof buf, "\\x%02x", r);
          else if (r < 0x10000) std::snprintf(buf, sizeof buf, "\\u%04x", r);
          else std::snprintf(buf, sizeof buf, "\\U%08x", r);
          out += buf;
      }
    }
    i += w;
  }
  out += '"';
  return out;
}

std::string Instruction::dump() const {
  std::string s = toLowerAscii(keyword);
  if (!flags.empty()) {
    s += " [";
    for (std::size_t i = 0; i < flags.size(); ++i) {
      if (i) s += ' ';
      s += goQuote(flags[i]);
    }
    s += ']';
  }
  if (sub) {
    s += " (";
    s += sub->dump();
    s += ')';
  }
  for (const auto& a : args) {
    s += ' ';
    s += goQuote(a);
  }
  return s;
}

std::string SyntaxTree::dump() const {
  std::string s;
  for (const auto& i : instructions) {
    s += '(';
    s += i.dump();
    s += ")\n";
  }
  return s;
}

// ---------------------------------------------------------------------------
namespace {

struct ParseError {
  std::string message;
};

struct Directives {
  char escape = '\\';
  bool done = false;
  std::vector<std::string> seen;
  std::vector<Directive> found;
};

// BuildKit: reDirectives = ^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$ with Go's \s = [\t\n\f\r ].
bool goSpaceClass(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

std::optional<std::string> possibleParserDirective(Directives& d, std::string_view token, int lineNo) {
  if (d.done) return std::nullopt;
  std::size_t i = 0;
  auto fail = [&] { d.done = true; return std::nullopt; };
  if (token.empty() || token[0] != '#') return fail();
  ++i;
  while (i < token.size() && goSpaceClass(token[i])) ++i;
  if (i >= token.size() || !std::isalpha(static_cast<unsigned char>(token[i]))) return fail();
  std::size_t ks = i;
  while (i < token.size() && std::isalnum(static_cast<unsigned char>(token[i]))) ++i;
  std::string key = toLowerAscii(token.substr(ks, i - ks));
  while (i < token.size() && goSpaceClass(token[i])) ++i;
  if (i >= token.size() || token[i] != '=') return fail();
  ++i;
  while (i < token.size() && goSpaceClass(token[i])) ++i;
  std::size_t ve = token.size();
  while (ve > i && goSpaceClass(token[ve - 1])) --ve;
  if (ve <= i) return fail();  // (.+?) needs one character
  std::string value(token.substr(i, ve - i));
  if (key != "escape"sv && key != "syntax"sv && key != "check"sv) return fail();
  if (std::find(d.seen.begin(), d.seen.end(), key) != d.seen.end())
    return "only one " + key + " parser directive can be used";
  d.seen.push_back(key);
  d.found.push_back({key, value, lineNo});
  if (key == "escape"sv) {
    if (value != "`"sv && value != "\\"sv)
      return "invalid escape token '" + value + "' does not match ` or \\";
    d.escape = value[0];
  }
  return std::nullopt;
}

std::string_view trimNewline(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Go's unicode.IsSpace for an ASCII byte.
bool asciiSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

std::string_view trimLeadingSpace(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {  // ASCII (nearly every byte): no rune to decode
      if (!asciiSpace(c)) break;
      ++i;
      continue;
    }
    auto [r, w] = decodeRune(s, i);
    if (!isUnicodeSpace(r)) break;
    i += w;
  }
  return s.substr(i);
}

bool isComment(std::string_view raw) {
  auto t = trimLeadingSpace(trimNewline(raw));
  return !t.empty() && t[0] == '#';
}

// trimComments: reComment ^#.*$ on a newline-free token removes it entirely.
std::string_view trimComments(std::string_view token) {
  if (!token.empty() && token[0] == '#' && token.find('\n') == std::string_view::npos) return {};
  return token;
}

// BuildKit's lineContinuationRegex: ([^E])E[ \t]*$|^E[ \t]*$ replaced by $1. The result is the
// start of `line` (a view of it: no copy per line).
std::pair<std::string_view, bool> trimContinuation(std::string_view line, char esc) {
  std::size_t end = line.size();
  while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  if (end == 0 || line[end - 1] != esc) return {line, true};
  std::size_t e = end - 1;
  if (e == 0) return {std::string_view(), false};
  if (line[e - 1] == esc) return {line, true};
  return {line.substr(0, e), false};
}

// reWhitespace = [\t\v\f\r ]+
bool isReWhitespace(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }

// Appends the parts to `out` (an instruction's arguments: no list of its own made first).
void splitReWhitespace(std::string_view s, int limit, std::vector<std::string>& out) {
  const std::size_t first = out.size();
  std::size_t start = 0, i = 0;
  while (i < s.size()) {
    if (limit > 0 && static_cast<int>(out.size() - first) == limit - 1) break;
    if (isReWhitespace(s[i])) {
      std::size_t j = i;
      while (j < s.size() && isReWhitespace(s[j])) ++j;
      out.emplace_back(s.substr(start, i - start));
      start = i = j;
    } else {
      ++i;
    }
  }
  out.emplace_back(s.substr(start));
}

std::string_view trimSpaceUnicode(std::string_view s) {
  s = trimLeadingSpace(s);
  while (!s.empty()) {
    const auto last = static_cast<unsigned char>(s.back());
    if (last < 0x80) {  // an ASCII last byte is a rune of its own
      if (!asciiSpace(last)) break;
      s.remove_suffix(1);
      continue;
    }
    // find the start of the last rune
    std::size_t st = s.size() - 1;
    while (st > 0 && (static_cast<unsigned char>(s[st]) & 0xC0) == 0x80) --st;
    auto [r, w] = decodeRune(s, st);
    if (!isUnicodeSpace(r) || st + w != s.size()) break;
    s.remove_suffix(w);
  }
  return s;
}

// The older BuildKit extractBuilderFlags (the one the conformance cases match):
// words starting with "--" at the start of the arguments are flags; "--" ends them.
// The rest after the flags is a view of the end of `line`.
std::pair<std::string_view, std::vector<std::string>> extractBuilderFlags(std::string_view line) {
  enum { inSpaces, inWord, inQuote } phase = inSpaces;
  std::vector<std::string> words;
  std::string word;
  char quote = 0;
  bool blankOK = false;
  for (std::size_t pos = 0; pos <= line.size(); ++pos) {
    char ch = pos < line.size() ? line[pos] : 0;
    if (phase == inSpaces) {
      if (pos == line.size()) break;
      if (std::isspace(static_cast<unsigned char>(ch))) continue;
      if (ch != '-' || pos + 1 == line.size() || line[pos + 1] != '-')
        return {line.substr(pos), words};
      phase = inWord;
    }
    if ((phase == inWord || phase == inQuote) && pos == line.size()) {
      if (word != "--"sv && (blankOK || !word.empty())) words.push_back(word);
      break;
    }
    if (phase == inWord) {
      if (std::isspace(static_cast<unsigned char>(ch))) {
        phase = inSpaces;
        if (word == "--"sv) return {line.substr(pos), words};
        if (blankOK || !word.empty()) words.push_back(word);
        word.clear();
        blankOK = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blankOK = true;
        phase = inQuote;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == line.size()) continue;
        ++pos;
        ch = line[pos];
      }
      word += ch;
      continue;
    }
    if (phase == inQuote) {
      if (ch == quote) {
        phase = inWord;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == line.size()) {
          phase = inWord;
          continue;
        }
        ++pos;
        ch = line[pos];
      }
      word += ch;
    }
  }
  return {std::string_view(), words};
}

// BuildKit parseWords: words with quotes kept; the escape token keeps the next char.
std::vector<std::string> parseWords(std::string_view rest, char esc) {
  enum { inSpaces, inWord, inQuote } phase = inSpaces;
  std::vector<std::string> words;
  std::uint32_t quote = 0;
  bool blankOK = false;
  std::string sb;
  std::uint32_t ch = 0;
  std::size_t chWidth = 0;
  auto append = [&](std::size_t at, std::size_t w) { sb.append(rest.substr(at, w)); };
  // Where the run of plain ASCII from `from` ends: at a byte >= 0x80, the escape token or one `stop` names.
  auto asciiRunEnd = [&](std::size_t from, auto stop) {
    while (from < rest.size()) {
      const unsigned char c = static_cast<unsigned char>(rest[from]);
      if (c >= 0x80 || c == static_cast<unsigned char>(esc) || stop(c)) break;
      ++from;
    }
    return from;
  };
  for (std::size_t pos = 0; pos <= rest.size(); pos += chWidth) {
    if (pos != rest.size()) std::tie(ch, chWidth) = decodeRune(rest, pos);
    if (phase == inSpaces) {
      if (pos == rest.size()) break;
      if (isUnicodeSpace(ch)) continue;
      phase = inWord;
    }
    if ((phase == inWord || phase == inQuote) && pos == rest.size()) {
      if (blankOK || !sb.empty()) words.push_back(sb);
      break;
    }
    if (phase == inWord) {
      if (isUnicodeSpace(ch)) {
        phase = inSpaces;
        if (blankOK || !sb.empty()) words.push_back(sb);
        sb.clear();
        blankOK = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blankOK = true;
        phase = inQuote;
      }
      if (ch == static_cast<unsigned char>(esc)) {
        if (pos + chWidth == rest.size()) continue;
        append(pos, chWidth);
        pos += chWidth;
        std::tie(ch, chWidth) = decodeRune(rest, pos);
      } else if (phase == inWord) {
        // A run of plain ASCII (no space, quote or escape) is appended at once, not a rune at a time.
        chWidth = asciiRunEnd(pos + chWidth, [](unsigned char c) { return isUnicodeSpace(c) || c == '\'' || c == '"'; }) - pos;
      }
      append(pos, chWidth);
      continue;
    }
    if (phase == inQuote) {
      if (ch == quote) phase = inWord;
      if (ch == static_cast<unsigned char>(esc) && quote != '\'') {
        if (pos + chWidth == rest.size()) {
          phase = inWord;
          continue;
        }
        append(pos, chWidth);
        pos += chWidth;
        std::tie(ch, chWidth) = decodeRune(rest, pos);
      } else if (phase == inQuote) {
        // Up to the closing quote or an escape, ASCII at once (spaces belong to the word here).
        chWidth = asciiRunEnd(pos + chWidth, [&](unsigned char c) { return c == quote; }) - pos;
      }
      append(pos, chWidth);
    }
  }
  return words;
}

enum class JsonOutcome { Ok, NotJson, NotStringArray };

// The exec form, ["python", "app.py"], read as nlohmann's parser reads JSON without building a
// document (one allocation per element, the parser's own, and an error message made for each
// text that is not JSON, which fuzzed input mostly is): strings with every JSON escape and UTF-8
// checked as RFC 3629 has it, JSON whitespace between items, nothing after the array.
// Other: an item that is not a string; whether the whole is JSON is then the parser's to say.
enum class ArrayRead { Strings, NotJson, Other };

// One JSON string from s[i] (just after its opening quote) into `out`; i ends after the closing
// quote. False for what nlohmann rejects: a control character, a bad escape or \u sequence
// (surrogates must pair), malformed UTF-8, no closing quote.
bool readJsonString(std::string_view s, std::size_t& i, std::string& out) {
  auto hex4 = [&](std::size_t at) -> int {
    if (at + 4 > s.size()) return -1;
    int v = 0;
    for (std::size_t k = at; k < at + 4; ++k) {
      const char c = s[k];
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  };
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      ++i;
      return true;
    }
    if (c < 0x20) return false;
    if (c == '\\') {
      if (i + 1 >= s.size()) return false;
      const char e = s[i + 1];
      i += 2;
      switch (e) {
        case '"': out += '"'; continue;
        case '\\': out += '\\'; continue;
        case '/': out += '/'; continue;
        case 'b': out += '\b'; continue;
        case 'f': out += '\f'; continue;
        case 'n': out += '\n'; continue;
        case 'r': out += '\r'; continue;
        case 't': out += '\t'; continue;
        case 'u': break;
        default: return false;
      }
      int cp = hex4(i);
      if (cp < 0) return false;
      i += 4;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (i + 1 >= s.size() || s[i] != '\\' || s[i + 1] != 'u') return false;
        const int low = hex4(i + 2);
        if (low < 0xDC00 || low > 0xDFFF) return false;
        i += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return false;
      }
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
      }
      continue;
    }
    if (c < 0x80) {  // a run of plain ASCII at once
      std::size_t j = i + 1;
      while (j < s.size() && static_cast<unsigned char>(s[j]) >= 0x20 && static_cast<unsigned char>(s[j]) < 0x80 && s[j] != '"' &&
             s[j] != '\\')
        ++j;
      out.append(s.substr(i, j - i));
      i = j;
      continue;
    }
    // UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF)
    int n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c == 0xE0) n = 2, lo = 0xA0;
    else if (c == 0xED) n = 2, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) n = 2;
    else if (c == 0xF0) n = 3, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) n = 3;
    else if (c == 0xF4) n = 3, hi = 0x8F;
    else return false;
    if (i + static_cast<std::size_t>(n) >= s.size()) return false;
    const unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    if (c1 < lo || c1 > hi) return false;
    for (int k = 2; k <= n; ++k) {
      const unsigned char ck = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if (ck < 0x80 || ck > 0xBF) return false;
    }
    out.append(s.substr(i, static_cast<std::size_t>(n) + 1));
    i += static_cast<std::size_t>(n) + 1;
  }
  return false;  // no closing quote
}

// `s` starts with '['.
ArrayRead readStringArray(std::string_view s, std::vector<std::string>& out) {
  std::size_t i = 1;
  auto space = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  };
  auto end = [&] {
    ++i;  // ']'
    space();
    return i == s.size() ? ArrayRead::Strings : ArrayRead::NotJson;
  };
  space();
  if (i < s.size() && s[i] == ']') return end();
  for (;;) {
    if (i >= s.size()) return ArrayRead::NotJson;
    if (s[i] != '"') {
      // Another JSON value (object, array, number, true, false, null) or no value at all.
      const char c = s[i];
      const bool value = c == '{' || c == '[' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
      return value ? ArrayRead::Other : ArrayRead::NotJson;
    }
    ++i;
    if (!readJsonString(s, i, out.emplace_back())) return ArrayRead::NotJson;
    space();
    if (i < s.size() && s[i] == ',') {
      ++i;
      space();
      continue;
    }
    return i < s.size() && s[i] == ']' ? end() : ArrayRead::NotJson;
  }
}

JsonOutcome parseJsonArray(std::string_view rest, std::vector<std::string>& out) {
  rest = trimLeadingSpace(rest);
  if (rest.empty() || rest[0] != '[') return JsonOutcome::NotJson;
  out.clear();
  switch (readStringArray(rest, out)) {
    case ArrayRead::Strings: return JsonOutcome::Ok;
    case ArrayRead::NotJson: out.clear(); return JsonOutcome::NotJson;
    case ArrayRead::Other: out.clear(); break;
  }
  nlohmann::json j = nlohmann::json::parse(rest.begin(), rest.end(), nullptr, false);
  if (j.is_discarded() || !j.is_array()) return JsonOutcome::NotJson;
  out.clear();
  for (const auto& e : j) {
    if (!e.is_string()) return JsonOutcome::NotStringArray;
    out.push_back(e.get<std::string>());
  }
  return JsonOutcome::Ok;
}

const char* kNotStringArray = "when using JSON array syntax, arrays must be comprised of strings only";

void parseMaybeJSON(std::string_view rest, Instruction& n) {
  if (rest.empty()) return;
  std::vector<std::string> a;
  switch (parseJsonArray(rest, a)) {
    case JsonOutcome::Ok:
      n.args.insert(n.args.end(), std::make_move_iterator(a.begin()), std::make_move_iterator(a.end()));
      n.json = true;
      return;
    case JsonOutcome::NotStringArray: throw ParseError{kNotStringArray};
    case JsonOutcome::NotJson: n.args.emplace_back(rest); return;
  }
}

void parseStringsWhitespaceDelimited(std::string_view rest, Instruction& n) {
  if (rest.empty()) return;
  splitReWhitespace(rest, -1, n.args);
}

void parseMaybeJSONToList(std::string_view rest, Instruction& n) {
  std::vector<std::string> a;
  switch (parseJsonArray(rest, a)) {
    case JsonOutcome::Ok: n.args = std::move(a); n.json = true; return;
    case JsonOutcome::NotStringArray: throw ParseError{kNotStringArray};
    case JsonOutcome::NotJson: parseStringsWhitespaceDelimited(rest, n); return;
  }
}

void parseNameVal(std::string_view rest, const std::string& key, char esc, Instruction& n) {
  auto words = parseWords(rest, esc);
  if (words.empty()) return;
  if (words[0].find('=') == std::string::npos) {
    std::vector<std::string> parts;
    splitReWhitespace(rest, 2, parts);
    if (parts.size() < 2) throw ParseError{key + " must have two arguments"};
    n.args = {parts[0], parts[1], ""};
    return;
  }
  for (const auto& w : words) {
    auto eq = w.find('=');
    if (eq == std::string::npos)
      throw ParseError{"Syntax error - can't find = in " + goQuote(w) + ". Must be of the form: name=value"};
    n.args.push_back(w.substr(0, eq));
    n.args.push_back(w.substr(eq + 1));
    n.args.push_back("=");
  }
}

void parseHealthConfig(std::string_view rest, Instruction& n) {
  std::size_t sep = 0;
  for (; sep < rest.size(); ++sep)
    if (isUnicodeSpace(static_cast<unsigned char>(rest[sep]))) break;
  std::size_t next = sep;
  for (; next < rest.size(); ++next)
    if (!isUnicodeSpace(static_cast<unsigned char>(rest[next]))) break;
  if (sep == 0) return;
  n.args.emplace_back(rest.substr(0, sep));
  parseMaybeJSON(rest.substr(next), n);
}

Instruction newNodeFromLine(std::string_view line, char esc) {
  Instruction n;
  n.original = std::string(line);
  // splitReWhitespace(trimmed, 2): the keyword, and what follows the first run of whitespace.
  const std::string_view trimmed = trimSpaceUnicode(line);
  std::size_t kwEnd = 0;
  while (kwEnd < trimmed.size() && !isReWhitespace(trimmed[kwEnd])) ++kwEnd;
  n.keyword = std::string(trimmed.substr(0, kwEnd));
  std::string_view args;
  if (kwEnd < trimmed.size()) {
    std::size_t restStart = kwEnd;
    while (restStart < trimmed.size() && isReWhitespace(trimmed[restStart])) ++restStart;
    auto [rest, flags] = extractBuilderFlags(trimmed.substr(restStart));
    args = rest;
    n.flags = std::move(flags);
  }
  std::string_view a = trimSpaceUnicode(args);
  const std::string k = toLowerAscii(n.keyword);
  if (k == "add"sv || k == "copy"sv || k == "volume"sv) parseMaybeJSONToList(a, n);
  else if (k == "arg"sv) { for (auto& w : parseWords(a, esc)) n.args.push_back(std::move(w)); }
  else if (k == "cmd"sv || k == "entrypoint"sv || k == "run"sv || k == "shell"sv) parseMaybeJSON(a, n);
  else if (k == "env"sv) parseNameVal(a, "ENV", esc, n);
  else if (k == "label"sv) parseNameVal(a, "LABEL", esc, n);
  else if (k == "expose"sv || k == "from"sv) parseStringsWhitespaceDelimited(a, n);
  else if (k == "healthcheck"sv) parseHealthConfig(a, n);
  else if (k == "maintainer"sv || k == "stopsignal"sv || k == "user"sv || k == "workdir"sv) { if (!a.empty()) n.args.emplace_back(a); }
  else if (k == "onbuild"sv) {
    if (!a.empty()) n.sub = std::make_unique<Instruction>(newNodeFromLine(a, esc));
  } else {
    n.args.emplace_back();  // BuildKit's parseIgnore: unknown instruction, arguments dropped
  }
  return n;
}

// Shell-like split used to find heredoc words: quotes and escapes kept raw.
std::vector<std::string> rawShellWords(std::string_view s) {
  std::vector<std::string> words;
  std::string w;
  bool have = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\'' ) {
      auto j = s.find('\'', i + 1);
      if (j == std::string_view::npos) j = s.size() - 1;
      w.append(s.substr(i, j - i + 1));
      i = j;
      have = true;
    } else if (c == '"') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != '"') j += (s[j] == '\\' && j + 1 < s.size()) ? 2 : 1;
      if (j >= s.size()) j = s.size() - 1;
      w.append(s.substr(i, j - i + 1));
      i = j;
      have = true;
    } else if (c == '\\' && i + 1 < s.size()) {
      w.append(s.substr(i, 2));
      ++i;
      have = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (have) words.push_back(w);
      w.clear();
      have = false;
    } else {
      w += c;
      have = true;
    }
  }
  if (have) words.push_back(w);
  return words;
}

// Removes shell quoting from one word; false when it is not a single word.
bool unquoteWord(std::string_view s, std::string& out, bool& hadQuotes) {
  out.clear();
  hadQuotes = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\'') {
      auto j = s.find('\'', i + 1);
      if (j == std::string_view::npos) return false;
      out.append(s.substr(i + 1, j - i - 1));
      hadQuotes = true;
      i = j;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < s.size() && s[j] != '"'; ++j) {
        if (s[j] == '\\' && j + 1 < s.size() && (s[j + 1] == '"' || s[j + 1] == '\\' || s[j + 1] == '$')) ++j;
        out += s[j];
      }
      if (j >= s.size()) return false;
      hadQuotes = true;
      i = j;
    } else if (c == '\\') {
      if (i + 1 < s.size()) out += s[++i];
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      return false;
    } else {
      out += c;
    }
  }
  return !out.empty() || hadQuotes;
}

std::vector<Heredoc> heredocsFromLine(std::string_view line) {
  std::vector<Heredoc> docs;
  if (line.find("<<") == std::string_view::npos) return docs;  // every heredoc word holds "<<" as written
  for (const auto& word : rawShellWords(line)) {
    // ^(\d*)<<(-?)([^<]*)$
    std::size_t i = 0;
    while (i < word.size() && std::isdigit(static_cast<unsigned char>(word[i]))) ++i;
    if (word.compare(i, 2, "<<") != 0) continue;
    std::string fd = word.substr(0, i);
    i += 2;
    bool chomp = false;
    if (i < word.size() && word[i] == '-') { chomp = true; ++i; }
    std::string rest = word.substr(i);
    if (rest.empty() || rest.find('<') != std::string::npos) continue;
    Heredoc h;
    bool quoted = false;
    if (!unquoteWord(rest, h.name, quoted) || h.name.empty()) continue;
    h.expand = !quoted;
    h.chomp = chomp;
    h.fileDescriptor = fd.empty() ? 0u : static_cast<unsigned>(std::min<unsigned long>(std::stoul(fd.substr(0, 9)), 0xFFFFFFFFul));
    docs.push_back(std::move(h));
  }
  return docs;
}

// Whether a keyword is `lower` (lower-case ASCII) in any case, without making a lower-case copy.
bool keywordIs(std::string_view keyword, std::string_view lower) {
  if (keyword.size() != lower.size()) return false;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const char ch = keyword[i];
    if ((ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch) != lower[i]) return false;
  }
  return true;
}

bool canContainHeredoc(const Instruction& n) {
  const Instruction* x = &n;
  if (x->sub && keywordIs(x->keyword, "onbuild"sv)) x = x->sub.get();
  const std::string& k = x->keyword;
  if (!keywordIs(k, "run"sv) && !keywordIs(k, "copy"sv) && !keywordIs(k, "add"sv)) return false;
  return !x->json;
}

// Splits into lines that keep their "\n" (BuildKit's scanLines).
std::vector<std::string_view> scanLines(std::string_view text) {
  std::vector<std::string_view> lines;
  lines.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start + 1));
    start = nl + 1;
  }
  return lines;
}

}  // namespace

namespace {
// The parser. With `sink`, each instruction goes to it as soon as it is made and none is kept in
// the tree; without, they are collected in tree.instructions.
Result<SyntaxTree> parseInto(std::string_view text, const std::string& file, const InstructionSink* sink) {
  SyntaxTree tree;
  Directives d;
  auto lines = scanLines(text);
  std::size_t made = 0;
  if (!sink) {
    // Room for about one instruction per line not continued from the one before (a guess for
    // reserve only: moving 100k instructions as the vector doubled was a quarter of parse's time).
    std::size_t starts = 0;
    bool continued = false;
    for (auto l : lines) {
      while (!l.empty() && (l.back() == '\n' || l.back() == '\r' || l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
      starts += !continued;
      continued = !l.empty() && (l.back() == '\\' || l.back() == '`');
    }
    tree.instructions.reserve(starts);
  }
  std::size_t li = 0;
  int currentLine = 0;
  std::vector<std::string> comments;
  auto error = [&](std::string msg, int start, int end, int col = 0) {
    Diagnostic dg;
    dg.where.file = file;
    dg.where.line = start;
    dg.where.endLine = end;
    dg.where.column = col;
    dg.message = std::move(msg);
    return dg;
  };

  auto processLine = [&](std::string_view raw, bool stripLeft, std::string_view& token) -> std::optional<std::string> {
    std::string_view t = trimNewline(raw);
    if (stripLeft) t = trimLeadingSpace(t);
    auto err = possibleParserDirective(d, t, currentLine + 1);
    token = trimComments(t);
    return err;
  };

  while (li < lines.size()) {
    std::string_view raw = lines[li++];
    if (currentLine == 0 && raw.substr(0, 3) == "\xEF\xBB\xBF"sv) raw.remove_prefix(3);
    if (isComment(raw)) {
      auto c = trimLeadingSpace(trimNewline(raw));
      comments.emplace_back(trimSpaceUnicode(c.substr(1)));
    }
    std::string_view token;
    if (auto e = processLine(raw, true, token)) return error(*e, currentLine + 1, currentLine + 1);
    ++currentLine;
    const int startLine = currentLine;
    auto [first, eol] = trimContinuation(token, d.escape);
    if (eol && first.empty()) continue;
    // The instruction's text: a view of the file's line, or of `joined` once continuation lines
    // are added (an instruction on one line is not copied here).
    std::string_view line = first;
    std::string joined;

    bool hasEmptyContinuation = false;
    while (!eol && li < lines.size()) {
      std::string_view raw2 = lines[li++];
      std::string_view tok2;
      if (auto e = processLine(raw2, false, tok2)) return error(*e, currentLine + 1, currentLine + 1);
      ++currentLine;
      if (isComment(raw2)) continue;
      if (trimLeadingSpace(trimNewline(tok2)).empty()) {
        hasEmptyContinuation = true;
        continue;
      }
      auto [l2, e2] = trimContinuation(tok2, d.escape);
      if (line.data() != joined.data()) joined.assign(line);
      joined += l2;
      line = joined;
      eol = e2;
    }
    if (hasEmptyContinuation) {
      Diagnostic w = error("empty continuation line found in this instruction; empty continuation lines will become errors in a future BuildKit release", startLine, currentLine);
      w.severity = Severity::Warning;
      tree.warnings.push_back(std::move(w));
    }

    Instruction child;
    try {
      child = newNodeFromLine(line, d.escape);
    } catch (const ParseError& pe) {
      return error(pe.message, startLine, currentLine);
    }
    if (canContainHeredoc(child)) {
      for (auto& h : heredocsFromLine(line)) {
        bool terminated = false;
        while (li < lines.size()) {
          std::string_view r = lines[li++];
          ++currentLine;
          std::string_view possible = trimNewline(r);
          if (h.chomp) {
            while (!possible.empty() && possible[0] == '\t') possible.remove_prefix(1);
          }
          if (possible == h.name) {
            terminated = true;
            break;
          }
          h.content.append(r);
        }
        if (!terminated)
          return error("unterminated heredoc: expected a line \"" + h.name + "\" to end the heredoc started here", startLine, currentLine);
        child.heredocs.push_back(std::move(h));
      }
    }
    child.startLine = startLine;
    child.endLine = currentLine;
    child.comments = std::move(comments);
    comments.clear();
    ++made;
    if (sink) (*sink)(std::move(child), d.escape);
    else tree.instructions.push_back(std::move(child));
  }
  tree.escapeToken = d.escape;
  tree.directives = std::move(d.found);
  if (made == 0)
    return error("file with no instructions: expected at least one instruction such as FROM", currentLine, currentLine);
  return tree;
}
}  // namespace

Result<SyntaxTree> parse(std::string_view text, const std::string& file) { return parseInto(text, file, nullptr); }

Result<SyntaxTree> parseEach(std::string_view text, const std::string& file, const InstructionSink& sink) {
  return parseInto(text, file, &sink);
}

}  // namespace slimbench::dockerfile
