#include "dockerfile/runops.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <regex>
#include <set>

#include <fnmatch.h>

#include "dockerfile/shell.h"

// `x == "literal"sv` compares lengths first, inline (x == "literal" is strlen + memcmp in a call).
using namespace std::string_view_literals;

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
    if (k == "type"sv) m.type = v;
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

// The ASCII bytes the tokenizer adds to a word as they are (no quote, escape, expansion, comment,
// space or operator): read in runs, not tested one by one against every special character.
struct PlainBytes {
  bool plain[256] = {};
  PlainBytes() {
    for (int c = 0x21; c < 0x7f; ++c) plain[c] = true;
    for (unsigned char c : std::string_view("\\'\"$`#&|;()<>")) plain[c] = false;
  }
};
const PlainBytes kPlain;

std::vector<Tok> tokenize(std::string_view s) {
  std::vector<Tok> out;
  out.reserve(s.size() / 4 + 8);  // a guess (words and operators average more than 4 characters with their spaces)
  std::string w;
  bool have = false, quoted = false;
  auto flush = [&] {
    if (have) out.push_back({TokKind::Word, w, quoted});
    w.clear();
    have = quoted = false;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (kPlain.plain[static_cast<unsigned char>(c)]) {
      std::size_t j = i + 1;
      while (j < s.size() && kPlain.plain[static_cast<unsigned char>(s[j])]) ++j;
      w.append(s.substr(i, j - i));
      have = true;
      i = j - 1;
      continue;
    }
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
      // Inside $( ), quoted text is skipped and the `pattern)` arms of a case … esac do not close it.
      char open = s[i + 1], close = open == '(' ? ')' : '}';
      int depth = 0, cases = 0;
      std::size_t j = i + 1;
      auto wordAt = [&](std::size_t k, const char* kw) {
        const std::size_t n = std::char_traits<char>::length(kw);
        if (s.compare(k, n, kw) != 0) return false;
        const bool before = k == 0 || std::string_view(" \t\n;(|&").find(s[k - 1]) != std::string_view::npos;
        const bool after = k + n >= s.size() || std::string_view(" \t\n;)|&").find(s[k + n]) != std::string_view::npos;
        return before && after;
      };
      for (; j < s.size(); ++j) {
        if (open == '(' && (s[j] == '\'' || s[j] == '"') && depth > 0) {
          auto q = s.find(s[j], j + 1);
          if (q == std::string_view::npos) { j = s.size(); break; }
          j = q;
          continue;
        }
        if (open == '(' && wordAt(j, "case")) ++cases;
        else if (open == '(' && cases > 0 && wordAt(j, "esac")) --cases;
        if (s[j] == open) ++depth;
        else if (s[j] == close && !(open == '(' && cases > 0) && --depth == 0) break;
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
  return op == ">"sv || op == ">>"sv || op == "<"sv || op == ">&"sv || op == "<&"sv || op == ">|"sv || op == "&>"sv || op == "<<"sv;
}

}  // namespace

namespace {

bool isOutputRedirect(const std::string& op) { return op == ">"sv || op == ">>"sv || op == ">|"sv || op == "&>"sv; }

// Python reads `-mvenv` as `-m venv` (an option's value may follow it in the same word): the
// words are split so that whoever reads the command finds the module where `-m X` puts it
// (`python3 -mcompileall /app`, `python -mvenv /venv`, `python -Bm pip`).
void splitPythonModuleOption(std::vector<std::string>& argv) {
  for (std::size_t p = 0; p < argv.size(); ++p) {
    const std::string& w = argv[p];
    const auto slash = w.rfind('/');
    const std::string_view name = slash == std::string::npos ? std::string_view(w) : std::string_view(w).substr(slash + 1);
    if (name.rfind("python", 0) != 0 || name.find('-') != std::string_view::npos) {
      // Only the program's own name: the first word, or one after assignments and wrappers.
      const bool wrapper = w == "env"sv || w == "sudo"sv || w == "exec"sv || w == "time"sv || w == "nice"sv || w == "nohup"sv ||
                           (w.find('=') != std::string::npos && w[0] != '-');
      if (!wrapper) return;
      continue;
    }
    for (std::size_t i = p + 1; i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-' && argv[i][1] != '-'; ++i) {
      const std::string& o = argv[i];
      if (o == "-m"sv || o == "-c"sv) return;
      // Single-letter switches grouped before m (-Bm, -um): python's options without values.
      std::size_t k = 1;
      while (k < o.size() && std::string_view("bBdEhiIOPqsSuvx").find(o[k]) != std::string_view::npos) ++k;
      if (k < o.size() && o[k] == 'm' && (k > 1 || k + 1 < o.size())) {
        // -mvenv → -m venv; -Bm pip → -B -m pip; -Bmpip → -B -m pip
        std::string flags = o.substr(0, k), module = o.substr(k + 1);
        auto at = argv.begin() + static_cast<long>(i);
        at = argv.erase(at);
        if (!module.empty()) at = argv.insert(at, std::move(module));
        at = argv.insert(at, "-m");
        if (flags.size() > 1) argv.insert(at, std::move(flags));
        return;
      }
      if (k < o.size()) return;  // another option (-W arg, -X opt): stop looking
    }
    return;
  }
}

// A small recursive-descent reading of POSIX shell grammar, enough to know which
// commands sit in which branch: lists, and-or lists, pipelines, ( ) and { } groups,
// if/elif/else/fi, case/esac, for/while/until loops (bodies unguarded: they run when the
// loop runs). Malformed input never fails: stray keywords are skipped.
class ShellParser {
 public:
  // Takes the tokens: a simple command's words are moved out of them (nothing reads a token again
  // once it has been passed).
  explicit ShellParser(std::vector<Tok>&& toks) : t_(std::move(toks)) {}

  std::vector<ShellCommand> run() {
    while (i_ < t_.size()) {
      std::size_t before = i_;
      list({}, {});
      if (i_ == before) ++i_;  // a stop token at top level: skip it
    }
    if (!out_.empty()) out_.back().op.clear();
    return std::move(out_);
  }

 private:
  struct Chain {
    std::vector<int> cmds;  // status commands; -1 = a compound assumed to succeed, -2 = unknown
    std::vector<std::string> joins;
  };
  static constexpr int kMaxNest = 100;
  static constexpr std::size_t kMaxGuards = 16, kMaxChain = 32;

  std::vector<Tok> t_;
  std::size_t i_ = 0;
  std::vector<ShellCommand> out_;
  std::vector<ShellGuard> ctx_;
  int depth_ = 0, nest_ = 0;

  bool atEnd() const { return i_ >= t_.size(); }
  bool word(const char* w) const {
    return i_ < t_.size() && t_[i_].kind == TokKind::Word && !t_[i_].quoted && t_[i_].text == w;
  }
  bool op(const char* o) const { return i_ < t_.size() && t_[i_].kind == TokKind::Op && t_[i_].text == o; }
  void setOp(const std::string& o) {
    if (!out_.empty() && out_.back().op.empty()) out_.back().op = o;
  }
  void skipNewlines() {
    while (op("\n")) ++i_;
  }
  static bool closer(const std::string& w) {
    return w == "then"sv || w == "else"sv || w == "elif"sv || w == "fi"sv || w == "do"sv || w == "done"sv || w == "esac"sv ||
           w == "}"sv;
  }

  // The words and operators that end a list here (a std::set made for each call was most of the
  // allocations of reading an `if`).
  using Stops = std::initializer_list<std::string_view>;
  static bool among(Stops stops, const std::string& x) {
    for (std::string_view s : stops)
      if (x == s) return true;
    return false;
  }

  Chain list(Stops stopWords, Stops stopOps) {
    Chain last;
    while (!atEnd()) {
      const Tok& x = t_[i_];
      if (x.kind == TokKind::Op && (x.text == "\n"sv || x.text == ";"sv || x.text == "&"sv)) {
        setOp(x.text == "\n"sv ? ";" : x.text);
        ++i_;
        continue;
      }
      if (x.kind == TokKind::Word && !x.quoted && among(stopWords, x.text)) break;
      if (x.kind == TokKind::Op && among(stopOps, x.text)) break;
      if (x.kind == TokKind::Word && !x.quoted && closer(x.text)) {  // stray keyword
        if (x.text == "}"sv) depth_ = std::max(0, depth_ - 1);
        ++i_;
        continue;
      }
      if (x.kind == TokKind::Op && (x.text == ")"sv || x.text == ";;"sv || x.text == "&&"sv || x.text == "||"sv || x.text == "|"sv)) {
        if (x.text == ")"sv) depth_ = std::max(0, depth_ - 1);
        else if (x.text != ";;"sv) setOp(x.text);
        ++i_;
        continue;
      }
      std::size_t before = i_;
      last = andOr();
      if (i_ == before) ++i_;
    }
    return last;
  }

  Chain andOr() {
    Chain c;
    c.cmds.push_back(pipeline());
    while (op("&&") || op("||")) {
      std::string o = t_[i_].text;
      ++i_;
      setOp(o);
      skipNewlines();
      bool guarded = c.cmds.size() < kMaxChain;
      if (guarded) {
        ShellGuard g;
        g.chain = c.cmds;
        g.joins = c.joins;
        g.wantSuccess = o == "&&"sv;
        ctx_.push_back(std::move(g));
      }
      int st = pipeline();
      if (guarded) ctx_.pop_back();
      c.joins.push_back(o);
      c.cmds.push_back(st);
    }
    return c;
  }

  int pipeline() {
    bool neg = false;
    while (word("!")) {
      neg = !neg;
      ++i_;
    }
    int st = command();
    while (op("|")) {
      ++i_;
      setOp("|");
      skipNewlines();
      st = command();
    }
    if (neg) {
      if (st >= 0) out_[static_cast<std::size_t>(st)].negated = !out_[static_cast<std::size_t>(st)].negated;
      else st = -2;
    }
    return st;
  }

  void trailingRedirects() {
    while (!atEnd() && t_[i_].kind == TokKind::Op && isRedirect(t_[i_].text)) {
      ++i_;
      if (!atEnd() && t_[i_].kind == TokKind::Word) ++i_;
    }
  }

  int command() {
    if (atEnd()) return -1;
    const Tok& x = t_[i_];
    const bool opener = (x.kind == TokKind::Op && x.text == "("sv) ||
                        (x.kind == TokKind::Word && !x.quoted &&
                         (x.text == "{"sv || x.text == "if"sv || x.text == "case"sv || x.text == "for"sv ||
                          x.text == "select"sv || x.text == "while"sv || x.text == "until"sv));
    if (opener && nest_ >= kMaxNest) {  // too deep: read the rest flat
      ++i_;
      return -1;
    }
    if (x.kind == TokKind::Op && x.text == "("sv) {
      ++i_;
      ++depth_;
      ++nest_;
      list({}, {")"});
      if (op(")")) ++i_;
      --nest_;
      depth_ = std::max(0, depth_ - 1);
      trailingRedirects();
      return -1;
    }
    if (x.kind == TokKind::Word && !x.quoted) {
      if (x.text == "{"sv) {
        ++i_;
        ++depth_;
        ++nest_;
        list({"}"}, {});
        if (word("}")) ++i_;
        --nest_;
        depth_ = std::max(0, depth_ - 1);
        trailingRedirects();
        return -1;
      }
      if (x.text == "if"sv) return ifClause();
      if (x.text == "case"sv) return caseClause();
      if (x.text == "for"sv || x.text == "select"sv) return forClause();
      if (x.text == "while"sv || x.text == "until"sv) return whileClause();
    }
    return simple();
  }

  int simple() {
    ShellCommand cur;
    std::size_t words = 0;  // the command's words, counted first: argv is allocated once
    for (std::size_t k = i_; k < t_.size(); ++k) {
      if (t_[k].kind == TokKind::Word) ++words;
      else if (!isRedirect(t_[k].text)) break;
    }
    cur.argv.reserve(words);
    while (!atEnd()) {
      Tok& x = t_[i_];
      if (x.kind == TokKind::Word) {
        cur.argv.push_back(std::move(x.text));
        ++i_;
        continue;
      }
      if (isRedirect(x.text)) {
        const bool out = isOutputRedirect(x.text);
        ++i_;
        if (!atEnd() && t_[i_].kind == TokKind::Word) {
          if (out) cur.redirects.push_back(std::move(t_[i_].text));
          ++i_;
        }
        continue;
      }
      break;
    }
    if (cur.argv.empty()) return -1;
    splitPythonModuleOption(cur.argv);
    cur.depth = depth_;
    if (ctx_.size() <= kMaxGuards) {
      cur.guards = ctx_;
    } else {
      cur.guards.assign(ctx_.begin(), ctx_.begin() + static_cast<long>(kMaxGuards));
      cur.guards.emplace_back();  // an empty chain: not evaluable
    }
    cur.index = static_cast<int>(out_.size());
    out_.push_back(std::move(cur));
    return static_cast<int>(out_.size()) - 1;
  }

  static ShellGuard guardOf(const Chain& c, bool want) {
    ShellGuard g;
    g.chain = c.cmds;
    g.joins = c.joins;
    g.wantSuccess = want;
    if (g.chain.size() > kMaxChain) {
      g.chain = {-2};
      g.joins.clear();
    }
    return g;
  }

  int ifClause() {
    ++i_;
    ++nest_;
    const std::size_t base = ctx_.size();
    Chain cond = list({"then"}, {});
    for (;;) {
      if (word("then")) ++i_;
      ctx_.push_back(guardOf(cond, true));
      list({"elif", "else", "fi"}, {});
      ctx_.pop_back();
      ctx_.push_back(guardOf(cond, false));  // later branches: this condition was false
      if (word("elif")) {
        ++i_;
        cond = list({"then"}, {});
        continue;
      }
      if (word("else")) {
        ++i_;
        list({"fi"}, {});
      }
      break;
    }
    if (word("fi")) ++i_;
    ctx_.resize(base);
    --nest_;
    trailingRedirects();
    return -1;
  }

  int caseClause() {
    ++i_;
    ++nest_;
    std::string subject;
    if (!atEnd() && t_[i_].kind == TokKind::Word) subject = t_[i_++].text;
    skipNewlines();
    if (word("in")) ++i_;
    std::vector<std::string> earlier;
    for (;;) {
      while (op("\n") || op(";") || op(";;")) ++i_;
      if (atEnd() || word("esac")) break;
      if (op("(")) ++i_;
      std::vector<std::string> pats;
      while (!atEnd()) {
        if (t_[i_].kind == TokKind::Word) {
          std::string p = t_[i_].text;
          if (t_[i_].quoted) {  // a quoted pattern matches literally
            std::string esc;
            for (char ch : p) {
              if (ch == '*' || ch == '?' || ch == '[' || ch == '\\') esc += '\\';
              esc += ch;
            }
            p = esc;
          }
          pats.push_back(p);
          ++i_;
        } else if (op("|")) {
          ++i_;
        } else {
          break;
        }
      }
      if (op(")")) ++i_;
      else if (pats.empty()) {  // malformed: skip a token and go on
        ++i_;
        continue;
      }
      ShellGuard g;
      g.isCase = true;
      g.caseWord = subject;
      g.patterns = pats;
      g.excluded = earlier;
      if (g.excluded.size() > 64) g.excluded.resize(64);
      ctx_.push_back(std::move(g));
      list({"esac"}, {";;"});
      ctx_.pop_back();
      earlier.insert(earlier.end(), pats.begin(), pats.end());
      if (op(";;")) {
        setOp(";;");
        ++i_;
      }
    }
    if (word("esac")) ++i_;
    --nest_;
    trailingRedirects();
    return -1;
  }

  int forClause() {
    ++i_;
    while (!atEnd() && !word("do")) ++i_;  // NAME [in WORDS] ;
    if (word("do")) ++i_;
    ++nest_;
    list({"done"}, {});
    --nest_;
    if (word("done")) ++i_;
    trailingRedirects();
    return -1;
  }

  int whileClause() {
    ++i_;
    ++nest_;
    list({"do"}, {});
    if (word("do")) ++i_;
    list({"done"}, {});
    if (word("done")) ++i_;
    --nest_;
    trailingRedirects();
    return -1;
  }
};

}  // namespace

namespace {
std::vector<Reach> evaluateImpl(const std::vector<ShellCommand>& cmds, const ShellVars& known,
                                std::vector<std::string>* why);
}  // namespace

std::vector<ShellCommand> splitShell(std::string_view script) {
  auto cmds = ShellParser(tokenize(script)).run();
  // Without known values: a command is conditional unless it surely runs.
  std::vector<std::string> why;
  auto reach = evaluateImpl(cmds, ShellVars{}, &why);
  for (std::size_t k = 0; k < cmds.size(); ++k) {
    cmds[k].index = static_cast<int>(k);
    cmds[k].conditional = reach[k] != Reach::Runs;
    if (cmds[k].conditional) cmds[k].condition = why[k];
  }
  return cmds;
}

// ---------------------------------------------------------------------------
// Branch evaluation
namespace {

enum class Tri { T, F, U };
Tri tnot(Tri a) { return a == Tri::T ? Tri::F : a == Tri::F ? Tri::T : Tri::U; }
Tri tand(Tri a, Tri b) {
  if (a == Tri::F || b == Tri::F) return Tri::F;
  if (a == Tri::T && b == Tri::T) return Tri::T;
  return Tri::U;
}
Tri tor(Tri a, Tri b) {
  if (a == Tri::T || b == Tri::T) return Tri::T;
  if (a == Tri::F && b == Tri::F) return Tri::F;
  return Tri::U;
}

std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t\n");
  auto e = s.find_last_not_of(" \t\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::optional<std::string> substitution(const std::string& inner, const ShellVars& known) {
  std::string c = trim(inner);
  std::string squeezed;
  for (char ch : c)
    if (!(ch == ' ' && !squeezed.empty() && squeezed.back() == ' ')) squeezed += ch;
  // `# a note` inside a command substitution is a comment: it outputs nothing (a way to comment
  // one line of a long install list).
  if (squeezed.empty() || squeezed[0] == '#') return std::string();
  if (squeezed == "uname"sv || squeezed == "uname -s"sv) return std::string("Linux");
  if (known.arch.empty()) return std::nullopt;
  if (squeezed == "uname -m"sv || squeezed == "uname -p"sv || squeezed == "arch"sv || squeezed == "uname --machine"sv)
    return unameMachine(known.arch);
  if (squeezed == "dpkg --print-architecture"sv) return known.arch;
  if (squeezed == "apk --print-arch"sv) return unameMachine(known.arch);
  return std::nullopt;
}

bool isInt(const std::string& s) {
  if (s.empty()) return false;
  std::size_t k = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  return k < s.size() && s.size() - k <= 18 && std::all_of(s.begin() + static_cast<long>(k), s.end(), ::isdigit);
}

Tri globMatch(const std::string& pattern, const std::string& text) {
  return fnmatch(pattern.c_str(), text.c_str(), 0) == 0 ? Tri::T : Tri::F;
}

// One primary of test/[ ]/[[ ]] (no -a/-o inside).
Tri testPrimary(const std::vector<std::string>& w, bool doubleBracket, const ShellVars& known) {
  std::size_t k = 0;
  bool neg = false;
  while (k < w.size() && w[k] == "!"sv && w.size() - k > 1) {
    neg = !neg;
    ++k;
  }
  std::vector<std::string> a(w.begin() + static_cast<long>(k), w.end());
  Tri r = Tri::U;
  auto ev = [&](const std::string& s) { return evaluateWord(s, known); };
  if (a.empty()) {
    r = Tri::F;
  } else if (a.size() == 1) {
    auto v = ev(a[0]);
    r = v ? (v->empty() ? Tri::F : Tri::T) : Tri::U;
  } else if (a.size() == 2) {
    auto v = ev(a[1]);
    if (a[0] == "-z"sv) r = v ? (v->empty() ? Tri::T : Tri::F) : Tri::U;
    else if (a[0] == "-n"sv) r = v ? (v->empty() ? Tri::F : Tri::T) : Tri::U;
    else r = Tri::U;  // file tests (-f, -d, -e, -x, ...): the build context decides
  } else if (a.size() == 3) {
    auto l = ev(a[0]);
    const std::string& o = a[1];
    if (o == "=~"sv && doubleBracket) {
      auto rv = ev(a[2]);
      if (l && rv) {
        try {
          r = std::regex_search(*l, std::regex(*rv, std::regex::extended)) ? Tri::T : Tri::F;
        } catch (const std::regex_error&) {
          r = Tri::U;
        }
      }
    } else if (o == "="sv || o == "=="sv || o == "!="sv) {
      auto rv = ev(a[2]);
      if (l && rv) {
        Tri eq = doubleBracket ? globMatch(*rv, *l) : (*l == *rv ? Tri::T : Tri::F);
        r = o == "!="sv ? tnot(eq) : eq;
      }
    } else if (o == "-eq"sv || o == "-ne"sv || o == "-lt"sv || o == "-le"sv || o == "-gt"sv || o == "-ge"sv) {
      auto rv = ev(a[2]);
      if (l && rv && isInt(*l) && isInt(*rv)) {
        long long x = std::stoll(*l), y = std::stoll(*rv);
        bool b = o == "-eq"sv ? x == y : o == "-ne"sv ? x != y : o == "-lt"sv ? x < y : o == "-le"sv ? x <= y : o == "-gt"sv ? x > y : x >= y;
        r = b ? Tri::T : Tri::F;
      }
    }
  }
  return neg ? tnot(r) : r;
}

Tri testExpression(std::vector<std::string> w, bool doubleBracket, const ShellVars& known) {
  // w: the words between [ and ] ; -o binds looser than -a (also || and && are split by the shell already).
  Tri any = Tri::F;
  std::vector<std::string> part;
  Tri all = Tri::T;
  auto flushAnd = [&] {
    all = tand(all, testPrimary(part, doubleBracket, known));
    part.clear();
  };
  for (std::size_t k = 0; k <= w.size(); ++k) {
    if (k == w.size() || w[k] == "-o"sv) {
      flushAnd();
      any = tor(any, all);
      all = Tri::T;
      continue;
    }
    if (w[k] == "-a"sv) {
      flushAnd();
      continue;
    }
    part.push_back(w[k]);
  }
  return any;
}

// The command's name without its directory: a view of the word (asked for each command of every
// and-or chain a guard names).
std::string_view exeName(const std::string& s) {
  auto p = s.rfind('/');
  return p == std::string::npos ? std::string_view(s) : std::string_view(s).substr(p + 1);
}

Tri commandStatus(const ShellCommand& c, const ShellVars& known) {
  if (c.argv.empty()) return Tri::T;
  const auto& a = c.argv;
  const std::string_view exe = exeName(a[0]);
  Tri r = Tri::T;  // an ordinary command is assumed to succeed
  if (exe == "["sv || exe == "test"sv || exe == "[["sv) {
    std::vector<std::string> w(a.begin() + 1, a.end());
    if (exe == "["sv && !w.empty() && w.back() == "]"sv) w.pop_back();
    if (exe == "[["sv && !w.empty() && w.back() == "]]"sv) w.pop_back();
    r = testExpression(w, exe == "[["sv, known);
  } else if (exe == "true"sv || exe == ":"sv) {
    r = Tri::T;
  } else if (exe == "false"sv) {
    r = Tri::F;
  } else {
    static const std::set<std::string, std::less<>> probes = {"command", "which", "type", "hash", "getent", "id", "grep",
                                                 "egrep", "fgrep", "dpkg-query", "pgrep", "cmp", "diff", "ls",
                                                 "stat", "pip", "pip3", "apk", "rpm", "java", "node", "nvidia-smi"};
    if (probes.count(exe) && !(exe == "apk"sv && a.size() > 1 && a[1] != "info"sv) &&
        !((exe == "pip"sv || exe == "pip3"sv) && a.size() > 1 && a[1] != "show"sv && a[1] != "freeze"sv))
      r = Tri::U;
    if (exe == "dpkg"sv && a.size() > 1 && a[1] != "--print-architecture"sv && a[1] != "--add-architecture"sv) r = Tri::U;
    if ((exe.rfind("python", 0) == 0) && a.size() > 1 && a[1] == "-c"sv) r = Tri::U;
    if (exe == "uname"sv || exe == "arch"sv) r = Tri::T;
  }
  return c.negated ? tnot(r) : r;
}

Tri guardHolds(const ShellGuard& g, const std::vector<ShellCommand>& cmds, const ShellVars& known) {
  if (g.isCase) {
    auto subject = evaluateWord(g.caseWord, known);
    if (!subject) return Tri::U;
    auto matches = [&](const std::vector<std::string>& pats) {
      Tri m = Tri::F;
      for (const auto& p : pats) {
        auto pv = evaluateWord(p, known);
        m = tor(m, pv ? globMatch(*pv, *subject) : Tri::U);
      }
      return m;
    };
    return tand(tnot(matches(g.excluded)), matches(g.patterns));
  }
  if (g.chain.empty()) return Tri::U;
  auto status = [&](int idx) {
    if (idx == -1) return Tri::T;
    if (idx < 0 || static_cast<std::size_t>(idx) >= cmds.size()) return Tri::U;
    return commandStatus(cmds[static_cast<std::size_t>(idx)], known);
  };
  Tri s = status(g.chain[0]);
  for (std::size_t k = 1; k < g.chain.size(); ++k) {
    Tri x = status(g.chain[k]);
    const std::string& j = k - 1 < g.joins.size() ? g.joins[k - 1] : std::string("&&");
    if (j == "&&"sv) s = s == Tri::F ? Tri::F : s == Tri::T ? x : (x == Tri::F ? Tri::F : Tri::U);
    else s = s == Tri::T ? Tri::T : s == Tri::F ? x : (x == Tri::T ? Tri::T : Tri::U);
  }
  return g.wantSuccess ? s : tnot(s);
}

}  // namespace

std::string unameMachine(const std::string& a) {
  if (a == "amd64"sv) return "x86_64";
  if (a == "arm64"sv) return "aarch64";
  if (a == "arm"sv) return "armv7l";
  if (a == "386"sv) return "i686";
  return a;
}

std::optional<std::string> evaluateWord(const std::string& w, const ShellVars& known) {
  // Command substitutions first: $( ... ) and ` ... `.
  std::string s;
  for (std::size_t k = 0; k < w.size(); ++k) {
    if (w[k] == '$' && k + 1 < w.size() && w[k + 1] == '(') {
      int d = 0;
      std::size_t j = k + 1;
      for (; j < w.size(); ++j) {
        if (w[j] == '(') ++d;
        else if (w[j] == ')' && --d == 0) break;
      }
      if (j >= w.size()) return std::nullopt;
      auto v = substitution(w.substr(k + 2, j - k - 2), known);
      if (!v) return std::nullopt;
      s += *v;
      k = j;
      continue;
    }
    if (w[k] == '`') {
      auto j = w.find('`', k + 1);
      if (j == std::string::npos) return std::nullopt;
      auto v = substitution(w.substr(k + 1, j - k - 1), known);
      if (!v) return std::nullopt;
      s += *v;
      k = j;
      continue;
    }
    s += w[k];
  }
  if (s.find('$') == std::string::npos) return s;
  bool unknown = false;
  auto r = expand(s, [&](const std::string& n) -> std::optional<std::string> {
    const std::string* v = known.find(n);
    if (!v) {
      unknown = true;
      return std::nullopt;
    }
    return *v;
  });
  if (unknown || !r.error.empty()) return std::nullopt;
  return r.word;
}

namespace {
std::string guardText(const ShellGuard& g, const std::vector<ShellCommand>& cmds) {
  auto words = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& w : v) s += (s.empty() ? "" : " ") + w;
    return s;
  };
  if (g.isCase) return "case " + g.caseWord + " in " + words(g.patterns);
  std::string s;
  for (std::size_t k = 0; k < g.chain.size(); ++k) {
    if (k) s += " " + (k - 1 < g.joins.size() ? g.joins[k - 1] : std::string("&&")) + " ";
    int i = g.chain[k];
    if (i >= 0 && static_cast<std::size_t>(i) < cmds.size())
      s += (cmds[static_cast<std::size_t>(i)].negated ? "! " : "") + words(cmds[static_cast<std::size_t>(i)].argv);
    else s += "…";
  }
  if (s.size() > 160) s = s.substr(0, 157) + "...";
  return g.wantSuccess ? s : "not (" + s + ")";
}
std::vector<Reach> evaluateImpl(const std::vector<ShellCommand>& cmds, const ShellVars& known,
                                std::vector<std::string>* why);
}  // namespace

