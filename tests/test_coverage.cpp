// Unknown is never zero: what the estimate cannot size is marked unknown and makes
// totals lower bounds; what stands in for something else is a proxy; the stage graph
// (FROM stage chains, FROM scratch + COPY --from, COPY --from PATH) and the build
// context are followed.
#include <QtTest>
#include <QTemporaryDir>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "estimate/analysis.h"
#include "estimate/knowledge_embedded.h"
#include "knowledge.h"
#include "testutil.h"

using namespace slimbench;
using estimate::Basis;
using testutil::q;
namespace fs = std::filesystem;

namespace {
using testutil::knowledge;

void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// The user's Dockerfile of a project made in `dir` from the given files, analysed.
estimate::Analysis analyzeAt(const fs::path& dir, const std::string& dockerfileRel = "Dockerfile", estimate::AnalysisOptions opt = {}) {
  auto p = estimate::openProject((dir / dockerfileRel).string());
  if (!p) qFatal("%s", p.error().format().c_str());
  return estimate::analyze(*p, *knowledge(), opt);
}

// A project of this Dockerfile alone, analysed (its folder is gone when this returns).
estimate::Analysis analyzeDockerfile(const std::string& text) {
  QTemporaryDir tmp;
  writeFile(fs::path(tmp.path().toStdString()) / "Dockerfile", text);
  return analyzeAt(tmp.path().toStdString());
}

estimate::VariantEstimate estimateText(const std::string& text, estimate::Settings settings = {}) {
  auto tree = dockerfile::parse(text, "Dockerfile");
  if (!tree) qFatal("%s", tree.error().format().c_str());
  auto model = dockerfile::buildModel(*tree, "Dockerfile", {});
  estimate::Inputs in;
  in.catalogues = &knowledge()->catalogues;
  in.settings = settings;
  auto k = knowledge();
  in.pip = [k](const estimate::PipRequest& r) { return k->pip->plan(r, "."); };
  return estimate::estimateModel(model, in);
}

const estimate::LayerEstimate* layerAt(const estimate::VariantEstimate& e, int line) {
  for (const auto& l : e.layers)
    if (l.line == line) return &l;
  return nullptr;
}

// The pip plan of one requirement for CPython 3.11 (glibc, amd64), with or without the bytecode pip compiles.
estimate::PipPlan planOf(const std::string& spec, bool bytecode) {
  estimate::PipRequest r;
  r.packages = {spec};
  r.python = "3.11";
  r.bytecode = bytecode;
  return knowledge()->pip->plan(r, ".");
}

std::uint64_t catalogued(const std::string& tag) {
  const auto* b = knowledge()->bases.find(tag, "amd64");
  return b && b->diskTotal ? *b->diskTotal : 0;
}
}  // namespace

class TestCoverage : public QObject {
  Q_OBJECT
 private slots:
  void aptOfWholeArchiveIsKnown();
  void debianCataloguesLoadLazily();
  void unknownBaseIsLowerBound();
  void uncataloguedBaseReleaseFromTag();
  void baseSizeSupplied();
  void parseSizeUnits_data();
  void parseSizeUnits();
  void unrecognisedRunIsUnknown();
  void aptOnNonDebianIsUnknown();
  void scratchCopiesWholeStage();
  void copyFromStagePath();
  void copyFromExternalImageUnknown();
  void chownOfProjectUnderUsrSrc();
  void projectFolderFollowsCd();
  void copyOfEmptyFilesSaysWhy();
  void editOfFileWrittenInSameRun();
  void fileWrittenInEarlierRunIsKnown();
  void unmodelledCommandsNamedPlainly();
  void unknownRequirementLeavesWorkdirKnown();
  void noWheelSaidOncePerDistribution();
  void proxySaidOncePerLayer();
  void cachesClearedByTheirTools();
  void emptyVersionArgNamed();
  void chownOfOwnFilesAddsNothing();
  void layerNotesSaidOnce();
  void thirdPartyAptRepositoryNamed();
  void uvSourcesTorchFromPyTorchIndex();
  void uvSyncAllExtrasAndGroups();
  void poetryInstallGroups();
  void wheelFolderGlobInstalls();
  void unmodelledStepMayHaveWritten();
  void copyFromPartOfLargerWrite();
  void fourStageSeed();
  void uvImageFilesCatalogued();
  void targetArchBranches();
  void chownRecursiveCountsAgain();
  void cheapCommandsNearZero();
  void pipAlreadySatisfied();
  void recommendsCounted();
  void measuredWheelSizesItself();
  void measuredRatioStandsInForOtherVersions();
  void bytecodeOnlyWhereTheInstallerCompiles();
  void uvSyncGroupsAndWorkspaceMember();
  void lockedTorchFromPyTorchIndex();
  void condaAndDownloadsUnknown();
  void venvSeedsPip();
  void corpusPatterns();
  void contextFromSubfolder();
  void rootSourceIsTheWholeContext();
  void getPipBootstrapSized();
  void missingCopySourceIsUnknown();
  void compileTimeUnknownMakesLowerBound();
  void pinnedVersionProxy();
  void examplesNeverSilentZero();
};

// With the whole Debian archive bundled, apt-get install of packages outside the old seed
// closure is sized on python:3.12-slim (trixie), not left unknown.
void TestCoverage::aptOfWholeArchiveIsKnown() {
  const std::vector<std::string> pkgs = {"sqlite3", "sudo",          "gettext", "nginx",  "libcurl4", "libmagic1",
                                         "supervisor", "poppler-utils", "tini",    "nodejs", "npm",      "postgresql-client"};
  std::string all;
  for (const auto& p : pkgs) {
    all += " " + p;
    auto e = estimateText("FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends " + p +
                          " && rm -rf /var/lib/apt/lists/*\n");
    const auto* l = layerAt(e, 2);
    QVERIFY(l);
    QVERIFY2(l->unknownParts.empty(), qPrintable(QString::fromStdString(p + ": " + (l->unknownParts.empty() ? "" : l->unknownParts.front().str()))));
    QVERIFY2(l->basis != Basis::Unknown, p.c_str());
    QVERIFY2(l->disk.mid > 0, p.c_str());
    QCOMPARE(e.coverage.unknownCount, 0);
  }
  auto e = estimateText("FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends" + all +
                        " && rm -rf /var/lib/apt/lists/*\n");
  const auto* l = layerAt(e, 2);
  QVERIFY(l && l->unknownParts.empty());
  QVERIFY2(l->disk.mid > 100'000'000, qPrintable(QString::number(l->disk.mid)));  // nodejs + npm alone are ~100 MB
}

// Loading the knowledge reads no Debian package table; an analysis loads only its own suite/arch.
void TestCoverage::debianCataloguesLoadLazily() {
  auto k = estimate::bundledKnowledge();
  QVERIFY(k);
  const auto& deb = (*k)->catalogues.debian;
  QCOMPARE(deb.size(), std::size_t(6));
  for (const auto& [key, c] : deb) QVERIFY2(!c.tableLoaded(), key.c_str());
  auto tree = dockerfile::parse("FROM python:3.12-slim-bookworm\nRUN apt-get update && apt-get install -y sqlite3\n", "Dockerfile");
  QVERIFY(tree);
  auto model = dockerfile::buildModel(*tree, "Dockerfile", {});
  estimate::Inputs in;
  in.catalogues = &(*k)->catalogues;
  in.settings.arch = "amd64";
  auto e = estimate::estimateModel(model, in);
  QCOMPARE(e.coverage.unknownCount, 0);
  for (const auto& [key, c] : deb) QCOMPARE(c.tableLoaded(), key == "bookworm-amd64");
}

void TestCoverage::unknownBaseIsLowerBound() {
  auto e = estimateText("FROM registry.example.com/team/base:1.4\nRUN pip install --no-cache-dir flask\n");
  QVERIFY(!e.layers.empty());
  const auto& base = e.layers.front();
  QVERIFY(base.fromBase);
  QCOMPARE(base.basis, Basis::Unknown);
  QVERIFY(base.disk.open);
  QVERIFY(!base.unknownParts.empty());
  QVERIFY2(base.unknownParts.front().find("--base-size") != std::string::npos, base.unknownParts.front().c_str());
  QVERIFY(!e.coverage.complete);
  QCOMPARE(e.coverage.unknownCount, 1);
  QVERIFY(e.disk.open);
  const std::string total = estimate::formatTotal(e.disk, e.coverage);
  QVERIFY2(total.rfind("≥ ", 0) == 0, total.c_str());
  QVERIFY2(total.find("(1 layer unknown)") != std::string::npos, total.c_str());
  QVERIFY(e.coldLowerBound);  // the pull time of an unknown image is not known either
  // Only a few known kB on an unknown base (awx's logstash image with one config file): "≥ <0.1 MB",
  // never "≥ 0.0 MB".
  estimate::Coverage open;
  open.complete = false;
  open.unknownCount = 1;
  QCOMPARE(QString::fromStdString(estimate::formatTotal(estimate::Range{1200, 1200, 1200, true}, open)), QString("≥ <0.1 MB (1 layer unknown)"));
  QCOMPARE(QString::fromStdString(estimate::formatTotal(estimate::Range{0, 0, 0, true}, open)), QString("≥ 0.0 MB (1 layer unknown)"));
  estimate::Coverage done;
  done.complete = true;
  QCOMPARE(QString::fromStdString(estimate::formatTotal(estimate::Range::exact(51'000'000), done)), QString("51.0 MB"));
}

