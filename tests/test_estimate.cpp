// The size model end to end on the bundled examples: catalogued bases come out
// exactly, variants re-parse and do not carry the findings they exist to fix,
// and the classic stories come out in the right direction.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "embedded_resources.h"
#include "estimate/analysis.h"
#include "estimate/knowledge_embedded.h"
#include "knowledge.h"
#include "testutil.h"

using namespace slimbench;
using testutil::q;
namespace fs = std::filesystem;

namespace {
using testutil::knowledge;
estimate::Analysis analyzeExample(const std::string& name, estimate::AnalysisOptions opt = {}) {
  auto p = estimate::openProject(testutil::sourceDir() + "/resources/examples/" + name);
  if (!p) qFatal("%s", p.error().format().c_str());
  return estimate::analyze(*p, *knowledge(), opt);
}
const estimate::VariantResult& variant(const estimate::Analysis& a, generate::VariantKind k) {
  for (const auto& v : a.variants)
    if (v.kind == k) return v;
  qFatal("variant missing");
}
bool hasFinding(const estimate::VariantResult& v, const std::string& id) {
  for (const auto& f : v.findings)
    if (f.ruleId == id && f.severity > Severity::Info) return true;
  return false;
}
}  // namespace

class TestEstimate : public QObject {
  Q_OBJECT
 private slots:
  void catalogedBaseExact_data();
  void unknownTextsShared();
  void catalogedBaseExact();
  void variantsReparse_data();
  void variantsReparse();
  void storiesDirection();
  void laterDeleteFreesNothing();
  void pyprojectOnlyProject();
  void dockerignoreRules_data();
  void dockerignoreRules();
  void copySourceDotSegments();
  void layersShareText();
  void pythonPackagesKnownProxyUnknown();
  void unknownAptPackageTime();
  void alpinePackagesFromRepoInfo();
  void rejectedDockerfile();
  void compilerOrHeaders();
  void uvCacheLinkedNotCountedTwice();
  void uvCacheCopyModeFromEnv();
  void uvCacheCopyModeOnCommand();
  void uvCacheGoneOrKept();
  void pipCacheStillCounted();
};

void TestEstimate::catalogedBaseExact_data() {
  QTest::addColumn<QString>("tag");
  for (const char* t : {"python:3.12", "python:3.12-slim", "python:3.12-alpine", "python:3.11-slim-bookworm", "debian:bookworm-slim"})
    QTest::newRow(t) << t;
}

void TestEstimate::catalogedBaseExact() {
  QFETCH(QString, tag);
  const auto* b = knowledge()->bases.find(tag.toStdString(), "amd64");
  QVERIFY(b);
  QVERIFY(b->diskTotal.has_value());
  auto tree = dockerfile::parse("FROM " + tag.toStdString() + "\n", "Dockerfile");
  QVERIFY(tree.ok());
  auto model = dockerfile::buildModel(*tree, "Dockerfile", {});
  estimate::Inputs in;
  in.catalogues = &knowledge()->catalogues;
  auto e = estimate::estimateModel(model, in);
  QCOMPARE(e.disk.mid, *b->diskTotal);
  QCOMPARE(e.compressed.mid, b->compressedTotal);
  QCOMPARE(e.layers.size(), b->layers.size());
}

void TestEstimate::variantsReparse_data() {
  QTest::addColumn<QString>("example");
  for (const char* e : {"flask-app", "uwsgi-app", "datascience-app", "django-postgres"}) QTest::newRow(e) << e;
}

