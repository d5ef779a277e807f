// The checks behind the findings. Each rule is one function registered in kChecks;
// the texts come from the RuleSet (rules.json). "Shipped" stages are the final
// stage and the stages it is built FROM: only their layers end up in the image,
// so size rules look at those; cache/correctness rules look at every reachable stage.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "estimate/commands.h"
#include "lint/lint.h"

// `x == "literal"sv` compares lengths first, inline (x == "literal" is strlen + memcmp in a call).
using namespace std::string_view_literals;

namespace slimbench::lint {
namespace {

using dockerfile::Kind;
using dockerfile::Model;
using dockerfile::PackageOp;
using dockerfile::Stage;
using dockerfile::Step;

// ---------------------------------------------------------------- helpers

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool endsWith(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; }

// A path as written, without trailing "/", "/*", "/." ; $HOME and ${HOME} as ~.
std::string normPath(std::string p) {
  for (const char* home : {"${HOME}", "$HOME"})
    if (startsWith(p, home)) p = "~" + p.substr(std::string_view(home).size());
  for (;;) {
    if (p.size() > 1 && (endsWith(p, "/*") || endsWith(p, "/."))) p.resize(p.size() - 2);
    else if (p.size() > 1 && p.back() == '/') p.pop_back();
    else break;
  }
  if (p == "./"sv || p == "./*"sv || p == "*"sv) p = ".";
  return p;
}

std::string baseName(const std::string& p) {
  auto s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

std::string joinList(const std::vector<std::string>& v, std::size_t max = 6) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < max; ++i) s += (i ? ", " : "") + v[i];
  if (v.size() > max) s += " and " + std::to_string(v.size() - max) + " more";
  return s;
}

std::string mb(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

// Package name without version/pin: "gcc=4:12.2" -> "gcc", "musl-dev>1" -> "musl-dev".
std::string packageName(const std::string& spec) {
  auto e = spec.find_first_of("=<>~!@[; ");
  return lower(spec.substr(0, e));
}
// Python distribution names compare case-insensitively with - _ . equal (PEP 503).
std::string pyName(const std::string& spec) {
  std::string n = packageName(spec);
  for (auto& c : n)
    if (c == '_' || c == '.') c = '-';
  return n;
}

bool isMountOn(const Step& s, const std::function<bool(const std::string&)>& pred) {
  for (const auto& mt : s.mounts())
    if ((mt.type == "cache"sv || mt.type == "tmpfs"sv) && pred(normPath(mt.target()))) return true;
  return false;
}

// An `rm` in the same RUN after command `after` removing a path matching pred.
bool removedLater(const std::vector<PackageOp>& ops, int after, const std::function<bool(const std::string&)>& pred) {
  for (const auto& op : ops)
    if (op.tool == "rm"sv && op.commandIndex > after)
      for (const auto& p : op.packages)
        if (pred(normPath(p))) return true;
  return false;
}

bool hasCommand(const Step& s, std::string_view exe, std::string_view arg) {
  for (const auto& c : s.commands())
    for (std::size_t i = 0; i + 1 < c.argv.size(); ++i)
      if (baseName(c.argv[i]) == exe && c.argv[i + 1] == arg) return true;
  return false;
}

bool isApt(const PackageOp& op) { return op.tool == "apt-get"sv || op.tool == "apt"sv; }
bool isPipInstall(const PackageOp& op) { return op.tool == "pip"sv && op.action == "install"sv; }
bool isPythonInstall(const PackageOp& op) {
  return ((op.tool == "pip"sv || op.tool == "uv"sv) && (op.action == "install"sv || op.action == "sync"sv)) ||
         (op.tool == "poetry"sv && op.action == "install"sv);
}
// Installs dependencies listed in a manifest (requirements, pyproject/lock).
bool usesManifest(const PackageOp& op) {
  if ((op.tool == "pip"sv || op.tool == "uv"sv) && op.action == "install"sv) return !op.requirementFiles.empty();
  return (op.tool == "uv"sv && op.action == "sync"sv) || (op.tool == "poetry"sv && op.action == "install"sv);
}

bool strtoboolValue(const std::string& v) {
  static const std::set<std::string> ok = {"y", "yes", "t", "true", "on", "1", "n", "no", "f", "false", "off", "0"};
  return ok.count(lower(v)) > 0;
}

// ---------------------------------------------------------------- context

struct Raw {
  int line = 0;
  int endLine = 0;
  int stage = -1;
  int instruction = -1;  // SyntaxTree index, for inline ignores
  std::string message;
};

struct Ctx {
  const Model& m;
  const InstructionComments& comments;
  const LintFacts& facts;
  std::vector<int> shipped;    // stages whose layers are in the image, base-most first
  std::vector<int> reachable;  // stages the build runs
  std::vector<Raw> out;

  void emit(const Step& s, int stage, std::string message) {
    out.push_back({s.startLine, s.endLine > s.startLine ? s.endLine : 0, stage, s.index, std::move(message)});
  }
  void emitNowhere(std::string message) { out.push_back({0, 0, -1, -1, std::move(message)}); }

  // What the checks read of the ENV in effect before steps[pos] of stage si: these names only,
  // pointing at the model's values (a stage's whole ENV was copied into a map by each check that
  // walked it: 50k names at 100k lines, rebuilt three times). Checks walk the steps in order, so it
  // is advanced from the previous call; the reference is valid until the next call.
  struct Env {
    const std::string* pipNoCacheDir = nullptr;      // PIP_NO_CACHE_DIR
    const std::string* pipCacheDir = nullptr;        // PIP_CACHE_DIR
    const std::string* xdgCacheHome = nullptr;       // XDG_CACHE_HOME
    const std::string* uvCompileBytecode = nullptr;  // UV_COMPILE_BYTECODE
    void set(std::string_view key, const std::string& value) {
      if (key == "PIP_NO_CACHE_DIR"sv) pipNoCacheDir = &value;
      else if (key == "PIP_CACHE_DIR"sv) pipCacheDir = &value;
      else if (key == "XDG_CACHE_HOME"sv) xdgCacheHome = &value;
      else if (key == "UV_COMPILE_BYTECODE"sv) uvCompileBytecode = &value;
    }
  };
  const Env& envBefore(int si, std::size_t pos) const {
    const Stage& st = m.stages[static_cast<std::size_t>(si)];
    if (envCache.stage != si || pos < envCache.pos) {
      envCache.stage = si;
      envCache.pos = 0;
      envCache.env = Env{};
      if (st.baseStage >= 0)
        for (const auto& [k, v] : m.stages[static_cast<std::size_t>(st.baseStage)].env) envCache.env.set(k, v);
    }
    for (; envCache.pos < pos && envCache.pos < st.steps.size(); ++envCache.pos)
      if (st.steps[envCache.pos].kind == Kind::Env)
        for (const auto& kv : st.steps[envCache.pos].keyValues()) envCache.env.set(kv.key, kv.value);
    return envCache.env;
  }
  struct EnvCache {
    int stage = -1;
    std::size_t pos = 0;
    Env env;
  };
  mutable EnvCache envCache;

  // A RUN's package operations with its branches decided as the build decides them: the
  // analysis arch answers `uname -m`, `dpkg --print-architecture` and TARGETARCH, the stage's ARG
  // and ENV values the rest (`if [ "$(uname -m)" = armv7l ]; then apk add ...; fi` installs nothing
  // on amd64). A branch that cannot be decided stays in, marked conditional. Made once per RUN.
  // `withEnv`: always read with the stage's ENV, which decides where pip installs (a venv on PATH,
  // VIRTUAL_ENV, PIP_USER); without it a RUN with no branch keeps the model's own list.
  const std::vector<PackageOp>& ops(int si, std::size_t pos, const Step& s, bool withEnv = false) const {
    const auto& all = s.commands();
    StageMemo& sm = memoOf(si, pos);
    if (!withEnv && !guarded(sm, pos, s)) return s.operations().get();
    auto& slot = (withEnv ? sm.evaluatedWithEnv : sm.evaluated)[pos];
    if (slot) return *slot;
    auto& scope = scopes[si];
    if (!scope) scope = std::make_unique<estimate::StageScope>(m, si, facts.arch.empty() ? std::string("amd64") : facts.arch);
    scope->advanceTo(pos);
    auto taken = dockerfile::selectBranchesShared(all, scope->vars());
    slot = std::make_unique<const std::vector<PackageOp>>(dockerfile::recogniseOperations(taken.get(), scope->env()));
    return *slot;
  }
  // Per stage, per step: whether the RUN has a command under a condition (-1: not looked at yet),
  // and its operations with branches decided (made once, asked by every check of every RUN).
  struct StageMemo {
    std::vector<signed char> guarded;
    std::vector<std::unique_ptr<const std::vector<PackageOp>>> evaluated, evaluatedWithEnv;
  };
  StageMemo& memoOf(int si, std::size_t pos) const {
    const auto n = m.stages.size();
    if (memo.size() < n) memo.resize(n);
    StageMemo& sm = memo[static_cast<std::size_t>(si)];
    const auto steps = std::max(m.stages[static_cast<std::size_t>(si)].steps.size(), pos + 1);
    if (sm.guarded.size() < steps) {
      sm.guarded.resize(steps, -1);
      sm.evaluated.resize(steps);
      sm.evaluatedWithEnv.resize(steps);
    }
    return sm;
  }
  mutable std::vector<StageMemo> memo;
  // Whether a RUN has a command under a condition (asked by every check of every RUN: looked at once).
  bool guarded(StageMemo& sm, std::size_t pos, const Step& s) const {
    signed char& known = sm.guarded[pos];
    if (known < 0) {
      const auto& all = s.commands();
      known = std::any_of(all.begin(), all.end(), [](const dockerfile::ShellCommand& k) { return !k.guards.empty(); });
    }
    return known != 0;
  }
  mutable std::map<int, std::unique_ptr<estimate::StageScope>> scopes;

  // Calls f(stageIndex, positionInStage, step) for every step of the given stages.
  template <class F>
  void forSteps(const std::vector<int>& stages, F f) const {
    for (int si : stages) {
      const auto& steps = m.stages[static_cast<std::size_t>(si)].steps;
      for (std::size_t i = 0; i < steps.size(); ++i) f(si, i, steps[i]);
    }
  }
};

std::string lineRef(const Step& s) { return "line " + std::to_string(s.startLine); }

// ---------------------------------------------------------------- checks

// SB101: the app source is copied before the dependency install.
bool isManifestName(const std::string& n) {
  static const std::set<std::string> names = {"requirements.txt", "pyproject.toml", "poetry.lock", "uv.lock",
                                              "setup.py", "setup.cfg", "pipfile", "pipfile.lock"};
  return names.count(lower(n)) || startsWith(lower(n), "requirements") || startsWith(lower(n), "constraints");
}
// Files a project keeps at its top and rarely edits: copying them early costs no cache.
bool isRarelyChangedFile(const std::string& base) {
  static const std::set<std::string> names = {"license", "licence", "copying", "notice", "authors", "contributors",
                                              "changelog", "changes", "history", "readme", "version", "manifest.in",
                                              "makefile", "procfile", "dockerfile", ".dockerignore", ".python-version",
                                              ".gitignore", "entrypoint.sh", "docker-entrypoint.sh", "alembic.ini"};
  std::string l = lower(base);
  std::string stem = l.substr(0, l.find('.', 1));
  if (names.count(l) || names.count(stem)) return true;
  // LICENSE-MIT, NOTICE.txt, README.md, CHANGES.rst: an all-capital stem is a project document.
  std::string rawStem = base.substr(0, base.find('.', 1));
  bool capitals = rawStem.size() > 1 && std::any_of(rawStem.begin(), rawStem.end(), [](char ch) { return std::isupper(static_cast<unsigned char>(ch)); }) &&
                  std::none_of(rawStem.begin(), rawStem.end(), [](char ch) { return std::islower(static_cast<unsigned char>(ch)); });
  return capitals || endsWith(l, ".md") || endsWith(l, ".rst");
}
// A COPY source that brings the project's source tree (files that change with every edit and that
// a manifest install does not read): the whole context, a folder (`kinto/`, `src`), a glob, or
// source files. Manifests and rarely changed top-level files (LICENSE, README.md) are not.
bool isSourceTree(const std::string& src) {
  if (src.find("://") != std::string::npos || src.find('$') != std::string::npos) return false;
  std::string p = normPath(src);
  if (p == "."sv || p == "/"sv || p == ".."sv) return true;
  std::string b = baseName(p);
  if (b.empty() || isManifestName(b)) return false;
  if (b.find_first_of("*?[") != std::string::npos) return true;
  if (src.back() == '/' || endsWith(src, "/.") || endsWith(src, "/*")) return true;  // written as a folder
  if (isRarelyChangedFile(b)) return false;
  auto dot = b.find('.', 1);
  if (dot == std::string::npos) return true;  // no extension: a folder of the project (app, src, kinto)
  static const std::set<std::string> code = {"py", "pyx", "pxd", "pyi", "c", "cc", "cpp", "h", "js", "ts", "html", "go", "rs"};
  return code.count(lower(b.substr(b.rfind('.') + 1))) > 0;
}
// SB101: the COPY that invalidates the dependency install: of the context COPYs before an install
// from manifests (pip -r, uv sync, poetry install) in the same stage, the first one that copies the
// source tree. A COPY of LICENSE or of the manifests before it is not to blame.
void checkSourceBeforeDeps(Ctx& c) {
  for (int si : c.reachable) {
    const Step* tree = nullptr;
    std::string what;
    const auto& steps = c.m.stages[static_cast<std::size_t>(si)].steps;
    for (std::size_t pos = 0; pos < steps.size(); ++pos) {
      const Step& s = steps[pos];
      if (!tree && (s.kind == Kind::Copy || s.kind == Kind::Add) && s.copyFrom().empty() && s.heredocs().empty()) {
        for (const auto& src : s.sources())
          if (isSourceTree(src)) {
            tree = &s;
            what = src;
            break;
          }
      }
      if (tree && s.kind == Kind::Run) {
        const auto& ops = c.ops(si, pos, s);
        auto it = std::find_if(ops.begin(), ops.end(), usesManifest);
        if (it != ops.end()) {
          c.emit(*tree, si,
                 std::string(dockerfile::kindName(tree->kind)) + " " + what + " at " + lineRef(*tree) +
                     " copies the source tree before the dependency install at " + lineRef(s) + " (" + it->text +
                     "): any change to those files invalidates the cache and reinstalls every dependency");
          break;
        }
      }
    }
  }
}

// SB102: pip's download/wheel cache left in the shipped image.
bool isPipCachePath(const std::string& p, const Ctx::Env& env, const PackageOp& op) {
  if (endsWith(p, "/.cache") || endsWith(p, "/.cache/pip") || p == "~/.cache"sv || p == "~/.cache/pip"sv) return true;
  for (const std::string& dir : {op.value("cache-dir"), env.pipCacheDir ? *env.pipCacheDir : std::string(),
                                 env.xdgCacheHome ? *env.xdgCacheHome : std::string()})
    if (!dir.empty() && (p == normPath(dir) || p == normPath(dir) + "/pip")) return true;
  return false;
}
void checkPipCache(Ctx& c) {
  c.forSteps(c.shipped, [&](int si, std::size_t pos, const Step& s) {
    if (s.kind != Kind::Run) return;
    const auto& ops = c.ops(si, pos, s);
    const auto& env = c.envBefore(si, pos);
    if (env.pipNoCacheDir && strtoboolValue(*env.pipNoCacheDir)) return;
    for (const auto& op : ops) {
      if (!isPipInstall(op) || op.has("no-cache-dir") || op.has("no-cache")) continue;  // pip takes --no-cache for --no-cache-dir (an unambiguous prefix)
      auto pred = [&](const std::string& p) { return isPipCachePath(p, env, op); };
      if (isMountOn(s, pred) || removedLater(ops, op.commandIndex, pred)) continue;
      bool purged = std::any_of(ops.begin(), ops.end(), [&](const PackageOp& o) {
        return o.action == "cache-purge"sv && o.commandIndex > op.commandIndex;
      });
      if (purged) continue;
      c.emit(s, si, "`" + op.text + "` at " + lineRef(s) +
                        " keeps pip's cache (~/.cache/pip: downloaded and built wheels) in this layer of the final image");
      return;
    }
  });
}

// SB103: removal in a later RUN than the install frees nothing.
void checkLateCleanup(Ctx& c) {
  std::map<std::string, int> aptInstalled, apkInstalled;  // name -> line
  int aptLists = 0, apkCache = 0, pipCache = 0;             // line that left them, 0 = none
  c.forSteps(c.shipped, [&](int si, std::size_t pos, const Step& s) {
    if (s.kind != Kind::Run) return;
    const auto& ops = c.ops(si, pos, s);
    const auto& env = c.envBefore(si, pos);
    bool pipCacheOff = env.pipNoCacheDir && strtoboolValue(*env.pipNoCacheDir);
    std::vector<std::string> removed;
    int from = 0;
    auto note = [&](const std::string& what, int line) {
      removed.push_back(what);
      if (!from) from = line;
    };
    for (const auto& op : ops) {
      if (isApt(op) && (op.action == "purge"sv || op.action == "remove"sv))
        for (const auto& p : op.packages)
          if (auto it = aptInstalled.find(packageName(p)); it != aptInstalled.end()) note(packageName(p), it->second);
      if (op.tool == "apk"sv && op.action == "del"sv)
        for (const auto& p : op.packages)
          if (auto it = apkInstalled.find(packageName(p)); it != apkInstalled.end()) note(packageName(p), it->second);
      if (op.tool == "rm"sv)
        for (const auto& raw : op.packages) {
          std::string p = normPath(raw);
          if (aptLists && startsWith(p, "/var/lib/apt/lists")) note(raw, aptLists);
          else if (apkCache && startsWith(p, "/var/cache/apk")) note(raw, apkCache);
          else if (pipCache && (endsWith(p, "/.cache") || endsWith(p, "/.cache/pip"))) note(raw, pipCache);
        }
    }
    if (!removed.empty())
      c.emit(s, si, lineRef(s) + " removes " + joinList(removed) + ", which line " + std::to_string(from) +
                        " put in an earlier layer: the bytes stay in that layer and this one only adds whiteouts");
    // Now record what this RUN leaves behind for later RUNs. The removals of the RUN, indexed once
    // (a per-package scan of every later removal was quadratic in a RUN with thousands of packages).
    struct Removal {
      int commandIndex;
      std::unordered_set<std::string> names;  // package names and the words as written (a --virtual name)
      bool variable = false;                  // removes $VAR: may be anything
    };
    std::vector<Removal> removals;
    for (const auto& o : ops) {
      bool del = (isApt(o) && (o.action == "purge"sv || o.action == "remove"sv)) || (o.tool == "apk"sv && o.action == "del"sv);
      if (!del) continue;
      Removal r{o.commandIndex, {}, false};
      for (const auto& p : o.packages) {
        r.names.insert(packageName(p));
        r.names.insert(p);
        r.variable = r.variable || p.find('$') != std::string::npos;
      }
      removals.push_back(std::move(r));
    }
    for (const auto& op : ops) {
      auto removedInSameRun = [&](const std::string& name, const std::string& virt) {
        for (const auto& r : removals) {
          if (r.commandIndex <= op.commandIndex) continue;
          if (r.variable || r.names.count(name) || (!virt.empty() && r.names.count(virt))) return true;
        }
        return false;
      };
      if (isApt(op) && op.action == "install"sv)
        for (const auto& p : op.packages)
          if (!removedInSameRun(packageName(p), {})) aptInstalled[packageName(p)] = s.startLine;
      if (op.tool == "apk"sv && op.action == "add"sv) {
        for (const auto& p : op.packages)
          if (!removedInSameRun(packageName(p), op.virtualName)) apkInstalled[packageName(p)] = s.startLine;
        if (!op.virtualName.empty() && !removedInSameRun(op.virtualName, op.virtualName))
          apkInstalled[op.virtualName] = s.startLine;
      }
      if (isApt(op) && op.action == "update"sv &&
          !removedLater(ops, op.commandIndex, [](const std::string& p) { return startsWith(p, "/var/lib/apt/lists"); }))
        aptLists = s.startLine;
      if (op.tool == "apk"sv && (op.action == "add"sv || op.action == "update"sv) && !op.has("no-cache") &&
          !removedLater(ops, op.commandIndex, [](const std::string& p) { return startsWith(p, "/var/cache/apk"); }))
        apkCache = s.startLine;
      if (isPipInstall(op) && !op.has("no-cache-dir") && !op.has("no-cache") && !pipCacheOff &&
          !isMountOn(s, [](const std::string& p) { return endsWith(p, "/.cache") || endsWith(p, "/.cache/pip"); }) &&
          !removedLater(ops, op.commandIndex, [](const std::string& p) { return endsWith(p, "/.cache") || endsWith(p, "/.cache/pip"); }))
        pipCache = s.startLine;
    }
  });
}

// SB104: compilers and headers in the final image.
// A compiler (or a meta package that installs one): what compiling in the image needs.
bool isCompilerPackage(const std::string& n) {
  static const std::set<std::string> names = {"gcc", "g++", "cc", "c++", "clang", "build-essential", "build-base",
                                              "alpine-sdk", "rust", "rustc", "cargo", "gfortran", "tcc"};
  return names.count(n) || startsWith(n, "gcc-") || startsWith(n, "g++-") || startsWith(n, "gfortran-") ||
         (startsWith(n, "clang-") && n.size() > 6 && std::isdigit(static_cast<unsigned char>(n[6])));
}
// Headers and static libraries: only read while compiling, but no compiler by themselves.
bool isHeaderPackage(const std::string& n) {
  return n == "linux-headers"sv || endsWith(n, "-dev") || endsWith(n, "-devel");
}
// The packages of `pred` a RUN installs (apt-get/apt install, apk add) and does not remove again
// in the same RUN, in order; untaken branches (ops) are not counted. The removals are indexed once
// (scanning them per installed package was quadratic in a RUN with thousands of packages).
std::vector<std::string> leftInstalled(const std::vector<PackageOp>& ops, bool (*pred)(const std::string&)) {
  struct Removal {
    int commandIndex;
    bool apk;
    std::unordered_set<std::string> names;  // package names and the words as written
    bool variable = false;
  };
  std::vector<Removal> removals;
  for (const auto& o : ops) {
    const bool apkDel = o.tool == "apk"sv && o.action == "del"sv;
    if (!apkDel && !(isApt(o) && (o.action == "purge"sv || o.action == "remove"sv))) continue;
    Removal r{o.commandIndex, apkDel, {}, false};
    for (const auto& q : o.packages) {
      r.names.insert(packageName(q));
      r.names.insert(q);
      r.variable = r.variable || q.find('$') != std::string::npos;
    }
    removals.push_back(std::move(r));
  }
  std::vector<std::string> left;
  for (const auto& op : ops) {
    bool install = (isApt(op) && op.action == "install"sv) || (op.tool == "apk"sv && op.action == "add"sv);
    if (!install) continue;
    for (const auto& p : op.packages) {
      std::string n = packageName(p);
      if (!pred(n) || std::find(left.begin(), left.end(), n) != left.end()) continue;
      bool gone = false;
      for (const auto& r : removals) {
        if (r.commandIndex <= op.commandIndex || r.apk != (op.tool == "apk"sv) || (!r.apk && !isApt(op))) continue;
        if (r.variable || r.names.count(n) || (!op.virtualName.empty() && r.names.count(op.virtualName))) gone = true;
      }
      if (!gone) left.push_back(n);
    }
  }
  return left;
}
// SB104: a compiler in the final image (headers installed with it are named too).
void checkBuildToolsShipped(Ctx& c) {
  c.forSteps(c.shipped, [&](int si, std::size_t pos, const Step& s) {
    if (s.kind != Kind::Run) return;
    const auto& ops = c.ops(si, pos, s);
    auto compilers = leftInstalled(ops, isCompilerPackage);
    if (compilers.empty()) return;
    auto headers = leftInstalled(ops, isHeaderPackage);
    compilers.insert(compilers.end(), headers.begin(), headers.end());
    c.emit(s, si, lineRef(s) + " installs " + joinList(compilers) + " in the final image and does not remove them in the same RUN");
  });
}

// SB118: development headers without a compiler in the final image (milder than SB104: nothing
// can compile, but the headers and static libraries are only dead weight at run time).
void checkHeadersShipped(Ctx& c) {
  if (c.facts.compilerInImage.value_or(false)) return;  // headers and a compiler: the image can compile
  c.forSteps(c.shipped, [&](int si, std::size_t pos, const Step& s) {
    if (s.kind != Kind::Run) return;
    const auto& ops = c.ops(si, pos, s);
    if (!leftInstalled(ops, isCompilerPackage).empty()) return;  // SB104 names them
    auto headers = leftInstalled(ops, isHeaderPackage);
    if (headers.empty()) return;
    c.emit(s, si, lineRef(s) + " installs " + joinList(headers) +
                      " (headers and static libraries, read only when compiling) in the final image; no compiler is installed with them");
  });
}

// SB105: packages without a wheel for the target.
void checkNoWheel(Ctx& c) {
  if (c.facts.packagesWithoutWheel.empty()) return;
  // One pass over the steps: the first RUN that names each distribution, and the first Python
  // install at all (where a package from a requirements file is reported). A walk per package was
  // quadratic on long Dockerfiles full of unknown packages.
  struct At {
    const Step* step = nullptr;
    int stage = -1;
  };
  std::unordered_map<std::string, At> named;
  At fallback;
  c.forSteps(c.reachable, [&](int si, std::size_t pos, const Step& s) {
    if (s.kind != Kind::Run) return;
    for (const auto& op : c.ops(si, pos, s)) {
      if (!isPythonInstall(op)) continue;
      if (!fallback.step && (usesManifest(op) || !op.packages.empty())) fallback = {&s, si};
      for (const auto& p : op.packages) named.emplace(pyName(p), At{&s, si});
    }
  });
  const std::string target = c.facts.targetLibc.empty() ? "the target platform" : c.facts.targetLibc;
  for (const auto& pkg : c.facts.packagesWithoutWheel) {
    auto it = named.find(pyName(pkg.name));
    const At at = it != named.end() ? it->second : fallback;
    std::string msg = pkg.name + " has no wheel for " + target + (pkg.cost.empty() ? std::string() : ": " + pkg.cost);
    if (at.step) c.emit(*at.step, at.stage, msg);
    else c.emitNowhere(msg);
  }
}

// SB106: wheels copied into a layer, then installed: in the image twice.
void checkWheelsTwice(Ctx& c) {
  struct Copied { const Step* step; int stage; std::string dest; bool whl; };
  std::vector<Copied> copies;
  std::set<const Step*> reported;
  c.forSteps(c.shipped, [&](int si, std::size_t pos, const Step& s) {
    if ((s.kind == Kind::Copy || s.kind == Kind::Add) && !s.destination().empty()) {
      bool whl = false, dir = false;
      for (const auto& src : s.sources()) {
        std::string b = lower(baseName(normPath(src)));
        if (endsWith(b, ".whl")) whl = true;
        else if (b.find("wheel") != std::string::npos) dir = true;
      }
      if (whl || dir) copies.push_back({&s, si, normPath(s.destination()), whl});
      return;
    }
    if (s.kind != Kind::Run) return;
    const auto& ops = c.ops(si, pos, s);
    for (const auto& cp : copies) {
      if (reported.count(cp.step)) continue;
      for (const auto& op : ops) {
        if (!((op.tool == "pip"sv || op.tool == "uv"sv) && op.action == "install"sv)) continue;
        bool uses = false;
        for (const auto& p : op.packages)
          if (startsWith(normPath(p), cp.dest) || (cp.whl && endsWith(lower(p), ".whl"))) uses = true;
        if (!op.value("find-links").empty() && startsWith(normPath(op.value("find-links")), cp.dest)) uses = true;
        if (!uses) continue;
        std::string msg = std::string(dockerfile::kindName(cp.step->kind)) + " at " + lineRef(*cp.step) + " puts " +
                          cp.dest + " in a layer and " + lineRef(s) +
                          " installs from it: the wheels and the installed packages are both in the image";
        if (removedLater(ops, op.commandIndex, [&](const std::string& p) { return startsWith(p, cp.dest); }))
          msg += " (deleting them at " + lineRef(s) + " does not shrink the COPY layer)";
        c.emit(*cp.step, cp.stage, msg);
        reported.insert(cp.step);
        break;
      }
    }
  });
}

// SB107: apt lists left after apt-get update.
void checkAptLists(Ctx& c) {
  auto lists = [](const std::string& p) { return p == "/var/lib/apt"sv || startsWith(p, "/var/lib/apt/lists"); };
  c.forSteps(c.shipped, [&](int si, std::size_t pos, const Step& s) {
    if (s.kind != Kind::Run) return;
    const auto& ops = c.ops(si, pos, s);
    for (const auto& op : ops) {
      if (!isApt(op) || op.action != "update"sv) continue;
      if (removedLater(ops, op.commandIndex, lists) || isMountOn(s, lists) || hasCommand(s, "apt-get", "dist-clean") ||
          hasCommand(s, "apt", "dist-clean"))
        continue;
      c.emit(s, si, "`" + op.text + "` at " + lineRef(s) +
                        " leaves the package lists in /var/lib/apt/lists in this layer (no rm -rf /var/lib/apt/lists/* in the same RUN)");
      return;
    }
  });
}

// SB108: apt-get install without --no-install-recommends.
void checkRecommends(Ctx& c) {
  c.forSteps(c.shipped, [&](int si, std::size_t pos, const Step& s) {
    if (s.kind != Kind::Run) return;
    const auto& ops = c.ops(si, pos, s);
    for (const auto& op : ops) {
      if (!isApt(op) || op.action != "install"sv || op.has("no-install-recommends")) continue;
      bool viaOption = false;
      for (const auto& [k, v] : op.options)
        if ((k == "o"sv || k == "option"sv) && lower(v).find("install-recommends=") != std::string::npos &&
            (endsWith(lower(v), "=false") || endsWith(lower(v), "=0")))
          viaOption = true;
      if (viaOption) continue;
      c.emit(s, si, "`" + op.text + "` at " + lineRef(s) + " also installs every recommended package");
      return;
    }
  });
}

// SB109: apk index cache left in /var/cache/apk.
void checkApkCache(Ctx& c) {
  auto cache = [](const std::string& p) { return startsWith(p, "/var/cache/apk") || p == "/etc/apk/cache"sv; };
  c.forSteps(c.shipped, [&](int si, std::size_t pos, const Step& s) {
    if (s.kind != Kind::Run) return;
    const auto& ops = c.ops(si, pos, s);
    for (const auto& op : ops) {
      if (op.tool != "apk"sv || (op.action != "add"sv && op.action != "update"sv) || op.has("no-cache")) continue;
      if (removedLater(ops, op.commandIndex, cache) || isMountOn(s, cache)) continue;
      c.emit(s, si, "`" + op.text + "` at " + lineRef(s) + " leaves the package index in /var/cache/apk in this layer");
      return;
    }
  });
}

// SB110: base image without a tag or with :latest.
void checkUnpinnedBase(Ctx& c) {
  for (int si : c.reachable) {
    const Stage& st = c.m.stages[static_cast<std::size_t>(si)];
    if (st.baseStage >= 0 || st.steps.empty()) continue;
    const std::string& img = st.baseImage;
    if (img.empty() || lower(img) == "scratch"sv || img.find('$') != std::string::npos) continue;
    if (img.find('@') != std::string::npos) continue;  // digest pin
    auto slash = img.rfind('/');
    auto colon = img.rfind(':');
    bool hasTag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
    if (!hasTag) c.emit(st.steps[0], si, "FROM " + img + " has no tag: it means :latest, whatever that is on build day");
    else if (img.substr(colon + 1) == "latest"sv)
      c.emit(st.steps[0], si, "FROM " + img + " follows :latest, which moves to new releases without notice");
  }
}

// SB111: the final image runs as root.
void checkRoot(Ctx& c) {
  if (c.shipped.empty()) return;
  const Step* lastUser = nullptr;
  int userStage = -1;
  c.forSteps(c.shipped, [&](int si, std::size_t, const Step& s) {
    if (s.kind == Kind::User) {
      lastUser = &s;
      userStage = si;
    }
  });
  int fin = c.shipped.back();
  const Stage& st = c.m.stages[static_cast<std::size_t>(fin)];
  if (!lastUser) {
    if (!st.steps.empty())
      c.emit(st.steps[0], fin, "the final stage (FROM " + st.baseImage +
                                    ") sets no USER: the app runs as root unless the base image chose another user");
    return;
  }
  std::string u = lastUser->args().empty() ? std::string() : lastUser->args()[0];
  std::string name = u.substr(0, u.find(':'));
  if (name == "root"sv || name == "0"sv)
    c.emit(*lastUser, userStage, "USER " + u + " at " + lineRef(*lastUser) + " is the last USER: the app runs as root");
}

// SB112: PYTHONDONTWRITEBYTECODE together with asking for bytecode compilation.
void checkBytecodeContradiction(Ctx& c) {
  if (c.shipped.empty()) return;
  const auto& env = c.m.stages[static_cast<std::size_t>(c.shipped.back())].env;
  auto it = env.find("PYTHONDONTWRITEBYTECODE");
  if (it == env.end() || it->second.empty()) return;
  c.forSteps(c.shipped, [&](int si, std::size_t pos, const Step& s) {
    if (s.kind != Kind::Run) return;
    const auto& ops = c.ops(si, pos, s);
    std::string how;
    for (const auto& op : ops)
      if ((op.tool == "pip"sv && op.action == "install"sv && op.has("compile")) ||
          (op.tool == "uv"sv && op.has("compile-bytecode")))
        how = "`" + op.text + "`";
    if (how.empty())
      for (const auto& cmd : s.commands())
        for (std::size_t i = 0; i + 1 < cmd.argv.size(); ++i)
          if (cmd.argv[i] == "-m"sv && cmd.argv[i + 1] == "compileall"sv) how = "python -m compileall";
    if (how.empty()) {
      const auto& e = c.envBefore(si, pos);
      if (const std::string* u = e.uvCompileBytecode; u && strtoboolValue(*u) && lower(*u) != "0"sv && lower(*u) != "false"sv &&
                                                     std::any_of(ops.begin(), ops.end(),
                                                                 [](const PackageOp& o) { return o.tool == "uv"sv; }))
        how = "UV_COMPILE_BYTECODE=" + *u;
    }
    if (!how.empty())
      c.emit(s, si, lineRef(s) + " compiles bytecode (" + how + ") while PYTHONDONTWRITEBYTECODE=" + it->second +
                        " is set for the image");
  });
}

// SB113: ADD of plain local files.
bool addNeedsAdd(const std::string& src) {
  std::string l = lower(src);
  if (l.find("://") != std::string::npos || startsWith(l, "git@") || endsWith(l, ".git")) return true;
  for (const char* ext : {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst"})
    if (endsWith(l, ext)) return true;
  return false;
}
void checkAddForCopy(Ctx& c) {
  c.forSteps(c.reachable, [&](int si, std::size_t, const Step& s) {
    if (s.kind != Kind::Add || !s.heredocs().empty() || !s.copyFrom().empty()) return;
    std::vector<std::string> plain;
    for (const auto& src : s.sources())
      if (!addNeedsAdd(src)) plain.push_back(src);
    if (!plain.empty() && plain.size() == s.sources().size())
      c.emit(s, si, "ADD " + joinList(plain) + " at " + lineRef(s) + " copies local files: COPY does that without ADD's extra behaviour");
  });
}

// SB114: no .dockerignore with a large context or COPY of the whole context.
void checkDockerignore(Ctx& c) {
  if (!c.facts.hasDockerignore.has_value() || *c.facts.hasDockerignore) return;
  const Step* whole = nullptr;
  int wholeStage = -1;
  c.forSteps(c.reachable, [&](int si, std::size_t, const Step& s) {
    if (whole || !(s.kind == Kind::Copy || s.kind == Kind::Add) || !s.copyFrom().empty()) return;
    for (const auto& src : s.sources())
      if (normPath(src) == "."sv) {
        whole = &s;
        wholeStage = si;
      }
  });
  bool large = c.facts.contextBytes && *c.facts.contextBytes >= c.facts.largeContextBytes;
  if (!large && !whole) return;
  std::string msg = "no .dockerignore";
  if (c.facts.contextBytes) msg += ", and the build context is " + mb(*c.facts.contextBytes);
  if (!c.facts.largestPaths.empty()) {
    std::vector<std::string> top;
    for (const auto& [p, b] : c.facts.largestPaths) top.push_back(p + " " + mb(b));
    msg += " (largest: " + joinList(top, 5) + ")";
  }
  if (whole) msg += "; " + std::string(dockerfile::kindName(whole->kind)) + " . at " + lineRef(*whole) + " copies all of it into the image";
  if (whole) c.emit(*whole, wholeStage, msg);
  else c.emitNowhere(msg);
}

// SB115: apt-get upgrade / apk upgrade inside the image.
void checkUpgrade(Ctx& c) {
  c.forSteps(c.reachable, [&](int si, std::size_t pos, const Step& s) {
    if (s.kind != Kind::Run) return;
    const auto& ops = c.ops(si, pos, s);
    for (const auto& op : ops)
      if ((isApt(op) && (op.action == "upgrade"sv || op.action == "dist-upgrade"sv || op.action == "full-upgrade"sv)) ||
          (op.tool == "apk"sv && op.action == "upgrade"sv)) {
        c.emit(s, si, "`" + op.text + "` at " + lineRef(s) + " upgrades the base image's packages inside a layer");
        return;
      }
  });
}

struct Check {
  const char* id;
  void (*run)(Ctx&);
};

// The one table of checks. The texts live in rules.json under the same ids.
// SB117: chown -R / chmod -R / chgrp -R over files a COPY/ADD of the same image put there: every
// file is copied into the new layer again (a metadata change copies the whole file up).
void checkRecursiveRewrite(Ctx& c) {
  for (int si : c.shipped) {
    const auto& steps = c.m.stages[static_cast<std::size_t>(si)].steps;
    std::string workdir = "/";
    std::vector<std::pair<std::string, const Step*>> copied;  // destination, step
    auto abs = [&](const std::string& p) {
      if (!p.empty() && p[0] == '/') return normPath(p);
      std::string w = workdir == "/"sv ? "" : workdir;
      std::string r = normPath(p);
      return r == "."sv ? (w.empty() ? std::string("/") : w) : w + "/" + (startsWith(r, "./") ? r.substr(2) : r);
    };
    auto under = [](const std::string& a, const std::string& b) { return a == b || b == "/"sv || startsWith(a, b + "/"); };
    for (const auto& s : steps) {
      if (s.kind == Kind::Workdir && !s.args().empty()) workdir = abs(s.args()[0]);
      if ((s.kind == Kind::Copy || s.kind == Kind::Add) && !s.destination().empty()) copied.emplace_back(abs(s.destination()), &s);
      if (s.kind != Kind::Run) continue;
      for (const auto& cmd : s.commands()) {
        if (cmd.argv.empty()) continue;
        const std::string tool = baseName(cmd.argv[0]);
        if (tool != "chown"sv && tool != "chmod"sv && tool != "chgrp"sv) continue;
        bool recursive = false;
        std::vector<std::string> operands;
        for (std::size_t i = 1; i < cmd.argv.size(); ++i) {
          const auto& a = cmd.argv[i];
          if (a == "-R"sv || a == "--recursive"sv || (a.size() > 1 && a[0] == '-' && a[1] != '-' && a.find('R') != std::string::npos)) recursive = true;
          else if (!a.empty() && a[0] != '-') operands.push_back(a);
        }
        if (!recursive || operands.size() < 2) continue;  // owner/mode, then paths
        for (std::size_t i = 1; i < operands.size(); ++i) {
          const std::string path = abs(operands[i]);
          for (const auto& [dest, cs] : copied)
            if (under(dest, path) || under(path, dest)) {
              c.emit(s, si, "`" + tool + " -R " + operands[0] + " " + operands[i] + "` at " + lineRef(s) + " rewrites the files " +
                               (cs->kind == Kind::Add ? "ADD" : "COPY") + " at " + lineRef(*cs) +
                               " put under " + dest + ": each is stored twice, in both layers; " +
                               (tool == "chmod"sv ? "COPY --chmod" : "COPY --chown") + " sets it while copying");
              goto nextOperand;
            }
        nextOperand:;
        }
      }
    }
  }
}

// SB119: a package install after USER switched away from root: apt/apk need root (the build
// fails), pip into the system site-packages cannot write there.
bool isRootUser(const std::string& u) {
  std::string name = u.substr(0, u.find(':'));
  return name == "root"sv || name == "0"sv;
}
void checkInstallAfterUser(Ctx& c) {
  std::map<int, std::string> userAtEnd;  // stage -> USER in effect after its last step ("" = root)
  for (int si : c.reachable) {
    const Stage& st = c.m.stages[static_cast<std::size_t>(si)];
    std::string user;  // "" = root (a base image's own USER is not known here: root assumed)
    const Step* userStep = nullptr;
    if (st.baseStage >= 0)
      if (auto it = userAtEnd.find(st.baseStage); it != userAtEnd.end()) user = it->second;
    for (std::size_t pos = 0; pos < st.steps.size(); ++pos) {
      const Step& s = st.steps[pos];
      if (s.kind == Kind::User) {
        std::string u = s.args().empty() ? std::string() : s.args()[0];
        user = isRootUser(u) ? std::string() : u;
        userStep = &s;
        continue;
      }
      if (s.kind != Kind::Run || user.empty() || user.find('$') != std::string::npos) continue;
      const auto& cmds = s.commands();
      for (const auto& op : c.ops(si, pos, s, /*withEnv=*/true)) {
        const bool system = (isApt(op) && op.action != "download"sv) ||
                            (op.tool == "apk"sv && op.action != "info"sv && op.action != "search"sv) ||
                            (op.tool == "pip"sv && op.action == "install"sv && op.scope == "system"sv);
        if (!system || op.conditional) continue;
        // sudo / su / gosu / doas in front: the command runs as root after all.
        if (op.commandIndex >= 0 && static_cast<std::size_t>(op.commandIndex) < cmds.size()) {
          const auto& argv = cmds[static_cast<std::size_t>(op.commandIndex)].argv;
          if (!argv.empty()) {
            const std::string first = baseName(argv[0]);
            if (first == "sudo"sv || first == "su"sv || first == "gosu"sv || first == "doas"sv || first == "su-exec"sv) continue;
          }
        }
        const std::string where = userStep ? "USER " + user + " at " + lineRef(*userStep)
                                           : "USER " + user + " (set in the stage it is built FROM)";
        const bool pip = op.tool == "pip"sv;
        c.emit(s, si, "`" + op.text + "` at " + lineRef(s) + " runs as " + user + " (" + where + "): " +
                          (pip ? "pip cannot write the system site-packages as " + user +
                                     " and installs into ~/.local instead (or fails); install before the USER line, or switch back with USER root"
                               : op.tool + " needs root and fails as " + user + "; install before the USER line, or switch back with USER root around it"));
        break;
      }
    }
    userAtEnd[si] = user;
  }
}

const Check kChecks[] = {
    {"SB101", checkSourceBeforeDeps},  {"SB102", checkPipCache},     {"SB103", checkLateCleanup},
    {"SB104", checkBuildToolsShipped}, {"SB105", checkNoWheel},      {"SB106", checkWheelsTwice},
    {"SB107", checkAptLists},          {"SB108", checkRecommends},   {"SB109", checkApkCache},
    {"SB110", checkUnpinnedBase},      {"SB111", checkRoot},         {"SB112", checkBytecodeContradiction},
    {"SB113", checkAddForCopy},        {"SB114", checkDockerignore}, {"SB115", checkUpgrade},
    {"SB117", checkRecursiveRewrite},  {"SB118", checkHeadersShipped},
    {"SB119", checkInstallAfterUser},
};

// Rule ids named by `# slimbench ignore=SB101,SB105` comments above an instruction.
std::set<std::string> ignoredAt(const InstructionComments& comments, int instruction) {
  std::set<std::string> ids;
  if (instruction < 0 || static_cast<std::size_t>(instruction) >= comments.size()) return ids;
  for (const auto& cm : comments[static_cast<std::size_t>(instruction)]) {
    std::string_view t = cm;
    if (!startsWith(t, "slimbench")) continue;
    auto p = t.find("ignore=");
    if (p == std::string_view::npos) continue;
    // Ids separated by commas and/or spaces; the list ends at the first word that is not an id.
    std::string cur;
    for (char ch : std::string(t.substr(p + 7)) + " ") {
      if (ch == ',' || ch == ' ' || ch == '\t') {
        if (cur.empty()) continue;
        bool isId = cur.size() > 2 && startsWith(cur, "SB") &&
                    std::all_of(cur.begin() + 2, cur.end(), [](char d) { return std::isdigit(static_cast<unsigned char>(d)); });
        if (!isId) break;
        ids.insert(cur);
        cur.clear();
      } else {
        cur += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      }
    }
  }
  return ids;
}

}  // namespace

std::vector<std::string> implementedRules() {
  std::vector<std::string> ids;
  for (const auto& c : kChecks) ids.emplace_back(c.id);
  return ids;
}

InstructionComments commentsOf(const dockerfile::SyntaxTree& tree) {
  InstructionComments c;
  c.reserve(tree.instructions.size());
  for (const auto& in : tree.instructions) c.push_back(in.comments);
  return c;
}

std::vector<Finding> lint(const Model& model, const dockerfile::SyntaxTree& tree, const RuleSet& rules,
                          const LintFacts& facts) {
  return lint(model, commentsOf(tree), rules, facts);
}

std::vector<Finding> lint(const Model& model, const InstructionComments& comments, const RuleSet& rules,
                          const LintFacts& facts) {
  Ctx ctx{model, comments, facts, {}, {}, {}, {}, {}, {}};
  for (int s = model.finalStage; s >= 0; s = model.stages[static_cast<std::size_t>(s)].baseStage)
    ctx.shipped.insert(ctx.shipped.begin(), s);
  for (const auto& st : model.stages)
    if (st.reachable || st.index == model.finalStage) ctx.reachable.push_back(st.index);

  std::vector<Finding> out;
  // Each check's rule (ids are unique in a rule set): looked for from after the previous one found,
  // as the catalogue lists the rules in about the checks' order (rules.find from the start
  // compared most ids with every check, on every lint).
  const auto& all = rules.rules();
  std::size_t cursor = 0;
  auto ruleOf = [&](std::string_view id) -> const Rule* {
    for (std::size_t k = 0; k < all.size(); ++k) {
      const std::size_t at = (cursor + k) % all.size();
      if (all[at].id == id) {
        cursor = at + 1;
        return &all[at];
      }
    }
    return nullptr;
  };
  for (const auto& check : kChecks) {
    const Rule* rule = ruleOf(check.id);
    if (!rule || !rule->enabled) continue;
    ctx.out.clear();
    check.run(ctx);
    if (ctx.out.empty()) continue;
    const SharedText explanation(rule->explanation), fix(rule->fix);  // one copy for all its findings
    for (auto& r : ctx.out) {
      if (ignoredAt(comments, r.instruction).count(rule->id)) continue;
      Finding f;
      f.ruleId = rule->id;
      f.severity = rule->severity;
      f.title = rule->title;
      f.message = std::move(r.message);
      f.explanation = explanation;
      f.fix = fix;
      f.category = rule->category;
      f.where.file = model.file;
      f.where.line = r.line;
      f.where.endLine = r.endLine;
      f.stage = r.stage;
      out.push_back(std::move(f));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return a.where.line != b.where.line ? a.where.line < b.where.line : a.ruleId < b.ruleId;
  });
  return out;
}

std::string Finding::format() const {
  std::string s = where.file.empty() ? std::string("Dockerfile") : where.file;
  if (where.line > 0) s += ":" + std::to_string(where.line);
  s += ": ";
  s += severityName(severity);
  s += " " + ruleId + " " + title + ": " + message;
  return s;
}

nlohmann::ordered_json toJson(const Finding& f) {
  nlohmann::ordered_json j;
  j["rule"] = f.ruleId;
  j["severity"] = severityName(f.severity);
  j["category"] = f.category;
  j["title"] = f.title;
  j["message"] = f.message;
  j["file"] = f.where.file;
  j["line"] = f.where.line;
  j["endLine"] = f.where.endLine > 0 ? f.where.endLine : f.where.line;
  j["stage"] = f.stage;
  j["explanation"] = f.explanation.str();
  j["fix"] = f.fix.str();
  return j;
}

}  // namespace slimbench::lint
