// pyproject.toml ([project], PEP 735 groups, Poetry), uv.lock and poetry.lock.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "python/catalogue.h"
#include "python/project.h"
#include "testutil.h"

using namespace slimbench::python;
using testutil::q;

namespace {
void write(const QString& dir, const char* name, const std::string& text) {
  std::ofstream((dir + "/" + name).toStdString(), std::ios::binary) << text;
}

// poetry.lock 2.x: docker needs pywin32 only on Windows (a dependency marker).
const char* kPoetryLock2 =
    "[[package]]\nname = \"docker\"\nversion = \"4.3.1\"\noptional = false\npython-versions = \"*\"\nfiles = [\n"
    "    {file = \"docker-4.3.1-py2.py3-none-any.whl\", hash = \"sha256:1\"},\n"
    "    {file = \"docker-4.3.1.tar.gz\", hash = \"sha256:2\"},\n]\n\n"
    "[package.dependencies]\npywin32 = {version = \"227\", markers = \"sys_platform == \\\"win32\\\"\"}\nsix = \">=1.4.0\"\n\n"
    "[[package]]\nname = \"pywin32\"\nversion = \"227\"\noptional = false\npython-versions = \"*\"\nfiles = [\n"
    "    {file = \"pywin32-227-cp39-cp39-win_amd64.whl\", hash = \"sha256:3\"},\n]\n\n"
    "[[package]]\nname = \"six\"\nversion = \"1.15.0\"\noptional = false\npython-versions = \"*\"\nfiles = [\n"
    "    {file = \"six-1.15.0-py2.py3-none-any.whl\", hash = \"sha256:4\"},\n]\n\n"
    "[metadata]\nlock-version = \"2.0\"\npython-versions = \"^3.8\"\n";

// poetry.lock 1.0: the marker is on the package, files under [metadata.files], no sizes.
const char* kPoetryLock1 =
    "[[package]]\ncategory = \"main\"\nname = \"docker\"\noptional = false\npython-versions = \"*\"\nversion = \"4.3.1\"\n\n"
    "[package.dependencies]\npywin32 = \"227\"\nsix = \">=1.4.0\"\n\n"
    "[[package]]\ncategory = \"main\"\nmarker = \"sys_platform == \\\"win32\\\"\"\nname = \"pywin32\"\noptional = false\n"
    "python-versions = \"*\"\nversion = \"227\"\n\n"
    "[[package]]\ncategory = \"main\"\nname = \"six\"\noptional = false\npython-versions = \"*\"\nversion = \"1.15.0\"\n\n"
    "[[package]]\ncategory = \"main\"\nname = \"nofiles\"\noptional = false\npython-versions = \"*\"\nversion = \"0.1\"\n\n"
    "[metadata]\ncontent-hash = \"x\"\nlock-version = \"1.0\"\npython-versions = \"^3.8\"\n\n"
    "[metadata.files]\ndocker = [\n"
    "    {file = \"docker-4.3.1-py2.py3-none-any.whl\", hash = \"sha256:1\"},\n"
    "    {file = \"docker-4.3.1.tar.gz\", hash = \"sha256:2\"},\n]\n"
    "pywin32 = [\n    {file = \"pywin32-227-cp39-cp39-win_amd64.whl\", hash = \"sha256:3\"},\n]\n"
    "Six = [\n    {file = \"six-1.14.0-py2.py3-none-any.whl\", hash = \"sha256:0\"},\n"
    "    {file = \"six-1.15.0-py2.py3-none-any.whl\", hash = \"sha256:4\"},\n"
    "    {file = \"six-1.15.0.tar.gz\", hash = \"sha256:5\"},\n]\n";

const char* kDockerPyproject =
    "[tool.poetry]\nname = \"foobar\"\nversion = \"0.1.0\"\n\n[tool.poetry.dependencies]\npython = \"^3.8\"\n"
    "docker = \"^4.3.1\"\n";

QStringList unknownNames(const Resolution& res) {
  QStringList l;
  for (const auto& u : res.unknowns) l << q(u.name);
  return l;
}

// What cmd_requirements does: the lock's data over an empty catalogue, main group only.
Resolution resolveProject(const ProjectInput& in, const Target& t) {
  Catalogue c;
  if (in.lock) c.merge(Catalogue::fromLock(*in.lock));
  std::vector<Requirement> main;
  for (const auto& r : in.requirements)
    if (r.group.empty()) main.push_back(r);
  ResolveOptions ro;
  if (in.lock)
    for (const auto& lp : in.lock->packages) ro.pinned[lp.name] = lp.version;
  return resolve(main, t, c, ro);
}
}  // namespace

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
  void poetryLockMarkers_data();
  void poetryLockMarkers();
  void poetryOldLockFiles();
  void poetryDevCategory();
  void uvLockDevGroup();
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

