// Wheel names, pip's tag priority and the file pip picks; the embedded catalogue.
#include <QtTest>

#include "python/catalogue_embedded.h"
#include "python/requirements.h"
#include "python/wheel.h"
#include "testutil.h"

using namespace slimbench::python;
using testutil::q;

class TestWheels : public QObject {
  Q_OBJECT
 private slots:
  void lockPinsWin();
  void names();
  void tagOrder();
  void tagIndexPerTarget();
  void select_data();
  void select();
  void catalogueFacts();
  void resolveClosure();
  void markerForks_data();
  void markerForks();
  void torchNeedsNetworkx();
  void muslWheelListUnknown();
  void conflictingPins();
  void pinnedVersionOnlyInExtra();
  void lockForkMarkersLeftOff();
  void extrasResolved();
  void dependenciesFromNearestVersion();
  void debianProxy();
};

void TestWheels::names() {
  auto w = WheelName::parse("Pillow-10.0.0-1-cp312-cp312-manylinux_2_28_x86_64.manylinux2014_x86_64.whl");
  QVERIFY(w.ok());
  QCOMPARE(q(w->name), QString("pillow"));
  QCOMPARE(q(w->build), QString("1"));
  QCOMPARE(w->platformTags.size(), std::size_t(2));
  QCOMPARE(w->tags().size(), std::size_t(2));
  auto u = WheelName::parse("six-1.16.0-py2.py3-none-any.whl");
  QVERIFY(u.ok());
  QCOMPARE(u->tags().size(), std::size_t(2));
  QVERIFY(!WheelName::parse("six-1.16.0.tar.gz").ok());
  QVERIFY(!WheelName::parse("six-1.16.0-py3-none.whl").ok());
  QVERIFY(!WheelName::parse("six-1.16.0-x-py3-none-any.whl").ok());  // build tag must start with a digit
}

void TestWheels::tagOrder() {
  Target t;  // cp312, glibc 2.36, x86_64
  auto tags = compatibleTags(t);
  auto idx = [&](const char* s) {
    for (std::size_t k = 0; k < tags.size(); ++k)
      if (tags[k].str() == s) return static_cast<int>(k);
    return -1;
  };
  QCOMPARE(q(tags.front().str()), QString("cp312-cp312-manylinux_2_36_x86_64"));
  QCOMPARE(q(tags.back().str()), QString("py30-none-any"));
  QVERIFY(idx("cp312-cp312-manylinux_2_17_x86_64") < idx("cp312-cp312-manylinux2014_x86_64"));
  QVERIFY(idx("cp312-cp312-manylinux2014_x86_64") < idx("cp312-cp312-manylinux_2_16_x86_64"));
  QVERIFY(idx("cp312-cp312-manylinux1_x86_64") < idx("cp312-cp312-linux_x86_64"));
  QVERIFY(idx("cp312-cp312-linux_x86_64") < idx("cp312-abi3-manylinux_2_36_x86_64"));
  QVERIFY(idx("cp312-none-linux_x86_64") < idx("cp311-abi3-manylinux_2_36_x86_64"));
  QVERIFY(idx("cp32-abi3-linux_x86_64") < idx("py312-none-manylinux_2_36_x86_64"));
  QVERIFY(idx("py3-none-linux_x86_64") < idx("cp312-none-any"));
  QVERIFY(idx("cp312-none-any") < idx("py3-none-any"));
  QCOMPARE(idx("cp312-cp312-manylinux_2_37_x86_64"), -1);
  QCOMPARE(idx("cp312-cp312-musllinux_1_2_x86_64"), -1);
  QCOMPARE(idx("cp313-cp313-manylinux_2_17_x86_64"), -1);
  t.arch = "aarch64";
  tags = compatibleTags(t);
  QVERIFY(idx("cp312-cp312-manylinux2014_aarch64") >= 0);
  QCOMPARE(idx("cp312-cp312-manylinux2010_aarch64"), -1);  // aarch64 starts at glibc 2.17
  t.libc = Libc::Musl;
  t.libcVersion = "1.2";
  tags = compatibleTags(t);
  QCOMPARE(q(tags.front().str()), QString("cp312-cp312-musllinux_1_2_aarch64"));
  QVERIFY(idx("cp312-cp312-musllinux_1_1_aarch64") > 0);
  QCOMPARE(idx("cp312-cp312-manylinux2014_aarch64"), -1);
}

