// The workshop tour, headless: the bundled tour loads from its data, every step selects the variant
// and the era its data names, highlights the lines that differ from what the step compares with (and
// its focus text), shows figures of the analysis; back and forward by keyboard, restart, Esc; and a
// malformed tour file is refused with where and what was expected.
#include <QtTest>

#include <QCheckBox>
#include <QDockWidget>
#include <QPushButton>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBlock>

#include "codeeditor.h"
#include "variantchart.h"
#include "estimate/analysis.h"
#include "mainwindow.h"
#include "projectdocument.h"
#include "settingstoolbar.h"
#include "textdiff.h"
#include "tour.h"
#include "tourpanel.h"
#include "../testutil.h"

using namespace slimbench;

namespace {

QString variantText(const ui::MainWindow& w, const QString& id) {
  const int i = w.document()->variantIndex(id);
  return i < 0 ? QString() : QString::fromStdString(w.analysis()->variants[static_cast<size_t>(i)].dockerfile);
}

// The lines of the tour's Dockerfile view with a block background (the highlight).
QList<int> paintedLines(ui::CodeEditor* view) {
  QList<int> out;
  for (QTextBlock b = view->document()->firstBlock(); b.isValid(); b = b.next())
    if (b.blockFormat().hasProperty(QTextFormat::BackgroundBrush)) out << b.blockNumber() + 1;
  return out;
}

// The lines of `after` the diff adds, without comments (a variant's header) but with parser directives.
QList<int> addedLines(const QString& before, const QString& after) {
  QList<int> out;
  for (const auto& d : ui::diffLines(before, after)) {
    const QString t = d.text.trimmed();
    if (d.op == ui::DiffLine::Added && !t.isEmpty() && (!t.startsWith('#') || t.startsWith("# syntax="))) out << d.afterLine;
  }
  return out;
}

QString exampleDockerfile(const QString& name) {
  return QString::fromStdString(testutil::readFile(testutil::sourceDir() + "/resources/examples/" + name.toStdString() + "/Dockerfile"));
}

}  // namespace

class TestTour : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
  void init() { QSettings().clear(); }
  void bundledTourTellsTheStory();
  void walkForwardBackRestartClose();
  void keyboardSteps();
  void malformedToursAreRefused();
  void teachersTourFromAFile();
  void commandLine();
  void documentedExampleIsATour();
  void eraToggleInTheWindow();
};

// The bundled tour's data: the story in order, both eras of the Alpine lesson, SB106 in the multi-stage caveat.
void TestTour::bundledTourTellsTheStory() {
  ui::Tour t;
  QString err;
  QVERIFY2(ui::loadTour(ui::defaultTourPath(), ui::ProjectDocument::bundledExamples(), t, err), qPrintable(err));
  QVERIFY(ui::bundledTours().contains(ui::defaultTourPath()));
  QStringList order;
  for (const auto& s : t.steps)
    if (order.isEmpty() || order.last() != s.variant) order << s.variant;
  // fat → alpine → slim → (caching lessons on your Dockerfile) → multistage → buildkit
  auto at = [&](const QString& v) { return order.indexOf(v); };
  QVERIFY(at("fat") == 0);
  QVERIFY(at("alpine") > at("fat"));
  QVERIFY(at("slim") > at("alpine"));
  QVERIFY(at("multistage") > at("slim"));
  QVERIFY(at("buildkit") > at("multistage"));
  bool then = false, now = false, sb106 = false, sb101 = false, sb102 = false;
  for (const auto& s : t.steps) {
    QVERIFY2(!s.sources.isEmpty(), qPrintable(s.id));
    QVERIFY2(!s.paragraphs.isEmpty(), qPrintable(s.id));
    then = then || s.wheelsBeforeMusllinux;
    now = now || (!s.wheelsBeforeMusllinux && s.example == "datascience-app");
    sb106 = sb106 || s.finding == "SB106";
    sb101 = sb101 || s.finding == "SB101";
    sb102 = sb102 || s.finding == "SB102";
  }
  QVERIFY(then && now && sb106 && sb101 && sb102);
}

