#include "panes.h"

#include <QHeaderView>
#include <QTableView>

namespace slimbench::ui {

void fitRowHeight(QTableView* t) {
  t->verticalHeader()->setDefaultSectionSize(qMax(t->verticalHeader()->minimumSectionSize(), t->fontMetrics().height() + 8));
}

QTableView* makeTable(QWidget* parent) {
  auto* t = new QTableView(parent);
  t->setSelectionBehavior(QAbstractItemView::SelectRows);
  t->setSelectionMode(QAbstractItemView::SingleSelection);
  t->setAlternatingRowColors(true);
  t->setWordWrap(false);
  t->verticalHeader()->hide();
  // One line per row (no word wrap): a fixed height from the font, not measured row by row —
  // ResizeToContents laid out the text of all 50k layers of a 100k-line Dockerfile (most of a
  // minute). fitRowHeight follows the presenter zoom.
  t->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  fitRowHeight(t);
  t->horizontalHeader()->setHighlightSections(false);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  return t;
}

}  // namespace slimbench::ui
