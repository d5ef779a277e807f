// The image window offscreen: a real podman fixture loads on the worker thread,
// the layer table equals the core's layers, the tree filter finds a file, a
// whiteout'd file is gone from the final tree (and marked removed at its layer),
// the wasted list matches the analysis, garbage shows an error and the window
// stays usable, and "Compare with estimate" fills its table for a project.
#include <QAbstractItemModelTester>
#include <QtTest>

#include <QChartView>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QLogValueAxis>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeView>

#include <filesystem>
#include <fstream>

#include "../imagegen.h"
#include "../testutil.h"
#include "image/analyze.h"
#include "image/image.h"
#include "imagemodels.h"
#include "imagewindow.h"

using namespace slimbench;
using ui::FileTreeModel;
namespace fs = std::filesystem;

namespace {

QString fixture(const char* name) { return testutil::q(testutil::sourceDir() + "/tests/data/images/" + name); }

// Every proxy row whose path is `path` (searching the whole filtered tree).
bool proxyHasPath(const QAbstractItemModel* m, const QString& path, const QModelIndex& parent = {}) {
  for (int r = 0; r < m->rowCount(parent); ++r) {
    QModelIndex i = m->index(r, 0, parent);
    if (i.data(FileTreeModel::kPathRole).toString() == path) return true;
    if (proxyHasPath(m, path, i)) return true;
  }
  return false;
}

int proxyRows(const QAbstractItemModel* m, const QModelIndex& parent = {}) {
  int n = 0;
  for (int r = 0; r < m->rowCount(parent); ++r) n += 1 + proxyRows(m, m->index(r, 0, parent));
  return n;
}

void writeFile(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << data;
}

void maybeScreenshot(QWidget& w, const QString& name) {
  const QByteArray dir = qgetenv("SLIMBENCH_SCREENSHOT_DIR");
  if (dir.isEmpty()) return;
  w.show();
  QTest::qWait(200);
  QVERIFY(w.grab().save(QString::fromLocal8Bit(dir) + "/" + name, "PNG"));
}

}  // namespace

class TestImageWindow : public QObject {
  Q_OBJECT
 private slots:
  void layersMatchCore_data();
  void layersMatchCore();
  void treeFilterAndWhiteouts();
  void treeModelOverRemovedFolders();
  void wastedAndFindings();
  void garbageShowsErrorAndStaysUsable();
  void compareWithEstimate();
  void unrelatedProjectIsNotCompared();
  void dominantLayerChartIsReadable();
  void notEstimatedLayersHaveNoError();
};

void TestImageWindow::layersMatchCore_data() {
  QTest::addColumn<QString>("file");
  QTest::newRow("docker-archive") << fixture("tiny.docker.tar.gz");
  QTest::newRow("oci-archive") << fixture("tiny.oci.tar");
  QTest::newRow("oci-dir") << fixture("tiny.oci");
}

void TestImageWindow::layersMatchCore() {
  QFETCH(QString, file);
  ui::ImageWindow w;
  QSignalSpy spy(&w, &ui::ImageWindow::loaded);
  QVERIFY(w.openImage(file));
  QVERIFY(w.isBusy());
  QVERIFY(spy.wait(30000));
  QCOMPARE(spy.front().front().toBool(), true);
  QVERIFY(!w.isBusy());
  auto core = image::open(file.toStdString(), {});
  QVERIFY(core.ok());
  auto* m = w.layerModel();
  QCOMPARE(m->rowCount(), static_cast<int>(core->layers.size()));
  QCOMPARE(m->rowCount(), 3);
  for (int r = 0; r < m->rowCount(); ++r) {
    const auto& l = core->layers[std::size_t(r)];
    QCOMPARE(m->index(r, ui::LayerTableModel::Size).data(ui::kSortRole).toULongLong(), qulonglong(l.size));
    QCOMPARE(m->index(r, ui::LayerTableModel::Compressed).data(ui::kSortRole).toULongLong(), qulonglong(l.compressedSize));
    QCOMPARE(m->index(r, ui::LayerTableModel::Added).data(ui::kSortRole).toULongLong(), qulonglong(l.added.count));
    QCOMPARE(m->index(r, ui::LayerTableModel::Removed).data(ui::kSortRole).toULongLong(), qulonglong(l.removed.count));
    QCOMPARE(m->index(r, ui::LayerTableModel::CreatedBy).data().toString(), QString::fromStdString(l.createdBy));
  }
  // podman history's sizes (tiny.history.json): newest first.
  QCOMPARE(m->index(0, ui::LayerTableModel::Size).data(ui::kSortRole).toULongLong(), 13312ull);
  QCOMPARE(m->index(1, ui::LayerTableModel::Size).data(ui::kSortRole).toULongLong(), 7168ull);
  QCOMPARE(m->index(2, ui::LayerTableModel::Size).data(ui::kSortRole).toULongLong(), 6656ull);
  QCOMPARE(w.currentLayer(), 2);
  QVERIFY(w.errorText().isEmpty());
  QVERIFY(w.chartView()->chart() && !w.chartView()->chart()->series().isEmpty());
}

