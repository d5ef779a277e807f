// pyproject.toml ([project], PEP 735 groups, Poetry), uv.lock and poetry.lock.
#include <QtTest>

#include "python/catalogue.h"
#include "python/project.h"
#include "testutil.h"

using namespace slimbench::python;
using testutil::q;

class TestPyproject : public QObject {
  Q_OBJECT
 private slots:
  void poetryConstraints_data();
  void poetryConstraints();
  void project();
  void poetry();
  void badToml();
  void uvLock();
  void poetryLock();
};

void TestPyproject::poetryConstraints_data() {
  QTest::addColumn<QString>("in");
  QTest::addColumn<QString>("out");
  QTest::newRow("caret") << "^1.2.3" << ">=1.2.3,<2";
  QTest::newRow("caret zero major") << "^0.2.3" << ">=0.2.3,<0.3";
  QTest::newRow("caret zero minor") << "^0.0.3" << ">=0.0.3,<0.0.4";
  QTest::newRow("caret 0.0") << "^0.0" << ">=0.0,<0.1";
  QTest::newRow("caret 0") << "^0" << ">=0,<1";
  QTest::newRow("tilde 3") << "~1.2.3" << ">=1.2.3,<1.3";
  QTest::newRow("tilde 2") << "~1.2" << ">=1.2,<1.3";
  QTest::newRow("tilde 1") << "~1" << ">=1,<2";
  QTest::newRow("pep440 tilde") << "~=1.2" << "~=1.2";
  QTest::newRow("star") << "*" << "";
  QTest::newRow("bare") << "1.2.3" << "==1.2.3";
  QTest::newRow("wildcard") << "1.2.*" << "==1.2.*";
  QTest::newRow("space and") << ">=1.2 <2.0" << ">=1.2,<2.0";
  QTest::newRow("comma") << ">= 1.2, < 2.0" << ">=1.2,<2.0";
}

void TestPyproject::poetryConstraints() {
  QFETCH(QString, in);
  QFETCH(QString, out);
  auto r = poetryConstraintToPep440(in.toStdString());
  QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
  QCOMPARE(q(*r), out);
  QVERIFY(SpecifierSet::parse(*r).ok());
  QVERIFY(!poetryConstraintToPep440("^1 || ^2").ok());
}

void TestPyproject::project() {
  auto p = parsePyprojectText(
      "[project]\nname = \"app\"\nrequires-python = \">=3.10\"\n"
      "dependencies = [\n  \"Flask>=3\",\n  \"tomli; python_version < '3.11'\",\n]\n"
      "[project.optional-dependencies]\npg = [\"psycopg[binary]>=3\"]\n"
      "[dependency-groups]\ntest = [\"pytest\", {include-group = \"lint\"}]\nlint = [\"ruff\"]\n"
      "loop = [{include-group = \"loop\"}]\n",
      "pyproject.toml");
  QCOMPARE(q(p.name), QString("app"));
  QCOMPARE(q(p.requiresPython), QString(">=3.10"));
  QStringList got;
  for (const auto& r : p.requirements) got << q(r.name) + "@" + q(r.group) + ":" + QString::number(r.line);
  QCOMPARE(got.join(" "), QString("flask@:5 tomli@:6 psycopg@pg:9 ruff@group:lint:12 pytest@group:test:11 ruff@group:test:12"));
  QCOMPARE(p.errors.size(), std::size_t(1));  // the self-including group
  QVERIFY(q(p.errors[0].message).contains("includes itself"));
}

void TestPyproject::poetry() {
  auto p = parsePyprojectText(
      "[tool.poetry]\nname = \"svc\"\n[tool.poetry.dependencies]\npython = \"^3.11\"\nrequests = \"^2.31\"\n"
      "uvicorn = {version = \"~0.30\", extras = [\"standard\"]}\n"
      "pywin32 = {version = \"*\", markers = \"sys_platform == 'win32'\"}\n"
      "[tool.poetry.group.dev.dependencies]\npytest = \"^8\"\n",
      "pyproject.toml");
  QVERIFY(p.errors.empty());
  QCOMPARE(q(p.requiresPython), QString(">=3.11,<4"));
  QCOMPARE(p.requirements.size(), std::size_t(4));
  // toml++ tables iterate in key order: pywin32, requests, uvicorn
  QCOMPARE(q(p.requirements[1].specifier.str()), QString(">=2.31,<3"));
  QCOMPARE(q(p.requirements[2].extras.at(0)), QString("standard"));
  QCOMPARE(q(p.requirements[2].specifier.str()), QString(">=0.30,<0.31"));
  QVERIFY(!p.requirements[0].applies(Environment::forTarget(Target{})));
  QCOMPARE(q(p.requirements[3].group), QString("group:dev"));
}

