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
#include "util/sharedtext.h"

namespace slimbench::estimate {

// A size with its uncertainty. `open` means part of it could not be estimated:
// low and mid then count only what is known (a lower bound), and high means nothing.
// Unknown is never zero: an open range prints as "≥ low" and JSON gives mid/high null.
struct Range {
  std::uint64_t low = 0, mid = 0, high = 0;
  bool open = false;
  Range& operator+=(const Range& o) {
    low += o.low; mid += o.mid; high += o.high; open = open || o.open;
    return *this;
  }
  static Range exact(std::uint64_t v) { return {v, v, v, false}; }
  static Range unknown(std::uint64_t knownLow = 0) { return {knownLow, knownLow, knownLow, true}; }
};

// Where a layer's figures come from.
//  catalogue: read from a catalogue record or measured (a base image's layers, files in the context,
//             a size the user supplied);
//  model:     computed by a stated model from catalogue data (package closures, installed-size ratios);
//  proxy:     something else stands in (a nearby tag, another release's packages, another version);
//  given:     a figure the user gave for what slimbench does not know (--layer-size, --package-size,
//             the window's size cells, slimbench.toml): "given by you";
//  unknown:   at least part of it could not be estimated: the layer has no upper bound.
enum class Basis { Catalogue, Model, Proxy, Given, Unknown };
const char* basisId(Basis b);  // catalogue | model | proxy | given | unknown

enum class Category { OsBase, PythonRuntime, SystemPackages, BuildTools, PythonPackages, Caches, AppCode, WheelsCopied, Other };
const char* categoryId(Category c);    // os-base, python-runtime, ...
const char* categoryTitle(Category c); // "OS base", ...

// One Python distribution pip installs (filled by the Python planner).
struct PythonPackage {
  std::string name, version;
  std::string distribution;     // wheel filename, "sdist", or "" when unknown
  std::uint64_t downloadBytes = 0;
  Range installed;              // on disk, bytecode included
  Range unpacked;               // the unpacked wheel alone (installed without the bytecode pip compiles)
  bool compiles = false;        // built from the sdist on this target
  double compileMinutesLow = 0, compileMinutesHigh = 0;
  std::string compileSource;    // where the compile time comes from
  std::string reason;           // why this file
  std::string asked;            // the specifier asked when another version stands in (proxy), e.g. "==1.26.4"
};

struct PipRequest {
  std::vector<std::string> requirementFiles;  // as named in the Dockerfile (relative to the context)
  std::vector<std::string> packages;          // given on the command line
  bool fromProject = false;                   // `pip install .`, `uv sync`, `poetry install`: the project's own dependencies
  bool musl = false;
  std::string python = "3.12";
  std::string arch = "amd64";
  std::string suite;  // Debian suite of the image (bookworm, trixie; "" unknown): for Debian proxies
  // "Wheels as before musllinux": on musl, musllinux wheels count as absent (pip before PEP 656, 2021).
  bool wheelsBeforeMusllinux = false;
  // Installed sizes the user gave for packages the catalogue does not know (normalised name ->
  // bytes): such a package is sized by that figure instead of staying unknown.
  std::map<std::string, std::uint64_t> givenSizes;
  // The installer compiles bytecode: pip's default (not with --no-compile / PIP_NO_COMPILE); uv
  // only with --compile-bytecode / UV_COMPILE_BYTECODE.
  bool bytecode = true;
  // A project install (fromProject): the workspace member's folder, relative to the build context
  // ("" the context itself), and the extras and dependency groups ("group:NAME") it installs.
  std::string projectSubdir;
  // What of the project is installed beyond its dependencies: extras by name, dependency groups as
  // "group:NAME"; "*all-extras", "*all-groups", "*default-groups" (every group not marked optional,
  // poetry's default), "*no-main" (not the project's own dependencies: --only-group), and "-" before
  // an extra or group leaves it out (--without, --no-group, --no-extra).
  std::vector<std::string> projectExtras;
};

struct PipPlan {
  std::vector<PythonPackage> packages;
  std::vector<std::string> unknown;  // requirements that could not be resolved: their size is unknown
  std::vector<std::string> proxies;  // "numpy: asked ==1.26.4, sized as 2.5.2 (the catalogued release)"
  std::vector<std::string> timeUnknown;  // "compile time of uwsgi on glibc (no published figure)"
  std::vector<std::string> given;        // "internal-lib: 4.0 MB, given by you"
  SharedText model;                  // how installed sizes were derived (the planner's one text)
  // The project's lock takes torch (torchvision, torchaudio) from the PyTorch index, not PyPI, and
  // this plan installs it: what the lock says ("torch 2.7.1+cpu"); empty otherwise.
  std::string torchIndexBuild;
};

using PipPlanner = std::function<PipPlan(const PipRequest&)>;

struct Settings {
  std::string arch = "amd64";     // amd64 | arm64
  // Sizes the user supplied for base images the catalogue does not hold (--base-size IMAGE=SIZE):
  // image reference as written in FROM -> bytes on disk.
  std::map<std::string, std::uint64_t> baseSizes;
  // Base images the user has as saved archives (--base-image IMAGE=ARCHIVE, read like `inspect`):
  // their real layers, uncompressed and compressed, with the history line that made each.
  struct GivenLayer {
    std::uint64_t disk = 0, compressed = 0;
    std::string history;
  };
  struct GivenBase {
    std::vector<GivenLayer> layers;
    std::string source;  // "read from base.tar (docker-archive)"
  };
  std::map<std::string, GivenBase> baseImages;
  // Sizes the user gave (--package-size NAME=SIZE): normalised distribution name -> installed bytes.
  std::map<std::string, std::uint64_t> packageSizes;
  // Sizes the user gave for layers (--layer-size LINE=SIZE), by the instruction's text as written
  // in the user's Dockerfile (analyze() fills it from the line), so that the same step in a
  // variant takes the same figure.
  struct GivenLayerSize {
    int line = 0;           // in the user's Dockerfile
    std::string text;       // the instruction, as the model keeps it
    std::uint64_t bytes = 0;
  };
  std::vector<GivenLayerSize> layerSizes;
  double bandwidthMbps = 100.0;   // download speed for build-time estimates
  int cores = 2;                  // CPU cores for compile-time scaling
  // "Wheels as before musllinux": pip on musl (Alpine) as before PEP 656 (2021) added musllinux tags,
  // so musllinux wheels count as absent and what has no pure wheel is built from its sdist (compile
  // times from catalogue/build-knowledge.json). glibc images are unchanged. See kWheelsBeforeMusllinuxNote.
  bool wheelsBeforeMusllinux = false;
};

// What the figures describe when Settings::wheelsBeforeMusllinux is set (text output, window, tour).
inline constexpr const char* kWheelsBeforeMusllinuxNote =
    "wheels as before musllinux (PEP 656, 2021): on Alpine (musl) musllinux wheels are treated as absent, so pip "
    "compiles what has no pure wheel; compile times from catalogue/build-knowledge.json; Debian (glibc) variants unchanged";

// Files of a non-base image that Dockerfiles copy from (catalogue/image-files.json).
struct ImageFilesRecord {
  std::vector<std::string> names;  // "ghcr.io/astral-sh/uv", "astral/uv"
  std::string version, arch, source;
  struct File {
    std::string path;
    std::uint64_t bytes = 0, precision = 0;
  };
  std::vector<File> files;
};

// Figures behind the build-script models (catalogue/build-scripts.json, made by
// scripts/measure-build-scripts.py): collectstatic, message compilation, compileall.
struct BuildScriptModel {
  struct DjangoStatic {
    int major = 0, minor = 0;  // the Django release measured
    std::uint64_t bytes = 0;   // django.contrib's static files
    std::string source;
  };
  std::vector<DjangoStatic> djangoStatic;
  int manifestCopies = 0, compressedCopiesMax = 0;
  std::string manifestSource, compressedSource;
  double moLow = 0, moMid = 0, moHigh = 0;  // size(.mo) / size(.po): 10th, 50th, 90th percentile
  std::string moSource;
  double pycLow = 0, pycMid = 0, pycHigh = 0;  // size(.pyc) / size(.py): 25th, 50th, 75th percentile
  std::string pycSource;
  bool loaded() const { return !djangoStatic.empty() && moMid > 0 && pycMid > 0; }
};
// Parses catalogue/build-scripts.json; the error says what was expected where.
bool parseBuildScriptModel(std::string_view json, BuildScriptModel& out, std::string& error);

struct Catalogues {
  const catalogue::BaseImageCatalogue* bases = nullptr;
  std::vector<ImageFilesRecord> imageFiles;
  std::map<std::string, catalogue::DebianCatalogue> debian;  // "bookworm-amd64" -> catalogue
  const catalogue::AlpineCatalogue* alpine = nullptr;
  std::string aptListsJson;  // catalogue/debian/apt-lists.json
  // Install throughput measured by scripts/measure-install-rates.sh (catalogue/install-rates.json);
  // 0 when absent: install time is then not counted.
  double dpkgBytesPerSecond = 0, pipBytesPerSecond = 0;
  BuildScriptModel buildScripts;
};

struct LayerEstimate {
  int stage = 0;
  int line = 0;                 // Dockerfile line, 0 for base-image layers
  bool fromBase = false;        // a layer of the FROM image
  SharedText instruction;       // the Dockerfile text (the model's own, shared), or the base layer's history
  Category category = Category::Other;
  Range disk, compressed;
  double seconds = 0;           // time to build (or pull) this layer, cold
  bool secondsOpen = false;     // part of the time is unknown: `seconds` is a lower bound
  SharedText reason;            // what is in it and why (one copy per distinct text)
  SharedText source;            // where the figures come from (one copy per distinct text)
  std::vector<std::string> notes;  // gotchas, e.g. "frees nothing"
  std::vector<std::pair<std::string, Range>> parts;  // breakdown
  Basis basis = Basis::Model;
  // What could not be estimated in this layer, and how to supply it (texts shared with the other
  // variants that say the same: Inputs::texts).
  std::vector<SharedText> unknownParts;
  // What of this layer's build time is not known (`secondsOpen`), without the line: the variant's
  // VariantEstimate::timeUnknowns names the same steps with their line.
  std::vector<SharedText> timeUnknownParts;
  std::string proxyNote;                  // what stands in for what (basis proxy)
};

// How much of a variant's final image could be estimated.
struct Coverage {
  bool complete = true;          // no layer unknown
  std::vector<int> unknownLayers;  // Dockerfile lines (0 for base-image layers)
  std::vector<int> proxyLayers;
  int unknownCount = 0;          // layers (base layers included)
  int proxyCount = 0;
};

struct VariantEstimate {
  std::vector<LayerEstimate> layers;         // the image: final stage only
  std::vector<LayerEstimate> builderLayers;  // other stages (count for build time)
  Range disk, compressed;
  double buildSecondsCold = 0, buildSecondsWarm = 0;
  std::string warmNote;                      // which layer a source-only change rebuilds from
  // Steps whose time is not known (a compile time never published, a download, a script):
  // the cold (and maybe warm) build time is then a lower bound.
  std::vector<std::string> timeUnknowns;       // made from the layers by fillUnknownLists (each part " at line N")
  bool coldLowerBound = false, warmLowerBound = false;
  Coverage coverage;
  bool compilerInFinal = false;  // a compiler (gcc, clang, build-essential, ...) is installed in the final image
  bool headersInFinal = false;   // -dev headers are, without a compiler
  std::vector<PythonPackage> packages;       // installed in the final image
  // What could not be estimated: "line N: " + each layer's unknownParts, and the rest (unknownsOffLayers),
  // sorted, each once. Made from the layers by fillUnknownLists (estimateModel calls it unless told
  // not to: a caller that writes the layers out, as `analyze --json` does, needs no second copy).
  std::vector<std::string> unknowns;
  std::vector<std::string> unknownsOffLayers;  // of those, what no layer lists (an untranslated package)
  std::string baseImage;                     // final stage's base
  const catalogue::BaseImage* base = nullptr;
};

struct Inputs {
  const Catalogues* catalogues = nullptr;
  bool listUnknowns = true;  // estimateModel fills the variant's lists of unknowns (fillUnknownLists)
  PipPlanner pip;
  const BuildContext* context = nullptr;
  // Where the layers' texts of what is unknown are kept, one copy of each for every variant
  // estimated with it (analyze() gives one to all six); null: each variant keeps its own.
  SharedTextPool* texts = nullptr;
  Settings settings;
};

VariantEstimate estimateModel(const dockerfile::Model& model, const Inputs& in);
// Makes `unknowns` and `timeUnknowns` from the layers' (and builder layers') parts and
// unknownsOffLayers. Idempotent.
void fillUnknownLists(VariantEstimate& e);

std::string formatMB(std::uint64_t bytes);  // "123.4 MB" (decimal, as docker prints)
// "123.4 MB", or "≥ 123.4 MB" for an open range (mid of what is known).
std::string formatSize(const Range& r);
// "≥ 14.0 MB (2 layers unknown)" / "123.4 MB": a variant total as the CLI and the window print it.
std::string formatTotal(const Range& r, const Coverage& c);
// "12 s" / "3.4 min", with "≥ " when lowerBound.
std::string formatSeconds(double s, bool lowerBound = false);

// Parses a size with a unit: "120MB", "1.2 GB", "850MiB", "4096" (bytes), "300k". Decimal units
// (kB, MB, GB) are powers of 1000, binary ones (KiB, MiB, GiB) of 1024. Error text says what was expected.
bool parseSize(const std::string& text, std::uint64_t& bytes, std::string& error);

}  // namespace slimbench::estimate
