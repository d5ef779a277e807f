#pragma once
// Catalogue of official base images (docker-library/repo-info figures), with
// every record's source. Sizes are bytes; on-disk per layer is a stated model.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostic.h"

namespace slimbench::catalogue {

struct BaseLayer {
  std::uint64_t compressedBytes = 0;
  std::uint64_t diskBytes = 0;  // model: image on-disk size × this layer's share of the compressed total
  std::string history;          // the Dockerfile step that made it (may be cut at 200 chars)
};

struct BaseImage {
  std::string tag;          // as catalogued, e.g. python:3.12-slim
  std::string resolvedTag;  // e.g. python:3.12.13-slim-trixie
  std::string arch;         // amd64 | arm64
  std::string pythonVersion;
  std::string variant;      // default | slim | alpine | os
  std::string osRelease;    // e.g. "debian 13 trixie", "alpine 3.24"
  std::string libc;         // glibc | musl
  std::vector<BaseLayer> layers;
  std::uint64_t compressedTotal = 0;
  std::optional<std::uint64_t> diskTotal;  // docker inspect VirtualSize (amd64)
  std::uint64_t diskPrecision = 0;         // ± bytes of the printed figure
  bool diskFromOtherArch = false;          // arm64: on-disk taken from the amd64 record (stated)
  bool legacy = false;                     // a published figure from an older article, not repo-info
  std::string source;                      // where the record comes from
  std::string built;                       // snapshot date
  std::string debianSuite() const;         // "bookworm" / "trixie" / "" (from osRelease)
  std::string alpineRelease() const;       // "3.24" / ""
};

class BaseImageCatalogue {
 public:
  // Parses base-images.json (the shared data format). Errors say where.
  static Result<BaseImageCatalogue> fromJson(std::string_view json, const std::string& name);

  // Exact tag lookup for an architecture, then the same tag on amd64 (flagged),
  // then a normalised form: "python:3.12.3-slim" -> "python:3.12-slim", "docker.io/library/x" -> "x".
  const BaseImage* find(const std::string& tag, const std::string& arch = "amd64") const;
  const std::vector<BaseImage>& all() const { return images_; }
  // Adds published totals of older tags ({"legacy": [{tag, size_mb, size_bytes_approx, source, date}]}).
  Result<BaseImageCatalogue> addLegacy(std::string_view json, const std::string& name);
  std::string gathered;  // date the facts were gathered
  std::string sourceRepository;

 private:
  void addLegacyRecords(const nlohmann::json& list);
  std::vector<BaseImage> images_;
};

// "python:3.12-slim" -> {"python", "3.12-slim"}; digests and registries stripped.
std::pair<std::string, std::string> splitImageRef(const std::string& ref);

}  // namespace slimbench::catalogue
