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
  void select_data();
  void select();
  void catalogueFacts();
  void resolveClosure();
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

QTEST_GUILESS_MAIN(TestWheels)
#include "test_wheels.moc"
