// PEP 440: version normalisation, ordering and specifier matching, from the
// PEP's own examples and the cases pip users run into.
#include <QtTest>

#include "python/version.h"
#include "testutil.h"

using namespace slimbench::python;
using testutil::q;

class TestPep440 : public QObject {
  Q_OBJECT
 private slots:
  void normalise_data();
  void normalise();
  void invalid_data();
  void invalid();
  void ordering();
  void specifiers_data();
  void specifiers();
  void badSpecifiers_data();
  void badSpecifiers();
  void bestCandidate();
  void names_data();
  void names();
};

void TestPep440::normalise_data() {
  QTest::addColumn<QString>("in");
  QTest::addColumn<QString>("out");
  QTest::newRow("plain") << "1.0" << "1.0";
  QTest::newRow("v prefix") << "v1.0" << "1.0";
  QTest::newRow("upper") << "1.0RC1" << "1.0rc1";
  QTest::newRow("alpha") << "1.1alpha1" << "1.1a1";
  QTest::newRow("beta sep") << "1.1-beta.2" << "1.1b2";
  QTest::newRow("c") << "1.1c3" << "1.1rc3";
  QTest::newRow("pre") << "1.1pre3" << "1.1rc3";
  QTest::newRow("preview") << "1.1.preview3" << "1.1rc3";
  QTest::newRow("implicit pre 0") << "1.2a" << "1.2a0";
  QTest::newRow("post sep") << "1.2-post2" << "1.2.post2";
  QTest::newRow("post nosep") << "1.2post2" << "1.2.post2";
  QTest::newRow("rev") << "1.0-r4" << "1.0.post4";
  QTest::newRow("implicit post") << "1.0-1" << "1.0.post1";
  QTest::newRow("post implicit 0") << "1.2.post" << "1.2.post0";
  QTest::newRow("dev sep") << "1.2-dev2" << "1.2.dev2";
  QTest::newRow("dev implicit") << "1.2.dev" << "1.2.dev0";
  QTest::newRow("local seps") << "1.0+ubuntu-1" << "1.0+ubuntu.1";
  QTest::newRow("local case") << "1.0+CPU" << "1.0+cpu";
  QTest::newRow("leading zeros") << "01.002.0003" << "1.2.3";
  QTest::newRow("epoch") << "1!2.0" << "1!2.0";
  QTest::newRow("epoch zero") << "0!2.0" << "2.0";
  QTest::newRow("whitespace") << "  1.0 \n" << "1.0";
  QTest::newRow("everything") << "v1!2.3.4-Alpha-5_POST.6-dev7+Abc.8" << "1!2.3.4a5.post6.dev7+abc.8";
}

void TestPep440::normalise() {
  QFETCH(QString, in);
  QFETCH(QString, out);
  auto v = Version::parse(in.toStdString());
  QVERIFY2(v.ok(), v.ok() ? "" : v.error().message.c_str());
  QCOMPARE(q(v->str()), out);
  auto again = Version::parse(v->str());  // the normal form parses to itself
  QVERIFY(again.ok());
  QCOMPARE(q(again->str()), out);
}

void TestPep440::invalid_data() {
  QTest::addColumn<QString>("in");
  QTest::newRow("empty") << "";
  QTest::newRow("letters") << "french toast";
  QTest::newRow("trailing dot") << "1.0.";
  QTest::newRow("double dot") << "1..0";
  QTest::newRow("empty local") << "1.0+";
  QTest::newRow("bad local") << "1.0+a..b";
  QTest::newRow("wildcard") << "1.*";
  QTest::newRow("huge") << "99999999999999999999999.0";
  QTest::newRow("garbage suffix") << "1.0xyz";
}

void TestPep440::invalid() {
  QFETCH(QString, in);
  QVERIFY(!Version::parse(in.toStdString()).ok());
}

