#pragma once
// The Dockerfile model on top of the syntax tree: stages and their graph, ARG and
// ENV scoping with BuildKit's expansion, which instructions make filesystem
// layers, and what each RUN does (commands, package operations, mounts).
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/runops.h"
#include "dockerfile/syntax.h"
#include "util/diagnostic.h"
#include "util/sharedtext.h"

namespace slimbench::dockerfile {

enum class Kind {
  From, Run, Cmd, Entrypoint, Copy, Add, Env, Arg, Label, Expose, Volume, User, Workdir, Shell,
  StopSignal, Healthcheck, Onbuild, Maintainer, Unknown
};
const char* kindName(Kind k);  // upper-case keyword, e.g. "RUN"
Kind kindOf(const std::string& keyword);

struct KeyValue {
  std::string key;
  std::string value;
  bool hasValue = true;  // ARG NAME without a default: false
};

// What an instruction says, apart from where it stands: its flags, arguments, key/values and, for
// a RUN, its commands. Models built with one ModelCache share the content of instructions whose
// text expands to the same wherever it stands (nothing to expand): the original Dockerfile and
// its variants keep most instructions, so they hold most contents once.
struct StepContent {
  std::string original;       // the instruction text, continuations joined
  // --name=value, expanded where BuildKit expands them (last wins); null when there are none
  // (most instructions: a map takes 48 bytes even empty).
  std::unique_ptr<const std::map<std::string, std::string>> flags;
  std::vector<std::pair<std::string, std::string>> flagList;  // every flag in order (--mount repeats)
  std::vector<std::string> args;             // expanded arguments (COPY/ADD: sources then destination)
  std::vector<KeyValue> keyValues;           // ENV, LABEL, ARG
  bool json = false;

  // RUN
  std::string script;  // shell-form text, or the exec-form words joined; heredoc bodies appended
  // The script is args[0] (a shell-form RUN without heredocs, most of them): held once, there.
  bool scriptIsArg = false;
  std::vector<Mount> mounts;
  ShellCommands commands;  // shared with other models of the same RUN text (ModelCache)
  PackageOps operations;  // shared like commands

  // COPY/ADD: the sources and destination are `args` (sources then destination), the --from value
  // is in `flags` (read them through Step).
  std::vector<Heredoc> heredocs;
};

// An instruction in its stage: where it stands (line, index, the stage a COPY --from names) and
// what it says (its content, possibly shared with other models: read through the accessors).
struct Step {
  Kind kind = Kind::Unknown;
  int index = 0;  // index in SyntaxTree::instructions
  int startLine = 0;
  int endLine = 0;
  bool createsLayer = false;  // RUN, COPY, ADD
  int copyFromStage = -1;     // COPY/ADD: resolved earlier stage, -1 for context or an external image
  std::shared_ptr<StepContent> content;  // set by buildModel; read-only for everyone else

  const std::string& original() const { return c().original; }
  // The same text held with the content: records that quote the instruction point at it.
  SharedText sharedOriginal() const {
    return content ? SharedText(std::shared_ptr<const std::string>(content, &content->original)) : SharedText();
  }
  const std::map<std::string, std::string>& flags() const;
  const std::vector<std::pair<std::string, std::string>>& flagList() const { return c().flagList; }
  const std::vector<std::string>& args() const { return c().args; }
  const std::vector<KeyValue>& keyValues() const { return c().keyValues; }
  bool json() const { return c().json; }
  const std::string& script() const {
    const StepContent& sc = c();
    return sc.scriptIsArg ? sc.args[0] : sc.script;
  }
  const std::vector<Mount>& mounts() const { return c().mounts; }
  const ShellCommands& commands() const { return c().commands; }
  const PackageOps& operations() const { return c().operations; }
  // COPY/ADD: --from value as written (expanded), empty for the build context.
  const std::string& copyFrom() const;
  // COPY/ADD: the arguments before the last / the last (nothing for other instructions).
  std::span<const std::string> sources() const;
  const std::string& destination() const;
  const std::vector<Heredoc>& heredocs() const { return c().heredocs; }

  // Drops the RUN's command list (argv words: most of a model's memory) from the content, for
  // every model that shares it. For a model kept after its analysis, when no other model reads it.
  void releaseCommands() {
    if (content) content->commands.reset();
  }

