#include "image/tree.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace slimbench::image {
namespace {

constexpr std::uint32_t kNoChild = 0xffffffffu;
constexpr std::uint32_t kTomb = 0xffffffffu;

inline std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace

const char* nodeTypeName(NodeType t) {
  switch (t) {
    case NodeType::Dir: return "dir";
    case NodeType::File: return "file";
    case NodeType::Symlink: return "symlink";
    case NodeType::Hardlink: return "hardlink";
    case NodeType::Other: return "other";
  }
  return "other";
}

// ---- NamePool ----------------------------------------------------------------

NamePool::NamePool() : off_{0, 0} { rehash(1024); }

void NamePool::rehash(std::size_t n) {
  slots_.assign(n, 0);
  for (std::uint32_t id = 0; id < size(); ++id) {
    std::size_t h = std::hash<std::string_view>{}(view(id)) & (n - 1);
    while (slots_[h]) h = (h + 1) & (n - 1);
    slots_[h] = id + 1;
  }
}

std::uint32_t NamePool::find(std::string_view s) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t h = std::hash<std::string_view>{}(s) & mask; slots_[h]; h = (h + 1) & mask)
    if (view(slots_[h] - 1) == s) return slots_[h] - 1;
  return kNone;
}

std::uint32_t NamePool::intern(std::string_view s) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t h = std::hash<std::string_view>{}(s) & mask;
  for (; slots_[h]; h = (h + 1) & mask)
    if (view(slots_[h] - 1) == s) return slots_[h] - 1;
  if (arena_.size() + s.size() > 0xfffffff0u) throw std::length_error("name arena over 4 GB");
  auto id = std::uint32_t(size());
  arena_.insert(arena_.end(), s.begin(), s.end());
  off_.push_back(std::uint32_t(arena_.size()));
  slots_[h] = id + 1;
  if (size() * 2 > slots_.size()) rehash(slots_.size() * 2);
  return id;
}

void NamePool::compact() {
  arena_.shrink_to_fit();
  off_.shrink_to_fit();
}

std::size_t NamePool::memoryBytes() const {
  return arena_.capacity() + off_.capacity() * sizeof(std::uint32_t) + slots_.capacity() * sizeof(std::uint32_t);
}

// ---- PathTable ---------------------------------------------------------------

PathTable::PathTable() : nodes_{0} { rehash(1024); }

void PathTable::rehash(std::size_t n) {
  slots_.assign(n, 0);
  for (std::uint32_t id = 1; id < nodes_.size(); ++id) {
    std::size_t h = mix(nodes_[id]) & (n - 1);
    while (slots_[h]) h = (h + 1) & (n - 1);
    slots_[h] = id;
  }
}

void PathTable::compact() {
  nodes_.shrink_to_fit();
  std::vector<std::uint32_t>().swap(slots_);
}

std::uint32_t PathTable::intern(std::uint32_t parent, std::uint32_t name) {
  if (slots_.empty()) {
    std::size_t n = 1024;
    while (n < nodes_.size() * 2) n *= 2;
    rehash(n);
  }
  const std::uint64_t key = std::uint64_t(parent) << 32 | name;
  const std::size_t mask = slots_.size() - 1;
  std::size_t h = mix(key) & mask;
  for (; slots_[h]; h = (h + 1) & mask)
    if (nodes_[slots_[h]] == key) return slots_[h];
  if (nodes_.size() >= 0xfffffff0u) throw std::length_error("over 4 billion paths");
  auto id = std::uint32_t(nodes_.size());
  nodes_.push_back(key);
  slots_[h] = id;
  if (nodes_.size() * 2 > slots_.size()) rehash(slots_.size() * 2);
  return id;
}

std::size_t PathTable::memoryBytes() const {
  return nodes_.capacity() * sizeof(std::uint64_t) + slots_.capacity() * sizeof(std::uint32_t);
}

// ---- PathStore ---------------------------------------------------------------

std::uint32_t PathStore::internPath(std::string_view p) {
  std::uint32_t cur = PathTable::kRoot;
  std::size_t start = 0;
  while (start < p.size()) {
    auto end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    if (end > start) cur = paths.intern(cur, names.intern(p.substr(start, end - start)));
    start = end + 1;
  }
  return cur;
}

void PathStore::components(std::uint32_t p, std::vector<std::uint32_t>& out) const {
  out.clear();
  for (; p != PathTable::kRoot; p = paths.parent(p)) out.push_back(paths.name(p));
  std::reverse(out.begin(), out.end());
}

std::string PathStore::pathString(std::uint32_t p) const {
  std::vector<std::uint32_t> parts;
  components(p, parts);
  std::string s;
  for (auto n : parts) {
    if (!s.empty()) s += '/';
    s += names.view(n);
  }
  return s;
}

