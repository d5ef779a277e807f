// File ▸ Export Report in the window: the action needs an analysis, writes HTML or Markdown by the
// chosen name's extension, shows the selected variant's Dockerfile (the recommended one while your
// own is selected), asks before replacing a file, and refuses an extension it cannot write.
#include <QtTest>

#include <QAction>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

#include "mainwindow.h"
#include "report/report.h"
#include "reportexport.h"
#include "../testutil.h"

using namespace slimbench;

namespace {
QString example(const char* name) { return QString::fromStdString(testutil::sourceDir() + "/resources/examples/" + name); }
QString readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}
}  // namespace

class TestReportExport : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
  void init() { QSettings().clear(); }

  void menuActionWritesTheReport() {
    ui::MainWindow w;
    QAction* act = w.action("exportReportAction");
    QVERIFY(act);
    QVERIFY(!act->isEnabled());  // no project, no analysis
    QVERIFY(w.openPath(example("flask-app")));
    QVERIFY(w.waitForAnalysis());
    QVERIFY(act->isEnabled());
    QTemporaryDir tmp;
    QString answer;
    w.setPathChooser([&](const QString&, const QString&, const QString&) { return answer; });
    int asked = 0;
    w.setAsker([&](const QString&, QMessageBox::StandardButtons) { ++asked; return QMessageBox::No; });

    // HTML, with your own Dockerfile selected: the recommended variant is shown.
    answer = tmp.filePath("r.html");
    act->trigger();
    const QString html = readAll(answer);
    QVERIFY(html.startsWith("<!DOCTYPE html>"));
    QVERIFY(html.contains("<svg"));
    const auto rec = report::recommend(*w.analysis());
    QVERIFY(html.contains("Recommended: " + QString::fromStdString(report::escapeHtml(generate::variantTitle(w.analysis()->variants[size_t(rec.variant)].kind)))));
    QCOMPARE(w.statusText(), "Report saved to " + answer);

    // An existing file: asked, and kept when the answer is No.
    act->trigger();
    QCOMPARE(asked, 1);
    QCOMPARE(readAll(answer), html);

    // Markdown of the selected variant.
    QVERIFY(w.selectVariant("alpine"));
    answer = tmp.filePath("r.md");
    act->trigger();
    const QString md = readAll(answer);
    QVERIFY(md.contains("### Chosen: Alpine"));
    QVERIFY(md.contains("```diff"));

    // An extension that is neither: nothing written, the reason given.
    answer = tmp.filePath("r.txt");
    act->trigger();
    QVERIFY(!QFile::exists(answer));
    QVERIFY2(w.statusText().contains(".html (a web page) or .md"), qPrintable(w.statusText()));
    QString error;
    QVERIFY(!ui::writeReport(*w.analysis(), answer, "x", {}, &error));
    QVERIFY(error.contains(".html"));
  }
};

QTEST_MAIN(TestReportExport)
#include "test_reportexport.moc"