std::vector<Reach> evaluateBranches(const std::vector<ShellCommand>& cmds, const ShellVars& known) {
  return evaluateImpl(cmds, known, nullptr);
}

namespace {
std::vector<Reach> evaluateImpl(const std::vector<ShellCommand>& cmds, const ShellVars& known,
                                std::vector<std::string>* why) {
  std::vector<Reach> out(cmds.size(), Reach::Runs);
  if (why) why->assign(cmds.size(), std::string());
  // Variables assigned earlier in the RUN (dpkgArch="$(dpkg --print-architecture)", ARCH=$(uname -m),
  // export X=...) are followed in order: known when the assignment surely runs and its value evaluates.
  // Layered over `known` (not a copy: a RUN late in a long stage sees thousands of variables).
  ShellVars cur;
  cur.arch = known.arch;
  cur.parent = &known;
  auto isName = [](const std::string& n) {
    return !n.empty() && !std::isdigit(static_cast<unsigned char>(n[0])) &&
           std::all_of(n.begin(), n.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
  };
  for (std::size_t k = 0; k < cmds.size(); ++k) {
    Tri all = Tri::T;
    for (const auto& g : cmds[k].guards) {
      Tri h = guardHolds(g, cmds, cur);
      if (h == Tri::U && why && (*why)[k].empty()) (*why)[k] = guardText(g, cmds);
      all = tand(all, h);
      if (all == Tri::F) break;
    }
    out[k] = all == Tri::T ? Reach::Runs : all == Tri::F ? Reach::Skipped : Reach::Maybe;
    if (out[k] == Reach::Skipped) continue;
    const auto& a = cmds[k].argv;
    std::size_t from = 0;
    if (!a.empty() && (a[0] == "export"sv || a[0] == "local"sv || a[0] == "readonly"sv || a[0] == "declare"sv)) from = 1;
    std::vector<std::pair<std::string, std::string>> assigns;
    bool pure = from < a.size() || from == 1;
    for (std::size_t i = from; i < a.size() && pure; ++i) {
      auto eq = a[i].find('=');
      if (eq == std::string::npos || !isName(a[i].substr(0, eq))) {
        if (from == 1 && a[i].rfind("-", 0) == 0) continue;  // declare -x
        pure = from == 1 && isName(a[i]);                      // `export NAME` keeps the value
        continue;
      }
      assigns.emplace_back(a[i].substr(0, eq), a[i].substr(eq + 1));
    }
    if (!pure) continue;  // VAR=x cmd: the assignment is for cmd only
    for (const auto& [name, value] : assigns) {
      auto v = out[k] == Reach::Runs ? evaluateWord(value, cur) : std::nullopt;
      if (v) {
        cur.vars[name] = *v;
        cur.unset.erase(name);
      } else {
        cur.vars.erase(name);
        cur.unset.insert(name);
      }
    }
  }
  return out;
}
}  // namespace

namespace {
std::vector<ShellCommand> selected(const std::vector<ShellCommand>& cmds, const std::vector<Reach>& reach,
                                   const std::vector<std::string>& why) {
  std::vector<ShellCommand> out;
  for (std::size_t k = 0; k < cmds.size(); ++k) {
    if (reach[k] == Reach::Skipped) continue;
    ShellCommand c = cmds[k];
    if (c.index < 0) c.index = static_cast<int>(k);
    c.conditional = reach[k] == Reach::Maybe;
    c.condition = c.conditional ? why[k] : std::string();
    out.push_back(std::move(c));
  }
  return out;
}
}  // namespace

std::vector<ShellCommand> selectBranches(const std::vector<ShellCommand>& cmds, const ShellVars& known) {
  std::vector<std::string> why;
  auto reach = evaluateImpl(cmds, known, &why);
  return selected(cmds, reach, why);
}

ShellCommands selectBranchesShared(const ShellCommands& cmds, const ShellVars& known) {
  std::vector<std::string> why;
  auto reach = evaluateImpl(cmds.get(), known, &why);
  bool same = true;
  for (std::size_t k = 0; k < cmds.size() && same; ++k)
    same = reach[k] == Reach::Runs && !cmds[k].conditional && cmds[k].index == static_cast<int>(k);
  if (same) return cmds;
  return selected(cmds.get(), reach, why);
}

// ---------------------------------------------------------------------------
namespace {

std::string basename(const std::string& s) {
  auto p = s.rfind('/');
  return p == std::string::npos ? s : s.substr(p + 1);
}

bool isPythonExe(const std::string& w) {
  auto b = basename(w);
  if (b == "python"sv || b == "python3"sv) return true;
  if (b.rfind("python3.", 0) == 0) return true;
  // python${PYTHON_VERSION}, python$PY: the version from a build arg, expanded only at build time
  if (b.rfind("python$", 0) == 0 || b.rfind("python3$", 0) == 0) return true;
  return false;
}

bool isPipExe(const std::string& w) {
  auto b = basename(w);
  return b == "pip"sv || b == "pip3"sv || (b.rfind("pip3.", 0) == 0);
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
      "only", "without", "with", "extras", "directory", "project", "package", "only-group", "no-group", "no-extra",
      "no-install-package", "prompt", "index", "default-index", "link-mode", "python-preference",
      "reinstall-package", "upgrade-package", "no-binary-package", "no-build-package", "categories", "pypi-mirror",
      "requirements", "constraints", "overrides", "build-constraints", "excludes"};
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
    if (!endOpts && w == "--"sv) { endOpts = true; continue; }
    if (!endOpts && w.rfind("--", 0) == 0) {
      std::string name = w.substr(2), val;
      auto eq = name.find('=');
      bool hasEq = eq != std::string::npos;
      if (hasEq) { val = name.substr(eq + 1); name = name.substr(0, eq); }
      if (!hasEq && valueOpts.count(name) && i + 1 < a.size()) val = a[++i];
      // uv pip spells them --requirements / --constraints (pip's singular forms work there too).
      if (name == "requirements"sv) name = "requirement";
      else if (name == "constraints"sv) name = "constraint";
      if (name == "requirement"sv) op.requirementFiles.push_back(val);
      else if (name == "constraint"sv) op.constraintFiles.push_back(val);
      else if (name == "editable"sv) op.editables.push_back(val);
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
      if (name == "requirement"sv) op.requirementFiles.push_back(val);
      else if (name == "constraint"sv) op.constraintFiles.push_back(val);
      else if (name == "editable"sv) op.editables.push_back(val);
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
    else if ((g == "cache-dir"sv || g == "log"sv || g == "proxy"sv || g == "retries"sv || g == "timeout"sv || g == "cert"sv ||
              g == "python"sv) && i + 1 < a.size()) v = a[++i];
    globals.emplace_back(g == "q"sv ? "quiet" : g, v);
    ++i;
  }
  if (i >= a.size()) return false;
  std::string sub = a[i];
  if (sub == "cache"sv && i + 1 < a.size() && a[i + 1] == "purge"sv) {
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
      else if ((name == "o"sv || name == "option"sv || name == "t"sv || name == "target-release"sv || name == "c"sv) && i + 1 < a.size()) val = a[++i];
      if (!lng && eq == std::string::npos && name.size() > 1 && name != "qq"sv) {
        for (char c : name) op.options.emplace_back(std::string(1, c), "");  // -fy => -f -y
        continue;
      }
      op.options.emplace_back(name, val);
      continue;
    }
    if (action.empty() && actions.count(w)) { action = w; continue; }
    if (action.empty() && w == "autopurge"sv) {  // apt >= 2.0: autoremove --purge
      action = "autoremove";
      op.options.emplace_back("purge", "");
      continue;
    }
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
      else if ((name == "virtual"sv || name == "t"sv || name == "repository"sv || name == "X"sv || name == "root"sv ||
                name == "p"sv || name == "cache-dir"sv || name == "arch"sv) && i + 1 < a.size()) val = a[++i];
      if (name == "t"sv) name = "virtual";
      if (name == "virtual"sv) op.virtualName = val;
      op.options.emplace_back(name, val);
      continue;
    }
    if (action.empty()) { action = w; continue; }
    if (w.find('$') != std::string::npos || w.find('`') != std::string::npos) op.dynamic.push_back(w);
    else op.packages.push_back(w);
  }
  if (action != "add"sv && action != "del"sv && action != "update"sv && action != "upgrade"sv && action != "cache"sv) return false;
  op.action = action;
  return true;
}

}  // namespace