// The model reads the core trees directly: a folder removed by a whiteout shows
// with its files (removed), every index round-trips through parent(), and Qt's
// model tester finds no inconsistency at any layer.
void TestImageWindow::treeModelOverRemovedFolders() {
  auto l1 = imagegen::layer({{"d/sub/x", "1"}, {"d/sub/y", "22"}, {"d/sub/deeper/z", "333"}, {"d/keep", "k"}, {"e/f", "f"}});
  auto l2 = imagegen::layer({{"d/.wh.sub"}, {"d/new", "nn"}, {"e/.wh..wh..opq"}, {"e/g", "g"}});
  QTemporaryDir tmp;
  auto p = fs::path(tmp.path().toStdString()) / "removed.tar";
  imagegen::writeTar(p, imagegen::dockerArchive({l1, l2}, imagegen::config({l1, l2})));
  auto img = image::open(p.string(), {});
  QVERIFY(img.ok());
  auto shared = std::make_shared<image::Image>(std::move(*img));
  auto t0 = image::treeAt(*shared, 0);
  QVERIFY(t0.ok());
  auto prev = std::make_shared<const image::FileTree>(std::move(*t0));
  std::shared_ptr<const image::FileTree> cur(shared, &shared->tree);
  FileTreeModel m;
  QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
  m.setTrees(prev, nullptr, 0);
  m.setTrees(cur, prev, 1);
  auto mark = [&](const char* path) {
    QModelIndex i = m.findPath(path);
    return i.isValid() ? static_cast<FileTreeModel::Mark>(i.data(FileTreeModel::kMarkRole).toInt()) : FileTreeModel::Mark(-1);
  };
  QCOMPARE(mark("/d/sub"), FileTreeModel::Mark::Removed);
  QCOMPARE(mark("/d/sub/deeper/z"), FileTreeModel::Mark::Removed);
  QCOMPARE(mark("/e/f"), FileTreeModel::Mark::Removed);
  QCOMPARE(mark("/e/g"), FileTreeModel::Mark::Added);
  QCOMPARE(mark("/d/new"), FileTreeModel::Mark::Added);
  QCOMPARE(mark("/d/keep"), FileTreeModel::Mark::Unchanged);
  QCOMPARE(mark("/d"), FileTreeModel::Mark::Modified);
  QModelIndex z = m.findPath("/d/sub/deeper/z");
  QCOMPARE(z.data(FileTreeModel::kPathRole).toString(), QString("/d/sub/deeper/z"));
  QCOMPARE(m.index(z.row(), FileTreeModel::Size, z.parent()).data(ui::kSortRole).toULongLong(), 3ull);
  QCOMPARE(z.parent(), m.findPath("/d/sub/deeper"));
  QCOMPARE(z.parent().parent(), m.findPath("/d/sub"));
  QCOMPARE(z.parent().parent().parent(), m.findPath("/d"));
  // /d shows keep, new (its own) and sub (removed): 3 rows; sub shows x, y, deeper.
  QCOMPARE(m.rowCount(m.findPath("/d")), 3);
  QCOMPARE(m.rowCount(m.findPath("/d/sub")), 3);
  // Every index round-trips.
  std::function<int(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
    int n = 0;
    for (int r = 0; r < m.rowCount(parent); ++r) {
      QModelIndex i = m.index(r, 0, parent);
      if (i.parent() != parent || i.row() != r) return -1000;
      QModelIndex again = m.findPath(i.data(FileTreeModel::kPathRole).toString());
      if (again != i) return -1000;
      n += 1 + walk(i);
    }
    return n;
  };
  QCOMPARE(walk({}), 11);  // d, e; keep, new, sub; x, y, deeper; z; g, f
  m.setTrees(cur, nullptr, -1);
  QVERIFY(!m.findPath("/d/sub").isValid());
}

