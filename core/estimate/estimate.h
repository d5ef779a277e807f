#pragma once
// Per-layer size and build-time estimates for one Dockerfile model, before
// anything is built. Every figure carries its reason and source; ranges carry
// the uncertainty of the model that made them.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "catalogue/base_images.h"
#include "catalogue/system_packages.h"
#include "dockerfile/model.h"
#include "estimate/context.h"

namespace slimbench::estimate {

struct Range {
  std::uint64_t low = 0, mid = 0, high = 0;
  Range& operator+=(const Range& o) { low += o.low; mid += o.mid; high += o.high; return *this; }
  static Range exact(std::uint64_t v) { return {v, v, v}; }
};

enum class Category { OsBase, PythonRuntime, SystemPackages, BuildTools, PythonPackages, Caches, AppCode, WheelsCopied, Other };
const char* categoryId(Category c);    // os-base, python-runtime, ...
const char* categoryTitle(Category c); // "OS base", ...

// One Python distribution pip installs (filled by the Python planner).
struct PythonPackage {
  std::string name, version;
  std::string distribution;     // wheel filename, "sdist", or "" when unknown
  std::uint64_t downloadBytes = 0;
  Range installed;              // on disk, bytecode included
  bool compiles = false;        // built from the sdist on this target
  double compileMinutesLow = 0, compileMinutesHigh = 0;
  std::string compileSource;    // where the compile time comes from
  std::string reason;           // why this file
};

struct PipRequest {
  std::vector<std::string> requirementFiles;  // as named in the Dockerfile (relative to the context)
  std::vector<std::string> packages;          // given on the command line
  bool fromProject = false;                   // `pip install .`, `uv sync`, `poetry install`: the project's own dependencies
  bool musl = false;
  std::string python = "3.12";
  std::string arch = "amd64";
};

struct PipPlan {
  std::vector<PythonPackage> packages;
  std::vector<std::string> unknown;  // requirements that could not be resolved
  std::string model;                 // how installed sizes were derived
};

using PipPlanner = std::function<PipPlan(const PipRequest&)>;

struct Settings {
  std::string arch = "amd64";     // amd64 | arm64
  double bandwidthMbps = 100.0;   // download speed for build-time estimates
  int cores = 2;                  // CPU cores for compile-time scaling
};

struct Catalogues {
  const catalogue::BaseImageCatalogue* bases = nullptr;
  std::map<std::string, catalogue::DebianCatalogue> debian;  // "bookworm-amd64" -> catalogue
  const catalogue::AlpineCatalogue* alpine = nullptr;
  std::string aptListsJson;  // catalogue/debian/apt-lists.json
  // Install throughput measured by scripts/measure-install-rates.sh (catalogue/install-rates.json);
  // 0 when absent: install time is then not counted.
  double dpkgBytesPerSecond = 0, pipBytesPerSecond = 0;
};

struct LayerEstimate {
  int stage = 0;
  int line = 0;                 // Dockerfile line, 0 for base-image layers
  bool fromBase = false;        // a layer of the FROM image
  std::string instruction;      // the Dockerfile text, or the base layer's history
  Category category = Category::Other;
  Range disk, compressed;
  double seconds = 0;           // time to build (or pull) this layer, cold
  std::string reason;           // what is in it and why
  std::string source;           // where the figures come from
  std::vector<std::string> notes;  // gotchas, e.g. "frees nothing"
  std::vector<std::pair<std::string, Range>> parts;  // breakdown
};

struct VariantEstimate {
  std::vector<LayerEstimate> layers;         // the image: final stage only
  std::vector<LayerEstimate> builderLayers;  // other stages (count for build time)
  Range disk, compressed;
  double buildSecondsCold = 0, buildSecondsWarm = 0;
  std::string warmNote;                      // which layer a source-only change rebuilds from
  bool compilerInFinal = false;
  std::vector<PythonPackage> packages;       // installed in the final image
  std::vector<std::string> unknowns;         // what could not be estimated
  std::string baseImage;                     // final stage's base
  const catalogue::BaseImage* base = nullptr;
};

struct Inputs {
  const Catalogues* catalogues = nullptr;
  PipPlanner pip;
  const BuildContext* context = nullptr;
  Settings settings;
};

VariantEstimate estimateModel(const dockerfile::Model& model, const Inputs& in);

std::string formatMB(std::uint64_t bytes);  // "123.4 MB" (decimal, as docker prints)

}  // namespace slimbench::estimate
