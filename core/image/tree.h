#pragma once
// The merged file tree of an image (all layers stacked, whiteouts applied),
// compact enough for a million files:
//   - every name (path component, link target) is interned once in one arena
//     (NamePool), nodes refer to it by a 32-bit id;
//   - the paths the layers' tar entries name are interned as (parent, name)
//     pairs (PathTable), so a per-layer entry is 32 bytes;
//   - nodes sit in one flat vector and refer to each other by index; after
//     finalize() the children of a node are a contiguous, name-sorted run of a
//     second index vector (no per-node containers, no maps).
// The CLI (--tree, --json) and the window's tree model read this structure.
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace slimbench::image {

enum class NodeType : std::uint8_t { Dir, File, Symlink, Hardlink, Other };
const char* nodeTypeName(NodeType t);

// Interned strings in one arena; id 0 is "".
class NamePool {
 public:
  static constexpr std::uint32_t kNone = 0xffffffffu;
  NamePool();
  std::uint32_t intern(std::string_view s);
  std::uint32_t find(std::string_view s) const;  // kNone when absent
  std::string_view view(std::uint32_t id) const {
    return {arena_.data() + off_[id], std::size_t(off_[id + 1] - off_[id])};
  }
  std::size_t size() const { return off_.size() - 1; }
  std::size_t memoryBytes() const;
  void compact();  // gives back spare capacity

 private:
  void rehash(std::size_t slots);
  std::vector<char> arena_;
  std::vector<std::uint32_t> off_;    // string id: [off_[id], off_[id + 1])
  std::vector<std::uint32_t> slots_;  // open addressing: id + 1, 0 = empty
};

// Paths as (parent path, name) pairs; id 0 is the root "".
class PathTable {
 public:
  static constexpr std::uint32_t kRoot = 0;
  PathTable();
  std::uint32_t intern(std::uint32_t parent, std::uint32_t name);
  std::uint32_t parent(std::uint32_t p) const { return std::uint32_t(nodes_[p] >> 32); }
  std::uint32_t name(std::uint32_t p) const { return std::uint32_t(nodes_[p]); }
  std::size_t size() const { return nodes_.size(); }
  std::size_t memoryBytes() const;
  // Gives back spare capacity and the lookup index (rebuilt if intern is called again).
  void compact();

 private:
  void rehash(std::size_t slots);
  std::vector<std::uint64_t> nodes_;  // parent << 32 | name
  std::vector<std::uint32_t> slots_;
};

// The names and paths of one image, shared by its trees and entry lists.
class PathStore {
 public:
  NamePool names;
  PathTable paths;
  std::mutex mutex;  // held while layers read in parallel intern

  // "usr/bin/python3" (already normalised) -> path id; the caller holds `mutex` when shared.
  std::uint32_t internPath(std::string_view normalized);
  // "usr/bin/python3" ("" for the root).
  std::string pathString(std::uint32_t p) const;
  // Components of a path, root first (name ids).
  void components(std::uint32_t p, std::vector<std::uint32_t>& out) const;
  std::size_t memoryBytes() const { return names.memoryBytes() + paths.memoryBytes(); }
  void compact() {
    names.compact();
    paths.compact();
  }
};

struct FileNode {                   // 56 bytes
  std::uint64_t size = 0;           // content bytes of this node (0 for dirs, links)
  std::uint64_t totalSize = 0;      // size of the subtree (this node included)
  std::uint64_t fileCount = 0;      // non-directory nodes in the subtree (this node included)
  std::uint32_t name = 0;           // id in the tree's NamePool ("" for the root)
  std::uint32_t link = 0;           // symlink target or hardlink target path (0 = none)
  std::int32_t parent = -1;         // -1 for the root
  std::int32_t layer = -1;          // layer that last wrote this node (-1: implied parent directory)
  std::uint32_t firstChild = 0;     // finalized: children are kids[firstChild, firstChild + childCount)
  std::uint32_t childCount = 0;
  std::uint16_t mode = 0;           // permission bits from the tar header
  NodeType type = NodeType::Dir;
};

class FileTree {
 public:
  // Names are looked up in (and, while building, taken from) `store`; a tree made
  // without one gets its own.
  explicit FileTree(std::shared_ptr<const PathStore> store = {});
  static constexpr std::int32_t kRoot = 0;

  const FileNode& node(std::int32_t i) const { return nodes_[std::size_t(i)]; }
  std::size_t nodeCount() const { return nodes_.size(); }
  const FileNode& root() const { return nodes_[0]; }
  std::string_view name(std::int32_t i) const { return store_->names.view(nodes_[std::size_t(i)].name); }
  std::string_view link(std::int32_t i) const { return store_->names.view(nodes_[std::size_t(i)].link); }
  // Children sorted by name (after finalize()).
  std::span<const std::int32_t> children(std::int32_t i) const {
    const auto& n = nodes_[std::size_t(i)];
    return {kids_.data() + n.firstChild, n.childCount};
  }
  // Position of i among its parent's children (after finalize()), -1 for the root.
  int row(std::int32_t i) const;
  // Node at "/usr/bin/python3" or "usr/bin/python3" (no symlinks followed), -1 when absent.
  std::int32_t find(std::string_view path) const;
  // "/usr/bin/python3" ("/" for the root).
  std::string path(std::int32_t i) const;
  // The child named `name`, -1 when absent (building or finalized).
  std::int32_t child(std::int32_t dir, std::string_view name) const;
  const PathStore& store() const { return *store_; }
  const std::shared_ptr<const PathStore>& storePtr() const { return store_; }
  // Bytes held by the tree's own vectors (the shared names are counted by the PathStore).
  std::size_t memoryBytes() const;

  // Building (used by the layer merger); names are ids of store().names.
  void reserve(std::size_t nodes);  // room for this many nodes (avoids growth copies)
  std::int32_t childById(std::int32_t dir, std::uint32_t name) const;
  std::int32_t addChild(std::int32_t dir, std::uint32_t name, NodeType type);
  void removeChild(std::int32_t dir, std::int32_t child);  // detaches the subtree
  void clearChildren(std::int32_t dir);                     // detaches every child subtree
  FileNode& mut(std::int32_t i) { return nodes_[std::size_t(i)]; }
  // Calls f(child) for each child (building: list order; finalized: name order).
  template <class F>
  void forEachChild(std::int32_t i, F&& f) const {
    if (finalized_) {
      for (auto c : children(i)) f(c);
    } else {
      for (auto c = head(i); c >= 0; c = next_[std::size_t(c)]) f(c);
    }
  }
  // Drops detached nodes, sorts the children, computes totalSize/fileCount and frees the build indexes.
  void finalize();
  bool finalized() const { return finalized_; }

 private:
  std::int32_t head(std::int32_t i) const { return std::int32_t(nodes_[std::size_t(i)].firstChild); }
  std::size_t slotOf(std::int32_t dir, std::uint32_t name) const;
  void rehash(std::size_t slots);
  void unlink(std::int32_t dir, std::int32_t c);

  std::shared_ptr<const PathStore> store_;
  std::vector<FileNode> nodes_;
  std::vector<std::int32_t> kids_;  // finalized: children runs
  bool finalized_ = false;
  // Building only: sibling lists (firstChild = head, -1 as 0xffffffff) and a (parent, name) -> node hash.
  std::vector<std::int32_t> next_, prev_;
  std::vector<std::uint32_t> slots_;  // node + 1; 0 empty; kTomb removed
  std::size_t slotsUsed_ = 0;
};

}  // namespace slimbench::image