// Every step forward: the document shows what the data says (project, Dockerfile text, era, selected
// variant); the highlighted lines are the diff the data names; back shows the same again; restart
// reopens the first project; Esc undoes what the tour changed.
void TestTour::walkForwardBackRestartClose() {
  ui::MainWindow w;
  w.resize(1920, 1080);
  w.show();
  QVERIFY2(w.startTour(), qPrintable(w.messageText()));
  ui::TourPanel* t = w.tourPanel();
  QVERIFY(t->isVisible());
  const ui::Tour tour = t->tour();
  QList<QPair<QString, QList<int>>> seen;  // per step: the Dockerfile shown and its highlighted lines
  QString currentExample = tour.example;
  for (int i = 0; i < tour.steps.size(); ++i) {
    if (i > 0) QVERIFY(t->next());
    QVERIFY2(t->waitForStep(300000), qPrintable(QString("step %1 did not settle: %2").arg(i + 1).arg(t->error())));
    const ui::TourStep& s = tour.steps[i];
    const QString where = QString("step %1 (%2)").arg(i + 1).arg(s.id);
    QCOMPARE(t->currentStep(), i);
    QVERIFY2(t->warnings().isEmpty(), qPrintable(where + ": " + t->warnings().join(" | ")));
    if (!s.example.isEmpty()) currentExample = s.example;
    QVERIFY(w.isExample());
    QCOMPARE(w.document()->exampleName(), currentExample);
    // The Dockerfile in the editor: the step's text, else the example's own (a text an earlier step put there is gone).
    QCOMPARE(w.document()->dockerfile()->toPlainText(), s.hasDockerfile ? s.dockerfile : exampleDockerfile(currentExample));
    QCOMPARE(w.document()->settings().wheelsBeforeMusllinux, s.wheelsBeforeMusllinux);
    QCOMPARE(w.analysis()->settings.wheelsBeforeMusllinux, s.wheelsBeforeMusllinux);
    QCOMPARE(w.settingsToolBar()->eraCheck()->isChecked(), s.wheelsBeforeMusllinux);
    QVERIFY2(t->eraText().contains(s.wheelsBeforeMusllinux ? "2021" : "today"), qPrintable(t->eraText()));
    // The chart selects the step's variant; the view shows its Dockerfile.
    QCOMPARE(w.selectedVariantId(), s.variant);
    QCOMPARE(w.variantTable()->currentIndex().row(), static_cast<int>(w.variantIds().indexOf(s.variant)));
    if (w.document()->selectedLayer() >= 0) QCOMPARE(w.variantChart()->selectedLayer().first, w.document()->variantIndex(s.variant));
    QCOMPARE(t->shownDockerfile(), variantText(w, s.variant));
    QCOMPARE(t->dockerfileView()->toPlainText(), t->shownDockerfile());
    // The highlighted lines: the lines added against the variant the data names, or the focus lines.
    QList<int> expected;
    if (!s.diff.isEmpty()) {
      const QString before = s.diff == "previous" ? seen.last().first : variantText(w, s.diff);
      expected = addedLines(before, t->shownDockerfile());
    } else {
      const QStringList lines = t->shownDockerfile().split('\n');
      for (int l = 0; l < lines.size(); ++l)
        for (const QString& f : s.focus)
          if (lines[l].contains(f) && !expected.contains(l + 1)) expected << l + 1;
    }
    QVERIFY2(!expected.isEmpty(), qPrintable(where));
    QCOMPARE(t->highlightedLines(), expected);
    QCOMPARE(paintedLines(t->dockerfileView()), expected);
    for (const QString& f : s.focus) {
      bool on = false;
      for (int l : expected) on = on || t->shownDockerfile().split('\n').value(l - 1).contains(f);
      QVERIFY2(on, qPrintable(where + ": focus " + f));
    }
    // Figures from the analysis, the finding the data expects, the sources.
    const auto& v = w.analysis()->variants[static_cast<size_t>(w.document()->variantIndex(s.variant))];
    QVERIFY2(t->figuresText().contains(QString::fromStdString(estimate::formatTotal(v.estimate.disk, v.estimate.coverage))),
             qPrintable(where + ": " + t->figuresText()));
    if (!s.finding.isEmpty()) QVERIFY2(t->figuresText().contains(s.finding), qPrintable(where + ": " + t->figuresText()));
    QVERIFY(t->explanationHtml().contains(s.sources.first().title.toHtmlEscaped().left(20)));
    // The era step: pip compiles on Alpine then, not now (the figures say so).
    if (s.wheelsBeforeMusllinux) QVERIFY2(t->figuresText().contains("pip builds from source: numpy"), qPrintable(t->figuresText()));
    if (s.id == "alpine-now") QVERIFY2(!t->figuresText().contains("numpy ("), qPrintable(t->figuresText()));
    // Each step changes what is shown.
    if (!seen.isEmpty())
      QVERIFY2(seen.last() != qMakePair(t->shownDockerfile(), expected) || seen.last().second != expected, qPrintable(where));
    seen << qMakePair(t->shownDockerfile(), expected);
  }
  QVERIFY(!t->next());  // the last step

  // Back: the step before, shown as before (its text reloaded, its era and variant again).
  const int last = tour.steps.size() - 1;
  QVERIFY(t->back());
  QVERIFY(t->waitForStep(300000));
  QCOMPARE(t->currentStep(), last - 1);
  QCOMPARE(w.selectedVariantId(), tour.steps[last - 1].variant);
  QCOMPARE(t->shownDockerfile(), seen[last - 1].first);
  QCOMPARE(t->highlightedLines(), seen[last - 1].second);
  QCOMPARE(w.document()->isModified(), tour.steps[last - 1].hasDockerfile);

  // Restart: the first step, its example reopened with its own Dockerfile, today's wheels.
  t->restart();
  QVERIFY(t->waitForStep(300000));
  QCOMPARE(t->currentStep(), 0);
  QCOMPARE(w.document()->exampleName(), tour.example);
  QCOMPARE(w.document()->dockerfile()->toPlainText(), exampleDockerfile(tour.example));
  QCOMPARE(w.selectedVariantId(), tour.steps[0].variant);
  QCOMPARE(t->highlightedLines(), seen[0].second);

  // Esc at a step that put a text into the editor and another that set the era: both undone.
  int withText = -1, withEra = -1;
  for (int i = 0; i < tour.steps.size(); ++i) {
    if (withText < 0 && tour.steps[i].hasDockerfile) withText = i;
    if (withEra < 0 && tour.steps[i].wheelsBeforeMusllinux) withEra = i;
  }
  QVERIFY(withText >= 0 && withEra >= 0);
  for (int step : {withText, withEra}) {
    QVERIFY(t->goTo(step));
    QVERIFY(t->waitForStep(300000));
    QVERIFY(t->isRunning());
    t->nextButton()->setFocus();
    QTest::keyClick(t->nextButton(), Qt::Key_Escape);
    QVERIFY(!t->isRunning());
    QVERIFY(!t->isVisible());
    QVERIFY(!w.document()->isModified());
    QCOMPARE(w.document()->settings().wheelsBeforeMusllinux, false);
    QCOMPARE(w.document()->dockerfile()->toPlainText(), exampleDockerfile(w.document()->exampleName()));
    QVERIFY(w.startTour());
    QVERIFY(t->waitForStep(300000));
  }
}

