// Stacking layers: OCI image-spec whiteout semantics on the in-memory tree.
#include "image/layer_scan.h"

namespace slimbench::image {
namespace {

constexpr int kMaxSymlinkHops = 40;

Diagnostic err(const std::string& where, const std::string& msg) {
  Diagnostic d;
  d.where.file = where;
  d.message = msg;
  return d;
}

void countSubtree(const FileTree& t, std::int32_t i, Changes& c) {
  std::vector<std::int32_t> stack{i};
  while (!stack.empty()) {
    auto n = stack.back();
    stack.pop_back();
    const auto& node = t.node(n);
    if (node.type != NodeType::Dir) {
      c.count += 1;
      c.bytes += node.size;
    }
    t.forEachChild(n, [&](std::int32_t ch) { stack.push_back(ch); });
  }
}

// Follows the symlink `link` (inside directory `dir`) to a directory of the
// tree, confined to the root as a container runtime would. -1: dangling or
// not a directory; -2: too many hops (a loop).
std::int32_t resolveDirLink(const FileTree& t, std::int32_t dir, std::int32_t link, int& hops) {
  if (++hops > kMaxSymlinkHops) return -2;
  std::string_view target = t.link(link);
  std::int32_t cur = (!target.empty() && target.front() == '/') ? FileTree::kRoot : dir;
  std::size_t start = 0;
  while (start < target.size()) {
    auto end = target.find('/', start);
    if (end == std::string_view::npos) end = target.size();
    std::string_view comp(target.data() + start, end - start);
    start = end + 1;
    if (comp.empty() || comp == ".") continue;
    if (comp == "..") {
      if (cur != FileTree::kRoot) cur = t.node(cur).parent;
      continue;
    }
    auto c = t.child(cur, comp);
    if (c < 0) return -1;
    if (t.node(c).type == NodeType::Symlink) {
      c = resolveDirLink(t, cur, c, hops);
      if (c < 0) return c;
    }
    if (t.node(c).type != NodeType::Dir) return -1;
    cur = c;
  }
  return cur;
}

// The node of an entry's path (no symlinks followed), -1 when absent.
std::int32_t findIds(const FileTree& t, const std::vector<std::uint32_t>& comps) {
  std::int32_t cur = FileTree::kRoot;
  for (auto c : comps) {
    cur = t.childById(cur, c);
    if (cur < 0) return -1;
  }
  return cur;
}

}  // namespace

std::optional<Diagnostic> applyLayer(FileTree& tree, Layer& layer, std::vector<LayerEntry>& entries,
                                     const std::string& where, std::vector<Diagnostic>* warnings) {
  const int L = layer.index;
  const PathStore& store = tree.store();
  layer.added = layer.changed = layer.removed = {};
  std::vector<std::uint32_t> comps;
  // Pass 1: whiteouts and opaque markers hide what the layers below hold.
  for (auto& e : entries) {
    if (e.kind == LayerEntry::Kind::Normal) continue;
    store.components(e.path, comps);
    std::int32_t target = findIds(tree, comps);
    if (target < 0) continue;
    if (e.kind == LayerEntry::Kind::Whiteout) {
      Changes c;
      countSubtree(tree, target, c);
      e.removedBytes = c.bytes;
      e.removedDir = tree.node(target).type == NodeType::Dir;
      layer.removed.count += c.count;
      layer.removed.bytes += c.bytes;
      tree.removeChild(tree.node(target).parent, target);
    } else if (tree.node(target).type == NodeType::Dir) {
      Changes c;
      countSubtree(tree, target, c);
      e.removedBytes = c.bytes;
      e.removedDir = true;
      layer.removed.count += c.count;
      layer.removed.bytes += c.bytes;
      tree.clearChildren(target);
    }
  }
  // Pass 2: the layer's own entries.
  int missingLinks = 0;
  // Entries of one folder follow each other: remember where the last one's parent landed.
  std::uint32_t lastParentPath = 0xffffffffu;
  std::int32_t lastParentNode = -1;
  for (auto& e : entries) {
    if (e.kind != LayerEntry::Kind::Normal) continue;
    const std::uint32_t parentPath = store.paths.parent(e.path);
    std::int32_t cur = FileTree::kRoot;
    if (parentPath == lastParentPath && lastParentNode >= 0 && tree.node(lastParentNode).parent != -2 &&
        tree.node(lastParentNode).type == NodeType::Dir) {
      cur = lastParentNode;
    } else {
      store.components(parentPath, comps);
      for (std::size_t k = 0; k < comps.size(); ++k) {
        auto c = tree.childById(cur, comps[k]);
        auto prefix = [&] {
          std::string s;
          for (std::size_t j = 0; j <= k; ++j) s += (j ? "/" : "") + std::string(store.names.view(comps[j]));
          return s;
        };
        if (c < 0) {
          c = tree.addChild(cur, comps[k], NodeType::Dir);
          tree.mut(c).mode = 0755;
          tree.mut(c).layer = L;
        } else if (tree.node(c).type == NodeType::Symlink) {
          int hops = 0;
          auto r = resolveDirLink(tree, cur, c, hops);
          if (r == -2) return err(where, "entry '" + store.pathString(e.path) + "': symlink loop at '" + prefix() + "'");
          if (r < 0)
            return err(where, "entry '" + store.pathString(e.path) + "': parent '" + prefix() +
                                  "' is a symlink that does not lead to a directory");
          c = r;
        } else if (tree.node(c).type != NodeType::Dir) {
          return err(where, "entry '" + store.pathString(e.path) + "': parent '" + prefix() + "' is a " +
                                nodeTypeName(tree.node(c).type) + ", expected a directory");
        }
        cur = c;
      }
      lastParentPath = parentPath;
      lastParentNode = cur;
    }
    const std::uint32_t name = store.paths.name(e.path);
    auto existing = tree.childById(cur, name);
    if (existing >= 0 && (tree.node(existing).type == NodeType::Dir) != (e.type == NodeType::Dir)) {
      // A file replaces a directory or the other way round: the old one is gone.
      if (tree.node(existing).layer != L) countSubtree(tree, existing, layer.removed);
      tree.removeChild(cur, existing);
      existing = -1;
    }
    if (e.type != NodeType::Dir) {
      if (existing >= 0) {
        layer.changed.count += 1;
        layer.changed.bytes += e.size;
      } else {
        layer.added.count += 1;
        layer.added.bytes += e.size;
      }
    }
    if (existing < 0) existing = tree.addChild(cur, name, e.type);
    FileNode& n = tree.mut(existing);
    n.type = e.type;
    n.mode = e.mode;
    n.layer = L;
    n.size = e.type == NodeType::File ? e.size : 0;
    n.link = e.link;
    if (e.type == NodeType::Hardlink && tree.find(store.names.view(e.link)) < 0 && warnings && ++missingLinks <= 3) {
      Diagnostic d;
      d.severity = Severity::Warning;
      d.where.file = where;
      d.message = "entry '" + store.pathString(e.path) + "': hardlink target '" + std::string(store.names.view(e.link)) +
                  "' is not in the image";
      warnings->push_back(std::move(d));
    }
  }
  return std::nullopt;
}

}  // namespace slimbench::image