void TestPep440::ordering() {
  // PEP 440's example of a release cycle, and packaging's test table, in strictly increasing order.
  const char* const sorted[] = {
      "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12", "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456",
      "1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5", "1.0+abc.7", "1.0+5", "1.0.post456.dev34",
      "1.0.post456", "1.0.15", "1.1.dev1", "1.1", "1!0.1", "1!1.0.dev1", "1!1.0",
  };
  const std::size_t n = std::size(sorted);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      auto a = Version::parse(sorted[i]), b = Version::parse(sorted[j]);
      QVERIFY(a.ok() && b.ok());
      int expected = i < j ? -1 : (i > j ? 1 : 0);
      if (a->compare(*b) != expected)
        QFAIL(qPrintable(QString("%1 vs %2: got %3").arg(sorted[i], sorted[j]).arg(a->compare(*b))));
    }
  // Equal spellings
  QVERIFY(*Version::parse("1.0") == *Version::parse("1.0.0.0"));
  QVERIFY(*Version::parse("1.0+abc") < *Version::parse("1.0+abc.0"));
  QVERIFY(*Version::parse("1.0+2") > *Version::parse("1.0+z"));    // numeric local segment beats letters
  QVERIFY(*Version::parse("1.0+10") > *Version::parse("1.0+9"));   // and compares as a number
  QVERIFY(Version::parse("1.0.dev1")->isPrerelease());
  QVERIFY(Version::parse("1.0rc1")->isPrerelease());
  QVERIFY(!Version::parse("1.0.post1")->isPrerelease());
}

void TestPep440::specifiers_data() {
  QTest::addColumn<QString>("spec");
  QTest::addColumn<QString>("version");
  QTest::addColumn<bool>("pre");  // allow pre-releases (pip --pre)
  QTest::addColumn<bool>("match");
  auto row = [](const char* s, const char* v, bool pre, bool m) {
    QTest::newRow(qPrintable(QString("%1 %2 %3").arg(s, v, pre ? "pre" : ""))) << QString(s) << QString(v) << pre << m;
  };
  // ==
  row("==1.0", "1.0", false, true);
  row("==1.0", "1.0.0", false, true);
  row("==1.0", "1.0+local", false, true);     // local ignored when the spec has none
  row("==1.0+local", "1.0", false, false);
  row("==1.0+local", "1.0+local", false, true);
  row("==1.0+abc", "1.0+abc.1", false, false);
  row("==1.0", "1.0.post1", false, false);
  row("==1.2.*", "1.2.3", false, true);
  row("==1.2.*", "1.2", false, true);
  row("==1.2.*", "1.20", false, false);
  row("==1.2.*", "1.3", false, false);
  row("==1.2.*", "1.2.post1", false, true);
  row("==1.2.*", "1.2rc1", false, false);     // a pre-release: excluded by default
  row("==1.2.*", "1.2rc1", true, true);
  row("==1.0.*", "1", false, true);           // zero padding
  row("==1.*", "1!1.0", false, false);        // epochs must agree
  row("==1.2.*", "1.2+local", false, true);
  // !=
  row("!=1.2.*", "1.2.5", false, false);
  row("!=1.2.*", "1.3", false, true);
  row("!=1.2.*", "1.1.9", false, true);
  row("!=2.0", "2.0.0", false, false);
  row("!=2.0", "2.0.1", false, true);
  // ~=
  row("~=2.2", "2.2", false, true);
  row("~=2.2", "2.9", false, true);
  row("~=2.2", "3.0", false, false);
  row("~=2.2", "2.1", false, false);
  row("~=1.4.5", "1.4.5", false, true);
  row("~=1.4.5", "1.4.99", false, true);
  row("~=1.4.5", "1.5.0", false, false);
  row("~=2.2.post3", "2.2.post3", false, true);
  row("~=2.2.post3", "2.3", false, true);
  row("~=2.2.post3", "2.2", false, false);
  row("~=1.4.5a4", "1.4.5", false, true);
  row("~=1.4.5a4", "1.4.5a4", false, true);   // the spec mentions a pre-release
  row("~=1.0", "1.5rc1", false, false);
  row("~=1.0", "2.0", false, false);
  row("~=1!1.0", "1!1.5", false, true);
  // < <= > >=
  row("<3.0", "2.9", false, true);
  row("<3.0", "3.0a1", true, false);          // pre-releases of the bound itself are excluded
  row("<3.0rc1", "3.0a1", true, true);
  row("<3.0rc1", "3.0a1", false, false);      // "<" does not admit pre-releases by itself
  row("<3.0", "3.0.dev1", true, false);
  row("<3.0", "2.9+local", false, true);
  row("<=3.0", "3.0+local", false, true);
  row(">=3.0", "3.0+local", false, true);
  row(">1.7", "1.7.1", false, true);
  row(">1.7", "1.7.post1", false, false);     // post-releases of the bound are not "greater"
  row(">1.7.post2", "1.7.post3", false, true);
  row(">1.7", "1.7+local", false, false);
  row(">1.7", "1.8.dev0", false, false);      // pre-release excluded by default
  row(">1.7", "1.8.dev0", true, true);
  row(">=1.0", "2.0b1", false, false);
  row(">=1.0b1", "2.0b1", false, true);       // spec with a pre-release admits them
  row(">=1.0,<2.0", "1.5", false, true);
  row(">=1.0,<2.0", "2.0", false, false);
  row(">= 1.0 , < 2.0", "1.9.9", false, true);  // spaces inside specifiers
  row(">=1.0,!=1.5.*,<2", "1.5.2", false, false);
  row(">=1.0,!=1.5.*,<2", "1.6", false, true);
  row("", "1.0", false, true);
  row("", "1.0rc1", false, false);
  row("", "1.0rc1", true, true);
  // ===
  row("===1.0", "1.0", false, true);
  row("===1.0", "1.0.0", false, false);
  row("===foobar", "foobar", false, true);
  // epochs
  row(">=2.0", "1!1.0", false, true);
  row("<2.0", "1!1.0", false, false);
}

