// Findings: each rule fires on a Dockerfile that has the problem (at the expected
// line) and stays silent on the fixed one; rules.json, overrides, inline ignores.
#include <QtTest>

#include "dockerfile/model.h"
#include "dockerfile/syntax.h"
#include "embedded_resources.h"
#include "lint/lint.h"
#include "testutil.h"

using namespace slimbench;
using testutil::q;

namespace {
const lint::RuleSet& catalogue() {
  static const lint::RuleSet rs = [] {
    auto text = resources::find("catalogue/rules.json");
    if (!text) qFatal("catalogue/rules.json is not embedded");
    auto r = lint::RuleSet::fromJson(*text, "catalogue/rules.json");
    if (!r) qFatal("rules.json: %s", r.error().format().c_str());
    return *r;
  }();
  return rs;
}

lint::LintFacts factsNamed(const QString& name) {
  lint::LintFacts f;
  if (name == "nowheel") {
    f.packagesWithoutWheel = {{"pandas", "compiles from sdist"}};
    f.targetLibc = "musl";
  } else if (name == "noignore") {
    f.hasDockerignore = false;
    f.contextBytes = 300'000'000;
    f.largestPaths = {{".git", 200'000'000}, {"data", 90'000'000}};
  } else if (name == "arm64") {
    f.arch = "arm64";
  } else if (name == "ignore") {
    f.hasDockerignore = true;
    f.contextBytes = 300'000'000;
  }
  return f;
}

std::vector<lint::Finding> run(const std::string& text, const lint::RuleSet& rules = catalogue(),
                               const lint::LintFacts& facts = {}) {
  auto t = dockerfile::parse(text, "Dockerfile");
  if (!t.ok()) qFatal("parse failed: %s", t.error().format().c_str());
  auto m = dockerfile::buildModel(*t, "Dockerfile", {});
  return lint::lint(m, *t, rules, facts);
}

QString dump(const std::vector<lint::Finding>& fs) {
  QString s;
  for (const auto& f : fs) s += q(f.format()) + "\n";
  return s;
}

const lint::Finding* findRule(const std::vector<lint::Finding>& fs, const std::string& id) {
  for (const auto& f : fs)
    if (f.ruleId == id) return &f;
  return nullptr;
}
}  // namespace

class TestLint : public QObject {
  Q_OBJECT
 private slots:
  void rules_data();
  void rules();
  void catalogueMatchesChecks();
  void malformedCatalogue_data();
  void malformedCatalogue();
  void overrides();
  void inlineIgnores();
  void sourceBeforeDepsNamesTheSourceCopy();
  void findingText();
};

