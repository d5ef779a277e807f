#pragma once
// The Python side of an estimate: what `pip install` puts into an image for a
// target (glibc/musl, amd64/arm64): the file pip picks per package (catalogue of
// public uv.lock facts, or the project's own uv.lock), its installed size with
// bytecode (measured ratios), and compile time and system packages when pip
// builds from source (build-knowledge catalogue).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "estimate/estimate.h"
#include "generate/variants.h"
#include "python/catalogue.h"

namespace slimbench::estimate {

struct RatioModel {
  double low = 0, mid = 0, high = 0;  // p25, median, p75
};

class PipPlannerImpl {
 public:
  // installedModelJson: catalogue/installed-size-model.json; knowledgeJson: catalogue/build-knowledge.json.
  static Result<PipPlannerImpl> create(python::Catalogue catalogue, std::string_view installedModelJson,
                                       std::string_view knowledgeJson);

  // Requirement files are read relative to projectDir.
  PipPlan plan(const PipRequest& req, const std::string& projectDir) const;
  // The system packages and compile needs of a requirement set on glibc and musl.
  // wheelsBeforeMusllinux: the musl side as before musllinux wheels (PipRequest::wheelsBeforeMusllinux).
  generate::SystemNeeds needs(const std::vector<std::string>& requirementFiles, const std::string& projectDir,
                              const std::string& python, const std::string& arch, bool wheelsBeforeMusllinux = false) const;
  // Packages of the plan built from source: "name (why)".
  const python::Catalogue& catalogue() const { return catalogue_; }
  // Debian's builds of PyPI projects (catalogue/debian-python-proxy.json): a stated proxy
  // for requirements without wheel data.
  void setDebianProxy(python::DebianProxy proxy) { debian_ = std::move(proxy); }
  // A planner that also knows the project's own lock file: its files and sizes are
  // first-hand data, and its pinned versions are chosen where the specifiers allow.
  PipPlannerImpl withLock(const python::LockFile& lock) const;
  const std::string& lockFile() const { return lockFile_; }

 private:
  // `torchIndex`: set when the project read sends torch to the PyTorch index ([tool.uv.sources]).
  python::Resolution resolveFiles(const PipRequest& req, const std::string& projectDir, std::vector<std::string>& errors,
                                  std::vector<python::Requirement>& reqs, std::string& torchIndex) const;
  void compileMinutes(const std::string& name, bool musl, double& lo, double& hi, std::string& source) const;
  // The catalogued release name==version has a musllinux wheel.
  bool hasMusllinuxWheel(const std::string& name, const std::string& version) const;

  python::Catalogue catalogue_;
  std::optional<python::DebianProxy> debian_;
  std::map<std::string, std::string> pinned_;
  std::string lockFile_;
  std::string torchIndexBuild_;  // the lock's torch from the PyTorch index (PipPlan::torchIndexBuild)
  RatioModel compiled_, pure_, pycCompiled_, pycPure_;
  std::string ratioSource_;
  // Wheels whose installed size was measured (installed-size-model.json measured_wheels), by
  // normalised name: the exact wheel's installed size, and for other versions its own ratio.
  struct MeasuredWheel {
    std::string version, filename;
    std::uint64_t installed = 0, compressed = 0, native = 0;
    std::string source;
  };
  std::map<std::string, std::vector<MeasuredWheel>> measured_;
  // The measurement that stands in for `filename` of name==version: the same wheel, else a wheel
  // of the same kind (pure or compiled) of the same version, else of the nearest version; null
  // when none of that kind was measured.
  const MeasuredWheel* measuredFor(const std::string& name, const std::string& version, const std::string& filename) const;
  SharedText model_;  // PipPlan::model: one text, shared by every plan (a 100k-line file makes thousands)
  struct Knowledge {
    std::vector<std::string> debBuild, debRun, apkBuild, apkRun;
  };
  std::map<std::string, Knowledge> knowledge_;
  struct CompileRecord {
    std::vector<std::string> packages;
    bool musl = false;
    double minutes = 0, low = 0, high = 0;
    std::string source;
  };
  std::vector<CompileRecord> compileTimes_;
};

}  // namespace slimbench::estimate