void TestEstimate::variantsReparse() {
  QFETCH(QString, example);
  auto a = analyzeExample(example.toStdString());
  QCOMPARE(int(a.variants.size()), 6);
  for (const auto& v : a.variants) {
    const QString id = generate::variantId(v.kind);
    QVERIFY2(!v.parseError, qPrintable(id));
    QVERIFY2(v.model.diagnostics.empty(), qPrintable(id + ": " + q(v.model.diagnostics.empty() ? "" : v.model.diagnostics[0].format())));
    if (v.kind == generate::VariantKind::Original) continue;
    // What every derived variant fixes: dependency install before the source, no pip cache, no apt lists.
    for (const char* id2 : {"SB101", "SB102", "SB103", "SB107", "SB109"})
      QVERIFY2(!hasFinding(v, id2), qPrintable(id + " has " + id2));
    if (v.kind == generate::VariantKind::MultiStage || v.kind == generate::VariantKind::BuildKit) {
      QVERIFY2(!hasFinding(v, "SB104"), qPrintable(id));
      QVERIFY(!v.estimate.compilerInFinal);
    }
    if (v.kind == generate::VariantKind::BuildKit) {
      QVERIFY(!hasFinding(v, "SB106"));
      QVERIFY(!hasFinding(v, "SB111"));
    }
    // The text parses to the model the analysis summarised: same stages and bases, no errors; its
    // layers are the estimate's (the final stage's RUN/COPY/ADD lines, in order).
    auto again = dockerfile::parse(v.dockerfile, "again");
    QVERIFY(again.ok());
    const auto m2 = dockerfile::buildModel(*again, "again", {});
    QVERIFY(m2.diagnostics.empty());
    QCOMPARE(m2.stages.size(), v.model.stages.size());
    for (std::size_t s = 0; s < m2.stages.size(); ++s)
      QCOMPARE(q(m2.stages[s].baseImage), q(v.model.stages[s].baseImage));
    std::vector<int> layerLines, estimated;
    for (const auto& step : m2.finalStagePtr()->steps)
      if (step.createsLayer) layerLines.push_back(step.startLine);
    for (const auto& l : v.estimate.layers)
      if (!l.fromBase) estimated.push_back(l.line);
    QCOMPARE(estimated, layerLines);
  }
}

void TestEstimate::storiesDirection() {
  // Fat ~1 GB; alpine and slim an order smaller; compilers only where the Dockerfile leaves them.
  auto a = analyzeExample("flask-app");
  auto fat = variant(a, generate::VariantKind::Fat).estimate.disk.mid;
  auto alpine = variant(a, generate::VariantKind::Alpine).estimate.disk.mid;
  auto slim = variant(a, generate::VariantKind::Slim).estimate.disk.mid;
  QVERIFY(fat > 900'000'000);
  QVERIFY(alpine < slim);
  QVERIFY(slim * 5 < fat);
  auto u = analyzeExample("uwsgi-app");
  const auto& orig = variant(u, generate::VariantKind::Original);
  const auto& multi = variant(u, generate::VariantKind::MultiStage);
  QVERIFY(orig.estimate.compilerInFinal);  // apk add gcc musl-dev stays in the user's image
  QVERIFY(!multi.estimate.compilerInFinal);
  QVERIFY(hasFinding(orig, "SB104"));
  bool uwsgiCompiles = false;
  for (const auto& p : orig.estimate.packages) uwsgiCompiles |= p.name == "uwsgi" && p.compiles;
  QVERIFY(uwsgiCompiles);  // uwsgi publishes no wheels
}

void TestEstimate::laterDeleteFreesNothing() {
  auto a = analyzeExample("django-postgres");
  const auto& orig = variant(a, generate::VariantKind::Original);
  QVERIFY(hasFinding(orig, "SB103"));
  bool sawWhiteout = false;
  for (const auto& l : orig.estimate.layers)
    if (l.line == 8) {
      sawWhiteout = true;
      QCOMPARE(l.disk.mid, std::uint64_t{0});
      QVERIFY(!l.notes.empty());
    }
  QVERIFY(sawWhiteout);
  QVERIFY(orig.estimate.compilerInFinal);
}

// A project with a pyproject.toml and no requirements file: the variants export its
// dependencies with uv inside the build, and the estimate resolves them from the pyproject.
void TestEstimate::pyprojectOnlyProject() {
  QTemporaryDir tmp;
  auto write = [&](const char* name, const char* text) {
    QFile f(tmp.filePath(name));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
  };
  write("pyproject.toml", "[project]\nname = \"demo\"\nversion = \"0.1\"\ndependencies = [\"flask>=3\"]\n");
  write("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD [\"flask\", \"run\"]\n");
  auto p = estimate::openProject(tmp.path().toStdString());
  QVERIFY(p.ok());
  auto a = estimate::analyze(*p, *knowledge(), {});
  for (const auto& v : a.variants) {
    QVERIFY(!v.parseError);
    bool hasFlask = false;
    for (const auto& pkg : v.estimate.packages) hasFlask |= pkg.name == "flask";
    QVERIFY2(hasFlask, generate::variantId(v.kind));
    if (v.kind == generate::VariantKind::Original) continue;
    QVERIFY2(testutil::q(v.dockerfile).contains("uv pip compile pyproject.toml -o requirements.txt"), generate::variantId(v.kind));
    QVERIFY(!hasFinding(v, "SB101"));
  }
}

