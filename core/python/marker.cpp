#include "python/marker.h"

#include <algorithm>
#include <cctype>

#include "python/version.h"

namespace slimbench::python {

bool Target::setPlatform(std::string_view p) {
  if (p.substr(0, 6) == "linux/") p.remove_prefix(6);
  if (p == "amd64" || p == "x86_64") { arch = "x86_64"; return true; }
  if (p == "arm64" || p == "aarch64" || p == "arm64/v8") { arch = "aarch64"; return true; }
  return false;
}

std::string Target::pythonMinor() const {
  auto dot = python.find('.');
  if (dot == std::string::npos) return python;
  auto dot2 = python.find('.', dot + 1);
  return python.substr(0, dot2);
}

Environment Environment::forTarget(const Target& t) {
  Environment e;
  std::string full = t.python;
  if (std::count(full.begin(), full.end(), '.') < 2) full += ".0";  // X.Y means its first release
  e.values = {{"python_version", t.pythonMinor()},
              {"python_full_version", full},
              {"implementation_version", full},
              {"sys_platform", "linux"},
              {"platform_system", "Linux"},
              {"platform_machine", t.arch},
              {"platform_python_implementation", "CPython"},
              {"implementation_name", "cpython"},
              {"os_name", "posix"},
              {"platform_release", ""},
              {"platform_version", ""}};
  return e;
}

std::optional<std::string> Environment::get(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

struct Marker::Node {
  enum Kind { And, Or, Compare } kind = Compare;
  std::shared_ptr<const Node> left, right;
  // Compare: each side is a variable name or a literal string.
  bool lhsVar = false, rhsVar = false;
  std::string lhs, op, rhs;
};

namespace {

const char* const kVariables[] = {"python_version", "python_full_version", "os_name", "sys_platform",
                                  "platform_release", "platform_system", "platform_version", "platform_machine",
                                  "platform_python_implementation", "implementation_name",
                                  "implementation_version", "extra", "dependency_groups", "extras",
                                  // legacy spellings pip still accepts
                                  "os.name", "sys.platform", "platform.version", "platform.machine",
                                  "platform.python_implementation", "python_implementation"};

std::string canonicalVariable(const std::string& v) {
  if (v == "os.name") return "os_name";
  if (v == "sys.platform") return "sys_platform";
  if (v == "platform.version") return "platform_version";
  if (v == "platform.machine") return "platform_machine";
  if (v == "platform.python_implementation" || v == "python_implementation") return "platform_python_implementation";
  return v;
}

using NodePtr = std::shared_ptr<const Marker::Node>;

struct Parser {
  std::string_view s;
  std::size_t i = 0;
  std::optional<Diagnostic> error;

  void ws() { while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i; }
  void fail(std::string msg) {
    if (error) return;
    Diagnostic d;
    d.message = std::move(msg);
    d.where.column = static_cast<int>(i) + 1;
    error = d;
  }
  bool keyword(std::string_view w) {
    ws();
    if (s.substr(i, w.size()) != w) return false;
    std::size_t e = i + w.size();
    if (e < s.size() && (std::isalnum(static_cast<unsigned char>(s[e])) || s[e] == '_')) return false;
    i = e;
    return true;
  }
  NodePtr orExpr() {
    NodePtr l = andExpr();
    while (!error && keyword("or")) {
      auto n = std::make_shared<Marker::Node>();
      n->kind = Marker::Node::Or;
      n->left = l;
      n->right = andExpr();
      l = n;
    }
    return l;
  }
  NodePtr andExpr() {
    NodePtr l = atom();
    while (!error && keyword("and")) {
      auto n = std::make_shared<Marker::Node>();
      n->kind = Marker::Node::And;
      n->left = l;
      n->right = atom();
      l = n;
    }
    return l;
  }
  // One side: a quoted string or a variable name.
  bool value(std::string& out, bool& isVar) {
    ws();
    if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
      char q = s[i];
      std::size_t e = s.find(q, i + 1);
      if (e == std::string_view::npos) { fail("unterminated string in marker"); return false; }
      out = std::string(s.substr(i + 1, e - i - 1));
      isVar = false;
      i = e + 1;
      return true;
    }
    std::size_t b = i;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '.')) ++i;
    std::string name(s.substr(b, i - b));
    if (name.empty()) { fail("expected a marker variable (like python_version) or a quoted string"); return false; }
    if (std::find(std::begin(kVariables), std::end(kVariables), name) == std::end(kVariables)) {
      i = b;
      fail("unknown marker variable '" + name + "'");
      return false;
    }
    out = canonicalVariable(name);
    isVar = true;
    return true;
  }
  NodePtr atom() {
    ws();
    if (i < s.size() && s[i] == '(') {
      ++i;
      NodePtr n = orExpr();
      ws();
      if (!error && (i >= s.size() || s[i] != ')')) fail("expected ')' in marker");
      else ++i;
      return n;
    }
    auto n = std::make_shared<Marker::Node>();
    if (!value(n->lhs, n->lhsVar)) return n;
    ws();
    static const char* const kOps[] = {"===", "==", "!=", "<=", ">=", "~=", "<", ">"};
    for (const char* op : kOps)
      if (s.substr(i, std::char_traits<char>::length(op)) == op) { n->op = op; i += n->op.size(); break; }
    if (n->op.empty()) {
      if (keyword("in")) n->op = "in";
      else if (keyword("not")) {
        if (keyword("in")) n->op = "not in";
        else { fail("expected 'in' after 'not'"); return n; }
      } else { fail("expected a comparison (==, !=, <, <=, >, >=, ~=, ===, in, not in)"); return n; }
    }
    value(n->rhs, n->rhsVar);
    return n;
  }
};