// Windows-only packages in a poetry.lock are not needed on Linux: the dependency
// marker (lock 2.x) or the package marker (lock 1.x) is evaluated for the target,
// whether the lock itself is read or the pyproject.toml beside it.
void TestPyproject::poetryLockMarkers_data() {
  QTest::addColumn<QString>("lock");
  QTest::addColumn<bool>("viaPyproject");
  QTest::newRow("lock 2.0, lock mode") << QString(kPoetryLock2) << false;
  QTest::newRow("lock 2.0, pyproject") << QString(kPoetryLock2) << true;
  QTest::newRow("lock 1.0, lock mode") << QString(kPoetryLock1) << false;
  QTest::newRow("lock 1.0, pyproject") << QString(kPoetryLock1) << true;
}

void TestPyproject::poetryLockMarkers() {
  QFETCH(QString, lock);
  QFETCH(bool, viaPyproject);
  QTemporaryDir dir;
  write(dir.path(), "poetry.lock", lock.toStdString());
  write(dir.path(), "pyproject.toml", kDockerPyproject);
  auto in = loadProject((dir.path() + (viaPyproject ? "/pyproject.toml" : "/poetry.lock")).toStdString());
  QVERIFY(in.errors.empty());
  QVERIFY(in.lock);
  Target linux;
  Environment env = Environment::forTarget(linux);
  if (!viaPyproject) {
    QCOMPARE(q(in.kind), QString("poetry.lock"));
    bool sawPywin32 = false;
    for (const auto& r : in.requirements) {
      if (r.name == "pywin32") {
        sawPywin32 = true;
        QVERIFY(r.marker);
        QVERIFY2(!r.applies(env), r.marker->str().c_str());
      } else {
        QVERIFY2(r.applies(env), r.name.c_str());
      }
    }
    QVERIFY(sawPywin32);
  }
  auto res = resolveProject(in, linux);
  QVERIFY(res.find("docker"));
  QVERIFY(res.find("six"));
  QVERIFY(!res.find("pywin32"));
  QVERIFY2(!unknownNames(res).contains("pywin32"), qPrintable(unknownNames(res).join(",")));
  if (viaPyproject) {  // reached only through docker's dependency: listed as skipped
    QCOMPARE(res.skippedByMarker.size(), std::size_t(1));
    QCOMPARE(q(res.skippedByMarker[0].name), QString("pywin32"));
    QCOMPARE(q(res.skippedByMarker[0].requiredBy), QString("docker"));
  }
  // On Windows the same lock does need it.
  Environment win = env;
  win.values["sys_platform"] = "win32";
  for (const auto& r : in.requirements)
    if (r.name == "pywin32") QVERIFY(r.applies(win));
}

// lock-version 1.0 keeps file names under [metadata.files]: wheels and sdists are known
// (sizes not); a package with no file list says so instead of "pip cannot install it".
// poetry.lock 1.x marks dev-only packages with category = "dev": read alone, they are group:dev, not main.
void TestPyproject::poetryDevCategory() {
  QTemporaryDir tmp;
  QFile f(tmp.filePath("poetry.lock"));
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("[[package]]\ncategory = \"main\"\nname = \"six\"\noptional = false\npython-versions = \"*\"\nversion = \"1.15.0\"\n\n"
          "[[package]]\ncategory = \"dev\"\nname = \"pytest\"\noptional = false\npython-versions = \"*\"\nversion = \"6.2.0\"\n\n"
          "[metadata]\nlock-version = \"1.1\"\npython-versions = \"^3.8\"\ncontent-hash = \"x\"\n");
  f.close();
  auto in = loadProject(tmp.filePath("poetry.lock").toStdString());
  QCOMPARE(int(in.requirements.size()), 2);
  for (const auto& r : in.requirements) {
    if (r.name == "six") QCOMPARE(q(r.group), QString());
    if (r.name == "pytest") QCOMPARE(q(r.group), QString("group:dev"));
  }
}

