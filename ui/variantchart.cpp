#include "variantchart.h"

#include <algorithm>
#include <map>
#include <numeric>

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QCoreApplication>
#include <QCursor>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QHorizontalStackedBarSeries>
#include <QImage>
#include <QLabel>
#include <QLegend>
#include <QMouseEvent>
#include <QPainter>
#include <QScreen>
#include <QSvgGenerator>
#include <QTextDocument>
#include <QTimer>
#include <QToolTip>
#include <QValueAxis>
#include <cmath>

namespace slimbench::ui {

namespace {

// The open end after a bar's known part: this many label-font ems long, whatever the scale.
constexpr double kOpenEndEms = 2.2;

// The width QtCharts gives a category label: it measures rich text with a 0.5 px document margin
// and elides what is wider than its share (40 % of the width, less the axis' padding).
QSizeF labelSize(const QFont& f, const QString& html) {
  QTextDocument d;
  d.setDocumentMargin(0.5);
  d.setDefaultFont(f);
  d.setHtml(html);
  return d.size();
}

// "Multi-stage (builder → slim)" → "Multi-stage".
QString shortTitle(generate::VariantKind k) {
  const QString t = generate::variantTitle(k);
  const int paren = static_cast<int>(t.indexOf(" ("));
  return paren > 0 ? t.left(paren) : t;
}

QColor pointerColour() { return QColor("#ff5a00"); }  // a laser pointer's orange: seen on white, on dark and on every category

}  // namespace

VariantChart::VariantChart(QWidget* parent) : QChartView(parent) {
  setRenderHint(QPainter::Antialiasing);
  setChart(new QChart);
  chart()->setTitle(placeholder_);
}

void VariantChart::setAnalysis(AnalysisPtr a, const QList<int>& variants, bool compressed) {
  a_ = std::move(a);
  variants_ = variants;
  compressed_ = compressed;
  rebuild();
}

// The hover details stay while the pointer rests on the segment (QToolTip hides itself after a
// few seconds and on small movements): a tooltip-styled label that follows the pointer and
// hides when the pointer leaves the segment or the chart.
void VariantChart::showHoverTip(const QString& html) {
  if (!tip_) {
    tip_ = new QLabel(this, Qt::ToolTip | Qt::FramelessWindowHint);
    tip_->setObjectName("chartHoverTip");
    tip_->setTextFormat(Qt::RichText);
    tip_->setWordWrap(true);
    tip_->setMaximumWidth(520);
    tip_->setMargin(6);
    tip_->setAttribute(Qt::WA_TransparentForMouseEvents);
    tip_->setAttribute(Qt::WA_ShowWithoutActivating);
    tip_->setForegroundRole(QPalette::ToolTipText);
    tip_->setBackgroundRole(QPalette::ToolTipBase);
    tip_->setAutoFillBackground(true);
    tip_->setFrameStyle(QFrame::Box | QFrame::Plain);
  }
  tip_->setPalette(QToolTip::palette());
  tip_->setFont(QToolTip::font());
  tip_->setText(html);
  tip_->adjustSize();
  placeHoverTip();
  tip_->show();
  tip_->raise();
}

void VariantChart::placeHoverTip() {
  if (!tip_) return;
  QPoint p = QCursor::pos() + QPoint(16, 20);
  if (const QScreen* sc = screen()) {
    const QRect avail = sc->availableGeometry();
    if (p.x() + tip_->width() > avail.right()) p.setX(qMax(avail.left(), QCursor::pos().x() - tip_->width() - 8));
    if (p.y() + tip_->height() > avail.bottom()) p.setY(qMax(avail.top(), QCursor::pos().y() - tip_->height() - 8));
  }
  tip_->move(p);
}

void VariantChart::hideHoverTip() {
  hovered_ = {-1, -1};
  if (tip_) tip_->hide();
}

QString VariantChart::hoverTipText() const { return tip_ && tip_->isVisible() ? tip_->text() : QString(); }

void VariantChart::mouseMoveEvent(QMouseEvent* e) {
  QChartView::mouseMoveEvent(e);
  if (tip_ && tip_->isVisible()) placeHoverTip();
}

void VariantChart::leaveEvent(QEvent* e) {
  hideHoverTip();
  QChartView::leaveEvent(e);
}

void VariantChart::hideEvent(QHideEvent* e) {
  hideHoverTip();
  QChartView::hideEvent(e);
}

void VariantChart::setDark(bool dark) {
  if (dark_ == dark) return;
  dark_ = dark;
  rebuild();
}

void VariantChart::setPresenter(bool on) {
  if (presenter_ == on) return;
  presenter_ = on;
  rebuild();
}

void VariantChart::setFontScale(double scale) {
  scale_ = scale;
  applyFonts();
  scheduleOverlay();
  fitMinimumHeight();
}

// QChartView keeps a minimum size of its own (it only grows): set it from the font.
void VariantChart::fitMinimumHeight() {
  const int h = minimumSizeHint().height();
  if (minimumHeight() != h) setMinimumHeight(h);
}

QList<double> VariantChart::barTotalsMB() const {
  QList<double> out;
  if (!a_) return out;
  for (int v : variants_) {
    double total = 0;
    auto add = [&total](const QBarSet* s) {
      for (int i = 0; i < s->count(); ++i) total += s->at(i);
    };
    for (auto it = sets_.constBegin(); it != sets_.constEnd(); ++it)
      if (it.key().first == v) add(it.value());
    for (const auto& run : runs_.value(v)) add(run.set);  // each merged run once
    out << total;
  }
  return out;
}

QStringList VariantChart::shownBarLabels() const {
  QStringList out;
  if (labelForms_.isEmpty()) return out;
  const QStringList& f = labelForms_[labelForm_];
  for (auto it = f.crbegin(); it != f.crend(); ++it) out << *it;
  return out;
}

QFont VariantChart::labelFont() const {
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * scale_);
  if (presenter_) f.setWeight(QFont::DemiBold);
  return f;
}