std::string quote(const std::string& s) { return s.find('"') == std::string::npos ? "\"" + s + "\"" : "'" + s + "'"; }

std::string print(const Marker::Node& n, bool parenOr) {
  if (n.kind == Marker::Node::Compare)
    return (n.lhsVar ? n.lhs : quote(n.lhs)) + " " + n.op + " " + (n.rhsVar ? n.rhs : quote(n.rhs));
  if (n.kind == Marker::Node::And) return print(*n.left, true) + " and " + print(*n.right, true);
  std::string s = print(*n.left, false) + " or " + print(*n.right, false);
  return parenOr ? "(" + s + ")" : s;
}

bool compareStrings(const std::string& l, const std::string& op, const std::string& r) {
  if (op == "==" || op == "===") return l == r;
  if (op == "!=") return l != r;
  if (op == "<") return l < r;
  if (op == "<=") return l <= r;
  if (op == ">") return l > r;
  if (op == ">=") return l >= r;
  return false;  // ~= on plain strings: packaging raises, treat as not matching
}

// packaging's rule: the right side with the operator as a PEP 440 specifier when
// that parses (the left side must then be a version), else plain string comparison.
bool compare(const std::string& l, const std::string& op, const std::string& r) {
  if (op == "in") return r.find(l) != std::string::npos;
  if (op == "not in") return r.find(l) == std::string::npos;
  if (auto spec = Specifier::parse(op + r)) {
    if (op == "===") return spec->matchesText(l);
    auto v = Version::parse(l);
    return v && spec->matches(*v);
  }
  return compareStrings(l, op, r);
}

bool eval(const Marker::Node& n, const Environment& env, const std::vector<std::string>& extras) {
  if (n.kind == Marker::Node::And) return eval(*n.left, env, extras) && eval(*n.right, env, extras);
  if (n.kind == Marker::Node::Or) return eval(*n.left, env, extras) || eval(*n.right, env, extras);
  bool isExtra = (n.lhsVar && n.lhs == "extra") || (n.rhsVar && n.rhs == "extra");
  if (isExtra) {
    std::vector<std::string> names = extras;
    if (names.empty()) names.push_back("");
    for (const auto& x : names) {
      std::string l = n.lhsVar ? normalizeName(x) : normalizeName(n.lhs);
      std::string r = n.rhsVar ? normalizeName(x) : normalizeName(n.rhs);
      bool hit = compare(l, n.op, r);
      // "extra != x" must hold for every requested extra; "extra == x" for any.
      if (n.op == "!=" || n.op == "not in") { if (!hit) return false; }
      else if (hit) return true;
    }
    return n.op == "!=" || n.op == "not in";
  }
  auto side = [&](bool var, const std::string& v) { return var ? env.get(v).value_or("") : v; };
  return compare(side(n.lhsVar, n.lhs), n.op, side(n.rhsVar, n.rhs));
}

}  // namespace

Result<Marker> Marker::parse(std::string_view text) {
  Parser p;
  p.s = text;
  NodePtr root = p.orExpr();
  p.ws();
  if (!p.error && p.i < text.size()) p.fail("unexpected '" + std::string(text.substr(p.i, 12)) + "' in marker (expected 'and', 'or' or the end)");
  if (p.error) return *p.error;
  Marker m;
  m.root_ = root;
  return m;
}

bool Marker::evaluate(const Environment& env, const std::vector<std::string>& extras) const {
  return !root_ || eval(*root_, env, extras);
}

std::string Marker::str() const { return root_ ? print(*root_, false) : std::string(); }

}  // namespace slimbench::python
