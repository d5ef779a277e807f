#include "variantchart.h"

#include <algorithm>
#include <map>
#include <numeric>

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QCursor>
#include <QFileInfo>
#include <QHorizontalStackedBarSeries>
#include <QImage>
#include <QLabel>
#include <QLegend>
#include <QMouseEvent>
#include <QScreen>
#include <QLegendMarker>
#include <QPainter>
#include <QSvgGenerator>
#include <QToolTip>
#include <QValueAxis>
#include <cmath>

namespace slimbench::ui {

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

void VariantChart::setFontScale(double scale) {
  scale_ = scale;
  applyFonts();
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
    out << total - placeholders_.value(v, 0.0);  // hatched "?" widths are placeholders, not sizes
  }
  return out;
}

void VariantChart::rebuild() {
  hideHoverTip();
  sets_.clear();
  runs_.clear();
  placeholders_.clear();
  auto* chart = new QChart;
  chart->setTheme(dark_ ? QChart::ChartThemeDark : QChart::ChartThemeLight);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setMargins(QMargins(4, 4, 4, 4));
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
  // Legend: one zero-valued set per category present.
  std::vector<bool> present(allCategories().size(), false);
  for (int v : variants_)
    for (const auto& l : a_->variants[static_cast<size_t>(v)].estimate.layers)
      present[static_cast<size_t>(l.category)] = true;
  QList<QBarSet*> legendSets;
  for (auto c : allCategories()) {
    if (!present[static_cast<size_t>(c)]) continue;
    auto* s = new QBarSet(estimate::categoryTitle(c));
    s->setColor(categoryColour(c));
    s->setBorderColor(categoryColour(c));
    for (int i = 0; i < n; ++i) *s << 0.0;
    series->append(s);
    legendSets << s;
  }
  // A layer whose size is unknown is drawn as a hatched "?" segment: its known part, or a
  // placeholder width (3 % of the largest bar) when nothing of it is known. The bar's label
  // then reads "≥" — the bar is a lower bound, never a silent 0.
  bool anyUnknown = false;
  double maxKnown = 0;
  for (int v : variants_) {
    double t = 0;
    for (const auto& l : a_->variants[static_cast<size_t>(v)].estimate.layers) {
      t += static_cast<double>(compressed_ ? l.compressed.mid : l.disk.mid) / 1e6;
      anyUnknown = anyUnknown || l.basis == estimate::Basis::Unknown;
    }
    maxKnown = qMax(maxKnown, t);
  }
  const double placeholder = qMax(1.0, maxKnown * 0.03);
  if (anyUnknown) {
    auto* s = new QBarSet("Unknown size (?)");
    s->setBrush(QBrush(dark_ ? QColor("#bbbbbb") : QColor("#555555"), Qt::BDiagPattern));
    s->setBorderColor(dark_ ? QColor("#bbbbbb") : QColor("#555555"));
    for (int i = 0; i < n; ++i) *s << 0.0;
    series->append(s);
    legendSets << s;
  }
  const QColor border = dark_ ? QColor("#1e1e1e") : QColor(Qt::white);
  QStringList labels(n, QString());
  double maxTotal = 0;
  for (int i = 0; i < n; ++i) {
    const int vi = variants_[i];
    const auto& v = a_->variants[static_cast<size_t>(vi)];
    double total = 0, knownTotal = 0;
    const auto& layers = v.estimate.layers;
    const int count = static_cast<int>(layers.size());
    auto shown = [&](const estimate::LayerEstimate& l) {
      const double known = static_cast<double>(compressed_ ? l.compressed.mid : l.disk.mid) / 1e6;
      return l.basis == estimate::Basis::Unknown ? qMax(known, placeholder) : known;
    };
    // Which layers keep their own segment: all of them, or the kMaxSegments largest.
    std::vector<char> own(static_cast<size_t>(count), 1);
    if (count > kMaxSegments) {
      std::vector<int> order(static_cast<size_t>(count));
      std::iota(order.begin(), order.end(), 0);
      std::nth_element(order.begin(), order.begin() + kMaxSegments, order.end(), [&](int x, int y) {
        const double sx = shown(layers[size_t(x)]), sy = shown(layers[size_t(y)]);
        return sx != sy ? sx > sy : x < y;
      });
      std::fill(own.begin(), own.end(), 0);
      for (int k = 0; k < kMaxSegments; ++k) own[size_t(order[size_t(k)])] = 1;
    }
    for (int li = 0; li < count;) {
      if (!own[size_t(li)]) {
        // A run of smaller layers: one segment, hatched when any of them is of unknown size.
        int end = li;
        double known = 0;
        int unknownCount = 0;
        std::map<estimate::Category, double> byCategory;
        for (; end < count && !own[size_t(end)]; ++end) {
          const auto& l = layers[size_t(end)];
          const double k = static_cast<double>(compressed_ ? l.compressed.mid : l.disk.mid) / 1e6;
          known += k;
          byCategory[l.category] += k;
          unknownCount += l.basis == estimate::Basis::Unknown;
        }
        const double val = unknownCount && known <= 0 ? placeholder : known;
        estimate::Category cat = layers[size_t(li)].category;
        double best = -1;
        for (const auto& [c, mbs] : byCategory)
          if (mbs > best) best = mbs, cat = c;
        const int first = li, n2 = end - li;
        const int lineA = layers[size_t(li)].line, lineB = layers[size_t(end - 1)].line;
        auto* s = new QBarSet(QString("%1%2 smaller layers, lines %3–%4").arg(unknownCount ? "? " : "").arg(n2).arg(lineA).arg(lineB));
        s->setColor(categoryColour(cat));
        if (unknownCount) s->setBrush(QBrush(categoryColour(cat).darker(130), Qt::BDiagPattern));
        s->setPen(QPen(border, 1));
        for (int r = 0; r < n; ++r) *s << (r == rowOf(i) ? val : 0.0);
        series->append(s);
        runs_[vi].insert(first, Run{end, s});
        total += val;
        knownTotal += known;
        if (val > known) placeholders_[vi] += val - known;
        connect(s, &QBarSet::hovered, this, [this, vi, first, end, known, unknownCount](bool on, int) {
          if (!on || !a_) {
            if (hovered_ == QPair<int, int>(vi, first)) hideHoverTip();
            return;
          }
          const auto& var = a_->variants[static_cast<size_t>(vi)];
          const auto& ls = var.estimate.layers;
          QString tip = QString("<b>%1</b> — %2 smaller layers merged into one segment<br>lines %3–%4: %5%6 MB %7")
                            .arg(generate::variantTitle(var.kind))
                            .arg(end - first)
                            .arg(ls[size_t(first)].line)
                            .arg(ls[size_t(end - 1)].line)
                            .arg(unknownCount ? "≥ " : "")
                            .arg(mb(static_cast<std::uint64_t>(known * 1e6)))
                            .arg(compressed_ ? "compressed" : "on disk");
          if (unknownCount)
            tip += QString("<br>? %1 of them of unknown size (hatched: the total is a lower bound)").arg(unknownCount);
          tip += QString("<br><i>The bar shows its %1 largest layers one by one. Click to select the first; the Layers tab lists each.</i>")
                     .arg(kMaxSegments);
          hovered_ = {vi, first};
          showHoverTip(tip);
        });
        connect(s, &QBarSet::clicked, this, [this, vi, first](int) { emit layerClicked(vi, first); });
        li = end;
        continue;
      }
      const auto& l = layers[static_cast<size_t>(li)];
      const bool unknown = l.basis == estimate::Basis::Unknown;
      const double known = static_cast<double>(compressed_ ? l.compressed.mid : l.disk.mid) / 1e6;
      const double val = unknown ? qMax(known, placeholder) : known;
      auto* s = new QBarSet((unknown ? "? " : "") + QString::fromStdString(l.instruction).simplified().left(60));
      s->setColor(categoryColour(l.category));
      if (unknown) s->setBrush(QBrush(categoryColour(l.category).darker(130), Qt::BDiagPattern));
      s->setPen(QPen(border, 1));
      for (int r = 0; r < n; ++r) *s << (r == rowOf(i) ? val : 0.0);
      series->append(s);
      sets_.insert({vi, li}, s);
      total += val;
      knownTotal += known;
      if (val > known) placeholders_[vi] += val - known;
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
                               QString::fromStdString(lay.instruction).simplified().left(140).toHtmlEscaped(), size,
                               compressed_ ? "compressed" : "on disk", rangeText(r),
                               QString::fromStdString(lay.reason).toHtmlEscaped());
        for (const auto& u : lay.unknownParts) tip += "<br>? " + QString::fromStdString(u).toHtmlEscaped();
        if (unk && r.mid == 0) tip += "<br><i>The hatched segment's width is a placeholder, not a size.</i>";
        if (!lay.proxyNote.empty()) tip += "<br>≈ proxy: " + QString::fromStdString(lay.proxyNote).toHtmlEscaped();
        for (const auto& note : lay.notes) tip += "<br>⚠ " + QString::fromStdString(note).toHtmlEscaped();
        if (lay.line > 0) tip += QString("<br><i>Dockerfile line %1 · click to select</i>").arg(lay.line);
        hovered_ = {vi, li};
        showHoverTip(tip);
      });
      connect(s, &QBarSet::clicked, this, [this, vi, li](int) { emit layerClicked(vi, li); });
      ++li;
    }
    maxTotal = qMax(maxTotal, total);
    const auto& cov = v.estimate.coverage;
    QString label = cov.complete ? QString("%1  %2 MB").arg(generate::variantTitle(v.kind)).arg(knownTotal, 0, 'f', 0)
                                 : QString("%1  ≥ %2 MB + ?").arg(generate::variantTitle(v.kind)).arg(knownTotal, 0, 'f', 0);
    if (v.parseError) label = QString("%1  (does not parse)").arg(generate::variantTitle(v.kind));
    labels[rowOf(i)] = label;
  }
  chart->addSeries(series);
  // Markers follow append order: the first legendSets.size() are the category entries.
  const auto markers = chart->legend()->markers(series);
  for (int i = 0; i < markers.size(); ++i) markers[i]->setVisible(i < legendSets.size());

  labels_.clear();
  for (int i = n - 1; i >= 0; --i) labels_ << labels[i];
  auto* y = new QBarCategoryAxis;
  y->append(labels);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(y);
  auto* x = new QValueAxis;
  x->setTitleText(compressed_ ? "MB compressed (docker pull)" : "MB on disk (docker images)");
  x->setLabelFormat("%.0f");
  // About six ticks whatever the scale (25 MB … 10 GB steps): 1, 2, 2.5 or 5 times a power of ten.
  double step = 25;
  if (maxTotal > 150) {
    const double raw = maxTotal / 6, mag = std::pow(10.0, std::floor(std::log10(raw)));
    step = mag;
    for (double f : {1.0, 2.0, 2.5, 5.0, 10.0})
      if (f * mag >= raw) {
        step = f * mag;
        break;
      }
  }
  x->setRange(0, std::ceil(maxTotal * 1.04 / step) * step);
  x->setTickCount(static_cast<int>(std::ceil(maxTotal * 1.04 / step)) + 1);
  chart->addAxis(x, Qt::AlignBottom);
  series->attachAxis(x);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setTitle(QString("Estimated image size per variant — %1 · Python %2 · %3")
                      .arg(compressed_ ? "compressed pull size" : "on disk",
                           QString::fromStdString(a_->pythonVersion), QString::fromStdString(a_->settings.arch)));
  QChart* old = this->chart();
  setChart(chart);
  delete old;
  applyFonts();
  if (selected_.first >= 0) selectLayer(selected_.first, selected_.second);
}