void TestLint::rules_data() {
  QTest::addColumn<QString>("rule");
  QTest::addColumn<QString>("dockerfile");
  QTest::addColumn<QString>("facts");
  QTest::addColumn<int>("line");  // 0: the rule must not fire
  const QString slim = "FROM python:3.12-slim\n";

  QTest::newRow("SB101 COPY . before pip -r") << "SB101"
      << slim + "WORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n" << "" << 3;
  QTest::newRow("SB101 COPY src/ before uv sync") << "SB101"
      << slim + "COPY pyproject.toml uv.lock ./\nCOPY src/ ./src/\nRUN uv sync --frozen\n" << "" << 3;
  // The COPY to blame is the one of the source tree, not the first COPY before the install (kinto:
  // COPY LICENSE ... then COPY kinto/ kinto/).
  QTest::newRow("SB101 blames the source tree, not LICENSE") << "SB101"
      << slim + "WORKDIR /app\nCOPY LICENSE CHANGELOG.rst setup.py ./\nCOPY kinto/ kinto/\nRUN pip install --no-cache-dir -r requirements.txt\n" << "" << 4;
  QTest::newRow("SB101 source files by extension") << "SB101"
      << slim + "COPY NOTICE requirements.txt ./\nCOPY main.py .\nRUN pip install --no-cache-dir -r requirements.txt\n" << "" << 3;
  QTest::newRow("SB101 fixed: only documents and manifests before") << "SB101"
      << slim + "WORKDIR /app\nCOPY LICENSE README.md requirements.txt ./\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY kinto/ kinto/\n" << "" << 0;
  QTest::newRow("SB101 fixed") << "SB101"
      << slim + "WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n" << "" << 0;

  QTest::newRow("SB102 pip install") << "SB102" << slim + "COPY requirements.txt .\nRUN pip install -r requirements.txt\n" << "" << 3;
  QTest::newRow("SB102 fixed --no-cache-dir") << "SB102" << slim + "RUN pip install --no-cache-dir flask\n" << "" << 0;
  QTest::newRow("SB102 fixed --no-cache (pip reads an unambiguous prefix)") << "SB102" << slim + "RUN pip install --no-cache flask\n" << "" << 0;
  QTest::newRow("SB102 fixed ENV =1") << "SB102" << slim + "ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n" << "" << 0;
  QTest::newRow("SB102 fixed ENV =off (pip: any boolean disables)") << "SB102" << slim + "ENV PIP_NO_CACHE_DIR=off\nRUN pip install flask\n" << "" << 0;
  QTest::newRow("SB102 fixed cache mount") << "SB102"
      << slim + "RUN --mount=type=cache,target=/root/.cache/pip pip install flask\n" << "" << 0;
  QTest::newRow("SB102 fixed rm same RUN") << "SB102" << slim + "RUN pip install flask && rm -rf /root/.cache\n" << "" << 0;
  QTest::newRow("SB102 ENV after RUN") << "SB102" << slim + "RUN pip install flask\nENV PIP_NO_CACHE_DIR=1\n" << "" << 2;
  // The cache's place from the ENV before the RUN: PIP_CACHE_DIR, XDG_CACHE_HOME/pip; a base stage's ENV counts.
  QTest::newRow("SB102 fixed rm of PIP_CACHE_DIR") << "SB102"
      << slim + "ENV PIP_CACHE_DIR=/tmp/pc\nRUN pip install flask && rm -rf /tmp/pc\n" << "" << 0;
  QTest::newRow("SB102 rm of another dir") << "SB102"
      << slim + "ENV PIP_CACHE_DIR=/tmp/pc\nRUN pip install flask && rm -rf /tmp/other\n" << "" << 3;
  QTest::newRow("SB102 PIP_CACHE_DIR set after the RUN") << "SB102"
      << slim + "RUN pip install flask && rm -rf /tmp/pc\nENV PIP_CACHE_DIR=/tmp/pc\n" << "" << 2;
  QTest::newRow("SB102 fixed rm of XDG_CACHE_HOME/pip") << "SB102"
      << slim + "ENV XDG_CACHE_HOME=/xdg\nRUN pip install flask && rm -rf /xdg/pip\n" << "" << 0;
  QTest::newRow("SB102 fixed ENV in the base stage") << "SB102"
      << slim.left(slim.size() - 1) + " AS base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install flask\n" << "" << 0;
  QTest::newRow("SB102 builder stage only") << "SB102"
      << slim.left(slim.size() - 1) + " AS build\nRUN pip install --prefix /p flask\n" + slim + "COPY --from=build /p /usr/local\n" << "" << 0;
  QTest::newRow("SB102 base stage ships") << "SB102"
      << slim.left(slim.size() - 1) + " AS base\nRUN pip install flask\nFROM base\nUSER app\n" << "" << 2;

  QTest::newRow("SB103 purge in later RUN") << "SB103"
      << slim + "RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*\n"
                "RUN pip install --no-cache-dir psutil\nRUN apt-get purge -y gcc\n" << "" << 4;
  QTest::newRow("SB103 rm lists in later RUN") << "SB103"
      << "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n" << "" << 4;
  QTest::newRow("SB103 apk del later") << "SB103"
      << "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build gcc musl-dev\nRUN pip install --no-cache-dir psutil\nRUN apk del .build\n" << "" << 4;
  QTest::newRow("SB103 fixed same RUN") << "SB103"
      << slim + "RUN apt-get update && apt-get install -y --no-install-recommends gcc "
                "&& pip install --no-cache-dir psutil && apt-get purge -y --auto-remove gcc && rm -rf /var/lib/apt/lists/*\n" << "" << 0;

  QTest::newRow("SB104 apk gcc") << "SB104" << "FROM python:3.12-alpine\nRUN apk add --no-cache gcc musl-dev && pip install --no-cache-dir psutil\n" << "" << 2;
  // Headers alone are no compiler: SB118, the milder finding, not SB104.
  QTest::newRow("SB104 not for libpq-dev alone") << "SB104"
      << slim + "RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*\n" << "" << 0;
  QTest::newRow("SB118 libxml2-dev alone") << "SB118"
      << slim + "RUN apt-get update && apt-get install -y --no-install-recommends libxml2-dev libxslt1-dev && rm -rf /var/lib/apt/lists/*\n" << "" << 2;
  QTest::newRow("SB118 not with a compiler (SB104 says it)") << "SB118"
      << slim + "RUN apt-get update && apt-get install -y --no-install-recommends gcc libxml2-dev && rm -rf /var/lib/apt/lists/*\n" << "" << 0;
  QTest::newRow("SB104 gcc with libxml2-dev") << "SB104"
      << slim + "RUN apt-get update && apt-get install -y --no-install-recommends gcc libxml2-dev && rm -rf /var/lib/apt/lists/*\n" << "" << 2;
  QTest::newRow("SB104 build-essential") << "SB104"
      << slim + "RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*\n" << "" << 2;
  // Branches decided with the analysis arch (amd64 unless told): an armv7-only install is not in the image.
  QTest::newRow("SB104 not in an armv7 uname branch") << "SB104"
      << "FROM python:3.12-alpine\nRUN if [ \"$(uname -m)\" = \"armv7l\" ]; then apk add --no-cache gcc musl-dev; fi && pip install --no-cache-dir psutil\n" << "" << 0;
  QTest::newRow("SB104 not in a TARGETARCH arm case") << "SB104"
      << slim + "ARG TARGETARCH\nRUN case \"$TARGETARCH\" in arm*) apt-get update && apt-get install -y --no-install-recommends gcc ;; esac\n" << "" << 0;
  QTest::newRow("SB104 TARGETARCH arm case on arm64") << "SB104"
      << slim + "ARG TARGETARCH\nRUN case \"$TARGETARCH\" in arm*) apt-get update && apt-get install -y --no-install-recommends gcc ;; esac\n" << "arm64" << 3;
  QTest::newRow("SB104 amd64 uname branch taken") << "SB104"
      << "FROM python:3.12-alpine\nRUN if [ \"$(uname -m)\" = \"x86_64\" ]; then apk add --no-cache gcc musl-dev; fi\n" << "" << 2;
  QTest::newRow("SB104 undecidable branch kept") << "SB104"
      << "FROM python:3.12-alpine\nRUN if [ -f /etc/needs-gcc ]; then apk add --no-cache gcc; fi\n" << "" << 2;
  QTest::newRow("SB104 fixed apk virtual") << "SB104"
      << "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build gcc musl-dev && pip install --no-cache-dir psutil && apk del .build\n" << "" << 0;
  QTest::newRow("SB104 fixed apt purge") << "SB104"
      << slim + "RUN apt-get update && apt-get install -y --no-install-recommends gcc && pip install --no-cache-dir psutil "
                "&& apt-get purge -y --auto-remove gcc && rm -rf /var/lib/apt/lists/*\n" << "" << 0;
  QTest::newRow("SB104 fixed builder stage") << "SB104"
      << slim.left(slim.size() - 1) + " AS build\nRUN apt-get update && apt-get install -y build-essential\n" + slim + "USER app\n" << "" << 0;

  QTest::newRow("SB105 no wheel") << "SB105" << "FROM python:3.12-alpine\nRUN pip install --no-cache-dir flask pandas==2.2\n" << "nowheel" << 2;
  QTest::newRow("SB105 fixed (wheels everywhere)") << "SB105" << "FROM python:3.12-alpine\nRUN pip install --no-cache-dir flask pandas==2.2\n" << "" << 0;

  const QString builder = "FROM python:3.12-slim AS builder\nRUN pip wheel -w /wheels flask\n";
  QTest::newRow("SB106 COPY wheels then install") << "SB106"
      << builder + slim + "COPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/* && rm -rf /wheels\n" << "" << 4;
  QTest::newRow("SB106 COPY *.whl") << "SB106"
      << slim + "COPY dist/app-1.0-py3-none-any.whl /tmp/\nRUN pip install --no-cache-dir /tmp/app-1.0-py3-none-any.whl\n" << "" << 2;
  QTest::newRow("SB106 fixed bind mount") << "SB106"
      << builder + slim + "RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels pip install --no-cache-dir /wheels/*\n" << "" << 0;

  QTest::newRow("SB107 apt lists left") << "SB107" << "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n" << "" << 2;
  QTest::newRow("SB107 fixed rm") << "SB107"
      << "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n" << "" << 0;
  QTest::newRow("SB107 fixed dist-clean") << "SB107"
      << "FROM debian:13\nRUN apt-get update && apt-get install -y --no-install-recommends curl && apt-get dist-clean\n" << "" << 0;
  QTest::newRow("SB107 fixed cache mounts") << "SB107"
      << "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt "
         "apt-get update && apt-get install -y --no-install-recommends curl\n" << "" << 0;

  QTest::newRow("SB108 recommends") << "SB108" << "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n" << "" << 2;
  QTest::newRow("SB108 fixed") << "SB108"
      << "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n" << "" << 0;

  QTest::newRow("SB109 apk add") << "SB109" << "FROM alpine:3.20\nRUN apk update && apk add libpq\n" << "" << 2;
  QTest::newRow("SB109 fixed --no-cache") << "SB109" << "FROM alpine:3.20\nRUN apk add --no-cache libpq\n" << "" << 0;
  QTest::newRow("SB109 fixed rm") << "SB109" << "FROM alpine:3.20\nRUN apk add libpq && rm -rf /var/cache/apk/*\n" << "" << 0;

  QTest::newRow("SB110 no tag") << "SB110" << "FROM python\nCMD [\"python\"]\n" << "" << 1;
  QTest::newRow("SB110 latest") << "SB110" << "FROM docker.io/library/python:latest AS x\nRUN true\n" << "" << 1;
  QTest::newRow("SB110 registry port, no tag") << "SB110" << "FROM localhost:5000/python\nRUN true\n" << "" << 1;
  QTest::newRow("SB110 fixed tag") << "SB110" << slim + "RUN true\n" << "" << 0;
  QTest::newRow("SB110 fixed digest") << "SB110" << "FROM python@sha256:0123abcd\nRUN true\n" << "" << 0;
  QTest::newRow("SB110 stage reference") << "SB110" << slim.left(slim.size() - 1) + " AS base\nFROM base\nRUN true\n" << "" << 0;

  QTest::newRow("SB111 no USER") << "SB111" << slim + "CMD [\"python\"]\n" << "" << 1;
  QTest::newRow("SB111 USER root last") << "SB111" << slim + "USER app\nUSER root\n" << "" << 3;
  QTest::newRow("SB111 USER 0:0") << "SB111" << slim + "USER 0:0\n" << "" << 2;
  QTest::newRow("SB111 fixed") << "SB111" << slim + "RUN useradd app\nUSER app\n" << "" << 0;
  QTest::newRow("SB111 fixed in base stage") << "SB111" << slim.left(slim.size() - 1) + " AS base\nUSER app\nFROM base\nCMD [\"x\"]\n" << "" << 0;

  QTest::newRow("SB112 pip --compile") << "SB112"
      << slim + "ENV PYTHONDONTWRITEBYTECODE=1\nRUN pip install --no-cache-dir --compile flask\n" << "" << 3;
  QTest::newRow("SB112 compileall") << "SB112"
      << slim + "ENV PYTHONDONTWRITEBYTECODE=1\nRUN python -m compileall -q /app\n" << "" << 3;
  QTest::newRow("SB112 fixed") << "SB112" << slim + "ENV PYTHONDONTWRITEBYTECODE=1\nRUN pip install --no-cache-dir flask\n" << "" << 0;
  QTest::newRow("SB112 UV_COMPILE_BYTECODE") << "SB112"
      << slim + "ENV PYTHONDONTWRITEBYTECODE=1 UV_COMPILE_BYTECODE=1\nRUN uv pip install --system flask\n" << "" << 3;
  QTest::newRow("SB112 UV_COMPILE_BYTECODE=0") << "SB112"
      << slim + "ENV PYTHONDONTWRITEBYTECODE=1 UV_COMPILE_BYTECODE=0\nRUN uv pip install --system flask\n" << "" << 0;

  QTest::newRow("SB113 ADD local file") << "SB113" << slim + "ADD requirements.txt .\n" << "" << 2;
  QTest::newRow("SB113 fixed archive and URL") << "SB113"
      << slim + "ADD vendor.tar.gz /opt/\nADD https://example.com/x.txt /x\nADD git@github.com:o/r.git /src\n" << "" << 0;

  QTest::newRow("SB114 no .dockerignore") << "SB114" << slim + "WORKDIR /app\nCOPY . .\n" << "noignore" << 3;
  QTest::newRow("SB114 fixed .dockerignore") << "SB114" << slim + "WORKDIR /app\nCOPY . .\n" << "ignore" << 0;
  QTest::newRow("SB114 unknown facts") << "SB114" << slim + "WORKDIR /app\nCOPY . .\n" << "" << 0;

  // SB119: installs after USER switched away from root.
  QTest::newRow("SB119 apt-get after USER app") << "SB119"
      << slim + "RUN useradd app\nUSER app\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n" << "" << 4;
  QTest::newRow("SB119 apk add after USER 1000") << "SB119"
      << "FROM python:3.12-alpine\nUSER 1000:1000\nRUN apk add --no-cache curl\n" << "" << 3;
  QTest::newRow("SB119 pip into the system after USER") << "SB119" << slim + "USER app\nRUN pip install --no-cache-dir flask\n" << "" << 3;
  QTest::newRow("SB119 USER inherited from the base stage") << "SB119"
      << slim.left(slim.size() - 1) + " AS base\nUSER app\nFROM base\nRUN apt-get update && apt-get install -y curl\n" << "" << 4;
  QTest::newRow("SB119 fixed USER root around it") << "SB119"
      << slim + "USER app\nUSER root\nRUN apt-get update && apt-get install -y curl\nUSER app\n" << "" << 0;
  QTest::newRow("SB119 fixed install before USER") << "SB119"
      << slim + "RUN apt-get update && apt-get install -y curl\nUSER app\nCMD [\"app\"]\n" << "" << 0;
  QTest::newRow("SB119 fixed pip --user") << "SB119" << slim + "USER app\nRUN pip install --user --no-cache-dir flask\n" << "" << 0;
  QTest::newRow("SB119 fixed pip into a venv on PATH") << "SB119"
      << slim + "RUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nUSER app\nRUN pip install --no-cache-dir flask\n" << "" << 0;
  QTest::newRow("SB119 fixed sudo") << "SB119" << slim + "USER app\nRUN sudo apt-get install -y curl\n" << "" << 0;
  QTest::newRow("SB119 fixed USER 0") << "SB119" << slim + "USER 0\nRUN apt-get install -y curl\n" << "" << 0;

  QTest::newRow("SB115 apt-get upgrade") << "SB115"
      << "FROM debian:12\nRUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*\n" << "" << 2;
  QTest::newRow("SB115 fixed") << "SB115" << "FROM debian:12\nRUN echo ok\n" << "" << 0;
  QTest::newRow("SB117 chown -R after COPY") << "SB117" << slim + "WORKDIR /app\nCOPY . .\nRUN useradd app && chown -R app:app /app\n" << "" << 4;
  QTest::newRow("SB117 chmod -R of a copied file's folder") << "SB117" << slim + "COPY scripts/ /opt/scripts/\nRUN chmod -R 755 /opt\n" << "" << 3;
  QTest::newRow("SB117 relative path under WORKDIR") << "SB117" << slim + "WORKDIR /srv\nCOPY app app\nRUN chown -R 1000 ./app\n" << "" << 4;
  QTest::newRow("SB117 fixed COPY --chown") << "SB117" << slim + "RUN useradd app\nCOPY --chown=app:app . /app\n" << "" << 0;
  QTest::newRow("SB117 not a copied path") << "SB117" << slim + "COPY . /app\nRUN mkdir /data && chown -R app /data\n" << "" << 0;
  QTest::newRow("SB117 not recursive") << "SB117" << slim + "COPY entry.sh /app/\nRUN chmod 755 /app/entry.sh\n" << "" << 0;
}

