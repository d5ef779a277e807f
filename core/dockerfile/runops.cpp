#include "dockerfile/runops.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace slimbench::dockerfile {

bool PackageOp::has(std::string_view option) const {
  return std::any_of(options.begin(), options.end(), [&](const auto& kv) { return kv.first == option; });
}

std::string PackageOp::value(std::string_view option) const {
  for (const auto& kv : options)
    if (kv.first == option) return kv.second;
  return {};
}

std::string Mount::target() const {
  for (const char* k : {"target", "dst", "destination"}) {
    auto it = fields.find(k);
    if (it != fields.end()) return it->second;
  }
  return {};
}

Mount parseMount(std::string_view value) {
  Mount m;
  // CSV: fields separated by commas; a field may be quoted with "...".
  std::vector<std::string> fields;
  std::string cur;
  bool inQuote = false;
  for (char c : value) {
    if (c == '"') { inQuote = !inQuote; continue; }
    if (c == ',' && !inQuote) { fields.push_back(cur); cur.clear(); continue; }
    cur += c;
  }
  fields.push_back(cur);
  for (auto& f : fields) {
    if (f.empty()) continue;
    auto eq = f.find('=');
    std::string k = f.substr(0, eq);
    for (auto& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string v = eq == std::string::npos ? std::string("true") : f.substr(eq + 1);
    if (k == "type") m.type = v;
    else m.fields[k] = v;
  }
  return m;
}

// ---------------------------------------------------------------------------
namespace {

enum class TokKind { Word, Op };
struct Tok {
  TokKind kind;
  std::string text;
  bool quoted = false;
};

bool isOpChar(char c) { return c == '&' || c == '|' || c == ';' || c == '(' || c == ')' || c == '<' || c == '>'; }

std::vector<Tok> tokenize(std::string_view s) {
  std::vector<Tok> out;
  std::string w;
  bool have = false, quoted = false;
  auto flush = [&] {
    if (have) out.push_back({TokKind::Word, w, quoted});
    w.clear();
    have = quoted = false;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      if (i + 1 < s.size()) {
        if (s[i + 1] == '\n') { ++i; continue; }  // line continuation inside a heredoc script
        w += s[++i];
        have = true;
      }
      continue;
    }
    if (c == '\'') {
      auto j = s.find('\'', i + 1);
      if (j == std::string_view::npos) j = s.size();
      w.append(s.substr(i + 1, j - i - 1));
      i = j;
      have = quoted = true;
      continue;
    }
    if (c == '"') {
      std::size_t j = i + 1;
      for (; j < s.size() && s[j] != '"'; ++j) {
        if (s[j] == '\\' && j + 1 < s.size() && std::string_view("\"\\$`\n").find(s[j + 1]) != std::string_view::npos) ++j;
        w += s[j];
      }
      i = j;
      have = quoted = true;
      continue;
    }
    if (c == '$' && i + 1 < s.size() && (s[i + 1] == '(' || s[i + 1] == '{')) {
      // $( ... ) or ${ ... }: keep verbatim inside the word, balancing brackets.
      char open = s[i + 1], close = open == '(' ? ')' : '}';
      int depth = 0;
      std::size_t j = i + 1;
      for (; j < s.size(); ++j) {
        if (s[j] == open) ++depth;
        else if (s[j] == close && --depth == 0) break;
      }
      w.append(s.substr(i, std::min(j, s.size() - 1) - i + 1));
      i = j;
      have = true;
      continue;
    }
    if (c == '`') {
      auto j = s.find('`', i + 1);
      if (j == std::string_view::npos) j = s.size();
      w.append(s.substr(i, j - i + 1));
      i = j;
      have = true;
      continue;
    }
    if (c == '#' && !have) {
      while (i < s.size() && s[i] != '\n') ++i;
      flush();
      out.push_back({TokKind::Op, "\n"});
      continue;
    }
    if (c == '\n') {
      flush();
      out.push_back({TokKind::Op, "\n"});
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      flush();
      continue;
    }
    if (isOpChar(c)) {
      // A redirection's fd prefix like 2> stays attached: "2" then ">".
      bool fdPrefix = have && !quoted && std::all_of(w.begin(), w.end(), ::isdigit) && (c == '<' || c == '>');
      if (fdPrefix) { w.clear(); have = false; }
      flush();
      std::string op(1, c);
      if (i + 1 < s.size()) {
        char n = s[i + 1];
        if ((c == '&' && n == '&') || (c == '|' && n == '|') || (c == '>' && (n == '>' || n == '&' || n == '|')) ||
            (c == '<' && (n == '<' || n == '&')) || (c == ';' && n == ';') || (c == '&' && n == '>')) {
          op += n;
          ++i;
        }
      }
      out.push_back({TokKind::Op, op});
      continue;
    }
    w += c;
    have = true;
  }
  flush();
  return out;
}

bool isRedirect(const std::string& op) {
  return op == ">" || op == ">>" || op == "<" || op == ">&" || op == "<&" || op == ">|" || op == "&>" || op == "<<";
}

}  // namespace

