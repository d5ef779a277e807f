// RUN steps as real Dockerfiles write them: build-arg branches evaluated, Python installs in
// every common form, the command classifier, apt Recommends, Ubuntu proxies and distro Python.
#include <QtTest>

#include "catalogue/system_packages.h"
#include "dockerfile/json.h"
#include "dockerfile/model.h"
#include "dockerfile/runops.h"
#include "dockerfile/syntax.h"
#include "embedded_resources.h"
#include "estimate/commands.h"
#include "testutil.h"

using namespace slimbench;
using namespace slimbench::dockerfile;
using estimate::CommandKind;
using testutil::q;

namespace {
Model modelOf(const std::string& text) {
  auto t = parse(text, "Dockerfile");
  if (!t.ok()) qFatal("parse failed: %s", t.error().format().c_str());
  return buildModel(*t, "Dockerfile", {});
}
// The cost of the nth command (from 0) whose text starts with `text`.
const estimate::CommandCost& costOf(const std::vector<estimate::CommandCost>& costs, const std::string& text, int nth = 0) {
  for (const auto& c : costs)
    if (c.text.rfind(text, 0) == 0 && nth-- == 0) return c;
  qFatal("no %s", text.c_str());
}
ShellVars archVars(const std::string& arch, std::map<std::string, std::string> vars = {}) {
  vars.emplace("TARGETARCH", arch);
  return ShellVars{vars, arch};
}
// Package names of the ops of `script` when run with these values.
std::vector<std::string> installed(const std::string& script, const ShellVars& v) {
  std::vector<std::string> out;
  for (const auto& op : recogniseOperations(selectBranches(splitShell(script), v)))
    for (const auto& p : op.packages) out.push_back(p);
  return out;
}
bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }
PackageOp onlyOp(const std::string& script, const std::map<std::string, std::string>& env = {}) {
  auto ops = recogniseOperations(splitShell(script), env);
  if (ops.empty()) qFatal("no operation in: %s", script.c_str());
  return ops.back();
}
const catalogue::DebianCatalogue& debian(const std::string& key) {
  static std::map<std::string, catalogue::DebianCatalogue> cache;
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  auto text = resources::find("catalogue/debian/" + key + ".json");
  auto table = resources::find("catalogue/debian/" + key + ".pkgs.zst");
  auto ex = resources::find("catalogue/debian/dpkg-excludes.json");
  if (!text || !table || !ex) qFatal("catalogue %s not embedded", key.c_str());
  const auto dash = key.find('-');
  auto c = catalogue::DebianCatalogue::fromResources(*text, *table, *ex, key.substr(0, dash), key.substr(dash + 1), key);
  if (!c.loadError().empty()) qFatal("catalogue %s: %s", key.c_str(), c.loadError().c_str());
  return cache.emplace(key, std::move(c)).first->second;
}
}  // namespace

class TestRunCommands : public QObject {
  Q_OBJECT
 private slots:
  void wholeDebianArchive();
  void virtualPackagesViaProvides();
  void debianTableIsLazy();
  void ifElseOnTargetArch();
  void shortCircuitAndCase();
  void sharedSelectionIsTheSame();
  void unameAndDpkgArchitecture();
  void unknownConditionsStayConditional();
  void nestedElifNegationAndFallbacks();
  void stageArgsDecideTheBranch();
  void malformedShellDoesNotCrash();
  void venvAndPipForms();
  void uvPoetryPipenvPdmConda();
  void distroPython();
  void envDecidesTheVenv();
  void jsonKeepsOldFieldsAndAddsNew();
  void classifierCheapAndNoOp();
  void classifierRewritesAndCopies();
  void classifierUnknowns();
  void classifierQueriesWriteNothing();
  void classifierKeysLocalesHolds();
  void getPipBootstrap();
  void shellFunctionCalls();
  void wrappersAndStdinShells();
  void recommendsAddPackages();
  void debianBaseSetsAndPythonVersions();
  void ubuntuProxies();
  void stageScopeMatchesTheWalk();
};

// The catalogue is the whole Packages index of main, not a seed closure: packages no seed reaches
// are there with the index's own figures (Debian bookworm 12.15 / trixie 13.8 Packages.xz, whose
// SHA256 is in about.sha256 of the JSON next to each table).
void TestRunCommands::wholeDebianArchive() {
  // Whole indexes: bookworm amd64 main has 63,436 packages, trixie 68,824, bullseye 58,653.
  const std::map<std::string, std::size_t> atLeast = {{"bookworm-amd64", 63000}, {"bookworm-arm64", 62000},
                                                      {"trixie-amd64", 68000},   {"trixie-arm64", 68000},
                                                      {"bullseye-amd64", 58000}, {"bullseye-arm64", 57000}};
  for (const auto& [key, n] : atLeast) {
    const auto& c = debian(key);
    QVERIFY2(c.packageCount() >= n, qPrintable(q(key + ": " + std::to_string(c.packageCount()))));
    QVERIFY2(c.loadError().empty(), c.loadError().c_str());
    const auto st = c.loadStats();  // the figures of README-debian-catalogue.md
    qInfo("%s: %zu packages, table %zu bytes (raw %zu), load %.1f ms (unzstd %.1f ms), %.1f MB held", key.c_str(),
          c.packageCount(), st.compressedBytes, st.rawBytes, st.tableMs, st.decompressMs, static_cast<double>(st.heapBytes) / 1e6);
  }
  // sqlite3 was outside the seed closure: the bookworm amd64 stanza says Version 3.40.1-2+deb12u2,
  // Installed-Size 533, Depends libc6, libreadline8, libsqlite3-0, zlib1g.
  const auto& b = debian("bookworm-amd64");
  auto sq = b.package("sqlite3");
  QVERIFY(sq);
  QCOMPARE(q(sq->version), QString("3.40.1-2+deb12u2"));
  QCOMPARE(sq->installedKiB, std::uint64_t(533));
  QVERIFY(sq->debBytes > 0 && sq->installedSizeKnown);
  QCOMPARE(sq->depends, (std::vector<std::string>{"libc6", "libreadline8", "libsqlite3-0", "zlib1g"}));
  auto base = b.baseSet("debian:bookworm-slim");
  QVERIFY(!base.count("libsqlite3-0") && !base.count("libreadline8"));
  auto set = base;
  auto cost = b.install({"sqlite3"}, set, false);
  QVERIFY(cost.unknown.empty());
  for (const char* p : {"sqlite3", "libsqlite3-0", "libreadline8", "readline-common"}) QVERIFY2(has(cost.added, p), p);
  QVERIFY(cost.bytesMid >= 533u * 1024u + b.package("libsqlite3-0")->installedKiB * 1024u);
  // nginx (trixie): its Depends closure on the slim base brings nginx-common and iproute2.
  const auto& t = debian("trixie-amd64");
  auto tset = t.baseSet("debian:trixie-slim");
  auto ng = t.install({"nginx"}, tset, false);
  QVERIFY(ng.unknown.empty());
  QVERIFY(has(ng.added, "nginx") && has(ng.added, "nginx-common") && has(ng.added, "iproute2"));
  QCOMPARE(t.package("nginx")->installedKiB, std::uint64_t(1556));  // trixie 13.8: 1.26.3-3+deb13u10
  // Packages that were unknown before the whole archive: every one exists now, in every suite/arch.
  for (const char* key : {"bookworm-amd64", "trixie-amd64", "trixie-arm64", "bullseye-amd64"})
    for (const char* p : {"sqlite3", "sudo", "gettext", "nginx", "libcurl4", "libmagic1", "supervisor", "poppler-utils",
                          "tini", "nodejs", "npm", "postgresql-client"})
      QVERIFY2(debian(key).exists(p), qPrintable(QString("%1 in %2").arg(p, key)));
  QVERIFY(!b.exists("no-such-package-in-debian"));
  QVERIFY(b.exists("sqlite3=3.40.1-2+deb12u2") && b.exists("sqlite3:amd64"));
}

