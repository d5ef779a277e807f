// The Export Dockerfile dialog on its own: the preview holds the variant's text, and the "Diff
// against yours" tab puts each hunk's reasons right under it, across the view's width — they once
// were a column beside the code, one character wide when a long line took the width, and a hunk
// with more reasons than lines left a blank band beside its code (see test_window_edges for the
// look at a presenter's font).
#include <QtTest>

#include <QAbstractTextDocumentLayout>
#include <QFontDatabase>
#include <QTabWidget>
#include <QTextBlock>
#include <QTextBrowser>

#include "codeeditor.h"
#include "estimate/analysis.h"
#include "exportdialog.h"
#include "fidelityhtml.h"
#include "generate/variants.h"
#include "textdiff.h"
#include "../knowledge.h"
#include "../testutil.h"

using namespace slimbench;

class TestExportDialog : public QObject {
  Q_OBJECT
 private slots:
  void reasonsFollowTheirHunks() {
    const std::string dir = testutil::sourceDir() + "/resources/examples/django-postgres";
    const auto a = estimate::analyze(*estimate::openProject(dir), *testutil::knowledge(), {});
    const estimate::VariantResult* ms = nullptr;
    for (const auto& v : a.variants)
      if (v.kind == generate::VariantKind::MultiStage) ms = &v;
    QVERIFY(ms);
    const std::string& original = a.variants.front().dockerfile;
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    ui::ExportDockerfileDialog d(*ms, original, false, mono, "/tmp/Dockerfile.multistage", true);
    QCOMPARE(d.preview()->toPlainText(), QString::fromStdString(ms->dockerfile));
    QCOMPARE(d.path(), QString("/tmp/Dockerfile.multistage"));
    QVERIFY(d.withDockerignore());
    auto* tabs = d.findChild<QTabWidget*>();
    QVERIFY(tabs);
    tabs->setCurrentWidget(d.diffView());
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QCoreApplication::processEvents();
    const QString shot = qEnvironmentVariable("SLIMBENCH_DIALOG_SCREENSHOT");
    if (!shot.isEmpty()) d.grab().save(shot);

    // The hunks of the diff, in order, with the reasons each should carry.
    const QString before = QString::fromStdString(original), after = QString::fromStdString(ms->dockerfile);
    const auto lines = ui::diffLines(before, after);
    const auto reasons = ui::fidelityReasons(original, *ms);
    QList<QStringList> expected;
    for (int k = 0; k < lines.size();) {
      int end = k;
      const bool same = lines[k].op == ui::DiffLine::Same;
      while (end < lines.size() && (lines[end].op == ui::DiffLine::Same) == same) ++end;
      if (!same) expected << ui::hunkReasons(lines, k, end, reasons);
      k = end;
    }
    QVERIFY(expected.size() >= 3);
    // In the document: each "• " paragraph comes right after a changed line, holds that hunk's
    // reasons, and is as wide as the view allows (not a column beside the code).
    auto* doc = d.diffView()->document();
    const double width = doc->textWidth();
    int hunk = 0;
    QString previous;
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
      if (b.text().startsWith("What this variant did")) break;  // the record follows the diff
      if (!b.text().startsWith("• ")) {
        previous = b.text();
        continue;
      }
      QVERIFY2(previous.startsWith("+ ") || previous.startsWith("- ") || previous == "+" || previous == "-",
               qPrintable("reasons after an unchanged line: " + previous));
      QVERIFY(hunk < expected.size());
      // One paragraph per hunk, a line (<br>) per reason.
      const QRectF r = doc->documentLayout()->blockBoundingRect(b);
      QVERIFY2(r.width() >= 0.8 * width, qPrintable(QString("%1 of %2 px: %3").arg(r.width()).arg(width).arg(b.text().left(50))));
      QStringList got;
      for (const QString& part : b.text().split(QChar::LineSeparator)) got << part.mid(2);
      QCOMPARE(got, expected[hunk]);
      ++hunk;
      previous.clear();
    }
    QCOMPARE(hunk, expected.size());
  }
};

QTEST_MAIN(TestExportDialog)
#include "test_exportdialog.moc"