void TestImageWindow::treeFilterAndWhiteouts() {
  ui::ImageWindow w;
  QSignalSpy spy(&w, &ui::ImageWindow::loaded);
  QVERIFY(w.openImage(fixture("tiny.oci.tar")));
  QVERIFY(spy.wait(30000));
  auto* tm = w.treeModel();
  auto* proxy = w.treeProxy();
  // The final tree (layer 3): the sizes of the core's merged tree; whiteout'd files absent.
  auto core = image::open(fixture("tiny.oci.tar").toStdString(), {});
  QVERIFY(core.ok());
  QModelIndex data = tm->findPath("/app/data.bin");
  QVERIFY(data.isValid());
  QCOMPARE(tm->index(data.row(), FileTreeModel::Size, data.parent()).data(ui::kSortRole).toULongLong(), 2000ull);
  QCOMPARE(tm->index(data.row(), FileTreeModel::Layer, data.parent()).data(ui::kSortRole).toInt(), 1);
  QModelIndex app = tm->findPath("/app");
  QCOMPARE(tm->index(app.row(), FileTreeModel::Size, app.parent()).data(ui::kSortRole).toULongLong(),
           qulonglong(core->tree.node(core->tree.find("/app")).totalSize));
  QVERIFY(!tm->findPath("/app/old.txt").isValid());
  QVERIFY(!tm->findPath("/app/cache/a.txt").isValid());
  QVERIFY(tm->findPath("/app/cache/c.txt").isValid());
  QVERIFY(!proxyHasPath(proxy, "/app/old.txt"));

  // Filter: finds a known file, hides the rest (its parents stay).
  w.filterEdit()->setText("hello");
  QVERIFY(proxyHasPath(proxy, "/app/hello.txt"));
  QVERIFY(proxyHasPath(proxy, "/app"));
  QVERIFY(!proxyHasPath(proxy, "/app/data.bin"));
  QVERIFY(!proxyHasPath(proxy, "/usr"));
  w.filterEdit()->setText("DIST-INFO");  // case-insensitive
  QVERIFY(proxyHasPath(proxy, "/usr/lib/python3/dist-packages/demo-1.0.dist-info/METADATA"));
  w.filterEdit()->clear();

  // Sorted by size, largest first, at the top level.
  QCOMPARE(proxy->index(0, 0).data(FileTreeModel::kPathRole).toString(), QString("/app"));

  // Layer 2 (index 1): the whiteouts show as removed, the rewrite as changed, c.txt as added.
  w.selectLayer(1);
  QCOMPARE(w.currentLayer(), 1);
  auto mark = [&](const char* p) {
    QModelIndex i = tm->findPath(p);
    return i.isValid() ? static_cast<FileTreeModel::Mark>(i.data(FileTreeModel::kMarkRole).toInt()) : FileTreeModel::Mark(-1);
  };
  QCOMPARE(mark("/app/old.txt"), FileTreeModel::Mark::Removed);
  QCOMPARE(mark("/app/cache/a.txt"), FileTreeModel::Mark::Removed);
  QCOMPARE(mark("/app/data.bin"), FileTreeModel::Mark::Changed);
  QCOMPARE(mark("/app/cache/c.txt"), FileTreeModel::Mark::Added);
  QCOMPARE(mark("/app/hello.txt"), FileTreeModel::Mark::Unchanged);
  QCOMPARE(mark("/app"), FileTreeModel::Mark::Modified);
  // "Only this layer's changes": the per-layer diff.
  w.changesOnlyBox()->setChecked(true);
  QVERIFY(proxyHasPath(proxy, "/app/old.txt"));
  QVERIFY(proxyHasPath(proxy, "/app/data.bin"));
  QVERIFY(!proxyHasPath(proxy, "/app/hello.txt"));
  QVERIFY(!proxyHasPath(proxy, "/root/.cache/pip/wheel"));
  maybeScreenshot(w, "imagewindow-layer2-diff.png");
  w.changesOnlyBox()->setChecked(false);
  // Layer 1: everything added; old.txt still there.
  w.selectLayer(0);
  QCOMPARE(mark("/app/old.txt"), FileTreeModel::Mark::Added);
  QVERIFY(!tm->findPath("/usr").isValid());
  // The table follows.
  QCOMPARE(w.layerView()->currentIndex().row(), 0);
  w.selectLayer(2);
  QVERIFY(!tm->findPath("/app/old.txt").isValid());
  QCOMPARE(mark("/usr/lib/python3/dist-packages/demo-1.0.dist-info/METADATA"), FileTreeModel::Mark::Added);
  maybeScreenshot(w, "imagewindow-files.png");
}

