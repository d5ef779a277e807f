// libFuzzer target: the analysis entry point, text in, JSON out. Any Dockerfile text must give
// an analysis (or a clear error in it) that serialises to JSON: no crash, hang or bad read.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "estimate/analysis.h"
#include "estimate/analysis_json.h"
#include "estimate/knowledge_embedded.h"
#include "util/jsontext.h"

namespace {
// One empty build context for every run (created once, removed at exit).
const std::string& contextDir() {
  static const std::string dir = [] {
    std::string t = (std::filesystem::temp_directory_path() / "slimbench-fuzz-analyze-XXXXXX").string();
    if (!mkdtemp(t.data())) std::abort();
    std::atexit([] { std::error_code ec; std::filesystem::remove_all(contextDir(), ec); });
    return t;
  }();
  return dir;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::shared_ptr<slimbench::estimate::Knowledge> knowledge = [] {
    auto k = slimbench::estimate::bundledKnowledge();
    if (!k) std::abort();  // the bundled catalogues must load
    return *k;
  }();
  slimbench::estimate::Project project;
  project.dir = contextDir();
  project.dockerfilePath = project.dir + "/Dockerfile";
  project.dockerfileText.assign(reinterpret_cast<const char*>(data), size);
  slimbench::estimate::AnalysisOptions options;
  options.contextDir = project.dir;
  auto analysis = slimbench::estimate::analyze(project, *knowledge, options);
  (void)slimbench::jsonText(slimbench::estimate::analysisJson(analysis));
  return 0;
}
