#include "image/layer_scan.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>

#include "image/sha256.h"

namespace slimbench::image {
namespace {

Diagnostic err(const std::string& where, const std::string& msg) { return errorAt(where, msg); }

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveCloser>;

// Stage 1: raw blob bytes (hashed, counted) -> libarchive decompression.
struct RawCtx {
  BlobStream* in;
  Sha256* hash;
  std::uint64_t bytes = 0;
  const std::atomic<bool>* cancel;
};

la_ssize_t rawRead(archive* a, void* ud, const void** buf) {
  auto* c = static_cast<RawCtx*>(ud);
  if (c->cancel->load(std::memory_order_relaxed)) {
    archive_set_error(a, ECANCELED, "cancelled");
    return -1;
  }
  long n = c->in->read(buf);
  if (n < 0) {
    archive_set_error(a, EIO, "%s", c->in->error.c_str());
    return -1;
  }
  if (c->hash && n > 0) c->hash->update(*buf, std::size_t(n));
  c->bytes += std::uint64_t(n);
  return n;
}

// Stage 2: decompressed bytes (counted against the expansion limit) -> tar reader.
struct TarCtx {
  archive* raw;
  std::uint64_t bytes = 0;
  std::uint64_t limit = 0;
  bool bomb = false;
  bool eof = false;
};

la_ssize_t tarRead(archive* a, void* ud, const void** buf) {
  auto* c = static_cast<TarCtx*>(ud);
  if (c->eof) return 0;
  std::size_t n = 0;
  la_int64_t off = 0;
  int r = archive_read_data_block(c->raw, buf, &n, &off);
  if (r == ARCHIVE_EOF) {
    c->eof = true;
    return 0;
  }
  if (r < ARCHIVE_WARN) {
    const char* m = archive_error_string(c->raw);
    archive_set_error(a, EINVAL, "%s", m ? m : "decompression error");
    return -1;
  }
  c->bytes += n;
  if (c->bytes > c->limit) {
    c->bomb = true;
    archive_set_error(a, EINVAL, "expansion limit");
    return -1;
  }
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
                            const std::string& where, std::atomic<std::uint64_t>& totalEntries,
                            const std::atomic<bool>& cancel) {
  LayerScan out;
  Sha256 sha;
  RawCtx rc{&in, hash ? &sha : nullptr, 0, &cancel};
  ArchivePtr raw(archive_read_new());
  archive_read_support_filter_all(raw.get());
  archive_read_support_format_raw(raw.get());
  if (archive_read_open(raw.get(), &rc, nullptr, rawRead, nullptr) != ARCHIVE_OK) {
    const char* m = archive_error_string(raw.get());
    return err(where, std::string("cannot read the layer: ") + (m ? m : "unknown format"));
  }
  archive_entry* re = nullptr;
  int r = archive_read_next_header(raw.get(), &re);
  if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
    const char* m = archive_error_string(raw.get());
    return err(where, std::string("expected a layer tar: ") + (m ? m : "empty blob"));
  }
  const char* fname = archive_filter_name(raw.get(), 0);
  out.compression = (archive_filter_count(raw.get()) <= 1 || !fname) ? "none" : fname;

  std::uint64_t limit = limits.maxLayerBytes;
  if (compressedSize > 0 && out.compression != "none") {
    std::uint64_t ratioLimit = std::max(limits.bombFloorBytes, compressedSize * limits.maxExpansionRatio);
    limit = std::min(limit, ratioLimit);
  }
  TarCtx tc{raw.get(), 0, limit, false, false};
  ArchivePtr tar(archive_read_new());
  archive_read_support_format_tar(tar.get());
  if (archive_read_open(tar.get(), &tc, nullptr, tarRead, nullptr) != ARCHIVE_OK) {
    if (tc.bomb) return err(where, bombMessage(limit, compressedSize));
    const char* m = archive_error_string(tar.get());
    return err(where, std::string("expected a layer tar: ") + (m ? m : "unknown format"));
  }
  std::uint64_t declared = 0;
  std::string prev, path, link;
  archive_entry* e = nullptr;
  auto failAt = [&](const std::string& msg) {
    return err(where, (prev.empty() ? std::string("at the start") : "after entry '" + prev + "'") + ": " + msg);
  };
  for (;;) {
    r = archive_read_next_header(tar.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (cancel.load(std::memory_order_relaxed)) return err(where, "cancelled");
    if (r < ARCHIVE_WARN) {
      if (tc.bomb) return err(where, bombMessage(limit, compressedSize));
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
    le.mode = std::uint32_t(archive_entry_perm(e));
    const char* hl = archive_entry_hardlink(e);
    auto ft = archive_entry_filetype(e);
    if (hl) {
      le.type = NodeType::Hardlink;
      if (auto bad = normalizeEntryPath(hl, link, limits))
        return err(where, "entry '" + path + "': hardlink target '" + std::string(hl).substr(0, 300) + "': " + *bad);
      if (link == path) return err(where, "entry '" + path + "': hardlink to itself");
      le.link = link;
    } else if (ft == AE_IFDIR) {
      le.type = NodeType::Dir;
    } else if (ft == AE_IFREG) {
      le.type = NodeType::File;
      le.size = std::uint64_t(sz);
    } else if (ft == AE_IFLNK) {
      le.type = NodeType::Symlink;
      const char* t = archive_entry_symlink(e);
      le.link = t ? t : "";
    } else {
      le.type = NodeType::Other;
    }
    // OCI whiteouts: ".wh.NAME" removes NAME, ".wh..wh..opq" empties the directory.
    auto slash = path.rfind('/');
    std::string_view base = slash == std::string::npos ? std::string_view(path) : std::string_view(path).substr(slash + 1);
    std::string parent = slash == std::string::npos ? std::string() : path.substr(0, slash);
    bool keep = true;
    if (base.starts_with(".wh.")) {
      if (base == ".wh..wh..opq") {
        le.kind = LayerEntry::Kind::Opaque;
        le.path = parent;
      } else if (base.starts_with(".wh..wh.")) {
        keep = false;  // aufs bookkeeping (.wh..wh.plnk etc.): not content
      } else {
        auto victim = base.substr(4);
        if (victim.empty() || victim == "." || victim == "..")
          return err(where, "entry '" + path + "': whiteout names no file");
        le.kind = LayerEntry::Kind::Whiteout;
        le.path = parent.empty() ? std::string(victim) : parent + "/" + std::string(victim);
      }
      le.type = NodeType::File;
      le.size = 0;
      le.link.clear();
    } else {
      if (path.empty()) keep = false;  // the root itself
      le.path = path;
      if (le.type == NodeType::File) out.contentBytes += le.size;
    }
    if (keep) out.entries.push_back(std::move(le));
    prev = path;
    if (archive_read_data_skip(tar.get()) < ARCHIVE_WARN) {
      if (tc.bomb) return err(where, bombMessage(limit, compressedSize));
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
    if (!tc.eof) {
      const char* m = archive_error_string(raw.get());
      return err(where, std::string("broken compressed stream after the tar end: ") + (m ? m : "read error"));
    }
  }
  for (;;) {  // bytes after the compressed stream still belong to the blob
    const void* buf = nullptr;
    long n = in.read(&buf);
    if (n < 0) return err(where, "read error: " + in.error);
    if (n == 0) break;
    if (hash) sha.update(buf, std::size_t(n));
    rc.bytes += std::uint64_t(n);
  }
  out.compressedBytes = rc.bytes;
  out.uncompressedBytes = tc.bytes;
  if (hash) out.sha256 = sha.hexDigest();
  return out;
}

}  // namespace slimbench::image
