// The Dockerfile model: stages, ARG/ENV expansion, layers, RUN understanding.
#include <QtTest>

#include "dockerfile/model.h"
#include "dockerfile/shell.h"
#include "dockerfile/syntax.h"
#include "testutil.h"

using namespace slimbench::dockerfile;
using testutil::q;

namespace {
Model modelOf(const std::string& text, std::map<std::string, std::string> buildArgs = {}) {
  auto t = parse(text, "Dockerfile");
  if (!t.ok()) qFatal("parse failed: %s", t.error().format().c_str());
  return buildModel(*t, "Dockerfile", buildArgs);
}
const Step& stepAt(const Model& m, int line) {
  for (const auto& st : m.stages)
    for (const auto& s : st.steps)
      if (s.startLine == line) return s;
  qFatal("no step at line %d", line);
}
}  // namespace

class TestDockerfileModel : public QObject {
  Q_OBJECT
 private slots:
  void expansion_data();
  void expansion();
  void stagesAndGlobalArgs();
  void argScoping();
  void envScopingAndInheritance();
  void copyFromResolution();
  void layersAndFinalStage();
  void runSplitting();
  void modelCacheShares();
  void modelCacheKeepsPlace();
  void parseModelIsBuildModel();
  void keywordsAnyCase();
  void pipOperations();
  void aptAndApk();
  void uvAndPoetry();
  void mounts();
  void heredocRunScript();
  void execFormRun();
  void diagnostics();
  void compoundCommands();
  void baseImageEnvKept();
  void clusteredAndDynamicArgs();
  void finalImageChain();
  void stageNamesAndSelfCopy();
  void repeatedFlagsAndDeepNesting();
  void buildkitRejections_data();
  void buildkitRejections();
  void buildkitAccepts();
};

void TestDockerfileModel::expansion_data() {
  QTest::addColumn<QString>("in");
  QTest::addColumn<QString>("out");
  QTest::newRow("plain") << "$A/x" << "a/x";
  QTest::newRow("braces") << "${A}b" << "ab";
  QTest::newRow("unset empty") << "[$NOPE]" << "[]";
  QTest::newRow(":- unset") << "${NOPE:-def}" << "def";
  QTest::newRow(":- empty") << "${EMPTY:-def}" << "def";
  QTest::newRow("- empty") << "${EMPTY-def}" << "";
  QTest::newRow("- unset") << "${NOPE-def}" << "def";
  QTest::newRow(":+ set") << "${A:+alt}" << "alt";
  QTest::newRow(":+ empty") << "${EMPTY:+alt}" << "";
  QTest::newRow("+ empty") << "${EMPTY+alt}" << "alt";
  QTest::newRow("nested default") << "${NOPE:-${A}z}" << "az";
  QTest::newRow("escaped dollar") << "\\$A" << "$A";
  QTest::newRow("single quotes") << "'$A'" << "$A";
  QTest::newRow("double quotes") << "\"$A b\"" << "a b";
  QTest::newRow("escaped quote in dq") << "\"x\\\"y\"" << "x\"y";
  QTest::newRow("lone dollar") << "cost$" << "cost$";
}

void TestDockerfileModel::expansion() {
  QFETCH(QString, in);
  QFETCH(QString, out);
  Lookup lk = [](const std::string& n) -> std::optional<std::string> {
    if (n == "A") return std::string("a");
    if (n == "EMPTY") return std::string();
    return std::nullopt;
  };
  auto r = expand(in.toStdString(), lk);
  QVERIFY2(r.error.empty(), r.error.c_str());
  QCOMPARE(q(r.word), out);
}

void TestDockerfileModel::stagesAndGlobalArgs() {
  auto m = modelOf(
      "ARG PY=3.11\n"
      "ARG VARIANT=slim\n"
      "FROM --platform=$BUILDPLATFORM python:${PY}-${VARIANT} AS Builder\n"
      "RUN pip wheel -w /wheels flask\n"
      "FROM python:${PY}-slim\n"
      "COPY --from=builder /wheels /wheels\n");
  QCOMPARE(int(m.stages.size()), 2);
  QCOMPARE(q(m.stages[0].baseImage), QString("python:3.11-slim"));
  QCOMPARE(q(m.stages[0].name), QString("builder"));
  QCOMPARE(q(m.stages[0].platform), QString("linux/amd64"));
  QCOMPARE(m.finalStage, 1);
  QCOMPARE(int(m.globalArgs.size()), 2);
  auto over = modelOf("ARG PY=3.11\nFROM python:${PY}\n", {{"PY", "3.13"}});
  QCOMPARE(q(over.stages[0].baseImage), QString("python:3.13"));
}

