// "Compare with estimate": history text normalisation, instruction similarity,
// the alignment of image layers with estimated layers (base by position,
// Dockerfile layers by text), error figures, and mismatches reported.
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "embedded_resources.h"
#include "estimate/analysis.h"
#include "estimate/knowledge_embedded.h"
#include "image/compare.h"
#include "image/image.h"
#include "imagegen.h"
#include "testutil.h"

using namespace slimbench;
using namespace slimbench::image;
using imagegen::Entry;
namespace fs = std::filesystem;

namespace {

std::string fixture(const std::string& name) { return testutil::sourceDir() + "/tests/data/images/" + name; }

Image mustOpen(const std::string& path) {
  auto r = open(path, {});
  if (!r) qFatal("open %s failed: %s", path.c_str(), r.error().format().c_str());
  return std::move(*r);
}

void writeFile(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << data;
}

estimate::LayerEstimate est(const std::string& instruction, std::uint64_t low, std::uint64_t mid, std::uint64_t high,
                            bool fromBase = false, int line = 0) {
  estimate::LayerEstimate l;
  l.instruction = instruction;
  l.disk = {low, mid, high};
  l.fromBase = fromBase;
  l.line = line;
  l.source = "test";
  return l;
}

// An image whose layers each hold one file of `bytes` bytes, with the given history texts.
Image generated(const QTemporaryDir& tmp, const std::vector<std::pair<std::string, std::uint64_t>>& layers) {
  std::vector<imagegen::Layer> ls;
  nlohmann::json history = nlohmann::json::array();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    ls.push_back(imagegen::layer({Entry("layer" + std::to_string(i) + "/f", std::string(layers[i].second, 'x'))}));
    history.push_back({{"created_by", layers[i].first}});
  }
  auto path = fs::path(tmp.path().toStdString()) / "gen.tar";
  imagegen::writeTar(path, imagegen::dockerArchive(ls, imagegen::config(ls, history)));
  return mustOpen(path.string());
}

// A FROM scratch project recreating tests/data/images/tiny (see its README): same files, same instructions.
void writeTinyProject(const fs::path& dir) {
  writeFile(dir / "Dockerfile",
            "FROM scratch\n"
            "COPY l1/ /\n"
            "RUN rm /app/old.txt /app/cache/* && rewrite /app/data.bin\n"
            "COPY l3/ /\n");
  writeFile(dir / "l1/app/hello.txt", "hello\n");
  writeFile(dir / "l1/app/old.txt", "old file, removed in layer 2\n");
  writeFile(dir / "l1/app/data.bin", std::string(3000, 'x'));
  writeFile(dir / "l1/app/cache/a.txt", "a\n");
  writeFile(dir / "l1/app/cache/b.txt", "b\n");
  writeFile(dir / "l1/root/.cache/pip/wheel", std::string(1500, 'p'));
  writeFile(dir / "l3/tmp/demo-1.0-py3-none-any.whl", std::string(800, 'w'));
  writeFile(dir / "l3/usr/lib/python3/dist-packages/demo-1.0.dist-info/METADATA", "Name: demo\n");
}

}  // namespace

class TestImageCompare : public QObject {
  Q_OBJECT
 private slots:
  void normalize_data();
  void normalize();
  void similarity();
  void dockerfileLayersByText();
  void extraImageLayerReported();
  void missingImageLayerReported();
  void unrelatedImageDoesNotCrash();
  void uncataloguedBase();
  void tarBytesMeasure();
  void podmanFixtureAgainstProject();
  void json();
  void cliCompare();
  void exampleProject();
};

