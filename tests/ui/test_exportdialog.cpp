// The Export Dockerfile dialog on its own: the preview holds the variant's text, and the "Diff
// against yours" tab is readable at the dialog's size — the reasons column is a column of words
// (it once was one character wide, the text running down letter by letter, each hunk's row as
// tall as that column).
#include <QtTest>

#include <algorithm>
#include <cmath>

#include <QAbstractTextDocumentLayout>
#include <QFontDatabase>
#include <QTabWidget>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextLayout>
#include <QTextTable>

#include "codeeditor.h"
#include "estimate/analysis.h"
#include "estimate/knowledge_embedded.h"
#include "exportdialog.h"
#include "generate/variants.h"
#include "../testutil.h"

using namespace slimbench;

namespace {

struct Cell {
  QRectF rect;  // the cell's blocks, in document coordinates
  int lines = 0;
  QString text;
};

// Column c of every row of the diff's table.
QList<Cell> column(QTextDocument* doc, int c) {
  QList<Cell> out;
  for (auto* f : doc->rootFrame()->childFrames()) {
    auto* table = qobject_cast<QTextTable*>(f);
    if (!table || table->columns() < 2) continue;
    for (int r = 0; r < table->rows(); ++r) {
      const QTextTableCell cell = table->cellAt(r, c);
      Cell x;
      for (QTextBlock b = cell.firstCursorPosition().block(); b.isValid() && b.position() <= cell.lastCursorPosition().position();
           b = b.next()) {
        x.rect |= doc->documentLayout()->blockBoundingRect(b);
        x.lines += b.layout() ? b.layout()->lineCount() : 0;
        x.text += b.text();
      }
      out << x;
    }
    break;  // the first table is the diff; the record follows it
  }
  return out;
}

}  // namespace

class TestExportDialog : public QObject {
  Q_OBJECT
 private slots:
  void diffReasonsAreAReadableColumn() {
    const std::string dir = testutil::sourceDir() + "/resources/examples/django-postgres";
    auto k = estimate::bundledKnowledge();
    QVERIFY(k.ok());
    const auto a = estimate::analyze(*estimate::openProject(dir), **k, {});
    const estimate::VariantResult* ms = nullptr;
    for (const auto& v : a.variants)
      if (v.kind == generate::VariantKind::MultiStage) ms = &v;
    QVERIFY(ms);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    ui::ExportDockerfileDialog d(*ms, a.variants.front().dockerfile, false, mono, "/tmp/Dockerfile.multistage", true);
    QCOMPARE(d.preview()->toPlainText(), QString::fromStdString(ms->dockerfile));
    auto* tabs = d.findChild<QTabWidget*>();
    QVERIFY(tabs);
    tabs->setCurrentWidget(d.diffView());
    d.show();
    QVERIFY(QTest::qWaitForWindowExposed(&d));
    QCoreApplication::processEvents();
    const QString shot = qEnvironmentVariable("SLIMBENCH_DIALOG_SCREENSHOT");
    if (!shot.isEmpty()) d.grab().save(shot);

    auto* doc = d.diffView()->document();
    const double width = d.diffView()->viewport()->width();
    const double charW = QFontMetricsF(d.diffView()->font()).horizontalAdvance('x');
    const auto code = column(doc, 0);
    const auto why = column(doc, 1);
    QVERIFY(why.size() >= 3);
    QCOMPARE(code.size(), why.size());
    int withReasons = 0;
    for (int r = 0; r < why.size(); ++r) {
      if (why[r].text.trimmed().isEmpty()) continue;
      ++withReasons;
      const QString at = QString("row %1 (%2 lines): %3").arg(r).arg(why[r].lines).arg(why[r].text.left(60));
      // A column of words: at least a quarter of the view, some 25 characters.
      QVERIFY2(why[r].rect.width() >= qMax(width / 4, 25 * charW), qPrintable(QString("%1 px wide; ").arg(why[r].rect.width()) + at));
      // Wrapped between words: never more lines than a 20-character column would need.
      QVERIFY2(why[r].lines <= why[r].text.size() / 20 + 2, qPrintable(at));
      // No tall blank gap beside the hunk: the reasons take no more lines than their words need at
      // the column's width (a long reason makes a tall row, never an empty one), or than the code.
      const double line = QFontMetricsF(d.diffView()->font()).lineSpacing();
      double needed = 2;
      for (const QString& para : QString(why[r].text).replace(QChar::ParagraphSeparator, '\n').replace(QChar::LineSeparator, '\n').split('\n'))
        needed += std::max(1.0, std::ceil(para.size() * charW / std::max(1.0, why[r].rect.width() - 2 * charW)));
      QVERIFY2(why[r].rect.height() <= std::max(code[r].rect.height() + 6 * line, needed * line),
               qPrintable(QString("reasons %1 px, code %2 px; ").arg(why[r].rect.height()).arg(code[r].rect.height()) + at));
      // And the code keeps most of the width.
      QVERIFY2(code[r].rect.width() >= width / 2, qPrintable(QString("code %1 px of %2").arg(code[r].rect.width()).arg(width)));
    }
    QVERIFY(withReasons >= 2);
  }
};

QTEST_MAIN(TestExportDialog)
#include "test_exportdialog.moc"