void TestDockerfileModel::argScoping() {
  // A global ARG is only visible in a stage after being declared there.
  auto m = modelOf(
      "ARG V=1\n"
      "FROM a\n"
      "WORKDIR /x$V\n"
      "ARG V\n"
      "WORKDIR /y$V\n"
      "ARG W=2\n"
      "WORKDIR /z$W\n"
      "FROM b\n"
      "WORKDIR /w$W\n");
  QCOMPARE(q(stepAt(m, 3).args().at(0)), QString("/x"));
  QCOMPARE(q(stepAt(m, 5).args().at(0)), QString("/y1"));
  QCOMPARE(q(stepAt(m, 7).args().at(0)), QString("/z2"));
  QCOMPARE(q(stepAt(m, 9).args().at(0)), QString("/w"));
}

void TestDockerfileModel::envScopingAndInheritance() {
  auto m = modelOf(
      "FROM a AS base\n"
      "ENV APP=/srv PATH=/venv/bin:$PATH\n"
      "ENV OLD legacy value\n"
      "FROM base\n"
      "WORKDIR $APP/code\n"
      "ENV APP=/other\n"
      "COPY x ${APP}/\n");
  QCOMPARE(q(m.stages[0].env.at("PATH")), QString("/venv/bin:$PATH"));  // PATH comes from the base image config
  QCOMPARE(q(m.stages[0].env.at("OLD")), QString("legacy value"));
  QCOMPARE(m.stages[1].baseStage, 0);
  QCOMPARE(q(stepAt(m, 5).args().at(0)), QString("/srv/code"));
  QCOMPARE(q(stepAt(m, 7).destination()), QString("/other/"));
  // Every word of an ENV is expanded with the ENV before it (Docker's documented example: def
  // gets the earlier abc, ghi the new one).
  auto d = modelOf("FROM a\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n");
  QCOMPARE(q(d.stages[0].env.at("def")), QString("hello"));
  QCOMPARE(q(d.stages[0].env.at("ghi")), QString("bye"));
  QCOMPARE(q(d.stages[0].env.at("abc")), QString("bye"));
}

void TestDockerfileModel::copyFromResolution() {
  auto m = modelOf(
      "FROM a AS one\n"
      "FROM b\n"
      "COPY --from=0 /x /x\n"
      "COPY --from=ONE /y /y\n"
      "COPY --from=nginx:latest /etc/nginx /etc/nginx\n");
  QCOMPARE(stepAt(m, 3).copyFromStage, 0);
  QCOMPARE(stepAt(m, 4).copyFromStage, 0);
  QCOMPARE(stepAt(m, 5).copyFromStage, -1);
  QCOMPARE(q(stepAt(m, 5).copyFrom()), QString("nginx:latest"));
  QCOMPARE(m.stages[1].dependsOn, std::vector<int>{0});
}

void TestDockerfileModel::layersAndFinalStage() {
  auto m = modelOf(
      "FROM a AS unused\nRUN x\n"
      "FROM b AS build\nRUN y\n"
      "FROM c\nENV A=1\nCOPY --from=build / /\nRUN z\nCMD [\"z\"]\n");
  QCOMPARE(m.finalStage, 2);
  QVERIFY(!m.stages[0].reachable);
  QVERIFY(m.stages[1].reachable);
  int layers = 0;
  for (const auto& s : m.stages[2].steps) layers += s.createsLayer;
  QCOMPARE(layers, 2);
  QVERIFY(!stepAt(m, 6).createsLayer);
}

void TestDockerfileModel::runSplitting() {
  auto cmds = splitShell("set -eux; apt-get update && (cd /x || exit 1) | tee log 2>&1 >/dev/null; echo 'a && b' # c");
  QCOMPARE(int(cmds.size()), 6);
  QCOMPARE(q(cmds[0].argv.at(0)), QString("set"));
  QCOMPARE(q(cmds[1].op), QString("&&"));
  QCOMPARE(q(cmds[2].argv.at(0)), QString("cd"));
  QCOMPARE(cmds[2].depth, 1);
  QCOMPARE(q(cmds[4].argv.back()), QString("log"));
  QCOMPARE(q(cmds[5].argv.at(1)), QString("a && b"));
  QCOMPARE(int(cmds[5].argv.size()), 2);
}

