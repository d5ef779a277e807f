#pragma once
// The Dockerfile model on top of the syntax tree: stages and their graph, ARG and
// ENV scoping with BuildKit's expansion, which instructions make filesystem
// layers, and what each RUN does (commands, package operations, mounts).
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dockerfile/runops.h"
#include "dockerfile/syntax.h"
#include "util/diagnostic.h"

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

struct Step {
  Kind kind = Kind::Unknown;
  int index = 0;  // index in SyntaxTree::instructions
  int startLine = 0;
  int endLine = 0;
  bool createsLayer = false;  // RUN, COPY, ADD
  std::string original;       // the instruction text, continuations joined
  std::map<std::string, std::string> flags;  // --name=value, expanded where BuildKit expands them (last wins)
  std::vector<std::pair<std::string, std::string>> flagList;  // every flag in order (--mount repeats)
  std::vector<std::string> args;             // expanded arguments (COPY/ADD: sources then destination)
  std::vector<KeyValue> keyValues;           // ENV, LABEL, ARG
  bool json = false;

  // RUN
  std::string script;  // shell-form text, or the exec-form words joined; heredoc bodies appended
  std::vector<Mount> mounts;
  ShellCommands commands;  // shared with other models of the same RUN text (RunCache)
  PackageOps operations;  // shared like commands

  // COPY/ADD
  std::string copyFrom;      // --from value as written (expanded), empty for the build context
  int copyFromStage = -1;    // resolved earlier stage, -1 for context or an external image
  std::vector<std::string> sources;
  std::string destination;
  std::vector<Heredoc> heredocs;
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
};

// What splitShell and recogniseOperations make of a RUN's text, made once for all the models built
// with the same cache (the variants of one Dockerfile share most RUNs). Thread-safe; entries never
// change once made.
class RunCache {
 public:
  struct Entry {
    ShellCommands commands;
    PackageOps operations;
  };
  RunCache();
  ~RunCache();
  RunCache(const RunCache&) = delete;
  RunCache& operator=(const RunCache&) = delete;
  const Entry& get(const std::string& analysedScript);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Builds the model. buildArgs are --build-arg values (override ARG defaults).
// `target`, when not empty, names the stage to build instead of the last one. `runs`, when
// given, supplies (and keeps) each RUN's commands and operations.
Model buildModel(const SyntaxTree& tree, const std::string& file,
                 const std::map<std::string, std::string>& buildArgs, const std::string& target = {},
                 RunCache* runs = nullptr);

// A short human summary: stages, base images, layers, recognised operations.
std::string summary(const Model& m);

}  // namespace slimbench::dockerfile
