// The window's session state under real use, driven with keyboard and mouse events:
// an edited example is never saved into its temporary copy (the first save copies the
// project to a folder the user chooses), dialogs start in the last folder, the welcome
// page has no project, a failed open leaves the window consistent, and the Problems
// list shows the message first with a location relative to the project.
#include <QtTest>

#include <QAction>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTextDocumentFragment>
#include <QTemporaryDir>
#include <QTreeWidget>

#include "codeeditor.h"
#include "estimate/analysis.h"
#include "mainwindow.h"
#include "variantchart.h"
#include "../testutil.h"

using namespace slimbench;

namespace {
QString example(const char* name) { return QString::fromStdString(testutil::sourceDir() + "/resources/examples/" + name); }

QString readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

void copyExample(const char* name, const QString& to) {
  QDir().mkpath(to);
  for (const QString& n : QDir(example(name)).entryList(QDir::Files | QDir::Hidden)) QFile::copy(example(name) + "/" + n, to + "/" + n);
}

// Types at the end of the Dockerfile editor, as a user would.
void typeAtEnd(ui::MainWindow& w, const QString& text) {
  auto* ed = w.dockerfileEditor();
  ed->setFocus();
  QTest::keyClick(ed, Qt::Key_End, Qt::ControlModifier);
  QTest::keyClick(ed, Qt::Key_Return);
  QTest::keyClicks(ed, text);
}

void maybeScreenshot(QWidget& w, const QString& name) {
  const QByteArray dir = qgetenv("SLIMBENCH_SCREENSHOT_DIR");
  if (dir.isEmpty()) return;
  QTest::qWait(100);
  w.grab().save(QString::fromLocal8Bit(dir) + "/" + name, "PNG");
}

bool enabled(ui::MainWindow& w, const char* name) {
  QAction* a = w.action(name);
  if (!a) qFatal("no action %s", name);
  return a->isEnabled();
}
}  // namespace

class TestSession : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("slimbench-test");
    QCoreApplication::setApplicationName("test_session");
  }
  void init() { QSettings().clear(); }
  void editedExampleIsSavedWhereTheUserChose();
  void cancellingTheFolderKeepsTheEdits();
  void welcomeProjectFailedOpenWelcome();
  void problemsShowMessageFirstAndRelativeLocation();
  void chartTooltipStaysWhileThePointerRests();
  void findBarInTheEditor();
  void arm64BaseLayersKeepTheirCategories();
  void detailsReadWell();
};

