#pragma once
// The centre of the window: one horizontal stacked bar per variant, one segment
// per layer of the final image, coloured by what the layer holds.
//
// QtCharts 6.4 colours a QBarSet the same in every bar, so each (variant, layer)
// gets its own QBarSet that is zero in every other bar. Hover shows the
// instruction, its size and range; a click selects the layer.
//
// What QtCharts would clip is laid out here instead: the legend wraps onto as many rows as the
// width needs (QLegend elides its entries to one row), and the bars' labels take the shortest
// form that fits the 40 % of the width QtCharts gives them — "Multi-stage (builder → slim)
// 181 MB", "Multi-stage  181 MB", then the name over the size — before their font shrinks.
//
// What is not known is never drawn as a size: a layer's known part is its segment, and a bar
// with unknowns ends in an open end — dashed lines of a fixed length, not on the scale — and a
// "?" (hover it for what is unknown, click it to select the first unknown layer).
#include <QChartView>
#include <QHash>
#include <QMap>
#include <QList>
#include <QPair>
#include <QPointer>

#include "models.h"

class QBarSet;
class QGraphicsItem;
class QGraphicsRectItem;
class QGraphicsPathItem;
class QLabel;
class QHorizontalStackedBarSeries;

namespace slimbench::ui {

class VariantChart : public QChartView {
  Q_OBJECT
 public:
  explicit VariantChart(QWidget* parent = nullptr);

  void setAnalysis(AnalysisPtr a, const QList<int>& variants, bool compressed);
  void setDark(bool dark);
  void setFontScale(double scale);
  // The title shown while there is no analysis ("Analysing flask-app …"); empty: "Open a project…".
  void setPlaceholder(const QString& text = {});
  // The selection: the variant's bar has a band behind it; a selected layer's segment a thick outline.
  void selectLayer(int variant, int layer);  // -1, -1 clears the layer
  void setSelectedVariant(int variant);      // -1: none
  int selectedVariant() const { return selectedVariant_; }
  // Presenter mode: high contrast, and a pointer (a ring and an arrow, in a colour seen from the
  // back of a room) on the selected segment, or on the selected bar's end.
  void setPresenter(bool on);
  bool presenter() const { return presenter_; }

  // For tests and export: the variants shown (top to bottom) and their stacked totals in MB
  // (what is known of them: an unknown adds nothing to the bar).
  QList<int> shownVariants() const { return variants_; }
  QList<double> barTotalsMB() const;
  int barCount() const { return static_cast<int>(variants_.size()); }
  QStringList barLabels() const { return labels_; }  // top bar first, in full ("Your Dockerfile  ≥ 14 MB + ?")
  QStringList shownBarLabels() const;                 // top bar first, as drawn now (a shorter form when the full one does not fit)
  // The bar set of a layer (nullptr when not shown). Beyond kMaxSegments layers in a bar, the
  // largest keep their own segment and each run of smaller ones between them is one segment
  // ("1,204 layers, lines 12–2,431"): a bar of 50,000 layers stays drawable. A merged layer's
  // set is its run's.
  static constexpr int kMaxSegments = 60;
  QBarSet* layerSet(int variant, int layer) const;
  int segmentCount(int variant) const;  // segments drawn in the variant's bar
  QPair<int, int> selectedLayer() const { return selected_; }
  // Simulates a click on a segment (tests).
  void clickLayer(int variant, int layer) { emit layerClicked(variant, layer); }

  // The hover details shown while the pointer rests on a segment ("" when none is shown).
  QString hoverTipText() const;
  // The centre of a layer's segment in viewport coordinates (tests drive the mouse there); null
  // when the layer has no width (nothing of it is known).
  QPoint segmentCentre(int variant, int layer) const;
  // The open end drawn after a bar's known part (viewport coordinates; empty when the bar has no
  // unknowns), and the first unknown layer a click on it selects.
  QRect openEndRect(int variant) const;
  // The legend: one entry per category shown, and the open end when any bar has one. Its
  // entries' rectangles (viewport coordinates), and the text of each.
  QList<QRect> legendEntryRects() const;
  QStringList legendTexts() const;
  // The pointer of presenter mode (null when hidden), in viewport coordinates.
  QRect pointerRect() const;
  // The band behind the selected variant's bar (empty when none), in viewport coordinates.
  QRect selectionBandRect() const;

