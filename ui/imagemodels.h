#pragma once
// Qt item models over an opened image (core/image): the layer table and the
// file tree at one layer with dive-style change marks, plus the filter proxy.
#include <QAbstractItemModel>
#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <memory>
#include <vector>

#include "image/image.h"

namespace slimbench::ui {

// Raw values for sorting and tests (sizes as qulonglong); Qt::DisplayRole is formatted.
inline constexpr int kSortRole = Qt::UserRole + 1;

class LayerTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Index, Size, Compressed, Added, Changed, Removed, CreatedBy, ColumnCount };
  explicit LayerTableModel(QObject* parent = nullptr);
  void setImage(std::shared_ptr<const image::Image> img);
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const image::Image> img_;
};

// The tree after one layer, with the entries that layer removed kept in view
// (marked Removed). Reads the core FileTree itself (no copy of the nodes): an
// index's internal id is a node of the current tree, or (high bit set) a node
// of the previous tree that this layer removed. Per node it keeps only the
// mark and the match in the previous tree (5-9 bytes), so a million-file
// image stays browsable.
class FileTreeModel : public QAbstractItemModel {
  Q_OBJECT
 public:
  enum Column { Name, Size, Files, Layer, Change, ColumnCount };
  enum class Mark : int { Unchanged, Modified /* a directory with changes below */, Added, Changed, Removed };
  static constexpr int kMarkRole = Qt::UserRole + 2;  // int(Mark)
  static constexpr int kPathRole = Qt::UserRole + 3;  // "/usr/bin/python3"

  explicit FileTreeModel(QObject* parent = nullptr);
  // `prev` is the tree before `layer` (nullptr for the first layer or no marks). Both finalized.
  void setTrees(std::shared_ptr<const image::FileTree> cur, std::shared_ptr<const image::FileTree> prev, int layer);
  void clear();

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

  // The index of "/app/x" (source model), invalid when not in view.
  QModelIndex findPath(const QString& path) const;
  int layer() const { return layer_; }
  std::size_t nodeCount() const { return cur_ ? cur_->nodeCount() + removedNodes_ : 0; }

 private:
  static constexpr quintptr kRemoved = quintptr(1) << 31;
  struct View {  // one row's facts
    const image::FileTree* tree;
    std::int32_t node;
    Mark mark;
  };
  View view(quintptr id) const;
  // Removed roots shown under cur directory d: [first, last) of removed_.
  std::pair<std::size_t, std::size_t> removedUnder(std::int32_t d) const;
  int rowOf(quintptr id) const;
  int childRows(quintptr id) const;

  std::shared_ptr<const image::FileTree> cur_, prev_;
  int layer_ = -1;
  std::vector<std::uint8_t> mark_;                              // per cur node
  std::vector<std::int32_t> curOf_;                             // per prev node: its match in cur, -1
  std::vector<std::pair<std::int32_t, std::int32_t>> removed_;  // (cur dir, removed prev node), by dir then name
  std::size_t removedNodes_ = 0;
};

// Filter by path text (case-insensitive) and, optionally, changed entries only; parents of a
// match stay visible. Sorting uses kSortRole.
class FileFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  explicit FileFilterProxy(QObject* parent = nullptr);
  void setText(const QString& text);
  void setChangesOnly(bool on);
  bool changesOnly() const { return changesOnly_; }

 protected:
  bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

 private:
  QString text_;
  bool changesOnly_ = false;
};

QString humanSize(quint64 bytes);

}  // namespace slimbench::ui