// ---- FileTree ----------------------------------------------------------------

FileTree::FileTree(std::shared_ptr<const PathStore> store)
    : store_(store ? std::move(store) : std::make_shared<const PathStore>()) {
  FileNode root;
  root.firstChild = kNoChild;
  nodes_.push_back(root);
  next_.push_back(-1);
  prev_.push_back(-1);
  rehash(64);
}

std::size_t FileTree::slotOf(std::int32_t dir, std::uint32_t name) const {
  return mix(std::uint64_t(std::uint32_t(dir)) << 32 | name) & (slots_.size() - 1);
}

void FileTree::rehash(std::size_t n) {
  std::vector<std::uint32_t> old = std::move(slots_);
  slots_.assign(n, 0);
  slotsUsed_ = 0;
  for (auto v : old) {
    if (v == 0 || v == kTomb) continue;
    const auto& nd = nodes_[v - 1];
    std::size_t h = slotOf(nd.parent, nd.name);
    while (slots_[h]) h = (h + 1) & (n - 1);
    slots_[h] = v;
    ++slotsUsed_;
  }
}

void FileTree::reserve(std::size_t nodes) {
  if (finalized_) return;
  nodes_.reserve(nodes);
  next_.reserve(nodes);
  prev_.reserve(nodes);
  std::size_t n = slots_.size();
  while (n < nodes * 2) n *= 2;
  if (n != slots_.size()) rehash(n);
}

std::int32_t FileTree::childById(std::int32_t dir, std::uint32_t name) const {
  if (finalized_) {
    auto ch = children(dir);
    auto want = store_->names.view(name);
    auto it = std::lower_bound(ch.begin(), ch.end(), want, [&](std::int32_t c, std::string_view n) { return this->name(c) < n; });
    return it != ch.end() && this->name(*it) == want ? *it : -1;
  }
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t h = slotOf(dir, name); slots_[h]; h = (h + 1) & mask) {
    auto v = slots_[h];
    if (v == kTomb) continue;
    const auto& nd = nodes_[v - 1];
    if (nd.parent == dir && nd.name == name) return std::int32_t(v - 1);
  }
  return -1;
}

std::int32_t FileTree::child(std::int32_t dir, std::string_view name) const {
  if (finalized_) {
    auto ch = children(dir);
    auto it = std::lower_bound(ch.begin(), ch.end(), name, [&](std::int32_t c, std::string_view n) { return this->name(c) < n; });
    return it != ch.end() && this->name(*it) == name ? *it : -1;
  }
  auto id = store_->names.find(name);
  return id == NamePool::kNone ? -1 : childById(dir, id);
}

std::int32_t FileTree::addChild(std::int32_t dir, std::uint32_t name, NodeType type) {
  if (finalized_) throw std::logic_error("FileTree: addChild after finalize");
  if (nodes_.size() >= 0x7ffffff0u) throw std::length_error("over 2 billion tree nodes");
  auto idx = std::int32_t(nodes_.size());
  FileNode n;
  n.name = name;
  n.type = type;
  n.parent = dir;
  n.firstChild = kNoChild;
  nodes_.push_back(n);
  // Push front into the parent's sibling list.
  auto& p = nodes_[std::size_t(dir)];
  std::int32_t oldHead = p.firstChild == kNoChild ? -1 : std::int32_t(p.firstChild);
  next_.push_back(oldHead);
  prev_.push_back(-1);
  if (oldHead >= 0) prev_[std::size_t(oldHead)] = idx;
  p.firstChild = std::uint32_t(idx);
  p.childCount += 1;
  if ((slotsUsed_ + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
  const std::size_t mask = slots_.size() - 1;
  std::size_t h = slotOf(dir, name);
  while (slots_[h] && slots_[h] != kTomb) h = (h + 1) & mask;
  if (slots_[h] == 0) ++slotsUsed_;
  slots_[h] = std::uint32_t(idx + 1);
  return idx;
}

void FileTree::unlink(std::int32_t dir, std::int32_t c) {
  auto& p = nodes_[std::size_t(dir)];
  auto nx = next_[std::size_t(c)], pv = prev_[std::size_t(c)];
  if (pv >= 0) next_[std::size_t(pv)] = nx;
  else p.firstChild = nx >= 0 ? std::uint32_t(nx) : kNoChild;
  if (nx >= 0) prev_[std::size_t(nx)] = pv;
  p.childCount -= 1;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t h = slotOf(dir, nodes_[std::size_t(c)].name); slots_[h]; h = (h + 1) & mask)
    if (slots_[h] == std::uint32_t(c + 1)) {
      slots_[h] = kTomb;
      break;
    }
  nodes_[std::size_t(c)].parent = -2;  // detached; dropped by finalize()
}

void FileTree::removeChild(std::int32_t dir, std::int32_t c) {
  if (finalized_) throw std::logic_error("FileTree: removeChild after finalize");
  if (nodes_[std::size_t(c)].parent != dir) return;
  unlink(dir, c);
}

void FileTree::clearChildren(std::int32_t dir) {
  if (finalized_) throw std::logic_error("FileTree: clearChildren after finalize");
  while (head(dir) >= 0) unlink(dir, head(dir));
}

int FileTree::row(std::int32_t i) const {
  const auto& n = nodes_[std::size_t(i)];
  if (n.parent < 0) return -1;
  auto ch = children(n.parent);
  auto nm = name(i);
  auto it = std::lower_bound(ch.begin(), ch.end(), nm, [&](std::int32_t c, std::string_view x) { return name(c) < x; });
  return int(it - ch.begin());
}

std::int32_t FileTree::find(std::string_view path) const {
  std::int32_t cur = kRoot;
  std::size_t start = 0;
  while (start < path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    auto comp = path.substr(start, end - start);
    start = end + 1;
    if (comp.empty() || comp == ".") continue;
    cur = child(cur, comp);
    if (cur < 0) return -1;
  }
  return cur;
}

std::string FileTree::path(std::int32_t i) const {
  if (i == kRoot) return "/";
  std::vector<std::int32_t> parts;
  for (auto n = i; n > kRoot; n = nodes_[std::size_t(n)].parent) parts.push_back(n);
  std::string s;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    s += '/';
    s += name(*it);
  }
  return s;
}

