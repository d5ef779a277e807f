// Build-time commands that write files no catalogue lists: collectstatic, compileall, message
// compilation, apt-get download / dpkg -x, and chown -R over what an unknown step wrote. Each is
// sized from the files COPY put in the stage and the measured figures of
// catalogue/build-scripts.json (read here, not copied), or stays unknown with its reason.
#include <QtTest>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>
#include <set>

#include "estimate/analysis.h"
#include "estimate/build_scripts.h"
#include "estimate/context.h"
#include "knowledge.h"
#include "testutil.h"

using namespace slimbench;
namespace fs = std::filesystem;
using testutil::knowledge;

namespace {

struct Project {
  QTemporaryDir dir;
  void write(const std::string& rel, const std::string& text) {
    const fs::path p = fs::path(dir.path().toStdString()) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  estimate::VariantResult analyze() {
    auto p = estimate::openProject(dir.path().toStdString());
    if (!p) qFatal("%s", p.error().format().c_str());
    auto a = estimate::analyze(*p, *knowledge(), {});
    for (auto& v : a.variants)
      if (v.kind == generate::VariantKind::Original) return v;
    qFatal("no original variant");
  }
};

const estimate::LayerEstimate& layerAt(const estimate::VariantResult& v, int line) {
  for (const auto& l : v.estimate.layers)
    if (l.line == line) return l;
  qFatal("no layer at line %d", line);
}

bool mentions(const estimate::LayerEstimate& l, const std::string& text) {
  for (const auto& u : l.unknownParts)
    if (u.find(text) != std::string::npos) return true;
  return false;
}

const estimate::BuildScriptModel& model() { return knowledge()->catalogues.buildScripts; }

std::string repeat(std::size_t n, char c) { return std::string(n, c); }

}  // namespace

class TestBuildScripts : public QObject {
  Q_OBJECT
 private slots:
  void catalogueLoaded();
  void placement();
  void chownAfterUnknownScript();
  void chownOfKnownCopy();
  void compileallOfCopiedSource();
  void compileallWithoutFolder();
  void messagesFromCopiedCatalogues();
  void collectstaticWithWhitenoise();
  void collectstaticWithoutDjango();
  void debDownloadAndExtract();
  void extractOfUnknownDeb();
  void badModelRejected();
  void metadataChangeOfOneFile();
  void officialBaseHasNoAppFolder();
  void copyIntoExistingFolder();
  void installListsInVariables();
  void seqXargsMkdir();
  void baseImageFileChanged();
  void pipenvLockAndUvVenv();
  void homeOfRoot();
  void pytorchIndexNotCounted();
  void versionQueriesAndSmallCommands();
  void inlineShellScriptsAnalysed();
};

void TestBuildScripts::catalogueLoaded() {
  const auto& m = model();
  QVERIFY(m.loaded());
  for (const auto& d : m.djangoStatic) {
    QVERIFY(d.bytes > 500'000);  // the admin's CSS, JS and images: well over half a megabyte
    QVERIFY(d.source.find("python3-django") != std::string::npos);
  }
  QVERIFY(m.moLow < m.moMid && m.moMid < m.moHigh && m.moHigh < 2.0);
  QVERIFY(m.pycLow < m.pycMid && m.pycMid < m.pycHigh);
  QVERIFY(!m.moSource.empty() && !m.pycSource.empty() && !m.manifestSource.empty());
}

// Where COPY puts each context file: a folder's contents into the destination, a file to
// dest/NAME or to dest, a glob's matches by name.
void TestBuildScripts::placement() {
  estimate::BuildContext c;
  c.files = {{"src/pkg/a.py", 1}, {"src/b.py", 2}, {"README.md", 4}, {"tools/x/y.py", 8}};
  auto placed = [&](const std::string& src, const std::string& dest, bool toDir) {
    std::vector<std::string> out;
    c.forEachPlaced(src, dest, toDir, [&](const std::string& p, const estimate::ContextFile&) { out.push_back(p); });
    std::sort(out.begin(), out.end());
    return out;
  };
  QCOMPARE(placed("src", "/app", false), (std::vector<std::string>{"/app/b.py", "/app/pkg/a.py"}));
  QCOMPARE(placed("src/", "/app/src", true), (std::vector<std::string>{"/app/src/b.py", "/app/src/pkg/a.py"}));
  QCOMPARE(placed("README.md", "/app", true), (std::vector<std::string>{"/app/README.md"}));
  QCOMPARE(placed("README.md", "/doc.md", false), (std::vector<std::string>{"/doc.md"}));
  QCOMPARE(placed(".", "/", true).size(), std::size_t{4});
  QCOMPARE(placed("tools/*", "/opt", true), (std::vector<std::string>{"/opt/y.py"}));
  QCOMPARE(placed("*.md", "/app", true), (std::vector<std::string>{"/app/README.md"}));
}

// chown -R over a folder an unknown script wrote into: not a known size (it was 0.1 MB, known).
void TestBuildScripts::chownAfterUnknownScript() {
  Project p;
  p.write("app.py", "print(1)\n");
  p.write("Dockerfile",
          "FROM python:3.12-slim\nRUN useradd app\nWORKDIR /srv\nCOPY . .\nRUN python make_db.py\nRUN chown -R app /srv\n");
  const auto v = p.analyze();
  const auto& l = layerAt(v, 6);
  QCOMPARE(l.basis, estimate::Basis::Unknown);
  QVERIFY2(mentions(l, "line 5"), "the reason names the step whose output is unknown");
  QVERIFY(v.estimate.disk.open);
}

void TestBuildScripts::chownOfKnownCopy() {
  Project p;
  p.write("data.txt", repeat(200'000, 'x'));
  p.write("Dockerfile", "FROM python:3.12-slim\nRUN useradd app\nWORKDIR /srv\nCOPY . .\nRUN chown -R app /srv\n");
  const auto v = p.analyze();
  const auto& l = layerAt(v, 5);
  QVERIFY(l.basis != estimate::Basis::Unknown);
  QVERIFY(l.disk.mid >= 200'000);  // the copied file, again
}

void TestBuildScripts::compileallOfCopiedSource() {
  Project p;
  p.write("pkg/a.py", repeat(300'000, '#'));
  p.write("pkg/b.py", repeat(100'000, '#'));
  p.write("pkg/data.bin", repeat(500'000, 'b'));  // not a source: not compiled
  p.write("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY pkg/ pkg/\nRUN python -m compileall -q pkg\n");
  const auto v = p.analyze();
  const auto& l = layerAt(v, 4);
  QVERIFY(l.basis != estimate::Basis::Unknown);
  const double py = 400'000;
  QVERIFY(std::abs(double(l.disk.low) - py * model().pycLow) < 2);
  QVERIFY(std::abs(double(l.disk.high) - py * model().pycHigh) < 2);
  QVERIFY(l.reason.find("2 .py file") != std::string::npos);
}

void TestBuildScripts::compileallWithoutFolder() {
  Project p;
  p.write("Dockerfile", "FROM python:3.12-slim\nRUN python -m compileall\n");
  const auto v = p.analyze();
  const auto& l = layerAt(v, 2);
  QCOMPARE(l.basis, estimate::Basis::Unknown);
  QVERIFY(mentions(l, "sys.path"));
}

void TestBuildScripts::messagesFromCopiedCatalogues() {
  Project p;
  p.write("app/translations/de/LC_MESSAGES/messages.po", repeat(80'000, 'm'));
  p.write("app/translations/fr/LC_MESSAGES/messages.po", repeat(20'000, 'm'));
  p.write("app/main.py", "x = 1\n");
  p.write("Dockerfile", "FROM python:3.12-slim\nWORKDIR /srv\nCOPY app/ .\nRUN pybabel compile -d translations\n");
  const auto v = p.analyze();
  const auto& l = layerAt(v, 4);
  QVERIFY(l.basis != estimate::Basis::Unknown);
  QVERIFY(std::abs(double(l.disk.mid) - 100'000 * model().moMid) < 2);
  QVERIFY(l.disk.low < l.disk.mid && l.disk.mid < l.disk.high);
}

void TestBuildScripts::collectstaticWithWhitenoise() {
  Project p;
  p.write("requirements.txt", "django==4.2.30\nwhitenoise\n");
  p.write("web/static/site.css", repeat(50'000, 'c'));
  p.write("web/settings.py", "STATIC_ROOT = '/srv/static'\n");
  p.write("Dockerfile",
          "FROM python:3.12-slim\nWORKDIR /srv\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
          "COPY web/ web/\nRUN python manage.py collectstatic --noinput\n");
  const auto v = p.analyze();
  const auto& l = layerAt(v, 6);
  std::uint64_t django = 0;
  for (const auto& d : model().djangoStatic)
    if (d.major == 4 && d.minor == 2) django = d.bytes;
  QVERIFY2(django > 0, "the catalogue measures Django 4.2");
  QCOMPARE(l.disk.low, django + 50'000);                                      // one copy each
  QCOMPARE(l.disk.mid, (django + 50'000) * std::uint64_t(model().manifestCopies));  // WhiteNoise keeps a hashed copy
  QVERIFY(l.disk.high > l.disk.mid);
  QVERIFY(l.basis != estimate::Basis::Unknown);
  QVERIFY(l.source.find("python3-django") != std::string::npos);
}

void TestBuildScripts::collectstaticWithoutDjango() {
  Project p;
  p.write("requirements.txt", "flask\n");
  p.write("Dockerfile",
          "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
          "RUN python manage.py collectstatic --noinput\n");
  const auto v = p.analyze();
  const auto& l = layerAt(v, 4);
  QCOMPARE(l.basis, estimate::Basis::Unknown);
  QVERIFY(mentions(l, "Django is not among"));
}

void TestBuildScripts::debDownloadAndExtract() {
  Project p;
  p.write("Dockerfile", "FROM debian:bookworm-slim\nWORKDIR /tmp/d\nRUN apt-get download tini && dpkg -x tini_*.deb /opt/tini\n");
  const auto v = p.analyze();
  const auto& l = layerAt(v, 3);
  QVERIFY(l.basis != estimate::Basis::Unknown);
  const auto& deb = knowledge()->catalogues.debian.at("bookworm-amd64");
  const auto info = deb.package("tini");
  QVERIFY(info && info->debBytes > 0 && info->installedKiB > 0);
  QCOMPARE(l.disk.mid, info->debBytes + info->installedKiB * 1024);
}

void TestBuildScripts::extractOfUnknownDeb() {
  Project p;
  p.write("vendor.deb", repeat(1000, 'd'));
  p.write("Dockerfile", "FROM debian:bookworm-slim\nCOPY vendor.deb /tmp/\nRUN dpkg -x /tmp/vendor.deb /opt/vendor\n");
  const auto v = p.analyze();
  const auto& l = layerAt(v, 3);
  QCOMPARE(l.basis, estimate::Basis::Unknown);
  QVERIFY(mentions(l, "vendor.deb"));
}

void TestBuildScripts::badModelRejected() {
  estimate::BuildScriptModel m;
  std::string error;
  QVERIFY(!estimate::parseBuildScriptModel("[]", m, error));
  QVERIFY(!error.empty());
  QVERIFY(!estimate::parseBuildScriptModel(R"({"django_static": {"versions": []}})", m, error));
  QVERIFY(error.find("django_static.versions") != std::string::npos);
  QVERIFY(!estimate::parseBuildScriptModel(
      R"({"django_static": {"versions": [{"django": "4.2", "bytes": 10}]}, "static_storage": {"manifest_copies": 2},
          "mo_over_po": {"p10": 0.9, "median": 0.5, "p90": 0.7}, "pyc_over_py": {"p25": 1, "median": 1, "p75": 1}})",
      m, error));
  QVERIFY(error.find("low ≤ median") != std::string::npos);
}

// chmod/setcap/touch of one file: that file alone is copied up, never the whole earlier write it
// lies in (`chmod +x /usr/local/bin/tool` counted a 688 MB apt layer again). A file a COPY from
// the context placed is sized exactly; a folder changes only its entry; a file inside a package
// install is unknown (files are not sized one by one); what this RUN wrote adds nothing.
void TestBuildScripts::metadataChangeOfOneFile() {
  Project p;
  p.write("entrypoint.sh", repeat(50'000, 's'));
  p.write("static/a.css", repeat(400'000, 'c'));
  p.write("Dockerfile",
          "FROM python:3.12-slim\n"
          "RUN apt-get update && apt-get install -y --no-install-recommends nmap libcap2-bin && rm -rf /var/lib/apt/lists/*\n"
          "WORKDIR /app\n"
          "COPY . .\n"
          "RUN chmod +x /app/entrypoint.sh\n"          // 5: the copied file, exactly
          "RUN chmod 755 static\n"                     // 6: a copied folder: its entry only
          "RUN touch README.md\n"                      // 7: not a copied file: an empty new one
          "RUN mkdir -p data && echo x > data/f && chmod 600 data/f\n"  // 8: this RUN's own file
          "RUN setcap cap_net_raw+eip /usr/bin/nmap\n");  // 9: inside the apt layer: unknown
  const auto v = p.analyze();
  const auto& apt = layerAt(v, 2);
  QVERIFY(apt.disk.mid > 5'000'000);
  const auto& one = layerAt(v, 5);
  QVERIFY(one.basis != estimate::Basis::Unknown);
  QVERIFY2(one.disk.mid >= 50'000 && one.disk.mid < 60'000, qPrintable(QString::number(one.disk.mid)));
  const auto& folder = layerAt(v, 6);
  QVERIFY(folder.basis != estimate::Basis::Unknown);
  QVERIFY2(folder.disk.mid < 4'096, qPrintable(QString::number(folder.disk.mid)));
  const auto& cap = layerAt(v, 9);
  QCOMPARE(cap.basis, estimate::Basis::Unknown);
  QVERIFY2(mentions(cap, "/usr/bin/nmap lies inside what line 2 wrote"), "names the install the program came from");
  QVERIFY2(cap.disk.low < apt.disk.low / 10, "not the whole apt layer again");
  const auto& touch = layerAt(v, 7);
  QVERIFY(touch.basis != estimate::Basis::Unknown);
  QVERIFY(touch.disk.mid < 4'096);
  const auto& own = layerAt(v, 8);
  QVERIFY(own.basis != estimate::Basis::Unknown);
  QVERIFY(own.disk.mid < 4'096);
}

// /app is not in an official python image: chown -R of it right after mkdir is ~0 and says why;
// under /usr (a standard folder) what the base holds is still unknown.
void TestBuildScripts::officialBaseHasNoAppFolder() {
  Project p;
  p.write("app.py", "print(1)\n");
  p.write("Dockerfile",
          "FROM python:3.12-slim\n"
          "RUN useradd app\n"
          "RUN mkdir -p /app/media /app/static && chown -R app /app/\n"
          "RUN chown -R app /usr/local/lib\n"
          "RUN git clone https://example.com/x.git /x && cp /x/VERSION /\n");
  const auto v = p.analyze();
  const auto& app = layerAt(v, 3);
  QVERIFY(app.basis != estimate::Basis::Unknown);
  QVERIFY(app.disk.mid < 8'192);
  QVERIFY2(app.reason.str().find("nothing lies under /app/ before this step") != std::string::npos, app.reason.c_str());
  const auto& usr = layerAt(v, 4);
  QCOMPARE(usr.basis, estimate::Basis::Unknown);
  QVERIFY(mentions(usr, "comes from the base image"));
  // A command this RUN runs that is not modelled may have written there: not "nothing".
  const auto& clone = layerAt(v, 5);
  QCOMPARE(clone.basis, estimate::Basis::Unknown);
  QVERIFY(clone.reason.str().find("nothing lies under") == std::string::npos);
}

// `COPY requirements.txt /tmp` puts /tmp/requirements.txt (/tmp is a folder in every base), as
// does a COPY to the WORKDIR named without a trailing slash; a new name is a rename.
void TestBuildScripts::copyIntoExistingFolder() {
  Project p;
  p.write("requirements.txt", "flask==3.0.0\n");
  p.write("reqs/prod.txt", "click==8.1.7\n");
  p.write("reqs/more.txt", "requests==2.32.3\n");
  p.write("Dockerfile",
          "FROM python:3.12-slim\n"
          "COPY requirements.txt /tmp\n"
          "RUN pip install --no-cache-dir -r /tmp/requirements.txt\n"
          "WORKDIR /app\n"
          "COPY reqs/prod.txt /app\n"
          "RUN pip install --no-cache-dir -r /app/prod.txt\n"
          "COPY reqs/more.txt /deps.txt\n"
          "RUN pip install --no-cache-dir -r /deps.txt\n"
          "ADD reqs/ /requirements/\n"
          "RUN pip install --no-cache-dir -r /requirements/prod.txt\n"
          "COPY reqs /r2/\n"
          "RUN pip install --no-cache-dir -r /r2/more.txt\n");
  const auto v = p.analyze();
  for (int line : {3, 6, 8}) {
    const auto& l = layerAt(v, line);
    QVERIFY2(l.basis != estimate::Basis::Unknown, l.unknownParts.empty() ? l.reason.c_str() : l.unknownParts[0].c_str());
    QVERIFY(l.disk.mid > 100'000);
  }
  // A folder's contents go into the destination (the packages are installed already: nothing unknown).
  for (int line : {10, 12}) {
    const auto& l = layerAt(v, line);
    QVERIFY2(l.basis != estimate::Basis::Unknown, l.unknownParts.empty() ? l.reason.c_str() : l.unknownParts[0].c_str());
  }
  bool click = false;
  for (const auto& pk : v.estimate.packages) click = click || (pk.name == "click" && pk.version == "8.1.7");
  QVERIFY(click);
}

// `apt-get install $RUN_DEPS` installs what the variable holds: assigned earlier in the same RUN
// (plain or export), or by ENV/ARG. A variable with no value known here makes the layer unknown,
// never "already in the base image" (an empty package list read as nothing to install).
void TestBuildScripts::installListsInVariables() {
  Project p;
  p.write("Dockerfile",
          "ARG APT_OPTS=--no-install-recommends\n"
          "FROM python:3.12-slim\n"
          "ENV BUILD_DEPS=\"gcc libpq-dev\"\n"
          "ARG RUNTIME=\"libpq5 procps\"\n"
          "RUN set -ex && RUN_DEPS=\" \\\n    postgresql-client \\\n    \" \\\n"
          "    && apt-get update && apt-get install -y --no-install-recommends $RUN_DEPS && rm -rf /var/lib/apt/lists/*\n"
          "RUN apt-get update && apt-get install -y --no-install-recommends $BUILD_DEPS ${RUNTIME} && rm -rf /var/lib/apt/lists/*\n"
          "RUN export PKGS=curl && apt-get update && apt-get install -y --no-install-recommends $PKGS && rm -rf /var/lib/apt/lists/*\n"
          "RUN apt-get update && apt-get install -y --no-install-recommends $OTHER && rm -rf /var/lib/apt/lists/*\n"
          "RUN PKGS=curl apt-get install -y $PKGS\n"
          "RUN apt-get update && apt-get install -y --no-install-recommends libpq5 `# for psycopg` procps && rm -rf /var/lib/apt/lists/*\n"
          "ARG EXTRAS=bcrypt\n"
          "RUN pip install --no-cache-dir \"Radicale[${EXTRAS}] @ https://example.com/radicale.tar.gz\"\n"
          "RUN apt-get update && apt-get install -y $APT_OPTS curl && rm -rf /var/lib/apt/lists/*\n");
  const auto v = p.analyze();
  // A comment in a command substitution expands to nothing; a quoted word stays one word.
  QVERIFY(layerAt(v, 13).basis != estimate::Basis::Unknown);
  QVERIFY(mentions(layerAt(v, 15), "https://example.com/radicale.tar.gz"));
  QVERIFY(!mentions(layerAt(v, 15), "expected a package name"));
  // A global ARG not declared again in the stage is not in the RUN's environment: empty.
  QVERIFY(layerAt(v, 16).basis != estimate::Basis::Unknown);
  for (int line : {5, 9, 10}) {
    const auto& l = layerAt(v, line);
    QVERIFY2(l.basis != estimate::Basis::Unknown, l.unknownParts.empty() ? l.reason.c_str() : l.unknownParts[0].c_str());
    QVERIFY2(l.disk.mid > 1'000'000, l.reason.c_str());
  }
  QVERIFY(v.estimate.compilerInFinal);  // gcc from $BUILD_DEPS
  for (int line : {11, 12}) {  // a prefix assignment is the command's environment, not its words
    const auto& l = layerAt(v, line);
    QCOMPARE(l.basis, estimate::Basis::Unknown);
    QVERIFY(mentions(l, "a word the shell computes at build time"));
    QVERIFY2(l.reason.str().find("already in the base image") == std::string::npos, l.reason.c_str());
  }
}

// `seq 1 8 | xargs -I{} mkdir -p /usr/share/man/man{}` makes eight folders; xargs over other
// input stays unknown.
void TestBuildScripts::seqXargsMkdir() {
  Project p;
  p.write("Dockerfile",
          "FROM python:3.12-slim\n"
          "RUN seq 1 8 | xargs -I{} mkdir -p /usr/share/man/man{}\n"
          "RUN cat list.txt | xargs -I{} mkdir -p /data/{}\n"
          "RUN npm config set strict-ssl false && yarn config set registry https://registry.example.com\n"
          "RUN npm ci\n");
  const auto v = p.analyze();
  // A config setting is one line in ~/.npmrc / ~/.yarnrc; installing node packages stays unknown.
  QVERIFY(layerAt(v, 4).basis != estimate::Basis::Unknown);
  QVERIFY(layerAt(v, 4).disk.high > 0 && layerAt(v, 4).disk.high < 4096);
  QCOMPARE(layerAt(v, 5).basis, estimate::Basis::Unknown);
  const auto& made = layerAt(v, 2);
  QVERIFY(made.basis != estimate::Basis::Unknown);
  QVERIFY(made.disk.high >= 8 * 512 && made.disk.high < 64 * 512);
  QCOMPARE(layerAt(v, 3).basis, estimate::Basis::Unknown);
}

// sed -i, chmod and chown of a file nothing in the stage wrote change the base image's file,
// copied whole into the layer: its size is not catalogued, so the layer is unknown (not 0);
// touch of such a path makes a new empty file, and a folder changes only its entry.
void TestBuildScripts::baseImageFileChanged() {
  Project p;
  p.write("Dockerfile",
          "FROM python:3.12-slim\n"
          "RUN sed -i 's/^CipherString = .*/CipherString = DEFAULT@SECLEVEL=1/' /etc/ssl/openssl.cnf\n"
          "RUN chmod 4755 /usr/bin/passwd\n"
          "RUN touch /etc/app.conf && chmod 1777 /tmp\n"
          "RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*\n"
          "RUN sed -i 's/^user www-data;/user root;/' /etc/nginx/nginx.conf\n"
          "RUN curl -sLo /tool https://example.com/tool && chmod +x /tool\n"
          "RUN chmod +x /opt/$TOOL_NAME\n");
  const auto v = p.analyze();
  for (int line : {2, 3}) {
    const auto& l = layerAt(v, line);
    QCOMPARE(l.basis, estimate::Basis::Unknown);
    QVERIFY(mentions(l, "comes from the base image, whose files are not catalogued by path; this copies it whole"));
  }
  QVERIFY(layerAt(v, 4).basis != estimate::Basis::Unknown);
  QVERIFY(layerAt(v, 4).disk.high < 4096);
  QVERIFY(mentions(layerAt(v, 6), "/etc/nginx/nginx.conf comes from the base image or a package line 5 installed"));
  // After a download in the same RUN, the file is that download (unknown already, not "the base image's").
  QVERIFY(mentions(layerAt(v, 7), "downloads https://example.com/tool"));
  QVERIFY(!mentions(layerAt(v, 7), "comes from the base image"));
  QVERIFY(mentions(layerAt(v, 8), "/opt/$TOOL_NAME is a path the shell computes at build time"));
  // A pattern: the files COPY put there that match it, exactly; a folder the base fills may hold more.
  Project g;
  g.write("docker/entry.sh", std::string(3000, 'x'));
  g.write("docker/wait.sh", std::string(5000, 'y'));
  g.write("Dockerfile",
          "FROM python:3.12-slim\n"
          "COPY docker/entry.sh docker/wait.sh /\n"
          "RUN chmod 775 /*.sh\n"
          "RUN chmod +x /usr/local/bin/*\n");
  const auto gv = g.analyze();
  const auto& sh = layerAt(gv, 3);
  QVERIFY2(sh.basis != estimate::Basis::Unknown, sh.unknownParts.empty() ? "" : sh.unknownParts[0].c_str());
  QVERIFY(sh.disk.mid >= 8000 && sh.disk.mid < 8000 + 4096);
  QVERIFY(mentions(layerAt(gv, 4), "/usr/local/bin/* may also match files the base image has in /usr/local/bin"));
}

// pipenv installs what Pipfile.lock pins (default; develop too with --dev; a git entry is unknown);
// without a lock in the context it is unknown, never 0. uv venv makes an empty venv unless it has
// to download another Python; pdm is not read (unknown).
void TestBuildScripts::pipenvLockAndUvVenv() {
  Project p;
  p.write("Pipfile", "[packages]\nflask = \"*\"\n");
  p.write("pyproject.toml", "[project]\nname = \"app\"\nversion = \"1\"\ndependencies = ['click==8.1.7']\n");
  p.write("Pipfile.lock",
          "{\"_meta\": {}, \"default\": {\"flask\": {\"version\": \"==3.0.0\"},"
          " \"mylib\": {\"git\": \"https://example.com/mylib.git\", \"ref\": \"abc\"}},"
          " \"develop\": {\"pytest\": {\"version\": \"==8.3.3\", \"markers\": \"python_version >= '3.8'\"}}}\n");
  p.write("Dockerfile",
          "FROM python:3.12-slim\n"
          "COPY Pipfile Pipfile.lock ./\n"
          "RUN pip install pipenv && pipenv install --system --dev\n"
          "WORKDIR /other\n"
          "RUN pipenv install --system\n"
          "RUN uv venv /venv\n"
          "RUN uv venv /v311 --python 3.11\n"
          "RUN pdm install --prod\n"
          "RUN --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv pip install --system -r pyproject.toml\n");
  const auto v = p.analyze();
  const auto& lock = layerAt(v, 3);
  QCOMPARE(lock.basis, estimate::Basis::Unknown);  // the git entry
  QVERIFY(mentions(lock, "mylib (Pipfile.lock: a git checkout)"));
  QVERIFY(lock.disk.mid > 5'000'000);
  bool flask = false, pytest = false;
  for (const auto& pk : v.estimate.packages) {
    flask = flask || pk.name == "flask";  // 3.0.0 asked: a stated proxy when not catalogued
    pytest = pytest || pk.name == "pytest";
  }
  QVERIFY(flask && pytest);
  QVERIFY(mentions(layerAt(v, 5), "no Pipfile.lock from the build context at /other/Pipfile.lock"));
  const auto& venv = layerAt(v, 6);
  QVERIFY(venv.basis != estimate::Basis::Unknown);
  QVERIFY(venv.disk.mid > 0 && venv.disk.mid < 100'000);
  QVERIFY(mentions(layerAt(v, 7), "uv may download a managed Python 3.11 (the base image has 3.12)"));
  QVERIFY(mentions(layerAt(v, 8), "pdm's lock file is not read"));
  // uv pip install -r pyproject.toml reads the project's dependencies (TOML, not requirement lines).
  QVERIFY2(layerAt(v, 9).basis != estimate::Basis::Unknown, layerAt(v, 9).unknownParts.empty() ? "" : layerAt(v, 9).unknownParts[0].c_str());
  QVERIFY(layerAt(v, 9).disk.mid > 100'000);

  // pip install /app where COPY put the build context: the project (its pyproject's dependencies).
  Project q;
  q.write("pyproject.toml", "[project]\nname = \"app\"\nversion = \"1\"\ndependencies = ['click==8.1.7']\n"
                            "[project.optional-dependencies]\ndev = ['pytest==8.3.3']\n");
  q.write("Dockerfile",
          "FROM python:3.12-slim\n"
          "COPY . /app\n"
          "RUN pip install --no-cache-dir /app\n"
          "WORKDIR /src\n"
          "COPY . .\n"
          "RUN pip install --no-cache-dir -e '/src[dev]'\n"
          "RUN pip install --no-cache-dir /opt/other\n");
  const auto qv = q.analyze();
  QVERIFY(layerAt(qv, 3).basis != estimate::Basis::Unknown);
  QVERIFY(layerAt(qv, 3).disk.mid > 100'000);
  QVERIFY(layerAt(qv, 6).basis != estimate::Basis::Unknown);
  bool devExtra = false;
  for (const auto& pk : qv.estimate.packages) devExtra = devExtra || pk.name == "pytest";
  QVERIFY(devExtra);
  QVERIFY(mentions(layerAt(qv, 7), "local distribution /opt/other"));
}

// ~ and $HOME are /root where the RUN surely runs as root (an official base, no USER or USER root);
// for another user they stay as written.
void TestBuildScripts::homeOfRoot() {
  Project p;
  p.write("app/static/site.css", std::string(20000, 'c'));
  p.write("Dockerfile",
          "FROM python:3.12-slim\n"
          "COPY app/static /root/static\n"
          "RUN chown -R nobody ~/static\n"
          "RUN chmod -R g+w $HOME/static\n"
          "USER nobody\n"
          "RUN chown -R nobody ~/static\n");
  const auto v = p.analyze();
  for (int line : {3, 4}) {
    const auto& l = layerAt(v, line);
    QVERIFY2(l.basis != estimate::Basis::Unknown, l.unknownParts.empty() ? "" : l.unknownParts[0].c_str());
    QVERIFY2(l.disk.mid >= 20000, l.reason.c_str());  // the copied file, rewritten
  }
  const auto& other = layerAt(v, 6);
  QVERIFY(other.disk.mid < 20000);
}

// torch from the PyTorch index (CPU-only or one CUDA build) is not PyPI's: PyPI's CUDA torch and
// its nvidia-* wheels (gigabytes) must not be counted in the lower bound; pip's and uv's options.
void TestBuildScripts::pytorchIndexNotCounted() {
  Project p;
  p.write("Dockerfile",
          "FROM python:3.12-slim\n"
          "RUN pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu\n"
          "RUN uv pip install --system --no-cache --index https://download.pytorch.org/whl/cpu torchvision\n"
          "RUN python -m venv /v && /v/bin/pip install --no-cache-dir torch\n");
  const auto v = p.analyze();
  for (int line : {2, 3}) {
    const auto& l = layerAt(v, line);
    QCOMPARE(l.basis, estimate::Basis::Unknown);
    QVERIFY(mentions(l, "packages from the PyTorch index (https://download.pytorch.org/whl/cpu)"));
    QVERIFY2(l.disk.mid < 500'000'000, l.reason.c_str());  // no CUDA torch, no nvidia-* wheels
  }
  QVERIFY(layerAt(v, 4).disk.mid > 1'000'000'000);  // PyPI's torch (another venv): the CUDA build and its libraries
}

// `bash -c "SCRIPT"` is SCRIPT's commands: the install it hides is estimated, with the branch its
// build arg picks (full-stack-fastapi-template's INSTALL_DEV idiom), and small writes are sized.
void TestBuildScripts::inlineShellScriptsAnalysed() {
  Project p;
  p.write("requirements.txt", "flask==3.0.0\n");
  p.write("requirements-dev.txt", "pytest==8.3.4\n");
  p.write("Dockerfile",
          "FROM python:3.12-slim\n"
          "ARG INSTALL_DEV=false\n"
          "COPY requirements*.txt ./\n"
          "RUN bash -c \"if [ $INSTALL_DEV == 'true' ] ; then pip install --no-cache-dir -r requirements-dev.txt ; "
          "else pip install --no-cache-dir -r requirements.txt ; fi\"\n"
          "RUN sh -ec 'echo ok > /etc/app.conf && chmod 644 /etc/app.conf'\n"
          "RUN bash -c ./configure.sh\n");
  const auto v = p.analyze();
  std::set<std::string> names;
  for (const auto& pk : v.estimate.packages) names.insert(pk.name);
  QVERIFY2(names.count("flask"), "the install inside bash -c");
  QVERIFY(!names.count("pytest"));  // INSTALL_DEV=false: the else branch
  const auto& install = layerAt(v, 4);
  QVERIFY(install.basis != estimate::Basis::Unknown);
  QVERIFY(install.disk.mid > 1'000'000);
  const auto& small = layerAt(v, 5);
  QVERIFY2(small.unknownParts.empty(), small.unknownParts.empty() ? "" : small.unknownParts.front().c_str());
  QVERIFY(small.disk.high > 0 && small.disk.high < 16'384);
  QCOMPARE(layerAt(v, 6).basis, estimate::Basis::Unknown);  // the script it runs is not seen
}

// Commands that print or write a few measured bytes are not unknown: a version or help query
// (also through python -m and gosu), apt-get check, apt-mark, truncate -s 0; apt-mark hold
// rewrites dpkg's status (measured, about 180 KB); a truncate to another size stays unknown.
void TestBuildScripts::versionQueriesAndSmallCommands() {
  Project p;
  p.write("requirements.txt", "flask==3.0.0\n");
  p.write("Dockerfile",
          "FROM python:3.12-slim\n"
          "COPY requirements.txt .\n"
          "RUN pip install --no-cache-dir -r requirements.txt && flask --version && python -m flask --help && "
          "bash --version && gosu nobody flask -h\n"
          "RUN apt-get check && apt-mark manual libc6 && apt-mark showmanual && truncate --size 0 /var/log/dpkg.log\n"
          "RUN truncate -s 10M /var/log/dpkg.log\n"
          "RUN apt-mark hold libc6\n");
  const auto v = p.analyze();
  QVERIFY(layerAt(v, 3).basis != estimate::Basis::Unknown);
  const auto& small = layerAt(v, 4);
  QVERIFY(small.basis != estimate::Basis::Unknown);
  QVERIFY2(small.disk.mid >= 3'000 && small.disk.high < 16'384, qPrintable(QString::number(small.disk.high)));
  QCOMPARE(layerAt(v, 5).basis, estimate::Basis::Unknown);
  const auto& hold = layerAt(v, 6);
  QVERIFY(hold.basis != estimate::Basis::Unknown);
  QVERIFY2(hold.disk.mid >= 180'000 && hold.disk.high > 1'000'000, qPrintable(QString::number(hold.disk.mid)));
  // pip install of a variable with no value here: said so, not "expected a package name".
  Project q;
  q.write("Dockerfile", "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask $EXTRA_PACKAGES\n");
  const auto w = q.analyze();
  const auto& l = layerAt(w, 2);
  QCOMPARE(l.basis, estimate::Basis::Unknown);
  QVERIFY(mentions(l, "$EXTRA_PACKAGES: a word the shell computes at build time"));
  QVERIFY(!mentions(l, "expected a package name"));
}

QTEST_GUILESS_MAIN(TestBuildScripts)
#include "test_build_scripts.moc"
