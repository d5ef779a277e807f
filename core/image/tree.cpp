#include "image/tree.h"

#include <algorithm>

namespace slimbench::image {

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

FileTree::FileTree() { nodes_.emplace_back(); }

std::int32_t FileTree::child(std::int32_t dir, std::string_view name) const {
  const auto& ch = nodes_[std::size_t(dir)].children;
  auto it = std::lower_bound(ch.begin(), ch.end(), name,
                             [&](std::int32_t c, std::string_view n) { return nodes_[std::size_t(c)].name < n; });
  if (it != ch.end() && nodes_[std::size_t(*it)].name == name) return *it;
  return -1;
}

std::int32_t FileTree::addChild(std::int32_t dir, std::string name, NodeType type) {
  auto idx = std::int32_t(nodes_.size());
  FileNode n;
  n.name = std::move(name);
  n.type = type;
  n.parent = dir;
  nodes_.push_back(std::move(n));
  auto& ch = nodes_[std::size_t(dir)].children;
  const std::string& nm = nodes_.back().name;
  auto it = std::lower_bound(ch.begin(), ch.end(), nm,
                             [&](std::int32_t c, const std::string& x) { return nodes_[std::size_t(c)].name < x; });
  ch.insert(it, idx);
  return idx;
}

void FileTree::removeChild(std::int32_t dir, std::int32_t c) {
  auto& ch = nodes_[std::size_t(dir)].children;
  const std::string& nm = nodes_[std::size_t(c)].name;
  auto it = std::lower_bound(ch.begin(), ch.end(), nm,
                             [&](std::int32_t x, const std::string& n) { return nodes_[std::size_t(x)].name < n; });
  if (it != ch.end() && *it == c) ch.erase(it);
  nodes_[std::size_t(c)].parent = -2;  // detached; dropped by finalize()
}

void FileTree::clearChildren(std::int32_t dir) {
  for (auto c : nodes_[std::size_t(dir)].children) nodes_[std::size_t(c)].parent = -2;
  nodes_[std::size_t(dir)].children.clear();
}

std::uint64_t FileTree::subtreeBytes(std::int32_t i) const {
  std::uint64_t total = 0;
  std::vector<std::int32_t> stack{i};
  while (!stack.empty()) {
    auto n = stack.back();
    stack.pop_back();
    total += nodes_[std::size_t(n)].size;
    for (auto c : nodes_[std::size_t(n)].children) stack.push_back(c);
  }
  return total;
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
  std::vector<const std::string*> parts;
  for (auto n = i; n > kRoot; n = nodes_[std::size_t(n)].parent) parts.push_back(&nodes_[std::size_t(n)].name);
  std::string s;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) s += "/" + **it;
  return s;
}

void FileTree::finalize() {
  // Renumber reachable nodes breadth-first from the root.
  std::vector<std::int32_t> order{kRoot};
  std::vector<std::int32_t> newIndex(nodes_.size(), -1);
  newIndex[0] = 0;
  for (std::size_t k = 0; k < order.size(); ++k)
    for (auto c : nodes_[std::size_t(order[k])].children) {
      newIndex[std::size_t(c)] = std::int32_t(order.size());
      order.push_back(c);
    }
  std::vector<FileNode> out;
  out.reserve(order.size());
  for (auto old : order) {
    FileNode n = std::move(nodes_[std::size_t(old)]);
    if (n.parent >= 0) n.parent = newIndex[std::size_t(n.parent)];
    for (auto& c : n.children) c = newIndex[std::size_t(c)];
    n.totalSize = 0;
    n.fileCount = 0;
    out.push_back(std::move(n));
  }
  nodes_ = std::move(out);
  // Children come after parents, so a reverse pass accumulates totals.
  for (auto i = std::int64_t(nodes_.size()) - 1; i >= 0; --i) {
    auto& n = nodes_[std::size_t(i)];
    n.totalSize += n.size;
    if (n.type != NodeType::Dir) n.fileCount += 1;
    if (n.parent >= 0) {
      nodes_[std::size_t(n.parent)].totalSize += n.totalSize;
      nodes_[std::size_t(n.parent)].fileCount += n.fileCount;
    }
  }
}

}  // namespace slimbench::image