void TestPep440::specifiers() {
  QFETCH(QString, spec);
  QFETCH(QString, version);
  QFETCH(bool, pre);
  QFETCH(bool, match);
  auto s = SpecifierSet::parse(spec.toStdString());
  QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
  QCOMPARE(s->contains(version.toStdString(), pre), match);
}

void TestPep440::badSpecifiers_data() {
  QTest::addColumn<QString>("spec");
  QTest::addColumn<int>("column");
  QTest::newRow("no operator") << "1.0" << 1;
  QTest::newRow("no version") << ">=" << 3;
  QTest::newRow("wildcard with >=") << ">=1.0.*" << 3;
  QTest::newRow("~= one segment") << "~=1" << 3;
  QTest::newRow("local with >=") << ">=1.0+abc" << 3;
  QTest::newRow("wildcard after pre") << "==1.0rc1.*" << 3;
  QTest::newRow("empty clause") << ">=1.0,,<2" << 7;
  QTest::newRow("second clause bad") << ">=1.0, <=x" << 10;
}

void TestPep440::badSpecifiers() {
  QFETCH(QString, spec);
  QFETCH(int, column);
  auto s = SpecifierSet::parse(spec.toStdString());
  QVERIFY(!s.ok());
  QCOMPARE(s.error().where.column, column);
}

void TestPep440::bestCandidate() {
  std::vector<Version> vs;
  for (const char* t : {"1.0", "1.1", "2.0b1", "1.2.post1", "0.9"}) vs.push_back(*Version::parse(t));
  auto pick = [&](const char* spec, bool pre) {
    auto i = SpecifierSet::parse(spec)->best(vs, pre);
    return i ? vs[*i].str() : std::string("none");
  };
  QCOMPARE(q(pick("", false)), QString("1.2.post1"));
  QCOMPARE(q(pick("", true)), QString("2.0b1"));
  QCOMPARE(q(pick("<1.2", false)), QString("1.1"));
  QCOMPARE(q(pick(">=2.0.dev0", false)), QString("2.0b1"));  // spec mentions a pre-release
  QCOMPARE(q(pick(">1.5", false)), QString("2.0b1"));        // only a pre-release matches: pip takes it
  QCOMPARE(q(pick(">3", true)), QString("none"));
}

void TestPep440::names_data() {
  QTest::addColumn<QString>("in");
  QTest::addColumn<QString>("out");
  QTest::newRow("lower") << "Django" << "django";
  QTest::newRow("underscore") << "typing_extensions" << "typing-extensions";
  QTest::newRow("dots") << "zope.interface" << "zope-interface";
  QTest::newRow("runs") << "A__b-._C" << "a-b-c";
}

void TestPep440::names() {
  QFETCH(QString, in);
  QFETCH(QString, out);
  QCOMPARE(q(normalizeName(in.toStdString())), out);
}

QTEST_GUILESS_MAIN(TestPep440)
#include "test_pep440.moc"