void TestImageWindow::wastedAndFindings() {
  ui::ImageWindow w;
  QSignalSpy spy(&w, &ui::ImageWindow::loaded);
  QVERIFY(w.openImage(fixture("tiny.oci")));
  QVERIFY(spy.wait(30000));
  QVERIFY(w.analysis());
  auto* t = w.wastedTable();
  QCOMPARE(t->rowCount(), 4);
  QCOMPARE(t->item(0, 0)->text(), QString("/app/data.bin"));
  QCOMPARE(t->item(0, 1)->text(), QString("2"));
  QCOMPARE(t->item(0, 2)->data(ui::kSortRole).toDouble(), 5000.0);
  QCOMPARE(w.findingsTable()->rowCount(), static_cast<int>(w.analysis()->findings.size()));
  QVERIFY(w.findingsTable()->rowCount() > 0);
  w.tabs()->setCurrentIndex(1);
  maybeScreenshot(w, "imagewindow-wasted.png");
}

void TestImageWindow::garbageShowsErrorAndStaysUsable() {
  QTemporaryDir tmp;
  const QString garbage = tmp.filePath("garbage.tar");
  {
    QFile f(garbage);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QByteArray junk(70000, '\0');
    for (int i = 0; i < junk.size(); ++i) junk[i] = char((i * 2654435761u) >> 11);
    f.write(junk);
  }
  ui::ImageWindow w;
  QSignalSpy spy(&w, &ui::ImageWindow::loaded);
  // Missing file: refused at once.
  QVERIFY(!w.openImage(tmp.filePath("missing.tar")));
  QVERIFY(w.errorText().contains("no such file"));
  // Garbage: read on the worker, error in the window.
  QVERIFY(w.openImage(garbage));
  QVERIFY(spy.wait(30000));
  QCOMPARE(spy.takeFirst().front().toBool(), false);
  QVERIFY(!w.errorText().isEmpty());
  QVERIFY(w.errorText().contains("garbage.tar"));
  QCOMPARE(w.layerModel()->rowCount(), 0);
  QVERIFY(!w.image());
  w.selectLayer(0);  // harmless without an image
  // An empty folder is not an image either.
  QVERIFY(w.openImage(tmp.path()));
  QVERIFY(spy.wait(30000));
  QCOMPARE(spy.takeFirst().front().toBool(), false);
  maybeScreenshot(w, "imagewindow-error.png");
  // Still usable.
  QVERIFY(w.openImage(fixture("tiny.docker.tar.gz")));
  QVERIFY(spy.wait(30000));
  QCOMPARE(spy.takeFirst().front().toBool(), true);
  QVERIFY(w.errorText().isEmpty());
  QCOMPARE(w.layerModel()->rowCount(), 3);
  // Two opens in a row: the last one wins.
  QVERIFY(w.openImage(garbage));
  QVERIFY(w.openImage(fixture("tiny.oci.tar")));
  QTRY_VERIFY_WITH_TIMEOUT(!w.isBusy(), 30000);
  QCOMPARE(w.layerModel()->rowCount(), 3);
  QVERIFY(w.errorText().isEmpty());
}