// The shared tag index of a target is the index of its own tags: one made for another Python,
// architecture, libc, libc version or wheel era is never handed out for it, and asking again gives the same.
void TestWheels::tagIndexPerTarget() {
  std::vector<Target> targets(7);
  targets[1].python = "3.11";
  targets[2].arch = "aarch64";
  targets[3].libcVersion = "2.41";
  targets[4].libc = Libc::Musl;
  targets[4].libcVersion = "1.2";
  targets[5].python = "3.12.4";  // the same tags as 3.12
  targets[6] = targets[4];
  targets[6].musllinuxWheels = false;  // "wheels as before musllinux": no musllinux tag
  std::vector<std::shared_ptr<const TagIndex>> made;
  for (int round = 0; round < 2; ++round)
    for (std::size_t k = 0; k < targets.size(); ++k) {
      auto index = tagIndexFor(targets[k]);
      QVERIFY(index);
      QVERIFY(index->tags == compatibleTags(targets[k]));
      QCOMPARE(index->priority.size(), index->tags.size());
      QCOMPARE(index->priority.at(index->tags.front().str()), 0);
      if (round == 0) made.push_back(index);
      else QCOMPARE(index.get(), made[k].get());
    }
  QCOMPARE(made[5].get(), made[0].get());
  for (std::size_t a = 0; a < made.size(); ++a)
    for (std::size_t b = a + 1; b < made.size(); ++b)
      if (a != 5 && b != 5) QVERIFY(made[a]->tags != made[b]->tags);
}

void TestWheels::select_data() {
  QTest::addColumn<QString>("files");  // space separated; "sdist" adds an sdist
  QTest::addColumn<QString>("target");  // py/arch/libc
  QTest::addColumn<QString>("expected");
  const char* numpy =
      "numpy-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl numpy-2.0-cp312-cp312-musllinux_1_2_x86_64.whl "
      "numpy-2.0-cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl numpy-2.0-cp311-cp311-manylinux_2_17_x86_64.whl "
      "numpy-2.0-cp312-cp312-win_amd64.whl sdist";
  QTest::newRow("manylinux") << numpy << "3.12/x86_64/glibc" << "numpy-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";
  QTest::newRow("musllinux") << numpy << "3.12/x86_64/musl" << "numpy-2.0-cp312-cp312-musllinux_1_2_x86_64.whl";
  QTest::newRow("arm") << numpy << "3.12/aarch64/glibc" << "numpy-2.0-cp312-cp312-manylinux_2_17_aarch64.manylinux2014_aarch64.whl";
  QTest::newRow("musl aarch64 -> sdist") << numpy << "3.12/aarch64/musl" << "sdist";
  QTest::newRow("newer python -> sdist") << numpy << "3.13/x86_64/glibc" << "sdist";
  QTest::newRow("manylinux-only, no sdist") << "x-1-cp312-cp312-manylinux_2_28_x86_64.whl" << "3.12/x86_64/musl" << "none";
  QTest::newRow("glibc too old") << "x-1-cp312-cp312-manylinux_2_39_x86_64.whl sdist" << "3.12/x86_64/glibc" << "sdist";
  QTest::newRow("abi3 over pure") << "c-1-cp39-abi3-manylinux_2_17_x86_64.whl c-1-py3-none-any.whl" << "3.12/x86_64/glibc"
                                  << "c-1-cp39-abi3-manylinux_2_17_x86_64.whl";
  QTest::newRow("specific over abi3") << "c-1-cp39-abi3-manylinux_2_17_x86_64.whl c-1-cp312-cp312-manylinux_2_17_x86_64.whl"
                                      << "3.12/x86_64/glibc" << "c-1-cp312-cp312-manylinux_2_17_x86_64.whl";
  QTest::newRow("newest manylinux") << "c-1-cp312-cp312-manylinux_2_17_x86_64.whl c-1-cp312-cp312-manylinux_2_28_x86_64.whl"
                                    << "3.12/x86_64/glibc" << "c-1-cp312-cp312-manylinux_2_28_x86_64.whl";
  QTest::newRow("pure") << "six-1.16.0-py2.py3-none-any.whl sdist" << "3.12/aarch64/musl" << "six-1.16.0-py2.py3-none-any.whl";
  QTest::newRow("sdist only") << "sdist" << "3.12/x86_64/glibc" << "sdist";
  QTest::newRow("build tag") << "b-1-1-py3-none-any.whl b-1-2-py3-none-any.whl" << "3.12/x86_64/glibc" << "b-1-2-py3-none-any.whl";
  QTest::newRow("nothing") << "" << "3.12/x86_64/glibc" << "none";
}

