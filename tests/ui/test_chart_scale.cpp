// The layer chart on a Dockerfile with hundreds of layers: at most kMaxSegments layers keep a
// segment of their own, runs of smaller ones are merged, every layer still maps to a segment,
// and the bar's total is unchanged (a 50k-layer bar once took 12 GB of bar items).
#include <QtTest>

#include <QBarSet>

#include <filesystem>
#include <fstream>
#include <set>

#include "estimate/analysis.h"
#include "variantchart.h"
#include "../knowledge.h"

using namespace slimbench;
namespace fs = std::filesystem;

class TestChartScale : public QObject {
  Q_OBJECT
 private slots:
  void manyLayersMerged() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    {
      std::ofstream df(dir / "Dockerfile");
      df << "FROM python:3.12-slim\n";
      for (int i = 0; i < 400; ++i) df << "RUN echo " << i << " > /f" << i << ".txt\n";
      df << "RUN pip install --no-cache-dir requests==2.31.0\n";
      for (int i = 0; i < 100; ++i) df << "RUN mkdir -p /d" << i << "\n";
    }
    auto project = estimate::openProject((dir / "Dockerfile").string());
    QVERIFY(project.ok());
    estimate::AnalysisOptions opt;
    auto a = std::make_shared<const estimate::Analysis>(estimate::analyze(*project, *testutil::knowledge(), opt));
    const auto& layers = a->variants.front().estimate.layers;
    QVERIFY(static_cast<int>(layers.size()) > ui::VariantChart::kMaxSegments * 5);

    ui::VariantChart chart;
    chart.resize(1000, 500);
    chart.setAnalysis(a, {0}, false);
    const int segments = chart.segmentCount(0);
    QVERIFY2(segments <= 2 * ui::VariantChart::kMaxSegments + 1, qPrintable(QString::number(segments)));
    QVERIFY(segments > 1);
    // Every layer is in a segment; the largest layers have one each.
    std::set<QBarSet*> distinct;
    int biggest = 0;
    for (int i = 0; i < static_cast<int>(layers.size()); ++i) {
      QBarSet* s = chart.layerSet(0, i);
      QVERIFY2(s, qPrintable(QString("layer %1 has no segment").arg(i)));
      distinct.insert(s);
      if (layers[size_t(i)].disk.mid > layers[size_t(biggest)].disk.mid) biggest = i;
    }
    QCOMPARE(static_cast<int>(distinct.size()), segments);
    QBarSet* big = chart.layerSet(0, biggest);
    int sharing = 0;
    for (int i = 0; i < static_cast<int>(layers.size()); ++i) sharing += chart.layerSet(0, i) == big;
    QCOMPARE(sharing, 1);
    // The drawn total is the sum of the layers (each merged run counted once).
    double sum = 0;
    for (const auto& l : layers) sum += static_cast<double>(l.disk.mid) / 1e6;
    QVERIFY(a->variants.front().estimate.coverage.complete);
    QVERIFY2(qAbs(chart.barTotalsMB().value(0) - sum) < 1e-6 * qMax(1.0, sum),
             qPrintable(QString("%1 vs %2").arg(chart.barTotalsMB().value(0)).arg(sum)));
  }
};

QTEST_MAIN(TestChartScale)
#include "test_chart_scale.moc"