namespace {
// A FROM scratch project recreating the fixture's layers (see tests/data/images/README.md).
void writeTinyProject(const fs::path& dir) {
  writeFile(dir / "Dockerfile",
            "FROM scratch\nCOPY l1/ /\nRUN rm /app/old.txt /app/cache/* && rewrite /app/data.bin\nCOPY l3/ /\n");
  writeFile(dir / "l1/app/hello.txt", "hello\n");
  writeFile(dir / "l1/app/old.txt", "old file, removed in layer 2\n");
  writeFile(dir / "l1/app/data.bin", std::string(3000, 'x'));
  writeFile(dir / "l1/app/cache/a.txt", "a\n");
  writeFile(dir / "l1/app/cache/b.txt", "b\n");
  writeFile(dir / "l1/root/.cache/pip/wheel", std::string(1500, 'p'));
  writeFile(dir / "l3/tmp/demo-1.0-py3-none-any.whl", std::string(800, 'w'));
  writeFile(dir / "l3/usr/lib/python3/dist-packages/demo-1.0.dist-info/METADATA", "Name: demo\n");
}
}  // namespace

void TestImageWindow::compareWithEstimate() {
  QTemporaryDir tmp;
  writeTinyProject(tmp.path().toStdString());

  ui::ImageWindow w;
  QVERIFY(!w.tabs()->isTabVisible(3));
  QSignalSpy ready(&w, &ui::ImageWindow::comparisonReady);
  // As the main window does it: open, then set the project while the image still loads.
  QVERIFY(w.openImage(fixture("tiny.oci.tar")));
  w.setProject(tmp.path());
  QVERIFY(w.tabs()->isTabVisible(3));
  QVERIFY(ready.wait(60000));
  QCOMPARE(ready.front().front().toBool(), true);
  QTRY_VERIFY_WITH_TIMEOUT(!w.isBusy(), 30000);
  const auto* c = w.comparison();
  QVERIFY(c);
  QCOMPARE(c->matched, 3);
  auto* t = w.compareTable();
  QCOMPARE(t->rowCount(), 4);  // 3 layers + total
  QCOMPARE(t->item(0, 3)->data(ui::kSortRole).toDouble(), 4539.0);
  QCOMPARE(t->item(0, 6)->text(), QString("+0.0 %"));
  QCOMPARE(t->item(3, 0)->text(), QString("Total"));
  QCOMPARE(t->item(3, 3)->data(ui::kSortRole).toDouble(), double(4539 + 2002 + 811));
  w.tabs()->setCurrentIndex(3);
  maybeScreenshot(w, "imagewindow-compare.png");

  // A project that does not parse: the message, not a crash.
  QTemporaryDir bad;
  writeFile(fs::path(bad.path().toStdString()) / "Dockerfile", "FROM python:3.12-slim\nCMD [\"a\", 1]\n");
  ready.clear();
  w.setProject(bad.path());
  QVERIFY(ready.wait(60000));
  QTRY_VERIFY_WITH_TIMEOUT(!w.isBusy(), 30000);
  QVERIFY(ready.front().front().toBool() == false || w.comparison() != nullptr);
}