void TestLint::rules() {
  QFETCH(QString, rule);
  QFETCH(QString, dockerfile);
  QFETCH(QString, facts);
  QFETCH(int, line);
  auto fs = run(dockerfile.toStdString(), catalogue(), factsNamed(facts));
  const auto id = rule.toStdString();
  if (line == 0) {
    QVERIFY2(!findRule(fs, id), qPrintable("unexpected " + rule + ":\n" + dump(fs)));
    return;
  }
  bool found = false;
  for (const auto& f : fs)
    if (f.ruleId == id && f.where.line == line) {
      found = true;
      QVERIFY(!f.message.empty());
      QVERIFY(!f.explanation.empty() && !f.fix.empty());
      QCOMPARE(q(f.where.file), QString("Dockerfile"));
      QVERIFY(f.stage >= 0 || id == "SB114");
    }
  QVERIFY2(found, qPrintable("expected " + rule + " at line " + QString::number(line) + ", got:\n" + dump(fs)));
}

void TestLint::catalogueMatchesChecks() {
  const auto& rs = catalogue();
  auto ids = lint::implementedRules();
  QCOMPARE(int(ids.size()), 18);
  for (const auto& id : ids) QVERIFY2(rs.find(id), id.c_str());
  QCOMPARE(rs.rules().size(), ids.size());
  for (const auto& r : rs.rules()) {
    QVERIFY2(std::find(ids.begin(), ids.end(), r.id) != ids.end(), r.id.c_str());
    QVERIFY2(r.source.find("http") != std::string::npos || r.source.find(".com") != std::string::npos, r.id.c_str());
  }
}

