#pragma once
// Opening saved container images: `docker save` archives (classic and
// OCI-inside layouts), OCI image archives and OCI image layout directories,
// layers uncompressed, gzip or zstd. Layers are streamed with libarchive (never
// unpacked to disk, never held whole in memory) and read in parallel.
//
//   auto img = image::open("app.tar", {});         // Result<Image>
//   img->layers[i].createdBy, .size, .added ...     // per-layer facts
//   img->tree                                        // merged tree, sizes per node
//   image::treeAt(*img, 2)                           // the tree after layer 2
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "image/inflate.h"
#include "image/manifest.h"
#include "image/tree.h"
#include "util/diagnostic.h"

namespace slimbench::image {

enum class Format { DockerArchive, DockerArchiveOci, OciArchive, OciLayout, DockerDirectory };
const char* formatName(Format f);

// Bounds that keep hostile input from exhausting memory or time.
struct Limits {
  JsonLimits json;                                     // manifest/index/config documents
  std::uint64_t maxMembers = 200000;                   // entries in the outer archive
  std::uint64_t maxEntriesPerLayer = 2000000;
  std::uint64_t maxTotalEntries = 5000000;
  std::size_t maxPathBytes = 4096;
  std::size_t maxPathDepth = 256;
  std::uint64_t maxEntryBytes = 64ull << 30;           // a file claiming more is refused ("absurd size")
  std::uint64_t maxLayerBytes = 256ull << 30;          // uncompressed bytes of one layer
  std::uint64_t bombFloorBytes = 1ull << 30;           // expansion below this is always fine
  std::uint64_t maxExpansionRatio = 200;               // uncompressed/compressed beyond the floor
  int maxIndexDepth = 4;                               // nested image indexes
};

struct Options {
  // The image to pick from a multi-platform index, "os/arch[/variant]". Empty:
  // linux/amd64 when offered, else the first. When set, an image of another
  // platform is an error.
  std::string platform;
  int threads = 0;                        // layer readers in parallel; 0 = hardware threads
  bool verifyDigests = true;              // sha256 of every blob against its name/descriptor
  bool keepEntries = true;                // keep per-layer entry lists (needed for treeAt/analyze)
  // gzip layers: ISA-L (Auto, when built with it) or zlib. zstd layers use libzstd.
  GzipDecoder decoder = GzipDecoder::Auto;
  Limits limits;
};

// One entry of a layer tar, after path normalisation, compact (32 bytes): the
// path and link are ids in the image's PathStore (Image::entryPath/entryLink).
struct LayerEntry {
  enum class Kind : std::uint8_t { Normal, Whiteout, Opaque };
  std::uint64_t size = 0;
  // Filled by the merge: what a whiteout/opaque marker removed from lower layers.
  std::uint64_t removedBytes = 0;
  std::uint32_t path = 0;  // PathTable id; for Whiteout: the path removed; for Opaque: the directory
  std::uint32_t link = 0;  // NamePool id of the symlink target or hardlink target (normalised); 0 = none
  std::uint16_t mode = 0;
  NodeType type = NodeType::File;
  Kind kind = Kind::Normal;
  bool removedDir = false;
};

struct Changes {
  std::uint64_t count = 0;  // files (non-directories)
  std::uint64_t bytes = 0;
};

struct Layer {
  int index = 0;
  std::string member;          // path of the blob inside the archive/layout
  std::string digest;          // blob digest ("sha256:..."); for classic docker archives the diff id
  std::string diffId;          // digest of the uncompressed tar (from the config)
  std::string mediaType;       // from the OCI manifest ("" for docker archives)
  std::string compression;     // "none", "gzip", "zstd", ...
  std::string decoder;         // what inflated it: "isal", "zlib", "libzstd", "libarchive", "none"
  bool diffIdVerified = false; // the uncompressed tar was hashed and matched diffId
  std::uint64_t compressedSize = 0;    // bytes of the blob as stored
  std::uint64_t size = 0;              // bytes of the uncompressed tar stream
  std::uint64_t contentBytes = 0;      // sum of regular-file sizes in the layer
  int historyIndex = -1;               // into ImageConfig::history, -1 when unmatched
  std::string createdBy;               // the instruction, from history
  std::string created;
  std::string comment;
  Changes added, changed, removed;     // against the layers below (removed: whiteouts/opaque)
  std::uint64_t entryCount = 0;        // tar entries (directories, markers included)
  std::vector<LayerEntry> entries;     // tar order (when Options::keepEntries)
};

struct Image {
  std::string path;
  Format format = Format::DockerArchive;
  Platform platform;                       // of the chosen image
  std::vector<std::string> platforms;      // all offered by the index (or just the one)
  std::vector<std::string> references;     // repo tags / ref names
  std::string manifestDigest;              // "" for classic docker archives
  std::string configDigest;
  ImageConfig config;
  std::vector<Layer> layers;
  std::shared_ptr<PathStore> store;        // names and paths of the tree and the entry lists
  FileTree tree;                           // after the last layer
  std::vector<Diagnostic> warnings;

  std::uint64_t totalSize() const;            // sum of uncompressed layer sizes
  std::uint64_t totalCompressedSize() const;
  std::uint64_t totalContentBytes() const;
  // The decoders that ran, bottom layer first, each once: "isal", "zlib, libzstd", "none".
  std::string decoders() const;
  std::string entryPath(const LayerEntry& e) const { return store->pathString(e.path); }  // "usr/bin/x"
  std::string_view entryLink(const LayerEntry& e) const { return store->names.view(e.link); }
  // Bytes held by the tree, the entry lists and the shared names (capacity, not RSS).
  struct Memory {
    std::uint64_t treeNodes = 0, treeBytes = 0, entries = 0, entriesBytes = 0, namesBytes = 0;
    std::uint64_t total() const { return treeBytes + entriesBytes + namesBytes; }
  };
  Memory memory() const;
};

Result<Image> open(const std::string& path, const Options& options = {});

// The merged tree after layers 0..layerIndex (needs the entry lists).
Result<FileTree> treeAt(const Image& image, int layerIndex);

// Human sizes: "1.2 MB" (decimal, like docker/podman).
std::string humanSize(std::uint64_t bytes);

}  // namespace slimbench::image