void TestWheels::select() {
  QFETCH(QString, files);
  QFETCH(QString, target);
  QFETCH(QString, expected);
  Release r;
  for (const auto& f : files.split(' ', Qt::SkipEmptyParts)) {
    if (f == "sdist") r.sdistSize = 1000;
    else r.wheels.push_back({f.toStdString(), 10});
  }
  auto parts = target.split('/');
  Target t;
  t.python = parts[0].toStdString();
  t.arch = parts[1].toStdString();
  if (parts[2] == "musl") { t.libc = Libc::Musl; t.libcVersion = "1.2"; }
  auto s = selectDistribution(r, t);
  QString got = s.kind == Selection::None ? "none" : q(s.distribution());
  QCOMPARE(got, expected);
  QVERIFY(!s.reason.empty());
}

void TestWheels::catalogueFacts() {
  auto c = embeddedCatalogue();
  QVERIFY2(c.ok(), c.ok() ? "" : c.error().message.c_str());
  QVERIFY(c->size() > 2000);
  Target glibc, musl;
  musl.libc = Libc::Musl;
  musl.libcVersion = "1.2";
  // Facts the shared data's README names: no Linux wheels for psycopg2/uwsgi, no musllinux for scikit-learn.
  for (const char* n : {"psycopg2", "uwsgi"}) {
    const auto& rel = c->find(n);
    QVERIFY2(!rel.empty(), n);
    QCOMPARE(selectDistribution(rel.front(), glibc).kind, Selection::Sdist);
  }
  const auto& sk = c->find("Scikit_Learn");
  QVERIFY(!sk.empty());
  QCOMPARE(selectDistribution(sk.front(), glibc).kind, Selection::Wheel);
  QCOMPARE(selectDistribution(sk.front(), musl).kind, Selection::Sdist);
  QVERIFY(!sk.front().source.empty());
}

void TestWheels::resolveClosure() {
  auto c = embeddedCatalogue();
  QVERIFY(c.ok());
  std::vector<Requirement> reqs;
  for (const char* s : {"Flask", "nonexistent-package-xyz", "numpy<1"})
    reqs.push_back(*parseRequirement(s));
  auto res = resolve(reqs, Target{}, *c);
  QVERIFY(res.find("flask"));
  QVERIFY(res.find("werkzeug"));  // a dependency of flask in the lock data
  QVERIFY(res.find("werkzeug")->requiredBy.at(0) == "flask");
  QStringList unknown;
  for (const auto& u : res.unknowns) unknown << q(u.name);
  QVERIFY(unknown.contains("nonexistent-package-xyz"));
  QVERIFY(unknown.contains("numpy"));  // no catalogue version satisfies <1: reported, not dropped
}