std::vector<ShellCommand> splitShell(std::string_view script) {
  std::vector<ShellCommand> cmds;
  ShellCommand cur;
  int depth = 0;
  bool skipping = false;
  auto toks = tokenize(script);
  auto finish = [&](const std::string& op) {
    if (!cur.argv.empty()) {
      cur.op = op;
      cur.depth = depth;
      cmds.push_back(std::move(cur));
    } else if (!cmds.empty() && cmds.back().op.empty()) {
      cmds.back().op = op;
    }
    cur = ShellCommand{};
  };
  for (std::size_t i = 0; i < toks.size(); ++i) {
    const auto& t = toks[i];
    if (t.kind == TokKind::Word) {
      if (skipping) continue;
      // Group and compound-command keywords at command start.
      if (cur.argv.empty() && !t.quoted) {
        if (t.text == "{" || t.text == "}") {
          depth += t.text == "{" ? 1 : -1;
          continue;
        }
        if (t.text == "then" || t.text == "else" || t.text == "do" || t.text == "elif" || t.text == "if" ||
            t.text == "while" || t.text == "until" || t.text == "!" || t.text == "fi" || t.text == "done" ||
            t.text == "esac")
          continue;
        if (t.text == "for" || t.text == "case" || t.text == "select") {
          skipping = true;  // "for x in a b" is not a command; its body after "do" is
          continue;
        }
      }
      cur.argv.push_back(t.text);
      continue;
    }
    skipping = false;
    const std::string& op = t.text;
    if (isRedirect(op)) {
      if (i + 1 < toks.size() && toks[i + 1].kind == TokKind::Word) ++i;  // drop the target
      continue;
    }
    if (op == "(") { finish(""); ++depth; continue; }
    if (op == ")") { finish(""); depth = std::max(0, depth - 1); continue; }
    if (op == "\n") { finish(";"); continue; }
    finish(op);
  }
  finish("");
  if (!cmds.empty()) cmds.back().op.clear();
  return cmds;
}

