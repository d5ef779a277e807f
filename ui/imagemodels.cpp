#include "imagemodels.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace slimbench::ui {

QString humanSize(quint64 bytes) { return QString::fromStdString(image::humanSize(bytes)); }

// ---- layers ----------------------------------------------------------------

LayerTableModel::LayerTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void LayerTableModel::setImage(std::shared_ptr<const image::Image> img) {
  beginResetModel();
  img_ = std::move(img);
  endResetModel();
}

int LayerTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !img_ ? 0 : static_cast<int>(img_->layers.size());
}

int LayerTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LayerTableModel::data(const QModelIndex& index, int role) const {
  if (!img_ || !index.isValid() || index.row() >= rowCount()) return {};
  const image::Layer& l = img_->layers[std::size_t(index.row())];
  auto changes = [](const image::Changes& c, const char* sign) {
    return c.count ? QString("%1%2 (%3)").arg(sign).arg(c.count).arg(humanSize(c.bytes)) : QString();
  };
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case Index: return l.index + 1;
      case Size: return humanSize(l.size);
      case Compressed: return humanSize(l.compressedSize);
      case Added: return changes(l.added, "+");
      case Changed: return changes(l.changed, "~");
      case Removed: return changes(l.removed, "−");
      case CreatedBy: return QString::fromStdString(l.createdBy).simplified();
    }
  } else if (role == kSortRole) {
    switch (index.column()) {
      case Index: return l.index;
      case Size: return qulonglong(l.size);
      case Compressed: return qulonglong(l.compressedSize);
      case Added: return qulonglong(l.added.count);
      case Changed: return qulonglong(l.changed.count);
      case Removed: return qulonglong(l.removed.count);
      case CreatedBy: return QString::fromStdString(l.createdBy);
    }
  } else if (role == Qt::ToolTipRole) {
    return QString("Layer %1: %2 uncompressed tar (%3 of files), %4 stored (%5)\n%6\n%7")
        .arg(l.index + 1)
        .arg(humanSize(l.size), humanSize(l.contentBytes), humanSize(l.compressedSize), QString::fromStdString(l.compression),
             QString::fromStdString(l.digest), QString::fromStdString(l.createdBy));
  } else if (role == Qt::TextAlignmentRole && index.column() != CreatedBy) {
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  } else if (role == Qt::ForegroundRole) {
    if (index.column() == Added) return QBrush(QColor("#2e7d32"));
    if (index.column() == Changed) return QBrush(QColor("#b26a00"));
    if (index.column() == Removed) return QBrush(QColor("#c62828"));
  }
  return {};
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* names[] = {"#", "Size", "Stored", "Added", "Changed", "Removed", "Created by"};
  return section >= 0 && section < ColumnCount ? QString(names[section]) : QVariant();
}

// ---- file tree -------------------------------------------------------------

FileTreeModel::FileTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void FileTreeModel::clear() {
  beginResetModel();
  cur_.reset();
  prev_.reset();
  mark_.clear();
  curOf_.clear();
  removed_.clear();
  removedNodes_ = 0;
  layer_ = -1;
  endResetModel();
}

