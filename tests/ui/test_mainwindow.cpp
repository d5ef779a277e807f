// The window offscreen: an example opens, the chart has one bar per variant with
// the core's totals, a layer can be selected, a variant exported (and re-parsed),
// edits re-analyse, and a malformed Dockerfile shows its diagnostic.
#include <QtTest>

#include <QSettings>

#include <QBarSet>
#include <QChartView>
#include <QComboBox>
#include <QImage>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QDialog>
#include <QLineEdit>
#include <QTextBrowser>
#include <QToolTip>
#include <QTreeWidget>
#include <QScreen>

#include "codeeditor.h"
#include "dockerfile/syntax.h"
#include "dockerfile/model.h"
#include "embedded_resources.h"
#include "estimate/analysis.h"
#include "estimate/knowledge_embedded.h"
#include "mainwindow.h"
#include "variantchart.h"
#include "../testutil.h"

using namespace slimbench;

namespace {
QString example(const char* name) { return QString::fromStdString(testutil::sourceDir() + "/resources/examples/" + name); }
}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
  // Settings are kept per project folder: each test starts from none (and from the defaults).
  void init() { QSettings().clear(); }
  void chartMatchesCore();
  void compressedToggleShowsPullSizes();
  void selectingALayerUpdatesDetails();
  void exportWritesParseableDockerfileAndAsksBeforeOverwrite();
  void malformedDockerfileShowsDiagnostic();
  void editsReanalyseAndCloseAsks();
  void settingsChangeTheAnalysis();
  void exportChartPngAndSvg();
  void bundledExampleOpens();
  void variantsCanBeHidden();
  void requirementsErrorsShowInline();
  void zoomAndDarkPalette();
  void exportDialogPreviewsTheDiff();
  void chartClickHighlightsTheTableRow();
};

void TestMainWindow::chartMatchesCore() {
  const std::string dir = testutil::sourceDir() + "/resources/examples/django-postgres";
  ui::MainWindow w;
  QVERIFY(w.openPath(QString::fromStdString(dir)));
  QVERIFY(w.waitForAnalysis());
  QCOMPARE(w.variantIds(), QStringList({"original", "fat", "alpine", "slim", "multistage", "buildkit"}));
  auto k = estimate::bundledKnowledge();
  QVERIFY(k.ok());
  auto a = estimate::analyze(*estimate::openProject(dir), **k, {});
  QCOMPARE(w.variantTotalsMB().size(), 6);
  for (int i = 0; i < 6; ++i)
    QVERIFY2(qAbs(w.variantTotalsMB()[i] - static_cast<double>(a.variants[static_cast<size_t>(i)].estimate.disk.mid) / 1e6) < 0.5,
             qPrintable(QString("variant %1: %2").arg(i).arg(w.variantTotalsMB()[i])));
  QVERIFY(w.chartView()->chart() != nullptr);
  QCOMPARE(w.variantChart()->barCount(), 6);
  // One segment per layer of the final image.
  for (int i = 0; i < 6; ++i)
    for (int l = 0; l < static_cast<int>(a.variants[static_cast<size_t>(i)].estimate.layers.size()); ++l)
      QVERIFY(w.variantChart()->layerSet(i, l) != nullptr);
  QCOMPARE(w.structureTree()->topLevelItemCount(), 1);
  // The comparison table: one row per variant, findings counted.
  QCOMPARE(w.variantTable()->model()->rowCount(), 6);
  QCOMPARE(w.variantTable()->model()->index(0, 5).data().toInt(), static_cast<int>(a.variants[0].findings.size()));
  QVERIFY(w.statusText().contains("Data:"));
}

void TestMainWindow::compressedToggleShowsPullSizes() {
  const std::string dir = testutil::sourceDir() + "/resources/examples/flask-app";
  ui::MainWindow w;
  QVERIFY(w.openPath(QString::fromStdString(dir)));
  QVERIFY(w.waitForAnalysis());
  w.setCompressed(true);
  const auto& a = *w.analysis();
  for (int i = 0; i < 6; ++i)
    QVERIFY(qAbs(w.variantTotalsMB()[i] - static_cast<double>(a.variants[static_cast<size_t>(i)].estimate.compressed.mid) / 1e6) < 0.5);
  QVERIFY(w.variantTotalsMB()[1] < static_cast<double>(a.variants[1].estimate.disk.mid) / 1e6);
}

