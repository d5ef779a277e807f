// Rough edges a new user hit in the window, each as the user met it:
//  - the export dialog's "Diff against yours": the reasons are readable text (not a column a few
//    letters wide) and no blank band runs beside a hunk, at the normal font and at a presenter's;
//  - one selection, shown everywhere: a click on a segment selects the variant in the table, the
//    details and the export dialog, and the chart marks the selected variant's bar;
//  - a Dockerfile in docker/ reading ../requirements.txt: the requirements tab shows that file;
//  - while a long analysis of a changed Dockerfile runs, the Problems list says its entries are
//    of the text before and the editor drops their marks;
//  - the build time is a lower bound (≥) when a package is not catalogued;
//  - the project line stops saying "no .dockerignore" once one was exported;
//  - a layer nothing is known of is not drawn with a width: the bar ends at what is known and an
//    open end with a "?" follows it.
#include <QtTest>

#include <QAbstractTextDocumentLayout>
#include <QBarSet>
#include <QChart>
#include <QDialog>
#include <QFontDatabase>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTreeWidget>

#include <filesystem>
#include <fstream>

#include "codeeditor.h"
#include "editorspane.h"
#include "estimate/analysis.h"
#include "exportdialog.h"
#include "generate/variants.h"
#include "mainwindow.h"
#include "models.h"
#include "variantchart.h"
#include "../knowledge.h"
#include "../testutil.h"

using namespace slimbench;
namespace fs = std::filesystem;

namespace {

QString example(const char* name) { return QString::fromStdString(testutil::sourceDir() + "/resources/examples/" + name); }

void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

QString cell(QTableView* t, int row, int col) { return t->model()->index(row, col).data().toString(); }

void maybeScreenshot(QWidget& w, const QString& name) {
  const QString dir = qEnvironmentVariable("SLIMBENCH_UI_SHOTS");
  if (!dir.isEmpty()) w.grab().save(QDir(dir).filePath(name));
}

// The project line above the editors (the label that names the project folder).
QString projectLine(ui::MainWindow& w, const QString& folder) {
  for (auto* l : w.editorsPane()->findChildren<QLabel*>())
    if (l->text().contains("<b>" + folder.toHtmlEscaped() + "</b>")) return l->text();
  return {};
}

bool near(QColor a, QColor b, int tolerance = 30) {
  return qAbs(a.red() - b.red()) + qAbs(a.green() - b.green()) + qAbs(a.blue() - b.blue()) < tolerance;
}

// The diff as a user sees it: the document drawn at the view's width. Returns the longest run of
// blank pixel rows (nothing drawn in the code's part of the width) between the first and the last
// text, and the narrowest reasons paragraph as a share of the width.
struct DiffLook {
  int longestBlank = 0;
  double narrowestReasons = 1.0;
  int reasons = 0;
};

DiffLook look(QTextBrowser* view) {
  QTextDocument* doc = view->document();
  DiffLook out;
  const double width = doc->textWidth() > 0 ? doc->textWidth() : view->viewport()->width();
  // The diff itself: up to the per-instruction record under it (its heading).
  double end = doc->size().height();
  for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
    const QRectF r = doc->documentLayout()->blockBoundingRect(b);
    if (b.text().startsWith("What this variant did with each instruction")) {
      end = r.top();
      break;
    }
    if (b.text().startsWith("• ")) {
      ++out.reasons;
      out.narrowestReasons = qMin(out.narrowestReasons, r.width() / width);
    }
  }
  QImage img(QSize(static_cast<int>(width), static_cast<int>(end)), QImage::Format_RGB32);
  img.fill(Qt::white);
  {
    QPainter p(&img);
    doc->drawContents(&p, QRectF(0, 0, width, end));
  }
  // The code's part of the width: the left 55 % (the reasons, beside or under, go further right).
  const int right = static_cast<int>(width * 0.55);
  int first = -1, last = -1;
  QList<bool> blank(img.height(), true);
  for (int y = 0; y < img.height(); ++y) {
    const QRgb* line = reinterpret_cast<const QRgb*>(img.constScanLine(y));
    for (int x = 0; x < right; ++x)
      if (qGray(line[x]) < 235) {
        blank[y] = false;
        break;
      }
    if (!blank[y]) {
      if (first < 0) first = y;
      last = y;
    }
  }
  int run = 0;
  for (int y = qMax(0, first); y <= last; ++y) {
    run = blank[y] ? run + 1 : 0;
    out.longestBlank = qMax(out.longestBlank, run);
  }
  return out;
}

}  // namespace