void TestPyproject::poetryOldLockFiles() {
  auto lf = parsePoetryLockText(kPoetryLock1, "poetry.lock");
  QVERIFY(lf.errors.empty());
  QCOMPARE(lf.packages.size(), std::size_t(4));
  const LockedPackage& docker = lf.packages[0];
  QVERIFY(docker.fileListKnown);
  QCOMPARE(docker.wheels.size(), std::size_t(1));
  QCOMPARE(q(docker.wheels[0].filename), QString("docker-4.3.1-py2.py3-none-any.whl"));
  QCOMPARE(docker.wheels[0].size, std::int64_t(-1));
  QVERIFY(docker.hasSdist);
  QVERIFY(!docker.sdistSize);
  const LockedPackage& six = lf.packages[2];  // "Six" in [metadata.files]: names normalised; 1.14.0 not ours
  QCOMPARE(six.wheels.size(), std::size_t(1));
  QCOMPARE(q(six.wheels[0].filename), QString("six-1.15.0-py2.py3-none-any.whl"));
  QVERIFY(six.hasSdist);
  QVERIFY(!lf.packages[3].fileListKnown);
  // The dependency edge to pywin32 carries its package marker.
  QCOMPARE(q(docker.dependencies[0].name), QString("pywin32"));
  QCOMPARE(q(docker.dependencies[0].marker), QString("sys_platform == \"win32\""));

  auto cat = Catalogue::fromLock(lf);
  std::vector<Requirement> reqs{*parseRequirement("docker"), *parseRequirement("nofiles")};
  auto res = resolve(reqs, Target{}, cat);
  QVERIFY(res.find("docker"));
  QCOMPARE(res.find("docker")->distribution.kind, Selection::Wheel);
  QCOMPARE(res.find("docker")->distribution.size, std::int64_t(-1));
  QString why;
  for (const auto& u : res.unknowns)
    if (u.name == "nofiles") why = q(u.reason);
  QVERIFY2(why.contains("lists no files"), qPrintable(why));
  QVERIFY2(!why.contains("cannot install"), qPrintable(why));

  // A release whose lock entry has no file list keeps the file list another source gave.
  Catalogue withFiles;
  CatalogueRelease known;
  known.name = "nofiles";
  known.version = "0.1";
  known.wheels.push_back({"nofiles-0.1-py3-none-any.whl", 1234});
  known.dependencies = std::vector<CatalogueDependency>{};
  withFiles.add(known);
  withFiles.merge(cat);
  QCOMPARE(withFiles.find("nofiles").at(0).wheels.size(), std::size_t(1));
  QCOMPARE(withFiles.find("nofiles").at(0).wheels[0].size, std::int64_t(1234));
  // Sizes the lock lacks come from the same files in other data; the lock's file list stays.
  Catalogue sized;
  CatalogueRelease d;
  d.name = "docker";
  d.version = "4.3.1";
  d.wheels.push_back({"docker-4.3.1-py2.py3-none-any.whl", 145000});
  d.wheels.push_back({"docker-4.3.1-py3-none-manylinux1_x86_64.whl", 1});  // not in the lock: not taken
  d.sdistSize = 160000;
  sized.add(d);
  sized.merge(cat);
  const auto& merged = sized.find("docker").at(0);
  QCOMPARE(merged.wheels.size(), std::size_t(1));
  QCOMPARE(merged.wheels[0].size, std::int64_t(145000));
  QCOMPARE(merged.sdistSize.value_or(0), std::int64_t(160000));
}

// uv.lock: the root's [package.dev-dependencies] come out as group requirements, not main ones.
void TestPyproject::uvLockDevGroup() {
  QTemporaryDir dir;
  write(dir.path(), "uv.lock",
        "version = 1\nrequires-python = \">=3.12\"\n\n"
        "[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n"
        "dependencies = [{ name = \"anyio\" }]\n\n"
        "[package.optional-dependencies]\nfast = [{ name = \"uvloop\" }]\n\n"
        "[package.dev-dependencies]\ndev = [\n    { name = \"pytest\" },\n    { name = \"ruff\" },\n]\n\n"
        "[[package]]\nname = \"anyio\"\nversion = \"4.4.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n"
        "[[package]]\nname = \"uvloop\"\nversion = \"0.21.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n"
        "[[package]]\nname = \"pytest\"\nversion = \"8.3.2\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n"
        "[[package]]\nname = \"ruff\"\nversion = \"0.6.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n");
  auto in = loadProject((dir.path() + "/uv.lock").toStdString());
  QVERIFY(in.errors.empty());
  QStringList got;
  for (const auto& r : in.requirements) got << q(r.name) + "@" + q(r.group) + q(r.specifier.str());
  QCOMPARE(got.join(" "), QString("anyio@==4.4.0 uvloop@fast==0.21.0 pytest@group:dev==8.3.2 ruff@group:dev==0.6.0"));
}

QTEST_GUILESS_MAIN(TestPyproject)
#include "test_pyproject.moc"
