#include "python/version.h"

#include <algorithm>
#include <cctype>

namespace slimbench::python {

namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

Diagnostic err(std::string msg, int column = 0) {
  Diagnostic d;
  d.message = std::move(msg);
  d.where.column = column;
  return d;
}

// A cursor over lower-cased version text.
struct Cursor {
  std::string s;
  std::size_t i = 0;
  bool overflow = false;
  bool eat(std::string_view w) {
    if (s.compare(i, w.size(), w) == 0) { i += w.size(); return true; }
    return false;
  }
  bool sep() {
    if (i < s.size() && (s[i] == '-' || s[i] == '_' || s[i] == '.')) { ++i; return true; }
    return false;
  }
  std::optional<std::uint64_t> number() {
    if (i >= s.size() || !isDigit(s[i])) return std::nullopt;
    std::uint64_t v = 0;
    while (i < s.size() && isDigit(s[i])) {
      auto d = static_cast<std::uint64_t>(s[i] - '0');
      if (v > (UINT64_MAX - d) / 10) overflow = true;
      v = v * 10 + d;
      ++i;
    }
    return v;
  }
};

// Numeric local segments sort above alphanumeric ones, and by value.
int compareLocalSegment(const std::string& a, const std::string& b) {
  bool an = !a.empty() && std::all_of(a.begin(), a.end(), isDigit);
  bool bn = !b.empty() && std::all_of(b.begin(), b.end(), isDigit);
  if (an != bn) return an ? 1 : -1;
  if (an) {
    auto strip = [](const std::string& x) {
      std::size_t k = x.find_first_not_of('0');
      return k == std::string::npos ? std::string() : x.substr(k);
    };
    std::string x = strip(a), y = strip(b);
    if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
    return x.compare(y) < 0 ? -1 : (x == y ? 0 : 1);
  }
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

template <class T>
int cmp(const T& a, const T& b) { return a < b ? -1 : (b < a ? 1 : 0); }

}  // namespace

std::string normalizeName(std::string_view name) {
  std::string out;
  bool pendingDash = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') { pendingDash = !out.empty() || pendingDash; continue; }
    if (pendingDash) out += '-';
    pendingDash = false;
    out += lower(c);
  }
  return out;
}