void TestImageWindow::unrelatedProjectIsNotCompared() {
  // A bundled example has nothing to do with the fixture: no numbers until the user decides.
  const QString unrelated = testutil::q(testutil::sourceDir() + "/resources/examples/flask-app");
  QTemporaryDir tmp;
  writeTinyProject(tmp.path().toStdString());
  ui::ImageWindow w;
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QSignalSpy ready(&w, &ui::ImageWindow::comparisonReady);
  QVERIFY(w.openImage(fixture("tiny.oci.tar")));
  w.setProject(unrelated);
  w.tabs()->setCurrentIndex(3);
  QVERIFY(ready.wait(60000));
  QCOMPARE(ready.front().front().toBool(), false);
  QTRY_VERIFY_WITH_TIMEOUT(!w.isBusy(), 30000);
  QVERIFY(!w.comparison());
  QCOMPARE(w.compareTable()->rowCount(), 0);
  QVERIFY2(w.compareBannerText().contains("History match 0.25"), qPrintable(w.compareBannerText()));
  auto* anyway = w.findChild<QPushButton*>("compareAnywayButton");
  auto* choose = w.findChild<QPushButton*>("chooseDockerfileButton");
  QVERIFY(anyway && choose);
  QVERIFY(anyway->isVisible() && choose->isVisible());

  // "Compare anyway": the table, under a visible warning.
  QTest::mouseClick(anyway, Qt::LeftButton);
  QVERIFY(w.comparison());
  QVERIFY(w.compareTable()->rowCount() > 0);
  QVERIFY(w.compareBannerText().contains("Compared anyway"));
  QVERIFY(w.findChild<QWidget*>("compareBanner")->isVisible());
  QVERIFY(!anyway->isVisible());
  QVERIFY(!ui::ImageWindow::historyMatch(*w.comparison()).enough());

  // "Choose Dockerfile…": the matching one compares without a banner.
  w.setDockerfileChooser([&] { return tmp.filePath("Dockerfile"); });
  ready.clear();
  QTest::mouseClick(choose, Qt::LeftButton);
  QVERIFY(ready.wait(60000));
  QCOMPARE(ready.front().front().toBool(), true);
  QTRY_VERIFY_WITH_TIMEOUT(!w.isBusy(), 30000);
  QVERIFY(w.compareBannerText().isEmpty());
  const auto hm = ui::ImageWindow::historyMatch(*w.comparison());
  QCOMPARE(hm.ownLayers, 3);
  QVERIFY(hm.enough());
  QCOMPARE(w.comparison()->matched, 3);
}