void TestDockerfileModel::pipOperations() {
  auto ops = recogniseOperations(splitShell(
      "pip install --no-cache-dir -r requirements.txt -c constraints.txt 'flask>=3' -e ./lib -U && "
      "python3 -m pip wheel --wheel-dir=/wheels -rreq2.txt && "
      "/venv/bin/pip3 install --user --prefix /p --target=/t --no-index --find-links /wheels --no-deps "
      "--require-hashes --only-binary :all: --no-binary lxml /wheels/*.whl && "
      "pip uninstall -y setuptools && pip cache purge"));
  QCOMPARE(int(ops.size()), 5);
  QCOMPARE(q(ops[0].action), QString("install"));
  QVERIFY(ops[0].has("no-cache-dir"));
  QVERIFY(ops[0].has("upgrade"));
  QCOMPARE(q(ops[0].requirementFiles.at(0)), QString("requirements.txt"));
  QCOMPARE(q(ops[0].constraintFiles.at(0)), QString("constraints.txt"));
  QCOMPARE(q(ops[0].editables.at(0)), QString("./lib"));
  QCOMPARE(q(ops[0].packages.at(0)), QString("flask>=3"));
  QCOMPARE(q(ops[1].action), QString("wheel"));
  QCOMPARE(q(ops[1].value("wheel-dir")), QString("/wheels"));
  QCOMPARE(q(ops[1].requirementFiles.at(0)), QString("req2.txt"));
  QCOMPARE(q(ops[2].value("prefix")), QString("/p"));
  QCOMPARE(q(ops[2].value("target")), QString("/t"));
  QCOMPARE(q(ops[2].value("find-links")), QString("/wheels"));
  QCOMPARE(q(ops[2].value("only-binary")), QString(":all:"));
  QCOMPARE(q(ops[2].value("no-binary")), QString("lxml"));
  QVERIFY(ops[2].has("no-deps") && ops[2].has("require-hashes") && ops[2].has("user") && ops[2].has("no-index"));
  QCOMPARE(q(ops[2].packages.at(0)), QString("/wheels/*.whl"));
  QCOMPARE(q(ops[3].action), QString("uninstall"));
  QCOMPARE(q(ops[4].action), QString("cache-purge"));
}

void TestDockerfileModel::aptAndApk() {
  auto ops = recogniseOperations(splitShell(
      "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends gcc libpq-dev "
      "&& apt-get purge -y --auto-remove gcc && apt-get clean && rm -rf /var/lib/apt/lists/* /root/.cache"));
  QCOMPARE(int(ops.size()), 5);
  QCOMPARE(q(ops[1].action), QString("install"));
  QVERIFY(ops[1].has("no-install-recommends"));
  QCOMPARE(int(ops[1].packages.size()), 2);
  QCOMPARE(q(ops[2].action), QString("purge"));
  QCOMPARE(q(ops[4].tool), QString("rm"));
  QCOMPARE(q(ops[4].packages.at(0)), QString("/var/lib/apt/lists/*"));
  auto apk = recogniseOperations(splitShell(
      "apk add --no-cache --virtual .build-deps gcc musl-dev && pip install x && apk del .build-deps"));
  QCOMPARE(int(apk.size()), 3);
  QCOMPARE(q(apk[0].virtualName), QString(".build-deps"));
  QVERIFY(apk[0].has("no-cache"));
  QCOMPARE(int(apk[0].packages.size()), 2);
  QCOMPARE(q(apk[2].action), QString("del"));
  QCOMPARE(q(apk[2].packages.at(0)), QString(".build-deps"));
}

void TestDockerfileModel::uvAndPoetry() {
  auto ops = recogniseOperations(splitShell(
      "uv pip install --system -r requirements.txt && uv sync --frozen --no-dev && "
      "uv export --format requirements-txt -o r.txt && poetry install --no-root --only main && "
      "poetry export -f requirements.txt --output requirements.txt"));
  QCOMPARE(int(ops.size()), 5);
  QCOMPARE(q(ops[0].tool), QString("uv"));
  QCOMPARE(q(ops[0].requirementFiles.at(0)), QString("requirements.txt"));
  QCOMPARE(q(ops[1].action), QString("sync"));
  QVERIFY(ops[1].has("frozen") && ops[1].has("no-dev"));
  QCOMPARE(q(ops[2].action), QString("export"));
  QCOMPARE(q(ops[3].tool), QString("poetry"));
  QCOMPARE(q(ops[3].value("only")), QString("main"));
  QCOMPARE(q(ops[4].action), QString("export"));
}

void TestDockerfileModel::mounts() {
  auto m = modelOf(
      "ARG CACHE=/root/.cache/pip\n"
      "FROM python:3.12-slim AS b\n"
      "ARG CACHE\n"
      "RUN --mount=type=cache,target=${CACHE},sharing=locked --mount=type=bind,from=b,source=/w,target=/w "
      "--mount=type=secret,id=tok --mount=type=ssh --mount=type=tmpfs,target=/tmp pip install x\n"
      "RUN --mount=target=/src echo\n");
  const auto& s = stepAt(m, 4);
  QCOMPARE(int(s.mounts().size()), 5);
  QCOMPARE(q(s.mounts()[0].type), QString("cache"));
  QCOMPARE(q(s.mounts()[0].target()), QString("/root/.cache/pip"));
  QCOMPARE(q(s.mounts()[0].fields.at("sharing")), QString("locked"));
  QCOMPARE(q(s.mounts()[1].fields.at("from")), QString("b"));
  QCOMPARE(q(s.mounts()[2].fields.at("id")), QString("tok"));
  QCOMPARE(q(s.mounts()[3].type), QString("ssh"));
  QCOMPARE(q(s.mounts()[4].type), QString("tmpfs"));
  QCOMPARE(q(stepAt(m, 5).mounts().at(0).type), QString("bind"));
}