// A base the catalogue does not hold, whose tag names its release: apt-get's installs there are
// sized from that release's packages (a stated proxy); the base layer stays unknown. A tag that
// names no release (node:22) leaves the install unknown.
void TestCoverage::uncataloguedBaseReleaseFromTag() {
  const std::string install = "RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n";
  // The install layer of `from`: sized (no unknown part, a closed range, a proxy with its note).
  struct Sized {
    bool ok = false;
    std::uint64_t bytes = 0;
    std::string why;
  };
  auto sized = [&](const std::string& from) {
    auto e = estimateText("FROM " + from + "\n" + install);
    const auto* l = layerAt(e, 2);
    Sized r;
    if (!l) return r;
    r.bytes = l->disk.mid;
    r.why = l->proxyNote;
    r.ok = e.layers.front().basis == Basis::Unknown && l->unknownParts.empty() && !l->disk.open &&
           l->disk.mid > 5'000'000 && l->basis == Basis::Proxy;  // git and its libraries; the base still unknown
    return r;
  };
  const auto slim = sized("node:20.19.0-bookworm-slim");
  QVERIFY2(slim.ok, slim.why.c_str());
  const auto& slimWhy = slim.why;
  const auto slimBytes = slim.bytes;
  QVERIFY2(slimWhy.find("Debian bookworm") != std::string::npos && slimWhy.find("debian:bookworm-slim (the image it is built FROM)") != std::string::npos,
           slimWhy.c_str());
  // node's full image is built FROM buildpack-deps, which already has git: nothing new to count.
  auto full = estimateText("FROM node:22-bookworm\n" + install);
  QVERIFY(layerAt(full, 2) && layerAt(full, 2)->unknownParts.empty());
  QVERIFY(layerAt(full, 2)->disk.mid < slimBytes / 4);
  const auto cuda = sized("nvidia/cuda:12.4.1-devel-ubuntu22.04");
  QVERIFY2(cuda.ok, cuda.why.c_str());
  const auto& cudaWhy = cuda.why;
  const auto cudaBytes = cuda.bytes;
  QVERIFY2(cudaWhy.find("Ubuntu 22.04") != std::string::npos && cudaWhy.find("high side") != std::string::npos, cudaWhy.c_str());
  QVERIFY(cudaBytes >= slimBytes);  // bookworm's git over debian:bookworm-slim's set, and its docs (not a -slim tag)
  const auto trixie = sized("registry.example.com/team/app-base:2.1-trixie-slim");
  QVERIFY2(trixie.ok && trixie.why.find("Debian trixie") != std::string::npos, trixie.why.c_str());
  QVERIFY(trixie.bytes != slimBytes);
  // A Python build of that release: the python image's packages are present (ca-certificates, ...).
  const auto py = sized("ghcr.io/astral-sh/uv:0.11.32-python3.12-trixie-slim");
  QVERIFY2(py.why.find("python:3.x-slim-trixie's packages") != std::string::npos, py.why.c_str());
  QVERIFY(py.bytes < trixie.bytes);
  auto none = estimateText("FROM node:22\n" + install);
  QVERIFY(layerAt(none, 2) && !layerAt(none, 2)->unknownParts.empty());
  QVERIFY(none.disk.open);
}

void TestCoverage::baseSizeSupplied() {
  estimate::Settings s;
  s.baseSizes["registry.example.com/team/base:1.4"] = 350'000'000;
  auto e = estimateText("FROM registry.example.com/team/base:1.4\nCMD [\"true\"]\n", s);
  QVERIFY(e.coverage.complete);
  QVERIFY(!e.disk.open);
  QCOMPARE(e.disk.mid, std::uint64_t(350'000'000));
  QCOMPARE(e.layers.front().basis, Basis::Catalogue);
  QVERIFY(e.layers.front().source.find("user") != std::string::npos);
}

