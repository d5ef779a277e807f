// Each pane on its own, with a project document and nothing else: the settings toolbars write
// the settings the analysis runs with, the variants chart and table show the document's
// selection and select through it, the details follow it, and the Problems list asks for the
// line of a problem.
#include <QtTest>

#include <QSettings>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>

#include "detailspane.h"
#include "generate/variants.h"
#include "models.h"
#include "problemspane.h"
#include "projectdocument.h"
#include "settingstoolbar.h"
#include "variantchart.h"
#include "variantspane.h"
#include "../testutil.h"

using namespace slimbench;
using namespace slimbench::ui;

namespace {
QString example(const char* name) { return QString::fromStdString(testutil::sourceDir() + "/resources/examples/" + name); }

void write(const QString& path, const QByteArray& text) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(text);
}
}  // namespace

class TestPanes : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
  // Settings are kept per project folder: each test starts from none (and from the defaults).
  void init() { QSettings().clear(); }

  void settingsToolBarWritesTheSettings() {
    ProjectDocument doc;
    SettingsToolBar bar(&doc);
    QSignalSpy changed(&doc, &ProjectDocument::settingsChanged);
    QCOMPARE(doc.settings(), AnalysisSettings{});
    bar.archCombo()->setCurrentText("arm64");
    QCOMPARE(doc.settings().arch, QString("arm64"));
    QCOMPARE(changed.count(), 1);
    bar.pythonCombo()->setCurrentIndex(bar.pythonCombo()->findData("3.11"));
    QCOMPARE(doc.settings().python, QString("3.11"));
    bar.bandwidthSpin()->setValue(50);
    bar.coresSpin()->setValue(8);
    QCOMPARE(doc.settings().bandwidthMbps, 50.0);
    QCOMPARE(doc.settings().cores, 8);
    QCOMPARE(changed.count(), 4);
    bar.pythonCombo()->setCurrentIndex(0);  // "as in Dockerfile"
    QVERIFY(doc.settings().python.isEmpty());
    // setArch (the --arch option) goes through the combo.
    bar.setArch("amd64");
    QCOMPARE(doc.settings().arch, QString("amd64"));
  }

  void inputsToolBarAppliesSizesThatParse() {
    ProjectDocument doc;
    InputsToolBar bar(&doc);
    QSignalSpy changed(&doc, &ProjectDocument::settingsChanged);
    bar.baseSizeEdit()->setText("350MB");
    emit bar.baseSizeEdit()->editingFinished();
    QCOMPARE(doc.settings().baseSizes.at(""), std::uint64_t(350'000'000));
    bar.baseSizeEdit()->setText("python:3.12=1.2GB, other=10MiB");
    emit bar.baseSizeEdit()->editingFinished();
    QCOMPARE(doc.settings().baseSizes.at("python:3.12"), std::uint64_t(1'200'000'000));
    QCOMPARE(doc.settings().baseSizes.at("other"), std::uint64_t(10 * 1024 * 1024));
    QCOMPARE(changed.count(), 2);
    // A size that does not parse is marked and not applied.
    bar.baseSizeEdit()->setText("=5MB");
    emit bar.baseSizeEdit()->editingFinished();
    QCOMPARE(changed.count(), 2);
    QVERIFY(bar.baseSizeEdit()->styleSheet().contains("border"));
    QVERIFY(bar.baseSizeEdit()->toolTip().contains("Not applied"));
    QCOMPARE(doc.settings().baseSizes.size(), std::size_t(2));
    bar.contextEdit()->setText(" /some/where ");
    emit bar.contextEdit()->editingFinished();
    QCOMPARE(doc.settings().context, QString("/some/where"));
    QCOMPARE(doc.settings().baseSizes.size(), std::size_t(2));  // still the last sizes that parsed
  }

  void settingsDriveTheAnalysis() {
    ProjectDocument doc;
    SettingsToolBar bar(&doc);
    QVERIFY(doc.openPath(example("flask-app")));
    QVERIFY(doc.waitForAnalysis());
    QCOMPARE(QString::fromStdString(doc.analysis()->settings.arch), QString("amd64"));
    bar.archCombo()->setCurrentText("arm64");
    QVERIFY(doc.isAnalysing());
    QVERIFY(doc.waitForAnalysis());
    QCOMPARE(QString::fromStdString(doc.analysis()->settings.arch), QString("arm64"));
  }

  void variantsPaneFollowsTheSelection() {
    ProjectDocument doc;
    VariantsPane pane(&doc);
    pane.resize(900, 500);
    pane.show();
    QVERIFY(doc.openPath(example("flask-app")));
    QVERIFY(doc.waitForAnalysis());
    auto* table = pane.table();
    QCOMPARE(pane.chart()->barCount(), 6);
    QCOMPARE(table->model()->rowCount(), 6);
    QCOMPARE(table->currentIndex().row(), 0);
    // The document's selection is shown in both views.
    doc.select(4, 1);
    QCOMPARE(table->currentIndex().row(), 4);
    QVERIFY(table->selectionModel()->isRowSelected(4, {}));
    QCOMPARE(pane.chart()->selectedLayer(), qMakePair(4, 1));
    doc.select(2);
    QCOMPARE(table->currentIndex().row(), 2);
    QCOMPARE(pane.chart()->selectedLayer(), qMakePair(-1, -1));
    // And the views select through the document.
    table->selectRow(3);
    QCOMPARE(doc.selectedVariant(), 3);
    QCOMPARE(doc.selectedLayer(), -1);
    pane.chart()->clickLayer(5, 0);
    QCOMPARE(doc.selectedVariant(), 5);
    QCOMPARE(doc.selectedLayer(), 0);
    QCOMPARE(table->currentIndex().row(), 5);
    // A hidden variant is not selected: the first one shown is.
    doc.select(2);
    pane.setHiddenVariants({"alpine"});
    QCOMPARE(table->model()->rowCount(), 5);
    QCOMPARE(doc.selectedVariant(), 0);
    QCOMPARE(pane.shownVariants(), QList<int>({0, 1, 3, 4, 5}));
  }

  void detailsPaneFollowsTheSelection() {
    ProjectDocument doc;
    DetailsPane pane(&doc);
    pane.show();
    QVERIFY(doc.openPath(example("flask-app")));
    QVERIFY(doc.waitForAnalysis());
    const auto a = doc.analysis();
    QVERIFY(pane.summary().contains("Your Dockerfile") || pane.summary().contains(generate::variantTitle(a->variants[0].kind)));
    pane.showTab(DetailsPane::Packages);
    doc.select(4, 2);
    QVERIFY(pane.summary().contains(generate::variantTitle(generate::VariantKind::MultiStage)));
    QCOMPARE(pane.tabs()->currentWidget(), pane.layerView());
    QCOMPARE(pane.layerView()->currentIndex().row(), 2);
    QCOMPARE(pane.layerView()->model()->rowCount(), static_cast<int>(a->variants[4].estimate.layers.size()));
    // A row of the Layers table selects that layer; in your Dockerfile it shows the line.
    doc.select(0);
    QSignalSpy shown(&pane, &DetailsPane::dockerfileLineShown);
    int row = -1;
    for (int r = 0; r < pane.layerView()->model()->rowCount(); ++r)
      if (pane.layerView()->model()->index(r, 0).data(LineRole).toInt() > 0) row = r;
    QVERIFY(row >= 0);
    pane.layerView()->selectRow(row);
    QCOMPARE(doc.selectedLayer(), row);
    QCOMPARE(shown.count(), 1);
    QCOMPARE(shown.first().first().toInt(), pane.layerView()->model()->index(row, 0).data(LineRole).toInt());
  }

  void problemsPaneAsksForTheLine() {
    QTemporaryDir tmp;
    write(tmp.filePath("Dockerfile"), "FROM python:3.12-slim\nCMD [\"a\", 1]\nRUN pip install -r requirements.txt\n");
    write(tmp.filePath("requirements.txt"), "flask==3.0.0\nrequests[security\n");
    ProjectDocument doc;
    ProblemsPane pane(&doc);
    QVERIFY(doc.openPath(tmp.path()));
    QVERIFY(doc.waitForAnalysis());
    QVERIFY(pane.topLevelItemCount() >= 2);
    QCOMPARE(pane.headerItem()->text(0), QString("Problems (%1)").arg(pane.topLevelItemCount()));
    QSignalSpy asked(&pane, &ProblemsPane::lineRequested);
    auto* first = pane.topLevelItem(0);
    QVERIFY(first->text(0).contains("strings only"));
    QCOMPARE(first->text(1), QString("Dockerfile:2"));
    emit pane.itemActivated(first, 0);
    QCOMPARE(asked.count(), 1);
    QCOMPARE(asked.last(), QList<QVariant>({0, 2}));
    QTreeWidgetItem* req = nullptr;
    for (int i = 0; i < pane.topLevelItemCount(); ++i)
      if (pane.topLevelItem(i)->text(1).startsWith("requirements.txt:2")) req = pane.topLevelItem(i);
    QVERIFY(req);
    emit pane.itemActivated(req, 0);
    QCOMPARE(asked.last(), QList<QVariant>({1, 2}));
    // F8 walks the list, wrapping around.
    pane.setCurrentItem(pane.topLevelItem(pane.topLevelItemCount() - 1));
    pane.activateNext();
    QCOMPARE(pane.currentItem(), pane.topLevelItem(0));
    QCOMPARE(asked.last(), QList<QVariant>({0, 2}));
  }

  void documentKeepsEditsAndAsksBeforeDroppingThem() {
    QTemporaryDir tmp;
    write(tmp.filePath("Dockerfile"), "FROM python:3.12-slim\n");
    ProjectDocument doc;
    QStringList asked;
    doc.setAsker([&](const QString& t, QMessageBox::StandardButtons) {
      asked << t;
      return QMessageBox::Cancel;
    });
    QSignalSpy modified(&doc, &ProjectDocument::modificationChanged);
    QVERIFY(doc.openPath(tmp.path()));
    QVERIFY(doc.waitForAnalysis());
    QVERIFY(!doc.isModified());
    QTextCursor c(doc.dockerfile());
    c.movePosition(QTextCursor::End);
    c.insertText("RUN echo hi\n");
    QVERIFY(doc.isModified());
    QVERIFY(modified.count() >= 2);
    QVERIFY(doc.isAnalysing());  // an edit re-analyses after a pause
    QVERIFY(doc.waitForAnalysis());
    QVERIFY(!doc.close());  // Cancel keeps the project and the edit
    QCOMPARE(asked.size(), 1);
    QVERIFY(doc.hasProject());
    doc.setAsker([](const QString&, QMessageBox::StandardButtons) { return QMessageBox::Save; });
    QVERIFY(doc.close());
    QVERIFY(!doc.hasProject());
    QVERIFY(doc.dockerfile()->isEmpty());
    QFile f(tmp.filePath("Dockerfile"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("FROM python:3.12-slim\nRUN echo hi\n"));
  }
};

QTEST_MAIN(TestPanes)
#include "test_panes.moc"