void TestImageCompare::normalize_data() {
  QTest::addColumn<QString>("in");
  QTest::addColumn<QString>("out");
  QTest::newRow("classic run") << "/bin/sh -c pip install  -r requirements.txt" << "RUN pip install -r requirements.txt";
  QTest::newRow("classic copy") << "/bin/sh -c #(nop) COPY dir:0123abcd in /app " << "COPY dir:0123abcd in /app";
  QTest::newRow("classic cmd") << "/bin/sh -c #(nop)  CMD [\"python\"]" << "CMD [\"python\"]";
  QTest::newRow("buildkit run") << "RUN /bin/sh -c apt-get update # buildkit" << "RUN apt-get update";
  QTest::newRow("buildkit args") << "RUN |2 A=1 B=two /bin/sh -c echo $A # buildkit" << "RUN echo $A";
  QTest::newRow("podman args") << "|1 PY=3.12 /bin/sh -c pip install x" << "RUN pip install x";
  QTest::newRow("buildkit copy") << "COPY requirements.txt . # buildkit" << "COPY requirements.txt .";
  QTest::newRow("buildkit exec run") << "RUN pip install x # buildkit" << "RUN pip install x";
  QTest::newRow("env is a command") << "/bin/sh -c env FOO=1 python -V" << "RUN env FOO=1 python -V";
  QTest::newRow("continuation") << "RUN apt-get update \\\n    && apt-get install -y gcc" << "RUN apt-get update && apt-get install -y gcc";
  QTest::newRow("buildah created-by") << "COPY l1/ /" << "COPY l1/ /";
  QTest::newRow("lower-case dockerfile") << "run pip install x" << "RUN pip install x";
}

void TestImageCompare::normalize() {
  QFETCH(QString, in);
  QFETCH(QString, out);
  QCOMPARE(QString::fromStdString(normalizeCreatedBy(in.toStdString())), out);
}

void TestImageCompare::similarity() {
  // The same RUN, as three builders record it.
  const char* df = "RUN pip install --no-cache-dir -r requirements.txt";
  QCOMPARE(instructionSimilarity("/bin/sh -c pip install --no-cache-dir -r requirements.txt", df), 1.0);
  QCOMPARE(instructionSimilarity("RUN /bin/sh -c pip install --no-cache-dir -r requirements.txt # buildkit", df), 1.0);
  QCOMPARE(instructionSimilarity("RUN --mount=type=cache,target=/root/.cache pip install --no-cache-dir -r requirements.txt", df), 1.0);
  // Different commands, different kinds.
  QVERIFY(instructionSimilarity("/bin/sh -c apt-get update && apt-get install -y gcc", df) < 0.34);
  QCOMPARE(instructionSimilarity("/bin/sh -c #(nop) COPY file:ab12 in /app/ ", df), 0.0);
  // COPY: the classic history keeps only the destination.
  QVERIFY(qFuzzyCompare(instructionSimilarity("/bin/sh -c #(nop) COPY dir:ab12 in /app ", "COPY . /app/"), 0.85));
  QVERIFY(qFuzzyCompare(instructionSimilarity("/bin/sh -c #(nop) COPY dir:ab12 in /srv ", "COPY . /app/"), 0.5));
  QCOMPARE(instructionSimilarity("COPY --chown=app:app . /app # buildkit", "COPY --chown=app:app . /app"), 1.0);
  QVERIFY(instructionSimilarity("ADD app.tar.gz /app", "COPY app.tar.gz /app") > 0.8);
  QCOMPARE(instructionSimilarity("", df), 0.0);
}