class TestWindowEdges : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
  void init() { QSettings().clear(); }

  void diffReasonsAreReadableWithoutGaps_data() {
    QTest::addColumn<QString>("project");
    QTest::addColumn<int>("variant");
    QTest::addColumn<double>("fontScale");
    for (const char* p : {"django-postgres", "datascience-app"})
      for (auto k : {generate::VariantKind::MultiStage, generate::VariantKind::BuildKit})
        for (double scale : {1.0, 2.0})
          QTest::newRow(qPrintable(QString("%1 %2 x%3").arg(p, generate::variantId(k)).arg(scale))) << QString(p) << int(k) << scale;
  }

  void diffReasonsAreReadableWithoutGaps() {
    QFETCH(QString, project);
    QFETCH(int, variant);
    QFETCH(double, fontScale);
    const auto a = estimate::analyze(*estimate::openProject(example(qPrintable(project)).toStdString()), *testutil::knowledge(), {});
    const estimate::VariantResult* v = nullptr;
    for (const auto& x : a.variants)
      if (int(x.kind) == variant) v = &x;
    QVERIFY(v);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(mono.pointSizeF() * fontScale);  // as the window passes its zoomed editor font
    ui::ExportDockerfileDialog d(*v, a.variants.front().dockerfile, false, mono, "/tmp/Dockerfile.x", true);
    d.findChild<QTabWidget*>()->setCurrentWidget(d.diffView());
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QCoreApplication::processEvents();
    maybeScreenshot(d, QString("export-diff-%1-%2-x%3.png").arg(project, generate::variantId(generate::VariantKind(variant))).arg(fontScale));
    const DiffLook l = look(d.diffView());
    const double line = QFontMetricsF(d.diffView()->font()).lineSpacing();
    QVERIFY(l.reasons >= 2);
    // The reasons are text across most of the view, not a narrow column beside long code lines.
    QVERIFY2(l.narrowestReasons >= 0.6, qPrintable(QString("a reasons paragraph is %1 % of the width").arg(l.narrowestReasons * 100, 0, 'f', 0)));
    // No blank band beside or between hunks: at most a blank line of the Dockerfile and the
    // spacing around it.
    QVERIFY2(l.longestBlank <= 2.2 * line, qPrintable(QString("%1 px blank (a line is %2 px)").arg(l.longestBlank).arg(line)));
  }

  // One selection: a real click on a segment selects its variant in the table (the row painted
  // in the highlight), the details and the export dialog's default, and the chart marks the bar.
  void selectionIsShownEverywhere() {
    ui::MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openPath(example("flask-app")));
    QVERIFY(w.waitForAnalysis());
    auto* chart = w.variantChart();
    auto* table = w.variantTable();
    const int slim = w.document()->variantIndex("slim"), multi = w.document()->variantIndex("multistage");
    QVERIFY(slim > 0 && multi > 0);
    // The table's row: the chart marks the variant's bar (a band behind it, to the plot's right
    // edge), and no other bar.
    table->selectRow(slim);  // every variant shown: the rows are in the analysis' order
    QCOMPARE(w.selectedVariantId(), QString("slim"));
    QTest::qWait(100);
    auto bandAt = [&](int variant) {
      const QPoint seg = chart->segmentCentre(variant, 0);
      const QImage img = chart->grab().toImage();
      const QRectF plot = chart->chart()->plotArea();
      const QPoint p = chart->mapFromScene(chart->chart()->mapToScene(QPointF(plot.right() - 6, 0)));
      return img.pixelColor(p.x() * img.devicePixelRatio(), seg.y() * img.devicePixelRatio());
    };
    const QColor background = bandAt(w.document()->variantIndex("alpine"));  // the shortest bar
    QVERIFY2(!near(bandAt(slim), background, 12),
             qPrintable("the selected bar is not marked: " + bandAt(slim).name() + " beside the others' " + background.name()));
    // A click on a segment of another variant.
    const QPoint p = chart->segmentCentre(multi, 1);
    QVERIFY(!p.isNull());
    QTest::mouseMove(chart->viewport(), p);
    QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, p);
    QTRY_COMPARE(w.selectedVariantId(), QString("multistage"));
    QCOMPARE(table->currentIndex().row(), multi);
    QVERIFY(table->selectionModel()->isRowSelected(multi, {}));
    QVERIFY(!table->selectionModel()->isRowSelected(slim, {}));
    QVERIFY(w.detailsSummary().contains(generate::variantTitle(generate::VariantKind::MultiStage)));
    QTest::qWait(100);
    QVERIFY(!near(bandAt(multi), background, 12));
    QVERIFY2(near(bandAt(slim), background, 12), "the previous bar is still marked");
    maybeScreenshot(w, "selection-everywhere.png");
    // The export dialog exports what is selected.
    QString title;
    QTimer::singleShot(0, &w, [&] {
      if (auto* d = qobject_cast<QDialog*>(QApplication::activeModalWidget())) {
        title = d->windowTitle();
        d->reject();
      }
    });
    w.action("exportAction")->trigger();
    QVERIFY2(title.contains(generate::variantTitle(generate::VariantKind::MultiStage)), qPrintable(title));
  }

  // docker/Dockerfile builds from the folder above and reads ../requirements.txt: that file is in
  // the requirements tab (it said "(none)").
  void requirementsReadAboveAreShown() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    writeFile(dir / "requirements.txt", "flask==2.3.3\n# pinned for the workshop\n");
    writeFile(dir / "app.py", "print('hi')\n");
    writeFile(dir / "docker/Dockerfile",
              "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY app.py .\n");
    ui::MainWindow w;
    w.show();
    QVERIFY(w.openPath(QString::fromStdString((dir / "docker/Dockerfile").string())));
    QVERIFY(w.waitForAnalysis());
    QVERIFY(!w.analysis()->requirementFiles.empty());  // the analysis read it
    QVERIFY2(w.requirementsEditor()->toPlainText().contains("# pinned for the workshop"), qPrintable(w.requirementsEditor()->toPlainText()));
    const QString tab = w.editorsPane()->tabs()->tabText(1);
    QVERIFY2(!tab.contains("(none)") && tab.contains("requirements.txt"), qPrintable(tab));
    QVERIFY(!w.requirementsEditor()->isReadOnly());
    // Saved where it was read.
    w.requirementsEditor()->moveCursor(QTextCursor::End);
    w.requirementsEditor()->insertPlainText("requests==2.31.0\n");
    QVERIFY(w.saveAll());
    QVERIFY(testutil::readFile(dir / "requirements.txt").find("requests==2.31.0") != std::string::npos);
  }

  // A long analysis of a changed Dockerfile: the Problems list says its entries are of the text
  // before (greyed), the editor drops their marks until the analysis is done.
  void problemsOfTheTextBeforeAreMarkedStale() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nRUN pip install flask\nCOPY . /app\n");
    ui::MainWindow w;
    w.show();
    QVERIFY(w.openPath(tmp.path()));
    QVERIFY(w.waitForAnalysis());
    auto* problems = w.problemsList();
    QVERIFY(problems->topLevelItemCount() >= 2);
    QVERIFY(!w.dockerfileEditor()->markers().isEmpty());
    // Another text, long enough to analyse for a while (tens of thousands of layers).
    QString big = "FROM python:3.11\n";
    for (int i = 0; i < 30000; ++i) big += QString("RUN echo %1 > /f%1\n").arg(i);
    w.dockerfileEditor()->document()->setPlainText(big);
    QTRY_VERIFY_WITH_TIMEOUT(problems->headerItem()->text(0).contains("updating"), 5000);
    QVERIFY2(w.document()->isAnalysing(), "the analysis ended before the list said it was updating");
    QVERIFY(w.dockerfileEditor()->markers().isEmpty());
    const QColor grey = problems->palette().color(QPalette::Disabled, QPalette::Text);
    QCOMPARE(problems->topLevelItem(0)->foreground(0).color(), grey);
    maybeScreenshot(w, "problems-stale.png");
    QVERIFY(w.waitForAnalysis(120000));
    QTRY_VERIFY(!problems->headerItem()->text(0).contains("updating"));
    QVERIFY(!w.dockerfileEditor()->markers().isEmpty());
    QVERIFY(problems->topLevelItem(0)->foreground(0).color() != grey);
  }

  // A requirement the catalogue does not hold: its download is unknown, so is the build's time.
  void buildTimeOfUnknownPackagesIsALowerBound() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    writeFile(dir / "requirements.txt", "flask==2.3.3\nzz-internal-billing-lib==4.2.0\n");
    writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n");
    ui::MainWindow w;
    QVERIFY(w.openPath(tmp.path()));
    QVERIFY(w.waitForAnalysis());
    auto* table = w.variantTable();
    for (int r = 0; r < table->model()->rowCount(); ++r) {
      QVERIFY2(cell(table, r, ui::VariantTableModel::Disk).startsWith("≥"), qPrintable(cell(table, r, ui::VariantTableModel::Disk)));
      QVERIFY2(cell(table, r, ui::VariantTableModel::BuildCold).startsWith("≥"),
               qPrintable(cell(table, r, 0) + ": " + cell(table, r, ui::VariantTableModel::BuildCold)));
    }
    QVERIFY2(w.detailsSummary().contains("Build time is a lower bound") && w.detailsSummary().contains("zz-internal-billing-lib"),
             qPrintable(w.detailsSummary()));
  }

  // Exporting a .dockerignore into the project: the project line stops asking for one, and the
  // estimate follows the smaller build context.
  void projectLineFollowsAnExportedDockerignore() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    writeFile(dir / "requirements.txt", "flask==2.3.3\n");
    writeFile(dir / "app.py", "print('hi')\n");
    writeFile(dir / ".venv/lib/big.bin", std::string(3'000'000, 'v'));  // what a .dockerignore keeps out
    writeFile(dir / "Dockerfile", "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . /app\n");
    ui::MainWindow w;
    w.show();
    QVERIFY(w.openPath(tmp.path()));
    QVERIFY(w.waitForAnalysis());
    const QString folder = QFileInfo(tmp.path()).fileName();
    QVERIFY2(projectLine(w, folder).contains("no .dockerignore"), qPrintable(projectLine(w, folder)));
    const double before = w.variantTotalsMB().first();
    QVERIFY(w.exportDockerfile("slim", tmp.filePath("Dockerfile.slim"), true));
    QVERIFY(QFileInfo::exists(tmp.filePath(".dockerignore")));
    QTRY_VERIFY2(!projectLine(w, folder).contains("no .dockerignore"), qPrintable(projectLine(w, folder)));
    QVERIFY(projectLine(w, folder).contains(".dockerignore"));
    maybeScreenshot(w, "dockerignore-exported.png");
    QVERIFY(w.waitForAnalysis());
    QVERIFY2(w.variantTotalsMB().first() < before - 2.5, qPrintable(QString("%1 MB before, %2 after").arg(before).arg(w.variantTotalsMB().first())));
  }

  // An uncatalogued base: nothing of it is known. Its bar ends where the known layers end (no
  // hatched width standing for it), and after that end an open end with a "?" is drawn.
  void unknownIsAnOpenEndNotAWidth() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    writeFile(dir / "requirements.txt", "requests==2.31.0\n");
    writeFile(dir / "Dockerfile", "FROM registry.example.com/team/base:1.4\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n");
    ui::MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openPath(tmp.path()));
    QVERIFY(w.waitForAnalysis());
    QTest::qWait(100);
    auto* chart = w.variantChart();
    const auto& layers = w.analysis()->variants.front().estimate.layers;
    double known = 0;
    for (const auto& l : layers) known += static_cast<double>(l.disk.mid) / 1e6;
    QVERIFY(!w.analysis()->variants.front().estimate.coverage.complete);
    // No segment stands for what is unknown: the bar is what is known.
    QVERIFY2(qAbs(w.variantTotalsMB().first() - known) < 1e-6, qPrintable(QString("%1 vs %2").arg(w.variantTotalsMB().first()).arg(known)));
    for (auto* s : chart->chart()->series())
      if (auto* bars = qobject_cast<QHorizontalStackedBarSeries*>(s))
        for (auto* set : bars->barSets())
          for (int i = 0; i < set->count(); ++i)
            QVERIFY2(set->brush().style() != Qt::BDiagPattern || set->at(i) == 0.0, qPrintable(set->label() + " is hatched with a width"));
    // After the bar's end, in its row: the open end and its "?" (dark pixels), not on the scale.
    auto* series = qobject_cast<QHorizontalStackedBarSeries*>(chart->chart()->series().first());
    const int row = static_cast<int>(chart->shownVariants().size()) - 1;  // the user's bar is the top one
    const QPointF endAt = chart->chart()->mapToPosition(QPointF(known, row), series);
    const QPoint end = chart->mapFromScene(chart->chart()->mapToScene(endAt));
    const QImage img = chart->grab().toImage();
    const int em = QFontMetrics(chart->font()).height();
    int dark = 0;
    for (int x = end.x() + 3; x < qMin(img.width(), end.x() + 4 * em); ++x)
      for (int y = end.y() - em; y <= end.y() + em; ++y)
        if (y >= 0 && y < img.height() && qGray(img.pixel(x, y)) < 110) ++dark;
    maybeScreenshot(w, "unknown-open-end.png");
    QVERIFY2(dark > 20, qPrintable(QString("nothing drawn after the known part (%1 dark pixels)").arg(dark)));
  }
};

QTEST_MAIN(TestWindowEdges)
#include "test_window_edges.moc"