// The project's lock decides the version when it satisfies the specifiers (not the newest catalogued one).
void TestWheels::lockPinsWin() {
  Catalogue c;
  for (const char* v : {"3.15", "3.19"}) {
    CatalogueRelease r;
    r.name = "idna";
    r.version = v;
    r.wheels.push_back({std::string("idna-") + v + "-py3-none-any.whl", 60000});
    r.dependencies = std::vector<CatalogueDependency>{};
    c.add(r);
  }
  auto req = parseRequirement("idna>=3");
  QVERIFY(req.ok());
  Target t;
  auto newest = resolve({*req}, t, c);
  QCOMPARE(QString::fromStdString(newest.packages.at(0).version), QString("3.19"));
  ResolveOptions ro;
  ro.pinned["idna"] = "3.15";
  auto locked = resolve({*req}, t, c, ro);
  QCOMPARE(QString::fromStdString(locked.packages.at(0).version), QString("3.15"));
  ro.pinned["idna"] = "2.10";  // a pin the specifiers exclude is not taken
  auto excluded = resolve({*req}, t, c, ro);
  QCOMPARE(QString::fromStdString(excluded.packages.at(0).version), QString("3.19"));
}

// Dependency markers copied from one uv.lock: a name listed several times applies when any
// marker holds; python/platform-only splits that all miss the target (that lock's resolution
// forks) are included with a note; anything else false is listed in skippedByMarker.
void TestWheels::markerForks_data() {
  QTest::addColumn<QStringList>("markers");  // the occurrences of dependency "dep"
  QTest::addColumn<QString>("python");
  QTest::addColumn<QString>("expected");  // included, forked (included with a note) or skipped
  QTest::newRow("no marker") << QStringList{""} << "3.12" << "included";
  QTest::newRow("one true") << QStringList{"python_version < '3.11'", "python_version >= '3.11'"} << "3.12" << "included";
  QTest::newRow("second true only") << QStringList{"sys_platform == 'win32'", "python_version >= '3.12'"} << "3.12"
                                    << "included";
  QTest::newRow("torch-like forks all false")
      << QStringList{"python_full_version < '3.11'",
                     "(python_full_version >= '3.11' and platform_machine != 'x86_64') or (python_full_version >= '3.13' and "
                     "platform_machine == 'x86_64' and sys_platform == 'linux')"}
      << "3.12" << "forked";
  QTest::newRow("win32 only") << QStringList{"sys_platform == 'win32'"} << "3.12" << "skipped";
  QTest::newRow("uv conflict extra") << QStringList{"python_full_version < '3.13' and extra == 'extra-5-skyrl-jax'"} << "3.12"
                                     << "forked";
  QTest::newRow("real extra, single") << QStringList{"python_full_version < '3.13' and extra == 'jax'"} << "3.12"
                                      << "skipped";
  QTest::newRow("extra name like uv's but no number") << QStringList{"extra == 'extra-jax'"} << "3.12" << "skipped";
  QTest::newRow("single python bound") << QStringList{"python_version < '3.11'"} << "3.12" << "skipped";
  QTest::newRow("extra, not a fork") << QStringList{"extra == 'x'", "python_version < '3.9'"} << "3.12" << "skipped";
  QTest::newRow("implementation, not a fork")
      << QStringList{"implementation_name == 'pypy'", "python_version < '3.9'"} << "3.12" << "skipped";
}

