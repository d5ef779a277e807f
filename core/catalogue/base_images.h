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
  bool diskModelled = false;               // no docker-inspect size read: on-disk = compressed × family ratio (stated in diskNote)
  std::string diskNote;                    // how the on-disk size was obtained when it is not the record's own reading
  // python3 shipped by this record's OS release (debian/ubuntu; "" otherwise), e.g. bookworm → "3.11",
  // and where that fact comes from (base-images.json "distro_python").
  std::string distroPython;
  std::string distroPythonSource;
  std::string debianSuite() const;         // "bookworm" / "trixie" / "" (from osRelease)
  std::string alpineRelease() const;       // "3.24" / ""
  std::string ubuntuRelease() const;       // "jammy" / "noble" / ""
  std::string repository() const;          // "python", "debian", ... (from tag)
};

// A parsed image reference (the FROM operand).
struct ImageRef {
  std::string registry;      // "" for Docker Hub ("docker.io", "index.docker.io", "registry-1.docker.io" → "")
  std::string repository;    // "python", "debian", "astral-sh/uv" (registry "ghcr.io"); Docker Hub's "library/" stripped
  std::string tag;           // "" when none was given (means latest)
  std::string digest;        // "sha256:<64 hex>" or ""
  // Official-image family facts parsed from the tag (empty when not applicable):
  std::string version;       // "3.11.11", "3.12", "3" (python); "12", "12.2" (debian); "22.04"; "3.19", "3.19.1" (alpine); "" for latest/slim/alpine
  std::string variant;       // python: "default" | "slim" | "alpine" (or the unrecognised token, e.g. "windowsservercore");
                             // debian: "default" | "slim"; ubuntu/alpine: "default"
  std::string distro;        // "bookworm", "bullseye", "buster", "stretch", "trixie", "jammy", "noble", "alpine", ...
  std::string alpineVersion; // "3.19" from python:3.11-alpine3.19 (and alpine:3.19)
  std::string build;         // date build of a release tag: "20240211" from debian:bookworm-20240211-slim, "20240212" from ubuntu:jammy-20240212
  bool officialFamily() const;  // Docker Hub python / debian / ubuntu / alpine
  // "python:3.12-slim", "ghcr.io/astral-sh/uv:0.5", "python@sha256:…" (normalised form).
  std::string display() const;
};

// Parses FROM's image operand. Errors say what is wrong and what was expected
// ("python:" → empty tag; "a@sha256:zz" → a digest must be sha256: and 64 hex digits).
Result<ImageRef> parseImageRef(const std::string& ref);

enum class BaseBasis { Exact, Proxy, Unknown };

// The outcome of looking a base image up.
//  - Exact: `image` is the catalogued image the reference names (for `scratch`: image is nullptr and
//    note is "scratch: empty" — an empty filesystem is known exactly).
//  - Proxy: `image` is the nearest catalogued image of the same family; `note` says what stands in for
//    what and why; `widen` is the extra relative uncertainty to apply (low × (1 − widen), high × (1 + widen)).
//  - Unknown: `image` is nullptr and `note` says why (never a silent 0).
struct BaseResolution {
  const BaseImage* image = nullptr;
  BaseBasis basis = BaseBasis::Unknown;
  std::string note;
  double widen = 0;
  ImageRef ref;
};
const char* baseBasisName(BaseBasis b);  // "exact" | "proxy" | "unknown"

class BaseImageCatalogue {
 public:
  // Parses base-images.json (the shared data format). Errors say where.
  static Result<BaseImageCatalogue> fromJson(std::string_view json, const std::string& name);

  // Exact tag lookup for an architecture, then the same tag on amd64 (flagged),
  // then a normalised form: "python:3.12.3-slim" -> "python:3.12-slim", "docker.io/library/x" -> "x";
  // failing those, whatever resolve() finds exactly (e.g. "debian:12" -> debian:bookworm). Never a proxy.
  const BaseImage* find(const std::string& tag, const std::string& arch = "amd64") const;

  // Resolves a FROM reference for an architecture ("amd64" | "arm64"). Rules, in order:
  //  1. `scratch` → Exact, no image ("scratch: empty").
  //  2. Not Docker Hub (a registry such as ghcr.io), or a repository with no catalogued image,
  //     or a malformed reference → Unknown with the reason.
  //  3. The tag's facts (version, variant, distro, alpine release, build) are matched against every
  //     catalogued image of the same repository and variant (libc follows the variant). A record whose
  //     facts equal the reference's (a point release equal to the record's, an unnamed suite or alpine
  //     release matching the record's plain tag) is Exact.
  //  4. Otherwise the nearest record of the same repository and variant is a Proxy. Nearest = fewest
  //     minor versions (python, alpine) or releases (debian, ubuntu) away, then the same suite / alpine
  //     release, then layered records over published totals, then the newest build.
  //     widen = 0.05 (any stand-in: other patch release, build date or a moving tag such as `latest`,
  //             `slim`, `3`)
  //           + 0.05 per minor version away (python, alpine)
  //           + 0.10 per OS release away (debian/ubuntu releases, or the Debian suite under python)
  //           + 0.05 when the Alpine release under python differs
  //           + 0.10 when only amd64 figures exist for an arm64 request
  //           capped at 0.50.
  //  5. No record of that repository and variant (e.g. python:3.12-windowsservercore) → Unknown.
  BaseResolution resolve(const std::string& ref, const std::string& arch = "amd64") const;

  // python3 of an OS release ("bookworm" → "3.11", "jammy" → "3.10"); "" when not catalogued.
  std::string distroPython(const std::string& release) const;
  std::string distroPythonSource(const std::string& release) const;
  const std::vector<BaseImage>& all() const { return images_; }
  // Adds published totals of older tags ({"legacy": [{tag, size_mb, size_bytes_approx, source, date}]}).
  Result<BaseImageCatalogue> addLegacy(std::string_view json, const std::string& name);
  std::string gathered;  // date the facts were gathered
  std::string sourceRepository;

 private:
  void addLegacyRecords(const nlohmann::json& list);
  void modelMissingDisk();
  std::vector<BaseImage> images_;
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> distroPython_;  // release → (version, source)
};

// "python:3.12-slim" -> {"python", "3.12-slim"}; digests and registries stripped.
std::pair<std::string, std::string> splitImageRef(const std::string& ref);

}  // namespace slimbench::catalogue