void TestDockerfileModel::heredocRunScript() {
  auto m = modelOf("FROM a\nRUN <<EOF\nset -e\napt-get update\npip install --no-cache-dir flask\nEOF\n");
  const auto& s = stepAt(m, 2);
  QCOMPARE(int(s.operations().size()), 2);
  QCOMPARE(q(s.operations()[1].packages.at(0)), QString("flask"));
  // A heredoc fed to python is not shell: its body is not split into commands.
  auto py = modelOf("FROM a\nRUN python3 <<EOF\nimport os\nEOF\n");
  QVERIFY(stepAt(py, 2).operations().empty());
}

// The exec form runs its words with no shell: python code with `;` stays one command; a shell named
// there runs its -c script, which is read as shell.
void TestDockerfileModel::execFormRun() {
  auto m = modelOf("FROM a\nRUN [\"python3\", \"-c\", \"import sys, compileall; compileall.compile_dir('/app', quiet=1)\"]\n"
                   "RUN [\"/bin/sh\", \"-c\", \"apt-get update && apt-get install -y curl\"]\n"
                   "RUN [\"pip\", \"install\", \"it's ok\"]\n");
  const auto& py = stepAt(m, 2);
  QCOMPARE(int(py.commands().size()), 1);
  QCOMPARE(py.commands()[0].argv,
           (std::vector<std::string>{"python3", "-c", "import sys, compileall; compileall.compile_dir('/app', quiet=1)"}));
  const auto& sh = stepAt(m, 3);
  QCOMPARE(int(sh.operations().size()), 2);
  QCOMPARE(sh.operations()[1].packages, (std::vector<std::string>{"curl"}));
  QCOMPARE(int(stepAt(m, 4).operations().size()), 1);
  QCOMPARE(stepAt(m, 4).operations()[0].packages, (std::vector<std::string>{"it's ok"}));
}

void TestDockerfileModel::diagnostics() {
  auto m = modelOf("RUN echo before\nFROM a\nFOO bar\nCOPY --from=5 a b\n");
  QCOMPARE(int(m.diagnostics.size()), 3);
  QCOMPARE(m.diagnostics[0].where.line, 1);
  QVERIFY(q(m.diagnostics[0].message).contains("before the first FROM"));
  QCOMPARE(m.diagnostics[1].where.line, 3);
  QVERIFY(q(m.diagnostics[1].message).contains("unknown instruction: FOO"));
  QVERIFY(q(m.diagnostics[2].message).contains("does not exist"));
}

// Regressions found by trying real Dockerfiles (docker-library, buildx, uv examples).
void TestDockerfileModel::compoundCommands() {
  auto ops = recogniseOperations(splitShell(
      "if [ -f r.txt ]; then pip install -r r.txt; else pip install flask; fi; "
      "for p in a b; do apt-get install -y $p; done; while false; do apk add curl; done"));
  QCOMPARE(int(ops.size()), 4);
  QCOMPARE(q(ops[0].requirementFiles.at(0)), QString("r.txt"));
  QCOMPARE(q(ops[1].packages.at(0)), QString("flask"));
  QCOMPARE(q(ops[2].tool), QString("apt-get"));
  QCOMPARE(q(ops[3].packages.at(0)), QString("curl"));
}

void TestDockerfileModel::baseImageEnvKept() {
  auto m = modelOf("ARG V=1\nFROM python:3.12-slim\nENV PATH=/app/.venv/bin:$PATH X=${V}y\nARG V\nENV Y=$V\nFROM scratch\nENV P=$PATH\n");
  QCOMPARE(q(m.stages[0].env.at("PATH")), QString("/app/.venv/bin:$PATH"));
  QCOMPARE(q(m.stages[0].env.at("X")), QString("y"));  // declared ARG, not yet in scope: empty
  QCOMPARE(q(m.stages[0].env.at("Y")), QString("1"));
  QCOMPARE(q(m.stages[1].env.at("P")), QString(""));   // scratch has no config
}

void TestDockerfileModel::clusteredAndDynamicArgs() {
  auto ops = recogniseOperations(splitShell("apt-get install -fy -qq gcc $(cat extra.txt) \"$EXTRA\""));
  QCOMPARE(int(ops.size()), 1);
  QVERIFY(ops[0].has("f") && ops[0].has("y") && ops[0].has("qq"));
  QCOMPARE(int(ops[0].packages.size()), 1);
  QCOMPARE(int(ops[0].dynamic.size()), 2);
}

void TestDockerfileModel::finalImageChain() {
  auto m = modelOf("FROM alpine AS base\nRUN apk add curl\nFROM alpine AS other\nFROM base\nRUN echo hi\n");
  QVERIFY(m.stages[0].inFinalImage);
  QVERIFY(!m.stages[1].inFinalImage);
  QVERIFY(m.stages[2].inFinalImage);
}

