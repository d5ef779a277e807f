// Settings belong to their project: what one project's fields say (context, base size, target,
// build args, arch, a rule turned off) never reaches another, every change to a field re-analyses
// (clearing it too), and re-opening a project restores its own values. The window's figures are
// the core analysis's (what `slimbench analyze` prints) for the same options.
#include <QtTest>

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QToolButton>

#include "estimate/analysis.h"
#include "estimate/knowledge_embedded.h"
#include "estimate/build_args.h"
#include "estimate/project_file.h"
#include "detailspane.h"
#include "mainwindow.h"
#include "projectdocument.h"
#include "settingstoolbar.h"
#include "../testutil.h"

using namespace slimbench;
using ui::AnalysisSettings;

namespace {

QString data(const char* name) { return QString::fromStdString(testutil::sourceDir() + "/tests/data/settings/" + name); }

// A copy of a project under tests/data/settings (the test writes slimbench.toml into it).
QString copyProject(const char* name, const QString& root) {
  const QString to = root + "/" + name;
  QDir().mkpath(to);
  for (const QString& n : QDir(data(name)).entryList(QDir::Files | QDir::Hidden)) QFile::copy(data(name) + "/" + n, to + "/" + n);
  return to;
}

const estimate::Knowledge& knowledge() {
  static auto k = estimate::bundledKnowledge();
  if (!k) qFatal("%s", k.error().format().c_str());
  return **k;
}

// The core analysis of a project folder with these options (the CLI's analyze).
estimate::Analysis coreAnalysis(const QString& dir, const estimate::AnalysisOptions& o) {
  auto p = estimate::openProject(dir.toStdString());
  if (!p) qFatal("%s", p.error().format().c_str());
  return estimate::analyze(*p, knowledge(), o);
}

// Every variant's figures equal: sizes (disk, pull), open totals, build time, findings.
void compareFigures(const estimate::Analysis& window, const estimate::Analysis& core) {
  QCOMPARE(window.variants.size(), core.variants.size());
  for (std::size_t i = 0; i < core.variants.size(); ++i) {
    const auto& w = window.variants[i];
    const auto& c = core.variants[i];
    const QString which = generate::variantId(c.kind);
    QVERIFY2(w.kind == c.kind, qPrintable(which));
    QVERIFY2(w.dockerfile == c.dockerfile, qPrintable(which + ": the variant's text differs"));
    QVERIFY2(w.estimate.disk.low == c.estimate.disk.low && w.estimate.disk.mid == c.estimate.disk.mid &&
                 w.estimate.disk.high == c.estimate.disk.high,
             qPrintable(QString("%1: window %2 B, core %3 B").arg(which).arg(w.estimate.disk.mid).arg(c.estimate.disk.mid)));
    QVERIFY2(w.estimate.disk.open == c.estimate.disk.open, qPrintable(which));
    QVERIFY2(w.estimate.compressed.mid == c.estimate.compressed.mid, qPrintable(which));
    QVERIFY2(w.estimate.buildSecondsCold == c.estimate.buildSecondsCold, qPrintable(which));
    QVERIFY2(w.findings.size() == c.findings.size(),
             qPrintable(QString("%1: %2 findings in the window, %3 in the core").arg(which).arg(w.findings.size()).arg(c.findings.size())));
  }
}

bool hasFinding(const estimate::VariantResult& v, const char* rule) {
  for (const auto& f : v.findings)
    if (f.ruleId == rule) return true;
  return false;
}

// Types into a field and leaves it (editingFinished), as a user does.
void typeInto(QLineEdit* e, const QString& text) {
  e->setText(text);
  emit e->editingFinished();
}

}  // namespace

class TestProjectSettings : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("slimbench-test");
    QCoreApplication::setApplicationName("test_project_settings");
  }
  void init() { QSettings().clear(); }

  void settingsStayWithTheirProject();
  void clearingAFieldReanalyses();
  void badProjectSettingsFileIsReportedNotApplied();
};