void TestImageCompare::dockerfileLayersByText() {
  QTemporaryDir tmp;
  Image img = generated(tmp, {{"ADD file:0ab in / ", 1000},
                              {"/bin/sh -c set -eux; apt-get update; apt-get install -y ca-certificates", 500},
                              {"/bin/sh -c #(nop) COPY file:77 in /app/requirements.txt ", 10},
                              {"/bin/sh -c pip install --no-cache-dir -r requirements.txt", 2000},
                              {"/bin/sh -c #(nop) COPY dir:99 in /app ", 300}});
  estimate::VariantEstimate e;
  e.layers = {est("RUN # debian.sh --arch 'amd64' out/ 'bookworm'", 900, 1000, 1100, true),
              est("RUN set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates curl", 400, 450, 600, true),
              est("COPY requirements.txt /app/requirements.txt", 10, 10, 10, false, 3),
              est("RUN pip install --no-cache-dir -r requirements.txt", 1500, 2500, 3000, false, 4),
              est("COPY . /app", 300, 300, 300, false, 5)};
  Comparison c = compare(img, e);
  QCOMPARE(c.rows.size(), std::size_t(5));
  QCOMPARE(c.matched, 5);
  QCOMPARE(c.unmatchedImage, 0);
  QCOMPARE(c.unmatchedEstimate, 0);
  for (int i = 0; i < 5; ++i) {
    QCOMPARE(c.rows[std::size_t(i)].imageLayer, i);
    QCOMPARE(c.rows[std::size_t(i)].estimateLayer, i);
  }
  QCOMPARE(c.rows[0].match, std::string("base-position"));
  QCOMPARE(c.rows[3].match, std::string("text"));
  QCOMPARE(c.rows[3].line, 4);
  QCOMPARE(c.rows[3].measuredBytes, std::uint64_t(2000));
  QVERIFY(c.rows[3].errorPercent);
  QVERIFY(qFuzzyCompare(*c.rows[3].errorPercent, 25.0));  // (2500 - 2000) / 2000
  QVERIFY(c.rows[3].withinRange);
  QVERIFY(qFuzzyCompare(*c.rows[1].errorPercent, -10.0));  // (450 - 500) / 500
  QVERIFY(c.rows[1].withinRange);
  QCOMPARE(*c.rows[4].errorPercent, 0.0);
  QCOMPARE(c.measuredTotal, std::uint64_t(3810));
  QCOMPARE(c.estimateTotal.mid, std::uint64_t(4260));
  QVERIFY(qFuzzyCompare(*c.errorPercent, (4260.0 - 3810.0) / 3810.0 * 100.0));
  QVERIFY(c.withinRange);
  QCOMPARE(formatError(c.rows[3].errorPercent), std::string("+25.0 %"));
  QCOMPARE(formatError(std::nullopt), std::string("n/a"));
}

void TestImageCompare::extraImageLayerReported() {
  // The image has a layer the Dockerfile does not (and a BuildKit-style WORKDIR layer).
  QTemporaryDir tmp;
  Image img = generated(tmp, {{"ADD file:0ab in / ", 1000},
                              {"WORKDIR /app", 0},
                              {"COPY requirements.txt . # buildkit", 10},
                              {"RUN /bin/sh -c echo surprise > /big # buildkit", 4000},
                              {"RUN /bin/sh -c pip install -r requirements.txt # buildkit", 2000}});
  estimate::VariantEstimate e;
  e.layers = {est("ADD file:xyz in /", 1000, 1000, 1000, true), est("COPY requirements.txt .", 10, 10, 10, false, 3),
              est("RUN pip install -r requirements.txt", 1800, 2000, 2200, false, 4)};
  Comparison c = compare(img, e);
  QCOMPARE(c.matched, 3);
  QCOMPARE(c.unmatchedImage, 2);
  QCOMPARE(c.unmatchedEstimate, 0);
  QCOMPARE(c.rows.size(), std::size_t(5));
  QCOMPARE(c.rows[1].imageLayer, 1);
  QCOMPARE(c.rows[1].estimateLayer, -1);   // WORKDIR: no estimate
  QCOMPARE(c.rows[3].imageLayer, 3);
  QCOMPARE(c.rows[3].estimateLayer, -1);   // the surprise
  QVERIFY(!c.rows[3].errorPercent);
  QCOMPARE(c.rows[4].estimateLayer, 2);
  QCOMPARE(*c.rows[4].errorPercent, 0.0);
  QCOMPARE(c.measuredTotal, std::uint64_t(7010));
  QCOMPARE(c.measuredMatched, std::uint64_t(3010));
  QCOMPARE(*c.errorPercentMatched, 0.0);
  QVERIFY(!c.withinRange);
  bool noted = false;
  for (const auto& n : c.notes) noted |= n.find("2 image layer(s) match no Dockerfile instruction") != std::string::npos;
  QVERIFY(noted);
}

