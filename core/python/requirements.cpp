#include "python/requirements.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "python/wheel.h"

namespace slimbench::python {

namespace fs = std::filesystem;

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
bool isNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

Diagnostic err(std::string msg, int column) {
  Diagnostic d;
  d.message = std::move(msg);
  d.where.column = column;
  return d;
}

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool endsWith(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; }

bool looksLikeUrl(std::string_view s) {
  for (const char* vcs : {"git+", "hg+", "svn+", "bzr+"})
    if (startsWith(s, vcs)) return true;
  if (startsWith(s, "file:")) return true;
  auto p = s.find("://");
  if (p == std::string_view::npos || p == 0) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<long>(p),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'; });
}

bool looksLikeArchive(std::string_view s) {
  for (const char* ext : {".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz", ".tar"})
    if (endsWith(s, ext)) return true;
  return false;
}

bool looksLikePath(std::string_view s) {
  return s == "." || s == ".." || startsWith(s, "./") || startsWith(s, "../") || startsWith(s, "/") ||
         startsWith(s, "~") || s.find('/') != std::string_view::npos || s.find('\\') != std::string_view::npos ||
         looksLikeArchive(s);
}

// Name from "#egg=name[extras]" or a wheel's file name at the end of a URL/path.
std::string nameFromLink(std::string_view link, std::vector<std::string>& extras) {
  auto frag = link.find('#');
  if (frag != std::string_view::npos) {
    std::string_view f = link.substr(frag + 1);
    auto egg = f.find("egg=");
    if (egg != std::string_view::npos && (egg == 0 || f[egg - 1] == '&')) {
      std::string_view n = f.substr(egg + 4);
      n = n.substr(0, n.find('&'));
      // Old requirement files write "#egg=name==1.2.3": the project name ends at a version operator.
      n = n.substr(0, n.find_first_of("=<>!~ "));
      auto br = n.find('[');
      if (br != std::string_view::npos) {
        std::string_view ex = n.substr(br + 1, n.find(']') == std::string_view::npos ? std::string_view::npos : n.find(']') - br - 1);
        std::size_t p = 0;
        while (p <= ex.size()) {
          auto c = ex.find(',', p);
          auto one = trim(ex.substr(p, c == std::string_view::npos ? std::string_view::npos : c - p));
          if (!one.empty()) extras.push_back(normalizeName(one));
          if (c == std::string_view::npos) break;
          p = c + 1;
        }
        n = n.substr(0, br);
      }
      return normalizeName(n);
    }
  }
  std::string_view path = link.substr(0, frag);
  path = path.substr(0, path.find('?'));
  std::string_view file = path.substr(path.find_last_of('/') == std::string_view::npos ? 0 : path.find_last_of('/') + 1);
  if (endsWith(file, ".whl")) {
    if (auto w = WheelName::parse(file)) return w->name;
  }
  return {};
}

void sortExtras(std::vector<std::string>& extras) {
  std::sort(extras.begin(), extras.end());
  extras.erase(std::unique(extras.begin(), extras.end()), extras.end());
}

}  // namespace

bool Requirement::applies(const Environment& env, const std::vector<std::string>& activeExtras) const {
  return !marker || marker->evaluate(env, activeExtras);
}

std::string Requirement::str() const {
  std::string s = name.empty() ? url : name;
  if (!extras.empty() && !name.empty()) {
    s += "[";
    for (std::size_t k = 0; k < extras.size(); ++k) s += (k ? "," : "") + extras[k];
    s += "]";
  }
  if (!url.empty() && !name.empty()) s += " @ " + url;
  else s += specifier.str();
  if (marker) s += (url.empty() ? "; " : " ; ") + marker->str();
  return s;
}