namespace {

bool truthy(const std::string& v) {
  std::string l;
  for (char c : v) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l == "1"sv || l == "true"sv || l == "yes"sv || l == "on"sv;
}
bool falsy(const std::string& v) {
  std::string l;
  for (char c : v) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l == "0"sv || l == "false"sv || l == "no"sv || l == "off"sv;
}

// "/venv/bin/pip" -> "/venv"; "" for the system's own locations.
std::string venvOfExecutable(const std::string& path) {
  auto p = path.rfind('/');
  if (p == std::string::npos) return {};
  std::string dir = path.substr(0, p);
  if (dir.size() < 4 || dir.compare(dir.size() - 4, 4, "/bin") != 0) return {};
  std::string prefix = dir.substr(0, dir.size() - 4);
  static const std::set<std::string> system = {"", "/usr", "/usr/local", "/root/.local", "/opt/conda"};
  if (system.count(prefix)) return {};
  return prefix;
}

// The venv a PATH puts first ("/venv/bin:$PATH" -> "/venv").
std::string venvOnPath(const std::string& path) {
  std::string first = path.substr(0, path.find(':'));
  if (first.empty() || first[0] == '$') return {};
  return venvOfExecutable(first + "/python");
}

bool isDistroPythonPackage(const std::string& spec) {
  std::string n = spec.substr(0, spec.find_first_of("=:<>~"));
  if (n == "python3"sv || n == "python-is-python3"sv || n == "python3-full"sv) return true;
  if (n.rfind("python3-", 0) == 0 || n.rfind("python3.", 0) == 0) return true;  // python3-pip, python3.11-venv, ...
  if (n.rfind("py3-", 0) == 0) return true;                                    // Alpine: py3-pip
  return false;
}

struct PyEnv {
  // ENV of the stage (not copied: a RUN in a long stage must not copy its whole ENV), then
  // exports and bare assignments of the RUN, then the inline assignments of one command.
  const std::map<std::string, std::string>* stageEnv = nullptr;
  std::map<std::string, std::string> env;
  const std::map<std::string, std::string>* inlineEnv = nullptr;
  std::string activated;                   // `. /venv/bin/activate` earlier in the RUN
  std::optional<bool> poetryCreate;        // poetry config virtualenvs.create
  std::optional<bool> poetryInProject;     // poetry config virtualenvs.in-project
  std::string lastVenv;                    // the venv made earlier in the RUN (python -m venv, uv venv)

