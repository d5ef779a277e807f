// Readable on a projector, measured. The window at 1920×1080 with the presenter zoom at 1.5 and 2
// (and at 1280×800 three zoom steps in, where the legend, the table cells and the toolbar were
// clipped), and presenter mode itself (F5, Esc), on an offscreen screen of that size:
//  - nothing is elided or cut: no chart label or title ends in "...", the legend's entries are
//    whole, inside the chart and apart; every label, tool button and table header shows its whole
//    text; the comparison table shows every variant and every cell whole; no toolbar hides a button
//    in its » menu; the window keeps the size it was given (nothing needs more);
//  - fonts follow: the tables' headers as large as the rest;
//  - an exported chart's letters grow with the export: at 1920×1080 at least 1/40 of the height.
//  - presenter mode: F5 goes full screen with large fonts (the chart's at least 1/40 of the
//    screen's height) and a high-contrast palette and points at the selected segment; Esc (or F5)
//    gives back the window state, the fonts and the palette it found.
#include <QtTest>

#include <QAbstractButton>
#include <QChart>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>

#include <filesystem>
#include <fstream>

#include "mainwindow.h"
#include "presenter.h"
#include "variantchart.h"
#include "variantspane.h"
#include "../testutil.h"

using namespace slimbench;
namespace fs = std::filesystem;

namespace {

QString example(const char* name) { return QString::fromStdString(testutil::sourceDir() + "/resources/examples/" + name); }

// A project with an uncatalogued requirement: lower bounds, and open ends in the chart.
QString unknownProject(const QTemporaryDir& tmp) {
  const fs::path dir = tmp.path().toStdString();
  std::ofstream(dir / "requirements.txt") << "flask==2.3.3\nzz-internal-billing-lib==4.2.0\n";
  std::ofstream(dir / "Dockerfile") << "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                                       "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n";
  return tmp.path();
}

void settle() {
  for (int i = 0; i < 6; ++i) {
    QTest::qWait(20);
    QCoreApplication::sendPostedEvents();
  }
}

// Whatever the window shows cut or elided, one line each ("" when nothing is).
QStringList clipped(ui::MainWindow& w) {
  QStringList out;
  // The chart: QtCharts elides its labels and title with "..."; the legend is drawn here.
  auto* chart = w.variantChart();
  for (auto* item : chart->scene()->items()) {
    QString text;
    if (auto* t = dynamic_cast<QGraphicsTextItem*>(item)) text = t->toPlainText();
    if (auto* t = dynamic_cast<QGraphicsSimpleTextItem*>(item)) text = t->text();
    if (item->isVisible() && text.endsWith("...")) out << "chart text elided: " + text;
  }
  const QRect inside = chart->viewport()->rect();
  const auto legend = chart->legendEntryRects();
  const QStringList legendTexts = chart->legendTexts();
  for (int i = 0; i < legend.size(); ++i) {
    if (!inside.contains(legend[i])) out << QString("legend entry outside the chart: %1").arg(legendTexts[i]);
    for (int j = i + 1; j < legend.size(); ++j)
      if (legend[i].intersects(legend[j])) out << QString("legend entries overlap: %1 / %2").arg(legendTexts[i], legendTexts[j]);
  }
  for (int v : chart->shownVariants())
    if (!chart->openEndRect(v).isEmpty() && !inside.contains(chart->openEndRect(v))) out << QString("open end of bar %1 outside the chart").arg(v);
  // Labels and tool buttons: their whole text in their geometry (a label in a scroll area may
  // scroll; the status line is whole in its tooltip).
  for (auto* l : w.findChildren<QLabel*>()) {
    if (!l->isVisible() || l->text().isEmpty() || qobject_cast<QStatusBar*>(l->parentWidget())) continue;
    bool scrolls = false;
    for (QWidget* p = l->parentWidget(); p; p = p->parentWidget())
      if (auto* sa = qobject_cast<QScrollArea*>(p)) scrolls = sa->verticalScrollBar()->isVisible();
    const QSize hint = l->sizeHint();
    const int needH = l->wordWrap() ? l->heightForWidth(l->width()) : hint.height();
    if (!l->wordWrap() && hint.width() > l->width() + 1) out << QString("label cut: %1 (%2 of %3 px)").arg(l->text().left(40)).arg(l->width()).arg(hint.width());
    if (!scrolls && needH > l->height() + 1) out << QString("label cut: %1 (%2 of %3 px high)").arg(l->text().left(40)).arg(l->height()).arg(needH);
  }
  for (auto* tb : w.findChildren<QToolBar*>()) {
    if (!tb->isVisible()) continue;
    if (auto* ext = tb->findChild<QToolButton*>("qt_toolbar_ext_button"); ext && ext->isVisible())
      out << QString("toolbar %1 hides items in its » menu").arg(tb->windowTitle());
    for (auto* a : tb->actions()) {
      QWidget* item = tb->widgetForAction(a);
      if (!a->isVisible() || !item) continue;
      if (!item->isVisible()) out << QString("toolbar %1: %2 hidden").arg(tb->windowTitle(), a->text());
      else if (!tb->rect().contains(item->geometry())) out << QString("toolbar %1: %2 cut").arg(tb->windowTitle(), a->text());
      if (auto* b = qobject_cast<QToolButton*>(item); b && b->isVisible() && b->sizeHint().width() > b->width() + 1)
        out << QString("tool button cut: %1").arg(b->text());
    }
  }
  // Headers: each visible section holds its text, in the header's (zoomed) font.
  for (auto* t : {w.variantTable(), w.layerView()}) {
    if (!t->isVisible()) continue;
    auto* h = t->horizontalHeader();
    const QFontMetrics fm(h->font());
    for (int c = 0; c < h->count(); ++c) {
      if (h->isSectionHidden(c) || h->sectionViewportPosition(c) > h->viewport()->width()) continue;
      const QString text = t->model()->headerData(c, Qt::Horizontal).toString();
      int need = 0;
      for (const QString& line : text.split('\n')) need = qMax(need, fm.horizontalAdvance(line));
      if (need + 6 > h->sectionSize(c) && h->sectionViewportPosition(c) + h->sectionSize(c) <= h->viewport()->width())
        out << QString("header cut: %1 (%2 of %3 px)").arg(text).arg(h->sectionSize(c)).arg(need + 6);
      if (qAbs(h->font().pointSizeF() - QApplication::font().pointSizeF()) > 0.5)
        out << QString("header font %1 pt, the window's %2 pt").arg(h->font().pointSizeF()).arg(QApplication::font().pointSizeF());
    }
  }
  // The comparison: every variant's row in view, every cell whole.
  auto* table = w.variantTable();
  const QFontMetrics fm(table->font());
  const int margins = 2 * (table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table) + 1);  // as Qt lays a cell's text
  for (int r = 0; r < table->model()->rowCount(); ++r) {
    for (int c = 0; c < table->model()->columnCount(); ++c) {
      const QRect cell = table->visualRect(table->model()->index(r, c));
      const QString text = table->model()->index(r, c).data().toString();
      if (!table->viewport()->rect().contains(cell)) out << QString("comparison row %1 column %2 out of view").arg(r).arg(c);
      else if (fm.horizontalAdvance(text) + margins > cell.width())
        out << QString("comparison cell cut: %1 (%2 of %3 px)").arg(text).arg(cell.width()).arg(fm.horizontalAdvance(text) + margins);
    }
  }
  return out;
}

}  // namespace