bool isValidName(std::string_view n) {
  if (n.empty() || !isAlnum(n.front()) || !isAlnum(n.back())) return false;
  return std::all_of(n.begin(), n.end(), [](char c) { return isAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

Result<Version> Version::parse(std::string_view text) {
  std::string_view t = trim(text);
  if (t.empty()) return err("expected a version");
  Cursor c;
  c.s.reserve(t.size());
  for (char ch : t) c.s += lower(ch);
  Version v;
  c.eat("v");
  // epoch
  std::size_t start = c.i;
  if (auto n = c.number(); n && c.eat("!")) v.epoch = *n;
  else c.i = start;
  // release
  auto first = c.number();
  if (!first) return err("expected a version number at '" + std::string(t) + "'", static_cast<int>(c.i) + 1);
  v.release.push_back(*first);
  while (c.i + 1 < c.s.size() && c.s[c.i] == '.' && isDigit(c.s[c.i + 1])) {
    ++c.i;
    v.release.push_back(*c.number());
  }
  // pre-release
  {
    std::size_t save = c.i;
    c.sep();
    static const std::pair<const char*, int> kPre[] = {{"alpha", 0}, {"beta", 1}, {"preview", 2}, {"pre", 2},
                                                        {"a", 0},     {"b", 1},    {"c", 2},       {"rc", 2}};
    bool found = false;
    for (auto [w, kind] : kPre) {
      if (std::string_view(w) == "c" && c.s.compare(c.i, 2, "rc") == 0) continue;
      if (c.eat(w)) {
        std::size_t afterWord = c.i;
        c.sep();
        auto n = c.number();
        if (!n) c.i = afterWord;
        v.pre = {kind, n.value_or(0)};
        found = true;
        break;
      }
    }
    if (!found) c.i = save;
  }
  // post-release
  {
    std::size_t save = c.i;
    bool found = false;
    if (c.eat("-")) {
      if (auto n = c.number()) { v.post = *n; found = true; }
    }
    if (!found) {
      c.i = save;
      c.sep();
      for (const char* w : {"post", "rev", "r"}) {
        if (c.eat(w)) {
          std::size_t afterWord = c.i;
          c.sep();
          auto n = c.number();
          if (!n) c.i = afterWord;
          v.post = n.value_or(0);
          found = true;
          break;
        }
      }
    }
    if (!found) c.i = save;
  }
  // dev release
  {
    std::size_t save = c.i;
    c.sep();
    if (c.eat("dev")) {
      std::size_t afterWord = c.i;
      c.sep();
      auto n = c.number();
      if (!n) c.i = afterWord;
      v.dev = n.value_or(0);
    } else {
      c.i = save;
    }
  }
  // local version
  if (c.eat("+")) {
    std::string seg;
    while (c.i < c.s.size()) {
      char ch = c.s[c.i];
      if (isAlnum(ch)) { seg += ch; ++c.i; continue; }
      if ((ch == '-' || ch == '_' || ch == '.') && !seg.empty()) { v.local.push_back(seg); seg.clear(); ++c.i; continue; }
      break;
    }
    if (seg.empty()) return err("expected a local version label after '+' in '" + std::string(t) + "'", static_cast<int>(c.i) + 1);
    v.local.push_back(seg);
  }
  if (c.overflow) return err("version number too large in '" + std::string(t) + "'");
  if (c.i != c.s.size())
    return err("invalid PEP 440 version '" + std::string(t) + "': unexpected '" + c.s.substr(c.i, 10) + "'",
               static_cast<int>(c.i) + 1);
  return v;
}

std::string Version::baseStr() const {
  std::string s;
  if (epoch) s = std::to_string(epoch) + "!";
  for (std::size_t k = 0; k < release.size(); ++k) s += (k ? "." : "") + std::to_string(release[k]);
  return s;
}

std::string Version::publicStr() const {
  std::string s = baseStr();
  if (pre) s += std::string(pre->first == 0 ? "a" : pre->first == 1 ? "b" : "rc") + std::to_string(pre->second);
  if (post) s += ".post" + std::to_string(*post);
  if (dev) s += ".dev" + std::to_string(*dev);
  return s;
}

std::string Version::str() const {
  std::string s = publicStr();
  for (std::size_t k = 0; k < local.size(); ++k) s += (k ? "." : "+") + local[k];
  return s;
}

Version Version::publicVersion() const {
  Version v = *this;
  v.local.clear();
  return v;
}

Version Version::baseVersion() const {
  Version v;
  v.epoch = epoch;
  v.release = release;
  return v;
}

int Version::compare(const Version& o) const {
  if (int c = cmp(epoch, o.epoch)) return c;
  std::size_t n = std::max(release.size(), o.release.size());
  for (std::size_t k = 0; k < n; ++k) {
    std::uint64_t a = k < release.size() ? release[k] : 0, b = k < o.release.size() ? o.release[k] : 0;
    if (int c = cmp(a, b)) return c;
  }
  // Pre-release key: a dev release of a final sorts before its pre-releases.
  auto preKey = [](const Version& v) -> std::pair<int, std::pair<int, std::uint64_t>> {
    if (!v.pre && !v.post && v.dev) return {-1, {0, 0}};
    if (!v.pre) return {1, {0, 0}};
    return {0, *v.pre};
  };
  if (int c = cmp(preKey(*this), preKey(o))) return c;
  auto postKey = [](const Version& v) { return v.post ? std::pair<int, std::uint64_t>{1, *v.post} : std::pair<int, std::uint64_t>{0, 0}; };
  if (int c = cmp(postKey(*this), postKey(o))) return c;
  auto devKey = [](const Version& v) { return v.dev ? std::pair<int, std::uint64_t>{0, *v.dev} : std::pair<int, std::uint64_t>{1, 0}; };
  if (int c = cmp(devKey(*this), devKey(o))) return c;
  if (local.empty() || o.local.empty()) return cmp(!local.empty(), !o.local.empty());
  for (std::size_t k = 0; k < std::min(local.size(), o.local.size()); ++k)
    if (int c = compareLocalSegment(local[k], o.local[k])) return c;
  return cmp(local.size(), o.local.size());
}

// ---- specifiers ----------------------------------------------------------

Result<Specifier> Specifier::parse(std::string_view text) {
  std::string_view t = trim(text);
  Specifier s;
  for (const char* op : {"===", "~=", "==", "!=", "<=", ">=", "<", ">"}) {
    if (t.substr(0, std::char_traits<char>::length(op)) == op) { s.op = op; break; }
  }
  if (s.op.empty()) return err("expected a version operator (==, !=, <=, >=, <, >, ~=, ===) at '" + std::string(t) + "'", 1);
  std::string_view rest = trim(t.substr(s.op.size()));
  int col = static_cast<int>(t.size() - rest.size()) + 1;
  if (rest.empty()) return err("expected a version after '" + s.op + "'", col);
  if (s.op == "===") {
    if (std::any_of(rest.begin(), rest.end(), isSpace)) return err("'===' takes a single word", col);
    s.version = std::string(rest);
    return s;
  }
  if (rest.size() >= 2 && rest.substr(rest.size() - 2) == ".*") {
    if (s.op != "==" && s.op != "!=") return err("'.*' is only allowed with == and !=", col);
    auto v = Version::parse(rest.substr(0, rest.size() - 2));
    if (!v) return err(v.error().message, col);
    if (v->pre || v->post || v->dev || v->isLocal())
      return err("'.*' can only follow a release number (like ==1.2.*)", col);
    s.wildcard = true;
    s.version = v->str() + ".*";
    return s;
  }
  auto v = Version::parse(rest);
  if (!v) return err(v.error().message, col + std::max(0, v.error().where.column - 1));
  if (v->isLocal() && s.op != "==" && s.op != "!=")
    return err("a local version (+" + v->local.front() + ") is only allowed with == and !=", col);
  if (s.op == "~=" && v->release.size() < 2) return err("'~=' needs at least two release numbers (like ~=1.4)", col);
  s.version = v->str();
  return s;
}

bool Specifier::mentionsPrerelease() const {
  if (op != "==" && op != ">=" && op != "<=" && op != "~=" && op != "===") return false;
  std::string_view text = version;
  if (wildcard) text.remove_suffix(2);
  auto v = Version::parse(text);
  return v && v->isPrerelease();
}

bool Specifier::matchesText(std::string_view candidate) const {
  if (op == "===") {
    std::string a(trim(candidate)), b = version;
    std::transform(a.begin(), a.end(), a.begin(), lower);
    std::transform(b.begin(), b.end(), b.begin(), lower);
    return a == b;
  }
  auto v = Version::parse(candidate);
  return v && matches(*v);
}

namespace {
// ==prefix.* : same epoch, release starts with the prefix (shorter releases padded with zeros).
bool prefixMatch(const Version& candidate, const Version& prefix) {
  if (candidate.epoch != prefix.epoch) return false;
  for (std::size_t k = 0; k < prefix.release.size(); ++k) {
    std::uint64_t c = k < candidate.release.size() ? candidate.release[k] : 0;
    if (c != prefix.release[k]) return false;
  }
  return true;
}
}  // namespace

bool Specifier::matches(const Version& v) const {
  if (op == "===") return matchesText(v.str());
  std::string_view text = version;
  if (wildcard) text.remove_suffix(2);
  auto parsed = Version::parse(text);
  if (!parsed) return false;
  const Version& spec = *parsed;
  if (op == "==" || op == "!=") {
    bool eq;
    if (wildcard) eq = prefixMatch(v, spec);
    else if (spec.isLocal()) eq = v == spec;
    else eq = v.publicVersion() == spec;
    return op == "==" ? eq : !eq;
  }
  if (op == "~=") {
    Version prefix = spec.baseVersion();
    prefix.release.pop_back();
    return v.publicVersion() >= spec && prefixMatch(v, prefix);
  }
  if (op == "<=") return v.publicVersion() <= spec;
  if (op == ">=") return v.publicVersion() >= spec;
  if (op == "<") {
    if (!(v < spec)) return false;
    // <3.0 excludes 3.0a1 (a pre-release of the very version) unless 3.0 is one itself.
    if (!spec.isPrerelease() && v.isPrerelease() && v.baseVersion() == spec.baseVersion()) return false;
    return true;
  }
  if (op == ">") {
    if (!(v > spec)) return false;
    // >1.7 excludes 1.7.post1 and 1.7+local unless asked for.
    if (!spec.isPostrelease() && v.isPostrelease() && v.baseVersion() == spec.baseVersion()) return false;
    if (v.isLocal() && v.baseVersion() == spec.baseVersion()) return false;
    return true;
  }
  return false;
}

Result<SpecifierSet> SpecifierSet::parse(std::string_view text) {
  SpecifierSet set;
  std::size_t pos = 0;
  if (trim(text).empty()) return set;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    std::string_view part = text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    std::size_t lead = 0;
    while (lead < part.size() && isSpace(part[lead])) ++lead;
    int col = static_cast<int>(pos + lead) + 1;
    if (trim(part).empty()) return err("expected a version specifier (like >=1.0)", col);
    auto s = Specifier::parse(part);
    if (!s) return err(s.error().message, col + std::max(0, s.error().where.column - 1));
    set.specifiers.push_back(*s);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return set;
}

bool SpecifierSet::mentionsPrerelease() const {
  return std::any_of(specifiers.begin(), specifiers.end(), [](const Specifier& s) { return s.mentionsPrerelease(); });
}

bool SpecifierSet::contains(const Version& v, bool allowPrereleases) const {
  if (v.isPrerelease() && !allowPrereleases && !mentionsPrerelease()) return false;
  return std::all_of(specifiers.begin(), specifiers.end(), [&](const Specifier& s) { return s.matches(v); });
}

bool SpecifierSet::contains(std::string_view version, bool allowPrereleases) const {
  auto v = Version::parse(version);
  if (!v) {  // only === can match text that is not a PEP 440 version
    return !specifiers.empty() &&
           std::all_of(specifiers.begin(), specifiers.end(), [&](const Specifier& s) { return s.op == "===" && s.matchesText(version); });
  }
  return contains(*v, allowPrereleases);
}

std::optional<std::size_t> SpecifierSet::best(const std::vector<Version>& candidates, bool allowPrereleases) const {
  std::optional<std::size_t> final, pre;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const Version& v = candidates[k];
    if (!contains(v, true)) continue;
    bool isPre = v.isPrerelease() && !allowPrereleases && !mentionsPrerelease();
    auto& slot = isPre ? pre : final;
    if (!slot || candidates[*slot] < v) slot = k;
  }
  return final ? final : pre;
}

void SpecifierSet::add(const SpecifierSet& other) {
  for (const auto& s : other.specifiers)
    if (std::none_of(specifiers.begin(), specifiers.end(), [&](const Specifier& x) { return x.str() == s.str(); }))
      specifiers.push_back(s);
}

std::string SpecifierSet::str() const {
  std::string s;
  for (const auto& sp : specifiers) s += (s.empty() ? "" : ",") + sp.str();
  return s;
}

}  // namespace slimbench::python
