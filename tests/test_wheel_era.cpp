// "Wheels as before musllinux" (PEP 656, 2021): with the switch, pip on musl accepts no musllinux
// tag, so numpy and pandas go from musllinux wheels to builds from source on Alpine: the compile
// times of catalogue/build-knowledge.json join the build time, the Alpine variant installs the
// build tools the compile needs, and the runtime libraries stay in the image. Debian (glibc)
// variants are not touched.
#include <QtTest>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "embedded_resources.h"
#include "estimate/analysis.h"
#include "estimate/analysis_json.h"
#include "knowledge.h"
#include "python/wheel.h"
#include "testutil.h"

using namespace slimbench;
namespace fs = std::filesystem;

namespace {
const estimate::VariantResult& variant(const estimate::Analysis& a, generate::VariantKind k) {
  for (const auto& v : a.variants)
    if (v.kind == k) return v;
  qFatal("variant missing");
}
const estimate::PythonPackage* package(const estimate::VariantResult& v, const std::string& name) {
  for (const auto& p : v.estimate.packages)
    if (p.name == name) return &p;
  return nullptr;
}
// The titles of the compile-time records of the bundled build knowledge.
std::vector<std::string> compileSourceTitles() {
  auto text = resources::find("catalogue/build-knowledge.json");
  if (!text) qFatal("build-knowledge.json missing");
  auto j = nlohmann::json::parse(text->begin(), text->end());
  std::vector<std::string> out;
  for (const auto& r : j["compile_times"])
    if (r.contains("source") && r["source"].is_object()) out.push_back(r["source"]["title"].get<std::string>());
  return out;
}
}  // namespace

class TestWheelEra : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void tagsBeforeMusllinux();
  void numpyPandasCompileOnAlpineOnly();
  void dockerfileThatKeepsItsCompilers();
  void cliSaysTheEra();

 private:
  QTemporaryDir dir_;
  estimate::Analysis now_, then_;
};

void TestWheelEra::initTestCase() {
  QVERIFY(dir_.isValid());
  const fs::path d = dir_.path().toStdString();
  // A plain project on Debian slim: the Alpine variant is slimbench's.
  std::ofstream(d / "Dockerfile") << "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                                     "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
  std::ofstream(d / "requirements.txt") << "numpy\npandas\n";
  std::ofstream(d / "app.py") << "import pandas\n";
  auto p = estimate::openProject(d.string());
  QVERIFY(p.ok());
  estimate::AnalysisOptions o;
  now_ = estimate::analyze(*p, *testutil::knowledge(), o);
  o.settings.wheelsBeforeMusllinux = true;
  then_ = estimate::analyze(*p, *testutil::knowledge(), o);
}

void TestWheelEra::tagsBeforeMusllinux() {
  python::Target musl;
  musl.libc = python::Libc::Musl;
  musl.libcVersion = "1.2";
  auto has = [](const std::vector<python::Tag>& tags, const std::string& prefix) {
    for (const auto& t : tags)
      if (t.platform.rfind(prefix, 0) == 0) return true;
    return false;
  };
  auto anyPure = [](const std::vector<python::Tag>& tags) {
    for (const auto& t : tags)
      if (t.interpreter == "py3" && t.abi == "none" && t.platform == "any") return true;
    return false;
  };
  QVERIFY(has(python::compatibleTags(musl), "musllinux_1_2"));
  musl.musllinuxWheels = false;
  const auto before = python::compatibleTags(musl);
  QVERIFY(!has(before, "musllinux"));
  QVERIFY(!has(before, "manylinux"));
  QVERIFY(anyPure(before));  // pure wheels still install
  // A musllinux-only release then falls back to its sdist.
  python::Release r;
  r.name = "x";
  r.version = "1";
  r.sdistSize = 1000;
  r.wheels = {{"x-1-cp312-cp312-musllinux_1_2_x86_64.whl", 900}, {"x-1-cp312-cp312-manylinux_2_17_x86_64.whl", 800}};
  musl.musllinuxWheels = true;
  QCOMPARE(python::selectDistribution(r, musl).kind, python::Selection::Wheel);
  musl.musllinuxWheels = false;
  QCOMPARE(python::selectDistribution(r, musl).kind, python::Selection::Sdist);
  // glibc ignores the switch.
  python::Target glibc;
  python::Target glibcOld = glibc;
  glibcOld.musllinuxWheels = false;
  QCOMPARE(python::compatibleTags(glibc).size(), python::compatibleTags(glibcOld).size());
  QCOMPARE(python::selectDistribution(r, glibcOld).wheel.filename, std::string("x-1-cp312-cp312-manylinux_2_17_x86_64.whl"));
}

