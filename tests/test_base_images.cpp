// Base images: the FROM reference grammar, resolution to exact / proxy / unknown catalogue
// records, and the integrity of the bundled catalogue (sources, layer sums, on-disk model).
#include <QtTest>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "catalogue/base_images.h"
#include "catalogue/system_packages.h"
#include "embedded_resources.h"
#include "estimate/knowledge_embedded.h"
#include "testutil.h"

using namespace slimbench;
using catalogue::BaseBasis;
using testutil::q;

namespace {
const catalogue::BaseImageCatalogue& cat() {
  static std::shared_ptr<estimate::Knowledge> k;
  if (!k) {
    auto r = estimate::bundledKnowledge();
    if (!r) qFatal("%s", r.error().format().c_str());
    k = *r;
  }
  return k->bases;
}
const std::string kDigest = "sha256:" + std::string(64, 'a');
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

class TestBaseImages : public QObject {
  Q_OBJECT
 private slots:
  void grammar_data();
  void grammar();
  void malformed_data();
  void malformed();
  void realTags_data();
  void realTags();
  void exactWhereCatalogued();
  void proxyNotes();
  void movingTagsTakeTheNewest();
  void unknownIsNeverZero_data();
  void unknownIsNeverZero();
  void scratch();
  void widenGrowsWithDistance();
  void architecture();
  void findKeepsWorking();
  void distroPython();
  void everyRecordHasSourceAndDisk();
  void modelledDiskWithinFamilyRange();
};

// ref → registry, repository, tag, digest, version, variant, distro, alpineVersion, build
void TestBaseImages::grammar_data() {
  QTest::addColumn<QString>("ref");
  QTest::addColumn<QStringList>("want");
  auto row = [](const char* ref, QStringList w) { QTest::newRow(ref) << QString(ref) << w; };
  // registry, repository, tag, digest, version, variant, distro, alpine, build
  row("python:3", {"", "python", "3", "", "3", "default", "", "", ""});
  row("python:3.12", {"", "python", "3.12", "", "3.12", "default", "", "", ""});
  row("python:3.11.11", {"", "python", "3.11.11", "", "3.11.11", "default", "", "", ""});
  row("python:3.12-slim", {"", "python", "3.12-slim", "", "3.12", "slim", "", "", ""});
  row("python:3.12-alpine", {"", "python", "3.12-alpine", "", "3.12", "alpine", "alpine", "", ""});
  row("python:3.11.11-alpine3.19", {"", "python", "3.11.11-alpine3.19", "", "3.11.11", "alpine", "alpine", "3.19", ""});
  row("python:3.12-bookworm", {"", "python", "3.12-bookworm", "", "3.12", "default", "bookworm", "", ""});
  row("python:3.10-slim-bullseye", {"", "python", "3.10-slim-bullseye", "", "3.10", "slim", "bullseye", "", ""});
  row("python:3.9-buster", {"", "python", "3.9-buster", "", "3.9", "default", "buster", "", ""});
  row("python:3.7-stretch", {"", "python", "3.7-stretch", "", "3.7", "default", "stretch", "", ""});
  row("python:3.14.7-slim-trixie", {"", "python", "3.14.7-slim-trixie", "", "3.14.7", "slim", "trixie", "", ""});
  row("python:latest", {"", "python", "latest", "", "", "default", "", "", ""});
  row("python", {"", "python", "", "", "", "default", "", "", ""});
  row("python:slim", {"", "python", "slim", "", "", "slim", "", "", ""});
  row("python:alpine", {"", "python", "alpine", "", "", "alpine", "alpine", "", ""});
  row("python:3-slim", {"", "python", "3-slim", "", "3", "slim", "", "", ""});
  row("python:bookworm", {"", "python", "bookworm", "", "", "default", "bookworm", "", ""});
  row("python:slim-bookworm", {"", "python", "slim-bookworm", "", "", "slim", "bookworm", "", ""});
  row("docker.io/python:3.12", {"", "python", "3.12", "", "3.12", "default", "", "", ""});
  row("docker.io/library/python:3.12-slim", {"", "python", "3.12-slim", "", "3.12", "slim", "", "", ""});
  row("library/python:3.12", {"", "python", "3.12", "", "3.12", "default", "", "", ""});
  row("index.docker.io/library/python:3.12", {"", "python", "3.12", "", "3.12", "default", "", "", ""});
  QTest::newRow("digest only") << QString::fromStdString("python@" + kDigest)
                               << QStringList{"", "python", "", q(kDigest), "", "default", "", "", ""};
  QTest::newRow("tag and digest") << QString::fromStdString("docker.io/library/python:3.12-slim@" + kDigest)
                                  << QStringList{"", "python", "3.12-slim", q(kDigest), "3.12", "slim", "", "", ""};
  row("debian:12", {"", "debian", "12", "", "12", "default", "bookworm", "", ""});
  row("debian:12.2-slim", {"", "debian", "12.2-slim", "", "12.2", "slim", "bookworm", "", ""});
  row("debian:bookworm-slim", {"", "debian", "bookworm-slim", "", "", "slim", "bookworm", "", ""});
  row("debian:bookworm-20240211-slim", {"", "debian", "bookworm-20240211-slim", "", "", "slim", "bookworm", "", "20240211"});
  row("debian:11", {"", "debian", "11", "", "11", "default", "bullseye", "", ""});
  row("ubuntu:22.04", {"", "ubuntu", "22.04", "", "22.04", "default", "jammy", "", ""});
  row("ubuntu:jammy", {"", "ubuntu", "jammy", "", "22.04", "default", "jammy", "", ""});
  row("ubuntu:noble-20240212", {"", "ubuntu", "noble-20240212", "", "24.04", "default", "noble", "", "20240212"});
  row("ubuntu:latest", {"", "ubuntu", "latest", "", "", "default", "", "", ""});
  row("alpine:3.19", {"", "alpine", "3.19", "", "3.19", "default", "alpine", "3.19", ""});
  row("alpine:3.19.1", {"", "alpine", "3.19.1", "", "3.19.1", "default", "alpine", "3.19", ""});
  row("alpine:latest", {"", "alpine", "latest", "", "", "default", "alpine", "", ""});
  row("ghcr.io/astral-sh/uv:0.5", {"ghcr.io", "astral-sh/uv", "0.5", "", "", "", "", "", ""});
  row("localhost:5000/team/app:1.2", {"localhost:5000", "team/app", "1.2", "", "", "", "", "", ""});
}

void TestBaseImages::grammar() {
  QFETCH(QString, ref);
  QFETCH(QStringList, want);
  auto r = catalogue::parseImageRef(ref.toStdString());
  QVERIFY2(r.ok(), qPrintable(ref + ": " + q(r.ok() ? "" : r.error().message)));
  const QStringList got{q(r->registry), q(r->repository),   q(r->tag),           q(r->digest), q(r->version),
                        q(r->variant),  q(r->distro),       q(r->alpineVersion), q(r->build)};
  QCOMPARE(got, want);
  // the normalised form parses back to the same reference
  auto again = catalogue::parseImageRef(r->display());
  QVERIFY(again.ok());
  QCOMPARE(q(again->display()), q(r->display()));
}

void TestBaseImages::malformed_data() {
  QTest::addColumn<QString>("ref");
  QTest::addColumn<QString>("says");
  QTest::newRow("empty tag") << "python:" << "empty tag";
  QTest::newRow("space") << "PYTHON:3.12 x" << "space";
  QTest::newRow("bad digest") << "a@sha256:zz" << "64";
  QTest::newRow("short digest") << "python:3.12@sha256:abc" << "64";
  QTest::newRow("upper case") << "Python:3.12" << "lower case";
  QTest::newRow("empty") << "" << "empty";
  QTest::newRow("variable") << "python:${PY}" << "variable";
  QTest::newRow("bad tag char") << "python:3.12!" << "tag";
}

void TestBaseImages::malformed() {
  QFETCH(QString, ref);
  QFETCH(QString, says);
  auto r = catalogue::parseImageRef(ref.toStdString());
  QVERIFY2(!r.ok(), qPrintable(ref + " parsed"));
  QVERIFY2(q(r.error().message).contains(says), qPrintable(q(r.error().message)));
  QVERIFY2(q(r.error().message).contains(ref.trimmed()), "the message names the reference");
  // resolve() turns the same error into an Unknown, never a size
  auto res = cat().resolve(ref.toStdString());
  QCOMPARE(res.basis, BaseBasis::Unknown);
  QVERIFY(!res.image);
  QCOMPARE(q(res.note), q(r.error().message));
}

void TestBaseImages::realTags_data() {
  QTest::addColumn<QString>("ref");
  QTest::addColumn<bool>("exact");  // catalogued exactly (true) or by proxy (false)
  QTest::newRow("3.14.7-slim-trixie") << "python:3.14.7-slim-trixie" << true;
  QTest::newRow("3.11.11-alpine3.19") << "python:3.11.11-alpine3.19" << false;
  QTest::newRow("3.13-slim-bookworm") << "python:3.13-slim-bookworm" << true;
  QTest::newRow("3.10-slim-bullseye") << "python:3.10-slim-bullseye" << true;
  QTest::newRow("3.7-stretch") << "python:3.7-stretch" << true;
  QTest::newRow("slim") << "python:slim" << false;
  QTest::newRow("debian 12.2-slim") << "debian:12.2-slim" << false;
  QTest::newRow("pinned digest") << QString::fromStdString("docker.io/library/python:3.12-slim@" + kDigest) << true;
  QTest::newRow("ubuntu 22.04") << "ubuntu:22.04" << true;
  QTest::newRow("alpine 3.19") << "alpine:3.19" << true;
  QTest::newRow("debian 12") << "debian:12" << true;
  QTest::newRow("ubuntu jammy") << "ubuntu:jammy" << true;
  QTest::newRow("python 3.8.16-slim") << "python:3.8.16-slim" << true;   // the patch pins the bullseye build
  QTest::newRow("python 3.8.10-slim") << "python:3.8.10-slim" << false;
  QTest::newRow("python 3.11-slim-bullseye") << "python:3.11-slim-bullseye" << false;
  QTest::newRow("debian bookworm-20240211-slim") << "debian:bookworm-20240211-slim" << false;
  QTest::newRow("ubuntu noble-20240212") << "ubuntu:noble-20240212" << false;
  QTest::newRow("alpine 3.19.1") << "alpine:3.19.1" << false;
  QTest::newRow("python 3") << "python:3" << false;
  QTest::newRow("python 3-slim") << "python:3-slim" << false;
}

// Each real tag resolves within its family: same repository, same variant, the libc that goes with it.
void TestBaseImages::realTags() {
  QFETCH(QString, ref);
  QFETCH(bool, exact);
  const auto res = cat().resolve(ref.toStdString(), "amd64");
  QVERIFY2(res.basis != BaseBasis::Unknown, qPrintable(ref + ": " + q(res.note)));
  QVERIFY(res.image);
  QCOMPARE(res.basis, exact ? BaseBasis::Exact : BaseBasis::Proxy);
  QCOMPARE(q(res.image->repository()), q(res.ref.repository));
  auto imgRef = catalogue::parseImageRef(res.image->tag);
  QVERIFY(imgRef.ok());
  QCOMPARE(q(res.image->legacy ? res.image->variant : imgRef->variant), q(res.ref.variant));
  if (res.ref.repository == "python") QCOMPARE(q(res.image->libc), q(res.ref.variant == "alpine" ? "musl" : "glibc"));
  if (!res.ref.distro.empty() && res.ref.repository == "python" && res.ref.variant != "alpine" && exact)
    QCOMPARE(q(res.image->debianSuite()), q(res.ref.distro));
  QVERIFY(res.image->diskTotal.has_value() && *res.image->diskTotal > 0);
  if (exact) QCOMPARE(res.widen, 0.0);
  else QVERIFY2(res.widen > 0 && res.widen <= 0.5, qPrintable(QString::number(res.widen)));
}

// Every catalogued tag, asked as written, is found exactly (on its own architecture).
void TestBaseImages::exactWhereCatalogued() {
  int n = 0;
  for (const auto& b : cat().all()) {
    const auto res = cat().resolve(b.tag, b.arch);
    QVERIFY2(res.basis == BaseBasis::Exact, qPrintable(q(b.tag + " " + b.arch + ": " + res.note)));
    QVERIFY(res.image);
    QCOMPARE(q(res.image->tag), q(b.tag));
    QCOMPARE(q(res.image->arch), q(b.arch));
    ++n;
  }
  QVERIFY(n >= 70);
}

void TestBaseImages::proxyNotes() {
  const auto a = cat().resolve("python:3.11.11-alpine3.19");
  QCOMPARE(a.basis, BaseBasis::Proxy);
  QCOMPARE(q(a.image->tag), q("python:3.11-alpine"));  // same minor beats another python on alpine 3.17
  QVERIFY2(contains(a.note, "python:3.11.11-alpine3.19") && contains(a.note, "python:3.11-alpine"), a.note.c_str());
  QVERIFY2(contains(a.note, a.image->alpineRelease()) && contains(a.note, "musl"), a.note.c_str());
  const auto d = cat().resolve("debian:12.2-slim");
  QCOMPARE(q(d.image->tag), q("debian:bookworm-slim"));
  QVERIFY2(contains(d.note, "debian:12.2-slim") && contains(d.note, "debian:bookworm-slim"), d.note.c_str());
  // a suite not catalogued for that minor: the same suite wins over the same minor on another suite
  const auto s = cat().resolve("python:3.11-slim-bullseye");
  QCOMPARE(s.basis, BaseBasis::Proxy);
  QCOMPARE(q(s.image->debianSuite()), q("bullseye"));
  QVERIFY2(contains(s.note, "python:3.11-slim-bullseye") && contains(s.note, s.image->tag), s.note.c_str());
}

// latest / slim / 3 are the newest catalogued release of that variant (computed from the data).
void TestBaseImages::movingTagsTakeTheNewest() {
  for (const char* variant : {"default", "slim", "alpine"}) {
    int newest = -1;
    for (const auto& b : cat().all()) {
      auto r = catalogue::parseImageRef(b.tag);
      if (!r || r->repository != "python" || b.legacy || r->variant != variant || b.pythonVersion.empty()) continue;
      newest = std::max(newest, std::stoi(b.pythonVersion.substr(2, b.pythonVersion.find('.', 2) - 2)));
    }
    QVERIFY(newest > 0);
    const std::string ref = std::string(variant) == "default" ? "python:latest" : std::string("python:") + variant;
    const auto res = cat().resolve(ref);
    QCOMPARE(res.basis, BaseBasis::Proxy);
    QVERIFY2(res.image->pythonVersion.rfind("3." + std::to_string(newest) + ".", 0) == 0,
             qPrintable(q(ref + " → " + res.image->tag + " " + res.image->pythonVersion)));
    QVERIFY2(contains(res.note, "moving tag"), res.note.c_str());
  }
  QCOMPARE(q(cat().resolve("python").image->tag), q(cat().resolve("python:latest").image->tag));
  QCOMPARE(q(cat().resolve("python:3").image->tag), q(cat().resolve("python:latest").image->tag));
}

void TestBaseImages::unknownIsNeverZero_data() {
  QTest::addColumn<QString>("ref");
  QTest::addColumn<QString>("says");
  QTest::newRow("private registry") << "registry.example.com/team/app:1.2" << "registry.example.com";
  QTest::newRow("ghcr") << "ghcr.io/astral-sh/uv:0.5" << "ghcr.io";
  QTest::newRow("hub user image") << "mycompany/app:1" << "mycompany/app";
  QTest::newRow("no family") << "node:20-slim" << "node";
  QTest::newRow("windows variant") << "python:3.12-windowsservercore" << "windowsservercore";
  QTest::newRow("python 2") << "python:2.7-slim" << "3.x";
}

void TestBaseImages::unknownIsNeverZero() {
  QFETCH(QString, ref);
  QFETCH(QString, says);
  const auto res = cat().resolve(ref.toStdString());
  QCOMPARE(res.basis, BaseBasis::Unknown);
  QVERIFY(!res.image);
  QCOMPARE(res.widen, 0.0);
  QVERIFY2(q(res.note).contains(says), res.note.c_str());
  QVERIFY2(q(res.note).contains("catalogued") || q(res.note).contains("catalogue"), res.note.c_str());  // says why: not in the catalogue
  QVERIFY(!cat().find(ref.toStdString()));
}

void TestBaseImages::scratch() {
  const auto res = cat().resolve("scratch");
  QCOMPARE(res.basis, BaseBasis::Exact);
  QVERIFY(!res.image);
  QCOMPARE(q(res.note), q("scratch: empty"));
}

void TestBaseImages::widenGrowsWithDistance() {
  const double patch = cat().resolve("alpine:3.19.1").widen;
  const double two = cat().resolve("alpine:3.16").widen;
  const double six = cat().resolve("alpine:3.12").widen;
  QVERIFY2(patch > 0 && patch < two && two < six && six <= 0.5,
           qPrintable(QString("%1 %2 %3").arg(patch).arg(two).arg(six)));
  const double oneRelease = cat().resolve("debian:buster-slim").widen;  // bullseye-slim stands in
  const double twoReleases = cat().resolve("debian:stretch-slim").widen;
  QVERIFY2(oneRelease > 0 && oneRelease < twoReleases, qPrintable(QString("%1 %2").arg(oneRelease).arg(twoReleases)));
  QCOMPARE(cat().resolve("alpine:3.0").widen, 0.5);  // 18 releases away: capped
}

void TestBaseImages::architecture() {
  const auto arm = cat().resolve("python:3.12-slim", "arm64");
  QCOMPARE(arm.basis, BaseBasis::Exact);
  QCOMPARE(q(arm.image->arch), q("arm64"));
  QVERIFY(arm.image->compressedTotal != cat().resolve("python:3.12-slim", "amd64").image->compressedTotal);
  // only amd64 read for python:3.9: it stands in, flagged and widened
  const auto old = cat().resolve("python:3.9", "arm64");
  QCOMPARE(old.basis, BaseBasis::Proxy);
  QCOMPARE(q(old.image->arch), q("amd64"));
  QVERIFY2(contains(old.note, "amd64") && old.widen >= 0.10, old.note.c_str());
  QCOMPARE(cat().resolve("python:3.9", "amd64").basis, BaseBasis::Exact);
  // arm64 records carry no history lines of their own: they take the amd64 record's lines of the
  // same resolved tag (the layer categories come from them), saying so.
  for (const char* tag : {"python:3.12", "python:3.12-slim", "python:3.12-alpine"}) {
    const auto a = cat().resolve(tag, "arm64");
    const auto x = cat().resolve(tag, "amd64");
    QVERIFY(a.image && x.image);
    QCOMPARE(q(a.image->arch), q("arm64"));
    QCOMPARE(a.image->layers.size(), x.image->layers.size());
    for (std::size_t i = 0; i < a.image->layers.size(); ++i) {
      QVERIFY2(a.image->layers[i].history.rfind(x.image->layers[i].history, 0) == 0, tag);
      QVERIFY2(contains(a.image->layers[i].history, "history line of the amd64 image"), tag);
    }
  }
}

// find() keeps its contract: exact or old normalisations, never a far proxy.
void TestBaseImages::findKeepsWorking() {
  const auto* a = cat().find("python:3.12.3-slim");
  QVERIFY(a);
  QCOMPARE(q(a->tag), q("python:3.12-slim"));
  const auto* b = cat().find("docker.io/library/python:3.12");
  QVERIFY(b);
  QCOMPARE(q(b->tag), q("python:3.12"));
  const auto* c = cat().find("debian:12");
  QVERIFY(c);
  QCOMPARE(q(c->tag), q("debian:bookworm"));
  QVERIFY(!cat().find("python:3.11-slim-bullseye"));  // a proxy, not a find
  QVERIFY(!cat().find("debian:12.2-slim"));
}

// The python3 each release ships agrees with the committed Debian Packages indexes.
void TestBaseImages::distroPython() {
  for (const char* suite : {"bookworm", "trixie"}) {
    const std::string key = std::string(suite) + "-amd64";
    const auto text = resources::find("catalogue/debian/" + key + ".json");
    const auto table = resources::find("catalogue/debian/" + key + ".pkgs.zst");
    QVERIFY(text && table);
    const auto deb = catalogue::DebianCatalogue::fromResources(*text, *table, "", suite, "amd64", key);
    const auto py = deb.package("python3");
    QVERIFY2(py, qPrintable(q(key + ": no python3")));
    const std::string v = py->version;
    QVERIFY2(v.rfind(cat().distroPython(suite) + ".", 0) == 0, qPrintable(q(std::string(suite) + " " + v)));
    QVERIFY(!cat().distroPythonSource(suite).empty());
  }
  QCOMPARE(q(cat().distroPython("nosuch")), QString());
  int n = 0;
  for (const auto& b : cat().all()) {
    const auto repo = b.repository();
    if (repo != "debian" && repo != "ubuntu") continue;
    QVERIFY2(!b.distroPython.empty() && !b.distroPythonSource.empty(), b.tag.c_str());
    ++n;
  }
  QVERIFY(n >= 8);
  QCOMPARE(q(cat().resolve("ubuntu:22.04").image->distroPython), q("3.10"));
  QCOMPARE(q(cat().resolve("debian:bullseye-slim").image->distroPython), q("3.9"));
}

void TestBaseImages::everyRecordHasSourceAndDisk() {
  for (const auto& b : cat().all()) {
    QVERIFY2(!b.source.empty(), b.tag.c_str());
    if (!b.legacy) QVERIFY2(!b.built.empty(), b.tag.c_str());
    QVERIFY2(b.diskTotal && *b.diskTotal > 0, qPrintable(q(b.tag + " " + b.arch + " has no on-disk size")));
    if (b.legacy) continue;
    std::uint64_t sum = 0;
    for (const auto& l : b.layers) sum += l.compressedBytes;
    QCOMPARE(sum, b.compressedTotal);
    std::uint64_t disk = 0;
    for (const auto& l : b.layers) disk += l.diskBytes;
    QCOMPARE(disk, *b.diskTotal);
    QVERIFY2(contains(b.source, "@"), b.source.c_str());  // names its commit
  }
}

// A record without a docker-inspect size gets compressed × its family's ratio, inside the range
// of the measured members, and says so.
void TestBaseImages::modelledDiskWithinFamilyRange() {
  int modelled = 0;
  for (const auto& b : cat().all()) {
    if (!b.diskModelled || b.arch != "amd64") continue;
    ++modelled;
    QVERIFY2(contains(b.diskNote, "median"), b.diskNote.c_str());
    QVERIFY(b.diskPrecision > 0);
    double lo = 1e9, hi = 0;
    for (const auto& o : cat().all())
      if (!o.legacy && !o.diskModelled && o.arch == "amd64" && o.diskTotal && o.libc == b.libc &&
          o.repository() == "python" && b.repository() == "python" && o.variant == b.variant) {
        const double r = static_cast<double>(*o.diskTotal) / static_cast<double>(o.compressedTotal);
        lo = std::min(lo, r);
        hi = std::max(hi, r);
      }
    if (hi == 0) continue;
    const double ratio = static_cast<double>(*b.diskTotal) / static_cast<double>(b.compressedTotal);
    QVERIFY2(ratio >= lo - 1e-6 && ratio <= hi + 1e-6, qPrintable(q(b.tag) + QString(" %1 not in %2..%3").arg(ratio).arg(lo).arg(hi)));
    QVERIFY(*b.diskTotal + b.diskPrecision >= static_cast<std::uint64_t>(hi * static_cast<double>(b.compressedTotal)) - 1);
  }
  QVERIFY(modelled >= 3);  // python 3.9 (2023), 3.8 and 3.7 bullseye builds, 3.6/3.7 stretch
}

QTEST_GUILESS_MAIN(TestBaseImages)
#include "test_base_images.moc"