void TestWheels::markerForks() {
  QFETCH(QStringList, markers);
  QFETCH(QString, python);
  QFETCH(QString, expected);
  Catalogue c;
  CatalogueRelease top;
  top.name = "top";
  top.version = "1.0";
  top.wheels.push_back({"top-1.0-py3-none-any.whl", 100});
  top.dependencies = std::vector<CatalogueDependency>{};
  for (const auto& m : markers) top.dependencies->push_back({"dep", m.toStdString(), {}});
  c.add(top);
  CatalogueRelease dep;
  dep.name = "dep";
  dep.version = "2.0";
  dep.wheels.push_back({"dep-2.0-py3-none-any.whl", 200});
  dep.dependencies = std::vector<CatalogueDependency>{};
  c.add(dep);
  Target t;
  t.python = python.toStdString();
  auto res = resolve({*parseRequirement("top")}, t, c);
  QString got;
  if (const auto* p = res.find("dep")) got = p->note.empty() ? "included" : "forked";
  else if (!res.skippedByMarker.empty()) got = "skipped";
  else got = "dropped silently";
  QCOMPARE(got, expected);
  if (expected == "skipped") {
    QCOMPARE(res.skippedByMarker.size(), std::size_t(markers.size()));
    QCOMPARE(q(res.skippedByMarker[0].name), QString("dep"));
    QCOMPARE(q(res.skippedByMarker[0].requiredBy), QString("top"));
    QCOMPARE(q(res.skippedByMarker[0].marker), markers[0]);
  } else {
    QVERIFY(res.skippedByMarker.empty());
  }
}

// The embedded catalogue's torch lists networkx twice with fork markers that both miss
// CPython 3.12 on x86_64 Linux; pip installs networkx there.
void TestWheels::torchNeedsNetworkx() {
  auto c = embeddedCatalogue();
  QVERIFY(c.ok());
  Target t;  // 3.12, x86_64, glibc
  auto res = resolve({*parseRequirement("torch")}, t, *c);
  QVERIFY(res.find("torch"));
  const auto* nx = res.find("networkx");
  QVERIFY(nx);
  QVERIFY(!nx->note.empty());
  QCOMPARE(q(nx->requiredBy.at(0)), QString("torch"));
  for (const auto& s : res.skippedByMarker) QVERIFY2(s.name != "networkx", s.marker.c_str());
  // A skipped dependency is never dropped silently: resolved, unknown or skippedByMarker.
  for (const auto& r : c->find("torch").front().dependencies.value()) {
    bool accounted = res.find(r.name) != nullptr;
    for (const auto& u : res.unknowns) accounted = accounted || u.name == r.name;
    for (const auto& s : res.skippedByMarker) accounted = accounted || s.name == r.name;
    QVERIFY2(accounted, r.name.c_str());
  }
}

// musl: manylinux wheels but no musllinux wheel at all: the sdist is still the choice, with
// the caveat that the lock-file wheel lists may omit musllinux wheels.
void TestWheels::muslWheelListUnknown() {
  Target musl;
  musl.libc = Libc::Musl;
  musl.libcVersion = "1.2";
  Release r;
  r.name = "compiled";
  r.version = "1.0";
  r.sdistSize = 5000;
  r.wheels.push_back({"compiled-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", 100});
  auto s = selectDistribution(r, musl);
  QCOMPARE(s.kind, Selection::Sdist);
  QVERIFY(s.musllinuxUnknown);
  QVERIFY2(q(s.reason).contains("may omit musllinux wheels"), s.reason.c_str());
  // glibc: the wheel, no caveat.
  auto g = selectDistribution(r, Target{});
  QCOMPARE(g.kind, Selection::Wheel);
  QVERIFY(!g.musllinuxUnknown);
  // A musllinux wheel for another Python is listed: the list does record musllinux wheels.
  Release r2 = r;
  r2.wheels.push_back({"compiled-1.0-cp311-cp311-musllinux_1_2_x86_64.whl", 90});
  auto s2 = selectDistribution(r2, musl);
  QCOMPARE(s2.kind, Selection::Sdist);
  QVERIFY(!s2.musllinuxUnknown);
  // Pure-python wheels only: nothing to doubt.
  Release pure;
  pure.name = "pure";
  pure.version = "1.0";
  pure.wheels.push_back({"pure-1.0-py3-none-any.whl", 10});
  QVERIFY(!selectDistribution(pure, musl).musllinuxUnknown);
  // The real case from the catalogue: scikit-learn on Alpine.
  auto c = embeddedCatalogue();
  QVERIFY(c.ok());
  auto res = resolve({*parseRequirement("scikit-learn")}, musl, *c);
  QVERIFY(res.find("scikit-learn"));
  QCOMPARE(res.find("scikit-learn")->distribution.kind, Selection::Sdist);
  QVERIFY(res.find("scikit-learn")->distribution.musllinuxUnknown);
}