void TestWheelEra::numpyPandasCompileOnAlpineOnly() {
  using generate::VariantKind;
  const auto& aNow = variant(now_, VariantKind::Alpine);
  const auto& aThen = variant(then_, VariantKind::Alpine);
  QVERIFY(!aNow.parseError && !aThen.parseError);
  const auto titles = compileSourceTitles();
  double meanMinutes = 0;
  for (const char* name : {"numpy", "pandas"}) {
    const auto* pn = package(aNow, name);
    const auto* pt = package(aThen, name);
    QVERIFY2(pn && pt, name);
    // Today: a musllinux wheel, nothing compiled.
    QVERIFY2(!pn->compiles && pn->distribution.find("musllinux") != std::string::npos, pn->distribution.c_str());
    // Then: built from the sdist, with a compile time from the stated catalogue, and the era said.
    QVERIFY2(pt->compiles && pt->distribution == "sdist", pt->distribution.c_str());
    QVERIFY(pt->compileMinutesHigh >= pt->compileMinutesLow && pt->compileMinutesLow > 0);
    bool cited = false;
    for (const auto& t : titles) cited = cited || pt->compileSource.find(t) != std::string::npos;
    QVERIFY2(cited, pt->compileSource.c_str());
    QVERIFY2(pt->reason.find("PEP 656") != std::string::npos, pt->reason.c_str());
    meanMinutes += (pt->compileMinutesLow + pt->compileMinutesHigh) / 2;
  }
  // The build time rises by the compile model's minutes (cores = 2: no scaling); downloads differ a little.
  QVERIFY2(aThen.estimate.buildSecondsCold >= aNow.estimate.buildSecondsCold + 0.9 * meanMinutes * 60,
           qPrintable(QString("%1 s then, %2 s now, %3 min of compiles").arg(aThen.estimate.buildSecondsCold)
                          .arg(aNow.estimate.buildSecondsCold).arg(meanMinutes)));
  // The variant installs the build tools the compile needs (build-knowledge: build-base), which it did not
  // need today; as a build-only virtual package removed in the same RUN, so they reach no layer.
  QVERIFY(then_.needs.alpineCompiles && !now_.needs.alpineCompiles);
  QVERIFY(aThen.dockerfile.find("--virtual .build-deps build-base") != std::string::npos);
  QVERIFY(aThen.dockerfile.find("apk del .build-deps") != std::string::npos);
  QVERIFY(aNow.dockerfile.find("build-base") == std::string::npos);
  // What stays is what the compiled code links against (libstdc++, libgcc): a part of the install
  // layer then, none today.
  auto apkPart = [](const estimate::VariantResult& v) -> std::uint64_t {
    for (const auto& l : v.estimate.layers)
      for (const auto& [what, r] : l.parts)
        if (what.rfind("apk add", 0) == 0) return r.mid;
    return 0;
  };
  QVERIFY(aThen.dockerfile.find("apk add --no-cache libstdc++ libgcc") != std::string::npos);
  QVERIFY(apkPart(aThen) > 0);
  QCOMPARE(apkPart(aNow), std::uint64_t(0));
  // SB105 (no wheel for the target) names the packages only then.
  auto sb105 = [](const estimate::VariantResult& v) {
    for (const auto& f : v.findings)
      if (f.ruleId == "SB105") return true;
    return false;
  };
  QVERIFY(sb105(aThen));
  QVERIFY(!sb105(aNow));
  // The Debian variants are the same in both eras: text, sizes, times, packages.
  for (auto k : {VariantKind::Original, VariantKind::Fat, VariantKind::Slim, VariantKind::MultiStage, VariantKind::BuildKit}) {
    const auto& n = variant(now_, k);
    const auto& t = variant(then_, k);
    QCOMPARE(t.dockerfile, n.dockerfile);
    QCOMPARE(t.estimate.disk.mid, n.estimate.disk.mid);
    QCOMPARE(t.estimate.compressed.mid, n.estimate.compressed.mid);
    QCOMPARE(t.estimate.buildSecondsCold, n.estimate.buildSecondsCold);
    QCOMPARE(t.estimate.packages.size(), n.estimate.packages.size());
    for (const auto& p : t.estimate.packages) QVERIFY(!p.compiles);
  }
  // The JSON says which era its figures describe.
  QCOMPARE(estimate::analysisJson(then_)["settings"]["wheelsBeforeMusllinux"].get<bool>(), true);
  QCOMPARE(estimate::analysisJson(now_)["settings"]["wheelsBeforeMusllinux"].get<bool>(), false);
}