  std::string get(const std::string& k) const {
    if (inlineEnv)
      if (auto it = inlineEnv->find(k); it != inlineEnv->end()) return it->second;
    if (auto it = env.find(k); it != env.end()) return it->second;
    if (stageEnv)
      if (auto it = stageEnv->find(k); it != stageEnv->end()) return it->second;
    return std::string();
  }
  std::string activeVenv() const {
    if (!activated.empty()) return activated;
    if (!get("VIRTUAL_ENV").empty()) return get("VIRTUAL_ENV");
    return venvOnPath(get("PATH"));
  }
};

void assignScope(PackageOp& op, const std::string& exePath, const PyEnv& pe) {
  const bool installs = op.action == "install"sv || op.action == "sync"sv || op.action == "uninstall"sv;
  if (op.tool == "pip"sv) {
    if (!installs) return;
    std::string v = venvOfExecutable(exePath);
    if (op.has("target")) { op.scope = "target"; op.venv = op.value("target"); }
    else if (op.has("prefix")) { op.scope = "prefix"; op.venv = op.value("prefix"); }
    else if (op.has("root")) { op.scope = "prefix"; op.venv = op.value("root"); }
    else if (op.has("user") || truthy(pe.get("PIP_USER"))) op.scope = "user";
    else if (!v.empty()) { op.scope = "venv"; op.venv = v; }
    else if (!pe.activeVenv().empty()) { op.scope = "venv"; op.venv = pe.activeVenv(); }
    else op.scope = "system";
    return;
  }
  if (op.tool == "uv"sv) {
    if (op.action == "venv"sv) {
      op.scope = "venv";
      op.venv = op.packages.empty() ? (pe.get("UV_PROJECT_ENVIRONMENT").empty() ? ".venv" : pe.get("UV_PROJECT_ENVIRONMENT"))
                                    : op.packages[0];
      return;
    }
    if (op.action == "export"sv || op.action == "compile"sv) return;
    const bool pipInterface = op.has("system") || op.has("target") || op.has("prefix") || op.has("break-system-packages") ||
                              op.action == "install"sv || (op.action == "sync"sv && !op.requirementFiles.empty());
    std::string py = op.value("python");
    if (!py.empty()) op.interpreter = py;
    if (op.action == "sync"sv && op.requirementFiles.empty() && op.packages.empty() && !op.has("system")) {
      // uv sync (the project interface): the project environment.
      std::string pe_ = pe.get("UV_PROJECT_ENVIRONMENT");
      if (op.has("active") && !pe.activeVenv().empty()) { op.scope = "venv"; op.venv = pe.activeVenv(); }
      else if (pe_ == "/usr/local"sv || pe_ == "/usr"sv) { op.scope = "system"; op.venv = pe_; }
      else { op.scope = "project"; op.venv = pe_.empty() ? ".venv" : pe_; }
      return;
    }
    (void)pipInterface;
    if (op.has("target")) { op.scope = "target"; op.venv = op.value("target"); }
    else if (op.has("prefix")) { op.scope = "prefix"; op.venv = op.value("prefix"); }
    else if (op.has("system") || truthy(pe.get("UV_SYSTEM_PYTHON"))) op.scope = "system";
    else if (!py.empty() && !venvOfExecutable(py).empty()) { op.scope = "venv"; op.venv = venvOfExecutable(py); }
    else if (!py.empty()) op.scope = "system";  // --python 3.12 / /usr/local/bin/python: that interpreter
    else if (!pe.activeVenv().empty()) { op.scope = "venv"; op.venv = pe.activeVenv(); }
    else { op.scope = "venv"; op.venv = pe.lastVenv.empty() ? ".venv" : pe.lastVenv; }  // uv finds .venv
    return;
  }
  if (op.tool == "poetry"sv) {
    if (op.action != "install"sv && op.action != "sync"sv) return;
    bool create = true;
    if (pe.poetryCreate) create = *pe.poetryCreate;
    else if (falsy(pe.get("POETRY_VIRTUALENVS_CREATE"))) create = false;
    bool inProject = pe.poetryInProject ? *pe.poetryInProject : truthy(pe.get("POETRY_VIRTUALENVS_IN_PROJECT"));
    if (!pe.activeVenv().empty()) { op.scope = "venv"; op.venv = pe.activeVenv(); }  // poetry uses the active venv
    else if (!create) op.scope = "system";
    else { op.scope = "project"; op.venv = inProject ? ".venv" : ""; }
    return;
  }
  if (op.tool == "pipenv"sv) {
    if (op.has("system")) op.scope = "system";
    else { op.scope = "project"; op.venv = truthy(pe.get("PIPENV_VENV_IN_PROJECT")) ? ".venv" : ""; }
    return;
  }
  if (op.tool == "pdm"sv) {
    op.scope = "project";
    op.venv = ".venv";
    return;
  }
  if (op.tool == "conda"sv || op.tool == "mamba"sv || op.tool == "micromamba"sv) {
    op.scope = "conda";
    if (op.has("prefix")) op.venv = op.value("prefix");
    else if (op.has("name")) op.venv = op.value("name");
    return;
  }
  if (op.tool == "venv"sv) {
    op.scope = "venv";
    op.venv = op.packages.empty() ? std::string() : op.packages[0];
  }
}

bool recogniseConda(const std::vector<std::string>& a, std::size_t s, PackageOp& op) {
  op.tool = basename(a[s]);
  std::size_t i = s + 1;
  if (i >= a.size()) return false;
  std::string sub = a[i];
  if (sub == "env"sv && i + 1 < a.size()) {
    sub = "env-" + a[i + 1];
    ++i;
  }
  static const std::set<std::string> known = {"install", "create", "update", "remove", "uninstall", "clean",
                                              "env-create", "env-update"};
  if (!known.count(sub)) return false;
  op.action = sub;
  for (++i; i < a.size(); ++i) {
    const auto& w = a[i];
    if (w.rfind("-", 0) == 0) {
      std::string name = w.rfind("--", 0) == 0 ? w.substr(2) : w.substr(1);
      std::string val;
      auto eq = name.find('=');
      if (eq != std::string::npos) { val = name.substr(eq + 1); name = name.substr(0, eq); }
      if (name == "n"sv) name = "name";
      if (name == "p"sv) name = "prefix";
      if (name == "c"sv) name = "channel";
      if (name == "f"sv) name = "file";
      if (eq == std::string::npos && (name == "name"sv || name == "prefix"sv || name == "channel"sv || name == "file"sv) &&
          i + 1 < a.size())
        val = a[++i];
      if (name == "file"sv) op.requirementFiles.push_back(val);
      op.options.emplace_back(name, val);
      continue;
    }
    op.packages.push_back(w);
  }
  return true;
}

}  // namespace