// A virtual name resolves through Provides: trixie's t64 libraries provide their old names.
void TestRunCommands::virtualPackagesViaProvides() {
  const auto& t = debian("trixie-amd64");
  QVERIFY(!t.hasPackage("libmagic1"));  // no package of that name in trixie
  QVERIFY(t.exists("libmagic1"));
  QCOMPARE(q(t.resolve("libmagic1")), QString("libmagic1t64"));
  QCOMPARE(q(t.package("libcurl4")->name), QString("libcurl4t64"));
  auto set = t.baseSet("debian:trixie-slim");
  auto cost = t.install({"libmagic1"}, set, false);
  QVERIFY(cost.unknown.empty());
  QVERIFY(has(cost.added, "libmagic1t64") && !has(cost.added, "libmagic1"));
  // A purely virtual name with many providers (none of them in the seed closure before).
  const auto& b = debian("bookworm-amd64");
  QVERIFY(!b.hasPackage("mail-transport-agent") && b.exists("mail-transport-agent"));
  QVERIFY(has(b.providers("mail-transport-agent"), "exim4-daemon-light"));
  QVERIFY(b.providers("sqlite3").empty());  // a real package nobody else provides
  QCOMPARE(q(b.resolve("awk")), QString("mawk"));  // the provider in the slim base comes first
  QVERIFY(b.resolve("no-such-virtual").empty());
}

// Nothing is parsed until asked: the JSON (bases) and the package table load separately, each once.
void TestRunCommands::debianTableIsLazy() {
  auto json = resources::find("catalogue/debian/bullseye-arm64.json");
  auto table = resources::find("catalogue/debian/bullseye-arm64.pkgs.zst");
  auto ex = resources::find("catalogue/debian/dpkg-excludes.json");
  QVERIFY(json && table && ex);
  auto c = catalogue::DebianCatalogue::fromResources(*json, *table, *ex, "bullseye", "arm64", "bullseye-arm64");
  QVERIFY(!c.tableLoaded());
  QVERIFY(c.hasBase("debian:bullseye-slim"));  // bases come from the JSON alone
  QVERIFY(!c.tableLoaded());
  const auto copy = c;  // copies share the loaded data
  QVERIFY(c.exists("sudo"));
  QVERIFY(c.tableLoaded() && copy.tableLoaded());
  const auto st = c.loadStats();
  QVERIFY(st.tableMs > 0 && st.rawBytes > st.compressedBytes && st.heapBytes > 0);
  QCOMPARE(st.compressedBytes, table->size());
  // A broken table: the catalogue knows nothing (unknown, never zero) and says why.
  const std::string broken = std::string(*table).substr(0, table->size() / 2);
  auto bad = catalogue::DebianCatalogue::fromResources(*json, broken, *ex, "bullseye", "arm64", "broken");
  QVERIFY(!bad.exists("sudo"));
  QVERIFY(!bad.loadError().empty());
  std::set<std::string> none;
  QCOMPARE(bad.install({"sudo"}, none, false).unknown, std::vector<std::string>{"sudo"});
}

void TestRunCommands::ifElseOnTargetArch() {
  const std::string script =
      "set -eux; if [ \"$TARGETARCH\" = \"arm64\" ]; then apt-get install -y libopenblas-dev; "
      "else apt-get install -y intel-mkl; fi; pip install numpy";
  auto amd = installed(script, archVars("amd64"));
  auto arm = installed(script, archVars("arm64"));
  QVERIFY(has(amd, "intel-mkl") && !has(amd, "libopenblas-dev"));
  QVERIFY(has(arm, "libopenblas-dev") && !has(arm, "intel-mkl"));
  QVERIFY(has(amd, "numpy") && has(arm, "numpy"));
  // Evaluated ops are certain: not conditional, and keep their index in the RUN.
  auto ops = recogniseOperations(selectBranches(splitShell(script), archVars("arm64")));
  QCOMPARE(int(ops.size()), 2);
  QVERIFY(!ops[0].conditional && !ops[1].conditional);
  QCOMPARE(ops[0].commandIndex, 2);  // set, [ ], apt-get (then-branch)
  QCOMPARE(ops[1].commandIndex, 4);
  // ${VAR} and [[ == ]] with a glob.
  auto g = installed("if [[ ${TARGETARCH} == arm* ]]; then apk add a; else apk add b; fi", archVars("arm64"));
  QVERIFY(has(g, "a") && !has(g, "b"));
}

// selectBranchesShared gives what selectBranches gives; it hands back the RUN's own list (no copy)
// only when every command surely runs.
void TestRunCommands::sharedSelectionIsTheSame() {
  auto same = [](const std::vector<ShellCommand>& a, const std::vector<ShellCommand>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i].argv != b[i].argv || a[i].index != b[i].index || a[i].conditional != b[i].conditional ||
          a[i].condition != b[i].condition || a[i].op != b[i].op)
        return false;
    return true;
  };
  struct Case {
    std::string script;
    ShellVars vars;
    bool shared;
  };
  const std::vector<Case> cases = {
      {"apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*", archVars("amd64"), true},
      {"cd /app && ls && test -d /app/x || true", archVars("amd64"), false},  // `true` may not run
      {"[ \"$TARGETARCH\" = amd64 ] && pip install a || pip install b", archVars("amd64"), false},  // b skipped
      {"[ \"$X\" = 1 ] && pip install a", archVars("amd64"), false},   // X unknown: conditional
      {"[ \"$X\" = 1 ] && pip install a", archVars("amd64", {{"X", "1"}}), false},  // splitShell marked it conditional
      {"echo one; echo two", archVars("arm64"), true},
  };
  for (const auto& c : cases) {
    const ShellCommands all(splitShell(c.script));
    const ShellCommands picked = selectBranchesShared(all, c.vars);
    QVERIFY2(same(picked.get(), selectBranches(all.get(), c.vars)), c.script.c_str());
    QCOMPARE(&picked.get() == &all.get(), c.shared);
  }
}

void TestRunCommands::shortCircuitAndCase() {
  const std::string sc = "[ \"$TARGETARCH\" = amd64 ] && pip install tensorflow-cpu || pip install tensorflow-aarch64";
  QVERIFY(has(installed(sc, archVars("amd64")), "tensorflow-cpu"));
  QVERIFY(!has(installed(sc, archVars("amd64")), "tensorflow-aarch64"));
  QVERIFY(has(installed(sc, archVars("arm64")), "tensorflow-aarch64"));
  QVERIFY(!has(installed(sc, archVars("arm64")), "tensorflow-cpu"));

  const std::string cs =
      "case \"$TARGETARCH\" in\n"
      "  amd64) ARCH=x86_64; apt-get install -y libx-amd ;;\n"
      "  arm64|aarch64) ARCH=aarch64; apt-get install -y libx-arm ;;\n"
      "  *) echo unsupported; exit 1 ;;\n"
      "esac\n"
      "apt-get install -y common";
  auto amd = installed(cs, archVars("amd64"));
  QVERIFY(has(amd, "libx-amd") && !has(amd, "libx-arm") && has(amd, "common"));
  auto arm = installed(cs, archVars("arm64"));
  QVERIFY(has(arm, "libx-arm") && !has(arm, "libx-amd"));
  // The default arm runs only when no earlier arm matched.
  auto other = selectBranches(splitShell(cs), archVars("riscv64"));
  bool exitSeen = false;
  for (const auto& c : other) exitSeen = exitSeen || (!c.argv.empty() && c.argv[0] == "exit");
  QVERIFY(exitSeen);
  // The common download idiom: the arm picks a name that later commands use.
  const std::string dl =
      "case \"${TARGETARCH}\" in amd64) TOOL_ARCH=\"x86_64\" ;; arm64) TOOL_ARCH=\"aarch64\" ;; "
      "*) echo \"unsupported: ${TARGETARCH}\" && exit 1 ;; esac "
      "&& curl -fsSL -o /usr/local/bin/tool \"https://example.org/tool-${TOOL_ARCH}\" "
      "&& if [ \"$TOOL_ARCH\" = \"aarch64\" ]; then apk add libatomic; fi";
  QVERIFY(has(installed(dl, archVars("arm64")), "libatomic"));
  QVERIFY(!has(installed(dl, archVars("amd64")), "libatomic"));
  auto dlCmds = selectBranches(splitShell(dl), archVars("amd64"));
  QVERIFY(std::any_of(dlCmds.begin(), dlCmds.end(), [](const ShellCommand& c) { return c.argv[0] == "curl" && !c.conditional; }));
  auto amdCmds = selectBranches(splitShell(cs), archVars("amd64"));
  for (const auto& c : amdCmds) QVERIFY(c.argv.empty() || c.argv[0] != "exit");
}

