#pragma once
// Understanding RUN: the shell text split into simple commands, and the package
// operations recognised in them (pip/uv/poetry, apt-get/apt, apk, rm of caches).
#include <map>
#include <memory>
#include <set>
#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

namespace slimbench::dockerfile {

// A condition under which a command runs. Either the exit status of an and-or chain of
// earlier commands (if/elif/while conditions, `[ "$X" = y ] && cmd`, `a || b`), or a case arm.
struct ShellGuard {
  // Status guard: the commands (indices into splitShell's output) whose exit statuses decide,
  // folded left to right with `joins` ("&&"/"||", one fewer than `chain`) as the shell does.
  std::vector<int> chain;
  std::vector<std::string> joins;
  bool wantSuccess = true;  // then-branch / after && (true); else-branch / after || (false)
  // Case guard: `case WORD in PATTERN|PATTERN) ...`: runs when caseWord matches one of
  // `patterns` and none of `excluded` (the patterns of the earlier arms).
  bool isCase = false;
  std::string caseWord;
  std::vector<std::string> patterns, excluded;
};

struct ShellCommand {
  std::vector<std::string> argv;  // words with quotes removed, redirections dropped
  std::string op;                 // the operator that follows: "&&", "||", ";", "|", "&" or ""
  int depth = 0;                  // nesting in ( ) or { } groups
  // Added for branch evaluation (all optional for older callers):
  std::vector<ShellGuard> guards;      // all must hold for the command to run
  bool negated = false;                // `! cmd`: the pipeline's status is inverted
  int index = -1;                      // position in splitShell's output (kept by selectBranches)
  bool conditional = false;            // may or may not run: a guard could not be evaluated
  std::string condition;               // when conditional: the condition that decides, as written
  std::vector<std::string> redirects;  // targets of output redirections (> FILE, >> FILE), in order
};

// A read-only list shared by the models of every variant made from the same Dockerfile: each
// RUN text's commands and package operations are made once (ModelCache) and pointed at, not split
// and copied again. Reads like a const std::vector<T>.
template <class T>
class SharedList {
 public:
  using List = std::vector<T>;
  SharedList() = default;
  SharedList(List list) : list_(std::make_shared<const List>(std::move(list))) {}  // NOLINT: implicit, as a vector
  explicit SharedList(std::shared_ptr<const List> list) : list_(std::move(list)) {}
  const List& get() const { return list_ ? *list_ : none(); }
  operator const List&() const { return get(); }  // NOLINT: reads as the vector it holds
  typename List::const_iterator begin() const { return get().begin(); }
  typename List::const_iterator end() const { return get().end(); }
  std::size_t size() const { return get().size(); }
  bool empty() const { return get().empty(); }
  const T& operator[](std::size_t i) const { return get()[i]; }
  const T& front() const { return get().front(); }
  const T& back() const { return get().back(); }
  void reset() { list_.reset(); }  // releases this model's hold on the list

 private:
  static const List& none() {
    static const List nothing;
    return nothing;
  }
  std::shared_ptr<const List> list_;
};

using ShellCommands = SharedList<ShellCommand>;

struct PackageOp {
  std::string tool;    // pip, uv, poetry, apt-get, apt, apk, rm
  std::string action;  // install, wheel, download, uninstall, sync, export, compile, update, upgrade,
                       // purge, remove, autoremove, clean, add, del, cache-purge, cache-clear (poetry), rm
  std::vector<std::string> packages;          // names/specs/paths given on the command line
  std::vector<std::string> requirementFiles;  // -r FILE
  std::vector<std::string> constraintFiles;   // -c FILE
  std::vector<std::string> editables;         // -e PATH
  std::vector<std::pair<std::string, std::string>> options;  // long option name (no dashes) -> value ("" for switches)
  std::vector<std::string> dynamic;  // words computed at build time ($VAR, $(...)): not resolvable here
  std::string virtualName;  // apk --virtual / -t
  int commandIndex = 0;     // index into the RUN's commands
  std::string text;         // the command as words joined by spaces
  // Branches: true when the command sits in a branch (if/case/&&/||) whose condition was not
  // evaluated or could not be (an unknown build arg, a file test): it may not run.
  bool conditional = false;
  std::string condition;  // the undecided condition, e.g. `[ -f requirements.txt ]`, `case $FLAVOR in gpu`
  // Python installs (pip, uv, poetry, pipenv, pdm, conda): where the packages go.
  //   scope: "system" (the interpreter's site-packages: pip's default, uv --system, poetry with
  //   virtualenvs.create false, pipenv --system), "venv" (a virtual environment: `venv` holds its
  //   prefix), "user" (--user: ~/.local), "target" / "prefix" (--target / --prefix DIR: `venv`
  //   holds DIR), "project" (uv sync, poetry install, pdm, pipenv: the project's own environment),
  //   "conda". Empty for non-Python tools.
  std::string scope;
  std::string venv;         // the venv / --prefix / --target directory when known ("/venv", "/opt/venv", ".venv")
  std::string interpreter;  // the python executable named (python3.11, /venv/bin/python, uv --python VALUE)
  // apt-get/apt install of the distro's Python (python3, python3-pip, python3-venv, python3.X, ...).
  bool distroPython = false;

