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
  nodes_.clear();
  layer_ = -1;
  endResetModel();
}

int FileTreeModel::add(int parent, const image::FileNode& n, Mark mark) {
  Node v;
  v.name = QString::fromStdString(n.name);
  v.type = n.type;
  v.size = n.totalSize;
  v.files = n.fileCount;
  v.layer = n.layer;
  v.link = QString::fromStdString(n.linkTarget);
  v.mark = mark;
  v.parent = parent;
  if (parent >= 0) {
    const Node& p = nodes_[std::size_t(parent)];
    v.path = (p.path == "/" ? QString("/") : p.path + "/") + v.name;
    v.row = static_cast<int>(p.children.size());
  } else {
    v.path = "/";
  }
  nodes_.push_back(std::move(v));
  int idx = static_cast<int>(nodes_.size()) - 1;
  if (parent >= 0) nodes_[std::size_t(parent)].children.push_back(idx);
  return idx;
}

void FileTreeModel::addCurrent(const image::FileTree& cur, std::int32_t ci, const image::FileTree* prev, std::int32_t pi,
                               int view) {
  for (std::int32_t c : cur.node(ci).children) {
    const image::FileNode& k = cur.node(c);
    std::int32_t pk = prev && pi >= 0 ? prev->child(pi, k.name) : -1;
    Mark mark = Mark::Unchanged;
    if (layer_ >= 0 && k.layer == layer_) {
      if (pk < 0) mark = Mark::Added;
      else if (k.type != image::NodeType::Dir) mark = Mark::Changed;  // a directory entry rewritten is not a change
    } else if (layer_ >= 0 && pk < 0 && prev) {
      mark = Mark::Added;  // an implied parent directory new in this layer
    }
    int v = add(view, k, mark);
    if (k.type == image::NodeType::Dir) addCurrent(cur, c, prev, pk, v);
  }
  if (prev && pi >= 0)
    for (std::int32_t p : prev->node(pi).children)
      if (cur.child(ci, prev->node(p).name) < 0) addRemoved(*prev, p, view);
}

void FileTreeModel::addRemoved(const image::FileTree& prev, std::int32_t pi, int view) {
  int v = add(view, prev.node(pi), Mark::Removed);
  for (std::int32_t c : prev.node(pi).children) addRemoved(prev, c, v);
}

void FileTreeModel::setTrees(const image::FileTree& cur, const image::FileTree* prev, int layer) {
  beginResetModel();
  nodes_.clear();
  layer_ = layer;
  add(-1, cur.root(), Mark::Unchanged);
  addCurrent(cur, image::FileTree::kRoot, prev, prev ? image::FileTree::kRoot : -1, 0);
  // Directories holding changes are "modified" (dive's yellow).
  for (std::size_t i = 1; i < nodes_.size(); ++i) {
    if (nodes_[i].mark == Mark::Unchanged || nodes_[i].mark == Mark::Modified) continue;
    for (int p = nodes_[i].parent; p > 0 && nodes_[std::size_t(p)].mark == Mark::Unchanged; p = nodes_[std::size_t(p)].parent)
      nodes_[std::size_t(p)].mark = Mark::Modified;
  }
  endResetModel();
}

QModelIndex FileTreeModel::index(int row, int column, const QModelIndex& parent) const {
  if (nodes_.empty() || row < 0 || column < 0 || column >= ColumnCount) return {};
  const int p = parent.isValid() ? static_cast<int>(parent.internalId()) : 0;
  const auto& ch = nodes_[std::size_t(p)].children;
  if (row >= static_cast<int>(ch.size())) return {};
  return createIndex(row, column, quintptr(ch[std::size_t(row)]));
}

QModelIndex FileTreeModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  const Node& n = nodes_[std::size_t(child.internalId())];
  if (n.parent <= 0) return {};
  return createIndex(nodes_[std::size_t(n.parent)].row, 0, quintptr(n.parent));
}

int FileTreeModel::rowCount(const QModelIndex& parent) const {
  if (nodes_.empty()) return 0;
  if (parent.isValid() && parent.column() != 0) return 0;
  const int p = parent.isValid() ? static_cast<int>(parent.internalId()) : 0;
  return static_cast<int>(nodes_[std::size_t(p)].children.size());
}

int FileTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant FileTreeModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const Node& n = nodes_[std::size_t(index.internalId())];
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
  if (nodes_.empty()) return {};
  int cur = 0;
  for (const QString& part : path.split('/', Qt::SkipEmptyParts)) {
    int next = -1;
    for (int c : nodes_[std::size_t(cur)].children)
      if (nodes_[std::size_t(c)].name == part) {
        next = c;
        break;
      }
    if (next < 0) return {};
    cur = next;
  }
  if (cur == 0) return {};
  return createIndex(nodes_[std::size_t(cur)].row, 0, quintptr(cur));
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
