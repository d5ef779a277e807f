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
  // The streamed text (what analyze --json prints) must be valid JSON whatever the input.
  slimbench::JsonWriter w;
  slimbench::estimate::writeAnalysisJson(w, analysis);
  if (!nlohmann::json::accept(w.text())) std::abort();
  return 0;
}