void TestSession::editedExampleIsSavedWhereTheUserChose() {
  QTemporaryDir parent;
  QVERIFY(parent.isValid());
  QFile keep(parent.filePath("notes.txt"));  // a folder in use: the project goes into a subfolder
  QVERIFY(keep.open(QIODevice::WriteOnly));
  keep.close();

  ui::MainWindow w;
  QStringList starts, kinds;
  w.setPathChooser([&](const QString& kind, const QString&, const QString& start) {
    kinds << kind;
    starts << start;
    return parent.path();
  });
  QStringList questions;
  w.setAsker([&](const QString& t, QMessageBox::StandardButtons) {
    questions << t;
    return QMessageBox::Save;
  });
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QVERIFY(w.openBundledExample("flask-app"));
  QVERIFY(w.waitForAnalysis());
  QVERIFY(w.isExample());
  const QString tempDir = w.projectDir();
  QVERIFY(w.windowTitle().contains("Example flask-app"));
  QVERIFY(!w.windowTitle().contains(tempDir));

  typeAtEnd(w, "# typed by the user 4242");
  QVERIFY(w.dockerfileEditor()->document()->isModified());
  // Ctrl+S on an example: the folder chooser, starting in the home folder (no last folder yet).
  w.activateWindow();
  QTest::keyClick(w.dockerfileEditor(), Qt::Key_S, Qt::ControlModifier);
  QCOMPARE(kinds, QStringList{"folder"});
  QCOMPARE(starts.first(), QDir::homePath());
  const QString saved = parent.filePath("flask-app");
  QCOMPARE(w.projectDir(), saved);
  QVERIFY(!w.isExample());
  QVERIFY(!w.dockerfileEditor()->document()->isModified());
  QVERIFY(w.windowTitle().contains(saved));
  // The whole project was copied, with the edit.
  QVERIFY(readAll(saved + "/Dockerfile").contains("# typed by the user 4242"));
  QVERIFY(QFileInfo::exists(saved + "/requirements.txt"));
  QVERIFY(QFileInfo::exists(saved + "/app.py"));
  // The temporary copy did not get the edit.
  QVERIFY(!readAll(tempDir + "/Dockerfile").contains("4242"));
  QVERIFY(w.waitForAnalysis());

  // A further edit saves in place (no chooser), then another project opens without a question.
  typeAtEnd(w, "# second edit");
  QTest::keyClick(w.dockerfileEditor(), Qt::Key_S, Qt::ControlModifier);
  QCOMPARE(kinds.size(), 1);
  QVERIFY(readAll(saved + "/Dockerfile").contains("# second edit"));
  QVERIFY(w.openBundledExample("django-postgres"));
  QVERIFY(questions.isEmpty());
  QVERIFY(w.waitForAnalysis());
  QVERIFY(readAll(saved + "/Dockerfile").contains("# typed by the user 4242"));

  // Dialogs now start in the folder used last, never in the example's temporary copy.
  QCOMPARE(w.startFolder(), QDir(parent.path()).absolutePath());
  // Editing this example and switching project asks; Save goes to the chooser, into flask-app's sibling.
  typeAtEnd(w, "# django edit");
  QVERIFY(w.openPath(saved));
  QCOMPARE(questions.size(), 1);
  QCOMPARE(starts.last(), QDir(parent.path()).absolutePath());
  QVERIFY(readAll(parent.filePath("django-postgres/Dockerfile")).contains("# django edit"));
  QCOMPARE(w.projectDir(), saved);
}

void TestSession::cancellingTheFolderKeepsTheEdits() {
  ui::MainWindow w;
  w.setPathChooser([](const QString&, const QString&, const QString&) { return QString(); });
  QStringList questions;
  w.setAsker([&](const QString& t, QMessageBox::StandardButtons) {
    questions << t;
    return QMessageBox::Save;
  });
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QVERIFY(w.openBundledExample("flask-app"));
  QVERIFY(w.waitForAnalysis());
  typeAtEnd(w, "# keep me");
  QTest::keyClick(w.dockerfileEditor(), Qt::Key_S, Qt::ControlModifier);
  QVERIFY(w.isExample());
  QVERIFY(w.dockerfileEditor()->document()->isModified());
  QVERIFY(w.statusText().contains("Not saved"));
  // Switching project: Save with no folder chosen keeps the window (and the text) as it is.
  QVERIFY(!w.openBundledExample("uwsgi-app"));
  QVERIFY(!w.showWelcome());
  QVERIFY(w.dockerfileEditor()->toPlainText().contains("# keep me"));
  QVERIFY(w.isExample());
  QCOMPARE(questions.size(), 2);
}