void TestEstimate::dockerignoreRules_data() {
  QTest::addColumn<QString>("rules");
  QTest::addColumn<QString>("path");
  QTest::addColumn<bool>("excluded");
  QTest::newRow("dir") << ".git" << ".git/config" << true;
  QTest::newRow("glob star no slash") << "*.pyc" << "a/b.pyc" << false;
  QTest::newRow("double star") << "**/*.pyc" << "a/b/c.pyc" << true;
  QTest::newRow("exception") << "*.md\n!README.md" << "README.md" << false;
  QTest::newRow("exception order") << "!README.md\n*.md" << "README.md" << true;
  QTest::newRow("leading slash") << "/build" << "build/x" << true;
  QTest::newRow("comment") << "# x\nnode_modules" << "node_modules/a/b" << true;
  QTest::newRow("class") << "data[0-9].csv" << "data7.csv" << true;
  // filepath.Clean: "." segments go, ".." takes the one before (glances' `!/glances/**/*.py`).
  QTest::newRow("include under leading slash") << "*\n!/pkg/**/*.py" << "pkg/sub/b.py" << false;
  QTest::newRow("dot segment") << "./docs/./build" << "docs/build/x.html" << true;
  QTest::newRow("dot-dot segment") << "docs/../build" << "build/x" << true;
}

// A COPY source is cleaned as Docker cleans it: `COPY ./pkg/. /app/` copies pkg's files
// (glances' `COPY ./glances/. /app/glances/`: "not found in the build context" before).
void TestEstimate::copySourceDotSegments() {
  QTemporaryDir tmp;
  const std::string root = tmp.path().toStdString();
  std::filesystem::create_directories(root + "/pkg/sub");
  std::ofstream(root + "/pkg/a.py") << "x = 1\n";
  std::ofstream(root + "/pkg/sub/b.py") << "y = 2\n";
  std::ofstream(root + "/.dockerignore") << "*\n!/pkg/**/*.py\n";
  const auto ctx = estimate::scanContext(root);
  for (const char* src : {"./pkg/.", "pkg/", "pkg/./sub/..", "./pkg"}) {
    QVERIFY2(ctx.matches(src), src);
    QCOMPARE(ctx.bytesFor(src), std::uint64_t(12));
    QVERIFY2(ctx.isFolder(src), src);
  }
  QVERIFY(!ctx.matches("./other/."));
}

void TestEstimate::dockerignoreRules() {
  QFETCH(QString, rules);
  QFETCH(QString, path);
  QFETCH(bool, excluded);
  auto d = estimate::DockerIgnore::parse(rules.toStdString());
  QCOMPARE(d.excluded(path.toStdString()), excluded);
}

// A layer record quotes its instruction and names its source: at 50k RUN layers per variant,
// copies were a third of an estimate's memory. The instruction is the model's own string; layers
// with the same source text hold one copy.
void TestEstimate::layersShareText() {
  std::string text = "FROM python:3.12-slim\n";
  for (int i = 0; i < 20; ++i) text += "RUN mkdir -p /app/d" + std::to_string(i) + "\nRUN echo hi > /app/f" + std::to_string(i) + "\n";
  auto tree = dockerfile::parse(text, "Dockerfile");
  QVERIFY(tree.ok());
  auto model = dockerfile::buildModel(*tree, "Dockerfile", {});
  estimate::Inputs in;
  in.catalogues = &knowledge()->catalogues;
  auto e = estimate::estimateModel(model, in);
  std::map<int, const std::string*> own;
  for (const auto& step : model.stages[0].steps) own[step.startLine] = &step.original();
  std::map<std::string, const std::string*> sourceAt;
  int layers = 0;
  for (const auto& l : e.layers) {
    if (l.fromBase) continue;
    ++layers;
    QCOMPARE(l.instruction.identity(), own.at(l.line));
    QVERIFY(!l.source.empty());
    auto [it, fresh] = sourceAt.emplace(l.source.str(), l.source.identity());
    if (!fresh) QCOMPARE(l.source.identity(), it->second);
  }
  QCOMPARE(layers, 40);
  QVERIFY(sourceAt.size() < 5);  // mkdir and echo: a source or two each
}