std::size_t FileTree::memoryBytes() const {
  return nodes_.capacity() * sizeof(FileNode) + kids_.capacity() * sizeof(std::int32_t) +
         (next_.capacity() + prev_.capacity()) * sizeof(std::int32_t) + slots_.capacity() * sizeof(std::uint32_t);
}

void FileTree::finalize() {
  if (finalized_) return;
  std::vector<std::uint32_t>().swap(slots_);
  std::vector<std::int32_t>().swap(prev_);
  // Live nodes: the root and nodes whose parent is live. Parents are always
  // created before their children, so one forward pass decides, and the
  // compaction can run in place keeping that order.
  const std::size_t n = nodes_.size();
  std::vector<std::int32_t> newIndex(n, -1);
  newIndex[0] = 0;
  std::size_t live = 1;
  for (std::size_t i = 1; i < n; ++i) {
    auto p = nodes_[i].parent;
    if (p >= 0 && newIndex[std::size_t(p)] >= 0) newIndex[i] = std::int32_t(live++);
  }
  // Child lists (still by old index) into one flat vector, sorted by name.
  std::vector<std::int32_t> kids;
  kids.reserve(live - 1);
  for (std::size_t i = 0; i < n; ++i) {
    if (newIndex[i] < 0) continue;
    auto& nd = nodes_[i];
    auto first = std::uint32_t(kids.size());
    for (auto c = nd.firstChild == kNoChild ? -1 : std::int32_t(nd.firstChild); c >= 0; c = next_[std::size_t(c)])
      kids.push_back(newIndex[std::size_t(c)]);
    nd.firstChild = first;
    nd.childCount = std::uint32_t(kids.size() - first);
  }
  std::vector<std::int32_t>().swap(next_);
  for (std::size_t i = 0; i < n; ++i) {
    if (newIndex[i] < 0) continue;
    FileNode nd = nodes_[i];
    if (nd.parent >= 0) nd.parent = newIndex[std::size_t(nd.parent)];
    nd.totalSize = 0;
    nd.fileCount = 0;
    nodes_[std::size_t(newIndex[i])] = nd;
  }
  nodes_.resize(live);
  // Shrinking copies the nodes (old and new buffer live at once): only worth it when much was removed.
  if (nodes_.capacity() > live + live / 4) nodes_.shrink_to_fit();
  std::vector<std::int32_t>().swap(newIndex);
  kids_ = std::move(kids);
  finalized_ = true;
  for (auto& nd : nodes_) {
    auto b = kids_.begin() + nd.firstChild;
    std::sort(b, b + nd.childCount, [&](std::int32_t x, std::int32_t y) { return name(x) < name(y); });
  }
  // Children come after parents, so a reverse pass accumulates totals.
  for (auto i = std::int64_t(nodes_.size()) - 1; i >= 0; --i) {
    auto& nd = nodes_[std::size_t(i)];
    nd.totalSize += nd.size;
    if (nd.type != NodeType::Dir) nd.fileCount += 1;
    if (nd.parent >= 0) {
      nodes_[std::size_t(nd.parent)].totalSize += nd.totalSize;
      nodes_[std::size_t(nd.parent)].fileCount += nd.fileCount;
    }
  }
}

}  // namespace slimbench::image