// A requirement and a constraint that exclude each other: both files and lines are named.
void TestWheels::conflictingPins() {
  Catalogue c;
  CatalogueRelease r;
  r.name = "aiohttp";
  r.version = "3.12.0";
  r.wheels.push_back({"aiohttp-3.12.0-py3-none-any.whl", 100});
  r.dependencies = std::vector<CatalogueDependency>{};
  c.add(r);
  Requirement req = *parseRequirement("aiohttp==3.13.5");
  req.file = "requirements.txt";
  req.line = 12;
  Requirement con = *parseRequirement("aiohttp==3.9.5");
  con.file = "constraints.txt";
  con.line = 40;
  con.constraint = true;
  auto res = resolve({req, con}, Target{}, c);
  QCOMPARE(res.unknowns.size(), std::size_t(1));
  QCOMPARE(q(res.unknowns[0].reason), QString("conflict: requirements.txt:12 asks ==3.13.5 but constraints.txt:40 pins ==3.9.5"));
  // Compatible specifiers that the catalogue just lacks: the old message.
  Requirement con2 = *parseRequirement("aiohttp<4");
  con2.file = "constraints.txt";
  con2.line = 41;
  con2.constraint = true;
  auto res2 = resolve({req, con2}, Target{}, c);
  QCOMPARE(res2.unknowns.size(), std::size_t(1));
  QVERIFY2(q(res2.unknowns[0].reason).startsWith("no version in the catalogue satisfies"), res2.unknowns[0].reason.c_str());
  // Two requirement lines that exclude each other.
  Requirement other = *parseRequirement("aiohttp>=4");
  other.file = "extra.txt";
  other.line = 3;
  auto res3 = resolve({req, other}, Target{}, c);
  QCOMPARE(res3.unknowns.size(), std::size_t(1));
  QCOMPARE(q(res3.unknowns[0].reason), QString("conflict: requirements.txt:12 asks ==3.13.5 but extra.txt:3 asks >=4"));
}

// wheels.json held one version per package (numpy 2.5.2); wheels-extra.json adds the older
// versions public locks pin. numpy==1.26.4 is now exact: that version's own files.
void TestWheels::pinnedVersionOnlyInExtra() {
  auto c = embeddedCatalogue();
  QVERIFY(c.ok());
  const auto& numpy = c->find("numpy");
  QVERIFY(numpy.size() > 10);
  QVERIFY(numpy.front().version != "1.26.4");  // not the newest: only the extra data has it
  auto res = resolve({*parseRequirement("numpy==1.26.4")}, Target{}, *c);
  const auto* p = res.find("numpy");
  QVERIFY(p);
  QCOMPARE(q(p->version), QString("1.26.4"));
  QCOMPARE(p->distribution.kind, Selection::Wheel);
  QVERIFY2(q(p->distribution.wheel.filename).startsWith("numpy-1.26.4-cp312-cp312-manylinux"), p->distribution.wheel.filename.c_str());
  QVERIFY(p->distribution.size > 1000000);
  QVERIFY(!p->source.empty());
  QVERIFY(res.unknowns.empty());
  QVERIFY(res.proxies.empty());
  // Each version keeps its own lock files as source (repository/path@commit).
  QVERIFY2(q(p->source).contains("@"), p->source.c_str());
}