void VariantChart::applyFonts() {
  QFont base = font();
  QFont title = base;
  title.setPointSizeF(base.pointSizeF() * 1.15 * scale_);
  title.setBold(true);
  QFont f = base;
  f.setPointSizeF(base.pointSizeF() * scale_);
  chart()->setTitleFont(title);
  chart()->legend()->setFont(f);
  for (auto* ax : chart()->axes()) {
    ax->setLabelsFont(f);
    ax->setTitleFont(f);
  }
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
  const QColor border = dark_ ? QColor("#1e1e1e") : QColor(Qt::white);
  if (auto* old = layerSet(selected_.first, selected_.second)) old->setPen(QPen(border, 1));
  selected_ = {variant, layer};
  if (auto* s = layerSet(variant, layer)) s->setPen(QPen(dark_ ? QColor(Qt::white) : QColor(Qt::black), 3));
}

bool VariantChart::exportTo(const QString& file, QSize size, QString* error) const {
  VariantChart copy;
  copy.setAttribute(Qt::WA_DontShowOnScreen);
  copy.setFont(font());
  copy.dark_ = dark_;
  copy.scale_ = scale_;
  copy.setAnalysis(a_, variants_, compressed_);
  copy.resize(size);
  const bool svg = QFileInfo(file).suffix().compare("svg", Qt::CaseInsensitive) == 0;
  if (svg) {
    QSvgGenerator gen;
    gen.setFileName(file);
    gen.setSize(size);
    gen.setViewBox(QRect(QPoint(0, 0), size));
    gen.setTitle("slimbench variants");
    QPainter p;
    if (!p.begin(&gen)) {
      if (error) *error = "Cannot write " + file;
      return false;
    }
    copy.render(&p);
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

}  // namespace slimbench::ui

namespace slimbench::ui {

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
  const QPointF inChart = chart()->mapToPosition(QPointF(before + target->at(row) / 2, row), series);
  return mapFromScene(chart()->mapToScene(inChart));
}

}  // namespace slimbench::ui