// ---------------------------------------------------------------------------
namespace {

std::string basename(const std::string& s) {
  auto p = s.rfind('/');
  return p == std::string::npos ? s : s.substr(p + 1);
}

bool isPythonExe(const std::string& w) {
  auto b = basename(w);
  if (b == "python" || b == "python3") return true;
  if (b.rfind("python3.", 0) == 0) return true;
  return false;
}

bool isPipExe(const std::string& w) {
  auto b = basename(w);
  return b == "pip" || b == "pip3" || (b.rfind("pip3.", 0) == 0);
}

std::string joined(const std::vector<std::string>& v, std::size_t from = 0) {
  std::string s;
  for (std::size_t i = from; i < v.size(); ++i) {
    if (i > from) s += ' ';
    s += v[i];
  }
  return s;
}

// Options of pip install/wheel/download/uninstall that take a value.
const std::set<std::string>& pipValueOptions() {
  static const std::set<std::string> s = {
      "requirement", "constraint", "editable", "index-url", "extra-index-url", "find-links", "target", "prefix",
      "root", "only-binary", "no-binary", "trusted-host", "wheel-dir", "progress-bar", "root-user-action",
      "platform", "python-version", "implementation", "abi", "src", "upgrade-strategy", "config-settings",
      "global-option", "build-option", "cache-dir", "log", "proxy", "retries", "timeout", "exists-action", "cert",
      "client-cert", "dest", "report", "python", "index-strategy", "extra", "group", "output-file", "format",
      "only", "without", "with", "extras", "directory", "project", "package"};
  return s;
}

const std::map<std::string, std::string>& pipShortOptions() {
  static const std::map<std::string, std::string> m = {
      {"r", "requirement"}, {"c", "constraint"}, {"e", "editable"}, {"i", "index-url"}, {"f", "find-links"},
      {"t", "target"},      {"w", "wheel-dir"},  {"U", "upgrade"},  {"q", "quiet"},     {"v", "verbose"},
      {"y", "yes"},         {"d", "dest"},       {"o", "output-file"}, {"E", "extras"}};
  return m;
}

// Parses pip-like arguments after the subcommand into an op.
void parsePipArgs(const std::vector<std::string>& a, std::size_t i, PackageOp& op) {
  const auto& valueOpts = pipValueOptions();
  const auto& shortOpts = pipShortOptions();
  bool endOpts = false;
  for (; i < a.size(); ++i) {
    const std::string& w = a[i];
    if (!endOpts && w == "--") { endOpts = true; continue; }
    if (!endOpts && w.rfind("--", 0) == 0) {
      std::string name = w.substr(2), val;
      auto eq = name.find('=');
      bool hasEq = eq != std::string::npos;
      if (hasEq) { val = name.substr(eq + 1); name = name.substr(0, eq); }
      if (!hasEq && valueOpts.count(name) && i + 1 < a.size()) val = a[++i];
      if (name == "requirement") op.requirementFiles.push_back(val);
      else if (name == "constraint") op.constraintFiles.push_back(val);
      else if (name == "editable") op.editables.push_back(val);
      op.options.emplace_back(name, val);
      continue;
    }
    if (!endOpts && w.size() >= 2 && w[0] == '-' && w[1] != '-') {
      std::string letter = w.substr(1, 1);
      auto it = shortOpts.find(letter);
      std::string name = it != shortOpts.end() ? it->second : letter;
      std::string val;
      if (valueOpts.count(name)) {
        if (w.size() > 2) val = w.substr(2);
        else if (i + 1 < a.size()) val = a[++i];
      } else if (w.size() > 2) {
        // Combined switches like -qU.
        for (std::size_t k = 1; k < w.size(); ++k) {
          auto it2 = shortOpts.find(std::string(1, w[k]));
          op.options.emplace_back(it2 != shortOpts.end() ? it2->second : std::string(1, w[k]), "");
        }
        continue;
      }
      if (name == "requirement") op.requirementFiles.push_back(val);
      else if (name == "constraint") op.constraintFiles.push_back(val);
      else if (name == "editable") op.editables.push_back(val);
      op.options.emplace_back(name, val);
      continue;
    }
    if (w.find("$(") != std::string::npos || w.find('`') != std::string::npos) op.dynamic.push_back(w);
    else op.packages.push_back(w);
  }
}

bool recognisePip(const std::vector<std::string>& a, std::size_t start, const std::string& tool, PackageOp& op) {
  // pip's global options may precede the subcommand.
  std::size_t i = start;
  std::vector<std::pair<std::string, std::string>> globals;
  while (i < a.size() && a[i].rfind("-", 0) == 0) {
    std::string g = a[i].rfind("--", 0) == 0 ? a[i].substr(2) : a[i].substr(1);
    std::string v;
    auto eq = g.find('=');
    if (eq != std::string::npos) { v = g.substr(eq + 1); g = g.substr(0, eq); }
    else if ((g == "cache-dir" || g == "log" || g == "proxy" || g == "retries" || g == "timeout" || g == "cert" ||
              g == "python") && i + 1 < a.size()) v = a[++i];
    globals.emplace_back(g == "q" ? "quiet" : g, v);
    ++i;
  }
  if (i >= a.size()) return false;
  std::string sub = a[i];
  if (sub == "cache" && i + 1 < a.size() && a[i + 1] == "purge") {
    op.tool = tool;
    op.action = "cache-purge";
    return true;
  }
  static const std::set<std::string> known = {"install", "wheel", "download", "uninstall", "sync", "compile"};
  if (!known.count(sub)) return false;
  op.tool = tool;
  op.action = sub;
  op.options = globals;
  parsePipArgs(a, i + 1, op);
  return true;
}

bool recogniseApt(const std::vector<std::string>& a, std::size_t start, PackageOp& op) {
  op.tool = basename(a[start - 1]);
  static const std::set<std::string> actions = {"update", "install", "purge", "remove", "autoremove", "clean",
                                                "upgrade", "dist-upgrade", "full-upgrade", "autoclean"};
  std::string action;
  for (std::size_t i = start; i < a.size(); ++i) {
    const auto& w = a[i];
    if (w.rfind("-", 0) == 0) {
      const bool lng = w.rfind("--", 0) == 0;
      std::string name = lng ? w.substr(2) : w.substr(1);
      std::string val;
      auto eq = name.find('=');
      if (eq != std::string::npos) { val = name.substr(eq + 1); name = name.substr(0, eq); }
      else if ((name == "o" || name == "option" || name == "t" || name == "target-release" || name == "c") && i + 1 < a.size()) val = a[++i];
      if (!lng && eq == std::string::npos && name.size() > 1 && name != "qq") {
        for (char c : name) op.options.emplace_back(std::string(1, c), "");  // -fy => -f -y
        continue;
      }
      op.options.emplace_back(name, val);
      continue;
    }
    if (action.empty() && actions.count(w)) { action = w; continue; }
    if (!action.empty()) {
      if (w.find('$') != std::string::npos || w.find('`') != std::string::npos) op.dynamic.push_back(w);
      else op.packages.push_back(w);
    }
  }
  if (action.empty()) return false;
  op.action = action;
  return true;
}

bool recogniseApk(const std::vector<std::string>& a, std::size_t start, PackageOp& op) {
  op.tool = "apk";
  std::string action;
  for (std::size_t i = start; i < a.size(); ++i) {
    const auto& w = a[i];
    if (w.rfind("-", 0) == 0) {
      std::string name = w.rfind("--", 0) == 0 ? w.substr(2) : w.substr(1);
      std::string val;
      auto eq = name.find('=');
      if (eq != std::string::npos) { val = name.substr(eq + 1); name = name.substr(0, eq); }
      else if ((name == "virtual" || name == "t" || name == "repository" || name == "X" || name == "root" ||
                name == "p" || name == "cache-dir" || name == "arch") && i + 1 < a.size()) val = a[++i];
      if (name == "t") name = "virtual";
      if (name == "virtual") op.virtualName = val;
      op.options.emplace_back(name, val);
      continue;
    }
    if (action.empty()) { action = w; continue; }
    if (w.find('$') != std::string::npos || w.find('`') != std::string::npos) op.dynamic.push_back(w);
    else op.packages.push_back(w);
  }
  if (action != "add" && action != "del" && action != "update" && action != "upgrade" && action != "cache") return false;
  op.action = action;
  return true;
}

}  // namespace

