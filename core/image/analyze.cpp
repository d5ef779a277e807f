#include "image/analyze.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace slimbench::image {
namespace {

struct PathData {
  std::uint64_t cumulative = 0;
  std::uint64_t minSize = UINT64_MAX;
  int firstLayer = -1;
  std::vector<int> layers;
};

// dive visits the leaves of each layer's own tree: entries no other entry of
// the same layer lies below. A whiteout counts at the path it removes, sized
// as the directory it removed (a removed file counts 0, as in dive). Paths are
// PathTable ids: two bytes of scratch per path, and per-path data only for the
// paths seen in two layers or more.
void efficiency(const Image& img, Analysis& a) {
  if (!img.store) return;  // an Image not made by open(): no entries
  const PathStore& store = *img.store;
  const std::size_t nPaths = store.paths.size();
  std::vector<std::uint8_t> flag(nPaths, 0), count(nPaths, 0);
  constexpr std::uint8_t kBelow = 1, kSeen = 2;
  // Calls f(path, size) for each leaf of the layer (the last entry of a path counts).
  auto leaves = [&](const Layer& layer, auto&& f) {
    for (const auto& e : layer.entries) {
      if (e.kind == LayerEntry::Kind::Opaque) continue;  // dive ignores opaque markers
      for (auto p = e.path; p != PathTable::kRoot;) {
        p = store.paths.parent(p);
        if (flag[p] & kBelow) break;
        flag[p] |= kBelow;
      }
    }
    for (auto it = layer.entries.rbegin(); it != layer.entries.rend(); ++it) {
      const auto& e = *it;
      if (e.kind == LayerEntry::Kind::Opaque || (flag[e.path] & kSeen)) continue;
      flag[e.path] |= kSeen;
      if (flag[e.path] & kBelow) continue;
      f(e.path, e.kind == LayerEntry::Kind::Whiteout ? (e.removedDir ? e.removedBytes : 0) : e.size);
    }
    for (const auto& e : layer.entries) {  // reset the scratch flags this layer set
      flag[e.path] = 0;
      for (auto p = e.path; p != PathTable::kRoot;) {
        p = store.paths.parent(p);
        if (!flag[p]) break;
        flag[p] = 0;
      }
    }
    flag[PathTable::kRoot] = 0;
  };
  for (const auto& layer : img.layers)
    leaves(layer, [&](std::uint32_t p, std::uint64_t) {
      if (count[p] < 255) ++count[p];
    });
  std::uint64_t minimum = 0, discovered = 0;
  std::unordered_map<std::uint32_t, PathData> multi;
  for (const auto& layer : img.layers)
    leaves(layer, [&](std::uint32_t p, std::uint64_t size) {
      if (count[p] == 1) {
        minimum += size;
        discovered += size;
        return;
      }
      PathData& d = multi[p];
      if (d.firstLayer < 0) d.firstLayer = layer.index;
      d.cumulative += size;
      d.minSize = std::min(d.minSize, size);
      d.layers.push_back(layer.index);
    });
  std::vector<std::uint8_t>().swap(flag);
  std::vector<std::uint8_t>().swap(count);
  struct Row {
    int firstLayer;
    std::string path;
    const PathData* d;
  };
  std::vector<Row> rows;
  for (const auto& [p, d] : multi) {
    minimum += d.minSize;
    discovered += d.cumulative;
    rows.push_back({d.firstLayer, store.pathString(p), &d});
  }
  // Largest first; ties in first-seen order (by layer, then path), as dive lists them.
  std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
    if (x.d->cumulative != y.d->cumulative) return x.d->cumulative > y.d->cumulative;
    if (x.firstLayer != y.firstLayer) return x.firstLayer < y.firstLayer;
    return x.path < y.path;
  });
  for (auto& r : rows) {
    a.wasted.push_back({"/" + r.path, int(r.d->layers.size()), r.d->cumulative, r.d->layers});
    a.wastedBytes += r.d->cumulative;
  }
  a.efficiency = discovered == 0 ? 1.0 : double(minimum) / double(discovered);
  for (std::size_t i = 0; i < img.layers.size(); ++i) {
    a.imageBytes += img.layers[i].contentBytes;
    if (i > 0) a.userBytes += img.layers[i].contentBytes;
  }
  a.wastedUserPercent = a.userBytes == 0 ? 0.0 : double(a.wastedBytes) / double(a.userBytes);
}