// PageDown / PageUp and Alt+Right / Alt+Left step anywhere in the window while the tour runs.
void TestTour::keyboardSteps() {
  ui::MainWindow w;
  w.show();
  QVERIFY(QTest::qWaitForWindowActive(&w));
  QVERIFY(w.startTour());
  auto* t = w.tourPanel();
  QVERIFY(t->waitForStep(300000));
  QCOMPARE(t->currentStep(), 0);
  w.dockerfileEditor()->setFocus();  // the keys work outside the tour too
  QTest::keyClick(w.dockerfileEditor(), Qt::Key_PageDown);
  QVERIFY(t->waitForStep(300000));
  QCOMPARE(t->currentStep(), 1);
  QCOMPARE(w.selectedVariantId(), t->tour().steps[1].variant);
  QTest::keyClick(w.dockerfileEditor(), Qt::Key_PageUp);
  QVERIFY(t->waitForStep(300000));
  QCOMPARE(t->currentStep(), 0);
  QCOMPARE(w.selectedVariantId(), t->tour().steps[0].variant);
  QTest::keyClick(&w, Qt::Key_Right, Qt::AltModifier);
  QVERIFY(t->waitForStep(300000));
  QCOMPARE(t->currentStep(), 1);
  QTest::keyClick(&w, Qt::Key_Left, Qt::AltModifier);
  QVERIFY(t->waitForStep(300000));
  QCOMPARE(t->currentStep(), 0);
  QTest::keyClick(&w, Qt::Key_PageUp);  // nothing before the first step
  QCOMPARE(t->currentStep(), 0);
  // Closed, the keys are the editors' again.
  t->stop();
  QTest::keyClick(w.dockerfileEditor(), Qt::Key_PageDown);
  QCOMPARE(t->currentStep(), 0);
  QVERIFY(!t->isRunning());
}