std::vector<PackageOp> recogniseOperations(const std::vector<ShellCommand>& commands) {
  std::vector<PackageOp> ops;
  for (std::size_t ci = 0; ci < commands.size(); ++ci) {
    std::vector<std::string> a = commands[ci].argv;
    // Strip wrappers and leading VAR=value assignments.
    std::size_t s = 0;
    for (;;) {
      if (s >= a.size()) break;
      const auto& w = a[s];
      auto eq = w.find('=');
      if (eq != std::string::npos && eq > 0 && w[0] != '-' &&
          std::all_of(w.begin(), w.begin() + static_cast<long>(eq), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; })) {
        ++s;
        continue;
      }
      if (w == "sudo" || w == "exec" || w == "time" || w == "command" || w == "nice" || w == "env" || w == "eatmydata") {
        ++s;
        continue;
      }
      break;
    }
    if (s >= a.size()) continue;
    PackageOp op;
    op.commandIndex = static_cast<int>(ci);
    op.text = joined(a, s);
    const std::string exe = basename(a[s]);
    bool found = false;
    if (isPipExe(a[s])) {
      found = recognisePip(a, s + 1, "pip", op);
    } else if (isPythonExe(a[s])) {
      // python -m pip ... (python options like -I or -u may come first)
      std::size_t i = s + 1;
      while (i < a.size() && a[i].rfind("-", 0) == 0 && a[i] != "-m") ++i;
      if (i + 1 < a.size() && a[i] == "-m" && (a[i + 1] == "pip" || a[i + 1] == "pip3"))
        found = recognisePip(a, i + 2, "pip", op);
    } else if (exe == "uv") {
      if (s + 1 < a.size() && a[s + 1] == "pip") found = recognisePip(a, s + 2, "uv", op);
      else if (s + 1 < a.size() && (a[s + 1] == "sync" || a[s + 1] == "export")) {
        op.tool = "uv";
        op.action = a[s + 1];
        parsePipArgs(a, s + 2, op);
        found = true;
      }
    } else if (exe == "poetry") {
      if (s + 1 < a.size() && (a[s + 1] == "install" || a[s + 1] == "export")) {
        op.tool = "poetry";
        op.action = a[s + 1];
        parsePipArgs(a, s + 2, op);
        found = true;
      }
    } else if (exe == "apt-get" || exe == "apt") {
      found = recogniseApt(a, s + 1, op);
    } else if (exe == "apk") {
      found = recogniseApk(a, s + 1, op);
    } else if (exe == "rm") {
      op.tool = "rm";
      op.action = "rm";
      for (std::size_t i = s + 1; i < a.size(); ++i) {
        if (a[i].rfind("-", 0) == 0 && a[i] != "-") op.options.emplace_back(a[i].substr(1), "");
        else op.packages.push_back(a[i]);
      }
      found = !op.packages.empty();
    }
    if (found) ops.push_back(std::move(op));
  }
  return ops;
}

}  // namespace slimbench::dockerfile