// Walks the final tree once, calling f(index, path) for every node.
template <class F>
void walk(const FileTree& t, F&& f) {
  std::vector<std::pair<std::int32_t, std::string>> stack{{FileTree::kRoot, ""}};
  while (!stack.empty()) {
    auto [i, p] = std::move(stack.back());
    stack.pop_back();
    f(i, p.empty() ? std::string("/") : p);
    auto ch = t.children(i);
    for (auto it = ch.rbegin(); it != ch.rend(); ++it) stack.push_back({*it, p + "/" + std::string(t.name(*it))});
  }
}

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
// Wheel/dist-info project names compare with '-' and '.' as '_', case-insensitively.
std::string normName(std::string s) {
  s = lower(std::move(s));
  for (auto& c : s)
    if (c == '-' || c == '.') c = '_';
  return s;
}

struct Collector {
  Finding f;
  void add(const std::string& path, std::uint64_t bytes) {
    f.bytes += bytes;
    if (f.paths.size() < 20) f.paths.push_back(path);
  }
};

void findings(const Image& img, Analysis& a) {
  const FileTree& t = img.tree;
  Collector compiler{{"compiler", Severity::Warning, "A C compiler ships in the final image",
                      "Build wheels in a builder stage (or install build-essential and purge it in the same RUN); "
                      "copy only the results into the final stage.", 0, {}}};
  Collector dev{{"dev-headers", Severity::Warning, "-dev packages and C headers ship in the final image",
                 "Headers are only needed to compile; keep them in a builder stage, install the runtime "
                 "libraries (without -dev) in the final one.", 0, {}}};
  Collector pip{{"pip-cache", Severity::Warning, "pip's cache was left in the image",
                 "Use pip install --no-cache-dir, or RUN --mount=type=cache,target=/root/.cache/pip.", 0, {}}};
  Collector apt{{"apt-lists", Severity::Warning, "apt package lists were left in the image",
                 "End the apt-get install RUN with && rm -rf /var/lib/apt/lists/*.", 0, {}}};
  Collector pkg{{"package-cache", Severity::Warning, "A package manager cache was left in the image",
                 "Clean it in the RUN that filled it (apt-get clean, apk --no-cache, uv/poetry cache dirs) "
                 "or use a cache mount.", 0, {}}};
  Collector pyc{{"pycache", Severity::Info, "Compiled bytecode (.pyc / __pycache__) in the image",
                 "PYTHONDONTWRITEBYTECODE=1 and pip --no-compile keep images smaller; Python rebuilds them at "
                 "run time when writable.", 0, {}}};
  Collector tests{{"tests", Severity::Info, "Test folders ship inside installed packages",
                   "Tests of dependencies are dead weight at run time; they can be deleted in the install RUN.",
                   0, {}}};
  Collector wheels{{"wheel-installed", Severity::Warning, "Wheels are both in the image and installed",
                    "Copy wheels from a builder stage with RUN --mount=type=bind or delete them in the RUN that "
                    "installs them; otherwise they ship twice.", 0, {}}};
  std::map<std::string, std::string> distInfos;  // normalised "name-version" -> path
  std::vector<std::pair<std::string, std::int32_t>> wheelFiles;

  walk(t, [&](std::int32_t i, const std::string& p) {
    const FileNode& n = t.node(i);
    const std::string name(t.name(i));
    if (n.type != NodeType::Dir) {
      if ((p.starts_with("/usr/bin/") || p.starts_with("/usr/local/bin/")) &&
          (name == "gcc" || name == "g++" || name == "cc" || name == "c++" || name == "clang" ||
           (name.find("-gcc-") != std::string::npos && !name.ends_with("-ar") && !name.ends_with("-nm") &&
            !name.ends_with("-ranlib")) ||
           name.starts_with("gcc-1") || name.starts_with("g++-1")))
        compiler.add(p, n.size);
      if (p.starts_with("/usr/libexec/gcc/") && (name == "cc1" || name == "cc1plus")) compiler.add(p, n.size);
      if (p.starts_with("/var/lib/dpkg/info/") && name.ends_with(".list")) {
        std::string pkgName = name.substr(0, name.size() - 5);
        pkgName = pkgName.substr(0, pkgName.find(':'));
        if (pkgName.ends_with("-dev")) dev.add("package " + pkgName, 0);
      }
      if (p.starts_with("/var/lib/apt/lists/") && name != "lock" && n.size > 0) apt.add(p, n.size);
      if ((p.starts_with("/var/cache/apt/") && (name.ends_with(".deb") || name.ends_with(".bin"))) ||
          (p.starts_with("/var/cache/apk/") && n.size > 0))
        pkg.add(p, n.size);
      if (name.ends_with(".pyc")) pyc.add(p, n.size);
      if (name.ends_with(".whl")) wheelFiles.push_back({p, i});
      return;
    }
    if (p == "/usr/include" || p == "/usr/local/include") {
      if (n.totalSize > 0) dev.add(p, n.totalSize);
      return;
    }
    if (p.ends_with("/.cache/pip")) {
      if (n.totalSize > 0) pip.add(p, n.totalSize);
      return;
    }
    for (const char* c : {"/.cache/pypoetry", "/.cache/uv", "/.cache/pip-tools", "/.npm"})
      if (p.ends_with(c) && n.totalSize > 0) pkg.add(p, n.totalSize);
    bool inPackages = p.find("/site-packages/") != std::string::npos || p.find("/dist-packages/") != std::string::npos;
    if (inPackages && (name == "tests" || name == "test") && n.totalSize > 0) tests.add(p, n.totalSize);
    if (inPackages && name.ends_with(".dist-info")) distInfos[normName(name.substr(0, name.size() - 10))] = p;
  });
  // A wheel "name-version-tags.whl" beside an installed "name-version.dist-info".
  for (const auto& [p, i] : wheelFiles) {
    const std::string file(t.name(i));
    auto d1 = file.find('-');
    auto d2 = d1 == std::string::npos ? d1 : file.find('-', d1 + 1);
    if (d2 == std::string::npos) continue;
    auto it = distInfos.find(normName(file.substr(0, d1)) + "_" + normName(file.substr(d1 + 1, d2 - d1 - 1)));
    if (it != distInfos.end()) {
      wheels.add(p, t.node(i).size);
      if (wheels.f.paths.size() < 20) wheels.f.paths.push_back(it->second);
    }
  }
  // Deleted in a later layer, still shipped by the layer below (dive does not
  // count removed directories as waste).
  Collector removed{{"removed-later", Severity::Warning, "Files deleted in a later layer still ship in an earlier one",
                     "Delete files in the same RUN that creates them (or use a multi-stage build); a later rm "
                     "only hides them.", 0, {}}};
  for (const auto& l : img.layers)
    for (const auto& e : l.entries)
      if (e.kind != LayerEntry::Kind::Normal && e.removedBytes > 0)
        removed.add("/" + img.entryPath(e) + (e.kind == LayerEntry::Kind::Opaque ? "/ (opaque)" : "") + " (layer " +
                        std::to_string(l.index + 1) + ")",
                    e.removedBytes);
  for (Collector* c : {&compiler, &dev, &pip, &apt, &pkg, &pyc, &tests, &wheels, &removed})
    if (!c->f.paths.empty()) a.findings.push_back(std::move(c->f));
}

}  // namespace

Analysis analyze(const Image& image) {
  Analysis a;
  efficiency(image, a);
  findings(image, a);
  return a;
}

}  // namespace slimbench::image