void TestProjectSettings::settingsStayWithTheirProject() {
  QTemporaryDir tmp;
  const QString a = copyProject("lintlast", tmp.path());  // last stage `lint`; `app` makes the image
  const QString b = copyProject("argbase", tmp.path());   // ARG PYTHON_VER without a default decides the base
  ui::MainWindow w;
  auto* doc = w.document();
  auto* in = w.inputsToolBar();
  auto* settings = w.settingsToolBar();

  QVERIFY(w.openPath(a));
  QVERIFY(w.waitForAnalysis());
  // The Target combo offers A's stages.
  QVERIFY(in->targetCombo()->findData("app") > 0);
  QVERIFY(in->targetCombo()->findData("lint") > 0);
  QVERIFY(hasFinding(w.analysis()->variants[0], "SB111"));  // runs as root: the rule turned off below

  // Every field of A set through the window; each one re-analyses.
  const QString context = QFileInfo(a).canonicalFilePath();
  typeInto(in->contextEdit(), context);
  QVERIFY(doc->isAnalysing());
  QVERIFY(w.waitForAnalysis());
  typeInto(in->baseSizeEdit(), "350MB");
  QVERIFY(doc->isAnalysing());
  QVERIFY(w.waitForAnalysis());
  in->targetCombo()->setCurrentIndex(in->targetCombo()->findData("app"));
  QVERIFY(doc->isAnalysing());
  QVERIFY(w.waitForAnalysis());
  typeInto(in->buildArgsEdit(), "PYTHON_VER=3.11 EXTRA=\"a b\"");
  QVERIFY(doc->isAnalysing());
  QVERIFY(w.waitForAnalysis());
  settings->archCombo()->setCurrentText("arm64");
  QVERIFY(doc->isAnalysing());
  QVERIFY(w.waitForAnalysis());
  settings->pythonCombo()->setCurrentIndex(settings->pythonCombo()->findData("3.11"));
  QVERIFY(doc->isAnalysing());
  QVERIFY(w.waitForAnalysis());
  QVERIFY(doc->setProjectRule("SB111", "off"));  // a finding's "Turn this rule off for this project"
  QVERIFY(w.waitForAnalysis());
  QVERIFY(!hasFinding(w.analysis()->variants[0], "SB111"));
  QVERIFY(QFile::exists(a + "/slimbench.toml"));
  auto saved = estimate::readProjectFile((a + "/slimbench.toml").toStdString(), &knowledge().rules);
  QVERIFY(saved.ok());
  QCOMPARE(saved->rules.at("SB111"), std::string("off"));

  // A's analysis is what the core makes of the same options: the image is the app stage's.
  estimate::AnalysisOptions optA;
  optA.settings.arch = "arm64";
  optA.pythonOverride = "3.11";
  optA.contextDir = context.toStdString();
  optA.target = "app";
  optA.buildArgs = {{"PYTHON_VER", "3.11"}, {"EXTRA", "a b"}};
  optA.ruleOverrides = {{"SB111", "off"}};
  const auto coreA = coreAnalysis(a, optA);
  compareFigures(*w.analysis(), coreA);
  QCOMPARE(w.analysis()->variants[0].model.finalStage, 0);  // app, not lint
  for (const auto& v : w.analysis()->variants) {
    if (v.kind == generate::VariantKind::Original) continue;
    QVERIFY2(v.dockerfile.find("AS lint") == std::string::npos, generate::variantId(v.kind));  // ends with the target
    QVERIFY2(v.dockerfile.find("ruff") == std::string::npos, generate::variantId(v.kind));
  }
  // The same analysis without the target is another image (the lint stage adds ruff and mypy).
  estimate::AnalysisOptions lastStage = optA;
  lastStage.target.clear();
  QVERIFY(coreAnalysis(a, lastStage).variants[0].estimate.disk.mid > coreA.variants[0].estimate.disk.mid);

  // B opens with the defaults: none of A's values, the figures the CLI gives for B.
  QVERIFY(w.openPath(b));
  QVERIFY(w.waitForAnalysis());
  QVERIFY(in->contextEdit()->text().isEmpty());
  QVERIFY(in->baseSizeEdit()->text().isEmpty());
  QVERIFY(in->buildArgsEdit()->text().isEmpty());
  QCOMPARE(in->targetCombo()->currentData().toString(), QString());
  QCOMPARE(settings->archCombo()->currentText(), QString("amd64"));
  QCOMPARE(settings->pythonCombo()->currentIndex(), 0);  // as in the Dockerfile
  QCOMPARE(doc->settings(), ui::withProjectDefaults(doc->settings()));
  QVERIFY(doc->projectRules().empty());
  QVERIFY(doc->sessionRules().empty());
  const auto coreB = coreAnalysis(b, {});
  compareFigures(*w.analysis(), coreB);
  QVERIFY(hasFinding(w.analysis()->variants[0], "SB111"));  // A's rule setting stayed with A
  // B's base depends on an ARG without a default: said so, with the fix, not as an unknown image.
  QVERIFY(w.analysis()->variants[0].estimate.disk.open);
  bool named = false;
  for (const auto& p : doc->problems())
    named |= p.text.contains("ARG PYTHON_VER") && p.text.contains("--build-arg PYTHON_VER=") && p.where.line == 3;
  QVERIFY2(named, "no problem names ARG PYTHON_VER at the FROM (line 3) with the --build-arg fix");
  bool unknownSaysArg = false;
  for (const auto& u : w.analysis()->variants[0].estimate.unknowns) {
    QVERIFY2(u.find("--base-size") == std::string::npos, u.c_str());
    unknownSaysArg |= u.find("PYTHON_VER") != std::string::npos;
  }
  QVERIFY(unknownSaysArg);
  // The details summary points at the Build args field, not at the Base size one.
  w.document()->select(0);
  QVERIFY2(w.detailsPane()->summary().contains("Build args field"), qPrintable(w.detailsPane()->summary()));
  QVERIFY2(!w.detailsPane()->summary().contains("Base size field"), qPrintable(w.detailsPane()->summary()));
  // B's Build args field completes the base: the figures are the core's with that build arg.
  typeInto(in->buildArgsEdit(), "PYTHON_VER=3.12");
  QVERIFY(w.waitForAnalysis());
  QVERIFY(!w.analysis()->variants[0].estimate.disk.open);
  estimate::AnalysisOptions optB;
  optB.buildArgs = {{"PYTHON_VER", "3.12"}};
  compareFigures(*w.analysis(), coreAnalysis(b, optB));

  // A again: its own values, restored into the fields and the analysis.
  QVERIFY(w.openPath(a));
  QVERIFY(w.waitForAnalysis());
  QCOMPARE(in->contextEdit()->text(), context);
  QCOMPARE(in->baseSizeEdit()->text(), QString("350MB"));
  QCOMPARE(in->targetCombo()->currentData().toString(), QString("app"));
  QCOMPARE(settings->archCombo()->currentText(), QString("arm64"));
  QCOMPARE(settings->pythonCombo()->currentData().toString(), QString("3.11"));
  auto args = estimate::parseBuildArgList(in->buildArgsEdit()->text().toStdString());
  QVERIFY(args.ok());
  QCOMPARE(*args, optA.buildArgs);
  QCOMPARE(doc->projectRules(), optA.ruleOverrides);
  compareFigures(*w.analysis(), coreA);
  // And B again has its own build arg, nothing of A's.
  QVERIFY(w.openPath(b));
  QVERIFY(w.waitForAnalysis());
  QCOMPARE(doc->settings().buildArgs, optB.buildArgs);
  QCOMPARE(settings->archCombo()->currentText(), QString("amd64"));
  QVERIFY(in->contextEdit()->text().isEmpty());

  // Turning the rule back on for A rewrites its file (atomically) and brings the finding back.
  QVERIFY(w.openPath(a));
  QVERIFY(w.waitForAnalysis());
  QVERIFY(doc->setProjectRule("SB111", ""));
  QVERIFY(w.waitForAnalysis());
  QVERIFY(hasFinding(w.analysis()->variants[0], "SB111"));
  saved = estimate::readProjectFile((a + "/slimbench.toml").toStdString(), &knowledge().rules);
  QVERIFY(saved.ok());
  QVERIFY(saved->rules.empty());
}