void TestDockerfileModel::stageNamesAndSelfCopy() {
  auto bad = modelOf("FROM alpine AS 1abc\nFROM alpine AS my@stage\n");
  QCOMPARE(int(bad.diagnostics.size()), 2);
  QVERIFY(q(bad.diagnostics[0].message).contains("invalid name for build stage"));
  auto self = modelOf("FROM alpine AS build\nCOPY --from=build /a /b\n");
  QCOMPARE(int(self.diagnostics.size()), 1);
  QVERIFY(q(self.diagnostics[0].message).contains("current stage"));
}

void TestDockerfileModel::repeatedFlagsAndDeepNesting() {
  auto m = modelOf("FROM a\nRUN --mount=type=cache,target=/a --mount=type=bind,source=x,target=/x true\n");
  QCOMPARE(int(stepAt(m, 2).flagList().size()), 2);
  std::string deep = "x";
  for (int i = 0; i < 5000; ++i) deep = "${B:-" + deep + "}";
  auto r = expand(deep, [](const std::string&) { return std::optional<std::string>(); });
  QVERIFY(!r.error.empty());
  QVERIFY(q(r.error).contains("nested"));
}

// Models built with one ModelCache (the variants of one Dockerfile) get each RUN text's commands
// and operations made once: the same list object, and the same content as without the cache. An
// instruction with nothing to expand shares its whole content.
void TestDockerfileModel::modelCacheShares() {
  const std::string a = "FROM python:3.12\nRUN apt-get update && apt-get install -y gcc && pip install -r r.txt\nRUN if [ -f x ]; then pip install y; fi\nWORKDIR /app\n";
  const std::string b = "FROM python:3.12-slim\nENV X=1\nRUN apt-get update && apt-get install -y gcc && pip install -r r.txt\nWORKDIR /app\n";
  ModelCache cache;
  auto ta = parse(a, "a"), tb = parse(b, "b");
  QVERIFY(ta.ok() && tb.ok());
  const Model ma = buildModel(*ta, "a", {}, {}, &cache), mb = buildModel(*tb, "b", {}, {}, &cache);
  const Model plain = modelOf(a);
  const Step& sa = stepAt(ma, 2);
  const Step& sb = stepAt(mb, 3);
  QCOMPARE(&sa.commands().get(), &sb.commands().get());  // shared, not copied
  QCOMPARE(&sa.operations().get(), &sb.operations().get());
  QCOMPARE(sa.content.get(), sb.content.get());  // the whole content
  QCOMPARE(stepAt(ma, 4).content.get(), stepAt(mb, 4).content.get());
  QCOMPARE(sb.startLine, 3);  // where it stands stays the model's own
  QCOMPARE(stepAt(ma, 4).index, 3);
  QCOMPARE(stepAt(mb, 4).index, 3);
  for (int line : {2, 3}) {
    const Step& cached = stepAt(ma, line);
    const Step& own = stepAt(plain, line);
    QCOMPARE(q(cached.original()), q(own.original()));
    QCOMPARE(cached.args(), own.args());
    QCOMPARE(cached.commands().size(), own.commands().size());
    for (std::size_t i = 0; i < own.commands().size(); ++i) {
      QCOMPARE(cached.commands()[i].argv, own.commands()[i].argv);
      QCOMPARE(cached.commands()[i].conditional, own.commands()[i].conditional);
      QCOMPARE(cached.commands()[i].index, int(i));
    }
    QCOMPARE(cached.operations().size(), own.operations().size());
    for (std::size_t i = 0; i < own.operations().size(); ++i) {
      QCOMPARE(q(cached.operations()[i].tool), q(own.operations()[i].tool));
      QCOMPARE(cached.operations()[i].packages, own.operations()[i].packages);
      QCOMPARE(cached.operations()[i].conditional, own.operations()[i].conditional);
    }
  }
  QVERIFY(stepAt(ma, 3).operations().front().conditional);  // the if-branch stays conditional
}