Result<Requirement> parseRequirement(std::string_view text) {
  Requirement r;
  std::size_t i = 0;
  auto ws = [&] { while (i < text.size() && isSpace(text[i])) ++i; };
  auto col = [&](std::size_t at) { return static_cast<int>(at) + 1; };
  ws();
  std::size_t nb = i;
  while (i < text.size() && isNameChar(text[i])) ++i;
  std::string_view rawName = text.substr(nb, i - nb);
  if (rawName.empty()) return err("expected a package name", col(nb));
  if (!isValidName(rawName)) return err("invalid package name '" + std::string(rawName) + "' (must start and end with a letter or digit)", col(nb));
  r.name = normalizeName(rawName);
  ws();
  if (i < text.size() && text[i] == '[') {
    ++i;
    for (;;) {
      ws();
      if (i < text.size() && text[i] == ']' && r.extras.empty()) { ++i; break; }
      std::size_t eb = i;
      while (i < text.size() && isNameChar(text[i])) ++i;
      std::string_view ex = text.substr(eb, i - eb);
      if (ex.empty() || !isValidName(ex)) return err("expected an extra name", col(eb));
      r.extras.push_back(normalizeName(ex));
      ws();
      if (i < text.size() && text[i] == ',') { ++i; continue; }
      if (i < text.size() && text[i] == ']') { ++i; break; }
      return err("expected ',' or ']' after extra name", col(i));
    }
    sortExtras(r.extras);
    ws();
  }
  std::size_t markerAt = std::string_view::npos;
  if (i < text.size() && text[i] == '@') {
    ++i;
    ws();
    std::size_t ub = i;
    while (i < text.size() && !isSpace(text[i])) ++i;
    r.url = std::string(text.substr(ub, i - ub));
    if (r.url.empty()) return err("expected a URL after '@'", col(ub));
    if (r.url.find(':') == std::string::npos && !startsWith(r.url, "/") && !startsWith(r.url, "."))
      return err("expected a URL after '@' (like https://... or file:///...)", col(ub));
    ws();
    if (i < text.size()) {
      if (text[i] != ';') return err("expected ';' and a marker after the URL", col(i));
      markerAt = i + 1;
    }
  } else {
    bool paren = i < text.size() && text[i] == '(';
    if (paren) ++i;
    std::size_t sb = i;
    while (i < text.size() && text[i] != ';' && !(paren && text[i] == ')')) ++i;
    std::string_view spec = text.substr(sb, i - sb);
    if (paren) {
      if (i >= text.size()) return err("expected ')' to close the version specifier", col(i));
      ++i;
      ws();
      if (i < text.size() && text[i] != ';') return err("expected ';' or the end after ')'", col(i));
    }
    if (!trim(spec).empty()) {
      auto set = SpecifierSet::parse(spec);
      if (!set) return err(set.error().message, col(sb) + std::max(0, set.error().where.column - 1));
      r.specifier = *set;
    }
    if (i < text.size() && text[i] == ';') markerAt = i + 1;
  }
  if (markerAt != std::string_view::npos) {
    std::string_view m = text.substr(markerAt);
    if (trim(m).empty()) return err("expected a marker after ';'", col(markerAt));
    auto mk = Marker::parse(m);
    if (!mk) return err(mk.error().message, col(markerAt) + std::max(0, mk.error().where.column - 1));
    r.marker = *mk;
  }
  r.text = std::string(trim(text));
  return r;
}

std::vector<std::pair<std::string, std::string>> GlobalOptions::list() const {
  std::vector<std::pair<std::string, std::string>> out;
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
    return s;
  };
  if (!indexUrl.empty()) out.emplace_back("index-url", indexUrl);
  for (const auto& u : extraIndexUrls) out.emplace_back("extra-index-url", u);
  if (noIndex) out.emplace_back("no-index", "");
  for (const auto& u : findLinks) out.emplace_back("find-links", u);
  for (const auto& u : trustedHosts) out.emplace_back("trusted-host", u);
  if (!onlyBinary.empty()) out.emplace_back("only-binary", join(onlyBinary));
  if (!noBinary.empty()) out.emplace_back("no-binary", join(noBinary));
  if (preferBinary) out.emplace_back("prefer-binary", "");
  if (pre) out.emplace_back("pre", "");
  if (requireHashes) out.emplace_back("require-hashes", "");
  for (const auto& u : useFeature) out.emplace_back("use-feature", u);
  return out;
}

