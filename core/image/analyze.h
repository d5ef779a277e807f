#pragma once
// What an opened image wastes, as dive measures it, and findings that tie back
// to the lessons (compilers and -dev headers shipped, caches left behind, ...).
#include <cstdint>
#include <string>
#include <vector>

#include "image/image.h"

namespace slimbench::image {

// A path written in more than one layer (or written, then deleted).
struct WastedFile {
  std::string path;             // "/app/data.bin"
  int count = 0;                // layers that touch it (whiteouts included)
  std::uint64_t bytes = 0;      // dive's cumulative size over those layers
  std::vector<int> layers;      // layer indexes, bottom first
};

struct Finding {
  std::string id;               // "compiler", "dev-headers", "pip-cache", "apt-lists", "package-cache",
                                // "pycache", "tests", "wheel-installed", "removed-later"
  Severity severity = Severity::Warning;
  std::string title;
  std::string detail;           // what to do about it
  std::uint64_t bytes = 0;
  std::vector<std::string> paths;  // the evidence (first few)
};

struct Analysis {
  // dive: efficiency = sum(min size per path) / sum(all sizes per path) over
  // every layer's leaf entries; wasted bytes = cumulative size of paths seen
  // in two or more layers; user wasted percent = wasted / bytes of layers 2..n.
  double efficiency = 1.0;
  std::uint64_t wastedBytes = 0;
  double wastedUserPercent = 0.0;  // a fraction (0.1 = 10%), as dive's highestUserWastedPercent
  std::uint64_t imageBytes = 0;    // content bytes of all layers
  std::uint64_t userBytes = 0;     // content bytes of layers after the first
  std::vector<WastedFile> wasted;  // largest first
  std::vector<Finding> findings;
};

Analysis analyze(const Image& image);

}  // namespace slimbench::image
