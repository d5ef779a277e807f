#include "image/layer_scan.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>

#include "image/inflate.h"
#include "image/sha256.h"

namespace slimbench::image {
namespace {

Diagnostic err(const std::string& where, const std::string& msg) { return errorAt(where, msg); }

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveCloser>;

// Stage 1: raw blob bytes, hashed and counted; the first chunk is peeked at
// (to choose the gzip decoder) and handed out again.
struct RawCtx final : RawPull {
  BlobStream* in;
  Sha256* hash;
  const std::atomic<bool>* cancel;
  std::uint64_t bytes = 0;
  std::string error;
  std::string peeked;  // the first bytes, not yet handed out
  bool peekPending = false;
  RawCtx(BlobStream* i, Sha256* h, const std::atomic<bool>* c) : in(i), hash(h), cancel(c) {}

  long next(const void** buf) {
    if (cancel->load(std::memory_order_relaxed)) {
      error = "cancelled";
      return -1;
    }
    long n = in->read(buf);
    if (n < 0) {
      error = in->error;
      return -1;
    }
    if (hash && n > 0) hash->update(*buf, std::size_t(n));
    bytes += std::uint64_t(n);
    return n;
  }
  // Reads until at least `want` bytes are buffered or the blob ends.
  bool peek(std::size_t want) {
    while (peeked.size() < want) {
      const void* b = nullptr;
      long n = next(&b);
      if (n < 0) return false;
      if (n == 0) break;
      peeked.append(static_cast<const char*>(b), std::size_t(n));
    }
    peekPending = !peeked.empty();
    return true;
  }
  long read(const void** buf) {
    if (peekPending) {
      peekPending = false;
      *buf = peeked.data();
      return long(peeked.size());
    }
    return next(buf);
  }
  long pull(const std::uint8_t** buf) override {
    const void* b = nullptr;
    long n = read(&b);
    *buf = static_cast<const std::uint8_t*>(b);
    return n;
  }
};

la_ssize_t rawRead(archive* a, void* ud, const void** buf) {
  auto* c = static_cast<RawCtx*>(ud);
  long n = c->read(buf);
  if (n < 0) archive_set_error(a, c->error == "cancelled" ? ECANCELED : EIO, "%s", c->error.c_str());
  return n;
}

// Stage 2: decompressed bytes (counted against the expansion limit, hashed for
// the diff ID) -> tar reader. They come from our gzip reader or from a
// libarchive filter (zstd via libzstd, bzip2, xz, none).
struct TarCtx {
  archive* raw = nullptr;      // libarchive filter stage, or
  GzipReader* gzip = nullptr;  // our gzip stage
  const std::string* rawError = nullptr;  // why the raw stage failed (read error, "cancelled")
  Sha256* diffHash = nullptr;
  std::uint64_t bytes = 0;
  std::uint64_t limit = 0;
  bool bomb = false;
  bool eof = false;
  std::string error;
};

la_ssize_t tarRead(archive* a, void* ud, const void** buf) {
  auto* c = static_cast<TarCtx*>(ud);
  if (c->eof) return 0;
  std::size_t n = 0;
  if (c->gzip) {
    long r = c->gzip->read(buf);
    if (r < 0) {
      c->error = c->rawError && !c->rawError->empty() ? *c->rawError : c->gzip->error;
      archive_set_error(a, EINVAL, "%s", c->error.c_str());
      return -1;
    }
    if (r == 0) {
      c->eof = true;
      return 0;
    }
    n = std::size_t(r);
  } else {
    la_int64_t off = 0;
    int r = archive_read_data_block(c->raw, buf, &n, &off);
    if (r == ARCHIVE_EOF) {
      c->eof = true;
      return 0;
    }
    if (r < ARCHIVE_WARN) {
      const char* m = archive_error_string(c->raw);
      c->error = m ? m : "decompression error";
      archive_set_error(a, EINVAL, "%s", c->error.c_str());
      return -1;
    }
  }
  c->bytes += n;
  if (c->bytes > c->limit) {
    c->bomb = true;
    archive_set_error(a, EINVAL, "expansion limit");
    return -1;
  }
  if (c->diffHash && n > 0) c->diffHash->update(*buf, n);
  return la_ssize_t(n);
}

std::string bombMessage(std::uint64_t limit, std::uint64_t compressed) {
  return "expands to more than " + humanSize(limit) + " from " + humanSize(compressed) +
         " compressed: refusing a likely decompression bomb (see image::Limits)";
}

}  // namespace

std::optional<std::string> normalizeEntryPath(std::string_view in, std::string& out, const Limits& limits) {
  out.clear();
  if (in.size() > limits.maxPathBytes) return "path longer than " + std::to_string(limits.maxPathBytes) + " bytes";
  if (in.find('\0') != std::string_view::npos) return std::string("path contains a NUL byte");
  if (!in.empty() && in.front() == '/') return std::string("absolute path (layer paths must be relative to the image root)");
  std::size_t depth = 0, start = 0;
  while (start < in.size()) {
    auto end = in.find('/', start);
    if (end == std::string_view::npos) end = in.size();
    auto comp = in.substr(start, end - start);
    start = end + 1;
    if (comp.empty() || comp == ".") continue;
    if (comp == "..") return std::string("path traversal: \"..\" would leave the image root");
    if (++depth > limits.maxPathDepth) return "path deeper than " + std::to_string(limits.maxPathDepth) + " levels";
    if (!out.empty()) out += '/';
    out.append(comp);
  }
  return std::nullopt;
}

Result<LayerScan> scanLayer(BlobStream& in, std::uint64_t compressedSize, const Limits& limits, bool hash,
                            GzipDecoder decoder, PathStore& store,
                            const std::string& where, std::atomic<std::uint64_t>& totalEntries,
                            const std::atomic<bool>& cancel) {
  LayerScan out;
  Sha256 sha, diffSha;
  RawCtx rc(&in, hash ? &sha : nullptr, &cancel);
  if (!rc.peek(4)) return err(where, rc.error == "cancelled" ? rc.error : "read error: " + rc.error);
  const auto* magic = reinterpret_cast<const std::uint8_t*>(rc.peeked.data());
  const bool gz = rc.peeked.size() >= 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  ArchivePtr raw;
  std::unique_ptr<GzipReader> gzip;
  if (gz) {
    GzipDecoder d = resolveDecoder(decoder);
    gzip = GzipReader::make(d, rc);
    out.compression = "gzip";
    out.decoder = gzipDecoderName(d);
  } else {
    raw.reset(archive_read_new());
    archive_read_support_filter_all(raw.get());
    archive_read_support_format_raw(raw.get());
    if (archive_read_open(raw.get(), &rc, nullptr, rawRead, nullptr) != ARCHIVE_OK) {
      const char* m = archive_error_string(raw.get());
      return err(where, std::string("cannot read the layer: ") + (m ? m : "unknown format"));
    }
    archive_entry* re = nullptr;
    int r0 = archive_read_next_header(raw.get(), &re);
    if (r0 != ARCHIVE_OK && r0 != ARCHIVE_WARN) {
      const char* m = archive_error_string(raw.get());
      return err(where, std::string("expected a layer tar: ") + (m ? m : "empty blob"));
    }
    const char* fname = archive_filter_name(raw.get(), 0);
    out.compression = (archive_filter_count(raw.get()) <= 1 || !fname) ? "none" : fname;
    out.decoder = out.compression == "none" ? "none" : out.compression == "zstd" ? "libzstd" : "libarchive";
  }

  std::uint64_t limit = limits.maxLayerBytes;
  if (compressedSize > 0 && out.compression != "none") {
    std::uint64_t ratioLimit = std::max(limits.bombFloorBytes, compressedSize * limits.maxExpansionRatio);
    limit = std::min(limit, ratioLimit);
  }
  const bool hashDiff = hash && out.compression != "none";  // uncompressed: the blob digest is the diff ID
  TarCtx tc;
  tc.raw = raw.get();
  tc.gzip = gzip.get();
  tc.rawError = &rc.error;
  tc.diffHash = hashDiff ? &diffSha : nullptr;
  tc.limit = limit;
  ArchivePtr tar(archive_read_new());
  archive_read_support_format_tar(tar.get());
  if (archive_read_open(tar.get(), &tc, nullptr, tarRead, nullptr) != ARCHIVE_OK) {
    if (tc.bomb) return err(where, bombMessage(limit, compressedSize));
    if (!tc.error.empty()) return err(where, tc.error);
    const char* m = archive_error_string(tar.get());
    return err(where, std::string("expected a layer tar: ") + (m ? m : "unknown format"));
  }
  std::uint64_t declared = 0;
  std::string prev, path, link, lastDir;
  std::uint32_t lastDirId = 0;
  bool haveDir = false;
  archive_entry* e = nullptr;
  auto failAt = [&](const std::string& msg) {
    return err(where, (prev.empty() ? std::string("at the start") : "after entry '" + prev + "'") + ": " + msg);
  };
  for (;;) {
    int r = archive_read_next_header(tar.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (cancel.load(std::memory_order_relaxed)) return err(where, "cancelled");
    if (r < ARCHIVE_WARN) {
      if (tc.bomb) return err(where, bombMessage(limit, compressedSize));
      if (!tc.error.empty()) return failAt(tc.error);
      const char* m = archive_error_string(tar.get());
      return failAt(std::string("broken layer tar: ") + (m ? m : "read error"));
    }
    const char* nm = archive_entry_pathname(e);
    if (!nm) nm = archive_entry_pathname_utf8(e);
    if (!nm) return failAt("entry without a readable path");
    if (auto bad = normalizeEntryPath(nm, path, limits))
      return err(where, "entry '" + std::string(nm).substr(0, 300) + "': " + *bad);
    ++out.entryCount;
    if (out.entryCount > limits.maxEntriesPerLayer)
      return err(where, "too many entries in one layer (over " + std::to_string(limits.maxEntriesPerLayer) + ")");
    if (totalEntries.fetch_add(1, std::memory_order_relaxed) + 1 > limits.maxTotalEntries)
      return err(where, "too many entries in the image (over " + std::to_string(limits.maxTotalEntries) + ")");
    la_int64_t sz = archive_entry_size(e);
    if (sz < 0 || std::uint64_t(sz) > limits.maxEntryBytes)
      return err(where, "entry '" + path + "': absurd size " + std::to_string(sz) + " in the tar header (limit " +
                            humanSize(limits.maxEntryBytes) + ")");
    declared += std::uint64_t(sz);
    if (declared > limit)
      return err(where, "entry '" + path + "': the entries declare " + humanSize(declared) + ", and the layer " +
                            bombMessage(limit, compressedSize));

    LayerEntry le;
    le.mode = std::uint16_t(archive_entry_perm(e) & 07777);
    const char* hl = archive_entry_hardlink(e);
    auto ft = archive_entry_filetype(e);
    std::string_view linkText;
    if (hl) {
      le.type = NodeType::Hardlink;
      if (auto bad = normalizeEntryPath(hl, link, limits))
        return err(where, "entry '" + path + "': hardlink target '" + std::string(hl).substr(0, 300) + "': " + *bad);
      if (link == path) return err(where, "entry '" + path + "': hardlink to itself");
      linkText = link;
    } else if (ft == AE_IFDIR) {
      le.type = NodeType::Dir;
    } else if (ft == AE_IFREG) {
      le.type = NodeType::File;
      le.size = std::uint64_t(sz);
    } else if (ft == AE_IFLNK) {
      le.type = NodeType::Symlink;
      const char* t = archive_entry_symlink(e);
      linkText = t ? std::string_view(t) : std::string_view();
      if (linkText.size() > limits.maxPathBytes)
        return err(where, "entry '" + path + "': symlink target longer than " + std::to_string(limits.maxPathBytes) +
                              " bytes");
    } else {
      le.type = NodeType::Other;
    }
    // OCI whiteouts: ".wh.NAME" removes NAME, ".wh..wh..opq" empties the directory.
    auto slash = path.rfind('/');
    std::string_view base = slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
    std::string_view parent = slash == std::string::npos ? std::string_view() : std::string_view(path).substr(0, slash);
    bool keep = true;
    std::string_view victim;
    if (base.starts_with(".wh.")) {
      if (base == ".wh..wh..opq") {
        le.kind = LayerEntry::Kind::Opaque;
      } else if (base.starts_with(".wh..wh.")) {
        keep = false;  // aufs bookkeeping (.wh..wh.plnk etc.): not content
      } else {
        victim = base.substr(4);
        if (victim.empty() || victim == "." || victim == "..")
          return err(where, "entry '" + path + "': whiteout names no file");
        le.kind = LayerEntry::Kind::Whiteout;
      }
      le.type = NodeType::File;
      le.size = 0;
      linkText = {};
    } else {
      if (path.empty()) keep = false;  // the root itself
      if (le.type == NodeType::File) out.contentBytes += le.size;
    }
    if (keep) {
      // Intern: the parent folder (usually the same as the last entry's), then the name.
      std::lock_guard<std::mutex> lock(store.mutex);
      if (!haveDir || parent != lastDir) {
        lastDirId = store.internPath(parent);
        lastDir.assign(parent);
        haveDir = true;
      }
      std::string_view leaf = le.kind == LayerEntry::Kind::Opaque ? std::string_view() : le.kind == LayerEntry::Kind::Whiteout ? victim : base;
      le.path = leaf.empty() ? lastDirId : store.paths.intern(lastDirId, store.names.intern(leaf));
      le.link = linkText.empty() ? 0 : store.names.intern(linkText);
      out.entries.push_back(le);
    }
    prev = path;
    if (archive_read_data_skip(tar.get()) < ARCHIVE_WARN) {
      if (tc.bomb) return err(where, bombMessage(limit, compressedSize));
      if (!tc.error.empty()) return err(where, "entry '" + path + "': " + tc.error);
      const char* m = archive_error_string(tar.get());
      return err(where, "entry '" + path + "': " + (m ? m : "truncated data"));
    }
  }
  // Drain what follows the end-of-archive blocks so sizes and digests cover the whole blob.
  if (!tc.eof) {
    const void* buf;
    while (tarRead(tar.get(), &tc, &buf) > 0) {
    }
    if (tc.bomb) return err(where, bombMessage(limit, compressedSize));
    if (!tc.eof)
      return err(where, "broken compressed stream after the tar end: " + (tc.error.empty() ? "read error" : tc.error));
  }
  for (;;) {  // bytes after the compressed stream still belong to the blob
    const void* buf = nullptr;
    long n = rc.read(&buf);
    if (n < 0) return err(where, "read error: " + rc.error);
    if (n == 0) break;
  }
  out.entries.shrink_to_fit();
  out.compressedBytes = rc.bytes;
  out.uncompressedBytes = tc.bytes;
  if (hash) out.sha256 = sha.hexDigest();
  if (hashDiff) out.diffSha256 = diffSha.hexDigest();
  return out;
}

}  // namespace slimbench::image
