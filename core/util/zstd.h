#pragma once
// zstd frames (the compressed catalogues embedded in the binary), inflated with libzstd.
#include <cstddef>
#include <string>
#include <string_view>

#include "util/diagnostic.h"

namespace slimbench {

// The decompressed bytes of one or more zstd frames; frames written from a pipe (no recorded
// size) are fine. Fails on corrupt or truncated input, or output beyond `limit` bytes.
Result<std::string> zstdDecompress(std::string_view bytes, std::size_t limit = std::size_t(1) << 30);

}  // namespace slimbench