void VariantChart::rebuild() {
  hideHoverTip();
  sets_.clear();
  runs_.clear();
  openEnds_.clear();
  legend_.clear();
  labelForms_.clear();
  labelForm_ = 0;
  labelShrink_ = 1.0;
  band_ = nullptr;
  pointer_ = nullptr;
  auto* chart = new QChart;
  // Presenter mode: black on white, whatever the desktop (a projector washes out greys and dark themes).
  chart->setTheme(presenter_ ? QChart::ChartThemeHighContrast : dark_ ? QChart::ChartThemeDark : QChart::ChartThemeLight);
  if (presenter_) {
    chart->setBackgroundBrush(Qt::white);
    chart->setTitleBrush(Qt::black);
  }
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setMargins(QMargins(4, 4, 4, 4));
  chart->legend()->hide();  // drawn here, wrapped (layoutOverlay)
  if (!a_ || variants_.isEmpty()) {
    chart->setTitle(a_ ? "No variant selected (View ▸ Variants)" : placeholder_);
    QChart* old = this->chart();
    setChart(chart);
    delete old;
    applyFonts();
    return;
  }
  auto* series = new QHorizontalStackedBarSeries;
  series->setBarWidth(0.72);
  const int n = static_cast<int>(variants_.size());
  // Bars are drawn bottom-up: the first variant goes to the top.
  auto rowOf = [n](int i) { return n - 1 - i; };
  std::vector<bool> present(allCategories().size(), false);
  bool anyUnknown = false;
  for (int v : variants_)
    for (const auto& l : a_->variants[static_cast<size_t>(v)].estimate.layers) {
      present[static_cast<size_t>(l.category)] = true;
      anyUnknown = anyUnknown || l.basis == estimate::Basis::Unknown;
    }
  const QColor textColour = presenter_ ? QColor(Qt::black) : dark_ ? QColor("#e6e6e6") : QColor("#202020");
  for (auto c : allCategories())
    if (present[static_cast<size_t>(c)])
      legend_.append({QBrush(categoryColour(c)), QPen(categoryColour(c).darker(120), 1), estimate::categoryTitle(c), false, nullptr, nullptr});
  if (anyUnknown)
    legend_.append({QBrush(Qt::NoBrush), QPen(textColour, 1.6, Qt::DashLine), "not estimated (open end, not to scale)", true, nullptr, nullptr});
  const QColor border = presenter_ ? QColor(Qt::white) : dark_ ? QColor("#1e1e1e") : QColor(Qt::white);
  QStringList full(n, QString()), brief(n, QString()), twoLines(n, QString());
  double maxTotal = 0;
  for (int i = 0; i < n; ++i) {
    const int vi = variants_[i];
    const auto& v = a_->variants[static_cast<size_t>(vi)];
    double knownTotal = 0;
    const auto& layers = v.estimate.layers;
    const int count = static_cast<int>(layers.size());
    auto known = [&](const estimate::LayerEstimate& l) { return static_cast<double>(compressed_ ? l.compressed.mid : l.disk.mid) / 1e6; };
    // Which layers keep their own segment: all of them, or the kMaxSegments largest.
    std::vector<char> own(static_cast<size_t>(count), 1);
    if (count > kMaxSegments) {
      std::vector<int> order(static_cast<size_t>(count));
      std::iota(order.begin(), order.end(), 0);
      std::nth_element(order.begin(), order.begin() + kMaxSegments, order.end(), [&](int x, int y) {
        const double sx = known(layers[size_t(x)]), sy = known(layers[size_t(y)]);
        return sx != sy ? sx > sy : x < y;
      });
      std::fill(own.begin(), own.end(), 0);
      for (int k = 0; k < kMaxSegments; ++k) own[size_t(order[size_t(k)])] = 1;
    }
    OpenEnd end;
    QStringList unknownWhat;
    for (int li = 0; li < count; ++li)
      if (layers[size_t(li)].basis == estimate::Basis::Unknown) {
        if (end.firstUnknown < 0) end.firstUnknown = li;
        for (const auto& u : layers[size_t(li)].unknownParts)
          unknownWhat << QString("line %1: %2").arg(layers[size_t(li)].line).arg(QString::fromStdString(u));
      }
    for (int li = 0; li < count;) {
      if (!own[size_t(li)]) {
        // A run of smaller layers: one segment of what is known of them.
        int last = li;
        double knownMB = 0;
        int unknownCount = 0;
        std::map<estimate::Category, double> byCategory;
        for (; last < count && !own[size_t(last)]; ++last) {
          const auto& l = layers[size_t(last)];
          knownMB += known(l);
          byCategory[l.category] += known(l);
          unknownCount += l.basis == estimate::Basis::Unknown;
        }
        estimate::Category cat = layers[size_t(li)].category;
        double best = -1;
        for (const auto& [c, mbs] : byCategory)
          if (mbs > best) best = mbs, cat = c;
        const int first = li, n2 = last - li;
        const int lineA = layers[size_t(li)].line, lineB = layers[size_t(last - 1)].line;
        auto* s = new QBarSet(QString("%1%2 smaller layers, lines %3–%4").arg(unknownCount ? "? " : "").arg(n2).arg(lineA).arg(lineB));
        s->setColor(categoryColour(cat));
        s->setPen(QPen(border, 1));
        for (int r = 0; r < n; ++r) *s << (r == rowOf(i) ? knownMB : 0.0);
        series->append(s);
        runs_[vi].insert(first, Run{last, s});
        knownTotal += knownMB;
        connect(s, &QBarSet::hovered, this, [this, vi, first, last, knownMB, unknownCount](bool on, int) {
          if (!on || !a_) {
            if (hovered_ == QPair<int, int>(vi, first)) hideHoverTip();
            return;
          }
          const auto& var = a_->variants[static_cast<size_t>(vi)];
          const auto& ls = var.estimate.layers;
          QString tip = QString("<b>%1</b> — %2 smaller layers merged into one segment<br>lines %3–%4: %5%6 MB %7")
                            .arg(generate::variantTitle(var.kind))
                            .arg(last - first)
                            .arg(ls[size_t(first)].line)
                            .arg(ls[size_t(last - 1)].line)
                            .arg(unknownCount ? "≥ " : "")
                            .arg(mb(static_cast<std::uint64_t>(knownMB * 1e6)).toHtmlEscaped())
                            .arg(compressed_ ? "compressed" : "on disk");
          if (unknownCount)
            tip += QString("<br>? %1 of them not estimated: the segment is what is known of them, the bar's open end stands for the rest")
                       .arg(unknownCount);
          tip += QString("<br><i>The bar shows its %1 largest layers one by one. Click to select the first; the Layers tab lists each.</i>")
                     .arg(kMaxSegments);
          hovered_ = {vi, first};
          showHoverTip(tip);
        });
        connect(s, &QBarSet::clicked, this, [this, vi, first](int) { emit layerClicked(vi, first); });
        li = last;
        continue;
      }
      const auto& l = layers[static_cast<size_t>(li)];
      const bool unknown = l.basis == estimate::Basis::Unknown;
      const double val = known(l);  // an unknown layer: its known part only (often nothing)
      auto* s = new QBarSet((unknown ? "? " : "") + QString::fromStdString(l.instruction).simplified().left(60));
      s->setColor(categoryColour(l.category));
      s->setPen(QPen(border, 1));
      for (int r = 0; r < n; ++r) *s << (r == rowOf(i) ? val : 0.0);
      series->append(s);
      sets_.insert({vi, li}, s);
      knownTotal += val;
      connect(s, &QBarSet::hovered, this, [this, vi, li](bool on, int) {
        if (!on || !a_) {
          if (hovered_ == QPair<int, int>(vi, li)) hideHoverTip();
          return;
        }
        const auto& var = a_->variants[static_cast<size_t>(vi)];
        const auto& lay = var.estimate.layers[static_cast<size_t>(li)];
        const auto& r = compressed_ ? lay.compressed : lay.disk;
        const bool unk = lay.basis == estimate::Basis::Unknown;
        const QString size = unk ? (r.mid > 0 ? "≥ " + mb(r.mid) + " MB" : QString("? MB — size unknown")) : mb(r.mid) + " MB";
        QString tip = QString("<b>%1</b> — %2<br><code>%3</code><br><b>%4</b> %5 (range %6)<br>%7")
                          .arg(generate::variantTitle(var.kind), estimate::categoryTitle(lay.category),
                               QString::fromStdString(lay.instruction).simplified().left(140).toHtmlEscaped(), size.toHtmlEscaped(),
                               compressed_ ? "compressed" : "on disk", rangeText(r).toHtmlEscaped(),
                               QString::fromStdString(lay.reason).toHtmlEscaped());
        for (const auto& u : lay.unknownParts) tip += "<br>? " + QString::fromStdString(u).toHtmlEscaped();
        if (unk) tip += "<br><i>The segment is the known part only; the bar's open end (?) stands for the rest.</i>";
        if (!lay.proxyNote.empty()) tip += "<br>≈ proxy: " + QString::fromStdString(lay.proxyNote).toHtmlEscaped();
        for (const auto& note : lay.notes) tip += "<br>⚠ " + QString::fromStdString(note).toHtmlEscaped();
        if (lay.line > 0) tip += QString("<br><i>Dockerfile line %1 · click to select</i>").arg(lay.line);
        hovered_ = {vi, li};
        showHoverTip(tip);
      });
      connect(s, &QBarSet::clicked, this, [this, vi, li](int) { emit layerClicked(vi, li); });
      ++li;
    }
    maxTotal = qMax(maxTotal, knownTotal);
    const auto& cov = v.estimate.coverage;
    const QString size = cov.complete ? QString("%1 MB").arg(knownTotal, 0, 'f', 0) : QString("≥ %1 MB + ?").arg(knownTotal, 0, 'f', 0);
    full[rowOf(i)] = QString("%1  %2").arg(generate::variantTitle(v.kind), size);
    brief[rowOf(i)] = QString("%1  %2").arg(shortTitle(v.kind), size);
    twoLines[rowOf(i)] = QString("%1<br>%2").arg(shortTitle(v.kind).toHtmlEscaped(), size.toHtmlEscaped());
    if (v.parseError) {
      full[rowOf(i)] = QString("%1  (does not parse)").arg(generate::variantTitle(v.kind));
      brief[rowOf(i)] = QString("%1  (does not parse)").arg(shortTitle(v.kind));
      twoLines[rowOf(i)] = QString("%1<br>(does not parse)").arg(shortTitle(v.kind).toHtmlEscaped());
    }
    if (end.firstUnknown >= 0) {
      end.variant = vi;
      end.row = rowOf(i);
      end.knownMB = knownTotal;
      unknownWhat.removeDuplicates();
      end.tip = QString("<b>%1</b>: ≥ %2 MB known, and %3 layer(s) not estimated — the open end is not to scale.")
                    .arg(generate::variantTitle(v.kind))
                    .arg(knownTotal, 0, 'f', 1)
                    .arg(cov.unknownCount);
      for (int k = 0; k < qMin(6, static_cast<int>(unknownWhat.size())); ++k) end.tip += "<br>? " + unknownWhat[k].toHtmlEscaped();
      if (unknownWhat.size() > 6) end.tip += QString("<br>… and %1 more (the Layers tab lists each)").arg(unknownWhat.size() - 6);
      end.tip += "<br><i>Click to select the first unknown layer.</i>";
      openEnds_ << end;
    }
  }
  chart->addSeries(series);
  labels_.clear();
  for (int i = n - 1; i >= 0; --i) labels_ << full[i];
  labelForms_ = {full, brief, twoLines};
  auto* y = new QBarCategoryAxis;
  y->append(full);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(y);
  auto* x = new QValueAxis;
  x->setTitleText(compressed_ ? "MB compressed (docker pull)" : "MB on disk (docker images)");
  x->setLabelFormat("%.0f");
  // About six ticks whatever the scale (1 MB … 10 GB steps): 1, 2, 2.5 or 5 times a power of ten.
  // Whole MB at least (the labels have no decimals).
  double step = 1;
  {
    const double raw = qMax(maxTotal, 6.0) / 6, mag = std::pow(10.0, std::floor(std::log10(raw)));
    step = mag;
    for (double f : {1.0, 2.0, 2.5, 5.0, 10.0})
      if (f * mag >= raw && !(f == 2.5 && mag < 10)) {  // 2.5 MB steps would need a decimal
        step = f * mag;
        break;
      }
  }
  axisStep_ = step;
  maxTotal_ = maxTotal;
  x->setRange(0, std::ceil(qMax(maxTotal, 1.0) * 1.04 / step) * step);
  x->setTickCount(static_cast<int>(std::ceil(qMax(maxTotal, 1.0) * 1.04 / step)) + 1);
  chart->addAxis(x, Qt::AlignBottom);
  series->attachAxis(x);
  if (presenter_)
    for (auto* ax : chart->axes()) {
      ax->setLabelsBrush(Qt::black);
      ax->setTitleBrush(Qt::black);
      ax->setLinePen(QPen(Qt::black, 2));
      ax->setGridLinePen(QPen(QColor("#9a9a9a"), 1));
    }
  titleDetail_ = QString("%1 · Python %2 · %3")
                     .arg(compressed_ ? "compressed pull size" : "on disk", QString::fromStdString(a_->pythonVersion),
                          QString::fromStdString(a_->settings.arch));
  chart->setTitle("Estimated image size per variant — " + titleDetail_);
  // What QtCharts does not draw: the legend, the open ends, the selection band and the pointer.
  for (auto& e : legend_) {
    if (e.openEnd) {
      auto* item = new QGraphicsPathItem(chart);
      item->setPen(e.pen);
      e.swatch = item;
    } else {
      auto* item = new QGraphicsRectItem(chart);
      item->setBrush(e.brush);
      item->setPen(e.pen);
      e.swatch = item;
    }
    auto* t = new QGraphicsSimpleTextItem(e.text, chart);
    t->setBrush(textColour);
    e.label = t;
    e.swatch->setZValue(7);
    e.label->setZValue(7);
  }
  for (auto& o : openEnds_) {
    o.lines = new QGraphicsPathItem(chart);
    o.lines->setPen(QPen(textColour, presenter_ ? 2.5 : 1.6, Qt::DashLine));
    o.lines->setZValue(6);
    o.lines->setToolTip(o.tip);
    auto* q = new QGraphicsSimpleTextItem("?", chart);
    q->setBrush(textColour);
    q->setZValue(6);
    q->setToolTip(o.tip);
    o.mark = q;
  }
  band_ = new QGraphicsRectItem(chart);
  band_->setPen(Qt::NoPen);
  QColor bandColour = presenter_ ? QColor("#ffd24d") : palette().color(QPalette::Highlight);
  bandColour.setAlpha(presenter_ ? 110 : 55);
  band_->setBrush(bandColour);
  band_->setZValue(0.5);  // above the plot area, under the grid and the bars
  band_->hide();
  pointer_ = new QGraphicsPathItem(chart);
  pointer_->setPen(QPen(pointerColour(), 4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  pointer_->setBrush(Qt::NoBrush);
  pointer_->setZValue(8);
  pointer_->hide();
  // Right after QtCharts lays out (a screenshot may be taken before the event loop runs again).
  connect(chart, &QChart::plotAreaChanged, this, &VariantChart::layoutOverlay);
  QChart* old = this->chart();
  setChart(chart);
  delete old;
  applyFonts();
  if (selected_.first >= 0) selectLayer(selected_.first, selected_.second);
  scheduleOverlay();
  fitMinimumHeight();
}

void VariantChart::applyFonts() {
  const QFont f = labelFont();
  QFont title = f;
  title.setPointSizeF(f.pointSizeF() * 1.15);
  title.setBold(true);
  QFont labels = f;
  labels.setPointSizeF(f.pointSizeF() * labelShrink_);
  chart()->setTitleFont(title);
  chart()->legend()->setFont(f);
  for (auto* ax : chart()->axes()) {
    ax->setLabelsFont(ax->orientation() == Qt::Vertical ? labels : f);
    ax->setTitleFont(f);
  }
  for (auto& e : legend_)
    if (auto* t = dynamic_cast<QGraphicsSimpleTextItem*>(e.label)) t->setFont(f);
  QFont mark = f;
  mark.setBold(true);
  mark.setPointSizeF(f.pointSizeF() * 1.2);
  for (auto& o : openEnds_)
    if (auto* t = dynamic_cast<QGraphicsSimpleTextItem*>(o.mark)) t->setFont(mark);
}

void VariantChart::scheduleOverlay() {
  if (overlayScheduled_ || inOverlay_) return;
  overlayScheduled_ = true;
  QTimer::singleShot(0, this, [this] {
    overlayScheduled_ = false;
    layoutOverlay();
  });
}

void VariantChart::resizeEvent(QResizeEvent* e) {
  QChartView::resizeEvent(e);
  fitMinimumHeight();  // the legend's rows follow the width
  scheduleOverlay();
}

// Where a value (MB along the bar, the bar's row from the bottom) is on the chart, from the plot
// area and the axis' range — what QtCharts draws with, without waiting for its series to follow.
QPointF VariantChart::valueToChart(double mbValue, int row) const {
  const QRectF plot = chart()->plotArea();
  auto* x = qobject_cast<QValueAxis*>(chart()->axes(Qt::Horizontal).value(0));
  const int n = qMax(1, static_cast<int>(variants_.size()));
  const double lo = x ? x->min() : 0, hi = x && x->max() > x->min() ? x->max() : lo + 1;
  return {plot.left() + (mbValue - lo) / (hi - lo) * plot.width(), plot.bottom() - (row + 0.5) * plot.height() / n};
}

QRect VariantChart::toViewport(const QRectF& chartRect) const {
  if (chartRect.isEmpty()) return {};
  return mapFromScene(chart()->mapToScene(chartRect)).boundingRect();
}

// The labels' form: the first of full, short and two-line that fits the width QtCharts gives the
// axis (40 % of the chart, less the padding) and the height of a bar's slot; else the short form
// in a smaller font. True when it changed.
bool VariantChart::fitLabels() {
  if (labelForms_.isEmpty() || variants_.isEmpty()) return false;
  auto* y = qobject_cast<QBarCategoryAxis*>(chart()->axes(Qt::Vertical).value(0));
  if (!y) return false;
  // The title on two lines when one is too wide.
  const QString oneLine = "Estimated image size per variant — " + titleDetail_;
  const QString title = labelSize(chart()->titleFont(), oneLine.toHtmlEscaped()).width() > chart()->size().width() - 24
                            ? "Estimated image size per variant<br>" + titleDetail_.toHtmlEscaped()
                            : oneLine;
  bool changed = false;
  if (chart()->title() != title) {
    chart()->setTitle(title);
    changed = true;
    fitMinimumHeight();
  }
  const QMargins m = chart()->margins();
  const double avail = 0.4 * (chart()->size().width() - m.left() - m.right()) - 12;
  const double slot = chart()->plotArea().height() > 0 ? chart()->plotArea().height() / variants_.size() : 1e9;
  const QFont f = labelFont();
  auto fits = [&](const QStringList& form, const QFont& font) {
    for (const auto& l : form) {
      const QSizeF sz = labelSize(font, l);
      if (sz.width() > avail || sz.height() > slot - 8) return false;  // QtCharts pads a label by 4 px above and below
    }
    return true;
  };
  int form = -1;
  double shrink = 1.0;
  for (int k = 0; k < labelForms_.size() && form < 0; ++k)
    if (fits(labelForms_[k], f)) form = k;
  if (form < 0) {
    // Even the short form is too wide or too tall: a smaller font for the labels alone.
    form = 1;
    for (shrink = 0.95; shrink > 0.45; shrink -= 0.05) {
      QFont g = f;
      g.setPointSizeF(f.pointSizeF() * shrink);
      if (fits(labelForms_[1], g)) break;
    }
  }
  if (form == labelForm_ && qFuzzyCompare(shrink, labelShrink_) && y->categories() == labelForms_[form]) return changed;
  labelForm_ = form;
  labelShrink_ = shrink;
  y->setCategories(labelForms_[form]);
  applyFonts();
  return true;
}

void VariantChart::layoutOverlay() {
  if (!a_ || variants_.isEmpty() || inOverlay_) return;
  inOverlay_ = true;
  const QSizeF size = chart()->size();
  const QFont f = labelFont();
  const QFontMetricsF fm(f);
  // The legend: rows of entries, wrapped at the chart's width, under the axis.
  const double sw = fm.height() * 0.8, gap = fm.averageCharWidth() * 0.8, spacing = fm.averageCharWidth() * 2.5;
  const double maxRow = size.width() - 16;
  QList<QList<int>> rows;
  rows.append(QList<int>());
  QList<double> rowWidth;
  rowWidth.append(0);
  for (int i = 0; i < legend_.size(); ++i) {
    const double w = (legend_[i].openEnd ? sw * 2.2 : sw) + gap + fm.horizontalAdvance(legend_[i].text);
    if (!rows.last().isEmpty() && rowWidth.last() + spacing + w > maxRow) {
      rows.append(QList<int>());
      rowWidth.append(0);
    }
    rowWidth.last() += (rows.last().isEmpty() ? 0 : spacing) + w;
    rows.last().append(i);
  }
  const double line = fm.height() * 1.25;
  const int legendHeight = legend_.isEmpty() ? 0 : static_cast<int>(std::ceil(rows.size() * line + 6));
  const QMargins want(4, 4, 4, 4 + legendHeight);
  if (chart()->margins() != want) chart()->setMargins(want);
  double y = size.height() - legendHeight - 1 + (line - fm.height()) / 2;
  for (int r = 0; r < rows.size(); ++r, y += line) {
    double x = (size.width() - rowWidth[r]) / 2;
    for (int i : rows[r]) {
      auto& e = legend_[i];
      const double swW = e.openEnd ? sw * 2.2 : sw;
      const double top = y + (fm.height() - sw) / 2;
      if (auto* rect = dynamic_cast<QGraphicsRectItem*>(e.swatch)) rect->setRect(x, top, sw, sw);
      if (auto* path = dynamic_cast<QGraphicsPathItem*>(e.swatch)) {
        QPainterPath p;
        p.moveTo(x, top);
        p.lineTo(x + swW, top);
        p.moveTo(x, top + sw);
        p.lineTo(x + swW, top + sw);
        path->setPath(p);
      }
      e.label->setPos(x + swW + gap, y);
      x += swW + gap + fm.horizontalAdvance(e.text) + spacing;
    }
  }
  const bool relabelled = fitLabels();
  // Room after the longest bar for its open end and "?": the axis goes further when needed.
  auto* xAxis = qobject_cast<QValueAxis*>(chart()->axes(Qt::Horizontal).value(0));
  const QRectF plot = chart()->plotArea();
  const double openLen = fm.height() * kOpenEndEms;
  if (!openEnds_.isEmpty() && xAxis && plot.width() > 0) {
    double need = 0;
    for (const auto& o : openEnds_) need = qMax(need, o.knownMB);
    const double room = openLen + fm.horizontalAdvance("?") * 1.4 + 10;
    if (plot.width() > room * 1.5) {
      const double wantMax = need * plot.width() / (plot.width() - room);
      if (xAxis->max() < wantMax) {
        const double top = std::ceil(wantMax / axisStep_) * axisStep_;
        xAxis->setRange(0, top);
        xAxis->setTickCount(static_cast<int>(std::lround(top / axisStep_)) + 1);
      }
    }
  }
  // The open ends: two dashed lines continuing the bar, not on the scale, and a "?".
  const int n = static_cast<int>(variants_.size());
  const double slot = n > 0 ? plot.height() / n : 0;
  for (auto& o : openEnds_) {
    const QPointF at = valueToChart(o.knownMB, o.row);
    const double h = slot * 0.72;
    QPainterPath p;
    p.moveTo(at.x(), at.y() - h / 2);
    p.lineTo(at.x() + openLen, at.y() - h / 2);
    p.moveTo(at.x(), at.y() + h / 2);
    p.lineTo(at.x() + openLen, at.y() + h / 2);
    o.lines->setPath(p);
    const QRectF qr = o.mark->boundingRect();
    o.mark->setPos(at.x() + openLen + 4, at.y() - qr.height() / 2);
  }
  placeSelection();
  inOverlay_ = false;
  // A new label form changes the axis' width: lay out once more after QtCharts has.
  if (relabelled) scheduleOverlay();
}

int VariantChart::legendRows(double width) const {
  const QFontMetricsF fm(labelFont());
  const double sw = fm.height() * 0.8, gap = fm.averageCharWidth() * 0.8, spacing = fm.averageCharWidth() * 2.5;
  int rows = legend_.isEmpty() ? 0 : 1;
  double x = 0;
  for (const auto& e : legend_) {
    const double w = (e.openEnd ? sw * 2.2 : sw) + gap + fm.horizontalAdvance(e.text);
    if (x > 0 && x + spacing + w > width - 16) {
      ++rows;
      x = 0;
    }
    x += (x > 0 ? spacing : 0) + w;
  }
  return rows;
}

QSize VariantChart::minimumSizeHint() const {
  const QFontMetricsF fm(labelFont());
  const int bars = qMax(1, barCount());
  const double label = labelSize(labelFont(), "Xy").height() + 9;  // a label and QtCharts' padding
  const bool twoLineTitle = chart()->title().contains("<br>");
  const double h = fm.height() * 1.15 * (twoLineTitle ? 2.6 : 1.5)  // the title
                   + bars * label                       // the bars' labels
                   + fm.height() * 2.7                  // the axis' labels and title
                   + legendRows(qMax(width(), 400)) * fm.height() * 1.25 + 12;
  return {200, qMax(200, static_cast<int>(std::ceil(h)))};
}

void VariantChart::setPlaceholder(const QString& text) {
  placeholder_ = text.isEmpty() ? noProjectText() : text;
  if (!a_) rebuild();
}

QBarSet* VariantChart::layerSet(int variant, int layer) const {
  if (auto* s = sets_.value({variant, layer}, nullptr)) return s;
  auto v = runs_.constFind(variant);
  if (v == runs_.constEnd() || v->isEmpty()) return nullptr;
  auto it = v->upperBound(layer);  // the first run starting after `layer`
  if (it == v->constBegin()) return nullptr;
  --it;
  return layer < it->end ? it->set : nullptr;
}

int VariantChart::segmentCount(int variant) const {
  int n = 0;
  for (auto it = sets_.constBegin(); it != sets_.constEnd(); ++it) n += it.key().first == variant;
  return n + static_cast<int>(runs_.value(variant).size());
}

void VariantChart::selectLayer(int variant, int layer) {
  const QColor border = presenter_ ? QColor(Qt::white) : dark_ ? QColor("#1e1e1e") : QColor(Qt::white);
  if (auto* old = layerSet(selected_.first, selected_.second)) old->setPen(QPen(border, 1));
  selected_ = {variant, layer};
  if (variant >= 0) selectedVariant_ = variant;
  if (auto* s = layerSet(variant, layer)) s->setPen(QPen(dark_ && !presenter_ ? QColor(Qt::white) : QColor(Qt::black), 3));
  placeSelection();
}

void VariantChart::setSelectedVariant(int variant) {
  selectedVariant_ = variant;
  placeSelection();
}

// The band behind the selected variant's bar and, in presenter mode, the pointer: a ring around
// the selected segment and an arrow onto it (onto the bar's end when no layer is selected).
void VariantChart::placeSelection() {
  if (!band_ || !pointer_ || !a_) return;
  auto* series = chart()->series().isEmpty() ? nullptr : qobject_cast<QHorizontalStackedBarSeries*>(chart()->series().first());
  const int n = static_cast<int>(variants_.size());
  const int i = static_cast<int>(variants_.indexOf(selectedVariant_));
  const QRectF plot = chart()->plotArea();
  if (!series || i < 0 || plot.isEmpty()) {
    band_->hide();
    pointer_->hide();
    return;
  }
  const int row = n - 1 - i;
  const double slot = plot.height() / n;
  const QPointF rowAt = valueToChart(0, row);
  band_->setRect(plot.left(), rowAt.y() - slot / 2, plot.width(), slot);
  band_->show();
  if (!presenter_) {
    pointer_->hide();
    return;
  }
  // The selected segment's extent along the bar (or the bar's end).
  double from = 0, to = 0;
  QBarSet* target = selected_.first == selectedVariant_ ? layerSet(selected_.first, selected_.second) : nullptr;
  double total = 0;
  for (auto* s : series->barSets()) {
    const double v = row < s->count() ? s->at(row) : 0;
    if (s == target) {
      from = total;
      to = total + v;
    }
    total += v;
  }
  if (!target || to <= from) from = to = total;
  const double h = slot * 0.72;
  const QPointF a = valueToChart(from, row), b = valueToChart(to, row);
  QRectF ring(QPointF(a.x(), a.y() - h / 2), QPointF(b.x(), b.y() + h / 2));
  ring.adjust(-5, -5, 5, 5);
  if (ring.width() < 18) ring.adjust(-(18 - ring.width()) / 2, 0, (18 - ring.width()) / 2, 0);
  QPainterPath p;
  p.addRoundedRect(ring, 6, 6);
  // The arrow: from above the bar down onto the ring's top edge.
  const double cx = ring.center().x(), len = qMax(24.0, slot * 0.6);
  const double tipY = ring.top() - 2;
  p.moveTo(cx, tipY - len);
  p.lineTo(cx, tipY);
  p.moveTo(cx - 9, tipY - 12);
  p.lineTo(cx, tipY);
  p.lineTo(cx + 9, tipY - 12);
  pointer_->setPath(p);
  pointer_->show();
}

QRect VariantChart::openEndRect(int variant) const {
  for (const auto& o : openEnds_)
    if (o.variant == variant && o.lines && o.mark)
      return toViewport(o.lines->mapRectToParent(o.lines->boundingRect()).united(o.mark->mapRectToParent(o.mark->boundingRect())));
  return {};
}

QList<QRect> VariantChart::legendEntryRects() const {
  QList<QRect> out;
  for (const auto& e : legend_)
    if (e.swatch && e.label)
      out << toViewport(e.swatch->mapRectToParent(e.swatch->boundingRect()).united(e.label->mapRectToParent(e.label->boundingRect())));
  return out;
}

QStringList VariantChart::legendTexts() const {
  QStringList out;
  for (const auto& e : legend_) out << e.text;
  return out;
}

QRect VariantChart::pointerRect() const {
  return pointer_ && pointer_->isVisible() ? toViewport(pointer_->mapRectToParent(pointer_->boundingRect())) : QRect();
}

QRect VariantChart::selectionBandRect() const {
  return band_ && band_->isVisible() ? toViewport(band_->mapRectToParent(band_->rect())) : QRect();
}

void VariantChart::mousePressEvent(QMouseEvent* e) {
  // The open end selects the bar's first unknown layer.
  const QPointF inChart = chart()->mapFromScene(mapToScene(e->position().toPoint()));
  for (const auto& o : openEnds_)
    if (o.lines && o.mark &&
        o.lines->mapRectToParent(o.lines->boundingRect()).united(o.mark->mapRectToParent(o.mark->boundingRect())).adjusted(-4, -4, 4, 4).contains(inChart)) {
      emit layerClicked(o.variant, o.firstUnknown);
      return;
    }
  QChartView::mousePressEvent(e);
}

double VariantChart::exportFontScale(QSize size) {
  // The window's chart is drawn for about 800 × 450 px: an export scales its fonts with the size
  // (by the smaller of the two ratios, so the labels keep fitting). At 1920 × 1080 a 9 pt label
  // becomes 21.6 pt, 29 px: 1/37 of the height.
  return qMax(1.0, qMin(size.width() / 800.0, size.height() / 450.0));
}

bool VariantChart::exportTo(const QString& file, QSize size, QString* error) const {
  VariantChart copy;
  copy.setAttribute(Qt::WA_DontShowOnScreen);
  copy.setFrameShape(QFrame::NoFrame);
  copy.setFont(font());
  copy.dark_ = dark_;
  copy.presenter_ = presenter_;
  copy.scale_ = scale_ * exportFontScale(size);
  copy.resize(size);
  copy.setAnalysis(a_, variants_, compressed_);
  copy.show();  // not on screen: it lays the view out at `size`
  // Laid out now (no event loop to wait for): QtCharts, then what is drawn here, until the labels settle.
  for (int pass = 0; pass < 4; ++pass) {
    QCoreApplication::sendPostedEvents();
    if (auto* l = copy.chart()->layout()) {
      l->invalidate();
      l->activate();
    }
    copy.layoutOverlay();
  }
  const bool svg = QFileInfo(file).suffix().compare("svg", Qt::CaseInsensitive) == 0;
  if (svg) {
    QSvgGenerator gen;
    gen.setFileName(file);
    gen.setSize(size);
    gen.setViewBox(QRect(QPoint(0, 0), size));
    gen.setResolution(copy.logicalDpiY());  // a point of the fonts is what it is on screen
    gen.setTitle("slimbench variants");
    QPainter p;
    if (!p.begin(&gen)) {
      if (error) *error = "Cannot write " + file;
      return false;
    }
    copy.render(&p, QRectF(QPointF(0, 0), size), copy.viewport()->rect());
    p.end();
    return QFileInfo(file).size() > 0;
  }
  QImage img = copy.grab().toImage();
  if (!img.save(file, "PNG")) {
    if (error) *error = "Cannot write " + file;
    return false;
  }
  return true;
}

QPoint VariantChart::segmentCentre(int variant, int layer) const {
  QBarSet* target = layerSet(variant, layer);
  if (!target || chart()->series().isEmpty()) return {};
  auto* series = qobject_cast<QHorizontalStackedBarSeries*>(chart()->series().first());
  if (!series) return {};
  int row = -1;
  for (int i = 0; i < target->count(); ++i)
    if (target->at(i) > 0) row = i;
  if (row < 0) return {};
  double before = 0;
  for (auto* s : series->barSets()) {
    if (s == target) break;
    if (row < s->count()) before += s->at(row);
  }
  const QPointF inChart = valueToChart(before + target->at(row) / 2, row);
  return mapFromScene(chart()->mapToScene(inChart));
}

}  // namespace slimbench::ui