void FileTreeModel::setTrees(std::shared_ptr<const image::FileTree> cur, std::shared_ptr<const image::FileTree> prev,
                             int layer) {
  beginResetModel();
  cur_ = std::move(cur);
  prev_ = std::move(prev);
  layer_ = layer;
  removed_.clear();
  removedNodes_ = 0;
  curOf_.clear();
  const image::FileTree& c = *cur_;
  const std::size_t n = c.nodeCount();
  mark_.assign(n, std::uint8_t(Mark::Unchanged));
  // The match of each cur node in prev: parents come before children, so one forward pass.
  std::vector<std::int32_t> prevOf;
  if (prev_) {
    prevOf.assign(n, -1);
    prevOf[0] = image::FileTree::kRoot;
    curOf_.assign(prev_->nodeCount(), -1);
    curOf_[0] = image::FileTree::kRoot;
    for (std::size_t i = 1; i < n; ++i) {
      const auto& k = c.node(std::int32_t(i));
      auto pp = prevOf[std::size_t(k.parent)];
      if (pp >= 0 && c.node(k.parent).type == image::NodeType::Dir) {
        prevOf[i] = prev_->child(pp, c.name(std::int32_t(i)));
        if (prevOf[i] >= 0) curOf_[std::size_t(prevOf[i])] = std::int32_t(i);
      }
    }
  }
  for (std::size_t i = 1; i < n; ++i) {
    const auto& k = c.node(std::int32_t(i));
    const bool inPrev = prev_ && prevOf[i] >= 0;
    Mark m = Mark::Unchanged;
    if (layer_ >= 0 && k.layer == layer_) {
      if (!inPrev) m = Mark::Added;
      else if (k.type != image::NodeType::Dir) m = Mark::Changed;  // a directory entry rewritten is not a change
    } else if (layer_ >= 0 && prev_ && !inPrev) {
      m = Mark::Added;  // an implied parent directory new in this layer
    }
    mark_[i] = std::uint8_t(m);
  }
  // What prev had under a cur directory that cur no longer has.
  if (prev_) {
    for (std::size_t p = 0; p < prev_->nodeCount(); ++p) {
      auto d = curOf_[p];
      if (d < 0 || c.node(d).type != image::NodeType::Dir) continue;
      for (auto ch : prev_->children(std::int32_t(p)))
        if (curOf_[std::size_t(ch)] < 0) removed_.emplace_back(d, ch);
    }
    std::stable_sort(removed_.begin(), removed_.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    removedNodes_ = 0;
    for (const auto& r : removed_) {  // whole removed subtrees are in view
      std::vector<std::int32_t> stack{r.second};
      while (!stack.empty()) {
        auto t = stack.back();
        stack.pop_back();
        ++removedNodes_;
        for (auto ch : prev_->children(t)) stack.push_back(ch);
      }
    }
  }
  // Directories holding changes are "modified" (dive's yellow).
  auto modifyUp = [&](std::int32_t p) {
    for (; p > 0 && mark_[std::size_t(p)] == std::uint8_t(Mark::Unchanged); p = c.node(p).parent)
      mark_[std::size_t(p)] = std::uint8_t(Mark::Modified);
  };
  for (std::size_t i = 1; i < n; ++i) {
    auto m = Mark(mark_[i]);
    if (m == Mark::Added || m == Mark::Changed) modifyUp(c.node(std::int32_t(i)).parent);
  }
  for (const auto& r : removed_) modifyUp(r.first);
  endResetModel();
}

std::pair<std::size_t, std::size_t> FileTreeModel::removedUnder(std::int32_t d) const {
  auto lo = std::lower_bound(removed_.begin(), removed_.end(), d, [](const auto& r, std::int32_t v) { return r.first < v; });
  auto hi = lo;
  while (hi != removed_.end() && hi->first == d) ++hi;
  return {std::size_t(lo - removed_.begin()), std::size_t(hi - removed_.begin())};
}

FileTreeModel::View FileTreeModel::view(quintptr id) const {
  if (id & kRemoved) return {prev_.get(), std::int32_t(id & ~kRemoved), Mark::Removed};
  return {cur_.get(), std::int32_t(id), Mark(mark_[std::size_t(id)])};
}

int FileTreeModel::childRows(quintptr id) const {
  auto v = view(id);
  if (v.tree->node(v.node).type != image::NodeType::Dir) return 0;
  int rows = int(v.tree->node(v.node).childCount);
  if (!(id & kRemoved)) {
    auto [lo, hi] = removedUnder(v.node);
    rows += int(hi - lo);
  }
  return rows;
}

// The row of a (non-root) node under its parent in the view.
int FileTreeModel::rowOf(quintptr id) const {
  if (!(id & kRemoved)) return cur_->row(std::int32_t(id));
  auto p = std::int32_t(id & ~kRemoved);
  auto pp = prev_->node(p).parent;
  auto d = curOf_[std::size_t(pp)];
  if (d < 0) return prev_->row(p);  // under a removed directory
  auto [lo, hi] = removedUnder(d);
  for (auto k = lo; k < hi; ++k)
    if (removed_[k].second == p) return int(cur_->node(d).childCount + (k - lo));
  return 0;
}

QModelIndex FileTreeModel::index(int row, int column, const QModelIndex& parent) const {
  if (!cur_ || row < 0 || column < 0 || column >= ColumnCount) return {};
  const quintptr pid = parent.isValid() ? parent.internalId() : quintptr(image::FileTree::kRoot);
  if (row >= childRows(pid)) return {};
  auto v = view(pid);
  const int own = int(v.tree->node(v.node).childCount);
  if (row < own) {
    auto c = v.tree->children(v.node)[std::size_t(row)];
    return createIndex(row, column, (pid & kRemoved) ? (quintptr(c) | kRemoved) : quintptr(c));
  }
  auto [lo, hi] = removedUnder(v.node);
  return createIndex(row, column, quintptr(removed_[lo + std::size_t(row - own)].second) | kRemoved);
}

QModelIndex FileTreeModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || !cur_) return {};
  const quintptr id = child.internalId();
  quintptr pid;
  if (!(id & kRemoved)) {
    pid = quintptr(cur_->node(std::int32_t(id)).parent);
  } else {
    auto pp = prev_->node(std::int32_t(id & ~kRemoved)).parent;
    auto d = curOf_[std::size_t(pp)];
    pid = d >= 0 ? quintptr(d) : (quintptr(pp) | kRemoved);
  }
  if (pid == quintptr(image::FileTree::kRoot)) return {};
  return createIndex(rowOf(pid), 0, pid);
}

int FileTreeModel::rowCount(const QModelIndex& parent) const {
  if (!cur_) return 0;
  if (parent.isValid() && parent.column() != 0) return 0;
  return childRows(parent.isValid() ? parent.internalId() : quintptr(image::FileTree::kRoot));
}

int FileTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant FileTreeModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || !cur_) return {};
  const View v = view(index.internalId());
  const image::FileNode& fn = v.tree->node(v.node);
  struct {
    QString name, link;
    image::NodeType type;
    quint64 size, files;
    int layer;
    Mark mark;
    QString path;
  } n{QString::fromUtf8(v.tree->name(v.node).data(), qsizetype(v.tree->name(v.node).size())),
      fn.link ? QString::fromUtf8(v.tree->link(v.node).data(), qsizetype(v.tree->link(v.node).size())) : QString(),
      fn.type, fn.totalSize, fn.fileCount, fn.layer, v.mark,
      role == kPathRole || role == Qt::ToolTipRole ? QString::fromStdString(v.tree->path(v.node)) : QString()};
  static const char* markNames[] = {"", "modified", "added", "changed", "removed"};
  const bool dir = n.type == image::NodeType::Dir;
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case Name: {
          QString s = n.name + (dir ? "/" : "");
          if (!n.link.isEmpty()) s += (n.type == image::NodeType::Symlink ? " → " : " ⇒ ") + n.link;
          return s;
        }
        case Size: return humanSize(n.size);
        case Files: return dir ? QVariant(qulonglong(n.files)) : QVariant();
        case Layer: return n.layer >= 0 ? QVariant(n.layer + 1) : QVariant();
        case Change: return QString(markNames[int(n.mark)]);
      }
      break;
    case kSortRole:
      switch (index.column()) {
        case Name: return n.name;
        case Size: return qulonglong(n.size);
        case Files: return qulonglong(n.files);
        case Layer: return n.layer;
        case Change: return int(n.mark);
      }
      break;
    case kMarkRole: return int(n.mark);
    case kPathRole: return n.path;
    case Qt::ToolTipRole:
      return QString("%1\n%2, %3 file(s), last written by layer %4%5")
          .arg(n.path, humanSize(n.size))
          .arg(n.files)
          .arg(n.layer + 1)
          .arg(n.mark == Mark::Unchanged ? QString() : QString(" — %1 in layer %2").arg(markNames[int(n.mark)]).arg(layer_ + 1));
    case Qt::TextAlignmentRole:
      if (index.column() != Name && index.column() != Change) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
      break;
    case Qt::ForegroundRole:
      switch (n.mark) {
        case Mark::Added: return QBrush(QColor("#2e7d32"));
        case Mark::Changed: return QBrush(QColor("#b26a00"));
        case Mark::Modified: return QBrush(QColor("#8d6e00"));
        case Mark::Removed: return QBrush(QColor("#c62828"));
        case Mark::Unchanged: break;
      }
      break;
    case Qt::FontRole:
      if (n.mark == Mark::Removed) {
        QFont f;
        f.setStrikeOut(true);
        return f;
      }
      break;
  }
  return {};
}

QVariant FileTreeModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* names[] = {"Name", "Size", "Files", "Layer", "Change"};
  return section >= 0 && section < ColumnCount ? QString(names[section]) : QVariant();
}

QModelIndex FileTreeModel::findPath(const QString& path) const {
  if (!cur_) return {};
  quintptr id = quintptr(image::FileTree::kRoot);
  for (const QString& part : path.split('/', Qt::SkipEmptyParts)) {
    const std::string name = part.toStdString();
    auto v = view(id);
    if (v.tree->node(v.node).type != image::NodeType::Dir) return {};
    auto c = v.tree->child(v.node, name);
    if (c >= 0) {
      id = (id & kRemoved) ? (quintptr(c) | kRemoved) : quintptr(c);
      continue;
    }
    if (id & kRemoved) return {};
    auto [lo, hi] = removedUnder(v.node);
    quintptr next = 0;
    for (auto k = lo; k < hi && !next; ++k)
      if (prev_->name(removed_[k].second) == name) next = quintptr(removed_[k].second) | kRemoved;
    if (!next) return {};
    id = next;
  }
  if (id == quintptr(image::FileTree::kRoot)) return {};
  return createIndex(rowOf(id), 0, id);
}

// ---- filter ----------------------------------------------------------------

FileFilterProxy::FileFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  setRecursiveFilteringEnabled(true);
  setSortRole(kSortRole);
  setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void FileFilterProxy::setText(const QString& text) {
  text_ = text.trimmed();
  invalidateFilter();
}

void FileFilterProxy::setChangesOnly(bool on) {
  changesOnly_ = on;
  invalidateFilter();
}

bool FileFilterProxy::filterAcceptsRow(int row, const QModelIndex& parent) const {
  QModelIndex i = sourceModel()->index(row, 0, parent);
  if (changesOnly_) {
    auto mark = static_cast<FileTreeModel::Mark>(i.data(FileTreeModel::kMarkRole).toInt());
    if (mark == FileTreeModel::Mark::Unchanged || mark == FileTreeModel::Mark::Modified) return false;
  }
  if (!text_.isEmpty() && !i.data(FileTreeModel::kPathRole).toString().contains(text_, Qt::CaseInsensitive)) return false;
  return true;
}

}  // namespace slimbench::ui