void TestSession::welcomeProjectFailedOpenWelcome() {
  QTemporaryDir tmp;
  const QString proj = tmp.filePath("shop");
  copyExample("flask-app", proj);
  // A folder whose Dockerfile is one level down.
  QDir().mkpath(tmp.filePath("repo/docker"));
  QFile::copy(example("flask-app") + "/Dockerfile", tmp.filePath("repo/docker/Dockerfile"));

  ui::MainWindow w;
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  const char* projectActions[] = {"saveAction", "saveAsAction", "exportAction", "copyAction", "exportChartAction", "reanalyseAction"};
  // Welcome: no project.
  for (const char* a : projectActions) QVERIFY2(!enabled(w, a), a);
  QCOMPARE(w.windowTitle(), QString("slimbench"));

  // Project.
  QVERIFY(w.openPath(proj));
  QVERIFY(w.waitForAnalysis());
  for (const char* a : projectActions) QVERIFY2(enabled(w, a), a);
  QVERIFY(w.windowTitle().contains(proj));
  const int problems = w.problemsList()->topLevelItemCount();
  QCOMPARE(w.problemsList()->headerItem()->text(0), QString("Problems (%1)").arg(problems));
  const int bars = w.variantChart()->barCount();
  QVERIFY(bars > 0);
  QVERIFY(w.messageText().isEmpty());

  // Failed open: the message names the subfolder's Dockerfile; the project stays whole.
  QVERIFY(!w.openPath(tmp.filePath("repo")));
  QVERIFY2(w.messageText().contains("docker/Dockerfile"), qPrintable(w.messageText()));
  QVERIFY(w.messageText().contains("no Dockerfile"));
  maybeScreenshot(w, "failed-open.png");
  QVERIFY(w.windowTitle().contains(proj));
  QCOMPARE(w.projectDir(), proj);
  QCOMPARE(w.problemsList()->topLevelItemCount(), problems);
  QCOMPARE(w.problemsList()->headerItem()->text(0), QString("Problems (%1)").arg(problems));
  QCOMPARE(w.variantChart()->barCount(), bars);
  for (const char* a : projectActions) QVERIFY2(enabled(w, a), a);

  // Back to the welcome page with the keyboard: nothing of the project is left.
  w.activateWindow();
  QTest::keyClick(&w, Qt::Key_H, Qt::ControlModifier | Qt::ShiftModifier);
  QVERIFY(!w.hasProject());
  for (const char* a : projectActions) QVERIFY2(!enabled(w, a), a);
  QCOMPARE(w.windowTitle(), QString("slimbench"));
  QVERIFY(w.dockerfileEditor()->toPlainText().isEmpty());
  QCOMPARE(w.problemsList()->topLevelItemCount(), 0);
  QCOMPARE(w.variantChart()->barCount(), 0);
  QCOMPARE(w.variantTable()->model()->rowCount(), 0);
  QCOMPARE(w.layerView()->model()->rowCount(), 0);
  // Export on the welcome page does nothing (and says so), even when called directly.
  QVERIFY(!w.exportDockerfile("original", tmp.filePath("out"), false));
  QVERIFY(!QFileInfo::exists(tmp.filePath("out")));

  // A failed open from the welcome page: a message, still no project.
  QVERIFY(!w.openPath(tmp.filePath("nowhere")));
  QVERIFY(!w.messageText().isEmpty());
  QVERIFY(!w.hasProject());
  for (const char* a : projectActions) QVERIFY2(!enabled(w, a), a);
  // Opening the subfolder works and clears the message.
  QVERIFY(w.openPath(tmp.filePath("repo/docker")));
  QVERIFY(w.messageText().isEmpty());
  QVERIFY(w.waitForAnalysis());
  QVERIFY(enabled(w, "exportAction"));
}

void TestSession::problemsShowMessageFirstAndRelativeLocation() {
  QTemporaryDir tmp;
  const QString proj = tmp.filePath("p");
  QDir().mkpath(proj);
  QFile f(proj + "/Dockerfile");
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("FROM python:3.12-slim\nRUN apt-get update && apt-get install -y curl\nCMD [\"a\", 1]\n");
  f.close();
  ui::MainWindow w;
  QVERIFY(w.openPath(proj));
  QVERIFY(w.waitForAnalysis());
  QVERIFY(w.problemsList()->topLevelItemCount() >= 1);
  for (int i = 0; i < w.problemsList()->topLevelItemCount(); ++i) {
    auto* it = w.problemsList()->topLevelItem(i);
    QVERIFY2(!it->text(0).contains(tmp.path()), qPrintable(it->text(0)));
    QVERIFY2(!it->text(0).startsWith("Dockerfile"), qPrintable(it->text(0)));
    QVERIFY2(it->text(1).startsWith("Dockerfile"), qPrintable(it->text(1)));
  }
  QVERIFY(w.problemsList()->topLevelItem(0)->text(0).contains("strings only"));
  QVERIFY(w.problemsList()->topLevelItem(0)->text(1).startsWith("Dockerfile:3"));
}

