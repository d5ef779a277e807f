// PEP 508 requirement strings and environment markers evaluated for a target.
#include <QtTest>

#include "python/requirements.h"
#include "testutil.h"

using namespace slimbench::python;
using testutil::q;

class TestPep508 : public QObject {
  Q_OBJECT
 private slots:
  void requirements_data();
  void requirements();
  void badRequirements_data();
  void badRequirements();
  void markers_data();
  void markers();
  void extraMarkers();
  void badMarkers_data();
  void badMarkers();
};

void TestPep508::requirements_data() {
  QTest::addColumn<QString>("in");
  QTest::addColumn<QString>("name");
  QTest::addColumn<QString>("extras");
  QTest::addColumn<QString>("spec");
  QTest::addColumn<QString>("url");
  QTest::addColumn<QString>("marker");
  QTest::newRow("bare") << "requests" << "requests" << "" << "" << "" << "";
  QTest::newRow("normalised") << "Typing_Extensions>=4" << "typing-extensions" << "" << ">=4" << "" << "";
  QTest::newRow("extras sorted") << "uvicorn[standard, Brotli]==0.30" << "uvicorn" << "brotli,standard" << "==0.30" << "" << "";
  QTest::newRow("spaces") << "name >= 1.0 , < 2.0" << "name" << "" << ">=1.0,<2.0" << "" << "";
  QTest::newRow("parens") << "name (>=1.0,<2)" << "name" << "" << ">=1.0,<2" << "" << "";
  QTest::newRow("marker") << "tomli>=1.1.0; python_version < \"3.11\"" << "tomli" << "" << ">=1.1.0" << ""
                          << "python_version < \"3.11\"";
  QTest::newRow("PEP 508 example")
      << "name[quux, strange];python_version<'2.7' and platform_version=='2'" << "name" << "quux,strange" << "" << ""
      << "python_version < \"2.7\" and platform_version == \"2\"";
  QTest::newRow("direct ref") << "pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee" << "pip" << ""
                              << "" << "https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee" << "";
  QTest::newRow("direct ref marker") << "foo[bar] @ file:///tmp/foo.whl ; os_name == 'posix'" << "foo" << "bar" << ""
                                     << "file:///tmp/foo.whl" << "os_name == \"posix\"";
  QTest::newRow("wildcard local") << "torch==2.3.*" << "torch" << "" << "==2.3.*" << "" << "";
  QTest::newRow("local version") << "torch==2.3.1+cpu" << "torch" << "" << "==2.3.1+cpu" << "" << "";
  QTest::newRow("normalised spec") << "a==01.0RC1" << "a" << "" << "==1.0rc1" << "" << "";
}

void TestPep508::requirements() {
  QFETCH(QString, in);
  QFETCH(QString, name);
  QFETCH(QString, extras);
  QFETCH(QString, spec);
  QFETCH(QString, url);
  QFETCH(QString, marker);
  auto r = parseRequirement(in.toStdString());
  QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
  QCOMPARE(q(r->name), name);
  QStringList ex;
  for (const auto& e : r->extras) ex << q(e);
  QCOMPARE(ex.join(","), extras);
  QCOMPARE(q(r->specifier.str()), spec);
  QCOMPARE(q(r->url), url);
  QCOMPARE(q(r->marker ? r->marker->str() : std::string()), marker);
  // The canonical form parses back to the same requirement.
  auto again = parseRequirement(r->str());
  QVERIFY2(again.ok(), r->str().c_str());
  QCOMPARE(q(again->str()), q(r->str()));
}

void TestPep508::badRequirements_data() {
  QTest::addColumn<QString>("in");
  QTest::addColumn<int>("column");
  QTest::newRow("empty") << "" << 1;
  QTest::newRow("bad name") << "-foo" << 1;
  QTest::newRow("bad spec") << "foo >= 1.0, <" << 14;  // where the version should be
  QTest::newRow("unclosed extras") << "foo[bar" << 8;
  QTest::newRow("marker after nothing") << "foo;" << 5;
  QTest::newRow("bad marker var") << "foo; pyton_version > '3'" << 6;
  QTest::newRow("unclosed paren") << "foo (>=1" << 9;
  QTest::newRow("url no space before ;") << "foo @ https://x/y.whl junk" << 23;
}

void TestPep508::badRequirements() {
  QFETCH(QString, in);
  QFETCH(int, column);
  auto r = parseRequirement(in.toStdString());
  QVERIFY(!r.ok());
  QCOMPARE(r.error().where.column, column);
}

