#pragma once
// Wheels and platforms: wheel file names, PEP 425 tags in pip's priority order
// (manylinux PEP 600 with legacy aliases, musllinux PEP 656, abi3, none-any),
// and the file pip would pick from a release for a target.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "python/marker.h"
#include "util/diagnostic.h"

namespace slimbench::python {

struct Tag {
  std::string interpreter, abi, platform;  // cp312, cp312/abi3/none, manylinux_2_17_x86_64
  std::string str() const { return interpreter + "-" + abi + "-" + platform; }
  bool operator==(const Tag& o) const = default;
};

struct WheelName {
  std::string name;     // PEP 503-normalised
  std::string version;  // as in the file name
  std::string build;    // build tag, "" when none
  std::vector<std::string> pythonTags, abiTags, platformTags;  // compressed tag sets expanded
  std::vector<Tag> tags() const;  // the cross product

  static Result<WheelName> parse(std::string_view filename);
};

// Every tag the target's pip accepts, best first (packaging.tags.sys_tags order
// for CPython on Linux with the target's libc). A musl target with musllinuxWheels false
// gets no musllinux tag (pip before PEP 656): only linux_<arch> and the pure tags.
std::vector<Tag> compatibleTags(const Target& target);

struct DistFile {
  DistFile() = default;
  DistFile(std::string file, std::int64_t bytes) : filename(std::move(file)), size(bytes) {}
  std::string filename;
  std::int64_t size = -1;  // compressed bytes; -1 unknown
  // Filled by prepareWheel() for catalogue data read many times: the wheel's tags
  // as "interp-abi-platform" keys, build tag and platform tags. Not prepared:
  // the filename is parsed at each selection.
  bool prepared = false;
  bool valid = false;
  std::vector<std::string> tagKeys;
  std::string build;
  std::vector<std::string> platforms;
};

// Parses f.filename once into f's prepared fields.
void prepareWheel(DistFile& f);

struct Release {
  std::string name;     // normalised
  std::string version;
  std::optional<std::int64_t> sdistSize;  // nullopt: no sdist known
  std::vector<DistFile> wheels;
};

struct SelectionPolicy {
  bool onlyBinary = false;  // --only-binary for this package
  bool noBinary = false;    // --no-binary for this package
};

struct Selection {
  enum Kind { Wheel, Sdist, None } kind = None;
  DistFile wheel;            // when Wheel
  std::int64_t size = -1;    // wheel or sdist size, -1 unknown
  int tagPriority = -1;      // index into compatibleTags of the best matching tag
  std::string reason;        // for people: why this file, or why nothing
  // Target is musl, the release has manylinux wheels but no musllinux one: lock-file
  // wheel lists may omit musllinux wheels that PyPI has, so the sdist is a guess.
  bool musllinuxUnknown = false;
  std::string distribution() const { return kind == Wheel ? wheel.filename : kind == Sdist ? "sdist" : ""; }
};

// pip's choice among one release's files for target: the compatible wheel
// with the best tag priority (then the highest build tag), else the sdist
// (pip builds it), else nothing.
Selection selectDistribution(const Release& release, const Target& target, SelectionPolicy policy = {});
// Same with the tag list computed once by the caller.
Selection selectDistribution(const Release& release, const std::vector<Tag>& tags, SelectionPolicy policy = {});

// Tags with their priority looked up by "interp-abi-platform": build once per
// target and reuse it for every package of a resolution.
struct TagIndex {
  explicit TagIndex(std::vector<Tag> list);
  std::vector<Tag> tags;
  std::unordered_map<std::string, int> priority;
};
// The index of compatibleTags(target), made once for each target and shared (thread-safe): each
// resolution made it again, about 1,000 tags and their keys (a tenth of an analysis under the
// sanitizers). The last few targets are kept.
std::shared_ptr<const TagIndex> tagIndexFor(const Target& target);
Selection selectDistribution(const Release& release, const TagIndex& index, SelectionPolicy policy = {});

}  // namespace slimbench::python