void TestProjectSettings::clearingAFieldReanalyses() {
  QTemporaryDir tmp;
  const QString b = copyProject("argbase", tmp.path());
  ui::MainWindow w;
  auto* doc = w.document();
  auto* in = w.inputsToolBar();
  QVERIFY(w.openPath(b));
  QVERIFY(w.waitForAnalysis());
  const auto open = w.analysis()->variants[0].estimate.disk;
  QVERIFY(open.open);
  // A bare size applies to the unknown base: the total is no longer open.
  typeInto(in->baseSizeEdit(), "350MB");
  QVERIFY(w.waitForAnalysis());
  QVERIFY(!w.analysis()->variants[0].estimate.disk.open);
  QVERIFY(w.analysis()->variants[0].estimate.disk.mid >= 350'000'000u);
  // The × button clears the text (textChanged with "", no editingFinished): it re-analyses.
  in->baseSizeEdit()->clear();
  QVERIFY(doc->isAnalysing());
  QVERIFY(w.waitForAnalysis());
  QVERIFY(doc->settings().baseSizes.empty());
  QVERIFY(w.analysis()->variants[0].estimate.disk.open);
  QCOMPARE(w.analysis()->variants[0].estimate.disk.mid, open.mid);
  // The same for the build args and the context.
  typeInto(in->buildArgsEdit(), "PYTHON_VER=3.12");
  QVERIFY(w.waitForAnalysis());
  QVERIFY(!w.analysis()->variants[0].estimate.disk.open);
  in->buildArgsEdit()->clear();
  QVERIFY(doc->isAnalysing());
  QVERIFY(w.waitForAnalysis());
  QVERIFY(w.analysis()->variants[0].estimate.disk.open);
  typeInto(in->contextEdit(), tmp.path());
  QVERIFY(w.waitForAnalysis());
  QCOMPARE(QString::fromStdString(w.analysis()->context.root).isEmpty() ? QString() : QDir(QString::fromStdString(w.analysis()->context.root)).canonicalPath(),
           QDir(tmp.path()).canonicalPath());
  in->contextEdit()->clear();
  QVERIFY(doc->isAnalysing());
  QVERIFY(w.waitForAnalysis());
  QVERIFY(doc->settings().context.isEmpty());
  // Build args that do not parse are marked and not applied.
  typeInto(in->buildArgsEdit(), "=3.12");
  QVERIFY(in->buildArgsEdit()->styleSheet().contains("border"));
  QVERIFY(in->buildArgsEdit()->toolTip().contains("Not applied"));
  QCOMPARE(in->buildArgsEdit()->text(), QString("=3.12"));  // the typing stays to be fixed
  QVERIFY(doc->settings().buildArgs.empty());
  // A target no stage has: the analysis says which stages exist.
  AnalysisSettings s = doc->settings();
  s.target = "nope";
  doc->setSettings(s);
  QVERIFY(w.waitForAnalysis());
  QVERIFY(w.analysis()->targetError.has_value());
  QVERIFY(QString::fromStdString(w.analysis()->targetError->message).contains("stage 0 (unnamed)"));
  QVERIFY(in->targetCombo()->currentText().contains("nope"));
}