// What depends on where an instruction stands is not shared: an expansion ($), the stage a COPY
// --from names, the ENV a stage ends with, a diagnostic at the model's own line.
void TestDockerfileModel::modelCacheKeepsPlace() {
  const std::string a =
      "FROM alpine AS one\nFROM debian AS two\nFROM python:3.12\nENV V=1\nWORKDIR /x$V\nCOPY --from=one /a /a\nENV P=/p\nCOPY onlyone\n";
  const std::string b =
      "FROM alpine AS two\nFROM debian AS one\nFROM python:3.12\nENV V=2\nWORKDIR /x$V\nCOPY --from=one /a /a\nRUN true\nENV P=/p\nCOPY onlyone\n";
  ModelCache cache;
  auto ta = parse(a, "a"), tb = parse(b, "b");
  QVERIFY(ta.ok() && tb.ok());
  const Model ma = buildModel(*ta, "a", {}, {}, &cache), mb = buildModel(*tb, "b", {}, {}, &cache);
  QCOMPARE(q(stepAt(ma, 5).args().at(0)), QString("/x1"));
  QCOMPARE(q(stepAt(mb, 5).args().at(0)), QString("/x2"));
  QVERIFY(stepAt(ma, 5).content.get() != stepAt(mb, 5).content.get());
  QCOMPARE(stepAt(ma, 6).content.get(), stepAt(mb, 6).content.get());  // the same text...
  QCOMPARE(stepAt(ma, 6).copyFromStage, 0);                            // ...names another stage
  QCOMPARE(stepAt(mb, 6).copyFromStage, 1);
  QCOMPARE(ma.stages[2].dependsOn, std::vector<int>{0});
  QCOMPARE(mb.stages[2].dependsOn, std::vector<int>{1});
  QCOMPARE(q(mb.stages[2].env.at("P")), QString("/p"));  // a shared ENV still sets the stage's ENV
  QCOMPARE(q(mb.stages[2].env.at("V")), QString("2"));
  // COPY with one argument: each model reports it at its own line.
  auto said = [](const Model& m, int line) {
    for (const auto& d : m.diagnostics)
      if (d.where.line == line && q(d.message).contains("at least two arguments")) return true;
    return false;
  };
  QVERIFY(said(ma, 8));
  QVERIFY(said(mb, 9));
}

// parseModel models each instruction as it is parsed (no tree): the same model as building from
// the whole tree, for every Dockerfile the tests hold and for the cases that need the whole file.
namespace {
// Everything a model says, as text: stages, steps with their contents, ENV, graph, diagnostics.
std::string describe(const Model& m) {
  std::string d = summary(m);
  for (const auto& st : m.stages) {
    d += "stage " + std::to_string(st.index) + " final=" + std::to_string(st.inFinalImage) + " reach=" + std::to_string(st.reachable) + " deps=";
    for (int x : st.dependsOn) d += std::to_string(x) + ",";
    for (const auto& [k, v] : st.env) d += " env " + k + "=" + v;
    d += "\n";
    for (const auto& step : st.steps) {
      d += "  " + std::to_string(step.index) + " L" + std::to_string(step.startLine) + "-" + std::to_string(step.endLine) + " from=" +
           std::to_string(step.copyFromStage) + " [" + step.copyFrom() + "] dest=" + step.destination() + " script=" + step.script() + " args:";
      for (const auto& a : step.args()) d += " " + a;
      for (const auto& [k, v] : step.flags()) d += " --" + k + "=" + v;
      for (const auto& kv : step.keyValues()) d += " kv " + kv.key + "=" + kv.value;
      d += " ops " + std::to_string(step.operations().size()) + " cmds " + std::to_string(step.commands().size()) + "\n";
    }
  }
  for (const auto& dg : m.diagnostics) d += dg.format() + "\n";
  return d;
}
}  // namespace

void TestDockerfileModel::parseModelIsBuildModel() {
  std::vector<std::pair<std::string, std::string>> inputs = {
      // $X before the ARG X that declares it, in a stage FROM an image: the whole file decides.
      {"late ARG", "FROM python:3.12\nWORKDIR $X/a\nARG X\nRUN echo $X\n"},
      {"escape", "# escape=`\nFROM python:3.12\nRUN echo a `\n  b\nCOPY a b\n"},
      {"stages", "ARG PY=3.12\nFROM python:${PY} AS b\nENV A=1 B=$A\nFROM b\nCOPY --from=b /x /y\nCOPY one\nFROM nope\n"},
      {"no from", "RUN x\n"},
      {"warning", "FROM a\nRUN echo a \\\n\n  b\n"},  // an empty continuation line: a parser warning
  };
  QDirIterator it(QString::fromStdString(testutil::sourceDir() + "/tests/data"), {"Dockerfile*"}, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString path = it.next();
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    inputs.emplace_back(path.toStdString(), f.readAll().toStdString());
  }
  QVERIFY(inputs.size() > 10);
  for (const auto& [name, text] : inputs) {
    auto tree = parse(text, "Dockerfile");
    std::vector<std::vector<std::string>> comments;
    SyntaxTree header;
    header.escapeToken = '?';
    auto streamed = parseModel(text, "Dockerfile", "model", {}, {}, nullptr, &comments, &header);
    QCOMPARE(streamed.ok(), tree.ok());
    if (!tree.ok()) {
      QCOMPARE(q(streamed.error().format()), q(tree.error().format()));
      continue;
    }
    // The header is the tree without its instructions (what parse --json writes beside the model).
    QVERIFY(header.instructions.empty());
    QCOMPARE(header.escapeToken, tree->escapeToken);
    QCOMPARE(header.directives.size(), tree->directives.size());
    for (std::size_t i = 0; i < header.directives.size(); ++i)
      QCOMPARE(q(header.directives[i].name + "=" + header.directives[i].value),
               q(tree->directives[i].name + "=" + tree->directives[i].value));
    QCOMPARE(header.warnings.size(), tree->warnings.size());
    if (name == "warning") QCOMPARE(header.warnings.size(), std::size_t(1));
    for (std::size_t i = 0; i < header.warnings.size(); ++i)
      QCOMPARE(q(header.warnings[i].format()), q(tree->warnings[i].format()));
    QCOMPARE(q(describe(*streamed)), q(describe(buildModel(*tree, "model", {}))));
    QCOMPARE(comments.size(), tree->instructions.size());
    for (std::size_t i = 0; i < comments.size(); ++i) QCOMPARE(comments[i], tree->instructions[i].comments);
  }
  auto late = parseModel(inputs[0].second, "Dockerfile", "Dockerfile", {});
  QVERIFY(late.ok());
  QCOMPARE(q(stepAt(*late, 2).args().at(0)), QString("/a"));  // X is the ARG declared below, empty here
  auto broken = parseModel("FROM a\nRUN <<EOF\nnever ends\n", "Dockerfile", "Dockerfile", {});
  QVERIFY(!broken.ok());
  QVERIFY(q(broken.error().message).contains("unterminated heredoc"));
}

