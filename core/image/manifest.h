#pragma once
// The JSON documents of a saved image, parsed with limits and clear messages:
// docker save's manifest.json, OCI index.json / image index, OCI image
// manifest, and the image config (rootfs.diff_ids + history). Pure functions on
// text (no I/O) so they can be fuzzed; they never throw.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostic.h"

namespace slimbench::image {

struct JsonLimits {
  std::size_t maxBytes = 16u * 1024u * 1024u;  // a manifest/config larger than this is refused
  std::size_t maxDepth = 64;                   // nesting depth (protects the recursive parser)
  std::size_t maxLayers = 1000;                // "too many layers" beyond this
  std::size_t maxManifests = 1000;             // entries in an index
  std::size_t maxHistory = 10000;              // config history entries
};

struct Platform {
  std::string os, architecture, variant;
  // "linux/amd64", "linux/arm64/v8"; "" when unknown.
  std::string str() const;
  // Parses "os/arch[/variant]"; nullopt when malformed.
  static std::optional<Platform> parse(std::string_view s);
  bool matches(const Platform& want) const;  // variant only compared when both set
};

struct Descriptor {
  std::string mediaType;
  std::string digest;  // "sha256:<64 hex>" (validated)
  std::int64_t size = -1;
  std::optional<Platform> platform;
  std::map<std::string, std::string> annotations;
};

// One image of docker save's manifest.json.
struct DockerManifestEntry {
  std::string config;                 // member path of the config JSON
  std::vector<std::string> repoTags;
  std::vector<std::string> layers;    // member paths of the layer tars, bottom first
};

struct OciIndex {
  std::vector<Descriptor> manifests;
};

struct OciManifest {
  std::string mediaType;
  Descriptor config;
  std::vector<Descriptor> layers;
};

struct HistoryEntry {
  std::string created, createdBy, comment, author;
  bool emptyLayer = false;
  int layerIndex = -1;  // layer it created (filled by matching), -1 for empty layers
};

struct ImageConfig {
  Platform platform;
  std::vector<std::string> diffIds;  // rootfs.diff_ids, bottom first
  std::vector<HistoryEntry> history;
  std::vector<std::string> env, cmd, entrypoint;
  std::string workingDir, user, created;
};

// True for "sha256:<64 lowercase hex>" or "sha512:<128 lowercase hex>".
bool isValidDigest(std::string_view d);
// Member path of a blob in an OCI layout ("blobs/sha256/<hex>"); digest must be valid.
std::string blobPath(std::string_view digest);
// True when p is a relative path without "..", "." only as leading "./", no NUL.
bool isSafeMemberPath(std::string_view p);

// `where` names the document in messages (e.g. "image.tar:manifest.json").
Result<std::vector<DockerManifestEntry>> parseDockerManifest(std::string_view text, const std::string& where,
                                                             const JsonLimits& limits = {});
// Accepts an OCI image index or a Docker manifest list.
Result<OciIndex> parseOciIndex(std::string_view text, const std::string& where, const JsonLimits& limits = {});
Result<OciManifest> parseOciManifest(std::string_view text, const std::string& where, const JsonLimits& limits = {});
Result<ImageConfig> parseImageConfig(std::string_view text, const std::string& where, const JsonLimits& limits = {});

// The mediaType field of a JSON document ("" when absent or not JSON), to tell
// an index from a manifest.
std::string peekMediaType(std::string_view text, const JsonLimits& limits = {});

// Matches history entries to layers: non-empty entries in order take layers
// 0, 1, ...; sets HistoryEntry::layerIndex and returns, per layer, its history
// index (-1 when history runs out). A count mismatch adds a warning to `warnings`.
std::vector<int> matchHistory(std::vector<HistoryEntry>& history, std::size_t layerCount,
                              std::vector<Diagnostic>* warnings, const std::string& where);

}  // namespace slimbench::image
