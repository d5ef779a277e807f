#pragma once
// Internal: reading one layer blob as a stream (decompress + tar headers),
// and stacking layers into the merged tree with OCI whiteout rules.
#include <atomic>
#include <optional>

#include "image/image.h"
#include "image/source.h"

namespace slimbench::image {

struct LayerScan {
  std::vector<LayerEntry> entries;
  std::uint64_t compressedBytes = 0;
  std::uint64_t uncompressedBytes = 0;
  std::uint64_t contentBytes = 0;
  std::uint64_t entryCount = 0;
  std::string compression;
  std::string decoder;     // "isal", "zlib" (gzip), "libzstd", "libarchive" (other filters), "none"
  std::string sha256;      // hex of the raw blob (when hashing)
  std::string diffSha256;  // hex of the uncompressed tar (when hashing a compressed blob)
};

// Reads a layer tar (any compression libarchive knows) from `in`. Paths and
// links are interned in `store` (under its mutex: several layers read at once).
// compressedSize (0 = unknown) bounds the expansion; `totalEntries` is shared
// across parallel readers for the image-wide cap; `cancel` stops early.
Result<LayerScan> scanLayer(BlobStream& in, std::uint64_t compressedSize, const Limits& limits, bool hash,
                            GzipDecoder decoder, PathStore& store,
                            const std::string& where, std::atomic<std::uint64_t>& totalEntries,
                            const std::atomic<bool>& cancel);

// Applies one layer to the tree: whiteouts/opaque markers remove from the
// layers below (all of them first, as they never hide this layer's own
// files), then the entries are added. Fills layer counts and removedBytes.
std::optional<Diagnostic> applyLayer(FileTree& tree, Layer& layer, std::vector<LayerEntry>& entries,
                                     const std::string& where, std::vector<Diagnostic>* warnings);

// Normalises a path from a layer tar: "./a//b/" -> "a/b". Errors on absolute
// paths and "..", over-long paths. Empty result = the root itself.
std::optional<std::string> normalizeEntryPath(std::string_view in, std::string& out, const Limits& limits);

}  // namespace slimbench::image