// Keywords are matched in any case, whole (BuildKit lower-cases them); kindName gives them back.
void TestDockerfileModel::keywordsAnyCase() {
  for (Kind k : {Kind::From, Kind::Run, Kind::Cmd, Kind::Entrypoint, Kind::Copy, Kind::Add, Kind::Env, Kind::Arg, Kind::Label,
                 Kind::Expose, Kind::Volume, Kind::User, Kind::Workdir, Kind::Shell, Kind::StopSignal, Kind::Healthcheck,
                 Kind::Onbuild, Kind::Maintainer}) {
    const std::string name = kindName(k);
    QCOMPARE(kindOf(name), k);
    std::string lower = name, mixed = name;
    for (std::size_t i = 0; i < name.size(); ++i) {
      lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
      if (i % 2) mixed[i] = lower[i];
    }
    QCOMPARE(kindOf(lower), k);
    QCOMPARE(kindOf(mixed), k);
    QCOMPARE(kindOf(name + "S"), Kind::Unknown);
    QCOMPARE(kindOf(name.substr(1)), Kind::Unknown);
  }
  QCOMPARE(kindOf(""), Kind::Unknown);
  QCOMPARE(kindOf("HEALTHCHECKHEALTHCHECK"), Kind::Unknown);
  QCOMPARE(kindOf("R\xc3\xbcN"), Kind::Unknown);
}


// What docker build rejects after the parser accepted the line (BuildKit's instructions package):
// an error at the instruction's line saying what was expected.
void TestDockerfileModel::buildkitRejections_data() {
  QTest::addColumn<QString>("instruction");
  QTest::addColumn<QString>("expected");
  QTest::newRow("ENV blank name") << "ENV =broken" << "ENV names can not be blank (expected NAME=VALUE";
  QTest::newRow("LABEL blank name") << "LABEL =x" << "LABEL names can not be blank";
  QTest::newRow("ARG blank name") << "ARG =x" << "ARG names can not be blank";
  QTest::newRow("ONBUILD ONBUILD") << "ONBUILD ONBUILD RUN true" << "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed";
  QTest::newRow("ONBUILD FROM") << "ONBUILD FROM debian" << "FROM isn't allowed as an ONBUILD trigger";
  QTest::newRow("ONBUILD MAINTAINER") << "ONBUILD MAINTAINER me" << "MAINTAINER isn't allowed as an ONBUILD trigger";
  QTest::newRow("HEALTHCHECK interval abc") << "HEALTHCHECK --interval=abc CMD true" << "time: invalid duration \"abc\" in HEALTHCHECK --interval (expected a duration";
  QTest::newRow("HEALTHCHECK interval no unit") << "HEALTHCHECK --timeout=10 CMD true" << "time: missing unit in duration \"10\"";
  QTest::newRow("HEALTHCHECK unknown unit") << "HEALTHCHECK --start-period=5d CMD true" << "time: unknown unit \"d\" in duration \"5d\"";
  QTest::newRow("HEALTHCHECK under 1ms") << "HEALTHCHECK --interval=10us CMD true" << "Interval \"interval\" cannot be less than 1ms";
  QTest::newRow("HEALTHCHECK retries word") << "HEALTHCHECK --retries=many CMD true" << "strconv.ParseInt: parsing \"many\": invalid syntax";
  QTest::newRow("HEALTHCHECK retries out of range") << "HEALTHCHECK --retries=2147483648 CMD true" << "value out of range";
  QTest::newRow("HEALTHCHECK retries negative") << "HEALTHCHECK --retries=-2 CMD true" << "--retries cannot be negative (-2)";
  QTest::newRow("HEALTHCHECK NONE with args") << "HEALTHCHECK NONE now" << "HEALTHCHECK NONE takes no arguments";
  QTest::newRow("HEALTHCHECK unknown type") << "HEALTHCHECK CONNECT TCP 7000" << "Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)";
  QTest::newRow("HEALTHCHECK CMD without command") << "HEALTHCHECK CMD" << "Missing command after HEALTHCHECK CMD";
  QTest::newRow("HEALTHCHECK unknown flag") << "HEALTHCHECK --every=5s CMD true" << "unknown flag: every (HEALTHCHECK takes --interval";
  QTest::newRow("COPY --from= empty") << "COPY --from= /a /b" << "COPY --from= has no value (expected --from=STAGE";
  QTest::newRow("COPY unknown flag") << "COPY --user=me a /b" << "unknown flag: user (COPY takes --chown, --from";
  QTest::newRow("COPY flag without value") << "COPY --chown a /b" << "missing a value on flag: chown (expected --chown=VALUE)";
  QTest::newRow("COPY duplicate flag") << "COPY --chown=a --chown=b a /b" << "duplicate flag specified: chown";
  QTest::newRow("COPY --link=yes") << "COPY --link=yes a /b" << "expecting boolean value for flag link, not: yes";
  QTest::newRow("COPY --link= empty") << "COPY --link= a /b" << "missing a value on flag: link";
  QTest::newRow("ADD --from") << "ADD --from=build a /b" << "unknown flag: from (ADD takes";
  QTest::newRow("RUN unknown flag") << "RUN --cache=yes true" << "unknown flag: cache (RUN takes --mount, --network, --security";
  QTest::newRow("CMD flag") << "CMD --doit [\"a\"]" << "unknown flag: doit (CMD takes no flags)";
  QTest::newRow("FROM unknown flag") << "FROM --arch=arm64 debian" << "unknown flag: arch (FROM takes --platform)";
  QTest::newRow("VOLUME empty string") << "VOLUME [\"\"]" << "VOLUME specified can not be an empty string";
  QTest::newRow("SHELL not JSON") << "SHELL /bin/bash -c" << "SHELL requires the arguments to be in JSON form";
  QTest::newRow("ENV flag") << "ENV --x=1 A=b" << "unknown flag: x (ENV takes no flags)";
}

