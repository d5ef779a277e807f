#pragma once
// Internal: where an image's files come from — a tar archive (read with
// libarchive, members streamed in place) or a directory — as named members.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "image/image.h"

namespace slimbench::image {

// A pull stream of one blob's raw bytes; no more than one buffer held.
class BlobStream {
 public:
  virtual ~BlobStream() = default;
  // Next chunk: > 0 bytes at *buf, 0 at the end, -1 on error (see error).
  virtual long read(const void** buf) = 0;
  std::string error;
};

class Source {
 public:
  // Indexes a tar archive's members (small JSON-ish members are kept in
  // memory) or checks that a directory is readable.
  static Result<Source> open(const std::string& path, const Limits& limits);

  bool isDirectory() const { return isDir_; }
  bool has(const std::string& name) const;
  std::int64_t size(const std::string& name) const;  // -1 when absent
  // The whole member, refused when larger than maxBytes.
  Result<std::string> read(const std::string& name, std::size_t maxBytes) const;
  // A stream of the member's bytes; safe to call from several threads.
  Result<std::unique_ptr<BlobStream>> stream(const std::string& name) const;
  // "image.tar:blobs/sha256/…" for messages.
  std::string where(const std::string& name) const { return path_ + ":" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool isDir_ = false;
  std::map<std::string, std::uint64_t> members_;
  std::map<std::string, std::string> small_;
};

// Member names as they are matched: leading "./" and "/" runs removed.
std::string normalizeMemberName(std::string_view name);

}  // namespace slimbench::image
