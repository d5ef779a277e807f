// Unknown is never zero, in the window: a project whose base image is not catalogued shows
// lower bounds (≥) in the table, an open end with a "?" after its bar in the chart and a summary
// that says what to supply; typing a size into the Base size field completes the estimate. The Context field
// sets the build context. Offscreen, with real key events into the fields.
#include <QtTest>

#include <QSettings>

#include <QBarSet>
#include <QHorizontalStackedBarSeries>
#include <QChart>
#include <QLineEdit>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>

#include "mainwindow.h"
#include "models.h"
#include "variantchart.h"
#include "../testutil.h"

using namespace slimbench;
namespace fs = std::filesystem;

namespace {
void writeFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}
QString cell(QTableView* t, int row, int col) { return t->model()->index(row, col).data().toString(); }
// The open ends drawn after the bars (one per bar with unknowns).
int openEnds(ui::VariantChart* c) {
  QTest::qWait(50);  // laid out after QtCharts
  int n = 0;
  for (int v : c->shownVariants()) n += c->openEndRect(v).isEmpty() ? 0 : 1;
  return n;
}
void typeInto(QLineEdit* e, const QString& text) {
  e->setFocus();
  e->selectAll();
  QTest::keyClick(e, Qt::Key_Delete);
  QTest::keyClicks(e, text);
  QTest::keyClick(e, Qt::Key_Return);  // editingFinished
}
}  // namespace

class TestUnknownUi : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
  // Settings are kept per project folder: each test starts from none (and from the defaults).
  void init() { QSettings().clear(); }
  void lowerBoundThenBaseSize();
  void badBaseSizeIsRefused();
  void contextField();
  // A measured few kB shows as "< 0.1 MB", never as a 0.0 that reads like "nothing".
  void smallIsNotZero() {
    using slimbench::ui::mb;
    QCOMPARE(mb(0), QString("0.0"));
    QCOMPARE(mb(20'000), QString("< 0.1"));
    QCOMPARE(mb(49'999), QString("< 0.1"));
    QCOMPARE(mb(50'000), QString("0.1"));
    QCOMPARE(mb(400'000, 0), QString("< 1"));
    QCOMPARE(mb(123'456'789), QString("123.5"));
  }
};

void TestUnknownUi::lowerBoundThenBaseSize() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "requirements.txt", "requests\n");
  writeFile(dir / "Dockerfile", "FROM registry.example.com/team/base:1.4\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n");
  ui::MainWindow w;
  w.resize(1400, 900);
  w.show();
  QVERIFY(w.openPath(tmp.path()));
  QVERIFY(w.waitForAnalysis());
  auto* table = w.variantTable();
  QVERIFY2(cell(table, 0, ui::VariantTableModel::Disk).startsWith("≥ "), qPrintable(cell(table, 0, ui::VariantTableModel::Disk)));
  QCOMPARE(openEnds(w.variantChart()), w.variantChart()->barCount());  // every variant has the unknown base
  QVERIFY(w.variantChart()->legendTexts().last().contains("not estimated"));
  QVERIFY2(w.detailsSummary().contains("Base size"), qPrintable(w.detailsSummary()));
  QVERIFY(w.variantChart()->barLabels().first().contains("≥"));

  auto* base = w.findChild<QLineEdit*>("baseSizeEdit");
  QVERIFY(base);
  typeInto(base, "350MB");
  QVERIFY(w.waitForAnalysis());
  const QString disk = cell(table, 0, ui::VariantTableModel::Disk);
  QVERIFY2(!disk.startsWith("≥"), qPrintable(disk));
  const double mb = disk.split(' ').first().toDouble();
  QVERIFY2(mb >= 350 && mb < 400, qPrintable(disk));  // the base plus requests
  QCOMPARE(openEnds(w.variantChart()), 0);
  QVERIFY(!w.variantChart()->legendTexts().join(' ').contains("not estimated"));
}

void TestUnknownUi::badBaseSizeIsRefused() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "Dockerfile", "FROM registry.example.com/team/base:1.4\nCMD [\"true\"]\n");
  ui::MainWindow w;
  w.show();
  QVERIFY(w.openPath(tmp.path()));
  QVERIFY(w.waitForAnalysis());
  auto* base = w.findChild<QLineEdit*>("baseSizeEdit");
  typeInto(base, "12XB");
  QVERIFY2(base->toolTip().contains("unknown unit"), qPrintable(base->toolTip()));
  QVERIFY(base->styleSheet().contains("border"));
  QVERIFY(cell(w.variantTable(), 0, ui::VariantTableModel::Disk).startsWith("≥"));
}

void TestUnknownUi::contextField() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "src/app.py", std::string(2'000'000, 'x'));
  writeFile(dir / "docker/Dockerfile", "FROM python:3.12-slim\nCOPY src /app\n");
  ui::MainWindow w;
  w.show();
  QVERIFY(w.openPath(QString::fromStdString((dir / "docker/Dockerfile").string())));
  QVERIFY(w.waitForAnalysis());
  // Found from the COPY sources: the project root, so src/ is measured.
  QVERIFY(!cell(w.variantTable(), 0, ui::VariantTableModel::Disk).startsWith("≥"));
  auto* ctx = w.findChild<QLineEdit*>("contextEdit");
  QVERIFY(ctx);
  typeInto(ctx, QString::fromStdString((dir / "docker").string()));
  QVERIFY(w.waitForAnalysis());
  // src is not in docker/: the COPY is unknown, the total a lower bound.
  QVERIFY(cell(w.variantTable(), 0, ui::VariantTableModel::Disk).startsWith("≥"));
  QVERIFY(w.detailsSummary().contains("Context"));
}

QTEST_MAIN(TestUnknownUi)
#include "test_unknown_ui.moc"