void TestPyproject::badToml() {
  auto p = parsePyprojectText("[project]\ndependencies = [\"ok\", \"bad >= \"]\nname = = 1\n", "pyproject.toml");
  QCOMPARE(p.errors.size(), std::size_t(1));
  QCOMPARE(p.errors[0].where.line, 3);
  auto q2 = parsePyprojectText("[project]\ndependencies = [\"ok\", \"bad >= \"]\n", "pyproject.toml");
  QCOMPARE(q2.errors.size(), std::size_t(1));
  QCOMPARE(q2.errors[0].where.line, 2);
  QCOMPARE(q2.requirements.size(), std::size_t(1));
}

void TestPyproject::uvLock() {
  auto lf = parseUvLockText(
      "version = 1\nrequires-python = \">=3.12\"\n\n"
      "[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { virtual = \".\" }\ndependencies = [\n"
      "    { name = \"markupsafe\" },\n    { name = \"colorama\", marker = \"sys_platform == 'win32'\" },\n]\n\n"
      "[[package]]\nname = \"markupsafe\"\nversion = \"3.0.2\"\nsource = { registry = \"https://pypi.org/simple\" }\n"
      "sdist = { url = \"https://files/markupsafe-3.0.2.tar.gz\", hash = \"sha256:ee\", size = 20344 }\nwheels = [\n"
      "    { url = \"https://files/MarkupSafe-3.0.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl\", hash = \"sha256:aa\", size = 23822 },\n"
      "    { url = \"https://files/MarkupSafe-3.0.2-cp312-cp312-musllinux_1_2_x86_64.whl\", hash = \"sha256:bb\", size = 23000 },\n]\n\n"
      "[[package]]\nname = \"colorama\"\nversion = \"0.4.6\"\nsource = { registry = \"https://pypi.org/simple\" }\n"
      "wheels = [{ url = \"https://files/colorama-0.4.6-py2.py3-none-any.whl\", size = 25335 }]\n",
      "uv.lock");
  QVERIFY(lf.errors.empty());
  QCOMPARE(lf.packages.size(), std::size_t(3));
  QVERIFY(lf.packages[0].isProject());
  QCOMPARE(*lf.packages[1].sdistSize, std::int64_t(20344));
  QCOMPARE(lf.packages[1].wheels.size(), std::size_t(2));
  auto cat = Catalogue::fromLock(lf);
  Requirement r = *parseRequirement("markupsafe");
  Target musl;
  musl.libc = Libc::Musl;
  musl.libcVersion = "1.2";
  auto res = resolve({r}, musl, cat);
  QVERIFY(res.find("markupsafe"));
  QCOMPARE(q(res.find("markupsafe")->distribution.wheel.filename), QString("MarkupSafe-3.0.2-cp312-cp312-musllinux_1_2_x86_64.whl"));
  QCOMPARE(res.find("markupsafe")->distribution.size, std::int64_t(23000));
}

void TestPyproject::poetryLock() {
  auto lf = parsePoetryLockText(
      "[[package]]\nname = \"requests\"\nversion = \"2.32.3\"\nfiles = [\n"
      "    {file = \"requests-2.32.3-py3-none-any.whl\", hash = \"sha256:1\"},\n"
      "    {file = \"requests-2.32.3.tar.gz\", hash = \"sha256:2\"},\n]\n\n"
      "[package.dependencies]\ncertifi = \">=2017.4.17\"\nidna = \">=2.5,<4\"\n"
      "PySocks = {version = \">=1.5.6,!=1.5.7\", optional = true}\n\n"
      "[metadata]\npython-versions = \"^3.11\"\n",
      "poetry.lock");
  QVERIFY(lf.errors.empty());
  QCOMPARE(lf.packages.size(), std::size_t(1));
  QCOMPARE(lf.packages[0].dependencies.size(), std::size_t(2));  // the optional one only with its extra
  QCOMPARE(q(lf.packages[0].dependencies[1].specifier), QString(">=2.5,<4"));
  QVERIFY(lf.packages[0].hasSdist);
  QCOMPARE(q(lf.requiresPython), QString("^3.11"));
}

QTEST_GUILESS_MAIN(TestPyproject)
#include "test_pyproject.moc"