namespace {

struct Token {
  std::string text;
  std::size_t column;  // 0-based in the logical line
};

// shlex-like split (pip uses shlex.split for the option part).
std::vector<Token> splitWords(std::string_view s, std::size_t base) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && isSpace(s[i])) ++i;
    if (i >= s.size()) break;
    Token t{{}, base + i};
    while (i < s.size() && !isSpace(s[i])) {
      char c = s[i];
      if (c == '"' || c == '\'') {
        auto e = s.find(c, i + 1);
        if (e == std::string_view::npos) e = s.size();
        t.text += s.substr(i + 1, e - i - 1);
        i = e + 1;
      } else {
        t.text += c;
        ++i;
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

struct OptSpec {
  const char* longName;
  char shortName;
  bool takesValue;
  bool perRequirement;
};

const OptSpec kOptions[] = {
    {"requirement", 'r', true, false},   {"constraint", 'c', true, false},  {"editable", 'e', true, false},
    {"index-url", 'i', true, false},     {"extra-index-url", 0, true, false}, {"no-index", 0, false, false},
    {"find-links", 'f', true, false},    {"trusted-host", 0, true, false},  {"only-binary", 0, true, false},
    {"no-binary", 0, true, false},       {"prefer-binary", 0, false, false}, {"pre", 0, false, false},
    {"require-hashes", 0, false, false}, {"use-feature", 0, true, false},
    {"hash", 0, true, true},             {"config-settings", 'C', true, true}, {"global-option", 0, true, true},
};

struct Parsed {
  const OptSpec* spec;
  std::string value;
  std::size_t column;
};

class FileParser {
 public:
  FileParser(const ParseOptions& o, RequirementsFile& out) : opt_(o), out_(out) {}

  void parseFile(const std::string& path, bool constraint, std::vector<std::string>& stack, const SourceLocation* from) {
    auto text = readTextFile(path, opt_.limits);
    if (!text) {
      Diagnostic d = text.error();
      if (from) {
        d.where = *from;
        d.message = "cannot read included file '" + path + "': " + text.error().message;
      }
      out_.errors.push_back(d);
      return;
    }
    parseText(*text, path, constraint, stack);
  }

  void parseText(std::string_view text, const std::string& name, bool constraint, std::vector<std::string>& stack) {
    out_.files.push_back(name);
    if (auto bad = checkText(text, name, opt_.limits)) {
      out_.errors.push_back(*bad);
      return;
    }
    stack.push_back(canonical(name));
    // Physical lines -> logical lines: continuations joined, comments dropped (pip's preprocess).
    std::vector<std::string_view> lines;
    std::size_t p = 0;
    while (p < text.size()) {
      auto e = text.find('\n', p);
      if (e == std::string_view::npos) e = text.size();
      std::string_view l = text.substr(p, e - p);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      lines.push_back(l);
      p = e + 1;
    }
    std::string joined;
    int primary = 0;
    bool open = false;
    for (std::size_t k = 0; k < lines.size(); ++k) {
      std::string_view l = lines[k];
      bool comment = isCommentLine(l);
      if (!endsWith(l, "\\") || comment) {
        if (open) {
          if (!comment) joined += l;
          handleLine(joined, name, primary, constraint, stack);
          open = false;
          joined.clear();
        } else {
          handleLine(std::string(l), name, static_cast<int>(k) + 1, constraint, stack);
        }
      } else {
        if (!open) { primary = static_cast<int>(k) + 1; open = true; }
        l.remove_suffix(1);
        joined += l;
      }
    }
    if (open) handleLine(joined, name, primary, constraint, stack);
    stack.pop_back();
  }

 private:
  static std::string canonical(const std::string& p) {
    std::error_code ec;
    auto c = fs::weakly_canonical(fs::path(p), ec);
    return ec ? p : c.string();
  }

  static bool isCommentLine(std::string_view l) {
    std::size_t i = 0;
    while (i < l.size() && isSpace(l[i])) ++i;
    return i < l.size() && l[i] == '#';
  }

  // pip: "#" at the start or after whitespace starts a comment.
  static std::string stripComment(const std::string& l) {
    for (std::size_t i = 0; i < l.size(); ++i)
      if (l[i] == '#' && (i == 0 || isSpace(l[i - 1]))) return l.substr(0, i);
    return l;
  }

  std::string expandEnv(const std::string& l) const {
    static const std::regex kVar(R"(\$\{([A-Z0-9_]+)\})");
    std::string out;
    auto begin = std::sregex_iterator(l.begin(), l.end(), kVar);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      const auto& m = *it;
      out += l.substr(last, static_cast<std::size_t>(m.position(0)) - last);
      std::optional<std::string> v;
      if (opt_.env) v = opt_.env(m[1].str());
      else if (const char* e = std::getenv(m[1].str().c_str())) v = std::string(e);
      out += v ? *v : m[0].str();
      last = static_cast<std::size_t>(m.position(0) + m.length(0));
    }
    return out + l.substr(last);
  }

  void error(const std::string& file, int line, std::size_t column, std::string msg) {
    Diagnostic d;
    d.where.file = file;
    d.where.line = line;
    d.where.column = static_cast<int>(column) + 1;
    d.message = std::move(msg);
    out_.errors.push_back(std::move(d));
  }

  // Option words -> parsed options; unknown options are errors.
  std::vector<Parsed> parseOptions(const std::vector<Token>& words, const std::string& file, int line, bool& ok) {
    std::vector<Parsed> out;
    ok = true;
    for (std::size_t k = 0; k < words.size(); ++k) {
      const std::string& w = words[k].text;
      const std::size_t at = words[k].column;
      const OptSpec* spec = nullptr;
      std::string value;
      bool inlineValue = false;
      if (startsWith(w, "--")) {
        std::string n = w.substr(2);
        auto eq = n.find('=');
        if (eq != std::string::npos) { value = n.substr(eq + 1); n = n.substr(0, eq); inlineValue = true; }
        for (const auto& s : kOptions)
          if (n == s.longName) spec = &s;
        if (!spec) {
          error(file, line, words[k].column, "unknown option '--" + n + "' (pip would stop here)");
          ok = false;
          return out;
        }
      } else if (w.size() >= 2 && w[0] == '-') {
        for (const auto& s : kOptions)
          if (s.shortName == w[1]) spec = &s;
        if (!spec) {
          error(file, line, words[k].column, "unknown option '" + w.substr(0, 2) + "'");
          ok = false;
          return out;
        }
        if (w.size() > 2) { value = w.substr(2); inlineValue = true; if (value[0] == '=') value.erase(0, 1); }
      } else {
        error(file, line, words[k].column, "expected an option starting with '-', found '" + w + "'");
        ok = false;
        return out;
      }
      if (spec->takesValue && !inlineValue) {
        if (k + 1 >= words.size()) {
          error(file, line, words[k].column + w.size(), "expected a value after '" + w + "'");
          ok = false;
          return out;
        }
        value = words[++k].text;
      } else if (!spec->takesValue && inlineValue) {
        error(file, line, words[k].column, "option '" + w + "' takes no value");
        ok = false;
        return out;
      }
      out.push_back({spec, value, at});
    }
    return out;
  }

  static void addList(std::vector<std::string>& to, const std::string& value) {
    std::size_t p = 0;
    while (p <= value.size()) {
      auto c = value.find(',', p);
      std::string one(trim(std::string_view(value).substr(p, c == std::string::npos ? std::string::npos : c - p)));
      if (!one.empty()) to.push_back(one.front() == ':' ? one : normalizeName(one));
      if (c == std::string::npos) break;
      p = c + 1;
    }
  }

  // A requirement given as a path or URL (not PEP 508): name from #egg= or a wheel file name.
  Result<Requirement> linkRequirement(std::string_view text) {
    Requirement r;
    std::string_view link = text, marker;
    bool url = looksLikeUrl(text);
    auto sep = text.find(url ? "; " : ";");
    if (sep != std::string_view::npos) { link = trim(text.substr(0, sep)); marker = text.substr(sep + 1); }
    r.url = std::string(trim(link));
    r.name = nameFromLink(r.url, r.extras);
    // A local path's extras (./app[test,tls], pip's _strip_extras): the path is the folder.
    if (!url && r.url.size() > 2 && r.url.back() == ']' && r.url.find('[') != std::string::npos) {
      const auto open = r.url.rfind('[');
      std::string_view ex = std::string_view(r.url).substr(open + 1, r.url.size() - open - 2);
      for (std::size_t p = 0; p <= ex.size();) {
        const auto c = ex.find(',', p);
        const auto one = trim(ex.substr(p, c == std::string_view::npos ? std::string_view::npos : c - p));
        if (!one.empty()) r.extras.push_back(normalizeName(one));
        if (c == std::string_view::npos) break;
        p = c + 1;
      }
      r.url.erase(open);
    }
    sortExtras(r.extras);
    if (!trim(marker).empty()) {
      auto m = Marker::parse(marker);
      if (!m) return err(m.error().message, static_cast<int>(sep + 1) + std::max(0, m.error().where.column - 1));
      r.marker = *m;
    }
    r.text = std::string(trim(text));
    return r;
  }

  Result<Requirement> anyRequirement(std::string_view text) {
    std::string_view t = trim(text);
    std::string_view firstWord = t.substr(0, std::min(t.find(' '), t.find(';')));
    if (looksLikeUrl(firstWord)) return linkRequirement(text);
    if (firstWord == "." || firstWord == ".." || startsWith(firstWord, "./") || startsWith(firstWord, "../") ||
        startsWith(firstWord, "/") || startsWith(firstWord, "~"))
      return linkRequirement(text);
    // "name @ url" (PEP 508 direct reference) before the path heuristics.
    std::size_t i = 0;
    while (i < t.size() && isNameChar(t[i])) ++i;
    std::size_t j = i;
    if (j < t.size() && t[j] == '[') j = t.find(']', j) == std::string_view::npos ? t.size() : t.find(']', j) + 1;
    while (j < t.size() && isSpace(t[j])) ++j;
    if (i > 0 && j < t.size() && t[j] == '@') return parseRequirement(text);
    if (looksLikePath(firstWord)) return linkRequirement(text);
    return parseRequirement(text);
  }

  void include(const std::string& file, int line, std::size_t column, const std::string& target, bool constraint,
               std::vector<std::string>& stack) {
    if (!opt_.followIncludes) return;
    if (looksLikeUrl(target) && !startsWith(target, "file:")) {
      error(file, line, column, "remote include '" + target + "' is not read (only local files are)");
      return;
    }
    std::string rel = startsWith(target, "file://") ? target.substr(7) : startsWith(target, "file:") ? target.substr(5) : target;
    fs::path p(rel);
    if (p.is_relative()) p = fs::path(file).parent_path() / p;
    std::string path = p.lexically_normal().string();
    std::string canon = canonical(path);
    auto hit = std::find(stack.begin(), stack.end(), canon);
    if (hit != stack.end()) {
      std::string chain;
      for (auto it = hit; it != stack.end(); ++it) chain += fs::path(*it).filename().string() + " -> ";
      error(file, line, column, "include cycle: " + chain + fs::path(canon).filename().string());
      return;
    }
    if (static_cast<int>(stack.size()) >= opt_.maxDepth) {
      error(file, line, column, "includes nested deeper than " + std::to_string(opt_.maxDepth) + " files");
      return;
    }
    SourceLocation from;
    from.file = file;
    from.line = line;
    from.column = static_cast<int>(column) + 1;
    parseFile(path, constraint, stack, &from);
  }

  void handleLine(const std::string& raw, const std::string& file, int line, bool constraint, std::vector<std::string>& stack) {
    std::string l = expandEnv(stripComment(raw));
    std::string_view t = l;
    std::size_t lead = 0;
    while (lead < t.size() && isSpace(t[lead])) ++lead;
    if (lead == t.size()) return;
    // pip's break_args_options: words up to the first one starting with "-" are the requirement.
    std::size_t optStart = std::string_view::npos;
    if (t[lead] != '-') {
      std::size_t i = lead;
      while (i < t.size()) {
        while (i < t.size() && isSpace(t[i])) ++i;
        if (i < t.size() && t[i] == '-' && i > lead) { optStart = i; break; }
        while (i < t.size() && !isSpace(t[i])) ++i;
      }
    } else {
      optStart = lead;
    }
    std::string_view reqText = t.substr(lead, optStart == std::string_view::npos ? std::string_view::npos : optStart - lead);
    bool ok = true;
    std::vector<Parsed> opts;
    if (optStart != std::string_view::npos) opts = parseOptions(splitWords(t.substr(optStart), optStart), file, line, ok);
    if (!ok) return;

    auto addRequirement = [&](std::string_view text, std::size_t column, bool editable, const std::vector<Parsed>& perReq) {
      auto r = anyRequirement(text);
      if (!r) {
        error(file, line, column + static_cast<std::size_t>(std::max(0, r.error().where.column - 1)), r.error().message);
        return;
      }
      if (editable && r->url.empty() && r->specifier.empty() && !r->marker) {
        // "-e master[test,tls]": pip takes a word that is not a URL as a folder (its extras
        // stripped; an error when there is none). Where that folder is beside the file, it is one.
        const std::string_view t = trim(text);
        const fs::path dir = fs::path(file).parent_path() / std::string(t.substr(0, t.find('[')));
        std::error_code ec;
        if (fs::is_directory(dir, ec))
          if (auto link = linkRequirement(text)) r = std::move(link);
      }
      r->editable = editable;
      if (editable && r->url.empty()) {  // "-e name>=1" is not a thing; pip wants a path or VCS URL
        error(file, line, column, "-e needs a local path or a VCS URL, not '" + std::string(trim(text)) + "'");
        return;
      }
      r->constraint = constraint;
      r->file = file;
      r->line = line;
      for (const auto& o : perReq) {
        if (std::string_view(o.spec->longName) == "hash") r->hashes.push_back(o.value);
        else r->perRequirementOptions.push_back(std::string("--") + o.spec->longName + "=" + o.value);
      }
      out_.requirements.push_back(std::move(*r));
    };

    if (!reqText.empty()) {
      for (const auto& o : opts)
        if (!o.spec->perRequirement) {
          error(file, line, o.column, std::string("option '--") + o.spec->longName + "' is not allowed on a requirement line");
          return;
        }
      addRequirement(reqText, lead, false, opts);
      return;
    }
    // An options line.
    GlobalOptions& g = out_.options;
    std::vector<Parsed> perReq;
    for (const auto& o : opts)
      if (o.spec->perRequirement) perReq.push_back(o);
    for (const auto& o : opts) {
      std::string_view n = o.spec->longName;
      if (n == "requirement") include(file, line, o.column, o.value, false, stack);
      else if (n == "constraint") include(file, line, o.column, o.value, true, stack);
      else if (n == "editable") {
        std::size_t vcol = t.find(o.value, o.column);
        addRequirement(o.value, vcol == std::string_view::npos ? o.column : vcol, true, perReq);
      } else if (n == "index-url") g.indexUrl = o.value;
      else if (n == "extra-index-url") g.extraIndexUrls.push_back(o.value);
      else if (n == "no-index") g.noIndex = true;
      else if (n == "find-links") g.findLinks.push_back(o.value);
      else if (n == "trusted-host") g.trustedHosts.push_back(o.value);
      else if (n == "only-binary") addList(g.onlyBinary, o.value);
      else if (n == "no-binary") addList(g.noBinary, o.value);
      else if (n == "prefer-binary") g.preferBinary = true;
      else if (n == "pre") g.pre = true;
      else if (n == "require-hashes") g.requireHashes = true;
      else if (n == "use-feature") g.useFeature.push_back(o.value);
      else if (o.spec->perRequirement &&
               std::none_of(opts.begin(), opts.end(), [](const Parsed& x) { return std::string_view(x.spec->longName) == "editable"; }))
        error(file, line, o.column, std::string("option '--") + o.spec->longName + "' needs a requirement on the same line");
    }
  }

  const ParseOptions& opt_;
  RequirementsFile& out_;
};

}  // namespace

RequirementsFile parseRequirementsFile(const std::string& path, const ParseOptions& options) {
  RequirementsFile out;
  FileParser p(options, out);
  std::vector<std::string> stack;
  p.parseFile(path, false, stack, nullptr);
  return out;
}

RequirementsFile parseRequirementsText(std::string_view text, const std::string& name, const ParseOptions& options) {
  RequirementsFile out;
  FileParser p(options, out);
  std::vector<std::string> stack;
  p.parseText(text, name, false, stack);
  return out;
}

}  // namespace slimbench::python