void TestMainWindow::selectingALayerUpdatesDetails() {
  ui::MainWindow w;
  QVERIFY(w.openPath(example("flask-app")));
  QVERIFY(w.waitForAnalysis());
  const auto& a = *w.analysis();
  const int ms = 4;
  QCOMPARE(QString(generate::variantId(a.variants[ms].kind)), QString("multistage"));
  const int layer = static_cast<int>(a.variants[ms].estimate.layers.size()) - 1;
  w.variantChart()->clickLayer(ms, layer);  // what a click on the segment emits
  QCOMPARE(w.selectedVariantId(), QString("multistage"));
  QCOMPARE(w.layerView()->currentIndex().row(), layer);
  QCOMPARE(w.layerView()->model()->rowCount(), static_cast<int>(a.variants[ms].estimate.layers.size()));
  QVERIFY(w.detailsSummary().contains(generate::variantTitle(generate::VariantKind::MultiStage)));
  QCOMPARE(w.variantChart()->selectedLayer(), qMakePair(ms, layer));
  QCOMPARE(w.variantChart()->layerSet(ms, layer)->pen().width(), 3);
  QCOMPARE(w.packageView()->model()->rowCount(), static_cast<int>(a.variants[ms].estimate.packages.size()));
  // A real segment click (the bar set's signal) selects too; hovering shows the layer's size and range.
  auto* set = w.variantChart()->layerSet(1, 0);
  QVERIFY(set);
  emit set->clicked(4);
  QCOMPARE(w.selectedVariantId(), QString("fat"));
  QCOMPARE(w.layerView()->currentIndex().row(), 0);
  w.show();
  emit set->hovered(true, 4);
  const QString tip = w.variantChart()->hoverTipText();
  QVERIFY2(tip.contains(" MB") && tip.contains("range"), qPrintable(tip));
  // Selecting a table row switches the details.
  w.variantTable()->selectRow(2);
  QCOMPARE(w.selectedVariantId(), QString("alpine"));
  QCOMPARE(w.findingView()->model()->rowCount(), static_cast<int>(a.variants[2].findings.size()));
}

void TestMainWindow::exportWritesParseableDockerfileAndAsksBeforeOverwrite() {
  ui::MainWindow w;
  int asked = 0;
  QMessageBox::StandardButton answer = QMessageBox::No;
  w.setAsker([&](const QString&, QMessageBox::StandardButtons) {
    ++asked;
    return answer;
  });
  QVERIFY(w.openPath(example("flask-app")));
  QVERIFY(w.waitForAnalysis());
  QTemporaryDir tmp;
  const QString out = tmp.filePath("Dockerfile");
  QVERIFY(w.exportDockerfile("multistage", out, true));
  QCOMPARE(asked, 0);
  QFile f(out);
  QVERIFY(f.open(QIODevice::ReadOnly));
  const std::string text = f.readAll().toStdString();
  f.close();
  auto tree = dockerfile::parse(text, "Dockerfile");
  QVERIFY2(tree.ok(), tree.ok() ? "" : tree.error().format().c_str());
  auto model = dockerfile::buildModel(*tree, "Dockerfile", {});
  QVERIFY(model.diagnostics.empty());
  QVERIFY(model.stages.size() >= 2);
  QVERIFY(QFileInfo::exists(tmp.filePath(".dockerignore")));
  // The exported file opens as a project and analyses cleanly.
  QVERIFY(w.openPath(tmp.path()));
  QVERIFY(w.waitForAnalysis());
  QVERIFY(!w.analysis()->variants.front().parseError);
  // Never overwrites without asking: "No" keeps the file.
  QVERIFY(!w.exportDockerfile("alpine", out, false));
  QCOMPARE(asked, 1);
  QVERIFY(f.open(QIODevice::ReadOnly));
  QCOMPARE(f.readAll().toStdString(), text);
  f.close();
  answer = QMessageBox::Yes;
  QVERIFY(w.exportDockerfile("alpine", out, false));
  QCOMPARE(asked, 2);
  QVERIFY(f.open(QIODevice::ReadOnly));
  QVERIFY(f.readAll().contains("alpine"));
}