void TestTour::malformedToursAreRefused() {
  const QStringList ex = ui::ProjectDocument::bundledExamples();
  struct Case {
    const char* json;
    QStringList expect;  // every part must be in the message
  };
  const QList<Case> cases = {
      {"{\n  \"slimbenchTour\": 1,\n  \"title\": \"t\",\n  \"steps\": [\n    {\"id\": \"a\",, }\n  ]\n}\n",
       {"t.json:5:", "not valid JSON"}},
      {"{\n  \"slimbenchTour\": 1,\n  \"title\": \"t\",\n  \"example\": \"flask-app\",\n  \"steps\": [\n    {\n      \"id\": \"one\",\n"
       "      \"title\": \"One\",\n      \"text\": \"x\",\n      \"variant\": \"slimm\",\n      \"sources\": [{\"title\": \"s\"}]\n    }\n  ]\n}\n",
       {"t.json:10:", "steps[0] (\"one\").variant", "expected one of original, fat, alpine, slim, multistage, buildkit", "\"slimm\""}},
      {"{\"slimbenchTour\": 1, \"title\": \"t\", \"example\": \"flask-app\", \"steps\": [{\"id\": \"a\", \"title\": \"A\", \"text\": \"x\", "
       "\"variant\": \"slim\"}]}",
       {"t.json:1:", "steps[0] (\"a\")", "expected \"sources\""}},
      {"{\"slimbenchTour\": 1, \"title\": \"t\", \"example\": \"flask-app\", \"steps\": [{\"id\": \"a\", \"title\": \"A\", \"text\": \"x\", "
       "\"varaint\": \"slim\", \"sources\": [{\"title\": \"s\"}]}]}",
       {"steps[0] (\"a\").varaint", "unknown key \"varaint\"", "variant"}},
      {"{\"slimbenchTour\": 1, \"title\": \"t\", \"example\": \"no-such-app\", \"steps\": []}", {"example", "expected a bundled example", "flask-app"}},
      {"{\"slimbenchTour\": 2, \"title\": \"t\", \"steps\": []}", {"slimbenchTour", "expected the format version 1, got 2"}},
      {"[1, 2]", {"expected an object with \"slimbenchTour\": 1"}},
      {"{\"slimbenchTour\": 1, \"title\": \"t\", \"steps\": [{\"id\": \"a\", \"title\": \"A\", \"text\": \"x\", \"variant\": \"slim\", "
       "\"sources\": [{\"title\": \"s\"}]}]}",
       {"steps[0] (\"a\")", "expected an \"example\" or \"project\""}},
      {"{\"slimbenchTour\": 1, \"title\": \"t\", \"example\": \"flask-app\", \"steps\": [{\"id\": \"a\", \"title\": \"A\", \"text\": [\"x\", 3], "
       "\"variant\": \"slim\", \"sources\": [{\"title\": \"s\"}]}]}",
       {"steps[0] (\"a\").text[1]", "expected a string, got a number"}},
      {"{\"slimbenchTour\": 1, \"title\": \"t\", \"example\": \"flask-app\", \"steps\": [{\"id\": \"a\", \"title\": \"A\", \"text\": \"x\", "
       "\"variant\": \"slim\", \"diff\": \"previous\", \"sources\": [{\"title\": \"s\"}]}]}",
       {"steps[0] (\"a\").diff", "the first step has no previous step"}},
  };
  for (const auto& c : cases) {
    ui::Tour t;
    QString err;
    QVERIFY2(!ui::parseTour(QByteArray(c.json), "t.json", QString(), ex, t, err), c.json);
    for (const QString& part : c.expect) QVERIFY2(err.contains(part), qPrintable(err + "   (expected: " + part + ")"));
  }
  // Through the window: refused with the message, nothing started, the open project untouched.
  QTemporaryDir dir;
  const QString bad = dir.filePath("bad.json");
  QFile f(bad);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(cases[1].json);
  f.close();
  ui::MainWindow w;
  w.show();
  QVERIFY(!w.startTour(bad));
  QVERIFY(!w.tourPanel()->isRunning());
  QVERIFY2(w.messageText().contains("bad.json:10:") && w.messageText().contains("variant"), qPrintable(w.messageText()));
  QVERIFY(!w.hasProject());
  QVERIFY(!w.startTour(dir.filePath("missing.json")));
  QVERIFY2(w.messageText().contains("cannot be read"), qPrintable(w.messageText()));
}

