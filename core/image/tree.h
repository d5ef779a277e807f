#pragma once
// The merged file tree of an image (all layers stacked, whiteouts applied),
// with sizes per node, ready for a tree view: nodes in one vector, children
// sorted by name, a parent index, subtree totals.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace slimbench::image {

enum class NodeType : std::uint8_t { Dir, File, Symlink, Hardlink, Other };
const char* nodeTypeName(NodeType t);

struct FileNode {
  std::string name;                 // "" for the root
  NodeType type = NodeType::Dir;
  std::uint32_t mode = 0;           // permission bits from the tar header
  std::int32_t parent = -1;         // -1 for the root
  std::int32_t layer = -1;          // layer that last wrote this node (-1: implied parent directory)
  std::uint64_t size = 0;           // content bytes of this node (0 for dirs, links)
  std::uint64_t totalSize = 0;      // size of the subtree (this node included)
  std::uint64_t fileCount = 0;      // non-directory nodes in the subtree (this node included)
  std::string linkTarget;           // symlink target, or hardlink target path
  std::vector<std::int32_t> children;  // sorted by name
};

class FileTree {
 public:
  FileTree();
  static constexpr std::int32_t kRoot = 0;

  const FileNode& node(std::int32_t i) const { return nodes_[std::size_t(i)]; }
  std::size_t nodeCount() const { return nodes_.size(); }
  // Node at "/usr/bin/python3" or "usr/bin/python3" (no symlinks followed), -1 when absent.
  std::int32_t find(std::string_view path) const;
  // "/usr/bin/python3" ("/" for the root).
  std::string path(std::int32_t i) const;
  const FileNode& root() const { return nodes_[0]; }

  // Building (used by the layer merger).
  std::int32_t child(std::int32_t dir, std::string_view name) const;
  std::int32_t addChild(std::int32_t dir, std::string name, NodeType type);
  void removeChild(std::int32_t dir, std::int32_t child);  // detaches the subtree
  void clearChildren(std::int32_t dir);                     // detaches every child subtree
  FileNode& mut(std::int32_t i) { return nodes_[std::size_t(i)]; }
  // Sum of sizes below (and including) i, computed now (totals may be stale while building).
  std::uint64_t subtreeBytes(std::int32_t i) const;
  // Drops detached nodes and recomputes totalSize/fileCount.
  void finalize();

 private:
  std::vector<FileNode> nodes_;
};

}  // namespace slimbench::image
