#include "image/inflate.h"

#include <zlib.h>

#include <vector>

#ifdef SLIMBENCH_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

namespace slimbench::image {
namespace {

constexpr std::size_t kOutBytes = 256 * 1024;

bool gzipMagic(const std::uint8_t* p, std::size_t n) { return n >= 2 && p[0] == 0x1f && p[1] == 0x8b; }

// The member loop shared by both decoders: pull input, inflate, and at a
// member's end look whether another member follows.
template <class Engine>
class Reader final : public GzipReader {
 public:
  explicit Reader(RawPull& raw) : raw_(raw), out_(kOutBytes) {}

  long read(const void** buf) override {
    if (done_) return 0;
    for (;;) {
      if (memberEnded_) {
        // Another member follows only when the next bytes are a gzip magic.
        if (inLen_ < 2 && !rawEnd_) {
          if (!refill(true)) return -1;
          continue;
        }
        if (!gzipMagic(inPtr_, inLen_)) {
          done_ = true;
          restPtr_ = inPtr_;
          restLen_ = inLen_;
          return 0;
        }
        engine_.reset();
        memberEnded_ = false;
      }
      // A full output buffer last time may leave output inside the engine: step once more before reading.
      if (inLen_ == 0 && !rawEnd_ && !pendingOut_ && !refill(false)) return -1;
      std::size_t used = 0, made = 0;
      bool ended = false;
      if (!engine_.step(inPtr_, inLen_, out_.data(), out_.size(), used, made, ended, error)) return -1;
      inPtr_ += used;
      inLen_ -= used;
      pendingOut_ = made == out_.size();
      if (ended) memberEnded_ = true;
      if (made > 0) {
        *buf = out_.data();
        return long(made);
      }
      if (ended) continue;
      if (inLen_ == 0 && rawEnd_) {
        error = "truncated gzip stream (the data ends inside a member)";
        return -1;
      }
      if (used == 0 && inLen_ > 0) {
        error = "gzip decoder made no progress";
        return -1;
      }
    }
  }

 private:
  // keep: carry the unread bytes (fewer than 2) in front of the new chunk.
  bool refill(bool keep) {
    const std::uint8_t* p = nullptr;
    long n = raw_.pull(&p);
    if (n < 0) {
      error = "read error";
      return false;
    }
    if (n == 0) {
      rawEnd_ = true;
      return true;
    }
    if (keep && inLen_ > 0) {
      carry_.assign(inPtr_, inPtr_ + inLen_);
      carry_.insert(carry_.end(), p, p + n);
      inPtr_ = carry_.data();
      inLen_ = carry_.size();
    } else {
      inPtr_ = p;
      inLen_ = std::size_t(n);
    }
    return true;
  }

  RawPull& raw_;
  Engine engine_;
  std::vector<std::uint8_t> out_, carry_;
  const std::uint8_t* inPtr_ = nullptr;
  std::size_t inLen_ = 0;
  bool rawEnd_ = false, memberEnded_ = false, done_ = false, pendingOut_ = false;
};

struct ZlibEngine {
  z_stream z{};
  ZlibEngine() { inflateInit2(&z, 15 + 16); }
  ~ZlibEngine() { inflateEnd(&z); }
  ZlibEngine(const ZlibEngine&) = delete;
  ZlibEngine& operator=(const ZlibEngine&) = delete;
  void reset() { inflateReset(&z); }
  bool step(const std::uint8_t* in, std::size_t inLen, std::uint8_t* out, std::size_t outLen, std::size_t& used,
            std::size_t& made, bool& ended, std::string& error) {
    z.next_in = const_cast<Bytef*>(in);
    z.avail_in = uInt(std::min<std::size_t>(inLen, 1u << 30));
    z.next_out = out;
    z.avail_out = uInt(outLen);
    int r = inflate(&z, Z_NO_FLUSH);
    used = std::size_t(z.next_in - in);
    made = outLen - z.avail_out;
    if (r == Z_STREAM_END) {
      ended = true;
      return true;
    }
    if (r == Z_OK || r == Z_BUF_ERROR) return true;
    error = std::string("gzip data error (zlib): ") + (z.msg ? z.msg : "code " + std::to_string(r));
    return false;
  }
};

#ifdef SLIMBENCH_HAVE_ISAL
struct IsalEngine {
  inflate_state s{};
  IsalEngine() {
    isal_inflate_init(&s);
    s.crc_flag = ISAL_GZIP;
  }
  void reset() {
    isal_inflate_reset(&s);
    s.crc_flag = ISAL_GZIP;
  }
  bool step(const std::uint8_t* in, std::size_t inLen, std::uint8_t* out, std::size_t outLen, std::size_t& used,
            std::size_t& made, bool& ended, std::string& error) {
    s.next_in = const_cast<std::uint8_t*>(in);
    s.avail_in = std::uint32_t(std::min<std::size_t>(inLen, 1u << 30));
    s.next_out = out;
    s.avail_out = std::uint32_t(outLen);
    int r = isal_inflate(&s);
    used = std::size_t(s.next_in - in);
    made = outLen - s.avail_out;
    if (r < 0) {
      const char* what = r == ISAL_INVALID_BLOCK ? "invalid deflate block"
                         : r == ISAL_INVALID_SYMBOL ? "invalid deflate symbol"
                         : r == ISAL_INVALID_LOOKBACK ? "invalid distance"
                         : r == ISAL_INVALID_WRAPPER ? "not a gzip header"
                         : r == ISAL_UNSUPPORTED_METHOD ? "unsupported compression method"
                         : r == ISAL_INCORRECT_CHECKSUM ? "CRC or length check failed"
                                                         : "decoder error";
      error = std::string("gzip data error (ISA-L): ") + what;
      return false;
    }
    ended = s.block_state == ISAL_BLOCK_FINISH;
    return true;
  }
};
#endif

}  // namespace

const char* gzipDecoderName(GzipDecoder d) {
  switch (d) {
    case GzipDecoder::Auto: return "auto";
    case GzipDecoder::Isal: return "isal";
    case GzipDecoder::Zlib: return "zlib";
  }
  return "auto";
}

bool isalAvailable() {
#ifdef SLIMBENCH_HAVE_ISAL
  return true;
#else
  return false;
#endif
}

GzipDecoder resolveDecoder(GzipDecoder d) {
  if (d == GzipDecoder::Auto) return isalAvailable() ? GzipDecoder::Isal : GzipDecoder::Zlib;
  if (d == GzipDecoder::Isal && !isalAvailable()) return GzipDecoder::Zlib;
  return d;
}

std::unique_ptr<GzipReader> GzipReader::make(GzipDecoder d, RawPull& raw) {
#ifdef SLIMBENCH_HAVE_ISAL
  if (resolveDecoder(d) == GzipDecoder::Isal) return std::make_unique<Reader<IsalEngine>>(raw);
#endif
  (void)d;
  return std::make_unique<Reader<ZlibEngine>>(raw);
}

}  // namespace slimbench::image