// What a step leaves unknown is said in the same words by every variant that keeps the step: with
// one pool (analyze() gives the six variants one), the texts are held once, and a part that is
// both an unknown size and an unknown time is one text (at 100k unknown lines, 45 MB less).
void TestEstimate::unknownTextsShared() {
  const std::string text =
      "FROM python:3.12-slim\n"
      "RUN ./scripts/provision.sh --long-option=value\n"
      "RUN pip install --no-cache-dir acme-private-client==1.0 company-sdk\n";
  auto tree = dockerfile::parse(text, "Dockerfile");
  QVERIFY(tree.ok());
  auto model = dockerfile::buildModel(*tree, "Dockerfile", {});
  SharedTextPool pool;
  estimate::Inputs in;
  in.catalogues = &knowledge()->catalogues;
  auto k = knowledge();
  in.pip = [k](const estimate::PipRequest& r) { return k->pip->plan(r, "."); };
  in.texts = &pool;
  const auto one = estimate::estimateModel(model, in);
  const auto two = estimate::estimateModel(model, in);
  auto at = [](const estimate::VariantEstimate& e, int line) -> const estimate::LayerEstimate& {
    for (const auto& l : e.layers)
      if (l.line == line) return l;
    qFatal("no layer at line %d", line);
  };
  for (int line : {2, 3}) {
    const auto& a = at(one, line);
    const auto& b = at(two, line);
    QVERIFY2(!a.unknownParts.empty() && a.unknownParts.size() == b.unknownParts.size(), text.c_str());
    for (std::size_t i = 0; i < a.unknownParts.size(); ++i) {
      QCOMPARE(a.unknownParts[i].str(), b.unknownParts[i].str());
      QCOMPARE(a.unknownParts[i].identity(), b.unknownParts[i].identity());
    }
  }
  // The script's part is the same words for its size and its time: one text.
  const auto& script = at(one, 2);
  QVERIFY(!script.timeUnknownParts.empty());
  QCOMPARE(script.timeUnknownParts.front().str(), script.unknownParts.front().str());
  QCOMPARE(script.timeUnknownParts.front().identity(), script.unknownParts.front().identity());
  // Without a pool each estimate holds its own (the same words).
  in.texts = nullptr;
  const auto own = estimate::estimateModel(model, in);
  QCOMPARE(at(own, 2).unknownParts.front().str(), script.unknownParts.front().str());
  QVERIFY(at(own, 2).unknownParts.front().identity() != script.unknownParts.front().identity());
}

// The pip layer end to end: a pin only the extra wheel data has is exact (no proxy), a
// package only Debian knows is a stated proxy sized from its Installed-Size plus bytecode,
// a package known nowhere leaves the layer a lower bound (never zero).
void TestEstimate::pythonPackagesKnownProxyUnknown() {
  QTemporaryDir tmp;
  auto write = [&](const char* name, const char* text) {
    QFile f(tmp.filePath(name));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
  };
  auto run = [&](const char* reqs) {
    write("requirements.txt", reqs);
    write("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n");
    auto p = estimate::openProject(tmp.path().toStdString());
    if (!p) qFatal("%s", p.error().format().c_str());
    auto a = estimate::analyze(*p, *knowledge(), {});
    const auto& v = variant(a, generate::VariantKind::Original);
    for (const auto& l : v.estimate.layers)
      if (l.category == estimate::Category::PythonPackages) return std::make_pair(v.estimate, l);
    qFatal("no pip layer");
  };
  auto [exact, exactLayer] = run("numpy==1.26.4\n");
  QCOMPARE(exact.packages.size(), std::size_t(1));
  QCOMPARE(q(exact.packages[0].version), QString("1.26.4"));
  QVERIFY(exact.packages[0].asked.empty());
  QCOMPARE(exactLayer.basis, estimate::Basis::Model);
  QVERIFY2(exactLayer.proxyNote.empty(), exactLayer.proxyNote.c_str());
  QVERIFY(!exactLayer.disk.open);
  QVERIFY(!exactLayer.secondsOpen);  // its download and install time are known

  auto [proxy, proxyLayer] = run("hvac\n");
  const estimate::PythonPackage* hvac = nullptr;
  for (const auto& p : proxy.packages)
    if (p.name == "hvac") hvac = &p;
  QVERIFY(hvac);
  QVERIFY2(q(hvac->reason).startsWith("proxy: Debian python3-hvac "), hvac->reason.c_str());
  QVERIFY2(q(hvac->reason).contains("installed size"), hvac->reason.c_str());
  QVERIFY2(q(hvac->distribution).contains("(Debian trixie/amd64)"), hvac->distribution.c_str());  // python:3.12-slim is trixie
  // Installed-Size (790 KiB in trixie) plus the bytecode pip compiles for a pure package (+109 %).
  QVERIFY(hvac->installed.low > 790 * 1024);
  QVERIFY(hvac->installed.mid > 2 * 790 * 1024 && hvac->installed.mid < 3 * 790 * 1024);
  QCOMPARE(proxyLayer.basis, estimate::Basis::Proxy);
  QVERIFY2(q(proxyLayer.proxyNote).contains("hvac: proxy: Debian python3-hvac"), proxyLayer.proxyNote.c_str());
  QVERIFY2(q(proxyLayer.proxyNote).contains("source: Debian trixie main amd64 Packages"), proxyLayer.proxyNote.c_str());
  QVERIFY(!proxyLayer.disk.open);  // everything sized (some of it by proxy): not a lower bound

  auto [unknown, unknownLayer] = run("numpy==1.26.4\nnonexistent-package-xyz==1.0\n");
  QCOMPARE(unknownLayer.basis, estimate::Basis::Unknown);
  QVERIFY(unknownLayer.disk.open);
  QVERIFY(unknownLayer.disk.low >= exactLayer.disk.low);  // what is known still counts: never 0
  QVERIFY(unknownLayer.disk.low > 0);
  bool named = false;
  for (const auto& u : unknown.unknowns) named |= q(u).contains("nonexistent-package-xyz");
  QVERIFY(named);
  // Installing what is not known takes time that is not known either: a lower bound, said why.
  QVERIFY(unknownLayer.secondsOpen && unknown.coldLowerBound);
  QVERIFY(!unknownLayer.timeUnknownParts.empty());
  QVERIFY2(q(unknownLayer.timeUnknownParts.front()).startsWith("pip install of requirements of unknown size"),
           unknownLayer.timeUnknownParts.front().c_str());
}

