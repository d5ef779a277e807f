// image::open: format detection, manifest/index/config resolution, parallel
// layer streaming, digest checks, history matching and the merged tree.
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <thread>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "image/image.h"
#include "image/layer_scan.h"
#include "image/sha256.h"
#include "image/source.h"

namespace slimbench::image {
namespace {

Diagnostic err(const std::string& where, const std::string& msg) { return errorAt(where, msg); }

std::string shortDigest(const std::string& d) { return d.size() > 19 ? d.substr(0, 19) : d; }

bool isIndexMediaType(const std::string& mt) {
  return mt == "application/vnd.oci.image.index.v1+json" ||
         mt == "application/vnd.docker.distribution.manifest.list.v2+json";
}

// What a layer read needs to know before streaming.
struct LayerPlan {
  std::string member;
  std::string expectDigest;  // "sha256:..." the raw blob must hash to ("" = not checked)
  std::int64_t expectSize = -1;
  std::string mediaType;
};

// A blob read whole (manifest, config), checked against its digest and size.
Result<std::string> readBlob(const Source& src, const Descriptor& d, const Options& opt) {
  std::string member = blobPath(d.digest);
  if (!src.has(member))
    return err(src.where(member), "missing: the manifest names blob " + d.digest + ", which is not in the image");
  auto text = src.read(member, opt.limits.json.maxBytes);
  if (!text) return text.error();
  if (d.size >= 0 && std::uint64_t(d.size) != text->size())
    return err(src.where(member), "size is " + std::to_string(text->size()) + " bytes, the descriptor says " +
                                      std::to_string(d.size));
  if (opt.verifyDigests && d.digest.starts_with("sha256:") && "sha256:" + Sha256::hex(*text) != d.digest)
    return err(src.where(member), "digest mismatch: the content does not hash to " + d.digest);
  return text;
}

struct Chosen {
  Descriptor manifest;
  std::vector<std::string> platforms;
  std::vector<std::string> references;
};

// Walks index.json (and nested indexes) to the manifest for the wanted platform.
Result<Chosen> chooseManifest(const Source& src, const std::string& indexText, const std::string& where,
                              const Options& opt, int depth) {
  if (depth > opt.limits.maxIndexDepth)
    return err(where, "image indexes nested deeper than " + std::to_string(opt.limits.maxIndexDepth));
  auto idx = parseOciIndex(indexText, where, opt.limits.json);
  if (!idx) return idx.error();
  auto want = Platform::parse(opt.platform.empty() ? std::string("linux/amd64") : opt.platform);
  if (!want) return err(where, "--platform: expected os/arch[/variant], got \"" + opt.platform + "\"");
  Chosen out;
  std::vector<const Descriptor*> candidates;
  for (const auto& m : idx->manifests) {
    auto ref = m.annotations.find("vnd.docker.reference.type");
    if (ref != m.annotations.end() && ref->second == "attestation-manifest") continue;
    if (m.platform && m.platform->os == "unknown") continue;
    for (const char* key : {"org.opencontainers.image.ref.name", "io.containerd.image.name"})
      if (auto a = m.annotations.find(key); a != m.annotations.end()) out.references.push_back(a->second);
    // A multi-platform index saved for one platform (docker save --platform) lacks the others' blobs.
    if (!src.has(blobPath(m.digest))) {
      if (m.platform) out.platforms.push_back(m.platform->str() + " (not saved)");
      continue;
    }
    candidates.push_back(&m);
    if (m.platform) out.platforms.push_back(m.platform->str());
  }
  if (candidates.empty())
    return err(where, idx->manifests.empty() ? std::string("manifests: expected at least one image manifest")
                                             : "missing: none of the " + std::to_string(idx->manifests.size()) +
                                                   " manifests it lists is in the image");
  const Descriptor* pick = nullptr;
  bool anyPlatform = false;
  for (auto* c : candidates) {
    if (!c->platform) continue;
    anyPlatform = true;
    if (c->platform->matches(*want)) {
      pick = c;
      break;
    }
  }
  if (!pick && anyPlatform && opt.platform.empty()) pick = candidates.front();
  if (!pick && anyPlatform) {
    std::string offered;
    for (const auto& p : out.platforms) offered += (offered.empty() ? "" : ", ") + p;
    return err(where, "platform " + opt.platform + " is not in the image; it offers " + offered +
                          " (choose one with --platform)");
  }
  if (!pick) pick = candidates.front();
  if (isIndexMediaType(pick->mediaType)) {
    auto text = readBlob(src, *pick, opt);
    if (!text) return text.error();
    auto inner = chooseManifest(src, *text, src.where(blobPath(pick->digest)), opt, depth + 1);
    if (!inner) return inner.error();
    for (auto& r : out.references) inner->references.push_back(r);
    return inner;
  }
  out.manifest = *pick;
  return out;
}

// "<64 hex>.json", "<64 hex>/layer.tar", "blobs/sha256/<64 hex>": the digest the name promises, or "".
std::string digestFromName(const std::string& member) {
  auto isHex64 = [](std::string_view s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
             return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
  };
  if (member.starts_with("blobs/sha256/") && isHex64(std::string_view(member).substr(13))) return "sha256:" + member.substr(13);
  std::string_view s = member;
  auto slash = s.rfind('/');
  std::string_view base = slash == std::string_view::npos ? s : s.substr(slash + 1);
  if (base.ends_with(".json") && isHex64(base.substr(0, base.size() - 5))) return "sha256:" + std::string(base.substr(0, 64));
  return "";
}

}  // namespace

const char* formatName(Format f) {
  switch (f) {
    case Format::DockerArchive: return "docker-archive";
    case Format::DockerArchiveOci: return "docker-archive (OCI layout)";
    case Format::OciArchive: return "oci-archive";
    case Format::OciLayout: return "oci-layout";
    case Format::DockerDirectory: return "docker-directory";
  }
  return "unknown";
}

std::string humanSize(std::uint64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  double v = double(bytes);
  int u = 0;
  while (v >= 1000.0 && u < 6) {
    v /= 1000.0;
    ++u;
  }
  char buf[32];
  if (u == 0) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  else std::snprintf(buf, sizeof buf, v < 10 ? "%.2f %s" : (v < 100 ? "%.1f %s" : "%.0f %s"), v, units[u]);
  return buf;
}

std::uint64_t Image::totalSize() const {
  std::uint64_t s = 0;
  for (const auto& l : layers) s += l.size;
  return s;
}
std::uint64_t Image::totalCompressedSize() const {
  std::uint64_t s = 0;
  for (const auto& l : layers) s += l.compressedSize;
  return s;
}
std::uint64_t Image::totalContentBytes() const {
  std::uint64_t s = 0;
  for (const auto& l : layers) s += l.contentBytes;
  return s;
}

Image::Memory Image::memory() const {
  Memory m;
  m.treeNodes = tree.nodeCount();
  m.treeBytes = tree.memoryBytes();
  for (const auto& l : layers) {
    m.entries += l.entries.size();
    m.entriesBytes += l.entries.capacity() * sizeof(LayerEntry);
  }
  m.namesBytes = store ? store->memoryBytes() : 0;
  return m;
}

std::string Image::decoders() const {
  std::string s;
  for (const auto& l : layers)
    if (!l.decoder.empty() && (", " + s + ", ").find(", " + l.decoder + ", ") == std::string::npos)
      s += (s.empty() ? "" : ", ") + l.decoder;
  return s.empty() ? "none" : s;
}

Result<Image> open(const std::string& path, const Options& opt) {
#ifdef __GLIBC__
  // glibc raises its mmap threshold each time a large block is freed, after
  // which the layer readers' short-lived multi-MB vectors (entry lists while
  // they grow, decoder buffers) stay behind in per-thread arenas instead of
  // going back to the system: +40 MB peak RSS on a million-file image. A
  // fixed threshold (this also turns the adjustment off) keeps them mmap'd.
  static std::once_flag mallocTuned;
  std::call_once(mallocTuned, [] { mallopt(M_MMAP_THRESHOLD, 256 * 1024); });
#endif
  if (!opt.platform.empty() && !Platform::parse(opt.platform))
    return err(path, "platform: expected os/arch[/variant], got \"" + opt.platform + "\"");
  auto srcR = Source::open(path, opt.limits);
  if (!srcR) return srcR.error();
  const Source& src = *srcR;
  Image img;
  img.path = path;
  img.store = std::make_shared<PathStore>();
  std::vector<LayerPlan> plans;
  std::string configText, configWhere;

  bool oci = src.has("oci-layout") && src.has("index.json");
  bool docker = src.has("manifest.json");
  if (oci) {
    img.format = docker ? Format::DockerArchiveOci : (src.isDirectory() ? Format::OciLayout : Format::OciArchive);
    auto index = src.read("index.json", opt.limits.json.maxBytes);
    if (!index) return index.error();
    auto chosen = chooseManifest(src, *index, src.where("index.json"), opt, 0);
    if (!chosen) return chosen.error();
    img.platforms = chosen->platforms;
    img.references = chosen->references;
    img.manifestDigest = chosen->manifest.digest;
    auto mtext = readBlob(src, chosen->manifest, opt);
    if (!mtext) return mtext.error();
    std::string mwhere = src.where(blobPath(chosen->manifest.digest));
    auto man = parseOciManifest(*mtext, mwhere, opt.limits.json);
    if (!man) return man.error();
    auto ctext = readBlob(src, man->config, opt);
    if (!ctext) return ctext.error();
    configText = std::move(*ctext);
    configWhere = src.where(blobPath(man->config.digest));
    img.configDigest = man->config.digest;
    for (std::size_t i = 0; i < man->layers.size(); ++i) {
      const auto& d = man->layers[i];
      LayerPlan p{blobPath(d.digest), d.digest, d.size, d.mediaType};
      if (!src.has(p.member))
        return err(mwhere, "layers[" + std::to_string(i) + "]: blob " + d.digest + " is missing from the image");
      plans.push_back(std::move(p));
    }
  } else if (docker) {
    img.format = src.isDirectory() ? Format::DockerDirectory : Format::DockerArchive;
    auto text = src.read("manifest.json", opt.limits.json.maxBytes);
    if (!text) return text.error();
    auto entries = parseDockerManifest(*text, src.where("manifest.json"), opt.limits.json);
    if (!entries) return entries.error();
    for (const auto& e : *entries)
      for (const auto& t : e.repoTags) img.references.push_back(t);
    const auto& m = entries->front();
    if (!src.has(m.config))
      return err(src.where("manifest.json"), "Config: \"" + m.config + "\" is not in the archive");
    auto ctext = src.read(m.config, opt.limits.json.maxBytes);
    if (!ctext) return ctext.error();
    configText = std::move(*ctext);
    configWhere = src.where(m.config);
    std::string promised = digestFromName(m.config);
    img.configDigest = promised.empty() ? "sha256:" + Sha256::hex(configText) : promised;
    if (opt.verifyDigests && !promised.empty() && "sha256:" + Sha256::hex(configText) != promised)
      return err(configWhere, "digest mismatch: the config does not hash to " + promised);
    for (std::size_t i = 0; i < m.layers.size(); ++i) {
      if (!src.has(m.layers[i]))
        return err(src.where("manifest.json"),
                   "Layers[" + std::to_string(i) + "]: \"" + m.layers[i] + "\" is missing from the archive");
      plans.push_back({m.layers[i], "", -1, ""});
    }
  } else {
    return err(path, src.isDirectory()
                         ? "not an image folder: expected index.json + oci-layout (OCI layout) or manifest.json"
                         : "not a saved image: expected manifest.json (docker save) or index.json + oci-layout "
                           "(OCI archive) at the top of the archive");
  }

  auto cfg = parseImageConfig(configText, configWhere, opt.limits.json);
  if (!cfg) return cfg.error();
  img.config = std::move(*cfg);
  configText.clear();
  configText.shrink_to_fit();
  if (img.config.diffIds.size() != plans.size())
    return err(configWhere, "rootfs.diff_ids lists " + std::to_string(img.config.diffIds.size()) +
                                " layers, the manifest " + std::to_string(plans.size()));
  if (plans.size() > opt.limits.json.maxLayers) return err(path, "too many layers");
  img.platform = img.config.platform;
  if (!opt.platform.empty() && !img.platform.str().empty() && !img.platform.matches(*Platform::parse(opt.platform)))
    return err(path, "platform " + opt.platform + " is not in the image; it offers " + img.platform.str() +
                         " (choose one with --platform)");
  if (img.platforms.empty() && !img.platform.str().empty()) img.platforms.push_back(img.platform.str());
  // Classic docker archives name layers by diff id: the uncompressed bytes must hash to it.
  for (std::size_t i = 0; i < plans.size(); ++i)
    if (plans[i].expectDigest.empty()) {
      std::string promised = digestFromName(plans[i].member);
      plans[i].expectDigest = promised.empty() ? img.config.diffIds[i] : promised;
    }

  // Stream the layers, several at once.
  const std::size_t n = plans.size();
  std::vector<LayerScan> scans(n);
  std::vector<std::optional<Diagnostic>> failures(n);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> cancel{false};
  std::atomic<std::uint64_t> totalEntries{0};
  auto worker = [&] {
    for (;;) {
      std::size_t i = next.fetch_add(1);
      if (i >= n || cancel.load()) return;
      std::string where = src.where(plans[i].member) + " (layer " + std::to_string(i + 1) + ")";
      auto st = src.stream(plans[i].member);
      if (!st) {
        failures[i] = st.error();
        cancel = true;
        return;
      }
      auto csize = src.size(plans[i].member);
      auto r = scanLayer(**st, csize > 0 ? std::uint64_t(csize) : 0, opt.limits, opt.verifyDigests, opt.decoder, *img.store, where,
                         totalEntries, cancel);
      if (r) {
        scans[i] = std::move(*r);
      } else {
        failures[i] = r.error();
        cancel = true;
      }
    }
  };
  unsigned threads = opt.threads > 0 ? unsigned(opt.threads) : std::max(1u, std::thread::hardware_concurrency());
  threads = unsigned(std::min<std::size_t>(threads, std::max<std::size_t>(n, 1)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  // The first failing layer (by index) is the one reported; "cancelled" ones are followers.
  for (std::size_t i = 0; i < n; ++i)
    if (failures[i] && !failures[i]->message.ends_with("cancelled")) return *failures[i];
  for (std::size_t i = 0; i < n; ++i)
    if (failures[i]) return *failures[i];

  img.store->compact();  // every path is interned: drop the lookup index and spare capacity
  img.tree = FileTree(img.store);
  {
    std::size_t entries = 1;
    for (const auto& s : scans) entries += s.entries.size();
    img.tree.reserve(entries);  // an upper bound unless the tars leave out parent folders
  }
  auto perLayer = matchHistory(img.config.history, n, &img.warnings, configWhere);
  for (std::size_t i = 0; i < n; ++i) {
    LayerScan& s = scans[i];
    Layer l;
    l.index = int(i);
    l.member = plans[i].member;
    l.mediaType = plans[i].mediaType;
    l.compression = s.compression;
    l.decoder = s.decoder;
    l.compressedSize = s.compressedBytes;
    l.size = s.uncompressedBytes;
    l.contentBytes = s.contentBytes;
    l.entryCount = s.entryCount;
    l.diffId = img.config.diffIds[i];
    std::string where = src.where(l.member);
    std::string actual = "sha256:" + s.sha256;
    if (plans[i].expectSize >= 0 && std::uint64_t(plans[i].expectSize) != s.compressedBytes)
      return err(where, "size is " + std::to_string(s.compressedBytes) + " bytes, the manifest says " +
                            std::to_string(plans[i].expectSize));
    l.digest = opt.verifyDigests ? actual : plans[i].expectDigest;
    if (opt.verifyDigests && plans[i].expectDigest.starts_with("sha256:")) {
      bool isDiffId = plans[i].expectDigest == l.diffId && plans[i].mediaType.empty();
      // A compressed blob in a classic archive cannot be checked against its diff id here.
      if (!(isDiffId && s.compression != "none") && actual != plans[i].expectDigest)
        return err(where, "digest mismatch: layer " + std::to_string(i + 1) + " hashes to " + shortDigest(actual) +
                              "…, the manifest expects " + shortDigest(plans[i].expectDigest) + "…");
    }
    // The uncompressed tar must hash to the config's diff ID (for an uncompressed
    // blob the blob digest is the diff ID, checked above when the name promises it).
    if (opt.verifyDigests && l.diffId.starts_with("sha256:")) {
      std::string diff = s.compression == "none" ? actual : "sha256:" + s.diffSha256;
      if (diff != l.diffId)
        return err(where, "diff ID mismatch: layer " + std::to_string(i + 1) + " uncompressed hashes to " +
                              shortDigest(diff) + "…, the config's rootfs.diff_ids expects " + shortDigest(l.diffId) +
                              "…");
      l.diffIdVerified = true;
    }
    if (perLayer[i] >= 0) {
      const auto& h = img.config.history[std::size_t(perLayer[i])];
      l.historyIndex = perLayer[i];
      l.createdBy = h.createdBy;
      l.created = h.created;
      l.comment = h.comment;
    }
    if (auto d = applyLayer(img.tree, l, s.entries, where, &img.warnings)) return *d;
    if (opt.keepEntries) l.entries = std::move(s.entries);
    else std::vector<LayerEntry>().swap(s.entries);
    std::vector<LayerEntry>().swap(s.entries);
    img.layers.push_back(std::move(l));
  }
  img.tree.finalize();
  return img;
}

Result<FileTree> treeAt(const Image& image, int layerIndex) {
  if (layerIndex < 0 || std::size_t(layerIndex) >= image.layers.size())
    return err(image.path, "layer " + std::to_string(layerIndex + 1) + " does not exist (the image has " +
                               std::to_string(image.layers.size()) + ")");
  FileTree t(image.store);
  for (int i = 0; i <= layerIndex; ++i) {
    Layer l;  // counts only; the entries are copied once because the merge annotates them
    l.index = i;
    std::vector<LayerEntry> entries = image.layers[std::size_t(i)].entries;
    if (auto d = applyLayer(t, l, entries, image.path, nullptr)) return *d;
  }
  t.finalize();
  return t;
}

}  // namespace slimbench::image