std::vector<PackageOp> recogniseOperations(const std::vector<ShellCommand>& commands) {
  return recogniseOperations(commands, {});
}

bool installsRecommends(const PackageOp& op) {
  if ((op.tool != "apt-get"sv && op.tool != "apt"sv) || op.action != "install"sv) return false;
  bool on = true;
  for (const auto& [k, v] : op.options) {
    if (k == "no-install-recommends"sv) on = false;
    else if (k == "install-recommends"sv) on = true;
    else if (k == "o"sv || k == "option"sv) {
      std::string l;
      for (char c : v) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const std::string key = "apt::install-recommends=";
      if (l.rfind(key, 0) == 0) {
        std::string val = l.substr(key.size());
        if (!val.empty() && (val.front() == '"' || val.front() == '\'')) val = val.substr(1, val.size() >= 2 ? val.size() - 2 : 0);
        on = !(val == "false"sv || val == "0"sv || val == "no"sv || val == "off"sv);
      }
    }
  }
  return on;
}

std::vector<PackageOp> recogniseOperations(const std::vector<ShellCommand>& commands,
                                           const std::map<std::string, std::string>& stageEnv) {
  std::vector<PackageOp> ops;
  PyEnv pe;
  pe.stageEnv = &stageEnv;
  for (std::size_t ci = 0; ci < commands.size(); ++ci) {
    const std::vector<std::string>& a = commands[ci].argv;
    std::map<std::string, std::string> inline_;
    // Strip wrappers and leading VAR=value assignments.
    std::size_t s = 0;
    for (;;) {
      if (s >= a.size()) break;
      const auto& w = a[s];
      auto eq = w.find('=');
      if (eq != std::string::npos && eq > 0 && w[0] != '-' &&
          std::all_of(w.begin(), w.begin() + static_cast<long>(eq), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; })) {
        inline_[w.substr(0, eq)] = w.substr(eq + 1);
        ++s;
        continue;
      }
      if (w == "sudo"sv || w == "exec"sv || w == "time"sv || w == "command"sv || w == "nice"sv || w == "env"sv || w == "eatmydata"sv) {
        s = pastWrapperOptions(a, s);
        continue;
      }
      break;
    }
    if (s >= a.size()) {
      for (const auto& [k, v] : inline_) pe.env[k] = v;  // a bare assignment sets a shell variable
      continue;
    }
    const std::string exe = basename(a[s]);
    // Shell state that decides where Python packages go.
    if (exe == "export"sv) {
      for (std::size_t i = s + 1; i < a.size(); ++i) {
        auto eq = a[i].find('=');
        if (eq != std::string::npos) pe.env[a[i].substr(0, eq)] = a[i].substr(eq + 1);
      }
      continue;
    }
    if ((exe == "."sv || exe == "source"sv) && s + 1 < a.size()) {
      const std::string& f = a[s + 1];
      const std::string suffix = "/bin/activate";
      if (f.size() > suffix.size() && f.compare(f.size() - suffix.size(), suffix.size(), suffix) == 0)
        pe.activated = f.substr(0, f.size() - suffix.size());
      continue;
    }
    if (exe == "deactivate"sv) {
      pe.activated.clear();
      continue;
    }
    // This command's view: the RUN's state with its inline VAR=value on top (no copy).
    struct InlineScope {
      PyEnv& pe;
      ~InlineScope() { pe.inlineEnv = nullptr; }
    } inlineScope{pe};
    pe.inlineEnv = &inline_;
    const PyEnv& local = pe;

    PackageOp op;
    op.commandIndex = commands[ci].index >= 0 ? commands[ci].index : static_cast<int>(ci);
    op.conditional = commands[ci].conditional;
    op.condition = commands[ci].condition;
    const std::string& exePath = a[s];
    bool found = false;
    if (isPipExe(a[s])) {
      found = recognisePip(a, s + 1, "pip", op);
    } else if (isPythonExe(a[s])) {
      // python -m pip ... / python -m venv DIR (python options like -I or -u may come first)
      std::size_t i = s + 1;
      while (i < a.size() && a[i].rfind("-", 0) == 0 && a[i] != "-m"sv && a[i] != "-"sv) ++i;  // "-": the script is stdin
      if (i + 1 < a.size() && a[i] == "-m"sv && (a[i + 1] == "pip"sv || a[i + 1] == "pip3"sv)) {
        found = recognisePip(a, i + 2, "pip", op);
        if (found) op.interpreter = a[s];
      } else if ((i < a.size() && basename(a[i]) == "get-pip.py"sv) ||
                 ((i >= a.size() || a[i] == "-"sv) && ci > 0 && commands[ci - 1].op == "|"sv &&
                  std::any_of(commands[ci - 1].argv.begin(), commands[ci - 1].argv.end(),
                              [](const std::string& w) { return w.find("bootstrap.pypa.io/") != std::string::npos && basename(w) == "get-pip.py"sv; }))) {
        // get-pip.py (saved, or piped in from bootstrap.pypa.io): installs pip with the arguments it
        // is given, as `pip install` takes them; setuptools and wheel too on Python before 3.12
        // unless --no-setuptools / --no-wheel (option "get-pip": the estimate knows the version).
        op.tool = "pip";
        op.action = "install";
        op.interpreter = a[s];
        parsePipArgs(a, i < a.size() ? i + 1 : a.size(), op);  // past the script (or the "-" of stdin)
        if (std::none_of(op.packages.begin(), op.packages.end(), [](const std::string& p) { return p.rfind("pip", 0) == 0 && (p.size() == 3 || !std::isalnum(static_cast<unsigned char>(p[3]))); }))
          op.packages.insert(op.packages.begin(), "pip");
        op.options.emplace_back("get-pip", "");
        found = true;
      } else if (i + 1 < a.size() && a[i] == "-m"sv && (a[i + 1] == "venv"sv || a[i + 1] == "virtualenv"sv)) {
        op.tool = "venv";
        op.action = "create";
        op.interpreter = a[s];
        parsePipArgs(a, i + 2, op);
        found = !op.packages.empty();
      }
    } else if (exe == "virtualenv"sv) {
      op.tool = "venv";
      op.action = "create";
      parsePipArgs(a, s + 1, op);
      found = !op.packages.empty();
    } else if (exe == "uv"sv) {
      if (s + 1 < a.size() && a[s + 1] == "pip"sv) found = recognisePip(a, s + 2, "uv", op);
      else if (s + 1 < a.size() && (a[s + 1] == "sync"sv || a[s + 1] == "export"sv || a[s + 1] == "venv"sv)) {
        op.tool = "uv";
        op.action = a[s + 1];
        parsePipArgs(a, s + 2, op);
        found = true;
      }
    } else if (exe == "poetry"sv) {
      if (s + 1 < a.size() && (a[s + 1] == "install"sv || a[s + 1] == "export"sv || a[s + 1] == "sync"sv)) {
        op.tool = "poetry";
        op.action = a[s + 1];
        parsePipArgs(a, s + 2, op);
        found = true;
      } else if (s + 2 < a.size() && a[s + 1] == "cache"sv && a[s + 2] == "clear"sv &&
                 std::find(a.begin() + static_cast<long>(s) + 3, a.end(), "--all") != a.end()) {
        // poetry cache clear NAME --all: empties that cache (the downloads and wheels of its installs).
        op.tool = "poetry";
        op.action = "cache-clear";
        found = true;
      } else if (s + 1 < a.size() && a[s + 1] == "config"sv) {
        op.tool = "poetry";
        op.action = "config";
        parsePipArgs(a, s + 2, op);
        if (op.packages.size() >= 2) {
          if (op.packages[0] == "virtualenvs.create"sv) pe.poetryCreate = !falsy(op.packages[1]);
          if (op.packages[0] == "virtualenvs.in-project"sv) pe.poetryInProject = truthy(op.packages[1]);
        }
        found = true;
      }
    } else if (exe == "pipenv"sv || exe == "pdm"sv) {
      if (s + 1 < a.size() && (a[s + 1] == "install"sv || a[s + 1] == "sync"sv)) {
        op.tool = exe;
        op.action = a[s + 1];
        parsePipArgs(a, s + 2, op);
        found = true;
      }
    } else if (exe == "conda"sv || exe == "mamba"sv || exe == "micromamba"sv) {
      found = recogniseConda(a, s, op);
    } else if (exe == "apt-get"sv || exe == "apt"sv) {
      found = recogniseApt(a, s + 1, op);
      if (found && op.action == "install"sv)
        op.distroPython = std::any_of(op.packages.begin(), op.packages.end(), isDistroPythonPackage);
    } else if (exe == "apk"sv) {
      found = recogniseApk(a, s + 1, op);
      if (found && op.action == "add"sv)
        op.distroPython = std::any_of(op.packages.begin(), op.packages.end(), isDistroPythonPackage);
    } else if (exe == "rm"sv) {
      op.tool = "rm";
      op.action = "rm";
      for (std::size_t i = s + 1; i < a.size(); ++i) {
        if (a[i].rfind("-", 0) == 0 && a[i] != "-"sv) op.options.emplace_back(a[i].substr(1), "");
        else op.packages.push_back(a[i]);
      }
      found = !op.packages.empty();
    }
    if (!found) continue;
    op.text = joined(a, s);
    // get-pip.py piped in: the command says what it runs (`python3` alone would name nothing).
    if (op.has("get-pip") && op.text.find("get-pip.py") == std::string::npos) op.text = "get-pip.py | " + op.text;
    assignScope(op, exePath, local);
    if ((op.tool == "venv"sv && op.action == "create"sv) || (op.tool == "uv"sv && op.action == "venv"sv)) pe.lastVenv = op.venv;
    ops.push_back(std::move(op));
  }
  return ops;
}

