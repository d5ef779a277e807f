// What docker build is told — --build-arg and --target — as the model, the estimate and the
// variants take it, and the [rules] of the project file (slimbench.toml) as core reads and writes it.
#include <QtTest>

#include <filesystem>

#include "dockerfile/model.h"
#include "estimate/analysis.h"
#include "estimate/build_args.h"
#include "estimate/project_file.h"
#include "knowledge.h"
#include "testutil.h"

using namespace slimbench;
using generate::VariantKind;

namespace {

dockerfile::Model model(const std::string& text, const std::map<std::string, std::string>& args = {}, const std::string& target = {}) {
  auto m = dockerfile::parseModel(text, "Dockerfile", "Dockerfile", args, target);
  if (!m) qFatal("%s", m.error().format().c_str());
  return std::move(*m);
}

const Diagnostic* diagnosticAbout(const dockerfile::Model& m, const std::string& text) {
  for (const auto& d : m.diagnostics)
    if (d.message.find(text) != std::string::npos) return &d;
  return nullptr;
}

estimate::Analysis analyseText(const std::string& text, const estimate::AnalysisOptions& o, const std::string& dir = {}) {
  estimate::Project p;
  p.dir = dir.empty() ? testutil::sourceDir() + "/tests/data/settings/lintlast" : dir;
  p.dockerfilePath = p.dir + "/Dockerfile";
  p.dockerfileText = text;
  return estimate::analyze(p, *testutil::knowledge(), o);
}

std::string settingsDir(const char* name) { return testutil::sourceDir() + "/tests/data/settings/" + name; }

}  // namespace

class TestBuildOptions : public QObject {
  Q_OBJECT
 private slots:
  void argWithoutDefaultInFromIsNamed() {
    const std::string text = "ARG PYTHON_VER\nFROM python:${PYTHON_VER}-slim\nRUN true\n";
    auto m = model(text);
    const Diagnostic* d = diagnosticAbout(m, "ARG PYTHON_VER");
    QVERIFY(d);
    QCOMPARE(d->where.line, 2);  // the FROM
    QCOMPARE(d->severity, Severity::Error);  // python:-slim cannot be pulled: docker build fails
    QVERIFY(d->message.find("(line 1)") != std::string::npos);
    QVERIFY(d->message.find("--build-arg PYTHON_VER=3.12") != std::string::npos);
    QCOMPARE(m.stages[0].unsetBaseArgs, std::vector<std::string>{"PYTHON_VER"});
    // Given: no diagnostic, the base complete.
    auto given = model(text, {{"PYTHON_VER", "3.11"}});
    QVERIFY(!diagnosticAbout(given, "PYTHON_VER"));
    QCOMPARE(given.stages[0].baseImage, std::string("python:3.11-slim"));
    QVERIFY(given.stages[0].unsetBaseArgs.empty());
    // A default in the ARG or in the expansion: nothing to say.
    QVERIFY(!diagnosticAbout(model("ARG PYTHON_VER=3.12\nFROM python:${PYTHON_VER}-slim\n"), "PYTHON_VER"));
    QVERIFY(!diagnosticAbout(model("ARG PYTHON_VER\nFROM python:${PYTHON_VER:-3.12}-slim\n"), "PYTHON_VER"));
    // An ARG that only completes a name docker can still pull is a warning.
    auto suffix = model("ARG SUFFIX\nFROM python:3.12${SUFFIX}\n");
    const Diagnostic* w = diagnosticAbout(suffix, "ARG SUFFIX");
    QVERIFY(w);
    QCOMPARE(w->severity, Severity::Warning);
    QVERIFY(w->message.find("--build-arg SUFFIX=VALUE") != std::string::npos);
  }

  void unsetArgBaseIsUnknownWithTheFix() {
    const std::string text = "ARG PYTHON_VER\nFROM python:${PYTHON_VER}-slim\nWORKDIR /app\nCOPY app.py .\n";
    auto a = analyseText(text, {});
    const auto& e = a.variants[0].estimate;
    QVERIFY(e.disk.open);
    bool said = false;
    for (const auto& u : e.unknowns) {
      QVERIFY2(u.find("--base-size") == std::string::npos, u.c_str());
      said |= u.find("ARG PYTHON_VER") != std::string::npos && u.find("--build-arg PYTHON_VER=3.12") != std::string::npos;
    }
    QVERIFY(said);
    estimate::AnalysisOptions o;
    o.buildArgs = {{"PYTHON_VER", "3.12"}};
    auto b = analyseText(text, o);
    QVERIFY(!b.variants[0].estimate.disk.open);
    QCOMPARE(b.variants[0].estimate.baseImage, std::string("python:3.12-slim"));
    // The variants get the same build args (their text keeps the ARG): none has an unknown base.
    for (const auto& v : b.variants) QVERIFY2(!v.parseError && !v.estimate.disk.open, generate::variantId(v.kind));
  }