// A teacher's tour next to a project of their own, with a Dockerfile text for one step.
void TestTour::teachersTourFromAFile() {
  QTemporaryDir dir;
  QDir(dir.path()).mkpath("shop");
  auto write = [&](const QString& rel, const QByteArray& text) {
    QFile f(dir.filePath(rel));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
  };
  write("shop/Dockerfile", "FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n");
  write("shop/requirements.txt", "requests\n");
  write("tour.json", R"({
    "slimbenchTour": 1, "title": "My tour", "project": "shop",
    "steps": [
      {"id": "mine", "title": "Mine", "text": "Yours.", "variant": "original", "focus": ["COPY . /app"],
       "sources": [{"title": "me"}]},
      {"id": "slim", "title": "Slim", "text": "Slimmer.", "variant": "slim", "diff": "previous",
       "sources": [{"title": "me", "url": "https://example.org"}]},
      {"id": "alp", "title": "Alpine text", "text": "x", "variant": "original", "diff": "previous",
       "dockerfile": ["FROM python:3.12-alpine", "COPY . /app", "RUN pip install -r /app/requirements.txt"],
       "sources": [{"title": "me"}]}
    ]})");
  ui::MainWindow w;
  w.show();
  QVERIFY2(w.startTour(dir.filePath("tour.json")), qPrintable(w.messageText()));
  auto* t = w.tourPanel();
  QVERIFY(t->waitForStep(300000));
  QCOMPARE(QDir(w.projectDir()).canonicalPath(), QDir(dir.filePath("shop")).canonicalPath());
  QCOMPARE(t->highlightedLines(), QList<int>({2}));
  const QString first = t->shownDockerfile();
  QVERIFY(t->next());
  QVERIFY(t->waitForStep(300000));
  QCOMPARE(w.selectedVariantId(), QString("slim"));
  const QList<int> expected = addedLines(first, t->shownDockerfile());
  QCOMPARE(t->highlightedLines(), expected);
  QVERIFY(!t->removedLines().isEmpty());  // the slim variant drops the FROM python:3.12 line
  const QString slimText = t->shownDockerfile();
  QVERIFY(t->next());
  QVERIFY(t->waitForStep(300000));
  QCOMPARE(w.document()->dockerfile()->toPlainText(), t->tour().steps[2].dockerfile);
  // Against the slim variant shown before: the base line, not the COPY both have.
  QCOMPARE(t->highlightedLines(), addedLines(slimText, t->shownDockerfile()));
  QVERIFY(t->highlightedLines().contains(1));
  QVERIFY(!t->highlightedLines().contains(2));  // COPY . /app is the same line in both
  // Closing puts the project's own Dockerfile back; the file on disk was never written.
  t->stop();
  QCOMPARE(w.document()->dockerfile()->toPlainText(), QString("FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n"));
  QVERIFY(!w.document()->isModified());
}

