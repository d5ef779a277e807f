#include "variantspane.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QResizeEvent>
#include <QScrollBar>
#include <QTimer>
#include <QTableView>

#include "generate/variants.h"
#include "models.h"
#include "panes.h"
#include "projectdocument.h"
#include "variantchart.h"

namespace slimbench::ui {

VariantsPane::VariantsPane(ProjectDocument* doc, QWidget* parent) : QSplitter(Qt::Vertical, parent), doc_(doc) {
  setChildrenCollapsible(false);
  chart_ = new VariantChart;  // its minimum height follows the font (presenter zoom)
  chart_->setWhatsThis("One bar per variant, one segment per layer of the final image, coloured by what the layer holds. "
                       "Hover a segment for its instruction, size and uncertainty; click it to select the layer. "
                       "View ▸ Compressed pull size (Ctrl+T) switches between on-disk and download size.");
  model_ = new VariantTableModel(this);
  table_ = makeTable(nullptr);
  table_->setModel(model_);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  table_->setWhatsThis("The variants side by side: size on disk and as a pull, the build time with an empty cache and "
                       "after a source-only change, the number of findings, and whether a compiler ships. Click a row "
                       "to see its details.");
  addWidget(chart_);
  addWidget(table_);
  table_->viewport()->installEventFilter(this);  // its width decides how compact the columns are
  setStretchFactor(0, 5);
  setStretchFactor(1, 2);

  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& cur) {
    if (syncing_) return;
    const int v = model_->variantAt(cur.row());
    if (v >= 0 && v != doc_->selectedVariant()) doc_->select(v, -1);
  });
  connect(chart_, &VariantChart::layerClicked, doc, [this](int v, int l) { doc_->select(v, l); });
  connect(doc, &ProjectDocument::analysisChanged, this, &VariantsPane::refresh);
  connect(doc, &ProjectDocument::projectChanged, this, &VariantsPane::refresh);
  connect(doc, &ProjectDocument::selectionChanged, this, &VariantsPane::showSelection);
  refresh();
}

bool VariantsPane::eventFilter(QObject* watched, QEvent* e) {
  if (watched == table_->viewport() && e->type() == QEvent::Resize) {
    const int w = static_cast<QResizeEvent*>(e)->size().width();
    if (w != lastTableWidth_) {
      lastTableWidth_ = w;
      QTimer::singleShot(0, this, &VariantsPane::fitColumns);
    }
  }
  return QSplitter::eventFilter(watched, e);
}

QList<int> VariantsPane::shownVariants() const {
  QList<int> out;
  const auto a = doc_->analysis();
  if (!a) return out;
  for (int i = 0; i < static_cast<int>(a->variants.size()); ++i)
    if (!hidden_.contains(generate::variantId(a->variants[static_cast<size_t>(i)].kind))) out << i;
  return out;
}

void VariantsPane::setHiddenVariants(const QStringList& ids) {
  hidden_ = ids;
  refresh();
}

void VariantsPane::setCompressed(bool on) {
  compressed_ = on;
  refresh();
}

void VariantsPane::setDark(bool dark) { chart_->setDark(dark); }

void VariantsPane::applyFont(const QFont& f) {
  table_->setFont(f);
  table_->horizontalHeader()->setFont(f);  // a header made before the zoom keeps its own font otherwise
  fitRowHeight(table_);
  // Large fonts need less air around them: the chart above keeps its room.
  if (table_->fontMetrics().height() > 18) table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 4);
  chart_->setFont(f);
  chart_->setFontScale(1.0);
  fitColumns();
}

// Every cell whole: when the columns do not fit the table's width (a presenter zoom), the headers
// get short, then the variants go by their short names.
void VariantsPane::fitColumns() {
  auto* header = table_->horizontalHeader();
  const int avail = table_->viewport()->width();
  if (avail <= 0 || model_->rowCount() == 0) return;
  auto needed = [&] {
    int w = 0;
    for (int c = 0; c < model_->columnCount(); ++c) w += qMax(header->sectionSizeHint(c), static_cast<QAbstractItemView*>(table_)->sizeHintForColumn(c));
    return w;
  };
  int level = 0;
  for (; level < 2; ++level) {
    model_->setCompactness(level);
    if (needed() <= avail) break;
  }
  model_->setCompactness(level);
  fitTable();
}

// The comparison table is as tall as its rows (every variant visible at any zoom): the details
// pane gets the rest.
void VariantsPane::fitTable() {
  auto* header = table_->horizontalHeader();
  int h = header->sizeHint().height() + 2 * table_->frameWidth() + 2;
  for (int r = 0; r < model_->rowCount(); ++r) h += table_->verticalHeader()->sectionSize(r);
  if (table_->horizontalScrollBar()->isVisible()) h += table_->horizontalScrollBar()->sizeHint().height();
  table_->setMinimumHeight(h);
  table_->setMaximumHeight(h);
}

void VariantsPane::refresh() {
  const auto a = doc_->analysis();
  if (!a) {
    // No chart of the previous project while this one is analysed (a 100k-line file takes seconds).
    chart_->setAnalysis(nullptr, {}, compressed_);
    chart_->setPlaceholder(doc_->hasProject() ? "Analysing " + QFileInfo(doc_->projectDir()).fileName() + " …" : QString());
    model_->setAnalysis(nullptr, {});
    return;
  }
  const QList<int> shown = shownVariants();
  chart_->setAnalysis(a, shown, compressed_);
  model_->setAnalysis(a, shown);
  fitColumns();
  // A hidden variant is not selected: the first one shown is.
  if (!shown.contains(doc_->selectedVariant()) && !shown.isEmpty()) doc_->select(shown.first(), -1);
  showSelection(doc_->selectedVariant(), doc_->selectedLayer());
}

// The document's selection, in both views: the variant's row and, when a layer is selected, its segment.
void VariantsPane::showSelection(int variant, int layer) {
  const int row = model_->rowOf(variant);
  if (row >= 0 && table_->currentIndex().row() != row) {
    syncing_ = true;  // the view is told (it repaints the row); the document already knows
    table_->selectRow(row);
    syncing_ = false;
  }
  chart_->setSelectedVariant(variant);
  if (layer >= 0) chart_->selectLayer(variant, layer);
  else chart_->selectLayer(-1, -1);
}

}  // namespace slimbench::ui