void TestSession::chartTooltipStaysWhileThePointerRests() {
  ui::MainWindow w;
  w.resize(1400, 900);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QVERIFY(w.openPath(example("flask-app")));
  QVERIFY(w.waitForAnalysis());
  auto* chart = w.variantChart();
  // The biggest layer of the first variant: a wide segment.
  const int v = chart->shownVariants().first();
  const auto& layers = w.analysis()->variants[static_cast<size_t>(v)].estimate.layers;
  int big = 0;
  for (int l = 0; l < static_cast<int>(layers.size()); ++l)
    if (layers[static_cast<size_t>(l)].disk.mid > layers[static_cast<size_t>(big)].disk.mid) big = l;
  const QPoint p = chart->segmentCentre(v, big);
  QVERIFY(!p.isNull());
  QVERIFY(chart->viewport()->rect().contains(p));
  QTest::mouseMove(chart->viewport(), p - QPoint(4, 0));
  QTest::mouseMove(chart->viewport(), p);
  QTRY_VERIFY(!chart->hoverTipText().isEmpty());
  const QString title = QString::fromStdString(estimate::categoryTitle(layers[static_cast<size_t>(big)].category));
  QVERIFY2(chart->hoverTipText().contains(title.toHtmlEscaped()), qPrintable(chart->hoverTipText()));
  // Resting: still there after 2.5 s, and after a small move inside the segment.
  QTest::qWait(2500);
  QVERIFY(!chart->hoverTipText().isEmpty());
  QTest::mouseMove(chart->viewport(), p + QPoint(2, 1));
  QTest::qWait(300);
  QVERIFY(!chart->hoverTipText().isEmpty());
  auto* tip = chart->findChild<QWidget*>("chartHoverTip");
  QVERIFY(tip && tip->isVisible());
  // Leaving the chart hides it.
  QTest::mouseMove(w.dockerfileEditor()->viewport(), QPoint(10, 10));
  QTRY_VERIFY(chart->hoverTipText().isEmpty());
}

void TestSession::findBarInTheEditor() {
  ui::MainWindow w;
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  w.activateWindow();
  QVERIFY(w.openPath(example("flask-app")));
  QVERIFY(w.waitForAnalysis());
  auto* ed = w.dockerfileEditor();
  const QString text = ed->toPlainText();
  const int n = text.count("app", Qt::CaseInsensitive);
  QVERIFY(n >= 2);
  ed->setFocus();
  QTest::keyClick(ed, Qt::Key_F, Qt::ControlModifier);
  QVERIFY(ed->findBar() && ed->findBar()->isVisible());
  QTest::keyClicks(ed->findEdit(), "APP");
  QCOMPARE(ed->textCursor().selectedText().toLower(), QString("app"));
  const int first = ed->textCursor().selectionStart();
  QCOMPARE(first, static_cast<int>(text.indexOf("app", 0, Qt::CaseInsensitive)));
  QCOMPARE(ed->findStatus(), QString("1 of %1").arg(n));
  QTest::keyClick(ed->findEdit(), Qt::Key_Return);
  QCOMPARE(ed->textCursor().selectionStart(), static_cast<int>(text.indexOf("app", first + 1, Qt::CaseInsensitive)));
  QCOMPARE(ed->findStatus(), QString("2 of %1").arg(n));
  maybeScreenshot(w, "find.png");
  // The bar sits inside the editor, whole, below the text.
  QVERIFY(ed->rect().contains(ed->findBar()->geometry()));
  QVERIFY(ed->findBar()->geometry().top() >= ed->viewport()->geometry().bottom());
  QTest::keyClick(ed->findEdit(), Qt::Key_Return, Qt::ShiftModifier);
  QCOMPARE(ed->textCursor().selectionStart(), first);
  // Previous from the first wraps to the last.
  QTest::keyClick(ed->findEdit(), Qt::Key_Return, Qt::ShiftModifier);
  QCOMPARE(ed->textCursor().selectionStart(), static_cast<int>(text.lastIndexOf("app", -1, Qt::CaseInsensitive)));
  // No match says so.
  QTest::keyClicks(ed->findEdit(), "zzqq");
  QCOMPARE(ed->findStatus(), QString("no match"));
  // Esc closes the bar; nothing was typed into the Dockerfile.
  QTest::keyClick(ed->findEdit(), Qt::Key_Escape);
  QVERIFY(!ed->findBar()->isVisible());
  QCOMPARE(ed->toPlainText(), text);
  QVERIFY(!ed->document()->isModified());
}

