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
#include "estimate/project_file.h"
#include "image/image.h"
#include "util/trace.h"

namespace slimbench::app {

struct ProjectAnalysis {
  estimate::Project project;
  estimate::Analysis analysis;
  // What the analysis was made with (its estimates point into the catalogues, e.g. the base image).
  std::shared_ptr<const estimate::Knowledge> knowledge;
};

// A saved image (docker save, podman save, OCI archive or layout) whose real layers stand for
// the base `image`: read like `slimbench inspect` reads it.
inline std::optional<Diagnostic> loadBaseImage(const std::string& image, const std::string& archive, estimate::Settings& settings) {
  image::Options io;
  io.keepEntries = false;
  auto img = image::open(archive, io);
  if (!img) return img.error();
  estimate::Settings::GivenBase g;
  g.source = "read from " + archive + " (the saved image, as slimbench inspect reads it)";
  for (const auto& l : img->layers) g.layers.push_back({l.size, l.compressedSize, l.createdBy});
  settings.baseImages[image] = std::move(g);
  return std::nullopt;
}

// With `projectFile`, the figures of the project's slimbench.toml (beside the Dockerfile) join
// the options; what the options already give wins.
inline std::optional<ProjectAnalysis> analyzeProject(const std::string& path, const estimate::AnalysisOptions& optionsIn,
                                                     bool projectFile = true) {
  auto project = estimate::openProject(path);
  if (!project) {
    std::fprintf(stderr, "%s\n", project.error().format().c_str());
    return std::nullopt;
  }
  trace("project read");
  estimate::AnalysisOptions options = optionsIn;
  if (projectFile) {
    auto f = estimate::readProjectFile(estimate::projectFilePath(*project));
    if (!f) {
      std::fprintf(stderr, "%s\n", f.error().format().c_str());
      return std::nullopt;
    }
    estimate::mergeProjectFile(*f, options);
    for (const auto& [image, archive] : f->baseImages)
      if (!options.settings.baseImages.count(image))
        if (auto e = loadBaseImage(image, archive, options.settings)) {
          std::fprintf(stderr, "%s\n", e->format().c_str());
          return std::nullopt;
        }
  }
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