void TestRunCommands::unameAndDpkgArchitecture() {
  const std::string un =
      "if [ \"$(uname -m)\" = \"x86_64\" ]; then pip install a-x86; elif [ `uname -m` = aarch64 ]; then pip install a-arm; fi";
  QVERIFY(has(installed(un, ShellVars{{}, "amd64"}), "a-x86"));
  QVERIFY(!has(installed(un, ShellVars{{}, "amd64"}), "a-arm"));
  QVERIFY(has(installed(un, ShellVars{{}, "arm64"}), "a-arm"));
  const std::string dp =
      "dpkgArch=\"$(dpkg --print-architecture)\"; case \"$(dpkg --print-architecture)\" in amd64) pip install p-amd ;; "
      "arm64) pip install p-arm ;; esac";
  QVERIFY(has(installed(dp, ShellVars{{}, "arm64"}), "p-arm"));
  QVERIFY(!has(installed(dp, ShellVars{{}, "arm64"}), "p-amd"));
  // Variables assigned earlier in the RUN (the docker-library idiom) are followed.
  const std::string lib =
      "dpkgArch=\"$(dpkg --print-architecture)\"; case \"${dpkgArch##*-}\" in amd64) pip install lib-amd ;; "
      "arm64) pip install lib-arm ;; esac; ARCH=$(uname -m) && [ \"$ARCH\" = aarch64 ] && pip install uname-arm";
  auto libArm = installed(lib, ShellVars{{}, "arm64"});
  QVERIFY(has(libArm, "lib-arm") && !has(libArm, "lib-amd") && has(libArm, "uname-arm"));
  auto libAmd = installed(lib, ShellVars{{}, "amd64"});
  QVERIFY(has(libAmd, "lib-amd") && !has(libAmd, "uname-arm"));
  // A case inside $( ) does not end the substitution at its first `pattern)`.
  auto sub = splitShell("ARCH=$(case ${TARGETARCH} in amd64) echo x86_64;; arm64) echo \")\";; esac) && pip install z");
  QCOMPARE(int(sub.size()), 2);
  QCOMPARE(q(sub[1].argv.at(0)), QString("pip"));
  // An assignment inside an unevaluated branch makes the variable unknown afterwards.
  auto maybe = recogniseOperations(selectBranches(
      splitShell("if [ -f x ]; then V=a; fi; [ \"$V\" = a ] && pip install v"), ShellVars{{{"V", "b"}}, "amd64"}));
  QCOMPARE(int(maybe.size()), 1);
  QVERIFY(maybe[0].conditional);
  QCOMPARE(q(unameMachine("arm64")), QString("aarch64"));
  QCOMPARE(q(*evaluateWord("${TARGETARCH:-x}-$(uname -m)", archVars("amd64"))), QString("amd64-x86_64"));
  QVERIFY(!evaluateWord("$(cat /etc/os-release)", archVars("amd64")));
}

void TestRunCommands::unknownConditionsStayConditional() {
  // A file test and an unknown build arg cannot be evaluated: both branches kept, flagged.
  const std::string ft = "if [ -f requirements.txt ]; then pip install -r requirements.txt; else pip install .; fi";
  auto ops = recogniseOperations(selectBranches(splitShell(ft), archVars("amd64")));
  QCOMPARE(int(ops.size()), 2);
  QVERIFY(ops[0].conditional && ops[1].conditional);
  auto dev = recogniseOperations(selectBranches(
      splitShell("if [ \"$INSTALL_DEV\" = \"true\" ]; then poetry install; else poetry install --only main; fi"),
      archVars("amd64")));
  QCOMPARE(int(dev.size()), 2);
  QVERIFY(dev[0].conditional && dev[1].conditional);
  QVERIFY(q(dev[0].condition).contains("$INSTALL_DEV"));   // says what decides
  QVERIFY(q(dev[1].condition).startsWith("not ("));
  QVERIFY(q(ops[0].condition).contains("-f requirements.txt"));
  // With the build arg known, one branch.
  auto known = recogniseOperations(selectBranches(
      splitShell("if [ \"$INSTALL_DEV\" = \"true\" ]; then poetry install; else poetry install --only main; fi"),
      archVars("amd64", {{"INSTALL_DEV", "false"}})));
  QCOMPARE(int(known.size()), 1);
  QCOMPARE(q(known[0].value("only")), QString("main"));
  QVERIFY(!known[0].conditional);
  // Without evaluation (splitShell alone, as `parse` does), a branch op is conditional, a plain one is not.
  auto plain = recogniseOperations(splitShell("apt-get update && [ \"$TARGETARCH\" = arm64 ] && apt-get install -y x"));
  QCOMPARE(int(plain.size()), 2);
  QVERIFY(!plain[0].conditional);
  QVERIFY(plain[1].conditional);
  // Probes (command -v) are unknown too.
  auto probe = recogniseOperations(selectBranches(
      splitShell("if command -v apt-get; then apt-get install -y gcc; else apk add gcc; fi"), archVars("amd64")));
  QCOMPARE(int(probe.size()), 2);
  QVERIFY(probe[0].conditional && probe[1].conditional);
}

void TestRunCommands::nestedElifNegationAndFallbacks() {
  const std::string s =
      "if [ \"$A\" = 1 ]; then if [ \"$TARGETARCH\" != amd64 ]; then pip install inner-arm; fi; "
      "elif ! [ \"$B\" = x ]; then pip install b-not-x; else pip install fallback; fi";
  auto v1 = installed(s, archVars("arm64", {{"A", "1"}, {"B", "x"}}));
  QVERIFY(has(v1, "inner-arm") && !has(v1, "b-not-x") && !has(v1, "fallback"));
  auto v2 = installed(s, archVars("amd64", {{"A", "1"}, {"B", "x"}}));
  QVERIFY(v2.empty());
  auto v3 = installed(s, archVars("amd64", {{"A", "0"}, {"B", "y"}}));
  QVERIFY(has(v3, "b-not-x") && !has(v3, "fallback"));
  auto v4 = installed(s, archVars("amd64", {{"A", "0"}, {"B", "x"}}));
  QVERIFY(has(v4, "fallback") && !has(v4, "b-not-x"));
  // `a || b`: the fallback does not run when a succeeds (ordinary commands are assumed to).
  auto fb = installed("pip install -r requirements.txt || pip install flask", archVars("amd64"));
  QVERIFY(!has(fb, "flask"));
  // -z / -n and -o.
  auto zn = installed("[ -z \"$EXTRA\" ] || pip install $EXTRA-pkg; [ -n \"$X\" -o \"$TARGETARCH\" = arm64 ] && pip install y",
                      archVars("arm64", {{"EXTRA", ""}, {"X", ""}}));
  QVERIFY(has(zn, "y"));
  QVERIFY(!has(zn, "-pkg"));
}

void TestRunCommands::stageArgsDecideTheBranch() {
  // TARGETARCH is a global automatic ARG: without `ARG TARGETARCH` in the stage it is empty in RUN.
  const std::string body =
      "RUN if [ \"$TARGETARCH\" = \"arm64\" ]; then pip install arm-only; else pip install other; fi\n";
  auto declared = modelOf("FROM python:3.12-slim\nARG TARGETARCH\n" + body);
  auto r = estimate::analyseRun(declared, 0, 2, "arm64");
  QCOMPARE(int(r.operations.size()), 1);
  QCOMPARE(q(r.operations[0].packages.at(0)), QString("arm-only"));
  auto amd = estimate::analyseRun(declared, 0, 2, "amd64");
  QCOMPARE(q(amd.operations.at(0).packages.at(0)), QString("other"));
  auto undeclared = modelOf("FROM python:3.12-slim\n" + body);
  auto u = estimate::analyseRun(undeclared, 0, 1, "arm64");
  QCOMPARE(int(u.operations.size()), 1);
  QCOMPARE(q(u.operations[0].packages.at(0)), QString("other"));
  // ARG defaults, ENV values and build args.
  auto m = modelOf("FROM python:3.12-slim\nARG FLAVOR=cpu\nENV MODE=prod\n"
                   "RUN [ \"$FLAVOR\" = gpu ] && pip install torch-gpu || pip install torch-cpu; "
                   "[ \"$MODE\" = prod ] || pip install debugpy\n");
  auto d = estimate::analyseRun(m, 0, 3, "amd64");
  QCOMPARE(int(d.operations.size()), 1);
  QCOMPARE(q(d.operations[0].packages.at(0)), QString("torch-cpu"));
  auto gpu = estimate::analyseRun(m, 0, 3, "amd64", {{"FLAVOR", "gpu"}});
  QCOMPARE(q(gpu.operations.at(0).packages.at(0)), QString("torch-gpu"));
  auto vars = estimate::shellVarsAt(m, 0, 3, "arm64");
  QCOMPARE(q(vars.vars.at("TARGETARCH")), QString(""));  // not declared in the stage
  QCOMPARE(q(vars.vars.at("MODE")), QString("prod"));
}