void TestSession::arm64BaseLayersKeepTheirCategories() {
  ui::MainWindow w;
  w.show();
  QVERIFY(w.openPath(example("flask-app")));
  QVERIFY(w.waitForAnalysis());
  auto categories = [&](int variant) {
    QSet<int> out;
    for (const auto& l : w.analysis()->variants[static_cast<size_t>(variant)].estimate.layers)
      if (l.fromBase) out.insert(static_cast<int>(l.category));
    return out;
  };
  const auto amd = categories(0);
  QVERIFY(amd.contains(static_cast<int>(estimate::Category::PythonRuntime)));
  auto* combo = w.findChild<QComboBox*>("archCombo");
  QVERIFY(combo);
  combo->setFocus();
  QTest::keyClick(combo, Qt::Key_Down);  // amd64 → arm64
  QCOMPARE(combo->currentText(), QString("arm64"));
  QVERIFY(w.waitForAnalysis());
  QCOMPARE(categories(0), amd);
  // Every column of the Layers table has a header, in every variant's view.
  for (const QString& id : w.variantIds()) {
    QVERIFY(w.selectVariant(id));
    auto* m = w.layerView()->model();
    for (int c = 0; c < m->columnCount(); ++c)
      QVERIFY2(!m->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString().isEmpty(), qPrintable(id));
    QVERIFY(!w.layerView()->horizontalHeader()->isSectionHidden(m->columnCount() - 1));
    QVERIFY(w.layerView()->horizontalHeader()->sectionSize(m->columnCount() - 1) > 20);
  }
}

void TestSession::detailsReadWell() {
  ui::MainWindow w;
  w.show();
  QVERIFY(w.openPath(example("django-postgres")));
  QVERIFY(w.waitForAnalysis());
  bool sawUnderASecond = false;
  for (const QString& id : w.variantIds()) {
    QVERIFY(w.selectVariant(id));
    // The summary is rich text: "< 1 s cached" must survive as text, and the sentence end before the next line.
    const QString plain = QTextDocumentFragment::fromHtml(w.detailsSummary()).toPlainText();
    QVERIFY2(plain.contains(QRegularExpression("build (≥ )?[^,]+ cold, (≥ )?[^.]+ cached\\.")), qPrintable(id + ": " + plain));
    sawUnderASecond = sawUnderASecond || plain.contains("< 1 s cached.");
    // Every layer says why it has its size (the multi-stage COPY --from included).
    auto* m = w.layerView()->model();
    for (int r = 0; r < m->rowCount(); ++r)
      QVERIFY2(!m->index(r, m->columnCount() - 1).data().toString().trimmed().isEmpty(),
               qPrintable(id + ": " + m->index(r, 1).data().toString()));
  }
  QVERIFY(sawUnderASecond);
  // The Structure tab shows whole instructions: the instruction column is as wide as its longest text.
  auto* tree = w.structureTree();
  QVERIFY(tree->topLevelItemCount() >= 1);
  int widest = 0;
  for (int i = 0; i < tree->topLevelItemCount(); ++i)
    for (int j = 0; j < tree->topLevelItem(i)->childCount(); ++j)
      widest = qMax(widest, tree->fontMetrics().horizontalAdvance(tree->topLevelItem(i)->child(j)->text(2)));
  auto* tabs = qobject_cast<QTabWidget*>(tree->parentWidget()->parentWidget());
  QVERIFY(tabs);
  tabs->setCurrentWidget(tree);
  QTRY_VERIFY(tree->isVisible());
  QTRY_VERIFY(tree->header()->sectionSize(2) >= widest);
  maybeScreenshot(w, "structure.png");
}

QTEST_MAIN(TestSession)
#include "test_session.moc"
