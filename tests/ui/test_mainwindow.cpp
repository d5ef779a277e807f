// The window offscreen: an example opens, the chart has one bar per variant with
// the core's totals, and a malformed Dockerfile shows its diagnostic.
#include <QtTest>

#include <QChartView>
#include <QTemporaryDir>
#include <QTreeWidget>

#include "embedded_resources.h"
#include "estimate/analysis.h"
#include "mainwindow.h"
#include "../testutil.h"

using namespace slimbench;

class TestMainWindow : public QObject {
  Q_OBJECT
 private slots:
  void chartMatchesCore();
  void malformedDockerfileShowsDiagnostic();
};

void TestMainWindow::chartMatchesCore() {
  const std::string dir = testutil::sourceDir() + "/resources/examples/django-postgres";
  ui::MainWindow w;
  QVERIFY(w.openPath(QString::fromStdString(dir)));
  QCOMPARE(w.variantIds(), QStringList({"original", "fat", "alpine", "slim", "multistage", "buildkit"}));
  auto k = estimate::loadKnowledge([](std::string_view p) { return resources::find(p); });
  QVERIFY(k.ok());
  auto a = estimate::analyze(*estimate::openProject(dir), **k, {});
  for (int i = 0; i < 6; ++i)
    QVERIFY(qAbs(w.variantTotalsMB()[i] - static_cast<double>(a.variants[i].estimate.disk.mid) / 1e6) < 0.5);
  QVERIFY(w.chartView()->chart() != nullptr);
  QCOMPARE(w.structureTree()->topLevelItemCount(), 1);
}

void TestMainWindow::malformedDockerfileShowsDiagnostic() {
  QTemporaryDir tmp;
  QFile f(tmp.filePath("Dockerfile"));
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("FROM python:3.12-slim\nCMD [\"a\", 1]\n");
  f.close();
  ui::MainWindow w;
  w.openPath(tmp.path());
  QVERIFY(w.statusText().contains("Dockerfile:2"));
  QVERIFY(w.statusText().contains("strings only"));
  // Still usable: a good project opens afterwards.
  QVERIFY(w.openPath(QString::fromStdString(testutil::sourceDir() + "/resources/examples/flask-app")));
  QCOMPARE(w.variantIds().size(), 6);
}

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