void TestRunCommands::malformedShellDoesNotCrash() {
  for (const char* s : {"if; then", "fi fi done esac }", "case", "case x in", "case x in a) b", "( ( (", ") ) }",
                        "if [ a ]; then", "while", "for x in", "a && && b || | c", "! ! !", "{ a; ", "esac )"}) {
    auto cmds = splitShell(s);
    auto sel = selectBranches(cmds, archVars("amd64"));
    QVERIFY(sel.size() <= cmds.size());
  }
  std::string deep;
  for (int i = 0; i < 3000; ++i) deep += "if [ \"$TARGETARCH\" = amd64 ]; then ";
  deep += "pip install x";
  for (int i = 0; i < 3000; ++i) deep += "; fi";
  auto cmds = splitShell(deep);
  QVERIFY(!cmds.empty());
  auto ops = recogniseOperations(selectBranches(cmds, archVars("amd64")));
  QCOMPARE(int(ops.size()), 1);
  std::string chain = "true";
  for (int i = 0; i < 5000; ++i) chain += " && [ \"$TARGETARCH\" = amd64 ]";
  chain += " && pip install y";
  QCOMPARE(int(recogniseOperations(selectBranches(splitShell(chain), archVars("amd64"))).size()), 1);
}

void TestRunCommands::venvAndPipForms() {
  auto ops = recogniseOperations(splitShell(
      "python3 -m venv /venv && /venv/bin/pip install --no-cache-dir -r requirements.txt"));
  QCOMPARE(int(ops.size()), 2);
  QCOMPARE(q(ops[0].tool), QString("venv"));
  QCOMPARE(q(ops[0].action), QString("create"));
  QCOMPARE(q(ops[0].venv), QString("/venv"));
  QCOMPARE(q(ops[1].tool), QString("pip"));
  QCOMPARE(q(ops[1].scope), QString("venv"));
  QCOMPARE(q(ops[1].venv), QString("/venv"));
  auto py = onlyOp("/opt/venv/bin/python -m pip install flask");
  QCOMPARE(q(py.scope), QString("venv"));
  QCOMPARE(q(py.venv), QString("/opt/venv"));
  QCOMPARE(q(py.interpreter), QString("/opt/venv/bin/python"));
  auto bsp = onlyOp("pip install --break-system-packages flask");
  QCOMPARE(q(bsp.scope), QString("system"));
  QVERIFY(bsp.has("break-system-packages"));
  QCOMPARE(q(onlyOp("pip install --user flask").scope), QString("user"));
  auto pre = onlyOp("pip install --prefix=/install -r requirements.txt");
  QCOMPARE(q(pre.scope), QString("prefix"));
  QCOMPARE(q(pre.venv), QString("/install"));
  QCOMPARE(q(onlyOp("pip install --target /deps x").venv), QString("/deps"));
  QCOMPARE(q(onlyOp("/usr/local/bin/pip install x").scope), QString("system"));
  auto act = onlyOp(". /opt/venv/bin/activate && pip install -r requirements.txt");
  QCOMPARE(q(act.venv), QString("/opt/venv"));
  auto ve = onlyOp("virtualenv --python=python3.11 /env");
  QCOMPARE(q(ve.tool), QString("venv"));
  QCOMPARE(q(ve.venv), QString("/env"));
}

void TestRunCommands::uvPoetryPipenvPdmConda() {
  auto sys = onlyOp("uv pip install --system --no-cache -r requirements.txt");
  QCOMPARE(q(sys.tool), QString("uv"));
  QCOMPARE(q(sys.scope), QString("system"));
  QCOMPARE(q(sys.requirementFiles.at(0)), QString("requirements.txt"));
  // Wrappers with options of their own run the rest: sudo -u USER -E, env -u VAR, nice -n N.
  for (const char* wrapped : {"sudo -u app -E pip install flask", "env -u DJANGO_SETTINGS_MODULE pip install flask",
                              "nice -n 10 pip install flask", "env - PATH=/usr/bin pip install flask", "time -p pip install flask"}) {
    auto w = onlyOp(wrapped);
    QCOMPARE(q(w.tool), QString("pip"));
    QCOMPARE(w.packages, (std::vector<std::string>{"flask"}));
  }
  // uv's plural spellings, and uv's options that take a value (not packages).
  auto plural = onlyOp("uv pip install --system --index https://pypi.org/simple --index-strategy unsafe-best-match "
                       "--requirements requirements.txt --constraints c.txt --overrides o.txt");
  QCOMPARE(plural.requirementFiles, (std::vector<std::string>{"requirements.txt"}));
  QCOMPARE(plural.constraintFiles, (std::vector<std::string>{"c.txt"}));
  QVERIFY(plural.packages.empty());
  auto upy = onlyOp("uv pip install --python /app/.venv/bin/python -r requirements.txt");
  QCOMPARE(q(upy.scope), QString("venv"));
  QCOMPARE(q(upy.venv), QString("/app/.venv"));
  auto sync = onlyOp("uv sync --frozen --no-dev --no-install-project");
  QCOMPARE(q(sync.action), QString("sync"));
  QCOMPARE(q(sync.scope), QString("project"));
  QCOMPARE(q(sync.venv), QString(".venv"));
  QVERIFY(sync.has("frozen") && sync.has("no-dev") && sync.has("no-install-project"));
  auto sysSync = onlyOp("UV_PROJECT_ENVIRONMENT=/usr/local uv sync --locked");
  QCOMPARE(q(sysSync.scope), QString("system"));
  auto uvv = recogniseOperations(splitShell("uv venv /opt/venv && uv pip install flask"));
  QCOMPARE(int(uvv.size()), 2);
  QCOMPARE(q(uvv[0].action), QString("venv"));
  QCOMPARE(q(uvv[0].venv), QString("/opt/venv"));
  QCOMPARE(q(uvv[1].venv), QString("/opt/venv"));  // uv installs into the venv it just made

  auto po = onlyOp("poetry install --no-root --only main --without dev --no-interaction");
  QCOMPARE(q(po.scope), QString("project"));
  QVERIFY(po.has("no-root"));
  QCOMPARE(q(po.value("only")), QString("main"));
  QCOMPARE(q(po.value("without")), QString("dev"));
  auto pcfg = recogniseOperations(splitShell("poetry config virtualenvs.create false && poetry install --no-root"));
  QCOMPARE(int(pcfg.size()), 2);
  QCOMPARE(q(pcfg[0].action), QString("config"));
  QCOMPARE(q(pcfg[1].scope), QString("system"));
  auto penv = onlyOp("poetry install", {{"POETRY_VIRTUALENVS_CREATE", "false"}});
  QCOMPARE(q(penv.scope), QString("system"));
  auto inproj = onlyOp("poetry install", {{"POETRY_VIRTUALENVS_IN_PROJECT", "true"}});
  QCOMPARE(q(inproj.venv), QString(".venv"));

  auto pe = onlyOp("pipenv install --system --deploy");
  QCOMPARE(q(pe.tool), QString("pipenv"));
  QCOMPARE(q(pe.scope), QString("system"));
  QVERIFY(pe.has("deploy"));
  QCOMPARE(q(onlyOp("pipenv install").scope), QString("project"));
  auto pdm = onlyOp("pdm install --prod --no-editable");
  QCOMPARE(q(pdm.tool), QString("pdm"));
  QCOMPARE(q(pdm.scope), QString("project"));

  for (const char* exe : {"conda", "mamba", "micromamba"}) {
    auto c = onlyOp(std::string(exe) + " install -y -n base -c conda-forge numpy=1.26 gdal");
    QCOMPARE(q(c.tool), QString(exe));
    QCOMPARE(q(c.action), QString("install"));
    QCOMPARE(q(c.scope), QString("conda"));
    QCOMPARE(int(c.packages.size()), 2);
    QCOMPARE(q(c.value("channel")), QString("conda-forge"));
  }
  auto env = onlyOp("conda env create -f environment.yml");
  QCOMPARE(q(env.action), QString("env-create"));
  QCOMPARE(q(env.requirementFiles.at(0)), QString("environment.yml"));
}

void TestRunCommands::distroPython() {
  auto apt = onlyOp("apt-get install -y --no-install-recommends python3 python3-pip python3-venv");
  QVERIFY(apt.distroPython);
  QVERIFY(!onlyOp("apt-get install -y libpq5 curl").distroPython);
  QVERIFY(onlyOp("apk add --no-cache python3 py3-pip").distroPython);
}