void TestDockerfileModel::buildkitRejections() {
  QFETCH(QString, instruction);
  QFETCH(QString, expected);
  auto m = modelOf("FROM debian:12\nRUN true\n" + instruction.toStdString() + "\nCMD [\"x\"]\n");
  QVERIFY2(!m.diagnostics.empty(), qPrintable(instruction));
  const auto& d = m.diagnostics[0];
  QCOMPARE(d.severity, slimbench::Severity::Error);
  QCOMPARE(d.where.line, 3);
  QVERIFY2(q(d.message).contains(expected), d.message.c_str());
  // The streamed model says the same.
  auto streamed = parseModel("FROM debian:12\nRUN true\n" + instruction.toStdString() + "\nCMD [\"x\"]\n", "Dockerfile", "Dockerfile", {});
  QVERIFY(streamed.ok());
  QVERIFY(!streamed->diagnostics.empty() && streamed->diagnostics[0].format() == d.format());
}

// What BuildKit accepts stays accepted (no rejection for valid flags and forms).
void TestDockerfileModel::buildkitAccepts() {
  auto m = modelOf(
      "# syntax=docker/dockerfile:1\n"
      "ARG BASE=debian:12\n"
      "FROM --platform=linux/amd64 $BASE AS build\n"
      "RUN --mount=type=cache,target=/root/.cache --mount=type=bind,source=a,target=/a --network=none true\n"
      "FROM debian:12\n"
      "ENV A=1 B=\"two words\"\n"
      "ENV LEGACY value with spaces\n"
      "LABEL org.opencontainers.image.title=x\n"
      "ARG TARGETARCH\n"
      "COPY --from=build --chown=app:app --chmod=755 --link /a /b\n"
      "COPY --link=false a /c\n"
      "ADD --checksum=sha256:0123 --keep-git-dir=true https://example.com/x.tar.gz /x\n"
      "HEALTHCHECK --interval=1m30s --timeout=3s --start-period=0s --start-interval=500ms --retries=3 CMD curl -f http://localhost/\n"
      "HEALTHCHECK NONE\n"
      "HEALTHCHECK --interval=0 --retries=0000000000002147483647 CMD [\"true\"]\n"
      "SHELL [\"/bin/bash\", \"-c\"]\n"
      "ONBUILD RUN make\n"
      "VOLUME /data /logs\n"
      "EXPOSE 8000/tcp\n"
      "WORKDIR /app\n"
      "USER app:app\n"
      "STOPSIGNAL SIGTERM\n"
      "MAINTAINER someone\n"
      "CMD [\"app\"]\n");
  for (const auto& d : m.diagnostics) QVERIFY2(d.severity != slimbench::Severity::Error, d.format().c_str());
}

QTEST_APPLESS_MAIN(TestDockerfileModel)
#include "test_dockerfile_model.moc"