void TestLint::malformedCatalogue_data() {
  QTest::addColumn<QString>("json");
  QTest::addColumn<QString>("expected");
  QTest::addColumn<int>("line");
  const QString ok = R"("title": "t", "explanation": "e", "fix": "f", "category": "size", "source": "s")";
  QTest::newRow("not JSON") << "{\"rules\": [\n  {\"id\": \"SB101\",,}\n]}" << "not valid JSON" << 2;
  QTest::newRow("no rules array") << "{\"rule\": []}" << "\"rules\" array" << 1;
  QTest::newRow("missing severity") << "{\"rules\": [\n{\"id\": \"SB101\", " + ok + "}]}" << "\"severity\" must be" << 2;
  QTest::newRow("bad severity") << "{\"rules\": [\n{\"id\": \"SB101\", \"severity\": \"warn\", " + ok + "}]}" << "got \"warn\"" << 2;
  QTest::newRow("bad id") << "{\"rules\": [{\"id\": \"X1\", \"severity\": \"info\", " + ok + "}]}" << "SB101" << 1;
  QTest::newRow("duplicate") << "{\"rules\": [{\"id\": \"SB101\", \"severity\": \"info\", " + ok + "},\n{\"id\": \"SB101\", \"severity\": \"info\", " + ok + "}]}"
                             << "duplicate rule id SB101" << 1;
  QTest::newRow("bad category") << "{\"rules\": [{\"id\": \"SB101\", \"severity\": \"info\", \"title\": \"t\", \"explanation\": \"e\", "
                                   "\"fix\": \"f\", \"category\": \"speed\", \"source\": \"s\"}]}" << "category must be" << 1;
}

