#pragma once
// Opens a project (folder or Dockerfile) and analyses it with the bundled
// knowledge; errors are printed as file:line: messages. Shared by the CLI commands.
#include <cstdio>
#include <optional>
#include <string>

#include "estimate/analysis.h"
#include "estimate/knowledge_embedded.h"
#include "util/trace.h"

namespace slimbench::app {

struct ProjectAnalysis {
  estimate::Project project;
  estimate::Analysis analysis;
};

inline std::optional<ProjectAnalysis> analyzeProject(const std::string& path, const estimate::AnalysisOptions& options) {
  auto project = estimate::openProject(path);
  if (!project) {
    std::fprintf(stderr, "%s\n", project.error().format().c_str());
    return std::nullopt;
  }
  trace("project read");
  auto knowledge = estimate::bundledKnowledge();
  trace("knowledge loaded");
  if (!knowledge) {
    std::fprintf(stderr, "%s\n", knowledge.error().format().c_str());
    return std::nullopt;
  }
  auto analysis = estimate::analyze(*project, **knowledge, options);
  return ProjectAnalysis{std::move(*project), std::move(analysis)};  // the text moves, not copied
}

}  // namespace slimbench::app