class TestProjector : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
  void init() { QSettings().clear(); }

  void zoomRelayoutsInsteadOfClipping_data() {
    QTest::addColumn<QSize>("size");
    QTest::addColumn<double>("zoom");
    QTest::addColumn<bool>("unknowns");
    for (bool unknowns : {false, true}) {
      QTest::newRow(unknowns ? "1920x1080 zoom 1.5, unknowns" : "1920x1080 zoom 1.5") << QSize(1920, 1080) << 1.5 << unknowns;
      QTest::newRow(unknowns ? "1920x1080 zoom 2, unknowns" : "1920x1080 zoom 2") << QSize(1920, 1080) << 2.0 << unknowns;
    }
    QTest::newRow("1280x800 three zoom steps") << QSize(1280, 800) << 1.15 * 1.15 * 1.15 << false;
  }

  void zoomRelayoutsInsteadOfClipping() {
    QFETCH(QSize, size);
    QFETCH(double, zoom);
    QFETCH(bool, unknowns);
    QTemporaryDir tmp;
    ui::MainWindow w;
    w.resize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openPath(unknowns ? unknownProject(tmp) : example("django-postgres")));
    QVERIFY(w.waitForAnalysis());
    QVERIFY(w.selectVariant("multistage"));
    w.setZoom(zoom);
    settle();
    const QString shots = qEnvironmentVariable("SLIMBENCH_UI_SHOTS");
    if (!shots.isEmpty())
      w.grab().save(QDir(shots).filePath(QString("projector-%1x%2-zoom%3%4.png").arg(size.width()).arg(size.height()).arg(zoom, 0, 'f', 2).arg(unknowns ? "-unknowns" : "")));
    QCOMPARE(w.size(), size);  // nothing needs a bigger window
    const QStringList cut = clipped(w);
    QVERIFY2(cut.isEmpty(), qPrintable(cut.join("\n")));
    QVERIFY(w.variantChart()->legendEntryRects().size() >= 5);
    if (unknowns) QVERIFY(!w.variantChart()->openEndRect(w.document()->variantIndex("slim")).isEmpty());
    w.setZoom(1.0);
  }

  // The exported chart's fonts grow with its size: at 1920×1080 the smallest text is at least
  // 1/40 of the height (as SVG text sizes, in the file's pixels), and none is elided.
  void exportedChartScalesItsFonts() {
    ui::MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(w.openPath(example("django-postgres")));
    QVERIFY(w.waitForAnalysis());
    QTemporaryDir tmp;
    auto smallest = [&](QSize size) {
      const QString file = tmp.filePath(QString("chart-%1.svg").arg(size.width()));
      if (!w.exportChart(file, size)) return -1.0;
      QFile f(file);
      if (!f.open(QIODevice::ReadOnly)) return -1.0;
      const QString svg = QString::fromUtf8(f.readAll());
      double min = 1e9;
      int texts = 0;
      static const QRegularExpression text(R"re(<text[^>]*font-size="([0-9.]+)"[^>]*>([^<]*)</text>)re");
      for (auto it = text.globalMatch(svg); it.hasNext();) {
        const auto m = it.next();
        if (m.captured(2).trimmed().isEmpty()) continue;
        ++texts;
        min = qMin(min, m.captured(1).toDouble());
        if (m.captured(2).endsWith("...")) return -2.0;  // elided
      }
      return texts >= 10 ? min : -3.0;
    };
    const double at1080 = smallest(QSize(1920, 1080)), at2160 = smallest(QSize(3840, 2160));
    QVERIFY2(at1080 >= 1080.0 / 40, qPrintable(QString("smallest text %1 px at 1920x1080").arg(at1080)));
    QVERIFY2(at2160 >= 1.9 * at1080, qPrintable(QString("%1 px at 3840x2160, %2 px at 1920x1080").arg(at2160).arg(at1080)));
  }

  void presenterModeStartsWithF5AndEscLeaves() {
    ui::MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openPath(example("django-postgres")));
    QVERIFY(w.waitForAnalysis());
    w.selectLayer(w.document()->variantIndex("multistage"), 5);
    settle();
    const Qt::WindowStates state = w.windowState();
    const QRect geometry = w.geometry();
    const double font = QApplication::font().pointSizeF();
    const QPalette palette = QApplication::palette();
    auto* chart = w.variantChart();
    QVERIFY(chart->pointerRect().isEmpty());
    auto* action = w.action("presenterAction");
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(Qt::Key_F5));
    bool inViewMenu = false;
    for (auto* m : w.findChildren<QMenu*>())
      if (m->title() == "&View") inViewMenu = m->actions().contains(action);
    QVERIFY(inViewMenu);

    QTest::keyClick(&w, Qt::Key_F5);
    settle();
    QVERIFY(w.presenterMode()->isActive());
    QVERIFY(action->isChecked());
    QVERIFY2(!w.document()->isAnalysing(), "presenter mode re-analysed (new colours are no new text)");
    QVERIFY(w.windowState() & Qt::WindowFullScreen);
    QCOMPARE(w.size(), w.screen()->geometry().size());
    // Large: the chart's labels at least 1/40 of the screen's height.
    QVERIFY(QApplication::font().pointSizeF() > font * 1.4);
    const auto axes = chart->chart()->axes(Qt::Vertical);
    QVERIFY(!axes.isEmpty());
    const int labelPx = QFontInfo(axes.first()->labelsFont()).pixelSize();
    QVERIFY2(labelPx >= w.screen()->geometry().height() / 40, qPrintable(QString("%1 px labels on a %2 px screen").arg(labelPx).arg(w.screen()->geometry().height())));
    // High contrast: black on white, at least 15:1 (WCAG asks 7:1 for its highest level).
    auto luminance = [](QColor c) {
      auto ch = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
      return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF());
    };
    const QPalette p = QApplication::palette();
    for (auto [fg, bg] : {std::pair{QPalette::WindowText, QPalette::Window}, std::pair{QPalette::Text, QPalette::Base},
                          std::pair{QPalette::HighlightedText, QPalette::Highlight}}) {
      const double a = luminance(p.color(fg)), b = luminance(p.color(bg));
      const double ratio = (qMax(a, b) + 0.05) / (qMin(a, b) + 0.05);
      QVERIFY2(ratio >= (fg == QPalette::HighlightedText ? 7.0 : 15.0), qPrintable(QString("contrast %1:1").arg(ratio, 0, 'f', 1)));
    }
    // The pointer: on the selected segment.
    QVERIFY(chart->presenter());
    const QRect pointer = chart->pointerRect();
    const QPoint segment = chart->segmentCentre(w.document()->variantIndex("multistage"), 5);
    QVERIFY(!pointer.isEmpty() && !segment.isNull());
    QVERIFY2(pointer.contains(segment), qPrintable(QString("pointer %1,%2 %3x%4, segment at %5,%6").arg(pointer.x()).arg(pointer.y()).arg(pointer.width()).arg(pointer.height()).arg(segment.x()).arg(segment.y())));
    const QString shots = qEnvironmentVariable("SLIMBENCH_UI_SHOTS");
    if (!shots.isEmpty()) w.grab().save(QDir(shots).filePath("presenter-1920x1080.png"));
    // Nothing cut in presenter mode either.
    const QStringList cut = clipped(w);
    QVERIFY2(cut.isEmpty(), qPrintable(cut.join("\n")));
    // The pointer follows the selection.
    w.selectLayer(w.document()->variantIndex("slim"), 4);
    settle();
    QVERIFY(chart->pointerRect().contains(chart->segmentCentre(w.document()->variantIndex("slim"), 4)));

    QTest::keyClick(&w, Qt::Key_Escape);
    settle();
    QVERIFY(!w.presenterMode()->isActive());
    QVERIFY(!action->isChecked());
    QCOMPARE(w.windowState(), state);
    QCOMPARE(w.geometry(), geometry);
    QCOMPARE(QApplication::font().pointSizeF(), font);
    QCOMPARE(QApplication::palette().color(QPalette::Window), palette.color(QPalette::Window));
    QCOMPARE(QApplication::palette().color(QPalette::Text), palette.color(QPalette::Text));
    QVERIFY(!chart->presenter());
    QVERIFY(chart->pointerRect().isEmpty());
    // Esc outside presenter mode is not the window's.
    QTest::keyClick(&w, Qt::Key_Escape);
    QVERIFY(!w.presenterMode()->isActive());
    // F5 toggles: on and off again, from a dark palette and a zoom of the user's.
    w.setDarkPalette(true);
    w.setZoom(1.3);
    const double zoomed = QApplication::font().pointSizeF();
    const QColor darkWindow = QApplication::palette().color(QPalette::Window);
    QTest::keyClick(&w, Qt::Key_F5);
    settle();
    QVERIFY(w.presenterMode()->isActive());
    QVERIFY(luminance(QApplication::palette().color(QPalette::Window)) > 0.9);  // white, whatever the user's palette
    QTest::keyClick(&w, Qt::Key_F5);
    settle();
    QVERIFY(!w.presenterMode()->isActive());
    QCOMPARE(QApplication::font().pointSizeF(), zoomed);
    QCOMPARE(QApplication::palette().color(QPalette::Window), darkWindow);
    QVERIFY(w.isDarkPalette());
    w.setDarkPalette(false);
    w.setZoom(1.0);
  }
};

// On a 1920×1080 screen (the offscreen platform's is 800×800 unless told).
int main(int argc, char** argv) {
  QTemporaryDir dir;
  const QString config = dir.filePath("screen.json");
  {
    QFile f(config);
    if (!f.open(QIODevice::WriteOnly)) return 2;
    f.write(R"({"screens":[{"name":"Projector","x":0,"y":0,"width":1920,"height":1080,"logicalDpi":96,"logicalBaseDpi":96,"dpr":1}]})");
  }
  qputenv("QT_QPA_PLATFORM", ("offscreen:configfile=" + config).toUtf8());
  QApplication app(argc, argv);
  TestProjector t;
  return QTest::qExec(&t, argc, argv);
}

#include "test_projector.moc"