// A lock that kept requests 2.31.0 only for Python < 3.8 wrote that fork's marker on each of its
// dependencies; the converter leaves it off (they hold on every Python), while a package's own
// markers stay (black's tomli on Python < 3.11).
void TestWheels::lockForkMarkersLeftOff() {
  auto c = embeddedCatalogue();
  QVERIFY(c.ok());
  auto res = resolve({*parseRequirement("requests==2.31.0")}, Target{}, *c);
  QCOMPARE(q(res.find("requests")->version), QString("2.31.0"));
  for (const char* n : {"certifi", "charset-normalizer", "idna", "urllib3"}) QVERIFY2(res.find(n), n);
  QVERIFY(res.skippedByMarker.empty());
  Target old;
  old.python = "3.10";
  const auto* black = &c->find("black").front();
  bool tomliMarked = false;
  for (const auto& d : black->dependencies.value_or(std::vector<CatalogueDependency>{}))
    tomliMarked = tomliMarked || (d.name == "tomli" && !d.marker.empty());
  QVERIFY(tomliMarked);
  QVERIFY(!resolve({*parseRequirement("black")}, Target{}, *c).find("tomli"));
  QVERIFY(resolve({*parseRequirement("black")}, old, *c).find("tomli"));
}

// A version whose lock entry does not record its dependencies (fsspec 2026.9.0 came from one such
// lock; every other fsspec version records that it has none) takes the nearest version's that do,
// as a stated proxy, instead of leaving the install unknown.
void TestWheels::dependenciesFromNearestVersion() {
  auto c = embeddedCatalogue();
  QVERIFY(c.ok());
  const auto& releases = c->find("fsspec");
  QVERIFY(!releases.empty());
  QVERIFY2(!releases.front().dependencies, "the newest fsspec's dependencies are recorded now: pick another case");
  QVERIFY(releases.size() > 1 && releases[1].dependencies);
  auto res = resolve({*parseRequirement("fsspec==" + releases.front().version)}, Target{}, *c);
  QVERIFY(res.find("fsspec"));
  for (const auto& u : res.unknowns) QVERIFY2(u.name != "fsspec", u.reason.c_str());
  bool said = false;
  for (const auto& p : res.proxies)
    said = said || (p.find("fsspec " + releases.front().version + ": dependencies read from fsspec " + releases[1].version) == 0);
  QVERIFY(said);
}

// A lock records only the extras its project asked for: django[argon2] is recorded by
// django 6.0.7's locks; asking it of that version is exact, of the newest a stated proxy.
void TestWheels::extrasResolved() {
  auto c = embeddedCatalogue();
  QVERIFY(c.ok());
  auto exact = resolve({*parseRequirement("django[argon2]==6.0.7")}, Target{}, *c);
  QVERIFY(exact.find("argon2-cffi"));
  QCOMPARE(q(exact.find("argon2-cffi")->requiredBy.at(0)), QString("django"));
  QVERIFY(exact.proxies.empty());
  for (const auto& u : exact.unknowns) QVERIFY2(u.name.find('[') == std::string::npos, u.reason.c_str());

  auto newest = resolve({*parseRequirement("django[argon2]")}, Target{}, *c);
  QCOMPARE(q(newest.find("django")->version), q(c->find("django").front().version));
  QVERIFY(newest.find("argon2-cffi"));
  QCOMPARE(newest.proxies.size(), std::size_t(1));
  QVERIFY2(q(newest.proxies[0]).contains("read from django 6.0.7"), newest.proxies[0].c_str());
  for (const auto& u : newest.unknowns) QVERIFY2(u.name != "django[argon2]", u.reason.c_str());

  auto uv = resolve({*parseRequirement("uvicorn[standard]"), *parseRequirement("psycopg[c]")}, Target{}, *c);
  for (const char* n : {"uvloop", "httptools", "watchfiles", "websockets", "psycopg-c"}) QVERIFY2(uv.find(n), n);
  // An extra no version records stays unknown.
  auto none = resolve({*parseRequirement("django[no-such-extra]")}, Target{}, *c);
  bool reported = false;
  for (const auto& u : none.unknowns) reported |= u.name == "django[no-such-extra]";
  QVERIFY(reported);
}