void TestLint::malformedCatalogue() {
  QFETCH(QString, json);
  QFETCH(QString, expected);
  QFETCH(int, line);
  auto r = lint::RuleSet::fromJson(json.toStdString(), "rules.json");
  QVERIFY(!r.ok());
  QVERIFY2(q(r.error().message).contains(expected), r.error().message.c_str());
  QCOMPARE(q(r.error().where.file), QString("rules.json"));
  QCOMPARE(r.error().where.line, line);
}

void TestLint::overrides() {
  const std::string df = "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nUSER app\n";
  QCOMPARE(findRule(run(df), "SB108")->severity, Severity::Info);
  auto rs = catalogue();
  QVERIFY(!rs.applyOverrides({{"SB108", "error"}}));
  QCOMPARE(findRule(run(df, rs), "SB108")->severity, Severity::Error);
  QVERIFY(!rs.applyOverrides({{"SB108", "OFF"}}));
  QVERIFY(!findRule(run(df, rs), "SB108"));
  QVERIFY(!rs.applyOverrides({{"SB108", "warning"}}));
  QCOMPARE(findRule(run(df, rs), "SB108")->severity, Severity::Warning);
  auto bad = rs.applyOverrides({{"SB999", "off"}});
  QVERIFY(bad && q(bad->message).contains("unknown rule SB999"));
  bad = rs.applyOverrides({{"SB108", "loud"}, {"SB101", "off"}});
  QVERIFY(bad && q(bad->message).contains("loud"));
  QVERIFY(rs.find("SB101")->enabled);  // a bad override changes nothing
  auto p = lint::parseOverride("sb102=off");
  QVERIFY(p.ok());
  QCOMPARE(q(p->first), QString("SB102"));
  QCOMPARE(q(p->second), QString("off"));
  QVERIFY(!lint::parseOverride("SB102").ok());
}