// An Alpine Dockerfile of the time, which installs its compilers in a layer of their own
// (resources/examples/datascience-app): the compilers are in the image in both eras (SB104), but
// only then does pip use them, and the build takes the compile times.
void TestWheelEra::dockerfileThatKeepsItsCompilers() {
  auto p = estimate::openProject(testutil::sourceDir() + "/resources/examples/datascience-app");
  QVERIFY(p.ok());
  estimate::AnalysisOptions o;
  const auto now = estimate::analyze(*p, *testutil::knowledge(), o);
  o.settings.wheelsBeforeMusllinux = true;
  const auto then = estimate::analyze(*p, *testutil::knowledge(), o);
  const auto& n = variant(now, generate::VariantKind::Original);
  const auto& t = variant(then, generate::VariantKind::Original);
  QVERIFY(n.estimate.compilerInFinal && t.estimate.compilerInFinal);
  int compiledNow = 0, compiledThen = 0;
  for (const auto& pk : n.estimate.packages) compiledNow += pk.compiles;
  for (const auto& pk : t.estimate.packages) compiledThen += pk.compiles;
  QCOMPARE(compiledNow, 0);
  QVERIFY(compiledThen >= 3);  // numpy, pandas, scipy
  // scipy's compile time on musl is not published: the build time is a lower bound then, and says why.
  QVERIFY(t.estimate.coldLowerBound && !n.estimate.coldLowerBound);
  bool scipy = false;
  for (const auto& u : t.estimate.timeUnknowns) scipy = scipy || u.find("scipy") != std::string::npos;
  QVERIFY(scipy);
  double compileSeconds = 0;
  for (const auto& pk : t.estimate.packages) compileSeconds += (pk.compileMinutesLow + pk.compileMinutesHigh) / 2 * 60;
  QVERIFY(compileSeconds > 0);
  QVERIFY(t.estimate.buildSecondsCold >= n.estimate.buildSecondsCold + 0.9 * compileSeconds);
}

// `slimbench analyze --wheels-before-musllinux` prints the era; without it, no era line.
void TestWheelEra::cliSaysTheEra() {
  const QString bin = qEnvironmentVariable("SLIMBENCH_BINARY");
  if (bin.isEmpty()) QSKIP("SLIMBENCH_BINARY not set (run through ctest)");
  auto run = [&](const QStringList& extra) {
    QProcess p;
    p.start(bin, QStringList{"analyze", dir_.path()} + extra);
    p.waitForFinished(300000);
    return std::make_pair(p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()));
  };
  const auto [rcThen, then] = run({"--wheels-before-musllinux"});
  QCOMPARE(rcThen, 0);
  QVERIFY2(then.contains("Era: wheels as before musllinux (PEP 656, 2021)"), qPrintable(then.left(600)));
  const auto [rcNow, now] = run({});
  QCOMPARE(rcNow, 0);
  QVERIFY(!now.contains("Era:"));
  const auto [rcHelp, help] = run({"--help"});
  QCOMPARE(rcHelp, 0);
  QVERIFY(help.contains("--wheels-before-musllinux"));
}

QTEST_GUILESS_MAIN(TestWheelEra)
#include "test_wheel_era.moc"