void TestImageCompare::missingImageLayerReported() {
  QTemporaryDir tmp;
  Image img = generated(tmp, {{"ADD file:0ab in / ", 1000}, {"/bin/sh -c pip install flask", 2000}});
  estimate::VariantEstimate e;
  e.layers = {est("ADD file:xyz in /", 1000, 1000, 1000, true), est("RUN apt-get update && apt-get install -y gcc", 1, 5000, 9000, false, 2),
              est("RUN pip install flask", 1800, 2000, 2200, false, 3)};
  Comparison c = compare(img, e);
  QCOMPARE(c.matched, 2);
  QCOMPARE(c.unmatchedEstimate, 1);
  QCOMPARE(c.rows.size(), std::size_t(3));
  QCOMPARE(c.rows[1].imageLayer, -1);
  QCOMPARE(c.rows[1].estimateLayer, 1);
  QCOMPARE(c.rows[1].line, 2);
  QCOMPARE(c.rows[2].imageLayer, 1);
  QCOMPARE(c.rows[2].estimateLayer, 2);
}

void TestImageCompare::unrelatedImageDoesNotCrash() {
  QTemporaryDir tmp;
  Image img = generated(tmp, {{"", 10}, {"/bin/sh -c make world", 20}});
  estimate::VariantEstimate empty;
  Comparison c = compare(img, empty);
  QCOMPARE(c.matched, 0);
  QCOMPARE(c.unmatchedImage, 2);
  QCOMPARE(*c.errorPercent, -100.0);  // nothing estimated against 30 bytes measured
  estimate::VariantEstimate e;
  e.layers = {est("COPY . /app", 5, 5, 5, false, 2)};
  c = compare(img, e);
  QCOMPARE(c.matched, 0);
  QCOMPARE(c.unmatchedImage + c.unmatchedEstimate, 3);
  // Nothing on either side.
  Image none;
  c = compare(none, empty);
  QVERIFY(c.rows.empty());
  QCOMPARE(*c.errorPercent, 0.0);
}

void TestImageCompare::uncataloguedBase() {
  QTemporaryDir tmp;
  Image img = generated(tmp, {{"ADD file:0ab in / ", 1000}, {"/bin/sh -c #(nop) COPY dir:9 in /app ", 50}});
  estimate::VariantEstimate e;
  e.baseImage = "example.com/own/base:1";
  estimate::LayerEstimate ph = est("FROM example.com/own/base:1", 0, 0, 0, true);
  ph.source = "none";
  e.layers = {ph, est("COPY . /app", 50, 50, 50, false, 2)};
  Comparison c = compare(img, e);
  QCOMPARE(c.matched, 1);
  QCOMPARE(c.rows.size(), std::size_t(3));
  QCOMPARE(c.rows[0].imageLayer, 0);
  QCOMPARE(c.rows[0].estimateLayer, -1);
  QVERIFY(c.notes.front().find("not in the catalogue") != std::string::npos);
}

void TestImageCompare::tarBytesMeasure() {
  Image img = mustOpen(fixture("tiny.oci.tar"));
  estimate::VariantEstimate e;
  e.layers = {est("COPY l1/ /", 4539, 4539, 4539, false, 2)};
  CompareOptions tarOpt;
  tarOpt.measure = Measure::TarBytes;
  Comparison c = compare(img, e, tarOpt);
  QCOMPARE(c.measure, Measure::TarBytes);
  QCOMPARE(c.rows[0].measuredBytes, std::uint64_t(13312));  // podman history's size
  c = compare(img, e);
  QCOMPARE(c.rows[0].measuredBytes, std::uint64_t(4539));   // the files' bytes
  QCOMPARE(*c.rows[0].errorPercent, 0.0);
}