void TestMainWindow::malformedDockerfileShowsDiagnostic() {
  QTemporaryDir tmp;
  QFile f(tmp.filePath("Dockerfile"));
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("FROM python:3.12-slim\nCMD [\"a\", 1]\n");
  f.close();
  ui::MainWindow w;
  QVERIFY(w.openPath(tmp.path()));
  QVERIFY(w.waitForAnalysis());
  QVERIFY(w.statusText().contains("Dockerfile:2"));
  QVERIFY(w.statusText().contains("strings only"));
  QVERIFY(w.problemsList()->topLevelItemCount() >= 1);
  auto* item = w.problemsList()->topLevelItem(0);
  QVERIFY(item->text(0).contains("strings only"));
  QVERIFY(item->text(1).startsWith("Dockerfile:2"));
  QCOMPARE(w.dockerfileEditor()->markers().size() >= 1, true);
  QCOMPARE(w.dockerfileEditor()->markers().first().line, 2);
  // Activating the problem jumps to the line.
  emit w.problemsList()->itemActivated(item, 0);
  QCOMPARE(w.dockerfileEditor()->textCursor().blockNumber(), 1);
  // The derived variants still work (they do not need the broken line).
  QCOMPARE(w.variantIds().size(), 6);
  // Still usable: fixing the text re-analyses, and a good project opens afterwards.
  w.dockerfileEditor()->setPlainText("FROM python:3.12-slim\nCMD [\"a\", \"1\"]\n");
  QVERIFY(w.waitForAnalysis());
  QVERIFY(!w.analysis()->variants.front().parseError);
  w.setAsker([](const QString&, QMessageBox::StandardButtons) { return QMessageBox::Discard; });
  QVERIFY(w.openPath(example("flask-app")));
  QVERIFY(w.waitForAnalysis());
  QCOMPARE(w.variantIds().size(), 6);
}

void TestMainWindow::editsReanalyseAndCloseAsks() {
  QTemporaryDir tmp;
  for (const char* n : {"Dockerfile", "requirements.txt", "app.py"})
    QVERIFY(QFile::copy(example("flask-app") + "/" + n, tmp.filePath(n)));
  ui::MainWindow w;
  QVERIFY(w.openPath(tmp.path()));
  QVERIFY(w.waitForAnalysis());
  const double before = w.variantTotalsMB()[0];
  auto* ed = w.dockerfileEditor();
  QTextCursor c(ed->document());
  c.movePosition(QTextCursor::End);
  c.insertText("\nRUN apt-get update && apt-get install -y build-essential\n");
  QVERIFY(ed->document()->isModified());
  QVERIFY(w.waitForAnalysis());
  QVERIFY2(w.variantTotalsMB()[0] > before + 5, qPrintable(QString("%1 -> %2").arg(before).arg(w.variantTotalsMB()[0])));
  // Undo restores the text (and the analysis follows).
  ed->undo();
  QVERIFY(w.waitForAnalysis());
  QVERIFY(qAbs(w.variantTotalsMB()[0] - before) < 0.5);
  c.movePosition(QTextCursor::End);
  c.insertText("# changed\n");
  // Close asks; Cancel keeps the window open and the text.
  QStringList questions;
  w.setAsker([&](const QString& t, QMessageBox::StandardButtons) {
    questions << t;
    return QMessageBox::Cancel;
  });
  w.show();
  QVERIFY(!w.close());
  QCOMPARE(questions.size(), 1);
  QVERIFY(ed->document()->isModified());
  // Save writes the file atomically.
  w.setAsker([&](const QString&, QMessageBox::StandardButtons) { return QMessageBox::Save; });
  QVERIFY(w.close());
  QFile f(tmp.filePath("Dockerfile"));
  QVERIFY(f.open(QIODevice::ReadOnly));
  QVERIFY(f.readAll().endsWith("# changed\n"));
}

void TestMainWindow::settingsChangeTheAnalysis() {
  ui::MainWindow w;
  QVERIFY(w.openPath(example("datascience-app")));
  QVERIFY(w.waitForAnalysis());
  QCOMPARE(QString::fromStdString(w.analysis()->settings.arch), QString("amd64"));
  auto* arch = w.findChild<QComboBox*>("archCombo");
  QVERIFY(arch);
  arch->setCurrentText("arm64");
  QVERIFY(w.waitForAnalysis());
  QCOMPARE(QString::fromStdString(w.analysis()->settings.arch), QString("arm64"));
  auto* py = w.findChild<QComboBox*>("pythonCombo");
  py->setCurrentText("3.11");
  QVERIFY(w.waitForAnalysis());
  QCOMPARE(QString::fromStdString(w.analysis()->pythonVersion), QString("3.11"));
}