void TestCoverage::parseSizeUnits_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<bool>("ok");
  QTest::addColumn<qulonglong>("bytes");
  QTest::newRow("MB") << "120MB" << true << qulonglong(120'000'000);
  QTest::newRow("GB space") << "1.2 GB" << true << qulonglong(1'200'000'000);
  QTest::newRow("MiB") << "850MiB" << true << qulonglong(850ull * 1024 * 1024);
  QTest::newRow("bytes") << "4096" << true << qulonglong(4096);
  QTest::newRow("k") << "300k" << true << qulonglong(300'000);
  QTest::newRow("bad unit") << "12XB" << false << qulonglong(0);
  QTest::newRow("empty") << "" << false << qulonglong(0);
  QTest::newRow("no number") << "MB" << false << qulonglong(0);
  QTest::newRow("negative") << "-5MB" << false << qulonglong(0);
}

void TestCoverage::parseSizeUnits() {
  QFETCH(QString, text);
  QFETCH(bool, ok);
  QFETCH(qulonglong, bytes);
  std::uint64_t got = 0;
  std::string err;
  QCOMPARE(estimate::parseSize(text.toStdString(), got, err), ok);
  if (ok) QCOMPARE(qulonglong(got), bytes);
  else QVERIFY2(err.find("expected") != std::string::npos, err.c_str());
}

void TestCoverage::unrecognisedRunIsUnknown() {
  auto e = estimateText("FROM python:3.12-slim\nRUN ./scripts/build-assets.sh --release\n");
  const auto* l = layerAt(e, 2);
  QVERIFY(l);
  QCOMPARE(l->basis, Basis::Unknown);
  QVERIFY(l->disk.open);
  QVERIFY(l->secondsOpen);
  QVERIFY(!e.coverage.complete);
  QCOMPARE(e.coverage.unknownLayers, std::vector<int>{2});
  // The base is still counted: the lower bound is at least the catalogued slim image.
  QVERIFY(e.disk.mid >= catalogued("python:3.12-slim"));
}

void TestCoverage::aptOnNonDebianIsUnknown() {
  auto e = estimateText("FROM python:3.12-alpine\nRUN apt-get update && apt-get install -y libpq-dev\n");
  const auto* l = layerAt(e, 2);
  QVERIFY(l);
  QCOMPARE(l->basis, Basis::Unknown);
  QVERIFY(l->disk.open);
}

void TestCoverage::scratchCopiesWholeStage() {
  const std::string text =
      "FROM python:3.12-slim AS build\n"
      "RUN pip install --no-cache-dir requests\n"
      "FROM scratch\n"
      "COPY --from=build / /\n";
  auto e = estimateText(text);
  const auto* l = layerAt(e, 4);
  QVERIFY(l);
  // The whole of the build stage: the slim base plus what pip installed.
  QVERIFY2(l->disk.mid > catalogued("python:3.12-slim"), qPrintable(QString::number(l->disk.mid)));
  QCOMPARE(e.disk.mid, l->disk.mid);
  QVERIFY(e.disk.mid > 0);
}

void TestCoverage::copyFromStagePath() {
  const std::string text =
      "FROM python:3.12-slim AS builder\n"
      "RUN pip install --no-cache-dir --target /opt/app/lib requests\n"
      "RUN pip install --no-cache-dir --prefix=/install flask\n"
      "FROM python:3.12-slim\n"
      "COPY --from=builder /opt/app/ /opt/app/\n"
      "COPY --from=builder /install /usr/local\n"
      "COPY --from=builder /usr/lib/x86_64-linux-gnu/libssl.so.3 /usr/lib/\n";
  auto e = estimateText(text);
  const auto* target = layerAt(e, 5);
  const auto* prefix = layerAt(e, 6);
  const auto* other = layerAt(e, 7);
  QVERIFY(target && prefix && other);
  QCOMPARE(target->basis, Basis::Model);
  QVERIFY(target->disk.mid > 100'000);  // requests and its dependencies
  QCOMPARE(prefix->basis, Basis::Model);
  QVERIFY(prefix->disk.mid > 1'000'000);  // flask and its dependencies
  QVERIFY(target->disk.mid != prefix->disk.mid);  // each copy takes what was written under its own path
  // Nothing the builder's steps wrote is there: it comes from the base image, not catalogued by path.
  QCOMPARE(other->basis, Basis::Unknown);
  QVERIFY(other->disk.open);
}

// A COPY --from of a path inside what an earlier step wrote takes a part of it, not the whole: one
// file of a venv has no share of the venv's size (a real project copied a single .so out of a
// 12 GB CUDA venv and read 12 GB); the site-packages folder of a --prefix install is nearly all of
// it; a package manager's write under /usr never reaches /usr/local.
void TestCoverage::copyFromPartOfLargerWrite() {
  const std::string text =
      "FROM python:3.12-slim AS builder\n"
      "RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev\n"
      "RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir numpy==2.2.1\n"
      "RUN pip install --no-cache-dir --prefix=/install flask==3.1.0\n"
      "FROM python:3.12-slim\n"
      "COPY --from=builder /opt/venv/lib/python3.12/site-packages/numpy/_core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so /x/\n"
      "COPY --from=builder /install/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages\n"
      "COPY --from=builder /install /usr/local\n"
      "COPY --from=builder /usr/local/lib/libfoo.so /usr/local/lib/\n";
  auto e = estimateText(text);
  const auto* oneFile = layerAt(e, 6);
  const auto* sitePackages = layerAt(e, 7);
  const auto* prefix = layerAt(e, 8);
  const auto* local = layerAt(e, 9);
  QVERIFY(oneFile && sitePackages && prefix && local);
  // One file of the venv: its share is not known (not the 60+ MB numpy venv), and the reason says what it is part of.
  QCOMPARE(oneFile->basis, Basis::Unknown);
  QVERIFY2(oneFile->disk.mid < 1'000'000, std::to_string(oneFile->disk.mid).c_str());
  bool named = false;
  for (const auto& u : oneFile->unknownParts) named = named || u.find("its share is not known") != std::string::npos;
  QVERIFY(named);
  // The prefix's site-packages: all of flask's install but its scripts, so the same middle figure as the whole prefix.
  QCOMPARE(sitePackages->basis, Basis::Model);
  QCOMPARE(sitePackages->disk.mid, prefix->disk.mid);
  QVERIFY(sitePackages->disk.low >= prefix->disk.low * 85 / 100);
  // apt's files are under /usr but never /usr/local: nothing the builder wrote is there, so it is
  // the base image's (unknown), not a share of gcc's install.
  QCOMPARE(local->basis, Basis::Unknown);
  QVERIFY2(local->disk.mid < 1'000'000, std::to_string(local->disk.mid).c_str());
}

// apt's install is one write at /usr: a project folder under /usr/src holds none of it, so chown -R
// of that folder rewrites only what the project put there (paperless-ngx's /usr/src/paperless read
// a share of 300 MB of runtime packages).
void TestCoverage::chownOfProjectUnderUsrSrc() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "app.py", std::string(20'000, 'x'));
  writeFile(dir / "Dockerfile",
            "FROM python:3.12-slim\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends libpq5 imagemagick && rm -rf /var/lib/apt/lists/*\n"
            "WORKDIR /usr/src/app\n"
            "COPY app.py .\n"
            "RUN chown -R 1000 /usr/src/app\n"
            "RUN chown -R 1000 /usr/src\n");
  auto a = analyzeAt(dir);
  const auto& e = a.variants.front().estimate;
  const auto* apt = layerAt(e, 2);
  const auto* project = layerAt(e, 5);
  const auto* usrSrc = layerAt(e, 6);
  QVERIFY(apt && project && usrSrc);
  QVERIFY(apt->disk.mid > 10'000'000);
  QVERIFY2(project->unknownParts.empty(), project->unknownParts.empty() ? "" : project->unknownParts.front().c_str());
  QVERIFY2(project->disk.high < 100'000, std::to_string(project->disk.high).c_str());  // app.py and its folder, not apt's files
  QVERIFY(project->disk.mid >= 20'000);
  // /usr/src itself may hold package files (kernel headers, -source packages): a share of apt's write is counted there.
  QVERIFY2(usrSrc->disk.high > 10'000'000, std::to_string(usrSrc->disk.high).c_str());
}

// A COPY of empty files (Kiwi TCMS' `COPY ./etc/cron.jobs/* …` over a folder holding only a
// .gitkeep) is 0 bytes and says so, instead of a bare 0 beside "files from the build context".
void TestCoverage::copyOfEmptyFilesSaysWhy() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "etc/cron.jobs/.gitkeep", "");
  writeFile(dir / "etc/app.conf", std::string(3'000, 'x'));
  writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nCOPY ./etc/cron.jobs/* /app/etc/cron.jobs/\nCOPY ./etc/*.conf /app/etc/\n");
  auto a = analyzeAt(dir);
  const auto& e = a.variants.front().estimate;
  const auto* empty = layerAt(e, 2);
  const auto* conf = layerAt(e, 3);
  QVERIFY(empty && conf);
  QCOMPARE(empty->disk.high, std::uint64_t(0));
  QVERIFY(empty->basis != estimate::Basis::Unknown);
  QVERIFY2(std::string(empty->reason).find("the one file it copies is empty") != std::string::npos, std::string(empty->reason).c_str());
  QCOMPARE(conf->disk.mid, std::uint64_t(3'000));
  QVERIFY2(std::string(conf->reason).find("empty") == std::string::npos, std::string(conf->reason).c_str());
}

// A file a command of the RUN wrote (`printf … > /entrypoint.sh && chmod +x /entrypoint.sh`,
// tubesync's apt.conf.d file) is in this layer already: a later chmod or sed -i of it in the same
// RUN adds nothing and is not "from the base image". The same chmod in another RUN, of a file no
// step wrote, still is.
void TestCoverage::editOfFileWrittenInSameRun() {
  auto a = analyzeDockerfile(
            "FROM debian:bookworm-slim\n"
            "RUN printf '#!/bin/sh\\nexec \"$@\"\\n' > /entrypoint.sh && chmod +x /entrypoint.sh && sed -i s/sh/bash/ /entrypoint.sh\n"
            "RUN echo 'Dir::Cache::pkgcache \"\";' >| /etc/apt/apt.conf.d/docker-no-cache && chmod a+r /etc/apt/apt.conf.d/docker-no-cache\n"
            "RUN chmod a+r /etc/apt/apt.conf.d/docker-clean\n");
  const auto& e = a.variants.front().estimate;
  for (int line : {2, 3}) {
    const auto* l = layerAt(e, line);
    QVERIFY(l);
    QVERIFY2(l->unknownParts.empty(), l->unknownParts.empty() ? "" : l->unknownParts.front().c_str());
    QVERIFY(l->disk.high > 0 && l->disk.high < 16'384);
  }
  const auto* base = layerAt(e, 4);
  QVERIFY(base && !base->unknownParts.empty());
  QVERIFY2(base->unknownParts.front().find("base image") != std::string::npos, base->unknownParts.front().c_str());
  // A configuration file of a package the same RUN installed (/etc/nginx/ of nginx-common) is in
  // this layer already; edited in a later RUN, it is copied whole and its size is not known.
  auto b = analyzeDockerfile(
            "FROM python:3.12-slim\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends nginx && "
            "sed -i 's/worker_processes auto/worker_processes 2/' /etc/nginx/nginx.conf && rm -rf /var/lib/apt/lists/*\n"
            "RUN sed -i 's/a/b/' /etc/nginx/nginx.conf\n");
  const auto& f = b.variants.front().estimate;
  const auto* same = layerAt(f, 2);
  QVERIFY(same);
  QVERIFY2(same->unknownParts.empty(), same->unknownParts.empty() ? "" : same->unknownParts.front().c_str());
  QVERIFY(same->disk.mid > 1'000'000);
  const auto* later = layerAt(f, 3);
  QVERIFY(later && !later->unknownParts.empty());
}

// A file an earlier RUN wrote (echo > FILE, touch) is this stage's: a later RUN's chmod copies it
// with its bytes, and COPY --from takes it, instead of "comes from the base image".
void TestCoverage::fileWrittenInEarlierRunIsKnown() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  const std::string text(600, 'x');
  writeFile(dir / "Dockerfile",
            "FROM debian:bookworm-slim AS build\n"
            "RUN echo '" + text + "' > /etc/app.conf && touch /etc/app.flag\n"
            "RUN chmod 600 /etc/app.conf /etc/app.flag\n"
            "RUN chmod 600 /etc/other.conf\n"
            "FROM debian:bookworm-slim\n"
            "COPY --from=build /etc/app.conf /etc/app.conf\n");
  auto a = analyzeAt(dir);
  const auto& e = a.variants.front().estimate;
  const auto builderAt = [&](int line) -> const estimate::LayerEstimate* {
    for (const auto& l : e.builderLayers)
      if (l.line == line) return &l;
    return nullptr;
  };
  const auto* chmod = builderAt(3);
  QVERIFY(chmod);
  QVERIFY2(chmod->unknownParts.empty(), chmod->unknownParts.empty() ? "" : chmod->unknownParts.front().c_str());
  QVERIFY2(chmod->disk.low >= text.size(), qPrintable(QString::number(chmod->disk.low)));  // the file is copied up
  QVERIFY(chmod->disk.high < 8'192);
  const auto* other = builderAt(4);  // nothing wrote this one: the base image's, unknown
  QVERIFY(other && !other->unknownParts.empty());
  const auto* copy = layerAt(e, 6);
  QVERIFY(copy);
  QVERIFY2(copy->unknownParts.empty(), copy->unknownParts.empty() ? "" : copy->unknownParts.front().c_str());
  QVERIFY2(copy->disk.low >= text.size(), qPrintable(QString::number(copy->disk.low)));
}

// What is not modelled is named as the user would say it: without the VAR=value prefix (which
// hid `compress` behind "./manage.py co..."), Django's subcommand named, and a chmod -R after an
// unmodelled command of the same RUN points at that command, not only at the base image.
void TestCoverage::unmodelledCommandsNamedPlainly() {
  auto a = analyzeDockerfile("FROM python:3.12-slim\n"
                             "RUN DEBUG=False SECRET_KEY=build-key ./manage.py compress\n"
                             "RUN playwright install chromium && chmod -R a+rX /opt/ms-playwright\n");
  const auto& e = a.variants.front().estimate;
  const auto* django = layerAt(e, 2);
  QVERIFY(django && django->unknownParts.size() == 1);
  const std::string& d = django->unknownParts.front();
  QVERIFY2(d.rfind("./manage.py compress: ", 0) == 0, d.c_str());
  QVERIFY2(d.find("management command `compress`") != std::string::npos, d.c_str());
  const auto* chmod = layerAt(e, 3);
  QVERIFY(chmod);
  bool named = false;
  for (const auto& u : chmod->unknownParts)
    named = named || (u.rfind("chmod -R a+rX /opt/ms-playwright: ", 0) == 0 &&
                      u.find("what `playwright install chromium` (not modelled) wrote") != std::string::npos);
  QVERIFY2(named, chmod->unknownParts.back().c_str());
}

// A RUN whose only unknown is a requirement no catalogue holds writes that into site-packages,
// not into the working folder: COPY --from of the folder is still known file by file (alerta's
// chown -R /app, chroma's /install). A script that is not modelled still leaves the folder unknown.
void TestCoverage::unknownRequirementLeavesWorkdirKnown() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "app.py", std::string(3000, '#') + "\n");
  writeFile(dir / "Dockerfile",
            "FROM python:3.12-slim AS build\n"
            "WORKDIR /app\n"
            "COPY app.py .\n"
            "RUN pip install --no-cache-dir surely-not-a-catalogued-distribution-xyz\n"
            "FROM python:3.12-slim\n"
            "COPY --from=build /app /app\n");
  auto a = analyzeAt(dir);
  const auto* copy = layerAt(a.variants.front().estimate, 6);
  QVERIFY(copy);
  QVERIFY2(copy->unknownParts.empty(), copy->unknownParts.empty() ? "" : copy->unknownParts.front().c_str());
  QVERIFY(copy->disk.low >= 3001);
  writeFile(dir / "Dockerfile",
            "FROM python:3.12-slim AS build\n"
            "WORKDIR /app\n"
            "COPY app.py .\n"
            "RUN ./build-assets.sh\n"
            "FROM python:3.12-slim\n"
            "COPY --from=build /app /app\n");
  auto b = analyzeAt(dir);
  const auto* script = layerAt(b.variants.front().estimate, 6);
  QVERIFY(script && !script->unknownParts.empty());
}

// A distribution pip compiles in two RUNs (chroma: numpy under --prefix and again) is one SB105
// finding, where it is first named, not the same line said twice.
void TestCoverage::noWheelSaidOncePerDistribution() {
  auto a = analyzeDockerfile("FROM python:3.12-alpine\n"
                             "RUN pip install --no-cache-dir psycopg2==2.9.9\n"
                             "RUN pip install --no-cache-dir --target /opt/x psycopg2==2.9.9\n");
  const auto& v = a.variants.front();
  QCOMPARE(v.estimate.packages.size(), std::size_t(2));  // installed twice, into two places
  int said = 0;
  for (const auto& f : v.findings)
    if (f.ruleId == "SB105") {
      ++said;
      QCOMPARE(f.where.line, 2);
      QVERIFY2(f.message.rfind("psycopg2 has no wheel for musl", 0) == 0, f.message.c_str());
    }
  QCOMPARE(said, 1);
}

// A stand-in is said once in a layer's note: two apt installs in one RUN on a proxied base
// (dispatch) said "the package set of … stands in" twice.
void TestCoverage::proxySaidOncePerLayer() {
  auto e = estimateText("FROM python:3.11.13-slim-bullseye\n"
                        "RUN apt-get update && apt-get install -y --no-install-recommends curl && "
                        "apt-get install -y --no-install-recommends gnupg && rm -rf /var/lib/apt/lists/*\n");
  const auto* l = layerAt(e, 2);
  QVERIFY(l);
  QCOMPARE(l->basis, Basis::Proxy);
  QVERIFY(!l->proxyNote.empty());
  std::set<std::string> parts;
  std::size_t count = 0;
  for (std::size_t at = 0; at <= l->proxyNote.size();) {
    const auto end = std::min(l->proxyNote.find("; ", at), l->proxyNote.size());
    parts.insert(l->proxyNote.substr(at, end - at));
    ++count;
    at = end + 2;
  }
  QVERIFY2(parts.size() == count, l->proxyNote.c_str());
}

// `pip cache purge` and `poetry cache clear --all NAME` in the same RUN leave no cache, like rm -rf
// of the folder; poetry's own cache folder (not pip's) decides for poetry.
void TestCoverage::cachesClearedByTheirTools() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "pyproject.toml", "[tool.poetry]\nname = \"x\"\nversion = \"0.1\"\n[tool.poetry.dependencies]\npython = \"^3.12\"\nflask = \"*\"\n");
  const auto cacheOf = [&](const std::string& run, std::string* note) {
    writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nCOPY pyproject.toml .\nRUN pip install --no-cache-dir poetry && "
                                  "poetry config virtualenvs.create false && " + run + "\n");
    auto a = analyzeAt(dir);
    const auto* l = layerAt(a.variants.front().estimate, 3);
    std::uint64_t bytes = 0;
    for (const auto& [what, r] : l->parts)
      if (what.find("cache") != std::string::npos) bytes += r.mid;
    if (note)
      for (const auto& n : l->notes)
        if (n.find("/root/.cache/pypoetry") != std::string::npos) *note = n;
    return bytes;
  };
  std::string note;
  QVERIFY(cacheOf("poetry install --no-root", &note) > 0);
  QVERIFY2(note.find("--no-cache,") != std::string::npos && note.find("--no-cache-dir") == std::string::npos, note.c_str());
  QCOMPARE(cacheOf("poetry install --no-root && poetry cache clear pypi --all -n", nullptr), std::uint64_t(0));
  QCOMPARE(cacheOf("poetry install --no-root && rm -rf /root/.cache/pypoetry", nullptr), std::uint64_t(0));
  QVERIFY(cacheOf("poetry install --no-root && rm -rf /root/.cache/pip", nullptr) > 0);  // pip's, not poetry's
  QVERIFY(cacheOf("pip install flask", nullptr) > 0);
  QCOMPARE(cacheOf("pip install flask && pip cache purge", nullptr), std::uint64_t(0));
}

// `pip install NAME==$VERSION` with the variable empty (sherlock's `ARG VERSION_TAG=`): pip fails on
// `NAME==`; the unknown names the variable and the build arg to give. A version given is sized.
void TestCoverage::emptyVersionArgNamed() {
  const std::string text = "FROM python:3.12-slim\nARG FLASK_VERSION=\nRUN pip install --no-cache-dir flask==${FLASK_VERSION}\n";
  auto a = analyzeDockerfile(text);
  const auto* l = layerAt(a.variants.front().estimate, 3);
  QVERIFY(l && !l->unknownParts.empty());
  QVERIFY2(l->unknownParts.front().find("the version is $FLASK_VERSION, which is empty here") != std::string::npos &&
               l->unknownParts.front().find("--build-arg FLASK_VERSION=VERSION") != std::string::npos,
           l->unknownParts.front().c_str());
  auto b = analyzeDockerfile("FROM python:3.12-slim\nARG FLASK_VERSION=3.1.0\nRUN pip install --no-cache-dir flask==${FLASK_VERSION}\n");
  const auto* m = layerAt(b.variants.front().estimate, 3);
  QVERIFY(m && m->unknownParts.empty() && m->disk.mid > 0);
}

// chown -R of what the same RUN installed changes metadata in the layer that holds the files once:
// not counted twice, no "copies every file again" note; in a later RUN it is a copy (the classic
// hidden duplicate).
void TestCoverage::chownOfOwnFilesAddsNothing() {
  auto a = analyzeDockerfile("FROM python:3.12-slim\n"
                             "RUN pip install --no-cache-dir --target /app/lib flask\n"
                             "RUN pip install --no-cache-dir --target /app/lib2 flask && chown -R 1000 /app/lib2\n"
                             "RUN chown -R 1001 /app/lib\n");
  const auto& e = a.variants.front().estimate;
  const auto *alone = layerAt(e, 2), *same = layerAt(e, 3), *later = layerAt(e, 4);
  QVERIFY(alone && same && later);
  QCOMPARE(same->disk.mid, alone->disk.mid);
  for (const auto& n : same->notes) QVERIFY2(n.find("again") == std::string::npos, n.c_str());
  QCOMPARE(later->disk.mid, alone->disk.mid);
  bool again = false;
  for (const auto& n : later->notes) again = again || n.find("copies every file under /app/lib into this layer again") != std::string::npos;
  QVERIFY(again);
}

// A gotcha is said once per layer: two apt-get installs without --no-install-recommends in one
// RUN (lnbits) gave the same note twice.
void TestCoverage::layerNotesSaidOnce() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "Dockerfile",
            "FROM python:3.12-slim\n"
            "RUN apt-get update && apt-get -y install curl && apt-get -y install gnupg2 && rm -rf /var/lib/apt/lists/*\n");
  auto a = analyzeAt(dir);
  const auto* l = layerAt(a.variants.front().estimate, 2);
  QVERIFY(l);
  int recommends = 0;
  for (const auto& n : l->notes) recommends += n.find("--no-install-recommends") != std::string::npos ? 1 : 0;
  QCOMPARE(recommends, 1);
}

// A package of an apt repository the Dockerfile adds (apt.postgresql.org's postgresql-client-14,
// lnbits) is unknown, and the reason names the repository instead of only "not in the catalogue".
void TestCoverage::thirdPartyAptRepositoryNamed() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "Dockerfile",
            "FROM python:3.12-slim-bookworm\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends curl gnupg && "
            "sh -c 'echo \"deb http://apt.postgresql.org/pub/repos/apt bookworm-pgdg main\" > /etc/apt/sources.list.d/pgdg.list' && "
            "curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc | gpg --dearmor -o /etc/apt/trusted.gpg.d/pgdg.gpg && "
            "apt-get update && apt-get install -y --no-install-recommends postgresql-client-14 && rm -rf /var/lib/apt/lists/*\n");
  auto a = analyzeAt(dir);
  const auto* l = layerAt(a.variants.front().estimate, 2);
  QVERIFY(l);
  QCOMPARE(l->basis, estimate::Basis::Unknown);
  bool named = false;
  for (const auto& u : l->unknownParts)
    named |= u.find("postgresql-client-14") != std::string::npos && u.find("line 2 (http://apt.postgresql.org/pub/repos/apt)") != std::string::npos;
  QVERIFY(named);
  // Everything else in the RUN is sized: curl and gnupg, the key, the list file.
  QCOMPARE(l->unknownParts.size(), std::size_t(1));
  QVERIFY(l->disk.mid > 1'000'000);
  // A list file copied in from another stage names that line.
  writeFile(dir / "Dockerfile",
            "FROM debian:bookworm-slim AS keys\n"
            "RUN echo 'deb http://openresty.org/package/debian bookworm openresty' > /etc/apt/sources.list.d/openresty.list\n"
            "FROM python:3.12-slim-bookworm\n"
            "COPY --from=keys /etc/apt/sources.list.d/openresty.list /etc/apt/sources.list.d/\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends openresty && rm -rf /var/lib/apt/lists/*\n");
  auto b = analyzeAt(dir);
  const auto* o = layerAt(b.variants.front().estimate, 5);
  QVERIFY(o && !o->unknownParts.empty());
  QVERIFY2(o->unknownParts.front().find("line 4 (/etc/apt/sources.list.d/openresty.list)") != std::string::npos, o->unknownParts.front().c_str());
}

// uv sync (and pip install .) read the project of the folder the command runs in: `cd server && uv
// sync`, uv's --directory, not the build context's root (text-generation-inference's server/).
void TestCoverage::projectFolderFollowsCd() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "pyproject.toml", "[project]\nname = \"root\"\nversion = \"1\"\ndependencies = [\"django==5.1.4\"]\n");
  writeFile(dir / "server/pyproject.toml", "[project]\nname = \"server\"\nversion = \"1\"\ndependencies = [\"flask==3.1.0\"]\n");
  writeFile(dir / "server/requirements.txt", "requests==2.32.3\n");
  auto namesOf = [&](const std::string& run) {
    writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nWORKDIR /usr/src\nCOPY server server\nCOPY pyproject.toml .\n" + run + "\n");
    auto a = analyzeAt(dir);
    std::set<std::string> names;
    for (const auto& p : a.variants.front().estimate.packages) names.insert(python::normalizeName(p.name));
    return names;
  };
  auto cdSync = namesOf("RUN cd server && uv sync --no-dev");
  QVERIFY(cdSync.count("flask") && !cdSync.count("django"));
  auto directory = namesOf("RUN uv sync --no-dev --directory server");
  QVERIFY(directory.count("flask") && !directory.count("django"));
  auto back = namesOf("RUN cd server && cd .. && uv sync --no-dev");
  QVERIFY(back.count("django") && !back.count("flask"));
  auto subshell = namesOf("RUN (cd server && true) && uv sync --no-dev");  // a cd in a subshell stays there
  QVERIFY(subshell.count("django") && !subshell.count("flask"));
  auto pipDot = namesOf("RUN cd server && pip install --no-cache-dir .");
  QVERIFY(pipDot.count("flask") && !pipDot.count("django"));
  auto reqs = namesOf("RUN cd server && pip install --no-cache-dir -r requirements.txt");
  QVERIFY(reqs.count("requests"));
}

// [tool.uv.sources] that sends torch to the PyTorch index: its build is not PyPI's CUDA torch with
// its gigabytes of nvidia-* wheels; torch is named as not counted.
void TestCoverage::uvSourcesTorchFromPyTorchIndex() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  const std::string project = "[project]\nname = \"app\"\nversion = \"1\"\ndependencies = [\"torch==2.7.0\"]\n";
  const std::string sources =
      "[[tool.uv.index]]\nname = \"pytorch-cu128\"\nurl = \"https://download.pytorch.org/whl/cu128\"\nexplicit = true\n"
      "[tool.uv.sources]\ntorch = [\n  { index = \"pytorch-cu128\", marker = \"sys_platform == 'linux'\" },\n]\n";
  writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml .\nRUN uv sync --no-dev\n");
  writeFile(dir / "pyproject.toml", project);
  auto pypi = analyzeAt(dir).variants.front().estimate;
  writeFile(dir / "pyproject.toml", project + sources);
  auto index = analyzeAt(dir).variants.front().estimate;
  const auto* fromPypi = layerAt(pypi, 4);
  const auto* fromIndex = layerAt(index, 4);
  QVERIFY(fromPypi && fromIndex);
  QVERIFY2(fromPypi->disk.mid > 3'000'000'000ULL, std::to_string(fromPypi->disk.mid).c_str());  // torch and its nvidia-* wheels
  QVERIFY2(fromIndex->disk.mid < 1'000'000'000ULL, std::to_string(fromIndex->disk.mid).c_str());
  bool named = false;
  for (const auto& u : fromIndex->unknownParts) named = named || (u.find("PyTorch index") != std::string::npos && u.find("[tool.uv.sources]") != std::string::npos);
  QVERIFY(named);
  QCOMPARE(fromIndex->basis, Basis::Unknown);
}

// The package names of the user's image when `run` installs the project written in `dir`.
std::set<std::string> installedNames(const fs::path& dir, const std::string& run) {
  writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nENV POETRY_VIRTUALENVS_CREATE=false\nWORKDIR /app\nCOPY pyproject.toml .\n" + run + "\n");
  auto a = analyzeAt(dir);
  std::set<std::string> names;
  for (const auto& p : a.variants.front().estimate.packages) names.insert(python::normalizeName(p.name));
  return names;
}

// uv sync's --all-extras, --all-groups, --no-extra, --no-group and --only-group select what it installs.
void TestCoverage::uvSyncAllExtrasAndGroups() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "pyproject.toml",
            "[project]\nname = \"app\"\nversion = \"1\"\ndependencies = [\"flask==3.1.0\"]\n"
            "[project.optional-dependencies]\na = [\"requests\"]\nb = [\"pyyaml\"]\n"
            "[dependency-groups]\ndev = [\"six\"]\ndocs = [\"packaging\"]\n");
  auto plain = installedNames(dir, "RUN uv sync");
  QVERIFY(plain.count("flask") && plain.count("six") && !plain.count("requests") && !plain.count("packaging"));
  auto extras = installedNames(dir, "RUN uv sync --all-extras --no-dev");
  QVERIFY(extras.count("requests") && extras.count("pyyaml") && !extras.count("six"));
  auto noExtra = installedNames(dir, "RUN uv sync --all-extras --no-extra b");
  QVERIFY(noExtra.count("requests") && !noExtra.count("pyyaml"));
  auto groups = installedNames(dir, "RUN uv sync --all-groups --no-group docs");
  QVERIFY(groups.count("six") && !groups.count("packaging"));
  auto onlyGroup = installedNames(dir, "RUN uv sync --only-group docs");
  QVERIFY(onlyGroup.count("packaging") && !onlyGroup.count("flask") && !onlyGroup.count("six"));
}

// poetry install: the project's dependencies and every group not marked optional, unless --without,
// --only or --only-root say otherwise; --with adds an optional group.
void TestCoverage::poetryInstallGroups() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "pyproject.toml",
            "[tool.poetry]\nname = \"app\"\nversion = \"1\"\n"
            "[tool.poetry.dependencies]\npython = \"^3.12\"\nflask = \"3.1.0\"\n"
            "[tool.poetry.group.dev.dependencies]\nsix = \"*\"\n"
            "[tool.poetry.group.docs]\noptional = true\n[tool.poetry.group.docs.dependencies]\npackaging = \"*\"\n");
  auto plain = installedNames(dir, "RUN poetry install --no-root");
  QVERIFY(plain.count("flask") && plain.count("six") && !plain.count("packaging"));
  auto without = installedNames(dir, "RUN poetry install --without dev");
  QVERIFY(without.count("flask") && !without.count("six"));
  auto with = installedNames(dir, "RUN poetry install --with docs");
  QVERIFY(with.count("packaging") && with.count("six"));
  auto onlyMain = installedNames(dir, "RUN poetry install --only main");
  QVERIFY(onlyMain.count("flask") && !onlyMain.count("six"));
  auto onlyDev = installedNames(dir, "RUN poetry install --only dev");
  QVERIFY(onlyDev.count("six") && !onlyDev.count("flask"));
  auto root = installedNames(dir, "RUN poetry install --only-root");
  QVERIFY(!root.count("flask") && !root.count("six"));
}

// `pip install /wheels/*` over a builder's wheel folder (healthchecks' bind mount) installs those
// wheels, as `/wheels/*.whl` does; a folder no builder filled stays unknown.
void TestCoverage::wheelFolderGlobInstalls() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "requirements.txt", "flask==3.1.0\n");
  const std::string builder =
      "FROM python:3.12-slim AS builder\nCOPY requirements.txt /tmp\nRUN pip wheel --no-cache-dir --wheel-dir /wheels -r /tmp/requirements.txt\n"
      "FROM python:3.12-slim\n";
  auto layer5 = [&](const std::string& tail) {
    writeFile(dir / "Dockerfile", builder + tail);
    auto a = analyzeAt(dir);
    const auto* l = layerAt(a.variants.front().estimate, 5);
    return l ? *l : estimate::LayerEstimate{};
  };
  auto mounted = layer5("RUN --mount=type=bind,target=/wheels,source=/wheels,from=builder pip install --no-cache /wheels/*\n");
  QVERIFY2(mounted.unknownParts.empty(), mounted.unknownParts.empty() ? "" : mounted.unknownParts.front().c_str());
  QVERIFY(mounted.disk.mid > 1'000'000);  // flask and its dependencies, installed
  auto named = layer5("RUN --mount=type=bind,target=/wheels,source=/wheels,from=builder pip install --no-cache /wheels/*.whl\n");
  QCOMPARE(mounted.disk.mid, named.disk.mid);
  // A COPY of the folder, then the install (line 6).
  writeFile(dir / "Dockerfile", builder + "COPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*\n");
  const auto* install = layerAt(analyzeAt(dir).variants.front().estimate, 6);
  QVERIFY(install && install->unknownParts.empty() && install->disk.mid == mounted.disk.mid);
  auto elsewhere = layer5("RUN --mount=type=bind,target=/pkgs,source=/opt,from=builder pip install --no-cache /pkgs/*\n");
  QVERIFY(!elsewhere.unknownParts.empty());
}

// A path nothing modelled wrote: after an unmodelled command that names no folder (a project script),
// COPY --from says that step may have made it, not that the base image holds it; a command that
// names its folder (tar -C) is an unknown write there, which chown -R of it then names.
void TestCoverage::unmodelledStepMayHaveWritten() {
  auto e = estimateText(
      "FROM node:22-bookworm AS ui\nWORKDIR /ui\nRUN ./scripts/build-ui.sh\n"
      "FROM python:3.12-slim AS tools\nRUN curl -fsSL https://example.org/tool.tgz | tar -xz -C /opt/tool\nRUN chown -R 1000 /opt/tool\n"
      "FROM python:3.12-slim\nCOPY --from=ui /srv/www /app/static\nCOPY --from=tools /opt/tool /opt/tool\n");
  const auto* ui = layerAt(e, 8);
  const auto* tool = layerAt(e, 9);
  const estimate::LayerEstimate* chown = nullptr;  // in the tools stage: a builder layer
  for (const auto& l : e.builderLayers)
    if (l.line == 6) chown = &l;
  QVERIFY(ui && tool && chown);
  QCOMPARE(ui->basis, Basis::Unknown);
  bool named = false;
  for (const auto& u : ui->unknownParts) named = named || (u.find("line 3") != std::string::npos && u.find("may have made it") != std::string::npos);
  QVERIFY(named);
  QCOMPARE(tool->basis, Basis::Unknown);
  bool partly = false;
  for (const auto& u : tool->unknownParts) partly = partly || u.find("partly unknown") != std::string::npos;
  QVERIFY(partly);
  QCOMPARE(chown->basis, Basis::Unknown);
  bool rewrites = false;
  for (const auto& u : chown->unknownParts) rewrites = rewrites || (u.find("line 5") != std::string::npos && u.find("this rewrites it") != std::string::npos);
  QVERIFY(rewrites);
}

void TestCoverage::copyFromExternalImageUnknown() {
  auto e = estimateText("FROM python:3.12-slim\nCOPY --from=registry.example.com/tools:1 /bin/tool /usr/local/bin/\n");
  const auto* l = layerAt(e, 2);
  QVERIFY(l);
  QCOMPARE(l->basis, Basis::Unknown);
}

// ghcr.io/astral-sh/uv's binaries are catalogued by file: copied from a stage built FROM the image, or
// straight from the image; another uv release is a proxy.
void TestCoverage::uvImageFilesCatalogued() {
  auto e = estimateText(
      "FROM ghcr.io/astral-sh/uv:0.11.7 AS uv\n"
      "FROM python:3.13-slim\n"
      "COPY --from=uv /uv /uvx /bin/\n"
      "COPY --from=ghcr.io/astral-sh/uv:0.8 /uv /bin/\n");
  const auto* stage = layerAt(e, 3);
  const auto* direct = layerAt(e, 4);
  QVERIFY(stage && direct);
  QCOMPARE(stage->basis, Basis::Model);
  QVERIFY2(stage->disk.mid > 50'000'000 && stage->disk.mid < 70'000'000, qPrintable(QString::number(stage->disk.mid)));
  QVERIFY(stage->source.find("foundry-samples") != std::string::npos);
  QCOMPARE(direct->basis, Basis::Proxy);
  QVERIFY(direct->proxyNote.find("0.11.7") != std::string::npos);
  QVERIFY(direct->disk.high > direct->disk.low);
  QVERIFY(e.coverage.complete);
  QVERIFY(!e.coldLowerBound);
  // A path the catalogue does not list stays unknown.
  auto other = estimateText("FROM python:3.13-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.11.7 /etc/ssl /etc/ssl\n");
  QCOMPARE(layerAt(other, 2)->basis, Basis::Unknown);
}

// if [ "$TARGETARCH" = ... ] is decided with the arch setting: only the taken branch counts.
void TestCoverage::targetArchBranches() {
  const std::string text =
      "FROM python:3.12-slim\n"
      "ARG TARGETARCH\n"
      "RUN if [ \"$TARGETARCH\" = \"arm64\" ]; then pip install --no-cache-dir numpy; else pip install --no-cache-dir six; fi\n";
  estimate::Settings amd, arm;
  amd.arch = "amd64";
  arm.arch = "arm64";
  auto a = estimateText(text, amd);
  auto b = estimateText(text, arm);
  const auto* la = layerAt(a, 3);
  const auto* lb = layerAt(b, 3);
  QVERIFY(la && lb);
  QVERIFY2(la->disk.mid < 2'000'000, qPrintable(QString::number(la->disk.mid)));   // six only
  QVERIFY2(lb->disk.mid > 10'000'000, qPrintable(QString::number(lb->disk.mid)));  // numpy
  // An undecidable condition keeps both branches, and the low end goes to 0.
  auto c = estimateText("FROM python:3.12-slim\nRUN if [ -f /etc/special ]; then pip install --no-cache-dir numpy; fi\n");
  const auto* lc = layerAt(c, 2);
  QVERIFY(lc);
  QCOMPARE(lc->disk.low, std::uint64_t(0));
  QVERIFY(lc->disk.mid > 10'000'000);
}

// chown -R on files an earlier layer wrote copies them into a new layer: counted again, with a note.
void TestCoverage::chownRecursiveCountsAgain() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "src/data.bin", std::string(3'000'000, 'x'));
  writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nCOPY src /app\nRUN useradd app && chown -R app:app /app\n");
  auto a = analyzeAt(dir);
  const auto& e = a.variants.front().estimate;
  const auto* copy = layerAt(e, 2);
  const auto* chown = layerAt(e, 3);
  QVERIFY(copy && chown);
  QCOMPARE(copy->disk.mid, std::uint64_t(3'000'000));
  QVERIFY2(chown->disk.mid >= 3'000'000, qPrintable(QString::number(chown->disk.mid)));
  bool noted = false;
  for (const auto& n : chown->notes) noted = noted || n.find("COPY --chown") != std::string::npos;
  QVERIFY(noted);
  QVERIFY(e.coverage.complete);
}

void TestCoverage::cheapCommandsNearZero() {
  auto e = estimateText("FROM python:3.12-slim\nRUN mkdir -p /app/media && useradd --create-home app\n");
  const auto* l = layerAt(e, 2);
  QVERIFY(l);
  QVERIFY(l->basis != Basis::Unknown);
  QVERIFY(l->disk.high > 0);               // measured, not a silent 0
  QVERIFY(l->disk.high < 100'000);         // a few kB
  QVERIFY(!l->source.empty());
}

// A second pip install of what the same environment already has writes nothing (pip: "Requirement
// already satisfied"); --force-reinstall and another venv write it again.
void TestCoverage::pipAlreadySatisfied() {
  auto e = estimateText(
      "FROM python:3.12-slim\n"
      "RUN pip install --no-cache-dir requests==2.31.0\n"
      "RUN pip install --no-cache-dir requests==2.31.0 flask\n"
      "RUN pip install --no-cache-dir --force-reinstall requests==2.31.0\n"
      "RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir requests==2.31.0\n");
  const auto* first = layerAt(e, 2);
  const auto* again = layerAt(e, 3);
  const auto* forced = layerAt(e, 4);
  const auto* venv = layerAt(e, 5);
  QVERIFY(first && again && forced && venv);
  QVERIFY(first->disk.mid > 300'000);  // requests and its dependencies
  QVERIFY(again->basis != Basis::Unknown);
  QVERIFY2(again->reason.find("already satisfied") != std::string::npos, again->reason.c_str());
  // Only flask and what it adds: less than flask alone plus everything again.
  auto flaskOnly = estimateText("FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n");
  const auto* fl = layerAt(flaskOnly, 2);
  QVERIFY(fl);
  QVERIFY2(again->disk.mid < first->disk.mid + fl->disk.mid,
           qPrintable(QString("%1 vs %2 + %3").arg(again->disk.mid).arg(first->disk.mid).arg(fl->disk.mid)));
  QVERIFY2(forced->disk.mid >= first->disk.mid * 9 / 10, qPrintable(QString::number(forced->disk.mid)));
  QVERIFY2(venv->disk.mid >= first->disk.mid, qPrintable(QString::number(venv->disk.mid)));
  // requests is listed once per time it is written: the first install, the forced reinstall, the venv.
  int requestsRows = 0;
  for (const auto& p : e.packages) requestsRows += p.name == "requests";
  QCOMPARE(requestsRows, 3);
}

void TestCoverage::recommendsCounted() {
  auto with = estimateText("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n");
  auto without = estimateText(
      "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n");
  const auto* a = layerAt(with, 2);
  const auto* b = layerAt(without, 2);
  QVERIFY(a && b);
  QVERIFY2(a->disk.mid > b->disk.mid, qPrintable(QString("%1 vs %2").arg(a->disk.mid).arg(b->disk.mid)));
  QVERIFY(b->disk.mid > 1'000'000);
  QVERIFY(with.coverage.complete);
}

void TestCoverage::condaAndDownloadsUnknown() {
  auto e = estimateText(
      "FROM python:3.12-slim\n"
      "RUN conda install -y numpy\n"
      "RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /opt\n"
      "RUN npm ci && npm run build\n");
  for (int line : {2, 3, 4}) {
    const auto* l = layerAt(e, line);
    QVERIFY(l);
    QCOMPARE(l->basis, Basis::Unknown);
    QVERIFY(!l->unknownParts.empty());
  }
  QCOMPARE(e.coverage.unknownCount, 3);
  QVERIFY(e.coldLowerBound);
}

void TestCoverage::venvSeedsPip() {
  auto e = estimateText(
      "FROM python:3.12-slim AS build\n"
      "RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir flask\n"
      "FROM python:3.12-slim\n"
      "COPY --from=build /venv /venv\n");
  const auto* run = e.layers.size() ? layerAt(e, 4) : nullptr;
  QVERIFY(run);
  QCOMPARE(run->basis, Basis::Model);
  // flask and its dependencies plus the pip the venv was seeded with
  QVERIFY2(run->disk.mid > 5'000'000, qPrintable(QString::number(run->disk.mid)));
}

// Patterns from the corpus of public Dockerfiles (scripts/corpus-report.py), in our own words.
void TestCoverage::corpusPatterns() {
  // pip install of a local archive: not catalogued, so unknown (was a silent 0).
  auto local = estimateText("FROM python:3.12-slim\nRUN pip install --no-cache-dir /dist/app-1.0.tar.gz\n");
  QCOMPARE(layerAt(local, 2)->basis, Basis::Unknown);
  // The PyTorch index serves its own builds: PyPI's CUDA-laden torch would be wrong by gigabytes.
  auto torch = estimateText("FROM python:3.12-slim\nRUN pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu\n");
  QCOMPARE(layerAt(torch, 2)->basis, Basis::Unknown);
  // A build's output copied into FROM scratch: the build is unknown, so is what is copied from it.
  auto scratch = estimateText(
      "FROM python:3.12-slim AS builder\nWORKDIR /app\nRUN pyinstaller --onefile main.py\n"
      "FROM scratch\nCOPY --from=builder /app/dist/main /main\n");
  QCOMPARE(layerAt(scratch, 5)->basis, Basis::Unknown);
  QVERIFY(!scratch.coverage.complete);
  // chown -R of a folder this stage just made (and nothing wrote into) is near 0, not unknown.
  auto mk = estimateText("FROM python:3.12-slim\nRUN mkdir -p /data && useradd app && chown -R app /data\n");
  QVERIFY(layerAt(mk, 2)->basis != Basis::Unknown);

  // pip -r names the file where COPY put it: COPY backend/requirements.txt . then -r requirements.txt.
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "backend/requirements.txt", "requests\n");
  writeFile(dir / "Dockerfile",
            "FROM python:3.12-slim\nWORKDIR /srv\nCOPY backend/requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n");
  auto a = analyzeAt(dir);
  const auto* pip = layerAt(a.variants.front().estimate, 4);
  QVERIFY(pip);
  QVERIFY2(pip->basis != Basis::Unknown, pip->unknownParts.empty() ? "" : pip->unknownParts.front().c_str());
  QVERIFY(pip->disk.mid > 100'000);
}

// The seed pattern from the issue: four stages on python:latest and python:slim, the final
// stage FROM base. Its image weighs at least python:slim plus its packages.
void TestCoverage::fourStageSeed() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "requirements.txt", "flask==3.1.3\nrequests\n");
  writeFile(dir / "app/main.py", "print('hi')\n");
  writeFile(dir / "Dockerfile",
            "FROM python:latest AS dep-builder\n"
            "WORKDIR /build\n"
            "COPY requirements.txt .\n"
            "RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt\n"
            "FROM python:slim AS base\n"
            "ENV PYTHONUNBUFFERED=1\n"
            "FROM base AS app-builder\n"
            "COPY --from=dep-builder /wheels /wheels\n"
            "RUN pip install --no-cache-dir /wheels/*.whl\n"
            "FROM base AS final\n"
            "COPY --from=app-builder /usr/local /usr/local\n"
            "COPY app /app\n"
            "CMD [\"python\", \"/app/main.py\"]\n");
  auto a = analyzeAt(dir);
  const auto& v = a.variants.front();
  QVERIFY(!v.parseError);
  const auto& e = v.estimate;
  const auto* slim = knowledge()->bases.resolve("python:slim", "amd64").image;
  QVERIFY2(slim, "python:slim resolves in the catalogue");
  QVERIFY(slim->diskTotal);
  const auto* pkgs = layerAt(e, 11);
  QVERIFY(pkgs);
  QVERIFY2(pkgs->disk.mid > 1'000'000, qPrintable(QString::number(pkgs->disk.mid)));  // flask + requests, installed
  QVERIFY2(e.disk.mid >= *slim->diskTotal + pkgs->disk.mid, qPrintable(QString::number(e.disk.mid)));
}

void TestCoverage::contextFromSubfolder() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "requirements.txt", "requests\n");
  writeFile(dir / "src/app.py", std::string(20000, 'x'));
  writeFile(dir / "docker/Dockerfile",
            "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY src /app\n");
  auto a = analyzeAt(dir, "docker/Dockerfile");
  const auto& v = a.variants.front();
  QCOMPARE(fs::path(a.context.root).lexically_normal(), dir.lexically_normal());
  QVERIFY2(a.contextNote.find("docker build -f") != std::string::npos, a.contextNote.c_str());
  const auto* pip = layerAt(v.estimate, 3);
  QVERIFY(pip);
  QVERIFY2(pip->basis != Basis::Unknown, pip->unknownParts.empty() ? "" : pip->unknownParts.front().c_str());
  QVERIFY(pip->disk.mid > 100'000);
  const auto* src = layerAt(v.estimate, 4);
  QVERIFY(src);
  QCOMPARE(src->disk.mid, std::uint64_t(20000));
  QVERIFY(v.estimate.coverage.complete);

  // --context wins, and a wrong one shows the COPY sources as unknown, not 0.
  estimate::AnalysisOptions opt;
  opt.contextDir = (dir / "docker").string();
  auto aw = analyzeAt(dir, "docker/Dockerfile", opt);
  const auto& w = aw.variants.front();
  const auto* src2 = layerAt(w.estimate, 4);
  QVERIFY(src2);
  QCOMPARE(src2->basis, Basis::Unknown);
  QVERIFY(!w.estimate.coverage.complete);
}

// `ADD / /src` copies the context's root, as `COPY . /src` does: `pip install .` there installs the
// context's project (it read "Python requirement /": a folder of that name). A Dockerfile in a
// subfolder that does so, with no project beside it, is built from the folder above that has one.
void TestCoverage::rootSourceIsTheWholeContext() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "pyproject.toml", "[project]\nname = \"app\"\nversion = \"1.0\"\ndependencies = [\"requests\"]\n");
  writeFile(dir / "src/app/__init__.py", "");
  for (const char* root : {"/", "./"}) {
    writeFile(dir / "Dockerfile", std::string("FROM python:3.12-slim\nADD ") + root + " /octo/src\nWORKDIR /octo/src\nRUN pip install --no-cache-dir .\n");
    auto a = analyzeAt(dir);
    const auto* pip = layerAt(a.variants.front().estimate, 4);
    QVERIFY(pip);
    QVERIFY2(pip->unknownParts.empty(), pip->unknownParts.empty() ? root : pip->unknownParts.front().c_str());
    QVERIFY2(pip->disk.mid > 100'000, root);  // requests and its dependencies
  }
  writeFile(dir / "ci/canary/Dockerfile", "FROM python:3.12-slim\nADD / /octo/src\nWORKDIR /octo/src\nRUN pip install --no-cache-dir .\n");
  auto a = analyzeAt(dir, "ci/canary/Dockerfile");
  QCOMPARE(fs::path(a.context.root).lexically_normal(), dir.lexically_normal());
  QVERIFY2(a.contextNote.find("docker build -f ci/canary/Dockerfile ") != std::string::npos, a.contextNote.c_str());
  QVERIFY2(a.contextNote.find("pyproject.toml or setup.py") != std::string::npos, a.contextNote.c_str());
  const auto* pip = layerAt(a.variants.front().estimate, 4);
  QVERIFY(pip && pip->unknownParts.empty() && pip->disk.mid > 100'000);
  // Without a project install, the whole-context copy alone does not move the context.
  writeFile(dir / "ci/plain/Dockerfile", "FROM python:3.12-slim\nADD / /octo/src\n");
  auto plain = analyzeAt(dir, "ci/plain/Dockerfile");
  QCOMPARE(fs::path(plain.context.root).lexically_normal(), (dir / "ci/plain").lexically_normal());
}

// get-pip.py (wger's base image): the script is a published file of known size, and running it is
// a pip install of pip, with setuptools and wheel on a Python before 3.12 unless told not to.
void TestCoverage::getPipBootstrapSized() {
  auto layerOf = [](const std::string& run) {
    auto a = analyzeDockerfile("FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends python3 wget && rm -rf /var/lib/apt/lists/*\n" + run + "\n");
    const auto* l = layerAt(a.variants.front().estimate, 3);
    if (!l) qFatal("no layer 3");
    return *l;
  };
  const auto saved = layerOf("RUN wget https://bootstrap.pypa.io/get-pip.py && python3 get-pip.py --no-cache-dir");
  QVERIFY2(saved.unknownParts.empty(), saved.unknownParts.empty() ? "" : saved.unknownParts.front().c_str());
  QVERIFY(saved.basis != Basis::Unknown);
  const auto bare = layerOf("RUN wget https://bootstrap.pypa.io/get-pip.py && python3 get-pip.py --no-cache-dir --no-setuptools --no-wheel");
  const auto piped = layerOf("RUN curl -sS https://bootstrap.pypa.io/get-pip.py | python3 - --no-cache-dir --no-setuptools --no-wheel");
  QVERIFY2(piped.unknownParts.empty(), piped.unknownParts.empty() ? "" : piped.unknownParts.front().c_str());
  // The saved script stays in the layer: 2,226,394 bytes more than the piped one, the rest alike.
  QVERIFY2(bare.disk.mid >= piped.disk.mid + 2'226'394 && bare.disk.mid <= piped.disk.mid + 2'226'394 + 4096,
           qPrintable(QString("%1 vs %2").arg(bare.disk.mid).arg(piped.disk.mid)));
  // Python 3.10 (jammy's): setuptools and wheel come too, some MB.
  QVERIFY2(saved.disk.mid > bare.disk.mid + 1'000'000, qPrintable(QString("%1 vs %2").arg(saved.disk.mid).arg(bare.disk.mid)));
  QVERIFY(piped.disk.mid > 5'000'000);  // pip itself, installed with its bytecode
  bool noted = false;
  for (const auto& n : saved.notes) noted = noted || n.find("get-pip.py installs pip (with setuptools and wheel on Python 3.10)") != std::string::npos;
  QVERIFY(noted);
}

void TestCoverage::missingCopySourceIsUnknown() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nCOPY dist/app.whl /tmp/\n");
  auto a = analyzeAt(dir);
  const auto& v = a.variants.front();
  const auto* l = layerAt(v.estimate, 2);
  QVERIFY(l);
  QCOMPARE(l->basis, Basis::Unknown);
  QVERIFY(l->unknownParts.front().find("not found in the build context") != std::string::npos);
}

void TestCoverage::compileTimeUnknownMakesLowerBound() {
  // uwsgi has no Linux wheel and no published compile time: the cold build is a lower bound.
  auto p = estimate::openProject(testutil::sourceDir() + "/resources/examples/uwsgi-app");
  QVERIFY(p.ok());
  auto a = estimate::analyze(*p, *knowledge(), {});
  const auto& e = a.variants.front().estimate;
  QVERIFY(e.coldLowerBound);
  bool named = false;
  for (const auto& t : e.timeUnknowns) named = named || t.find("uwsgi") != std::string::npos;
  QVERIFY(named);
  QVERIFY(estimate::formatSeconds(e.buildSecondsCold, e.coldLowerBound).rfind("≥ ", 0) == 0);
}

void TestCoverage::pinnedVersionProxy() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "requirements.txt", "flask==0.12.1\n");
  writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n");
  auto a = analyzeAt(dir);
  const auto& v = a.variants.front();
  const auto* l = layerAt(v.estimate, 3);
  QVERIFY(l);
  QCOMPARE(l->basis, Basis::Proxy);
  QVERIFY2(l->proxyNote.find("asked ==0.12.1") != std::string::npos, l->proxyNote.c_str());
  bool marked = false;
  for (const auto& pk : v.estimate.packages) marked = marked || (pk.name == "flask" && pk.asked == "==0.12.1");
  QVERIFY(marked);
}

// The bundled examples: no layer that installs or copies something is a closed 0–0.
void TestCoverage::examplesNeverSilentZero() {
  for (const char* ex : {"flask-app", "uwsgi-app", "django-postgres", "datascience-app"}) {
    auto p = estimate::openProject(testutil::sourceDir() + "/resources/examples/" + ex);
    QVERIFY(p.ok());
    auto a = estimate::analyze(*p, *knowledge(), {});
    for (const auto& v : a.variants) {
      if (v.parseError) continue;
      for (const auto& l : v.estimate.layers) {
        if (l.fromBase || l.basis == Basis::Unknown || l.disk.high > 0) continue;
        // Truly adds nothing, and says so: packages already in the base, a removal in a later layer, a --virtual group deleted.
        const bool addsNothing = l.reason.find("nothing") != std::string::npos || l.reason.find("do not stay") != std::string::npos;
        QVERIFY2(addsNothing, qPrintable(QString("%1 %2 line %3: closed 0–0 (%4)").arg(ex, generate::variantId(v.kind)).arg(l.line).arg(q(l.reason))));
      }
    }
  }
}

// A wheel whose installed size was measured (installed-size-model.json measured_wheels) is sized
// by its RECORD sum, not by the median ratio of all wheels; bytecode is added for its Python files.
void TestCoverage::measuredWheelSizesItself() {
  auto plan = planOf("asgiref==3.8.1", false);
  QCOMPARE(plan.packages.size(), std::size_t(1));
  const auto& p = plan.packages[0];
  QCOMPARE(p.distribution, std::string("asgiref-3.8.1-py3-none-any.whl"));
  // The RECORD sum of that exact wheel, measured in a public venv: no range left without bytecode.
  QCOMPARE(p.installed.low, std::uint64_t(68902));
  QCOMPARE(p.installed.high, std::uint64_t(68902));
  QVERIFY2(p.reason.find("installed size measured for this wheel") != std::string::npos, p.reason.c_str());
  QVERIFY2(p.reason.find("0xdany/RAG_PDF_URLs") != std::string::npos, p.reason.c_str());  // its source
  // With bytecode (pip's default): a pure wheel's files are all Python, at the measured pyc share.
  auto withPyc = planOf("asgiref==3.8.1", true);
  QVERIFY(withPyc.packages[0].installed.mid > std::uint64_t(68902 * 3 / 2));
  QVERIFY(withPyc.packages[0].installed.mid < std::uint64_t(68902 * 5 / 2));
}

// Another version of a measured package takes that measurement's own ratio: numpy 2.0.2 (no RECORD
// measured) is sized with numpy 1.26.4's ratio, the nearest measured version below it, and its
// bytecode covers only its Python files (about a fifth: the rest is native libraries).
void TestCoverage::measuredRatioStandsInForOtherVersions() {
  auto plan = planOf("numpy==2.0.2", false);
  QCOMPARE(plan.packages.size(), std::size_t(1));
  const auto& p = plan.packages[0];
  QVERIFY(p.downloadBytes > 0);
  const double ratio = 64583749.0 / 18252005.0;  // numpy-1.26.4 cp311 manylinux: RECORD sum / wheel size
  const double expected = static_cast<double>(p.downloadBytes) * ratio;
  QVERIFY2(std::abs(static_cast<double>(p.installed.mid) - expected) < expected * 0.001,
           (std::to_string(p.installed.mid) + " vs " + std::to_string(expected)).c_str());
  QVERIFY2(p.reason.find("numpy-1.26.4-cp311") != std::string::npos, p.reason.c_str());
  QVERIFY(p.installed.low < p.installed.mid && p.installed.mid < p.installed.high);  // the catalogue-wide spread
  // pip's bytecode: about the native share's complement of the files, not the median of all compiled wheels.
  const auto pyc = planOf("numpy==2.0.2", true).packages[0].installed.mid - p.installed.mid;
  const double python = expected * (1.0 - 52755862.0 / 64583749.0);
  QVERIFY2(static_cast<double>(pyc) > python * 0.8 && static_cast<double>(pyc) < python * 1.3, std::to_string(pyc).c_str());
}

// pip compiles bytecode at install (unless --no-compile / PIP_NO_COMPILE); uv only with
// --compile-bytecode / UV_COMPILE_BYTECODE: the same requirements are smaller installed by uv.
void TestCoverage::bytecodeOnlyWhereTheInstallerCompiles() {
  auto layer = [](const std::string& env, const std::string& run) {
    auto e = estimateText("FROM python:3.12-slim\n" + env + "RUN " + run + "\n");
    const auto* l = layerAt(e, env.empty() ? 2 : 3);
    if (!l) qFatal("no layer");
    return l->disk.mid;
  };
  const auto pip = layer("", "pip install --no-cache-dir requests==2.32.3 flask==3.1.0");
  const auto pipNoCompile = layer("", "pip install --no-cache-dir --no-compile requests==2.32.3 flask==3.1.0");
  const auto pipEnv = layer("ENV PIP_NO_COMPILE=1\n", "pip install --no-cache-dir requests==2.32.3 flask==3.1.0");
  const auto uv = layer("", "uv pip install --system --no-cache requests==2.32.3 flask==3.1.0");
  const auto uvCompile = layer("", "uv pip install --system --no-cache --compile-bytecode requests==2.32.3 flask==3.1.0");
  const auto uvEnv = layer("ENV UV_COMPILE_BYTECODE=1\n", "uv pip install --system --no-cache requests==2.32.3 flask==3.1.0");
  QVERIFY(pip > 0);
  QVERIFY2(pipNoCompile < pip * 7 / 10, (std::to_string(pipNoCompile) + " vs " + std::to_string(pip)).c_str());  // pure Python: pyc ~ the sources again
  QCOMPARE(pipEnv, pipNoCompile);
  QCOMPARE(uv, pipNoCompile);
  QCOMPARE(uvCompile, pip);
  QCOMPARE(uvEnv, pip);
}

// uv sync installs the `dev` dependency group unless told not to, and --package NAME is the
// workspace member of that name (uv's Docker guide: bind-mounted uv.lock and root pyproject,
// `uv sync --frozen --package app`): not an empty venv.
void TestCoverage::uvSyncGroupsAndWorkspaceMember() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "pyproject.toml",
            "[project]\nname = \"root\"\nversion = \"0\"\ndependencies = []\n\n"
            "[dependency-groups]\ndev = [\"pytest==8.3.4\"]\n\n[tool.uv.workspace]\nmembers = [\"backend\"]\n");
  writeFile(dir / "backend/pyproject.toml",
            "[project]\nname = \"app\"\nversion = \"0\"\ndependencies = [\"requests==2.32.3\"]\n\n"
            "[dependency-groups]\ndev = [\"pytest==8.3.4\"]\n");
  auto layerOf = [&](const std::string& run) {
    writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml ./\n"
                                  "RUN --mount=type=bind,source=backend,target=backend " + run + "\n");
    auto a = analyzeAt(dir);
    for (const auto& l : a.variants[0].estimate.layers)
      if (l.line == 4) return l;
    qFatal("no layer");
  };
  auto names = [](const estimate::LayerEstimate& l) {
    std::string all;
    for (const auto& pr : l.parts) all += pr.first + ";";
    return all;
  };
  // The root project: no dependencies of its own, but its dev group by default.
  const auto root = layerOf("uv sync --no-cache");
  const auto rootNoDev = layerOf("uv sync --no-cache --no-dev");
  QVERIFY2(root.disk.mid > 1'000'000, names(root).c_str());  // pytest and its dependencies
  QVERIFY2(rootNoDev.disk.mid < 1'000'000, names(rootNoDev).c_str());  // only the venv
  const auto envNoDev = [&] {
    writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nENV UV_NO_DEV=1\nCOPY pyproject.toml ./\nRUN uv sync --no-cache\n");
    auto a = analyzeAt(dir);
    for (const auto& l : a.variants[0].estimate.layers)
      if (l.line == 4) return l.disk.mid;
    return std::uint64_t(0);
  }();
  QCOMPARE(envNoDev, rootNoDev.disk.mid);
  // The member named `app`: requests, with and without its dev group.
  const auto member = layerOf("uv sync --no-cache --no-dev --package app");
  const auto memberDev = layerOf("uv sync --no-cache --package app");
  QVERIFY2(member.disk.mid > rootNoDev.disk.mid + 300'000, names(member).c_str());  // requests and its dependencies
  QVERIFY(memberDev.disk.mid > member.disk.mid);
}

// The project's lock takes torch from the PyTorch index (its +cpu build: whisper-asr-webservice's
// poetry.lock): PyPI's CUDA torch and its gigabytes of nvidia-* wheels are not what gets installed,
// so they are left out and named, as with pip's --index-url of that index.
void TestCoverage::lockedTorchFromPyTorchIndex() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nRUN pip install --no-cache-dir torch==2.7.1 requests==2.32.3\n");
  const auto plain = analyzeAt(dir);
  std::uint64_t pypi = 0;
  for (const auto& l : plain.variants[0].estimate.layers)
    if (l.line == 2) pypi = l.disk.mid;
  writeFile(dir / "uv.lock",
            "version = 1\nrequires-python = \">=3.11\"\n\n"
            "[[package]]\nname = \"torch\"\nversion = \"2.7.1+cpu\"\nsource = { registry = \"https://download.pytorch.org/whl/cpu\" }\n\n"
            "[[package]]\nname = \"requests\"\nversion = \"2.32.3\"\nsource = { registry = \"https://pypi.org/simple\" }\n");
  const auto locked = analyzeAt(dir);
  const estimate::LayerEstimate* layer = nullptr;
  for (const auto& l : locked.variants[0].estimate.layers)
    if (l.line == 2) layer = &l;
  QVERIFY(layer);
  QCOMPARE(layer->basis, Basis::Unknown);
  bool named = false;
  for (const auto& u : layer->unknownParts) named = named || (u.find("PyTorch index") != std::string::npos && u.find("torch 2.7.1+cpu") != std::string::npos);
  QVERIFY(named);
  // PyPI's torch 2.7.1 pulls in the CUDA libraries (gigabytes); none of them is counted here.
  QVERIFY2(pypi > 2'000'000'000ull, std::to_string(pypi).c_str());
  QVERIFY2(layer->disk.mid < 100'000'000ull, std::to_string(layer->disk.mid).c_str());
}

QTEST_GUILESS_MAIN(TestCoverage)
#include "test_coverage.moc"
