#pragma once
// What the panes share: the look of their tables.
class QTableView;
class QWidget;

namespace slimbench::ui {

// A read-only table of rows: one line per row, whole rows selected, one at a time.
QTableView* makeTable(QWidget* parent);
// Row height from the current font (follows the presenter zoom).
void fitRowHeight(QTableView* t);

}  // namespace slimbench::ui
