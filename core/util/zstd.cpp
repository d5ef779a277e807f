#include "util/zstd.h"

#include <memory>
#include <zstd.h>

namespace slimbench {

Result<std::string> zstdDecompress(std::string_view bytes, std::size_t limit) {
  auto fail = [](std::string m) {
    Diagnostic d;
    d.message = "zstd: " + std::move(m);
    return d;
  };
  std::string text;
  const unsigned long long n = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
  if (n == ZSTD_CONTENTSIZE_ERROR) return fail("not a zstd frame");
  if (n != ZSTD_CONTENTSIZE_UNKNOWN && n <= limit) text.reserve(static_cast<std::size_t>(n));
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  if (!ctx) return fail("out of memory");
  ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
  std::string chunk(ZSTD_DStreamOutSize(), '\0');
  for (;;) {
    ZSTD_outBuffer out{chunk.data(), chunk.size(), 0};
    const std::size_t ret = ZSTD_decompressStream(ctx.get(), &out, &in);
    if (ZSTD_isError(ret)) return fail(ZSTD_getErrorName(ret));
    text.append(chunk.data(), out.pos);
    if (text.size() > limit) return fail("more than " + std::to_string(limit) + " bytes");
    if (in.pos == in.size && out.pos < out.size) {  // all input read, all output flushed
      if (ret != 0) return fail("truncated frame");
      break;
    }
  }
  return text;
}

}  // namespace slimbench