void TestPep508::markers_data() {
  QTest::addColumn<QString>("marker");
  QTest::addColumn<QString>("python");
  QTest::addColumn<QString>("arch");
  QTest::addColumn<bool>("result");
  auto row = [](const char* m, const char* py, const char* arch, bool r) {
    QTest::newRow(qPrintable(QString("%1 @%2 %3").arg(m, py, arch))) << QString(m) << QString(py) << QString(arch) << r;
  };
  row("python_version < '3.11'", "3.10", "x86_64", true);
  row("python_version < '3.11'", "3.12", "x86_64", false);
  row("python_version >= '3.8'", "3.12", "x86_64", true);
  row("python_version > '3.9'", "3.10", "x86_64", true);  // compared as versions, not strings
  row("python_full_version >= '3.12.1'", "3.12.4", "x86_64", true);
  row("python_full_version >= '3.12.1'", "3.12", "x86_64", false);  // X.Y means X.Y.0
  row("python_version == '3.12.*'", "3.12", "x86_64", true);
  row("python_version ~= '3.10'", "3.12", "x86_64", true);
  row("sys_platform == 'linux'", "3.12", "x86_64", true);
  row("sys_platform == 'win32'", "3.12", "x86_64", false);
  row("sys_platform != 'darwin' and platform_machine == 'aarch64'", "3.12", "aarch64", true);
  row("platform_machine == 'x86_64' or platform_machine == 'AMD64'", "3.12", "x86_64", true);
  row("platform_machine == 'x86_64' or platform_machine == 'AMD64'", "3.12", "aarch64", false);
  row("platform_system == 'Linux' and (python_version < '3.9' or implementation_name == 'cpython')", "3.12", "x86_64", true);
  row("(sys_platform == 'win32' or sys_platform == 'cygwin') and python_version < '4'", "3.12", "x86_64", false);
  row("platform_python_implementation == 'PyPy'", "3.12", "x86_64", false);
  row("os_name == \"posix\"", "3.12", "x86_64", true);
  row("'linux' in sys_platform", "3.12", "x86_64", true);
  row("'arm' not in platform_machine", "3.12", "aarch64", true);
  row("'3.12' == python_version", "3.12", "x86_64", true);  // variable on the right
  row("sys.platform == 'linux'", "3.12", "x86_64", true);   // legacy spelling
  row("python_version < '3.11' or python_version >= '3.13' and sys_platform == 'linux'", "3.12", "x86_64", false);
  row("python_version < '3.11' or python_version >= '3.13' and sys_platform == 'linux'", "3.13", "x86_64", true);
  row("extra == 'test'", "3.12", "x86_64", false);
  row("extra != 'test'", "3.12", "x86_64", true);
}

void TestPep508::markers() {
  QFETCH(QString, marker);
  QFETCH(QString, python);
  QFETCH(QString, arch);
  QFETCH(bool, result);
  auto m = Marker::parse(marker.toStdString());
  QVERIFY2(m.ok(), m.ok() ? "" : m.error().message.c_str());
  Target t;
  t.python = python.toStdString();
  t.arch = arch.toStdString();
  QCOMPARE(m->evaluate(Environment::forTarget(t)), result);
  auto again = Marker::parse(m->str());  // printed form keeps the meaning
  QVERIFY(again.ok());
  QCOMPARE(again->evaluate(Environment::forTarget(t)), result);
}

void TestPep508::extraMarkers() {
  auto m = Marker::parse("extra == 'Socks' and python_version >= '3'");
  QVERIFY(m.ok());
  Environment env = Environment::forTarget(Target{});
  QVERIFY(m->evaluate(env, {"socks"}));          // PEP 685 normalisation
  QVERIFY(m->evaluate(env, {"http2", "SOCKS"}));
  QVERIFY(!m->evaluate(env, {"http2"}));
  QVERIFY(!m->evaluate(env));
}

void TestPep508::badMarkers_data() {
  QTest::addColumn<QString>("in");
  QTest::addColumn<int>("column");
  QTest::newRow("unknown var") << "python_versio < '3'" << 1;
  QTest::newRow("no op") << "python_version '3'" << 16;
  QTest::newRow("unterminated") << "python_version < '3" << 18;
  QTest::newRow("dangling and") << "os_name == 'posix' and" << 23;
  QTest::newRow("unbalanced") << "(os_name == 'posix'" << 20;
  QTest::newRow("trailing") << "os_name == 'posix' xor" << 20;
}

void TestPep508::badMarkers() {
  QFETCH(QString, in);
  QFETCH(int, column);
  auto m = Marker::parse(in.toStdString());
  QVERIFY(!m.ok());
  QCOMPARE(m.error().where.column, column);
}

QTEST_GUILESS_MAIN(TestPep508)
#include "test_pep508.moc"