void TestImageWindow::dominantLayerChartIsReadable() {
  // A big base layer under small ones: the layer chart switches to a log scale so every layer
  // shows, with a short axis title; dive's ratio is explained.
  QTemporaryDir tmp;
  auto l1 = imagegen::layer({{"base/big", std::string(3'000'000, 'b')}});
  auto l2 = imagegen::layer({{"app/a", std::string(2'000, 'a')}, {"base/big", std::string(10, 'c')}});
  auto l3 = imagegen::layer({{"app/b", std::string(20'000, 'x')}});
  const fs::path p = fs::path(tmp.path().toStdString()) / "big.tar";
  imagegen::writeTar(p, imagegen::dockerArchive({l1, l2, l3}, imagegen::config({l1, l2, l3})));
  ui::ImageWindow w;
  w.show();
  QSignalSpy loaded(&w, &ui::ImageWindow::loaded);
  QVERIFY(w.openImage(testutil::q(p.string())));
  QVERIFY(loaded.wait(30000));
  QTRY_VERIFY_WITH_TIMEOUT(!w.isBusy(), 30000);
  auto* chart = w.chartView()->chart();
  const auto axes = chart->axes(Qt::Vertical);
  QCOMPARE(axes.size(), 1);
  auto* log = qobject_cast<QLogValueAxis*>(axes.first());
  QVERIFY(log);
  QVERIFY(log->titleText().size() <= 12);  // fits beside a short chart
  QVERIFY(chart->title().contains("log scale"));
  maybeScreenshot(w, "imagewindow-log.png");
  // The wasted-space summary: dive's percent and the same ratio as a multiple, with a tooltip.
  QLabel* summary = nullptr;
  for (auto* l : w.findChildren<QLabel*>())
    if (l->text().contains("user wasted")) summary = l;
  QVERIFY(summary);
  const auto* a = w.analysis();
  QVERIFY(a && a->userBytes > 0);
  QVERIFY2(summary->text().contains(QString("%1 % as dive shows it").arg(a->wastedUserPercent * 100.0, 0, 'f', 1)), qPrintable(summary->text()));
  QVERIFY2(summary->text().contains(QString("%1×").arg(a->wastedUserPercent, 0, 'f', a->wastedUserPercent >= 10 ? 1 : 2)), qPrintable(summary->text()));
  QVERIFY(summary->toolTip().contains("highestUserWastedPercent"));
}

QTEST_MAIN(TestImageWindow)
#include "test_imagewindow.moc"

// A layer the estimate has no figure for (a RUN of a script: what it writes is not modelled) is
// "not estimated" in the Compare tab — not "0 B", "0 B – 0 B" and "−100 %" — and the total's
// error leaves it out, saying so (it read −93 %: 3.8 kB estimated against 54 kB, 50 kB of which
// nothing estimated).
void TestImageWindow::notEstimatedLayersHaveNoError() {
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  writeFile(dir / "project/Dockerfile", "FROM scratch\nCOPY app/ /app/\nRUN /app/build-everything.sh --all\nCOPY more/ /more/\n");
  writeFile(dir / "project/app/a.txt", std::string(3000, 'a'));
  writeFile(dir / "project/more/b.txt", std::string(800, 'b'));
  // The image that Dockerfile built: the script wrote 50 kB.
  std::vector<imagegen::Layer> layers = {imagegen::layer({imagegen::Entry("app/a.txt", std::string(3000, 'a'))}),
                                         imagegen::layer({imagegen::Entry("opt/built.bin", std::string(50000, 'x'))}),
                                         imagegen::layer({imagegen::Entry("more/b.txt", std::string(800, 'b'))})};
  nlohmann::json history = nlohmann::json::array({{{"created_by", "/bin/sh -c #(nop) COPY dir:1f2e in /app/ "}},
                                                  {{"created_by", "/bin/sh -c /app/build-everything.sh --all"}},
                                                  {{"created_by", "/bin/sh -c #(nop) COPY dir:9a8b in /more/ "}}});
  const fs::path archive = dir / "image.tar";
  imagegen::writeTar(archive, imagegen::dockerArchive(layers, imagegen::config(layers, history)));

  ui::ImageWindow w;
  QSignalSpy ready(&w, &ui::ImageWindow::comparisonReady);
  QVERIFY(w.openImage(testutil::q(archive.string())));
  w.setProject(testutil::q((dir / "project").string()));
  QVERIFY(ready.wait(60000));
  QTRY_VERIFY_WITH_TIMEOUT(!w.isBusy(), 30000);
  QVERIFY2(ready.front().front().toBool(), qPrintable(w.compareBannerText()));
  auto* t = w.compareTable();
  QCOMPARE(t->rowCount(), 4);
  int runRow = -1;
  for (int r = 0; r < 3; ++r)
    if (t->item(r, 1)->text() == "3") runRow = r;
  QVERIFY(runRow >= 0);
  QCOMPARE(t->item(runRow, 3)->data(ui::kSortRole).toDouble(), 50000.0);  // measured
  QCOMPARE(t->item(runRow, 4)->text(), QString("not estimated"));       // no "0 B"
  QVERIFY2(!t->item(runRow, 5)->text().contains("0 B"), qPrintable(t->item(runRow, 5)->text()));
  QCOMPARE(t->item(runRow, 6)->text(), QString("not estimated"));       // no "−100 %"
  // The COPY layers are estimated from the same files: exact.
  for (int r = 0; r < 3; ++r)
    if (r != runRow) QCOMPARE(t->item(r, 6)->text(), QString("+0.0 %"));
  // The total: estimated ≥ (a lower bound), its error over the estimated layers (exact here),
  // and it says what it left out.
  QVERIFY2(t->item(3, 4)->text().startsWith("≥"), qPrintable(t->item(3, 4)->text()));
  QCOMPARE(t->item(3, 6)->text(), QString("+0.0 %"));
  QVERIFY2(t->item(3, 2)->text().contains("leaves out 1 layer(s) not estimated"), qPrintable(t->item(3, 2)->text()));
  QVERIFY2(t->item(3, 2)->text().contains("error +0.0 %"), qPrintable(t->item(3, 2)->text()));  // the matched layers' too
  QVERIFY(w.comparison()->notEstimated == 1);
  w.tabs()->setCurrentIndex(3);
  maybeScreenshot(w, "imagewindow-compare-not-estimated.png");
}