// An apt package no catalogue knows: its size and its install time are unknown; the layer and the
// build time are lower bounds (no silent zero for the time either).
void TestEstimate::unknownAptPackageTime() {
  QTemporaryDir tmp;
  QFile f(tmp.filePath("Dockerfile"));
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends internal-tool-xyz && rm -rf /var/lib/apt/lists/*\n");
  f.close();
  auto p = estimate::openProject(tmp.path().toStdString());
  QVERIFY(p.ok());
  auto a = estimate::analyze(*p, *knowledge(), {});
  const auto& e = variant(a, generate::VariantKind::Original).estimate;
  QVERIFY(e.coldLowerBound);
  const estimate::LayerEstimate* apt = nullptr;
  for (const auto& l : e.layers)
    if (l.line == 2) apt = &l;
  QVERIFY(apt && apt->basis == estimate::Basis::Unknown && apt->secondsOpen);
  QCOMPARE(apt->timeUnknownParts.size(), std::size_t(1));
  QCOMPARE(q(apt->timeUnknownParts[0]), QString("apt-get install of packages of unknown size"));
  bool listed = false;
  for (const auto& t : e.timeUnknowns) listed |= t == "apt-get install of packages of unknown size at line 2";
  QVERIFY(listed);
}

// Alpine packages that had no size reading now carry one from docker-library/repo-info (made by
// scripts/alpine-from-repo-info.py, with the listing's blob URL); a package with no reading anywhere
// stays unknown: listed, the layer a lower bound, never counted as a silent 0.
void TestEstimate::alpinePackagesFromRepoInfo() {
  const auto& alpine = knowledge()->alpine;
  for (const char* name : {"nginx", "tini", "openssl", "libssl3", "icu-dev", "net-snmp-tools"}) {
    QVERIFY2(alpine.has(name), name);
    QVERIFY2(q(alpine.sourceOf(name)).startsWith("https://github.com/docker-library/repo-info/blob/"), name);
    QVERIFY2(q(alpine.sourceOf(name)).contains("/local/"), name);
  }
  QVERIFY(q(alpine.matchOf("nginx")).contains("outside 3.20-3.23"));  // only a 3.24 reading: it says so
  std::set<std::string> installed;
  auto nginx = alpine.install({"nginx"}, installed);
  QVERIFY(nginx.unknown.empty());
  QCOMPARE(nginx.bytesLow, std::uint64_t(2744) * 1024);  // "2744 KiB" in nginx:1.30.5-alpine's listing
  QVERIFY(nginx.bytesHigh > nginx.bytesLow);             // apk prints whole KiB: [2744, 2745) KiB
  QVERIFY2(q(nginx.source).contains("nginx: https://github.com/docker-library/repo-info/blob/"), nginx.source.c_str());

  auto p = estimate::openProject(testutil::sourceDir() + "/tests/data/alpine-apk");
  if (!p) qFatal("%s", p.error().format().c_str());
  auto a = estimate::analyze(*p, *knowledge(), {});
  const auto& v = variant(a, generate::VariantKind::Original);
  const estimate::LayerEstimate* apk = nullptr;
  for (const auto& l : v.estimate.layers)
    if (!l.fromBase && q(l.instruction.str()).contains("apk add")) apk = &l;
  QVERIFY(apk);
  QString unknown;
  for (const auto& u : apk->unknownParts) unknown += q(u) + "\n";
  for (const char* known : {"nginx ", "tini ", "openssl "}) QVERIFY2(!unknown.contains(known), qPrintable(unknown));
  for (const char* absent : {"nodejs ", "npm ", "postgresql-client "})
    QVERIFY2(unknown.contains(QString("Alpine package ") + absent), qPrintable(unknown));
  QCOMPARE(apk->basis, estimate::Basis::Unknown);
  QVERIFY(apk->disk.open);                                         // a lower bound, shown as "≥"
  QVERIFY(apk->disk.low >= std::uint64_t(2744 + 23 + 801) * 1024);  // nginx + tini + openssl
  QVERIFY2(q(apk->source.str()).contains("tini: https://github.com/docker-library/repo-info/blob/"), apk->source.str().c_str());
}

// A Dockerfile docker build rejects is reported like a parse error: the rejection, with its line, is
// the reason the user's Dockerfile has no figures; the variants are still estimated (not "≥ 0 MB").
void TestEstimate::rejectedDockerfile() {
  for (const char* bad : {"ENV =broken", "ONBUILD ONBUILD RUN true", "HEALTHCHECK --interval=abc CMD true", "COPY --from= /a /b"}) {
    QTemporaryDir tmp;
    QFile f(tmp.filePath("Dockerfile"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write((std::string("FROM python:3.12-slim\n") + bad + "\nRUN pip install --no-cache-dir flask\n").c_str());
    f.close();
    auto p = estimate::openProject(tmp.path().toStdString());
    QVERIFY(p.ok());
    auto a = estimate::analyze(*p, *knowledge(), {});
    const auto& orig = variant(a, generate::VariantKind::Original);
    QVERIFY2(orig.parseError, bad);
    QCOMPARE(orig.parseError->where.line, 2);
    QVERIFY2(orig.parseError->message.find("expected") != std::string::npos, orig.parseError->message.c_str());
    for (const auto& v : a.variants) {
      if (v.kind == generate::VariantKind::Original) continue;
      QVERIFY2(!v.parseError, generate::variantId(v.kind));
      QVERIFY2(v.estimate.disk.mid > 10'000'000, generate::variantId(v.kind));
    }
  }
}

// "A compiler ships" only when one is installed; -dev headers alone are their own, milder fact.
void TestEstimate::compilerOrHeaders() {
  auto run = [](const std::string& text) {
    QTemporaryDir tmp;
    QFile f(tmp.filePath("Dockerfile"));
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write");
    f.write(text.c_str());
    f.close();
    auto p = estimate::openProject(tmp.path().toStdString());
    if (!p) qFatal("%s", p.error().format().c_str());
    auto a = estimate::analyze(*p, *knowledge(), {});
    return variant(a, generate::VariantKind::Original).estimate;
  };
  const std::string slim = "FROM python:3.12-slim\n";
  auto headers = run(slim + "RUN apt-get update && apt-get install -y --no-install-recommends libxml2-dev && rm -rf /var/lib/apt/lists/*\n");
  QVERIFY(!headers.compilerInFinal);
  QVERIFY(headers.headersInFinal);
  auto gcc = run(slim + "RUN apt-get update && apt-get install -y --no-install-recommends gcc libxml2-dev && rm -rf /var/lib/apt/lists/*\n");
  QVERIFY(gcc.compilerInFinal);
  QVERIFY(!gcc.headersInFinal);
  auto meta = run(slim + "RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*\n");
  QVERIFY(meta.compilerInFinal);
  auto arm = run("FROM python:3.12-alpine\nRUN if [ \"$(uname -m)\" = \"armv7l\" ]; then apk add --no-cache gcc musl-dev; fi\n");
  QVERIFY(!arm.compilerInFinal);
}

// The layer of a one-RUN Dockerfile's install (line 2 of "FROM python:3.12-slim\n" + `lines`),
// with the plan's packages.
namespace {
struct InstallLayer {
  estimate::LayerEstimate layer;
  std::vector<estimate::PythonPackage> packages;
};
InstallLayer installLayer(const std::string& lines, int line) {
  QTemporaryDir tmp;
  QFile f(tmp.filePath("Dockerfile"));
  if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write");
  f.write(("FROM python:3.12-slim\n" + lines).c_str());
  f.close();
  auto p = estimate::openProject(tmp.path().toStdString());
  if (!p) qFatal("%s", p.error().format().c_str());
  auto a = estimate::analyze(*p, *knowledge(), {});
  const auto& e = variant(a, generate::VariantKind::Original).estimate;
  for (const auto& l : e.layers)
    if (!l.fromBase && l.line == line) return {l, e.packages};
  qFatal("no layer at line %d", line);
}
// The part whose name starts with `prefix`; null when the layer has none.
const std::pair<std::string, estimate::Range>* part(const estimate::LayerEstimate& l, const std::string& prefix) {
  for (const auto& pr : l.parts)
    if (pr.first.rfind(prefix, 0) == 0) return &pr;
  return nullptr;
}
}  // namespace

// uv installs by linking each file from the wheel it unpacked into its cache: hard links (uv's
// default on Linux before 0.10.5, and 0.10.5+'s fallback on a host without reflinks) are the
// installed files, stored once in the layer. The cache is not a second download-sized part.
void TestEstimate::uvCacheLinkedNotCountedTwice() {
  const auto d = installLayer("RUN uv pip install --system numpy==1.26.4\n", 2);
  const auto* install = part(d.layer, "pip install: ");
  const auto* cache = part(d.layer, "uv cache (/root/.cache/uv)");
  QVERIFY(install && cache);
  QVERIFY(install->second.mid > 10'000'000);
  QCOMPARE(cache->second.low, std::uint64_t(0));
  QCOMPARE(cache->second.mid, std::uint64_t(0));
  QVERIFY2(q(cache->first).contains("hard links") && q(cache->first).contains("stored once"), cache->first.c_str());
  // Reflinks (uv 0.10.5+ on an xfs or btrfs host) a layer stores as copies: the high end only.
  QVERIFY2(q(cache->first).contains("reflinks"), cache->first.c_str());
  QVERIFY(cache->second.high > 0 && cache->second.high <= install->second.high);
  QCOMPARE(d.layer.disk.mid, install->second.mid);
  QCOMPARE(d.layer.disk.low, install->second.low);
  // uv keeps its cache all the same: the note says what is in it and what is not counted.
  bool noted = false;
  for (const auto& n : d.layer.notes)
    noted |= q(n).startsWith("uv keeps its cache in /root/.cache/uv") && q(n).contains("not counted");
  QVERIFY(noted);

  // Hard links or symlinks named: nothing at all, said why.
  for (const char* mode : {"hardlink", "symlink"}) {
    const auto named =
        installLayer(std::string("RUN uv pip install --system --link-mode ") + mode + " numpy==1.26.4\n", 2);
    const auto* c = part(named.layer, "uv cache (/root/.cache/uv)");
    QVERIFY2(c, mode);
    QCOMPARE(c->second.high, std::uint64_t(0));
    QVERIFY2(q(c->first).contains("stored once") && q(c->first).contains(q(std::string("--link-mode ") + mode)),
             c->first.c_str());
    QCOMPARE(named.layer.disk.high, part(named.layer, "pip install: ")->second.high);
    QCOMPARE(named.packages.size(), std::size_t(1));  // the link mode is not taken for a package
  }
}

// UV_LINK_MODE=copy: the cache holds a second copy of every unpacked wheel, about the installed size
// (without the bytecode counted in the install part).
void TestEstimate::uvCacheCopyModeFromEnv() {
  const auto d = installLayer("ENV UV_LINK_MODE=copy\nRUN uv pip install --system numpy==1.26.4\n", 3);
  const auto* install = part(d.layer, "pip install: ");
  const auto* cache = part(d.layer, "uv cache (/root/.cache/uv)");
  QVERIFY(install && cache);
  QVERIFY2(q(cache->first).contains("UV_LINK_MODE=copy") && q(cache->first).contains("second copy"),
           cache->first.c_str());
  // uv compiles no bytecode by default: the cache's copy is the installed files again; with
  // --compile-bytecode the install has the .pyc files the cache does not.
  QCOMPARE(cache->second.mid, install->second.mid);
  const auto compiled = installLayer("ENV UV_LINK_MODE=copy\nRUN uv pip install --system --compile-bytecode numpy==1.26.4\n", 3);
  const auto* compiledInstall = part(compiled.layer, "pip install: ");
  const auto* compiledCache = part(compiled.layer, "uv cache (/root/.cache/uv)");
  QVERIFY(compiledInstall && compiledCache);
  QCOMPARE(compiledCache->second.mid, cache->second.mid);
  QVERIFY(compiledInstall->second.mid > install->second.mid);
  QVERIFY(cache->second.low > 0 && cache->second.low <= cache->second.mid && cache->second.mid <= cache->second.high);
  QCOMPARE(d.layer.disk.mid, install->second.mid + cache->second.mid);
}

void TestEstimate::uvCacheCopyModeOnCommand() {
  const auto env = installLayer("ENV UV_LINK_MODE=copy\nRUN uv pip install --system numpy==1.26.4\n", 3);
  const auto d = installLayer("RUN uv pip install --system --link-mode=copy numpy==1.26.4\n", 2);
  const auto* cache = part(d.layer, "uv cache (/root/.cache/uv)");
  QVERIFY(cache);
  QVERIFY2(q(cache->first).contains("--link-mode copy"), cache->first.c_str());
  QCOMPARE(cache->second.mid, part(env.layer, "uv cache (/root/.cache/uv)")->second.mid);
  QCOMPARE(d.layer.disk.mid, env.layer.disk.mid);
  // The command line wins over the ENV.
  const auto over =
      installLayer("ENV UV_LINK_MODE=copy\nRUN uv pip install --system --link-mode hardlink numpy==1.26.4\n", 3);
  QCOMPARE(part(over.layer, "uv cache (/root/.cache/uv)")->second.high, std::uint64_t(0));
}

// What keeps uv's cache out of the layer is uv's own: UV_NO_CACHE, a cache mount on its folder;
// pip's PIP_NO_CACHE_DIR is not read by uv.
void TestEstimate::uvCacheGoneOrKept() {
  const std::string install = "uv pip install --system --link-mode=copy numpy==1.26.4\n";
  QVERIFY(!part(installLayer("ENV UV_NO_CACHE=1\nRUN " + install, 3).layer, "uv cache"));
  QVERIFY(!part(installLayer("RUN --mount=type=cache,target=/root/.cache/uv " + install, 2).layer, "uv cache"));
  QVERIFY(!part(
      installLayer("ENV UV_CACHE_DIR=/opt/uv-cache\nRUN --mount=type=cache,target=/opt/uv-cache " + install, 3).layer,
      "uv cache"));
  QVERIFY(!part(installLayer("RUN " + install.substr(0, install.size() - 1) + " && rm -rf /root/.cache/uv\n", 2).layer,
                "uv cache"));
  const auto pipEnv = installLayer("ENV PIP_NO_CACHE_DIR=1\nRUN " + install, 3);
  const auto* kept = part(pipEnv.layer, "uv cache (/root/.cache/uv)");
  QVERIFY(kept && kept->second.mid > 0);
  QVERIFY(part(installLayer("RUN --mount=type=cache,target=/root/.cache/pip " + install, 2).layer,
               "uv cache (/root/.cache/uv)"));
}

// pip's HTTP cache keeps the downloaded wheel files: its part stays the download size.
void TestEstimate::pipCacheStillCounted() {
  const auto d = installLayer("RUN pip install numpy==1.26.4\n", 2);
  const auto* cache = part(d.layer, "pip cache (/root/.cache/pip)");
  QVERIFY(cache);
  QCOMPARE(d.packages.size(), std::size_t(1));
  const std::uint64_t download = d.packages[0].downloadBytes;
  QVERIFY(download > 10'000'000);
  QCOMPARE(cache->second.mid, download);
  QCOMPARE(cache->second.low, download * 9 / 10);
  QCOMPARE(cache->second.high, download * 12 / 10);
  const auto* install = part(d.layer, "pip install: ");
  QCOMPARE(d.layer.disk.mid, install->second.mid + download);
}

QTEST_APPLESS_MAIN(TestEstimate)
#include "test_estimate.moc"