void TestRunCommands::envDecidesTheVenv() {
  auto viaPath = onlyOp("pip install -r requirements.txt", {{"PATH", "/opt/venv/bin:$PATH"}});
  QCOMPARE(q(viaPath.scope), QString("venv"));
  QCOMPARE(q(viaPath.venv), QString("/opt/venv"));
  auto viaVe = onlyOp("pip install x", {{"VIRTUAL_ENV", "/venv"}});
  QCOMPARE(q(viaVe.venv), QString("/venv"));
  QCOMPARE(q(onlyOp("pip install x", {{"PATH", "/usr/local/bin:$PATH"}}).scope), QString("system"));
  QCOMPARE(q(onlyOp("uv pip install x", {{"UV_SYSTEM_PYTHON", "1"}}).scope), QString("system"));
  auto exported = onlyOp("export PATH=/w/bin:$PATH && pip install x");
  QCOMPARE(q(exported.venv), QString("/w"));
  // Through the model: ENV PATH set before the RUN.
  auto m = modelOf("FROM python:3.12-slim\nRUN python -m venv /opt/venv\nENV PATH=\"/opt/venv/bin:$PATH\"\n"
                   "RUN pip install flask\n");
  auto r = estimate::analyseRun(m, 0, 3, "amd64");
  QCOMPARE(q(r.operations.at(0).venv), QString("/opt/venv"));
}

void TestRunCommands::jsonKeepsOldFieldsAndAddsNew() {
  auto t = parse("FROM python:3.12\nRUN [ \"$TARGETARCH\" = arm64 ] && /venv/bin/pip install x && echo hi > /etc/x\n",
                 "Dockerfile");
  QVERIFY(t.ok());
  auto m = buildModel(*t, "Dockerfile", {});
  auto j = toJson(*t, m);
  const auto& ins = j["stages"][0]["instructions"][1];  // [0] is the FROM
  QVERIFY(ins.contains("commands") && ins.contains("operations"));
  const auto& op = ins["operations"][0];
  for (const char* k : {"tool", "action", "packages", "command", "commandIndex", "options"}) QVERIFY2(op.contains(k), k);
  QCOMPARE(op["conditional"].get<bool>(), true);
  QVERIFY(q(op["condition"].get<std::string>()).contains("$TARGETARCH"));
  QCOMPARE(q(op["scope"].get<std::string>()), QString("venv"));
  QCOMPARE(q(op["venv"].get<std::string>()), QString("/venv"));
  const auto& echo = ins["commands"][2];
  QCOMPARE(q(echo["redirects"][0].get<std::string>()), QString("/etc/x"));
  QVERIFY(!ins["commands"][0].contains("conditional"));  // the test itself always runs
}

void TestRunCommands::classifierCheapAndNoOp() {
  auto cmds = splitShell(
      "set -eux; groupadd -r app && useradd --no-log-init -r -g app app && mkdir -p /app/data /app/logs "
      "&& ln -s /usr/bin/python3 /usr/local/bin/python && echo 'export A=1' > /etc/profile.d/a.sh "
      "&& chmod +x /entrypoint.sh && sed -i 's/a/b/' /etc/nginx.conf && cd /app && touch /app/.ready "
      "&& useradd -m -u 1000 dev && adduser --disabled-password --gecos '' web && echo done");
  auto costs = estimate::classifyCommands(cmds, recogniseOperations(cmds));
  QCOMPARE(costs.size(), cmds.size());
  auto kindOf = [&](const std::string& exe, int nth = 0) -> const estimate::CommandCost& {
    for (const auto& c : costs)
      if (cmds[static_cast<std::size_t>(c.commandIndex)].argv[0] == exe && nth-- == 0) return c;
    qFatal("no %s", exe.c_str());
  };
  QCOMPARE(kindOf("set").kind, CommandKind::NoOp);
  QCOMPARE(kindOf("cd").kind, CommandKind::NoOp);
  QCOMPARE(kindOf("echo", 1).kind, CommandKind::NoOp);  // echo without a redirection
  const auto& grp = kindOf("groupadd");
  QCOMPARE(grp.kind, CommandKind::Cheap);
  QVERIFY(grp.low > 0 && grp.high >= grp.mid && grp.mid >= grp.low && grp.high < 64 * 1024);
  const auto& sysUser = kindOf("useradd");
  const auto& homeUser = kindOf("useradd", 1);
  QCOMPARE(homeUser.kind, CommandKind::Cheap);
  QVERIFY(homeUser.mid > sysUser.mid);  // the /etc/skel copy
  QVERIFY(has(homeUser.paths, "/home"));
  QVERIFY(!has(sysUser.paths, "/home"));
  QVERIFY(kindOf("adduser").mid >= homeUser.low);
  const auto& mk = kindOf("mkdir");
  QCOMPARE(mk.kind, CommandKind::Cheap);
  QCOMPARE(int(mk.paths.size()), 2);
  QCOMPARE(mk.mid, std::uint64_t(0));
  QVERIFY(mk.high > 0);
  QCOMPARE(kindOf("ln").kind, CommandKind::Cheap);
  const auto& echoFile = kindOf("echo");
  QCOMPARE(echoFile.kind, CommandKind::Cheap);
  QCOMPARE(q(echoFile.paths.at(0)), QString("/etc/profile.d/a.sh"));
  QCOMPARE(echoFile.mid, std::uint64_t(std::string("export A=1\n").size()));
  const auto& chm = kindOf("chmod");
  QCOMPARE(chm.kind, CommandKind::Cheap);
  QVERIFY(chm.addPathSizes);
  QCOMPARE(q(chm.paths.at(0)), QString("/entrypoint.sh"));
  const auto& sed = kindOf("sed");
  QCOMPARE(sed.kind, CommandKind::Cheap);
  QCOMPARE(int(sed.paths.size()), 1);
  QCOMPARE(q(sed.paths.at(0)), QString("/etc/nginx.conf"));
  QVERIFY(!kindOf("touch").paths.empty());
  for (const auto& c : costs)
    if (c.kind == CommandKind::Cheap) QVERIFY2(!c.source.empty(), c.text.c_str());
}

void TestRunCommands::classifierRewritesAndCopies() {
  auto cmds = splitShell(
      "chown -R app:app /app /home/app && chmod -R g+w /opt/venv && chgrp --recursive 0 /srv && "
      "find /app -type d -exec chmod 755 {} + && cp -r /build/dist /usr/share/nginx/html && mv /tmp/x.whl /wheels/ "
      "&& python -m compileall -q /app && pip install -r requirements.txt && rm -rf /var/lib/apt/lists/*");
  auto ops = recogniseOperations(cmds);
  auto costs = estimate::classifyCommands(cmds, ops);
  QCOMPARE(costs[0].kind, CommandKind::RecursiveRewrite);
  QCOMPARE(int(costs[0].paths.size()), 2);
  QCOMPARE(q(costs[0].paths[0]), QString("/app"));
  QVERIFY(q(costs[0].reason).contains("COPY --chown"));
  QCOMPARE(costs[1].kind, CommandKind::RecursiveRewrite);
  QCOMPARE(q(costs[1].paths.at(0)), QString("/opt/venv"));
  QCOMPARE(costs[2].kind, CommandKind::RecursiveRewrite);
  QCOMPARE(q(costs[2].paths.at(0)), QString("/srv"));
  QCOMPARE(costs[3].kind, CommandKind::RecursiveRewrite);
  QCOMPARE(q(costs[3].paths.at(0)), QString("/app"));
  QCOMPARE(costs[4].kind, CommandKind::Copy);
  QCOMPARE(q(costs[4].paths.at(0)), QString("/build/dist"));
  QCOMPARE(q(costs[4].destination), QString("/usr/share/nginx/html"));
  QCOMPARE(costs[5].kind, CommandKind::Copy);
  QCOMPARE(costs[6].kind, CommandKind::PythonCompile);
  QCOMPARE(q(costs[6].paths.at(0)), QString("/app"));
  QCOMPARE(costs[7].kind, CommandKind::Package);
  QCOMPARE(costs[8].kind, CommandKind::Package);  // rm is a package op (cache removal)
  for (int i : {0, 1, 2, 3, 4, 5}) QVERIFY(costs[static_cast<std::size_t>(i)].addPathSizes);
  // A chmod without -R is not a tree rewrite.
  auto one = estimate::classifyCommands(splitShell("chmod 755 /usr/local/bin/entrypoint"), {});
  QCOMPARE(one[0].kind, CommandKind::Cheap);
  // find … | xargs chown
  auto xc = splitShell("find /app -type f | xargs chown app");
  auto xk = estimate::classifyCommands(xc, {});
  QCOMPARE(xk[1].kind, CommandKind::RecursiveRewrite);
  QCOMPARE(q(xk[1].paths.at(0)), QString("/app"));
}

