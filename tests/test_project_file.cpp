// The user's own figures: --layer-size / --package-size and slimbench.toml beside the Dockerfile.
// A figure given for what slimbench does not know replaces the unknown, is shown as "given", and
// the same step in every variant takes it; bad files are refused with file:line.
#include <QtTest>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>

#include "estimate/analysis.h"
#include "estimate/project_file.h"
#include "knowledge.h"
#include "testutil.h"

using namespace slimbench;
namespace fs = std::filesystem;
using testutil::knowledge;

namespace {

struct Dir {
  QTemporaryDir dir;
  std::string path(const std::string& rel) const { return (fs::path(dir.path().toStdString()) / rel).string(); }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories(fs::path(path(rel)).parent_path());
    std::ofstream(path(rel), std::ios::binary) << text;
  }
};

const char* kDockerfile =
    "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
    "COPY . .\nRUN ./build-assets.sh\nCMD [\"python\", \"app.py\"]\n";

estimate::Analysis analyzeDir(const Dir& d, estimate::AnalysisOptions opt = {}) {
  auto p = estimate::openProject(d.dir.path().toStdString());
  if (!p) qFatal("%s", p.error().format().c_str());
  opt.threads = 1;
  return estimate::analyze(*p, *knowledge(), opt);
}

const estimate::LayerEstimate* layerAt(const estimate::VariantResult& v, int line) {
  for (const auto& l : v.estimate.layers)
    if (l.line == line) return &l;
  return nullptr;
}

}  // namespace

class TestProjectFile : public QObject {
  Q_OBJECT
 private slots:
  void readsEveryTable();
  void roundTrip();
  void missingFileIsEmpty();
  void layerSizeEdit();
  void badFilesSayWhere_data();
  void badFilesSayWhere();
  void commandLineWins();
  void givenFiguresReplaceUnknowns();
  void givenLayerReachesVariants();
  void lineWithoutLayerWarns();
};

void TestProjectFile::readsEveryTable() {
  Dir d;
  d.write("slimbench.toml",
          "[sizes.layers]\n12 = \"35 MB\"\n[sizes.packages]\nInternal_Lib = 4096\n[sizes.base]\n\"registry.example.com/base:1.4\" = \"350MiB\"\n"
          "[base-images]\n\"registry.example.com/base:1.4\" = \"images/base.tar\"\n");
  auto f = estimate::readProjectFile(d.path("slimbench.toml"));
  QVERIFY2(f, f ? "" : f.error().format().c_str());
  QCOMPARE(f->layerSizes.at(12), std::uint64_t{35'000'000});
  QCOMPARE(f->packageSizes.at("Internal_Lib"), std::uint64_t{4096});
  QCOMPARE(f->baseSizes.at("registry.example.com/base:1.4"), std::uint64_t{350} * 1024 * 1024);
  QCOMPARE(f->baseImages.at("registry.example.com/base:1.4"), d.path("images/base.tar"));  // relative to the file
}

void TestProjectFile::roundTrip() {
  estimate::ProjectFile f;
  f.layerSizes[7] = 1234;
  f.packageSizes["a \"quoted\" name"] = 99;
  f.baseSizes["ghcr.io/x/y:1"] = 5;
  Dir d;
  d.write("slimbench.toml", estimate::projectFileText(f));
  auto back = estimate::readProjectFile(d.path("slimbench.toml"));
  QVERIFY2(back, back ? "" : back.error().format().c_str());
  QCOMPARE(back->layerSizes, f.layerSizes);
  QCOMPARE(back->packageSizes, f.packageSizes);
  QCOMPARE(back->baseSizes, f.baseSizes);
}

// The window's edit of one layer size: that line of [sizes.layers] only, comments kept; clearing
// removes it; a file without the table gets it.
void TestProjectFile::layerSizeEdit() {
  const std::string text = "# mine\n[rules]\nSB102 = \"off\"\n\n[sizes.layers]  # my sizes\n6 = \"1MB\"\n";
  auto set = estimate::withProjectLayerSize(text, "slimbench.toml", 9, 2'000'000);
  QVERIFY(set);
  auto f = estimate::parseProjectFile(*set, "slimbench.toml");
  QVERIFY(f);
  QCOMPARE(f->layerSizes.at(9), std::uint64_t{2'000'000});
  QCOMPARE(f->layerSizes.at(6), std::uint64_t{1'000'000});
  QVERIFY(set->find("# mine") != std::string::npos && set->find("# my sizes") != std::string::npos);
  auto cleared = estimate::withProjectLayerSize(*set, "slimbench.toml", 6, std::nullopt);
  QVERIFY(cleared);
  auto g = estimate::parseProjectFile(*cleared, "slimbench.toml");
  QVERIFY(g && !g->layerSizes.count(6) && g->layerSizes.count(9));
  auto fresh = estimate::withProjectLayerSize("", "slimbench.toml", 3, 5);
  QVERIFY(fresh);
  auto h = estimate::parseProjectFile(*fresh, "slimbench.toml");
  QVERIFY(h && h->layerSizes.at(3) == 5);
}

void TestProjectFile::missingFileIsEmpty() {
  Dir d;
  auto f = estimate::readProjectFile(d.path("slimbench.toml"));
  QVERIFY(f && f->empty());
}