void TestMainWindow::exportChartPngAndSvg() {
  ui::MainWindow w;
  QVERIFY(w.openPath(example("flask-app")));
  QVERIFY(w.waitForAnalysis());
  QTemporaryDir tmp;
  QVERIFY(w.exportChart(tmp.filePath("chart.png"), QSize(1600, 900)));
  QImage img(tmp.filePath("chart.png"));
  QCOMPARE(img.size(), QSize(1600, 900));
  QVERIFY(w.exportChart(tmp.filePath("chart.svg"), QSize(1600, 900)));
  QFile svg(tmp.filePath("chart.svg"));
  QVERIFY(svg.open(QIODevice::ReadOnly));
  const QByteArray s = svg.readAll();
  QVERIFY(s.contains("<svg"));
  QVERIFY(s.contains("Fat"));
}

void TestMainWindow::bundledExampleOpens() {
  ui::MainWindow w;
  QVERIFY(w.bundledExamples().contains("uwsgi-app"));
  QVERIFY(w.openBundledExample("uwsgi-app"));
  QVERIFY(w.waitForAnalysis());
  QCOMPARE(w.variantIds().size(), 6);
  QVERIFY(!w.requirementsEditor()->toPlainText().isEmpty());
  QVERIFY(!w.openBundledExample("no-such-example"));
}

void TestMainWindow::variantsCanBeHidden() {
  ui::MainWindow w;
  QVERIFY(w.openPath(example("flask-app")));
  QVERIFY(w.waitForAnalysis());
  QAction* alpine = nullptr;
  for (auto* a : w.findChildren<QAction*>())
    if (a->data().toString() == "alpine") alpine = a;
  QVERIFY(alpine);
  alpine->setChecked(false);
  QCOMPARE(w.variantIds(), QStringList({"original", "fat", "slim", "multistage", "buildkit"}));
  QCOMPARE(w.variantTable()->model()->rowCount(), 5);
  alpine->setChecked(true);
  QCOMPARE(w.variantIds().size(), 6);
}

void TestMainWindow::requirementsErrorsShowInline() {
  QTemporaryDir tmp;
  QFile d(tmp.filePath("Dockerfile"));
  QVERIFY(d.open(QIODevice::WriteOnly));
  d.write("FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n");
  d.close();
  QFile r(tmp.filePath("requirements.txt"));
  QVERIFY(r.open(QIODevice::WriteOnly));
  r.write("flask==3.0.0\nrequests[security\n");
  r.close();
  ui::MainWindow w;
  QVERIFY(w.openPath(tmp.path()));
  QVERIFY(w.waitForAnalysis());
  QTreeWidgetItem* found = nullptr;
  for (int i = 0; i < w.problemsList()->topLevelItemCount(); ++i)
    if (w.problemsList()->topLevelItem(i)->text(1).startsWith("requirements.txt:2")) found = w.problemsList()->topLevelItem(i);
  QVERIFY(found);
  QCOMPARE(w.requirementsEditor()->markers().size(), 1);
  emit w.problemsList()->itemActivated(found, 0);
  QCOMPARE(w.requirementsEditor()->textCursor().blockNumber(), 1);
}

void TestMainWindow::zoomAndDarkPalette() {
  ui::MainWindow w;
  QVERIFY(w.openPath(example("flask-app")));
  QVERIFY(w.waitForAnalysis());
  const double before = w.dockerfileEditor()->font().pointSizeF();
  w.setZoom(1.5);
  QVERIFY(qAbs(w.dockerfileEditor()->font().pointSizeF() - before * 1.5) < 0.6);
  QVERIFY(QApplication::font().pointSizeF() > before * 1.3);
  w.setZoom(1.0);
  QVERIFY(qAbs(w.dockerfileEditor()->font().pointSizeF() - before) < 0.1);
  w.setDarkPalette(true);
  QCOMPARE(w.chartView()->chart()->theme(), QChart::ChartThemeDark);
  QCOMPARE(w.variantIds().size(), 6);
  w.setDarkPalette(false);
  QCOMPARE(w.chartView()->chart()->theme(), QChart::ChartThemeLight);
}

