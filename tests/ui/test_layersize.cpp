// Your own figure for a layer slimbench does not know, typed into the layer table: only the size
// cell of an unknown (or already given) layer of your Dockerfile is editable; a size is handed on
// with its line, an empty cell clears it, and text that is not a size is refused with the reason.
#include <QtTest>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>

#include "estimate/analysis.h"
#include "models.h"
#include "../knowledge.h"

using namespace slimbench;
namespace fs = std::filesystem;

class TestLayerSize : public QObject {
  Q_OBJECT
 private slots:
  void onlyUnknownLayersOfYoursAreEditable();
};

void TestLayerSize::onlyUnknownLayersOfYoursAreEditable() {
  QTemporaryDir dir;
  const fs::path root(dir.path().toStdString());
  std::ofstream(root / "requirements.txt") << "flask\n";
  std::ofstream(root / "Dockerfile") << "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                                        "RUN pip install --no-cache-dir -r requirements.txt\nRUN ./build-assets.sh\n";
  auto p = estimate::openProject(root.string());
  QVERIFY(p);
  estimate::AnalysisOptions o;
  o.threads = 1;
  auto a = std::make_shared<const estimate::Analysis>(estimate::analyze(*p, *testutil::knowledge(), o));
  ui::LayerModel m;
  m.setVariant(a, 0, false);
  int unknownRow = -1, knownRow = -1;
  for (int r = 0; r < m.rowCount(); ++r) {
    const int line = m.index(r, ui::LayerModel::Line).data(ui::LineRole).toInt();
    if (line == 5) unknownRow = r;
    if (line == 4) knownRow = r;
  }
  QVERIFY(unknownRow >= 0 && knownRow >= 0);
  const auto size = [&](int row) { return m.index(row, ui::LayerModel::Size); };
  QVERIFY(m.flags(size(unknownRow)) & Qt::ItemIsEditable);
  QVERIFY(!(m.flags(size(knownRow)) & Qt::ItemIsEditable));
  QVERIFY(!(m.flags(m.index(unknownRow, ui::LayerModel::Instruction)) & Qt::ItemIsEditable));

  QSignalSpy given(&m, &ui::LayerModel::layerSizeGiven);
  QSignalSpy rejected(&m, &ui::LayerModel::layerSizeRejected);
  QVERIFY(m.setData(size(unknownRow), "35 MB", Qt::EditRole));
  QCOMPARE(given.count(), 1);
  QCOMPARE(given.at(0).at(0).toInt(), 5);
  QCOMPARE(given.at(0).at(1).toLongLong(), 35'000'000LL);
  QVERIFY(!m.setData(size(unknownRow), "a lot", Qt::EditRole));
  QCOMPARE(rejected.count(), 1);
  QVERIFY(!rejected.at(0).at(1).toString().isEmpty());
  QVERIFY(m.setData(size(unknownRow), "", Qt::EditRole));
  QCOMPARE(given.at(1).at(1).toLongLong(), -1LL);
  QVERIFY(!m.setData(size(knownRow), "1 MB", Qt::EditRole));
  QCOMPARE(given.count(), 2);

  // A variant's layers are not yours to size: only your Dockerfile's.
  ui::LayerModel variantModel;
  variantModel.setVariant(a, 3, false);
  for (int r = 0; r < variantModel.rowCount(); ++r)
    QVERIFY(!(variantModel.flags(variantModel.index(r, ui::LayerModel::Size)) & Qt::ItemIsEditable));
}

QTEST_MAIN(TestLayerSize)
#include "test_layersize.moc"