  void unknownTargetNamesTheStages() {
    const std::string text = "FROM python:3.12-slim AS app\nRUN true\nFROM app AS lint\nRUN true\nFROM app\n";
    auto m = model(text, {}, "nope");
    const Diagnostic* d = diagnosticAbout(m, "target stage \"nope\" not found");
    QVERIFY(d);
    QVERIFY2(d->message.find("app (line 1), lint (line 3), stage 2 (unnamed) (line 5)") != std::string::npos, d->message.c_str());
    QCOMPARE(m.targetStage("LINT"), 1);  // docker's stage names are case-insensitive
    QCOMPARE(m.targetStage("nope"), -1);
    QCOMPARE(model(text, {}, "lint").finalStage, 1);
    // The analysis makes no variant of a stage nobody asked for, and says why.
    estimate::AnalysisOptions o;
    o.target = "nope";
    int delivered = 0;
    o.onVariant = [&](const estimate::Analysis&, const estimate::VariantResult&) { ++delivered; };
    auto a = analyseText(text, o);
    QVERIFY(a.targetError.has_value());
    QCOMPARE(a.variants.size(), std::size_t(1));
    QVERIFY(a.variants[0].parseError.has_value());
    QCOMPARE(a.variants[0].model.stages.size(), std::size_t(3));  // what a --target could name
    QCOMPARE(delivered, 0);
  }

  void variantsKeepTheTarget() {
    const std::string dir = settingsDir("lintlast");
    auto project = estimate::openProject(dir);
    QVERIFY(project.ok());
    estimate::AnalysisOptions o;
    o.target = "app";
    auto a = estimate::analyze(*project, *testutil::knowledge(), o);
    auto last = estimate::analyze(*project, *testutil::knowledge(), {});
    QCOMPARE(a.variants.size(), std::size_t(6));
    QCOMPARE(a.variants[0].model.finalStage, 0);
    // The user's image is the app stage's: the lint stage's layers (ruff, mypy) are not in it.
    for (const auto& l : a.variants[0].estimate.layers) QVERIFY(l.line < 9);
    QVERIFY(a.variants[0].estimate.disk.mid < last.variants[0].estimate.disk.mid);
    // Nor in the build time: the lint stage is not built.
    QVERIFY(a.variants[0].estimate.buildSecondsCold < last.variants[0].estimate.buildSecondsCold);
    for (const auto& t : a.variants[0].estimate.timeUnknowns) QVERIFY2(t.find("line 1") == std::string::npos, t.c_str());
    for (const auto& v : a.variants) {
      if (v.kind == VariantKind::Original) continue;
      const char* id = generate::variantId(v.kind);
      QVERIFY2(!v.parseError, id);
      // It ends with the target stage (so it builds without --target), which keeps its name.
      QVERIFY2(v.dockerfile.find("AS lint") == std::string::npos, id);
      QVERIFY2(v.dockerfile.find("AS app") != std::string::npos, id);
      QVERIFY2(v.model.stages.back().name == "app", id);
      QVERIFY2(v.dockerfile.back() == '\n', id);
      // The lint stage's instructions are accounted for as dropped.
      int dropped = 0;
      for (const auto& f : v.fidelity)
        if (f.line >= 9 && f.action == "dropped") ++dropped;
      QVERIFY2(dropped == 3, id);  // FROM app AS lint, and its two RUNs
      // The same variant made without the target is another text (it transforms the lint stage).
      for (const auto& w : last.variants)
        if (w.kind == v.kind) QVERIFY2(w.dockerfile != v.dockerfile, id);
    }
  }

  void unreachableStagesAreNotEstimated() {
    const std::string text =
        "FROM registry.example.com/tools:1 AS tools\nRUN make\n"
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\n";
    auto a = analyseText(text, {});
    const auto& e = a.variants[0].estimate;
    QVERIFY2(!e.disk.open, "an unknown base of a stage the image does not need left the total open");
    for (const auto& u : e.unknowns) QVERIFY2(u.find("registry.example.com") == std::string::npos, u.c_str());
    for (const auto& u : e.timeUnknowns) QVERIFY2(u.find("registry.example.com") == std::string::npos, u.c_str());
  }

