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
#include "util/jsonwriter.h"

#include "json_check.h"

namespace {
// One empty build context for every run (created once, removed at exit).
// Heap-held and never freed: the exit handler reads it after static destructors have run.
const std::string& contextDir() {
  static const std::string* dir = [] {
    std::string t = (std::filesystem::temp_directory_path() / "slimbench-fuzz-analyze-XXXXXX").string();
    if (!mkdtemp(t.data())) std::abort();
    auto* held = new std::string(std::move(t));
    std::atexit([] { std::error_code ec; std::filesystem::remove_all(*dir, ec); });
    return held;
  }();
  return *dir;
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzzjson::selfTest();
  return 0;
}

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
  // On the calling thread: the default (a thread per core, and one more splitting RUNs ahead)
  // started and joined up to seven threads per input (costly under ASan), and the order in which
  // threads ran made the same input take different paths.
  options.threads = 1;
  auto analysis = slimbench::estimate::analyze(project, *knowledge, options);
  // The streamed text (what analyze --json prints) must be valid JSON whatever the input: checked
  // by json_check.h's validator (nlohmann::json::accept took a tenth of each run), and on one input
  // in sixteen, picked by a hash of its bytes, by nlohmann too, which must agree.
  slimbench::JsonWriter w;
  slimbench::estimate::writeAnalysisJson(w, analysis);
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (std::size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 16777619u;
  if (!fuzzjson::checkedJson(w.text(), h % 16 == 0)) std::abort();
  return 0;
}
