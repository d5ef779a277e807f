// libFuzzer target: the JSON readers of saved images (docker manifest.json,
// OCI index/manifest, image config, history matching) on arbitrary bytes.
// Build: cmake -DSLIMBENCH_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ ...; run with
// tests/fuzz/corpus/image as the seed corpus.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "image/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace slimbench::image;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  JsonLimits limits;
  limits.maxBytes = 1 << 20;
  (void)parseDockerManifest(text, "manifest.json", limits);
  (void)parseOciIndex(text, "index.json", limits);
  (void)parseOciManifest(text, "manifest", limits);
  (void)peekMediaType(text, limits);
  (void)Platform::parse(text);
  auto cfg = parseImageConfig(text, "config", limits);
  if (cfg) {
    std::vector<slimbench::Diagnostic> warnings;
    auto per = matchHistory(cfg->history, cfg->diffIds.size(), &warnings, "config");
    for (int h : per)
      if (h >= int(cfg->history.size())) __builtin_trap();
  }
  for (std::size_t i = 0; i + 1 < size && i < 64; ++i) {
    (void)isSafeMemberPath(text.substr(i));
    (void)isValidDigest(text.substr(i));
  }
  return 0;
}