 private:
  const StepContent& c() const;
};

struct Stage {
  int index = 0;
  std::string name;        // lower-case, empty when unnamed
  std::string baseImage;   // FROM argument after global-ARG expansion
  int baseStage = -1;      // FROM <earlier stage>
  std::string platform;    // --platform value, expanded
  int line = 0;
  std::vector<Step> steps;
  std::map<std::string, std::string> env;  // ENV after the last instruction (inherited from a base stage)
  std::vector<int> dependsOn;              // stages used by FROM or COPY --from / RUN --mount from=
  bool reachable = false;                  // needed to build the final stage
  bool inFinalImage = false;               // the final stage or one it is built FROM: its layers ship
  // Global ARGs the FROM image names (without a ${NAME:-default}) that are declared without a
  // default and were not given as build args: they decide the base, which is then incomplete.
  std::vector<std::string> unsetBaseArgs;
};

struct Model {
  std::string file;
  std::vector<KeyValue> globalArgs;  // ARGs before the first FROM
  std::vector<Stage> stages;
  int finalStage = -1;
  std::vector<Diagnostic> diagnostics;  // unknown instructions, bad --from, instructions before FROM, ...

  const Stage* finalStagePtr() const { return finalStage >= 0 ? &stages[finalStage] : nullptr; }
  // Index of a stage by name (case-insensitive) or number, searching stages before `before`.
  int findStage(const std::string& ref, int before) const;
  // The stage `docker build --target NAME` builds, or -1 when no stage has that name.
  int targetStage(const std::string& name) const { return findStage(name, static_cast<int>(stages.size())); }
  // "app (line 2), lint (line 9)": the stages a --target can name; unnamed ones as "stage 0 (line 1)".
  std::string stageList() const;
};

// The error for a --target no stage has: the stages there are, and how to pick one.
std::string unknownTargetMessage(const Model& m, const std::string& target);

// A value to show in an example --build-arg NAME=VALUE (3.12 for a Python version, else VALUE).
std::string exampleArgValue(const std::string& name);

// What buildModel makes of instructions' texts, made once for all the models built with the same
// cache (the variants of one Dockerfile share most instructions): each RUN text's commands and
// operations, and the content of each instruction with nothing to expand. Thread-safe; entries
// never change once made.
class ModelCache {
 public:
  struct RunEntry {
    ShellCommands commands;
    PackageOps operations;
  };
  ModelCache();
  // A cache of its own in front of `shared` (which must outlive it): what `shared` holds is read
  // from there, what is made new is kept here only — a variant's own RUNs go with this cache once
  // its model is built, instead of staying in the shared one until release().
  explicit ModelCache(ModelCache& shared);
  ~ModelCache();
  ModelCache(const ModelCache&) = delete;
  ModelCache& operator=(const ModelCache&) = delete;
  // `text`, when given, holds the same characters as analysedScript (a view of a step content's
  // script): the entry is keyed by it instead of by a copy of its own.
  const RunEntry& run(const std::string& analysedScript, std::shared_ptr<const std::string> text = nullptr);
  // The content made before for this instruction text, or null. `cursor` (the caller's, starting
  // at 0) is where the previous find left off: a variant keeps the original's instructions in
  // order, so the next one is most often the next content kept, compared before any hashing.
  std::shared_ptr<StepContent> findStep(const std::string& original, std::size_t& cursor);
  // Keeps `made` for its text and returns it, or the content another model kept meanwhile.
  std::shared_ptr<StepContent> keepStep(std::shared_ptr<StepContent> made);
  // Splits the RUNs of `text` ahead of buildModel/parseModel (on another thread while the model
  // is built: whichever comes first makes an entry, the other finds it).
  void prefill(std::string_view text);
  // Forgets every entry (once no model will be built with this cache again): what the models
  // built with it share stays with them, the rest is freed.
  void release();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Builds the model. buildArgs are --build-arg values (override ARG defaults).
// `target`, when not empty, names the stage to build instead of the last one. `cache`, when
// given, supplies (and keeps) RUNs' commands and operations and instructions' contents.
Model buildModel(const SyntaxTree& tree, const std::string& file,
                 const std::map<std::string, std::string>& buildArgs, const std::string& target = {},
                 ModelCache* cache = nullptr);

// Parses `text` and builds its model in one pass, modelling each instruction as it is parsed
// (the syntax tree is never whole: at 100k lines it was 42 MB beside the model). The same model
// as buildModel(*parse(text, file), modelFile, ...). `file` names the text in parse errors,
// `modelFile` in the model's diagnostics; `comments`, when given, receives each instruction's
// comment lines (what lint reads of the tree); `header`, when given, receives the tree without its
// instructions: directives, escape token and the parser's warnings.
Result<Model> parseModel(std::string_view text, const std::string& file, const std::string& modelFile,
                         const std::map<std::string, std::string>& buildArgs, const std::string& target = {},
                         ModelCache* cache = nullptr, std::vector<std::vector<std::string>>* comments = nullptr,
                         SyntaxTree* header = nullptr);

// A short human summary: stages, base images, layers, recognised operations.
std::string summary(const Model& m);

}  // namespace slimbench::dockerfile