// The real podman fixture against a FROM scratch project that recreates it: the COPY layers are
// estimated from the same files, so they must come out exact; the RUN is matched by its text.
void TestImageCompare::podmanFixtureAgainstProject() {
  QTemporaryDir tmp;
  fs::path dir = tmp.path().toStdString();
  writeTinyProject(dir);

  auto project = estimate::openProject(dir.string());
  QVERIFY2(project.ok(), project ? "" : project.error().format().c_str());
  auto k = estimate::bundledKnowledge();
  QVERIFY(k.ok());
  auto a = estimate::analyze(*project, **k, {});
  QVERIFY(!a.variants.empty());
  const auto& e = a.variants[0].estimate;
  QCOMPARE(e.layers.size(), std::size_t(3));

  for (const char* f : {"tiny.docker.tar.gz", "tiny.oci.tar", "tiny.oci"}) {
    Image img = mustOpen(fixture(f));
    Comparison c = compare(img, e);
    QCOMPARE(c.matched, 3);
    QCOMPARE(c.unmatchedImage, 0);
    QCOMPARE(c.unmatchedEstimate, 0);
    QCOMPARE(c.rows[0].measuredBytes, std::uint64_t(6 + 29 + 3000 + 2 + 2 + 1500));
    QCOMPARE(c.rows[0].estimate.mid, c.rows[0].measuredBytes);
    QCOMPARE(*c.rows[0].errorPercent, 0.0);
    QVERIFY(c.rows[0].withinRange);
    QCOMPARE(c.rows[0].similarity, 1.0);
    QCOMPARE(c.rows[1].similarity, 1.0);
    QCOMPARE(c.rows[1].line, 3);
    QCOMPARE(c.rows[1].measuredBytes, std::uint64_t(2000 + 2));
    QCOMPARE(c.rows[2].measuredBytes, std::uint64_t(800 + 11));
    QCOMPARE(c.rows[2].estimate.mid, std::uint64_t(811));
    QCOMPARE(c.measuredTotal, std::uint64_t(4539 + 2002 + 811));
    QCOMPARE(c.estimateTotal.mid, e.disk.mid);
  }
}

void TestImageCompare::json() {
  QTemporaryDir tmp;
  Image img = generated(tmp, {{"/bin/sh -c pip install flask", 2000}, {"/bin/sh -c echo extra", 5}});
  estimate::VariantEstimate e;
  e.layers = {est("RUN pip install flask", 1000, 1500, 2500, false, 2)};
  auto j = toJson(compare(img, e));
  QCOMPARE(j["measure"].get<std::string>(), std::string("content-bytes"));
  QCOMPARE(j["rows"].size(), std::size_t(2));
  QCOMPARE(j["rows"][0]["errorPercent"].get<double>(), -25.0);
  QCOMPARE(j["rows"][0]["estimateBytes"]["mid"].get<std::uint64_t>(), std::uint64_t(1500));
  QVERIFY(j["rows"][1]["estimateLayer"].is_null());
  QVERIFY(j["rows"][1]["errorPercent"].is_null());
  QCOMPARE(j["total"]["measuredBytes"].get<std::uint64_t>(), std::uint64_t(2005));
  QCOMPARE(j["unmatchedImageLayers"].get<int>(), 1);
  QVERIFY(j["notes"].is_array());
}

