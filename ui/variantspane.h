#pragma once
// The variants side by side: the chart (one bar per variant, one segment per layer) over the
// comparison table (one row per variant). Both show the document's selection: a click on a
// segment or a row selects through the document, and every selection, wherever it came from,
// is highlighted in both. The window may add panes below them (the details), in the same
// splitter.
#include <QSplitter>
#include <QStringList>

class QTableView;

namespace slimbench::ui {

class ProjectDocument;
class VariantChart;
class VariantTableModel;

class VariantsPane : public QSplitter {
  Q_OBJECT
 public:
  explicit VariantsPane(ProjectDocument* doc, QWidget* parent = nullptr);

  VariantChart* chart() const { return chart_; }
  QTableView* table() const { return table_; }
  // The variants shown (by index in the analysis), top to bottom.
  QList<int> shownVariants() const;

  // View ▸ Variants: the ids hidden from the chart and table.
  void setHiddenVariants(const QStringList& ids);
  // View ▸ Compressed pull size: the chart's bars in download size.
  void setCompressed(bool on);
  void setDark(bool dark);
  void applyFont(const QFont& f);

 private:
  void refresh();
  void fitTable();
  void fitColumns();
  bool eventFilter(QObject* watched, QEvent* e) override;
  int lastTableWidth_ = -1;
  void showSelection(int variant, int layer);

  ProjectDocument* doc_;
  VariantChart* chart_ = nullptr;
  QTableView* table_ = nullptr;
  VariantTableModel* model_ = nullptr;
  QStringList hidden_;
  bool compressed_ = false;
  bool syncing_ = false;  // the table follows the document: its row change is not the user's
};

}  // namespace slimbench::ui