  bool has(std::string_view option) const;
  std::string value(std::string_view option) const;
};
using PackageOps = SharedList<PackageOp>;  // a RUN's operations, shared like its commands

struct Mount {
  std::string type = "bind";  // bind, cache, tmpfs, secret, ssh
  std::map<std::string, std::string> fields;  // target, source, from, id, sharing, mode, uid, gid, required, rw, ...
  std::string target() const;
};

// Splits shell text into simple commands (&&, ||, ;, |, &, newlines, ( ), { }),
// with `set -eux` and the like kept as commands of their own. Words are
// unquoted; redirections (> file, 2>&1, <file) are dropped; comments dropped.
std::vector<ShellCommand> splitShell(std::string_view script);

// Recognises package operations in the commands of one RUN. Ops of commands that sit in a
// branch whose outcome is not certain get `conditional`. Tools and actions:
//   pip: install wheel download uninstall cache-purge (also /venv/bin/pip, python -m pip)
//   uv: install sync compile (uv pip ...), sync, export, venv
//   poetry: install sync export config cache-clear (cache clear --all)      pipenv: install sync      pdm: install sync
//   venv: create (python -m venv DIR, virtualenv DIR)
//   conda / mamba / micromamba: install create env-create env-update remove clean (not catalogued)
//   apt-get / apt, apk, rm: as before
std::vector<PackageOp> recogniseOperations(const std::vector<ShellCommand>& commands);
// The same, knowing the ENV in effect for the RUN (the stage's ENV up to it): VIRTUAL_ENV, a PATH
// that starts with a venv's bin, PIP_USER, UV_SYSTEM_PYTHON, UV_PROJECT_ENVIRONMENT,
// POETRY_VIRTUALENVS_CREATE / _IN_PROJECT and PIPENV_VENV_IN_PROJECT decide `scope` and `venv`.
// `export`, `. VENV/bin/activate`, `poetry config virtualenvs.create false` and inline
// VAR=value assignments in the RUN itself are followed in either form.
std::vector<PackageOp> recogniseOperations(const std::vector<ShellCommand>& commands,
                                           const std::map<std::string, std::string>& env);

// Whether an `apt-get install` / `apt install` installs Recommends: apt's default (the debian and
// ubuntu images do not turn it off) unless --no-install-recommends or -o APT::Install-Recommends=false
// (0/no/off) is given; --install-recommends forces it on. False for every other operation.
bool installsRecommends(const PackageOp& op);

// Build-arg conditionals. Variables are build args / ENV values known for this RUN (e.g.
// {"TARGETARCH","arm64"}); `arch` ("amd64"/"arm64", may be empty) answers `$(uname -m)`,
// `$(dpkg --print-architecture)` and `$(arch)`. A variable absent from the map is unknown.
struct ShellVars {
  ShellVars() = default;
  ShellVars(std::map<std::string, std::string> v, std::string a) : vars(std::move(v)), arch(std::move(a)) {}
  std::map<std::string, std::string> vars;
  std::string arch;
  // Layering without copying: names not in `vars` and not in `unset` are looked up in `parent`.
  const ShellVars* parent = nullptr;
  std::set<std::string> unset;
  const std::string* find(const std::string& name) const {
    if (auto it = vars.find(name); it != vars.end()) return &it->second;
    if (!parent || unset.count(name)) return nullptr;
    return parent->find(name);
  }
};
enum class Reach { Runs, Skipped, Maybe };
// Per command of `commands` (splitShell's output): whether it runs with these values.
// Ordinary commands are assumed to succeed (so `a || b` skips b); `[ ]`, `test`, `[[ ]]`,
// `true`/`false` are evaluated; probes such as `command -v`, `grep -q`, `getent` are unknown.
std::vector<Reach> evaluateBranches(const std::vector<ShellCommand>& commands, const ShellVars& known);
// The commands that run or may run, in order, each keeping its `index`; those that may run
// have `conditional` set. recogniseOperations on the result drops the ops of untaken branches.
std::vector<ShellCommand> selectBranches(const std::vector<ShellCommand>& commands, const ShellVars& known);
// The same for a RUN's shared list: the list itself, not a copy, when every command surely runs and
// splitShell had marked none conditional (what selectBranches would return equals it).
ShellCommands selectBranchesShared(const ShellCommands& commands, const ShellVars& known);
// Expands $VAR, ${VAR}, ${VAR:-x}, $(uname -m), $(dpkg --print-architecture), `uname -m`, $(arch)
// in a word; nullopt when something in it is unknown.
std::optional<std::string> evaluateWord(const std::string& word, const ShellVars& known);
// `uname -m` for a Docker architecture: amd64 -> x86_64, arm64 -> aarch64 (others as given).
std::string unameMachine(const std::string& dockerArch);

// After a command wrapper at a[i] (sudo, env, nice, time: run the rest as another user, with another
// environment, priority or timing), the index of the first word past the wrapper's own options
// (`env -u VAR cmd`, `sudo -u app -E cmd`, `nice -n 10 cmd`); i + 1 for any other word.
std::size_t pastWrapperOptions(const std::vector<std::string>& a, std::size_t i);

// A word with the quote characters left in it removed: a pip requirement as the tools read it
// ('.[dev,test]' and "./pkg[x]" are .[dev,test] and ./pkg[x]).
std::string unquoted(std::string_view word);

// Parses the value of --mount= (CSV of key=value; type defaults to bind).
Mount parseMount(std::string_view value);

}  // namespace slimbench::dockerfile