void TestProjectFile::badFilesSayWhere_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<int>("line");
  QTest::addColumn<QString>("expected");
  QTest::newRow("not toml") << "[sizes.layers\n" << 1 << "invalid TOML";
  QTest::newRow("line key") << "[sizes.layers]\nabc = \"1MB\"\n" << 2 << "line number";
  QTest::newRow("zero line") << "\n[sizes.layers]\n0 = \"1MB\"\n" << 3 << "line number";
  QTest::newRow("bad unit") << "[sizes.packages]\nx = \"12 parsecs\"\n" << 2 << "x:";
  QTest::newRow("negative") << "[sizes.packages]\nx = -5\n" << 2 << "negative";
  QTest::newRow("not a size") << "[sizes.base]\nx = true\n" << 2 << "expected a size";
  QTest::newRow("unknown table") << "[sizez]\nx = 1\n" << 1 << "unknown table";
  QTest::newRow("unknown sizes table") << "[sizes.layer]\n1 = 1\n" << 1 << "expected the table";
  QTest::newRow("archive not a string") << "[base-images]\nx = 3\n" << 2 << "saved image";
}

void TestProjectFile::badFilesSayWhere() {
  QFETCH(QString, text);
  QFETCH(int, line);
  QFETCH(QString, expected);
  Dir d;
  d.write("slimbench.toml", text.toStdString());
  auto f = estimate::readProjectFile(d.path("slimbench.toml"));
  QVERIFY(!f);
  QCOMPARE(f.error().where.line, line);
  QVERIFY2(f.error().format().find(expected.toStdString()) != std::string::npos, f.error().format().c_str());
  QVERIFY(f.error().format().find("slimbench.toml") != std::string::npos);
}

void TestProjectFile::commandLineWins() {
  estimate::ProjectFile f;
  f.layerSizes[6] = 100;
  f.packageSizes["My_Lib"] = 200;
  estimate::AnalysisOptions o;
  o.settings.layerSizes.push_back({6, {}, 1});
  o.settings.packageSizes["my-lib"] = 2;
  estimate::mergeProjectFile(f, o);
  QCOMPARE(o.settings.layerSizes.size(), std::size_t{1});
  QCOMPARE(o.settings.layerSizes[0].bytes, std::uint64_t{1});
  QCOMPARE(o.settings.packageSizes.at("my-lib"), std::uint64_t{2});  // names normalised (PEP 503)
  estimate::AnalysisOptions fresh;
  estimate::mergeProjectFile(f, fresh);
  QCOMPARE(fresh.settings.packageSizes.at("my-lib"), std::uint64_t{200});
}

void TestProjectFile::givenFiguresReplaceUnknowns() {
  Dir d;
  d.write("Dockerfile", kDockerfile);
  d.write("requirements.txt", "flask\nmy-internal-lib==1.0\n");
  const auto before = analyzeDir(d);
  const auto& b = before.variants[0];
  QVERIFY(b.estimate.disk.open);
  QCOMPARE(layerAt(b, 4)->basis, estimate::Basis::Unknown);
  QCOMPARE(layerAt(b, 6)->basis, estimate::Basis::Unknown);

  estimate::AnalysisOptions o;
  o.settings.packageSizes["my-internal-lib"] = 4'000'000;
  o.settings.layerSizes.push_back({6, {}, 12'000'000});
  const auto after = analyzeDir(d, o);
  const auto& a = after.variants[0];
  QVERIFY2(!a.estimate.disk.open, "every unknown has a figure now: the total is not a lower bound");
  QCOMPARE(layerAt(a, 4)->basis, estimate::Basis::Given);
  QCOMPARE(layerAt(a, 6)->basis, estimate::Basis::Given);
  QCOMPARE(layerAt(a, 6)->disk.mid, std::uint64_t{12'000'000});
  QCOMPARE(std::string(estimate::basisId(estimate::Basis::Given)), std::string("given"));
  // The pip layer grew by exactly the given package.
  QCOMPARE(layerAt(a, 4)->disk.mid, layerAt(b, 4)->disk.mid + 4'000'000);
  for (const auto& u : a.estimate.unknowns) QVERIFY2(u.find("line 6") == std::string::npos, u.c_str());
}

void TestProjectFile::givenLayerReachesVariants() {
  Dir d;
  d.write("Dockerfile", kDockerfile);
  d.write("requirements.txt", "flask\n");
  estimate::AnalysisOptions o;
  o.settings.layerSizes.push_back({6, {}, 12'000'000});
  const auto a = analyzeDir(d, o);
  int variantsWithStep = 0;
  for (const auto& v : a.variants) {
    for (const auto& l : v.estimate.layers)
      if (l.instruction.str() == "RUN ./build-assets.sh") {
        ++variantsWithStep;
        QCOMPARE(l.basis, estimate::Basis::Given);
        QCOMPARE(l.disk.mid, std::uint64_t{12'000'000});
      }
  }
  QVERIFY(variantsWithStep >= 4);
}

void TestProjectFile::lineWithoutLayerWarns() {
  Dir d;
  d.write("Dockerfile", kDockerfile);
  d.write("requirements.txt", "flask\n");
  estimate::AnalysisOptions o;
  o.settings.layerSizes.push_back({2, {}, 5});  // WORKDIR makes no layer
  const auto a = analyzeDir(d, o);
  QCOMPARE(a.settingWarnings.size(), std::size_t{1});
  QVERIFY(a.settingWarnings[0].find("line 2") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestProjectFile)
#include "test_project_file.moc"