void TestRunCommands::classifierUnknowns() {
  auto cmds = splitShell(
      "curl -fsSL https://deb.nodesource.com/setup_20.x | bash - && "
      "wget -O /tmp/tool.tgz https://example.org/tool.tgz && tar -xzf /tmp/tool.tgz -C /opt && "
      "npm ci && npm run build && yarn install --frozen-lockfile && pnpm install && "
      "git clone --depth 1 https://github.com/org/repo.git /src && make -j4 && ./scripts/setup.sh && "
      "python manage.py collectstatic --noinput && sh install.sh && conda install -y numpy && python --version");
  auto ops = recogniseOperations(cmds);
  auto costs = estimate::classifyCommands(cmds, ops);
  auto find = [&](const std::string& exe, const std::string& arg1 = {}) -> const estimate::CommandCost& {
    for (const auto& c : costs) {
      const auto& a = cmds[static_cast<std::size_t>(c.commandIndex)].argv;
      if (a[0] == exe && (arg1.empty() || (a.size() > 1 && a[1] == arg1))) return c;
    }
    qFatal("no %s", exe.c_str());
  };
  const auto& curl = find("curl");
  QCOMPARE(curl.kind, CommandKind::Unknown);
  QCOMPARE(q(curl.urls.at(0)), QString("https://deb.nodesource.com/setup_20.x"));
  QVERIFY(q(curl.reason).contains("pipes"));
  QCOMPARE(find("bash").kind, CommandKind::Unknown);
  const auto& wget = find("wget");
  QCOMPARE(q(wget.paths.at(0)), QString("/tmp/tool.tgz"));
  QCOMPARE(q(wget.urls.at(0)), QString("https://example.org/tool.tgz"));
  QCOMPARE(q(find("tar").paths.at(0)), QString("/opt"));
  for (const char* n : {"npm", "yarn", "pnpm"}) {
    QCOMPARE(find(n).kind, CommandKind::Unknown);
    QVERIFY(q(find(n).reason).contains("node"));
  }
  const auto& git = find("git");
  QCOMPARE(q(git.urls.at(0)), QString("https://github.com/org/repo.git"));
  QVERIFY(q(git.reason).contains("clone"));
  QCOMPARE(find("make").kind, CommandKind::Unknown);
  QVERIFY(q(find("./scripts/setup.sh").reason).contains("script"));
  QVERIFY(q(find("python", "manage.py").reason).contains("collectstatic"));
  QCOMPARE(find("sh").kind, CommandKind::Unknown);
  QCOMPARE(find("conda").kind, CommandKind::Package);  // recognised op; not catalogued (the estimator marks it unknown)
  QCOMPARE(find("python", "--version").kind, CommandKind::NoOp);
  for (const auto& c : costs)
    if (c.kind == CommandKind::Unknown) {
      QVERIFY2(!c.reason.empty(), c.text.c_str());
      QCOMPARE(c.high, std::uint64_t(0));  // unknown carries no figures, never a silent 0-0 "cheap"
    }
}

// Commands that only find, list or answer by their exit status write nothing; one whose output is
// redirected to a file writes that file; uv's commands that change the image stay unknown.
void TestRunCommands::classifierQueriesWriteNothing() {
  auto cmds = splitShell(
      "uv python find --system && uv pip freeze && uv tree && uv python list && "
      "dpkg --compare-versions \"$(dpkg-query -W -f='${Version}' libc6)\" ge 2.36 && dpkg -S /bin/ls && "
      "dpkg-query -W -f='${Package}\\n' > /pkgs.txt && userdel -r ubuntu && groupdel staff && "
      "uv python install 3.12 && uv tool install ruff");
  auto costs = estimate::classifyCommands(cmds, recogniseOperations(cmds));
  QCOMPARE(costs.size(), cmds.size());
  auto find = [&](const std::string& text) -> const estimate::CommandCost& { return costOf(costs, text); };
  for (const char* t : {"uv python find", "uv pip freeze", "uv tree", "uv python list", "dpkg --compare-versions", "dpkg -S"}) {
    QVERIFY2(find(t).kind == CommandKind::NoOp, t);
    QVERIFY2(!find(t).reason.empty(), t);
  }
  const auto& listed = find("dpkg-query");
  QCOMPARE(listed.kind, CommandKind::Cheap);
  QCOMPARE(q(listed.paths.at(0)), QString("/pkgs.txt"));
  QVERIFY(listed.high > 0);
  for (const char* t : {"userdel", "groupdel"}) {
    QVERIFY2(find(t).kind == CommandKind::Cheap, t);
    QVERIFY2(find(t).high > 0 && find(t).high < 64 * 1024 && !find(t).source.empty(), t);
  }
  for (const char* t : {"uv python install", "uv tool install"}) QVERIFY2(find(t).kind != CommandKind::NoOp, t);
}