// The bundled flask-app example (FROM python:3.12, WORKDIR, COPY . /app, RUN pip install) against an
// image laid out as podman builds it: the catalogued base's layers, then "#(nop) COPY dir:.. in /app" and
// the RUN (WORKDIR makes no layer in podman; a BuildKit-style WORKDIR layer is reported, not matched).
void TestImageCompare::exampleProject() {
  auto project = estimate::openProject(testutil::sourceDir() + "/resources/examples/flask-app");
  QVERIFY(project.ok());
  auto k = estimate::bundledKnowledge();
  QVERIFY(k.ok());
  auto a = estimate::analyze(*project, **k, {});
  const auto& e = a.variants[0].estimate;
  int nBase = 0;
  for (const auto& l : e.layers) nBase += l.fromBase ? 1 : 0;
  QVERIFY(nBase >= 3);
  QCOMPARE(int(e.layers.size()), nBase + 2);
  std::vector<std::pair<std::string, std::uint64_t>> layers;
  for (int i = 0; i < nBase; ++i) layers.push_back({i == 0 ? "/bin/sh -c #(nop) ADD file:5ab in / " : "/bin/sh -c set -eux; apt-get update", 100});
  layers.push_back({"WORKDIR /app", 0});
  layers.push_back({"/bin/sh -c #(nop) COPY dir:07c7d40161 in /app ", 300});
  layers.push_back({"/bin/sh -c pip install -r requirements.txt", 5000});
  QTemporaryDir tmp;
  Image img = generated(tmp, layers);
  Comparison c = compare(img, e);
  QCOMPARE(c.matched, nBase + 2);
  QCOMPARE(c.unmatchedImage, 1);
  QCOMPARE(c.unmatchedEstimate, 0);
  for (int i = 0; i < nBase; ++i) QCOMPARE(c.rows[std::size_t(i)].match, std::string("base-position"));
  QCOMPARE(c.rows[std::size_t(nBase)].estimateLayer, -1);  // WORKDIR
  QCOMPARE(c.rows[std::size_t(nBase) + 1].line, 5);
  QCOMPARE(c.rows[std::size_t(nBase) + 1].similarity, 0.85);
  QCOMPARE(c.rows[std::size_t(nBase) + 2].line, 6);
  QCOMPARE(c.rows[std::size_t(nBase) + 2].similarity, 1.0);
  QVERIFY(*c.rows[std::size_t(nBase) + 2].errorPercent > 100.0);  // 5 kB measured vs the real packages' estimate
  QCOMPARE(c.estimateTotal.mid, e.disk.mid);
}

// slimbench inspect IMAGE --compare PROJECT: the table and the JSON object.
void TestImageCompare::cliCompare() {
  const QString bin = qEnvironmentVariable("SLIMBENCH_BINARY");
  if (bin.isEmpty() || !QFileInfo::exists(bin)) QSKIP("SLIMBENCH_BINARY not set (run through ctest)");
  QTemporaryDir tmp;
  writeTinyProject(tmp.path().toStdString());
  auto run = [&](const QStringList& args, int& rc) {
    QProcess p;
    p.start(bin, args);
    p.waitForFinished(120000);
    rc = p.exitCode();
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
  };
  int rc = -1;
  QString out = run({"inspect", QString::fromStdString(fixture("tiny.oci.tar")), "--compare", tmp.path()}, rc);
  QCOMPARE(rc, 0);
  QVERIFY2(out.contains("Compared with the estimate of"), qPrintable(out));
  QVERIFY2(out.contains("+0.0 %"), qPrintable(out));
  QVERIFY2(out.contains("3 matched, 0 only in the image, 0 only in the estimate"), qPrintable(out));
  out = run({"inspect", "--json", "--measure", "tar", QString::fromStdString(fixture("tiny.oci.tar")), "--compare",
             tmp.filePath("Dockerfile")},
            rc);
  QCOMPARE(rc, 0);
  auto j = nlohmann::json::parse(out.toStdString());
  QCOMPARE(j["comparison"]["measure"].get<std::string>(), std::string("tar-bytes"));
  QCOMPARE(j["comparison"]["rows"].size(), std::size_t(3));
  QCOMPARE(j["comparison"]["rows"][0]["measuredBytes"].get<std::uint64_t>(), std::uint64_t(13312));
  QCOMPARE(j["comparison"]["matched"].get<int>(), 3);
  QVERIFY(j["comparison"]["dockerfile"].get<std::string>().ends_with("Dockerfile"));
  // Bad input: a message and exit 1 (missing project), 2 (usage).
  out = run({"inspect", QString::fromStdString(fixture("tiny.oci.tar")), "--compare", tmp.filePath("nope")}, rc);
  QCOMPARE(rc, 1);
  out = run({"inspect", QString::fromStdString(fixture("tiny.oci.tar")), "--measure", "weird"}, rc);
  QCOMPARE(rc, 2);
}

QTEST_GUILESS_MAIN(TestImageCompare)
#include "test_image_compare.moc"
