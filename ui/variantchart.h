#pragma once
// The centre of the window: one horizontal stacked bar per variant, one segment
// per layer of the final image, coloured by what the layer holds.
//
// QtCharts 6.4 colours a QBarSet the same in every bar, so each (variant, layer)
// gets its own QBarSet that is zero in every other bar; the legend shows one
// entry per category (zero-valued sets) and hides the per-layer sets. Hover
// shows the instruction, its size and range; a click selects the layer.
#include <QChartView>
#include <QHash>
#include <QMap>
#include <QList>
#include <QPair>

#include "models.h"

class QBarSet;
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
  void selectLayer(int variant, int layer);  // -1, -1 clears

  // For tests and export: the variants shown (top to bottom) and their stacked totals in MB.
  QList<int> shownVariants() const { return variants_; }
  QList<double> barTotalsMB() const;
  int barCount() const { return static_cast<int>(variants_.size()); }
  QStringList barLabels() const { return labels_; }  // top bar first, as shown ("Your Dockerfile  ≥ 14 MB + ?")
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
  // The centre of a layer's segment in viewport coordinates (tests drive the mouse there).
  QPoint segmentCentre(int variant, int layer) const;

  // Renders the chart alone at `size` into a PNG or SVG file (by extension).
  bool exportTo(const QString& file, QSize size, QString* error = nullptr) const;

 signals:
  void layerClicked(int variant, int layer);
  void variantClicked(int variant);

 protected:
  void mouseMoveEvent(QMouseEvent* e) override;
  void leaveEvent(QEvent* e) override;
  void hideEvent(QHideEvent* e) override;

 private:
  void showHoverTip(const QString& html);
  void placeHoverTip();
  void hideHoverTip();
  QLabel* tip_ = nullptr;
  QPair<int, int> hovered_{-1, -1};
  void rebuild();
  void applyFonts();
  AnalysisPtr a_;
  QList<int> variants_;
  bool compressed_ = false;
  bool dark_ = false;
  double scale_ = 1.0;
  QHash<QPair<int, int>, QBarSet*> sets_;
  struct Run {
    int end;  // one past the last layer of the run
    QBarSet* set;
  };
  QHash<int, QMap<int, Run>> runs_;  // per variant: merged runs by their first layer
  QHash<int, double> placeholders_;  // per variant: MB drawn for unknown layers beyond what is known
  QStringList labels_;
  static QString noProjectText() { return "Open a project to see its variants"; }
  QString placeholder_ = noProjectText();
  QPair<int, int> selected_{-1, -1};
};

}  // namespace slimbench::ui