void TestLint::inlineIgnores() {
  const std::string df =
      "FROM debian:12\n"
      "# install curl\n"
      "# slimbench ignore=SB108, SB107\n"
      "RUN apt-get update && apt-get install -y curl\n"
      "RUN apt-get update && apt-get install -y wget\n"
      "USER app\n";
  auto fs = run(df);
  for (const auto& f : fs) QVERIFY2(!(f.where.line == 4 && (f.ruleId == "SB108" || f.ruleId == "SB107")), f.format().c_str());
  QVERIFY(findRule(fs, "SB108") && findRule(fs, "SB108")->where.line == 5);
  QVERIFY(findRule(fs, "SB107") && findRule(fs, "SB107")->where.line == 5);
  // An ignore above FROM covers findings reported on the FROM line (SB110, SB111).
  auto from = run("# slimbench ignore=SB110,SB111\nFROM python\n");
  QVERIFY2(!findRule(from, "SB110") && !findRule(from, "SB111"), qPrintable(dump(from)));
}

// SB101 names the COPY of the source tree once, with the install it invalidates.
void TestLint::sourceBeforeDepsNamesTheSourceCopy() {
  auto fs = run("FROM python:3.12-slim\nWORKDIR /app\nCOPY LICENSE .\nCOPY kinto/ kinto/\nCOPY requirements.txt .\n"
                "RUN pip install --no-cache-dir -r requirements.txt\nUSER app\n");
  int n = 0;
  for (const auto& f : fs)
    if (f.ruleId == "SB101") {
      ++n;
      QCOMPARE(f.where.line, 4);
      QVERIFY2(q(f.message).startsWith("COPY kinto/ at line 4"), f.message.c_str());
      QVERIFY2(q(f.message).contains("line 6"), f.message.c_str());
      QVERIFY2(!q(f.message).contains("LICENSE"), f.message.c_str());
    }
  QCOMPARE(n, 1);
  // The compiler finding lists the headers installed with the compiler; the header finding is info.
  auto gcc = run("FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libxml2-dev && rm -rf /var/lib/apt/lists/*\n");
  QVERIFY(findRule(gcc, "SB104") && q(findRule(gcc, "SB104")->message).contains("gcc, libxml2-dev"));
  auto hdr = run("FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libxml2-dev && rm -rf /var/lib/apt/lists/*\n");
  QVERIFY(findRule(hdr, "SB118") && findRule(hdr, "SB118")->severity == Severity::Info);
  QVERIFY(q(findRule(hdr, "SB118")->message).contains("libxml2-dev"));
  // With a compiler in the image (the full python:X base has gcc), headers can be used: no SB118.
  lint::LintFacts compiler;
  compiler.compilerInImage = true;
  const std::string full = "FROM python:3.12\nRUN apt-get update && apt-get install -y --no-install-recommends libxml2-dev && rm -rf /var/lib/apt/lists/*\n";
  QVERIFY(!findRule(run(full, catalogue(), compiler), "SB118"));
  compiler.compilerInImage = false;
  QVERIFY(findRule(run(full, catalogue(), compiler), "SB118"));
  // SB119 says which USER and what to do.
  auto user = run("FROM python:3.12-slim\nUSER app\nRUN apt-get install -y curl\n");
  QVERIFY(findRule(user, "SB119"));
  QVERIFY2(q(findRule(user, "SB119")->message).contains("USER app at line 2") && q(findRule(user, "SB119")->message).contains("USER root"),
           findRule(user, "SB119")->message.c_str());
}

void TestLint::findingText() {
  auto fs = run("FROM python:3.12-slim\nRUN pip install flask\nUSER app\n");
  auto f = findRule(fs, "SB102");
  QVERIFY(f);
  QCOMPARE(q(f->format()).left(61), QString("Dockerfile:2: warning SB102 pip cache left in the image: `pip"));
  QVERIFY(q(f->message).contains("pip install flask"));
  auto j = lint::toJson(*f);
  QCOMPARE(q(j["rule"].get<std::string>()), QString("SB102"));
  QCOMPARE(j["line"].get<int>(), 2);
  QCOMPARE(q(j["category"].get<std::string>()), QString("size"));
  // Findings come sorted by line.
  for (std::size_t i = 1; i < fs.size(); ++i) QVERIFY(fs[i - 1].where.line <= fs[i].where.line);
}

QTEST_APPLESS_MAIN(TestLint)
#include "test_lint.moc"