void TestMainWindow::exportDialogPreviewsTheDiff() {
  ui::MainWindow w;
  QVERIFY(w.openPath(example("django-postgres")));
  QVERIFY(w.waitForAnalysis());
  QVERIFY(w.selectVariant("multistage"));
  w.show();
  QAction* exportAction = nullptr;
  for (auto* a : w.findChildren<QAction*>())
    if (a->shortcut() == QKeySequence("Ctrl+E")) exportAction = a;
  QVERIFY(exportAction);
  bool seen = false;
  QTimer::singleShot(0, &w, [&] {
    auto* d = qobject_cast<QDialog*>(QApplication::activeModalWidget());
    if (!d) return;
    seen = d->windowTitle().contains("Multi-stage");
    const auto browsers = d->findChildren<QTextBrowser*>();
    seen = seen && !browsers.isEmpty() && browsers.first()->toPlainText().contains("+ FROM");
    const auto edits = d->findChildren<QLineEdit*>();
    seen = seen && !edits.isEmpty() && edits.first()->text().endsWith("Dockerfile.multistage");
    const QString shot = qEnvironmentVariable("SLIMBENCH_DIALOG_SCREENSHOT");
    if (!shot.isEmpty()) d->grab().save(shot);
    d->reject();
  });
  exportAction->trigger();
  QVERIFY(seen);
}

// One selection, shown everywhere: a click on a segment of another variant switches the details
// and the comparison table's highlighted row (it used to keep the previous row highlighted: the
// row was selected with the view's signals blocked, so the view never repainted it).
void TestMainWindow::chartClickHighlightsTheTableRow() {
  ui::MainWindow w;
  w.resize(1280, 800);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QVERIFY(w.openPath(example("flask-app")));
  QVERIFY(w.waitForAnalysis());
  auto* table = w.variantTable();
  QVERIFY(w.selectVariant("fat"));
  QTest::qWait(50);
  const int fatRow = table->currentIndex().row(), msRow = 4;
  QCOMPARE(fatRow, 1);
  QSignalSpy told(table->selectionModel(), &QItemSelectionModel::selectionChanged);
  w.variantChart()->clickLayer(4, 0);
  QCOMPARE(w.selectedVariantId(), QString("multistage"));
  QVERIFY(w.detailsSummary().contains(generate::variantTitle(generate::VariantKind::MultiStage)));
  QCOMPARE(table->currentIndex().row(), msRow);
  QVERIFY(table->selectionModel()->isRowSelected(msRow, {}));
  QVERIFY(!table->selectionModel()->isRowSelected(fatRow, {}));
  QVERIFY(told.count() >= 1);  // the view was told, so it repaints both rows
  // What is on screen (the window's backing store, as painted): the new row in the highlight
  // colour, the old one not.
  QTest::qWait(50);
  const QImage screen = w.screen()->grabWindow(w.winId()).toImage();
  const QColor highlight = table->palette().color(QPalette::Active, QPalette::Highlight);
  auto shade = [&](int row) {
    const QRect cell = table->visualRect(table->model()->index(row, 0));
    const QPoint p = table->viewport()->mapTo(&w, QPoint(cell.right() - 4, cell.center().y()));
    return screen.pixelColor(p * screen.devicePixelRatio());
  };
  auto near = [](QColor a, QColor b) { return qAbs(a.red() - b.red()) + qAbs(a.green() - b.green()) + qAbs(a.blue() - b.blue()) < 40; };
  QVERIFY2(near(shade(msRow), highlight), qPrintable(shade(msRow).name() + " is not the highlight " + highlight.name()));
  QVERIFY2(!near(shade(fatRow), highlight), qPrintable("the previous row is still highlighted: " + shade(fatRow).name()));
  // The table's own click goes the other way: the chart's selection clears, the details follow.
  table->selectRow(2);
  QCOMPARE(w.selectedVariantId(), QString("alpine"));
  QCOMPARE(w.variantChart()->selectedLayer(), qMakePair(-1, -1));
}

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