std::string unquoted(std::string_view word) {
  std::string p;
  p.reserve(word.size());
  for (char ch : word)
    if (ch != '\'' && ch != '"') p += ch;
  return p;
}

std::size_t pastWrapperOptions(const std::vector<std::string>& a, std::size_t i) {
  if (i >= a.size()) return i;
  const std::string& w = a[i];
  // Options that take the next word as their value, per wrapper (GNU coreutils env/nice/time, sudo).
  static const std::map<std::string, std::set<std::string>, std::less<>> valued = {
      {"env", {"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}},
      {"sudo", {"-u", "--user", "-g", "--group", "-C", "--close-from", "-D", "--chdir", "-h", "--host", "-p", "--prompt",
                "-r", "--role", "-t", "--type", "-U", "--other-user", "-T", "--command-timeout"}},
      {"nice", {"-n", "--adjustment"}},
      {"time", {"-f", "--format", "-o", "--output"}},
  };
  const auto it = valued.find(w);
  std::size_t j = i + 1;
  if (it == valued.end()) return j;
  while (j < a.size() && a[j].size() > 1 && a[j][0] == '-') {
    if (a[j] == "--"sv) return j + 1;
    const bool takesValue = it->second.count(a[j]) > 0 && a[j].find('=') == std::string::npos;
    j += takesValue ? 2 : 1;
  }
  if (w == "env"sv && j < a.size() && a[j] == "-"sv) ++j;  // env - cmd: an empty environment
  return std::min(j, a.size());
}

}  // namespace slimbench::dockerfile
