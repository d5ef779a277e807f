#pragma once
// The whole analysis of a project: the user's Dockerfile and the derived
// variants, each re-parsed, estimated layer by layer and linted.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/model.h"
#include "dockerfile/syntax.h"
#include "estimate/estimate.h"
#include "estimate/pip_planner.h"
#include "generate/variants.h"
#include "lint/lint.h"

namespace slimbench::estimate {

// Looks up an embedded resource ("catalogue/base-images.json"); the app passes
// slimbench::resources::find, tests may pass their own. The texts must outlive the Knowledge
// (the Debian catalogues read theirs lazily, on first use).
using ResourceFinder = std::function<std::optional<std::string_view>(std::string_view)>;

// Everything the analysis reads, loaded once.
struct Knowledge {
  catalogue::BaseImageCatalogue bases;
  catalogue::AlpineCatalogue alpine;
  Catalogues catalogues;  // points into bases/alpine
  std::optional<PipPlannerImpl> pip;
  lint::RuleSet rules;
  generate::PackageMap packageMap;  // Debian ↔ Alpine names (catalogue/debian-to-alpine.json)
  std::string dataNote;  // what data is bundled, and its dates
};

Result<std::shared_ptr<Knowledge>> loadKnowledge(const ResourceFinder& find);

struct Project {
  std::string dir;             // the build context
  std::string dockerfilePath;  // for messages
  std::string dockerfileText;
  // analyze() copies every field but the text into the project it analyses (withoutText): a field
  // added here goes there too.
  Project withoutText() const { return Project{dir, dockerfilePath, {}}; }
};

// Finds the Dockerfile of a folder (Dockerfile, Containerfile, *.Dockerfile) or takes a file.
Result<Project> openProject(const std::string& path);

struct VariantResult {
  generate::VariantKind kind = generate::VariantKind::Original;
  std::string dockerfile;                   // the text
  std::optional<Diagnostic> parseError;     // when the text does not parse
  // The syntax tree is not kept. The user's Dockerfile (Original) keeps its whole model, but the
  // RUN steps' `commands` are released once estimated and linted (re-split `script` with
  // dockerfile::splitShell when needed). A derived variant keeps only its diagnostics, global ARGs
  // and stage headers (name, base image, line, graph): no steps, no ENV — parse `dockerfile` for
  // those. A 100k-line file's six models would otherwise hold most of the analysis's memory.
  dockerfile::Model model;
  VariantEstimate estimate;
  std::vector<lint::Finding> findings;
  // Derived variants: what happened to each instruction of the original, and why lines were added.
  std::vector<generate::FidelityEntry> fidelity;
  std::vector<generate::LineNote> lineNotes;
  std::vector<generate::Untranslated> untranslated;
};

struct Analysis {
  std::string pythonVersion;
  Settings settings;
  std::vector<VariantResult> variants;
  generate::SystemNeeds needs;
  std::vector<std::string> requirementFiles;
  BuildContext context;
  std::string contextNote;  // how the build context was chosen
  std::map<std::string, std::string> buildArgs;  // as given (AnalysisOptions)
  std::string target;                            // as given; empty: the last stage
  // AnalysisOptions::target names no stage: the only variant is the user's, with this as its
  // parseError (no variant is made of a stage nobody asked for); onVariant is not called.
  std::optional<Diagnostic> targetError;
  std::string dataNote;
  // Figures the user gave that match nothing (a --layer-size line that starts no RUN/COPY/ADD).
  std::vector<std::string> settingWarnings;
  // Pip plans by request, shared by the variants of one analysis (same files, same targets).
  std::shared_ptr<std::map<std::string, PipPlan>> pipCache = std::make_shared<std::map<std::string, PipPlan>>();
  std::shared_ptr<std::mutex> pipCacheMutex = std::make_shared<std::mutex>();  // variants are analysed in parallel
  // The planner with the project's uv.lock / poetry.lock merged in, when it has one.
  std::shared_ptr<const PipPlannerImpl> projectPip;
  // The texts of what the variants leave unknown, one copy of each for all of them (Inputs::texts);
  // let go when the analysis is done (the layers keep what they point at).
  std::shared_ptr<SharedTextPool> unknownTexts = std::make_shared<SharedTextPool>();
};

struct AnalysisOptions {
  Settings settings;
  std::string pythonOverride;  // e.g. "3.11": variants use it
  std::vector<std::string> requirementFiles;  // -r: overrides what the Dockerfile names
  std::map<std::string, std::string> ruleOverrides;
  // The build context (docker build CONTEXT): empty = found from the Dockerfile (see findContext).
  std::string contextDir;
  // What docker build is told: --build-arg NAME=VALUE (override ARG defaults, in the user's
  // Dockerfile and the variants alike) and --target STAGE (the stage that makes the image; the
  // variants transform that stage and end with it). An unknown target: Analysis::targetError.
  std::map<std::string, std::string> buildArgs;
  std::string target;
  int threads = 0;  // variants analysed at once: 0 = one per core
  // Called once per variant, in order (the user's Dockerfile first), as soon as it and every one
  // before it are analysed — later ones may still be running — so a caller can write each out
  // early (analyze --json). Calls come one at a time from the analysing threads. `head` has every
  // field set but `variants`; the original's model holds only its diagnostics at that point. The
  // variants are in the returned Analysis as well.
  std::function<void(const Analysis& head, const VariantResult& variant)> onVariant;
  // With onVariant: once it returns, the variant's layers, builder layers, packages, findings,
  // fidelity records and lists of unknowns are freed (its kind, text, parse error, model summary,
  // totals and coverage counts stay), so a caller that wrote it out does not hold six analyses at once.
  bool releaseDelivered = false;
  // The variants' VariantEstimate::unknowns and timeUnknowns lists (made from the layers): false
  // for a caller that reads only the layers' own parts and unknownsOffLayers (analyze --json).
  bool unknownLists = true;
  // With releaseDelivered: the variants' texts go too, for a
  // caller that exports none of them.
  bool releaseDeliveredTexts = false;
};

// The build context of a Dockerfile: its own folder when what it copies is there, else the
// nearest ancestor (up to 4 levels) from which more of its COPY/ADD sources and requirement
// files exist — `docker build -f docker/Dockerfile .` run from the project root. `why` says so.
std::string findContext(const Project& project, const dockerfile::Model& model, std::string& why);

Analysis analyze(const Project& project, const Knowledge& knowledge, const AnalysisOptions& options);
// The same with the knowledge still loading (on another thread): `knowledge` is called once the
// original's model is built — nothing before needs it — and may block until it is there; what it
// throws (a catalogue that does not load) leaves analyze unchanged.
Analysis analyze(const Project& project, const std::function<const Knowledge&()>& knowledge, const AnalysisOptions& options);

// Re-parses and estimates one Dockerfile text in the project's context (the GUI's live edit path).
// `rules` (optional) replaces the bundled rule set, e.g. with severity overrides applied.
VariantResult analyzeText(generate::VariantKind kind, const std::string& text, const Project& project,
                          const Knowledge& knowledge, const Analysis& shared, const lint::RuleSet* rules = nullptr);

}  // namespace slimbench::estimate