// slimbench --tour [EXAMPLE|FILE.json]: a bad argument is refused with the reason; a screenshot of a step is written.
void TestTour::commandLine() {
  const QString bin = qEnvironmentVariable("SLIMBENCH_BINARY");
  if (bin.isEmpty()) QSKIP("SLIMBENCH_BINARY not set (run through ctest)");
  QTemporaryDir dir;
  auto run = [&](const QStringList& args) {
    QProcess p;
    p.start(bin, args);
    p.waitForFinished(600000);
    return std::make_pair(p.exitCode(), QString::fromUtf8(p.readAllStandardError()));
  };
  auto [rc1, err1] = run({"--tour", "no-such-example", "--screenshot", dir.filePath("a.png")});
  QCOMPARE(rc1, 2);
  QVERIFY2(err1.contains("expected a bundled example") && err1.contains("flask-app"), qPrintable(err1));
  QFile bad(dir.filePath("bad.json"));
  QVERIFY(bad.open(QIODevice::WriteOnly));
  bad.write("{\"slimbenchTour\": 1,\n \"title\": 3}");
  bad.close();
  auto [rc2, err2] = run({"--tour", dir.filePath("bad.json"), "--screenshot", dir.filePath("b.png")});
  QCOMPARE(rc2, 1);
  QVERIFY2(err2.contains("bad.json:2:") && err2.contains("title"), qPrintable(err2));
  auto [rc3, err3] = run({"--tour", "uwsgi-app", "--tour-step", "2", "--screenshot", dir.filePath("c.png"), "--size", "1280x800"});
  QCOMPARE(rc3, 0);
  QImage img(dir.filePath("c.png"));
  QCOMPARE(img.size(), QSize(1280, 800));
}

// The format as docs/workshop.md documents it: its example is a tour that loads.
void TestTour::documentedExampleIsATour() {
  const std::string readme = testutil::readFile(testutil::sourceDir() + "/docs/workshop.md");
  const auto at = readme.find("## Writing a tour");
  QVERIFY(at != std::string::npos);
  const auto open = readme.find("```json\n", at);
  const auto close = readme.find("```", open + 8);
  QVERIFY(open != std::string::npos && close != std::string::npos);
  const QByteArray json = QByteArray::fromStdString(readme.substr(open + 8, close - open - 8));
  QTemporaryDir dir;
  QVERIFY(QDir(dir.path()).mkpath("shop"));
  ui::Tour t;
  QString err;
  QVERIFY2(ui::parseTour(json, "docs/workshop.md", dir.path(), ui::ProjectDocument::bundledExamples(), t, err), qPrintable(err));
  QCOMPARE(t.steps.size(), 1);
  QCOMPARE(t.project, QDir(dir.filePath("shop")).absolutePath());
}

// The settings toolbar's switch: the analysis takes it, the status line names the era, and the project
// keeps it (as it keeps Arch) while an example starts from today's wheels.
void TestTour::eraToggleInTheWindow() {
  QTemporaryDir dir;
  auto write = [&](const QString& rel, const QByteArray& text) {
    QFile f(dir.filePath(rel));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
  };
  write("Dockerfile", "FROM python:3.12-alpine\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n");
  write("requirements.txt", "numpy\n");
  {
    ui::MainWindow w;
    w.show();
    QVERIFY(w.openPath(dir.path()));
    QVERIFY(w.waitForAnalysis());
    auto numpyCompiles = [&] {
      for (const auto& p : w.analysis()->variants.front().estimate.packages)
        if (p.name == "numpy") return p.compiles;
      return false;
    };
    QVERIFY(!numpyCompiles());
    QVERIFY(!w.statusText().contains("Era:"));
    w.settingsToolBar()->eraCheck()->setChecked(true);
    QVERIFY(w.waitForAnalysis());
    QVERIFY(w.analysis()->settings.wheelsBeforeMusllinux);
    QVERIFY(numpyCompiles());
    QVERIFY2(w.statusText().contains("Era: wheels as before musllinux (PEP 656, 2021)"), qPrintable(w.statusText()));
    QVERIFY(!w.settingsToolBar()->eraCheck()->styleSheet().isEmpty());  // marked while on
    QVERIFY(w.openBundledExample("flask-app"));
    QVERIFY(w.waitForAnalysis());
    QVERIFY(!w.settingsToolBar()->eraCheck()->isChecked());
    QVERIFY(!w.analysis()->settings.wheelsBeforeMusllinux);
  }
  ui::MainWindow again;
  QVERIFY(again.openPath(dir.path()));
  QVERIFY(again.waitForAnalysis());
  QVERIFY(again.settingsToolBar()->eraCheck()->isChecked());
  QVERIFY(again.analysis()->settings.wheelsBeforeMusllinux);
}

QTEST_MAIN(TestTour)
#include "test_tour.moc"
