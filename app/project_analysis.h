#pragma once
// Opens a project (folder or Dockerfile) and analyses it with the bundled
// knowledge; errors are printed as file:line: messages. Shared by the CLI commands.
#include <cstdio>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "estimate/analysis.h"
#include "estimate/knowledge_embedded.h"
#include "util/trace.h"

namespace slimbench::app {

struct ProjectAnalysis {
  estimate::Project project;
  estimate::Analysis analysis;
  // What the analysis was made with (its estimates point into the catalogues, e.g. the base image).
  std::shared_ptr<const estimate::Knowledge> knowledge;
};

inline std::optional<ProjectAnalysis> analyzeProject(const std::string& path, const estimate::AnalysisOptions& options) {
  auto project = estimate::openProject(path);
  if (!project) {
    std::fprintf(stderr, "%s\n", project.error().format().c_str());
    return std::nullopt;
  }
  trace("project read");
  // The catalogues load on another thread while the Dockerfile's model is built (nothing before
  // needs them); with --threads 1, first, one thing at a time.
  std::shared_future<Result<std::shared_ptr<estimate::Knowledge>>> pending =
      std::async(options.threads == 1 ? std::launch::deferred : std::launch::async, [] {
        auto k = estimate::bundledKnowledge();
        trace("knowledge loaded");
        return k;
      }).share();
  struct KnowledgeFailed {
    Diagnostic why;
  };
  auto knowledgeOf = [&pending]() -> const estimate::Knowledge& {
    const auto& k = pending.get();
    if (!k) throw KnowledgeFailed{k.error()};
    return **k;
  };
  if (options.threads == 1) pending.wait();
  std::optional<estimate::Analysis> analysis;
  try {
    analysis = estimate::analyze(*project, knowledgeOf, options);
  } catch (const KnowledgeFailed& e) {
    std::fprintf(stderr, "%s\n", e.why.format().c_str());
    return std::nullopt;
  }
  return ProjectAnalysis{std::move(*project), std::move(*analysis), *pending.get()};  // the text moves, not copied
}

}  // namespace slimbench::app