void TestProjectSettings::badProjectSettingsFileIsReportedNotApplied() {
  QTemporaryDir tmp;
  const QString a = copyProject("lintlast", tmp.path());
  const QByteArray bad = "# kept as written\n[rules]\nSB111 = \"of\"\n";
  {
    QFile f(a + "/slimbench.toml");
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bad);
  }
  ui::MainWindow w;
  QVERIFY(w.openPath(a));
  QVERIFY(w.waitForAnalysis());
  const QString err = w.document()->projectSettingsError();
  QVERIFY2(err.contains("slimbench.toml:3:9"), qPrintable(err));
  QVERIFY2(err.contains("expected \"off\""), qPrintable(err));
  QVERIFY(w.document()->projectRules().empty());
  QVERIFY(hasFinding(w.analysis()->variants[0], "SB111"));
  bool shown = false;
  for (const auto& p : w.document()->problems()) shown |= p.text.contains("slimbench.toml");
  QVERIFY(shown);
  // Never overwritten: turning a rule off refuses until the file is fixed.
  QVERIFY(!w.document()->setProjectRule("SB102", "off"));
  QFile f(a + "/slimbench.toml");
  QVERIFY(f.open(QIODevice::ReadOnly));
  QCOMPARE(f.readAll(), bad);
  f.close();
  // Fixed by hand: the next open reads it, and a rule the window turns off joins it, the comment kept.
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("# kept as written\n[rules]\nSB111 = \"off\"\n");
  f.close();
  QVERIFY(w.openPath(a));
  QVERIFY(w.waitForAnalysis());
  QVERIFY(w.document()->projectSettingsError().isEmpty());
  QVERIFY(!hasFinding(w.analysis()->variants[0], "SB111"));
  QVERIFY(w.document()->setProjectRule("SB102", "off"));
  QVERIFY(f.open(QIODevice::ReadOnly));
  const QByteArray now = f.readAll();
  QVERIFY2(now.startsWith("# kept as written\n[rules]\nSB111 = \"off\"\n"), now.constData());
  QVERIFY2(now.contains("SB102 = \"off\""), now.constData());
}

QTEST_MAIN(TestProjectSettings)
#include "test_project_settings.moc"