  void projectFileRules() {
    const auto& rules = testutil::knowledge()->rules;
    auto ok = estimate::parseProjectFile("[rules]\nSB102 = \"OFF\"\nSB105 = \"info\"\n", "slimbench.toml", &rules);
    QVERIFY(ok.ok());
    QCOMPARE(ok->rules.at("SB102"), std::string("off"));
    QCOMPARE(ok->rules.at("SB105"), std::string("info"));
    // Written and read back: the same rules.
    auto again = estimate::parseProjectFile(estimate::projectFileText(*ok), "slimbench.toml", &rules);
    QVERIFY(again.ok());
    QCOMPARE(again->rules, ok->rules);
    // Merged under what the options already say (the command line's --rule-severity wins).
    estimate::AnalysisOptions o;
    o.ruleOverrides["SB102"] = "warning";
    estimate::mergeProjectFile(*ok, o);
    QCOMPARE(o.ruleOverrides.at("SB102"), std::string("warning"));
    QCOMPARE(o.ruleOverrides.at("SB105"), std::string("info"));
    struct Bad {
      const char* text;
      int line, column;
      const char* says;
    };
    for (const Bad& b : {Bad{"\n[rules]\nSB102 = \"of\"\n", 3, 9, "expected \"off\", \"info\", \"warning\" or \"error\", got \"of\""},
                         Bad{"[rules]\nSB102 = 1\n", 2, 9, "expected \"off\""},
                         Bad{"[rules]\nSB102 = off\n", 2, 9, "invalid TOML"},
                         Bad{"rules = 3\n", 1, 9, "expected a table"},
                         Bad{"[rules]\nSB999 = \"off\"\n", 2, 9, "no rule has this id"}}) {
      auto r = estimate::parseProjectFile(b.text, "slimbench.toml", &rules);
      QVERIFY2(!r.ok(), b.text);
      QVERIFY2(r.error().where.file == "slimbench.toml", b.text);
      QVERIFY2(r.error().where.line == b.line && r.error().where.column == b.column,
               qPrintable(QString("%1: %2:%3").arg(b.text).arg(r.error().where.line).arg(r.error().where.column)));
      QVERIFY2(r.error().message.find(b.says) != std::string::npos, r.error().message.c_str());
    }
  }

  void projectFileRuleEditsKeepTheRest() {
    const auto& rules = testutil::knowledge()->rules;
    auto rulesOf = [&](const std::string& text) {
      auto f = estimate::parseProjectFile(text, "slimbench.toml", &rules);
      if (!f) qFatal("%s", f.error().format().c_str());
      return f->rules;
    };
    // No file yet: the table is made.
    auto made = estimate::withProjectRule("", "slimbench.toml", "SB111", "off");
    QVERIFY(made.ok());
    QCOMPARE(rulesOf(*made), (std::map<std::string, std::string>{{"SB111", "off"}}));
    // A file with comments and sizes: they stay as written; the rule joins its table.
    const std::string text = "# ours\n[sizes.base]\n\"r.example/b:1\" = \"350MB\"  # measured\n\n[rules]\nSB102 = \"info\"\n\n[base-images]\n\"x:1\" = \"a.tar\"\n";
    auto added = estimate::withProjectRule(text, "slimbench.toml", "SB111", "off");
    QVERIFY(added.ok());
    QVERIFY(added->find("# ours\n[sizes.base]\n\"r.example/b:1\" = \"350MB\"  # measured\n") == 0);
    QVERIFY(added->find("\"x:1\" = \"a.tar\"") != std::string::npos);  // relative, as written
    QCOMPARE(rulesOf(*added), (std::map<std::string, std::string>{{"SB102", "info"}, {"SB111", "off"}}));
    // Changed in place, then removed: back to the text the user wrote.
    auto changed = estimate::withProjectRule(*added, "slimbench.toml", "SB102", "warning");
    QVERIFY(changed.ok());
    QCOMPARE(rulesOf(*changed).at("SB102"), std::string("warning"));
    auto removed = estimate::withProjectRule(*added, "slimbench.toml", "SB111", "");
    QVERIFY(removed.ok());
    QCOMPARE(*removed, text);
    // Rules written as an inline table cannot be edited line by line: an error, the file untouched.
    QVERIFY(!estimate::withProjectRule("rules = { SB102 = \"off\" }\n", "slimbench.toml", "SB111", "off").ok());
    // No file: no rules, not an error.
    auto none = estimate::readProjectFile(settingsDir("lintlast") + "/slimbench.toml");
    QVERIFY(none.ok());
    QVERIFY(none->rules.empty());
  }

  void buildArgLists() {
    auto l = estimate::parseBuildArgList("PYTHON_VER=3.12, EXTRA=\"a b\"  EMPTY=");
    QVERIFY(l.ok());
    const std::map<std::string, std::string> want{{"PYTHON_VER", "3.12"}, {"EXTRA", "a b"}, {"EMPTY", ""}};
    QCOMPARE(*l, want);
    auto back = estimate::parseBuildArgList(estimate::buildArgListText(*l));
    QVERIFY(back.ok());
    QCOMPARE(*back, want);
    QVERIFY(!estimate::parseBuildArgList("PYTHON_VER").ok());  // no '='
    QVERIFY(!estimate::parseBuildArgList("=3.12").ok());
    QVERIFY(!estimate::parseBuildArgList("A=\"open").ok());
    QVERIFY(!estimate::parseBuildArgList("A$B=1").ok());
    QVERIFY(estimate::parseBuildArgList("").ok());
    QVERIFY(!estimate::parseBuildArg("NAME").ok());  // no environment given
  }
};

QTEST_MAIN(TestBuildOptions)
#include "test_build_options.moc"