// No wheel data: Debian's package stands in, stated as a proxy with its source; its python3
// dependencies are followed (exact where wheel data knows them). Known nowhere: unknown.
void TestWheels::debianProxy() {
  auto c = embeddedCatalogue();
  QVERIFY(c.ok());
  auto deb = embeddedDebianProxy();
  QVERIFY2(deb.ok(), deb.ok() ? "" : deb.error().message.c_str());
  QVERIFY(deb->size() > 3000);
  QVERIFY(c->find("hvac").empty());
  ResolveOptions ro;
  ro.debian = &*deb;
  Target arm;
  arm.arch = "aarch64";
  auto res = resolve({*parseRequirement("hvac"), *parseRequirement("nonexistent-package-xyz")}, arm, *c, ro);
  const auto* p = res.find("hvac");
  QVERIFY(p);
  QVERIFY(p->debian.has_value());
  QCOMPARE(q(p->debianPackage), QString("python3-hvac"));
  QCOMPARE(q(p->debian->suite), QString("trixie"));  // no suite asked: trixie's
  QCOMPARE(q(p->debian->arch), QString("arm64"));
  QVERIFY(p->debian->installedKiB > 0);
  QCOMPARE(q(p->version), q(p->debian->upstreamVersion()));
  QVERIFY2(q(p->note).startsWith("proxy: Debian python3-hvac " + q(p->version) + ", installed size"), p->note.c_str());
  QVERIFY2(q(p->source).contains("Debian trixie main arm64 Packages"), p->source.c_str());
  QCOMPARE(p->distribution.kind, Selection::None);
  bool stated = false;
  for (const auto& pr : res.proxies) stated |= q(pr).startsWith("hvac: proxy: Debian python3-hvac");
  QVERIFY(stated);
  // Its dependency requests has wheel data: exact, from the wheels.
  QVERIFY(res.find("requests"));
  QVERIFY(!res.find("requests")->debian);
  QCOMPARE(q(res.find("requests")->requiredBy.at(0)), QString("hvac"));
  QStringList unknown;
  for (const auto& u : res.unknowns) unknown << q(u.name);
  QVERIFY(!unknown.contains("hvac"));
  QVERIFY(unknown.contains("nonexistent-package-xyz"));
  // The suite of the image is preferred.
  ro.debianSuite = "bookworm";
  auto bw = resolve({*parseRequirement("hvac")}, Target{}, *c, ro);
  QCOMPARE(q(bw.find("hvac")->debian->suite), QString("bookworm"));
  QCOMPARE(q(bw.find("hvac")->debian->arch), QString("amd64"));
  // Without the Debian data it is unknown, as before.
  auto plain = resolve({*parseRequirement("hvac")}, Target{}, *c);
  QVERIFY(!plain.find("hvac"));
  QCOMPARE(q(plain.unknowns.at(0).name), QString("hvac"));
  // An application Debian packages under its own name (dh-python's map: pipenv -> pipenv, not
  // python3-pipenv) stands in the same way; "python3" itself (a standard-library backport such as
  // argparse) never does.
  auto app = resolve({*parseRequirement("pipenv")}, Target{}, *c, ro);
  QVERIFY(app.find("pipenv"));
  QCOMPARE(q(app.find("pipenv")->debianPackage), QString("pipenv"));
  QVERIFY2(q(app.find("pipenv")->note).startsWith("proxy: Debian pipenv "), app.find("pipenv")->note.c_str());
  QVERIFY(app.find("virtualenv"));  // its python3-virtualenv dependency, followed
  auto bp = resolve({*parseRequirement("argparse")}, Target{}, *c, ro);
  QVERIFY(!bp.find("argparse") || !bp.find("argparse")->debian || bp.find("argparse")->debianPackage != "python3");
  // Debian versions: epoch and revision dropped.
  DebianBuild b;
  b.version = "1:2.2.4+ds-1";
  QCOMPARE(q(b.upstreamVersion()), QString("2.2.4"));
  b.version = "3:4.2.28-0+deb13u2";
  QCOMPARE(q(b.upstreamVersion()), QString("4.2.28"));
}

QTEST_GUILESS_MAIN(TestWheels)
#include "test_wheels.moc"