// Commands seen unmodelled in public Dockerfiles (tubesync, localstack, ArchiveBox, Kiwi, bookwyrm,
// MobSF): sized from measurements, or known to write nothing.
void TestRunCommands::classifierKeysLocalesHolds() {
  auto cmds = splitShell(
      "apt-mark hold libc6 && apt-mark showmanual | xargs -r -t apt-mark unhold && apt-get -y autopurge && "
      "pushd /src && popd && curl -fsSL https://example.com/k.asc | gpg --dearmor -o /usr/share/keyrings/k.gpg && "
      "curl -fsSL https://example.com/k.asc | gpg --dearmor | tee /etc/apt/keyrings/k.gpg && "
      "gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys ABCDEF && gpg --batch --verify SUMS.asc SUMS && "
      "gpg --batch --decrypt --output SUMS.txt SUMS.asc && locale-gen en_US.UTF-8 de_DE.UTF-8 && "
      "update-locale LANG=en_US.UTF-8 && openssl rand -hex 16 && python -mvenv /venv && python3 -Bm compileall /app && "
      "gpgconf --kill all && deluser ubuntu && localedef -i en_US -c -f UTF-8 -A /usr/share/locale/locale.alias en_US.UTF-8 && "
      "wget -qO- https://example.com/pg.asc | apt-key add - && curl -fsSL https://example.com/install.sh | sh && "
      "wget -q https://example.com/k2.asc | gpg --import && curl -fsSL https://example.com/tool | tee /usr/local/bin/tool && "
      "update-alternatives --install /usr/bin/python python /usr/bin/python3 1 && update-alternatives --quiet --set editor /usr/bin/vim.tiny && "
      "update-alternatives --display editor && npm version && npm ls --depth=0 && npm version patch");
  auto ops = recogniseOperations(cmds);
  auto costs = estimate::classifyCommands(cmds, ops);
  QCOMPARE(costs.size(), cmds.size());
  auto find = [&](const std::string& text, int nth = 0) -> const estimate::CommandCost& { return costOf(costs, text, nth); };
  const auto& hold = find("apt-mark hold");
  QCOMPARE(hold.kind, CommandKind::Cheap);
  QCOMPARE(hold.mid, std::uint64_t(181035));  // dpkg's status and status-old of a 96-package root
  QVERIFY(hold.high > 1'000'000 && !hold.source.empty());
  const auto& xargsHold = find("xargs");
  QCOMPARE(xargsHold.kind, CommandKind::Cheap);
  QVERIFY(q(xargsHold.reason).contains("status"));
  bool autopurge = false;
  for (const auto& o : ops) autopurge |= o.tool == "apt-get" && o.action == "autoremove" && o.has("purge");
  QVERIFY(autopurge);
  QCOMPARE(find("apt-get").kind, CommandKind::Package);
  QCOMPARE(find("pushd").kind, CommandKind::NoOp);
  QCOMPARE(find("popd").kind, CommandKind::NoOp);
  const auto& dearmor = find("gpg --dearmor");
  QCOMPARE(dearmor.kind, CommandKind::Cheap);
  QCOMPARE(q(dearmor.paths.at(0)), QString("/usr/share/keyrings/k.gpg"));
  QVERIFY(dearmor.low > 0 && dearmor.low <= dearmor.mid && dearmor.mid <= dearmor.high && dearmor.high < 100'000);
  QCOMPARE(find("gpg --dearmor", 1).kind, CommandKind::NoOp);  // to the pipe: tee writes it
  // A download streamed into gpg / apt-key is not kept; into a shell or tee (a file of its size) it is unknown.
  QCOMPARE(find("curl -fsSL https://example.com/k.asc").kind, CommandKind::NoOp);
  QCOMPARE(find("curl -fsSL https://example.com/k.asc", 1).kind, CommandKind::NoOp);  // into gpg, then tee
  QCOMPARE(find("curl -fsSL https://example.com/tool").kind, CommandKind::Unknown);   // tee keeps the download
  QCOMPARE(find("wget -qO-").kind, CommandKind::NoOp);
  QCOMPARE(find("apt-key add").kind, CommandKind::Cheap);
  QCOMPARE(find("curl -fsSL https://example.com/install.sh").kind, CommandKind::Unknown);
  QCOMPARE(find("wget -q https").kind, CommandKind::Unknown);  // wget writes a file unless -O -
  QCOMPARE(find("tee").kind, CommandKind::Cheap);
  const auto& recv = find("gpg --batch --keyserver");
  QCOMPARE(recv.kind, CommandKind::Cheap);
  QCOMPARE(q(recv.paths.at(0)), QString("~/.gnupg"));
  QCOMPARE(find("gpg --batch --verify").kind, CommandKind::Cheap);
  QVERIFY(find("gpg --batch --verify").high <= 5120);
  const auto& decrypt = find("gpg --batch --decrypt");  // its output is the size of what was downloaded
  QCOMPARE(decrypt.kind, CommandKind::Unknown);
  const auto& locales = find("locale-gen");
  QCOMPARE(locales.kind, CommandKind::Cheap);
  QCOMPARE(locales.mid, std::uint64_t(3058357 + (3421025 - 3058357) / 2));  // two locales named
  QCOMPARE(locales.low, std::uint64_t(0));                                  // Debian's ignores its arguments
  QCOMPARE(find("update-locale").kind, CommandKind::Cheap);
  QCOMPARE(find("openssl rand").kind, CommandKind::NoOp);
  {  // written to a file: the output format's bytes (checked against `openssl rand … | wc -c`)
    auto w = splitShell("openssl rand -hex 16 > /etc/machine-id && openssl rand -base64 100 -out /s && openssl rand 32 > /k");
    auto wc = estimate::classifyCommands(w, recogniseOperations(w));
    const auto& hex = costOf(wc, "openssl rand -hex");
    QCOMPARE(hex.kind, CommandKind::Cheap);
    QCOMPARE(hex.mid, std::uint64_t(33));
    QVERIFY(hex.writesPaths && hex.paths == std::vector<std::string>{"/etc/machine-id"});
    QCOMPARE(costOf(wc, "openssl rand -base64").mid, std::uint64_t(139));
    QCOMPARE(costOf(wc, "openssl rand 32").mid, std::uint64_t(32));
  }
  QCOMPARE(find("gpgconf --kill").kind, CommandKind::NoOp);
  QCOMPARE(find("deluser").kind, CommandKind::Cheap);  // Debian's userdel
  QCOMPARE(find("localedef").kind, CommandKind::Cheap);
  QCOMPARE(find("localedef").mid, std::uint64_t(3058357));
  QCOMPARE(find("update-alternatives --install").kind, CommandKind::Cheap);
  QCOMPARE(find("update-alternatives --install").high, std::uint64_t(6144));
  QCOMPARE(find("update-alternatives --quiet --set").kind, CommandKind::Cheap);
  QCOMPARE(find("update-alternatives --display").kind, CommandKind::NoOp);
  QCOMPARE(find("npm version").kind, CommandKind::NoOp);
  QCOMPARE(find("npm ls").kind, CommandKind::NoOp);
  QCOMPARE(find("npm version patch").kind, CommandKind::Unknown);  // rewrites package.json
  // python -mvenv / -Bm compileall read as -m venv / -m compileall.
  bool venv = false;
  for (const auto& o : ops) venv |= o.tool == "venv" && o.action == "create" && o.venv == "/venv";
  QVERIFY(venv);
  const auto& compile = find("python3 -B -m compileall");
  QCOMPARE(compile.kind, CommandKind::PythonCompile);
}

// A shell function the RUN defines (tubesync's decide_arch) runs commands estimated where it is
// defined: its calls are not "not modelled". A command of the same name without a definition is.
// s6-setuidgid USER CMD runs CMD (paperless-ngx's collectstatic); `sh -s -- ARGS` reads its script
// from the pipe, its operands are the script's arguments (rustup's installer), not a project script.
void TestRunCommands::wrappersAndStdinShells() {
  auto cmds = splitShell("s6-setuidgid paperless python3 manage.py collectstatic --no-input && "
                         "curl https://sh.rustup.rs -sSf | sh -s -- -y --default-toolchain stable && sh ./install.sh -y");
  auto costs = estimate::classifyCommands(cmds, recogniseOperations(cmds));
  QCOMPARE(costOf(costs, "s6-setuidgid").kind, CommandKind::Collectstatic);
  const auto& piped = costOf(costs, "sh -s");
  QCOMPARE(piped.kind, CommandKind::Unknown);
  QVERIFY2(piped.reason.find("reads a script from its input") != std::string::npos, piped.reason.c_str());
  const auto& script = costOf(costs, "sh ./install.sh");
  QVERIFY2(script.reason.find("runs the project script ./install.sh") != std::string::npos, script.reason.c_str());
}

// get-pip.py: the download is a published file of known size (saved: a file of it; piped into
// python: not kept), and running it is a pip install of pip (with the arguments it is given).
void TestRunCommands::getPipBootstrap() {
  auto cmds = splitShell("wget https://bootstrap.pypa.io/get-pip.py && python3 get-pip.py --no-warn-script-location --no-setuptools && "
                         "curl -sS https://bootstrap.pypa.io/pip/3.8/get-pip.py | python3 - pip==23.0 && "
                         "curl -o /tmp/gp.py bootstrap.pypa.io/get-pip.py && curl -fsSL https://example.com/get-pip.py -o x.py && "
                         "python3 other.py");
  const auto ops = recogniseOperations(cmds);
  const auto costs = estimate::classifyCommands(cmds, ops);
  const auto& saved = costOf(costs, "wget https://bootstrap.pypa.io/get-pip.py");
  QCOMPARE(saved.kind, CommandKind::Cheap);
  QCOMPARE(saved.paths, std::vector<std::string>{"get-pip.py"});
  QCOMPARE(saved.mid, std::uint64_t(2226394));
  QVERIFY(saved.writesPaths && std::string(saved.source).find("pypa/get-pip") != std::string::npos);
  const auto& named = costOf(costs, "curl -o /tmp/gp.py");
  QCOMPARE(named.kind, CommandKind::Cheap);
  QCOMPARE(named.paths, std::vector<std::string>{"/tmp/gp.py"});
  const auto& piped = costOf(costs, "curl -sS https://bootstrap.pypa.io/pip/3.8/get-pip.py");
  QCOMPARE(piped.kind, CommandKind::NoOp);
  QVERIFY2(piped.reason.find("2300180 bytes") != std::string::npos, piped.reason.c_str());
  QCOMPARE(costOf(costs, "curl -fsSL https://example.com").kind, CommandKind::Unknown);  // another host: not known
  std::vector<const PackageOp*> pips;
  for (const auto& o : ops)
    if (o.tool == "pip") pips.push_back(&o);
  QCOMPARE(pips.size(), std::size_t(2));
  QCOMPARE(pips[0]->action, std::string("install"));
  QCOMPARE(pips[0]->packages, std::vector<std::string>{"pip"});
  QVERIFY(pips[0]->has("get-pip") && pips[0]->has("no-setuptools") && pips[0]->has("no-warn-script-location"));
  QCOMPARE(pips[1]->packages, std::vector<std::string>{"pip==23.0"});  // the version asked for, not pip again
  QVERIFY(pips[1]->has("get-pip"));
  QVERIFY2(pips[1]->text.rfind("get-pip.py | python3", 0) == 0, pips[1]->text.c_str());  // what a finding quotes
  QCOMPARE(costOf(costs, "python3 get-pip.py").kind, CommandKind::Package);
  QCOMPARE(costOf(costs, "python3 other.py").kind, CommandKind::Unknown);
}

void TestRunCommands::shellFunctionCalls() {
  const std::string script =
      "decide_arch() { case \"$(uname -m)\" in x86_64) echo amd64 ;; *) echo arm64 ;; esac ; } && "
      "fetch_tool () { mkdir -p /opt/tool; } && ARCH=\"$(decide_arch)\" && decide_arch && fetch_tool && other_tool";
  const auto names = estimate::shellFunctions(script);
  QCOMPARE(names, (std::set<std::string>{"decide_arch", "fetch_tool"}));
  QVERIFY(estimate::shellFunctions("echo $(date) && (cd /x && make)").empty());
  QCOMPARE(estimate::shellFunctions("function setup { true; }; setup"), (std::set<std::string>{"setup"}));  // bash's form
  auto cmds = splitShell(script);
  auto costs = estimate::classifyCommands(cmds, recogniseOperations(cmds), names);
  for (const auto& c : costs)
    if (c.text == "decide_arch" || c.text == "fetch_tool") QVERIFY2(c.kind == CommandKind::NoOp, c.text.c_str());
  QCOMPARE(costOf(costs, "other_tool").kind, CommandKind::Unknown);
  QCOMPARE(costOf(costs, "mkdir").kind, CommandKind::Cheap);  // the body, where it is defined
}

void TestRunCommands::recommendsAddPackages() {
  const auto& c = debian("bookworm-amd64");
  auto base = c.baseSet("debian:bookworm-slim");
  QVERIFY(!base.empty());
  QVERIFY(!base.count("ca-certificates"));
  auto plainSet = base, recSet = base;
  auto plain = c.install({"curl"}, plainSet, true);
  auto rec = c.install({"curl"}, recSet, true, true);
  QVERIFY(rec.bytesMid > plain.bytesMid);
  QVERIFY(rec.added.size() > plain.added.size());
  QVERIFY(!has(plain.added, "ca-certificates"));
  QVERIFY(has(rec.added, "ca-certificates"));  // libcurl4 Recommends ca-certificates
  QVERIFY(has(c.recommends("libcurl4"), "ca-certificates"));
  QVERIFY(q(rec.model).contains("Recommends"));
  // Which apt installs pull them in.
  QVERIFY(installsRecommends(onlyOp("apt-get install -y curl")));
  QVERIFY(!installsRecommends(onlyOp("apt-get install -y --no-install-recommends curl")));
  QVERIFY(!installsRecommends(onlyOp("apt-get -o APT::Install-Recommends=false install -y curl")));
  QVERIFY(!installsRecommends(onlyOp("apt-get install -y -o APT::Install-Recommends=0 curl")));
  QVERIFY(installsRecommends(onlyOp("apt install --install-recommends -y curl")));
  QVERIFY(!installsRecommends(onlyOp("apk add curl")));
  // Recommends already installed are not counted again: on python:3.x-slim (ca-certificates in the base).
  auto slimPy = c.baseSet("python:3.x-slim-bookworm");
  QVERIFY(slimPy.count("ca-certificates"));
  auto s1 = slimPy;
  auto onPy = c.install({"curl"}, s1, true, true);
  QVERIFY(!has(onPy.added, "ca-certificates"));
  // Recommends are followed through the walk: python3-pip recommends build-essential (via its own Recommends).
  auto p1 = base, p2 = base;
  auto pipPlain = c.install({"python3-pip"}, p1, false);
  auto pipRec = c.install({"python3-pip"}, p2, false, true);
  QVERIFY(pipRec.bytesMid > 3 * pipPlain.bytesMid);
  QVERIFY(has(pipRec.added, "gcc-12") || has(pipRec.added, "gcc"));
  QVERIFY(!has(pipPlain.added, "gcc"));
}

void TestRunCommands::debianBaseSetsAndPythonVersions() {
  for (const char* key : {"bookworm-amd64", "bookworm-arm64", "trixie-amd64", "trixie-arm64", "bullseye-amd64", "bullseye-arm64"}) {
    const auto& c = debian(key);
    const std::string suite = c.suite;
    QVERIFY2(c.hasBase("debian:" + suite), key);
    QVERIFY2(c.hasBase("debian:" + suite + "-slim"), key);
    QCOMPARE(c.baseSet("debian:" + suite), c.baseSet("debian:" + suite + "-slim"));
    QVERIFY(c.hasPackage("python3") && c.hasPackage("python3-venv") && c.hasPackage("python3-pip"));
  }
  std::string full;
  QCOMPARE(q(debian("bookworm-amd64").distroPythonVersion(&full)), QString("3.11"));
  QVERIFY(q(full).startsWith("3.11."));
  QCOMPARE(q(debian("trixie-arm64").distroPythonVersion()), QString("3.13"));
  QCOMPARE(q(debian("bullseye-amd64").distroPythonVersion()), QString("3.9"));
}

void TestRunCommands::ubuntuProxies() {
  std::string why;
  QCOMPARE(q(catalogue::debianSuiteForUbuntu("jammy", why)), QString("bookworm"));
  QVERIFY(q(why).contains("22.04") && q(why).contains("proxy"));
  QCOMPARE(q(catalogue::debianSuiteForUbuntu("ubuntu:24.04", why)), QString("trixie"));
  QVERIFY(q(why).contains("noble"));
  QCOMPARE(q(catalogue::debianSuiteForUbuntu("noble-20240801", why)), QString("trixie"));
  QCOMPARE(q(catalogue::debianSuiteForUbuntu("docker.io/library/ubuntu:22.04.5", why)), QString("bookworm"));
  QCOMPARE(q(catalogue::debianSuiteForUbuntu("focal", why)), QString("bookworm"));
  QVERIFY(q(why).contains("older"));
  QCOMPARE(q(catalogue::debianSuiteForUbuntu("ubuntu:latest", why)), QString("trixie"));
  // 26.04 (resolute) is known by version and by codename, not the bookworm fallback of an unknown release.
  QCOMPARE(q(catalogue::debianSuiteForUbuntu("26.04", why)), QString("trixie"));
  QVERIFY(q(why).contains("resolute") && !q(why).contains("not a release"));
  QCOMPARE(q(catalogue::debianSuiteForUbuntu("resolute-20260501", why)), QString("trixie"));
  QCOMPARE(q(catalogue::debianSuiteForUbuntu("nonsense", why)), QString("bookworm"));
  QVERIFY(q(why).contains("coarse"));
}

// The estimator advances one StageScope per stage instead of walking the stage for every RUN
// (issue 12: quadratic). Every name shellVarsAt / environmentAt give must be what the scope gives,
// moving forward and going back, with ENV that refers to $VAR, ARG overridden by ENV and back.
void TestRunCommands::stageScopeMatchesTheWalk() {
  auto m = modelOf("ARG G=glob\nFROM python:3.12-slim AS base\nENV A=1 P=/x:$PATH\nARG G\nARG TARGETARCH\n"
                   "RUN true\nFROM base\nARG BUILDARCH\nENV A=2\nARG A=argA\nARG M=m1\nENV P=/fixed M=$A\n"
                   "RUN true\nARG M=m2\nENV B=b\nRUN true\n");
  QCOMPARE(int(m.stages.size()), 2);
  for (int si = 0; si < 2; ++si) {
    const std::size_t n = m.stages[std::size_t(si)].steps.size();
    estimate::StageScope scope(m, si, "arm64", {{"M", "fromBuildArg"}});
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i <= n; ++i) order.push_back(i);
    for (std::size_t i = n + 1; i-- > 0;) order.push_back(i);  // then backwards: the scope starts again
    for (std::size_t step : order) {
      scope.advanceTo(step);
      auto want = estimate::shellVarsAt(m, si, step, "arm64", {{"M", "fromBuildArg"}});
      auto env = estimate::environmentAt(m, si, step);
      QVERIFY(env == scope.env());
      std::set<std::string> names;
      for (const auto& [k, _] : want.vars) names.insert(k);
      for (const auto& [k, _] : env) names.insert(k);
      for (const char* k : {"G", "TARGETARCH", "BUILDARCH", "A", "M", "P", "B", "NOPE"}) names.insert(k);
      for (const auto& k : names) {
        auto it = want.vars.find(k);
        const std::string* got = scope.vars().find(k);
        QVERIFY2((it == want.vars.end()) == (got == nullptr), (k + " at step " + std::to_string(step)).c_str());
        if (got) QCOMPARE(q(*got), q(it->second));
      }
    }
  }
}

QTEST_APPLESS_MAIN(TestRunCommands)
#include "test_run_commands.moc"