  // Renders the chart alone at `size` into a PNG or SVG file (by extension). Its fonts scale with
  // the size: at 1920×1080 the smallest label is 29 px (1/37 of the height), readable on a
  // projector from the back of a room.
  bool exportTo(const QString& file, QSize size, QString* error = nullptr) const;
  // The factor an export of `size` scales the on-screen fonts by (at least 1).
  static double exportFontScale(QSize size);
  // As tall as the title, a line and a half per bar, the axis and the legend's rows need at the
  // current font: a presenter zoom makes the pane taller instead of eliding the labels.
  QSize minimumSizeHint() const override;

 signals:
  void layerClicked(int variant, int layer);
  void variantClicked(int variant);

 protected:
  void mouseMoveEvent(QMouseEvent* e) override;
  void mousePressEvent(QMouseEvent* e) override;
  void leaveEvent(QEvent* e) override;
  void hideEvent(QHideEvent* e) override;
  void resizeEvent(QResizeEvent* e) override;

 private:
  void showHoverTip(const QString& html);
  void placeHoverTip();
  void hideHoverTip();
  QLabel* tip_ = nullptr;
  QPair<int, int> hovered_{-1, -1};
  void rebuild();
  void applyFonts();
  QFont labelFont() const;
  // Places what QtCharts does not: the wrapped legend, the labels' form, the open ends, the
  // selection band and the pointer. After every layout change.
  void layoutOverlay();
  void scheduleOverlay();
  bool fitLabels();  // true when the labels changed (the layout runs again)
  int legendRows(double width) const;
  void fitMinimumHeight();
  void placeSelection();
  QRect toViewport(const QRectF& chartRect) const;
  QPointF valueToChart(double mbValue, int row) const;
  AnalysisPtr a_;
  QList<int> variants_;
  bool compressed_ = false;
  bool dark_ = false;
  bool presenter_ = false;
  double scale_ = 1.0;
  QHash<QPair<int, int>, QBarSet*> sets_;
  struct Run {
    int end;  // one past the last layer of the run
    QBarSet* set;
  };
  QHash<int, QMap<int, Run>> runs_;  // per variant: merged runs by their first layer
  QStringList labels_;               // full labels, top bar first
  QString titleDetail_;              // "on disk · Python 3.12 · amd64"
  QList<QStringList> labelForms_;    // per form (full, short, two lines), bottom bar first as the axis takes them
  int labelForm_ = 0;
  double labelShrink_ = 1.0;         // the labels' font, when even the shortest form does not fit
  struct OpenEnd {
    int variant = -1;
    int row = -1;           // the bar's row (0 = bottom)
    double knownMB = 0;     // where the known part ends
    int firstUnknown = -1;  // the layer a click selects
    QString tip;
    QGraphicsPathItem* lines = nullptr;
    QGraphicsItem* mark = nullptr;  // the "?"
  };
  QList<OpenEnd> openEnds_;
  struct LegendEntry {
    QBrush brush;
    QPen pen;
    QString text;
    bool openEnd = false;
    QGraphicsItem* swatch = nullptr;
    QGraphicsItem* label = nullptr;
  };
  QList<LegendEntry> legend_;
  double axisStep_ = 25, maxTotal_ = 0;
  QGraphicsRectItem* band_ = nullptr;
  QGraphicsPathItem* pointer_ = nullptr;
  bool overlayScheduled_ = false, inOverlay_ = false;
  static QString noProjectText() { return "Open a project to see its variants"; }
  QString placeholder_ = noProjectText();
  QPair<int, int> selected_{-1, -1};
  int selectedVariant_ = -1;
};

}  // namespace slimbench::ui
