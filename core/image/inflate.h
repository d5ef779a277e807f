#pragma once
// Internal: streaming gzip decoding for layer blobs, with ISA-L's isal_inflate
// (several times zlib's speed on x86) or zlib. The inflated bytes go to
// libarchive as an uncompressed tar; the tar handling stays there.
#include <cstdint>
#include <memory>
#include <string>

namespace slimbench::image {

enum class GzipDecoder : std::uint8_t { Auto, Isal, Zlib };
// "isal" / "zlib" ("auto" for Auto).
const char* gzipDecoderName(GzipDecoder d);
// Whether this build has ISA-L; Auto resolves to Isal when it does.
bool isalAvailable();
GzipDecoder resolveDecoder(GzipDecoder d);

// Pulls raw (compressed) bytes: > 0 bytes at *buf, 0 at the end, -1 on error.
class RawPull {
 public:
  virtual ~RawPull() = default;
  virtual long pull(const std::uint8_t** buf) = 0;
};

// A gzip stream of one or more members. Bytes after the last member (that do
// not start another member) are left for the caller: see rest().
class GzipReader {
 public:
  virtual ~GzipReader() = default;
  // Next inflated chunk: > 0 bytes at *buf, 0 at the end of the gzip data, -1 on error (see error).
  virtual long read(const void** buf) = 0;
  // After read() returned 0: raw bytes already pulled but not part of the gzip data.
  std::size_t restSize() const { return restLen_; }
  const std::uint8_t* rest() const { return restPtr_; }
  std::string error;

  static std::unique_ptr<GzipReader> make(GzipDecoder d, RawPull& raw);  // d resolved (Isal needs the build to have it)

 protected:
  const std::uint8_t* restPtr_ = nullptr;
  std::size_t restLen_ = 0;
};

}  // namespace slimbench::image
