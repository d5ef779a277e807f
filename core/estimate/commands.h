#pragma once
// What the commands of a RUN do to the filesystem, beyond package operations: each
// command is classified so that the estimator can size it (cheap, near zero), size it
// from earlier layers (chown -R / chmod -R rewrite a tree; cp / mv copy paths), or say
// honestly that it is unknown and why (downloads, npm, git clone, project scripts, ...).
// Plain C++: depends only on the Dockerfile model.
#include <cstdint>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/model.h"
#include "dockerfile/runops.h"

namespace slimbench::estimate {

enum class CommandKind {
  Package,           // covered by a PackageOp (pip, uv, poetry, apt-get, apk, rm, venv, conda, ...)
  NoOp,              // changes only the shell's state or prints: cd, export, set, true, [ ], echo without >, ...
  Cheap,             // writes a few small files: mkdir, useradd, ln, touch, echo > file, sed -i, chmod FILE
  RecursiveRewrite,  // chown -R / chmod -R / chgrp -R / find -exec chown: every file under `paths` is copied
                     // into the new layer (a metadata change copies the whole file up)
  Copy,              // cp / mv: the bytes of the source `paths` (from earlier layers) land at `destination`
  PythonCompile,     // python -m compileall: .pyc files for `paths`
  Collectstatic,     // manage.py / django-admin collectstatic: the static files of the project and its apps
  CompileMessages,   // msgfmt / pybabel compile / compilemessages: .mo files from the .po files under `paths`
  DebDownload,       // apt-get download PKG...: the named .deb files (`paths` = package names)
  DebExtract,        // dpkg -x DEB DIR: the package's files under `destination` (`paths` = the .deb operands)
  Unknown,           // not modelled: `reason` says what it is (download, npm, git clone, script, ...)
};
// package, no-op, cheap, recursive-rewrite, copy, python-compile, collectstatic, compile-messages, deb-download,
// deb-extract, unknown
const char* commandKindName(CommandKind k);

struct CommandCost {
  int commandIndex = 0;  // index into the RUN's commands (ShellCommand::index)
  CommandKind kind = CommandKind::Unknown;
  std::vector<std::string> paths;  // what it writes / rewrites / copies from / compiles
  std::string destination;         // Copy: the target
  std::vector<std::string> urls;   // downloads and clones
  std::string reason;              // what the command is and how it is sized (or why it cannot be)
  std::string_view source;         // where the byte figures come from (a fixed text: not copied per command)
  // Bytes the command itself adds (Cheap, NoOp; 0 for the others, whose size depends on earlier
  // layers or is unknown). low = the files' content, high = as a layer tar (512-byte headers and
  // padding), measured by scripts/measure-cheap-commands.sh.
  std::uint64_t low = 0, mid = 0, high = 0;
  // Add the current size of `paths` (read from earlier layers) to the figures: chmod/sed -i on
  // named files rewrites them whole. Always true for RecursiveRewrite and Copy.
  bool addPathSizes = false;
  // `paths` are files the command writes anew (> FILE, tee FILE, touch): later steps that
  // edit, chmod or copy them find them written here, with the command's own bytes.
  bool writesPaths = false;
  bool conditional = false;  // in a branch that may not run
  std::string condition;     // the undecided condition, as written
  std::string text;          // the command as words joined by spaces
};

// Classifies every command of one RUN (commands as splitShell or selectBranches returns them;
// ops as recogniseOperations returns for those commands). One entry per command, in order.
// `functions`: the shell functions the RUN defines (shellFunctions): a call runs commands counted
// where the function is defined.
std::vector<CommandCost> classifyCommands(const std::vector<dockerfile::ShellCommand>& commands,
                                          const std::vector<dockerfile::PackageOp>& ops,
                                          const std::set<std::string>& functions = {});
// The names of the shell functions a script defines (`name() { … }`, `function name { … }`).
std::set<std::string> shellFunctions(std::string_view script);

// The variables a RUN's shell sees at step `stepIndex` of stage `stageIndex`: the stage's ARGs
// declared so far (build args from `buildArgs`, else the global ARG value, else the default; the
// automatic TARGETARCH / TARGETPLATFORM / TARGETOS / TARGETVARIANT from `arch`), then its ENV
// (inherited from a base stage). BuildKit's automatic platform ARGs that the stage does not declare
// are empty in RUN (they live in the global scope only); other undeclared names are left out
// (unknown: the base image's config may set them). `arch` is "amd64" or "arm64".
dockerfile::ShellVars shellVarsAt(const dockerfile::Model& model, int stageIndex, std::size_t stepIndex,
                                  const std::string& arch,
                                  const std::map<std::string, std::string>& buildArgs = {});
// The ENV in effect at step `stepIndex` (base stage's ENV, then this stage's ENV steps before it).
std::map<std::string, std::string> environmentAt(const dockerfile::Model& model, int stageIndex, std::size_t stepIndex);

// One RUN evaluated: the branches taken with these values, its package operations (with the
// ENV for venv/scope) and the classification of every command that runs or may run.
struct RunAnalysis {
  dockerfile::ShellCommands commands;  // selectBranches: untaken branches dropped (the step's own list when no command has a branch)
  std::vector<dockerfile::PackageOp> operations;   // ops of those commands (conditional ones flagged)
  std::vector<CommandCost> costs;                  // classifyCommands of those commands
};
RunAnalysis analyseRun(const dockerfile::Model& model, int stageIndex, std::size_t stepIndex, const std::string& arch,
                       const std::map<std::string, std::string>& buildArgs = {});

// The variables (shellVarsAt) and ENV (environmentAt) of one stage, advanced step by step: the
// same values, but a stage of n steps costs O(n log n) in all instead of O(n) per RUN.
class StageScope {
 public:
  StageScope(const dockerfile::Model& model, int stageIndex, const std::string& arch,
             const std::map<std::string, std::string>& buildArgs = {});
  StageScope(const StageScope&) = delete;  // envVars_ points into argVars_
  StageScope& operator=(const StageScope&) = delete;
  // Applies the steps before `stepIndex` (going back starts again from the stage's first step).
  void advanceTo(std::size_t stepIndex);
  int stage() const { return stage_; }
  const std::string& arch() const { return arch_; }
  const dockerfile::ShellVars& vars() const { return envVars_; }  // what shellVarsAt returns (layered)
  const std::map<std::string, std::string>& env() const { return env_; }
  // The home folder of the user the RUN runs as, where it is certain: root's /root (no USER in the
  // stage or its FROM chain, on an official python/debian/ubuntu/alpine base, or USER root/0);
  // empty when another user (whose home useradd may have put anywhere) or a third-party base.
  std::string rootHome() const { return userIsRoot_ ? "/root" : std::string(); }

 private:
  void reset();
  const dockerfile::Model& model_;
  int stage_;
  std::string arch_;
  std::map<std::string, std::string> buildArgs_, globals_, automatic_;
  std::size_t next_ = 0;                     // steps [0, next_) applied
  bool userIsRoot_ = false;                  // see rootHome()
  std::map<std::string, std::string> env_;
  dockerfile::ShellVars argVars_;            // ARGs and the automatic platform names
  dockerfile::ShellVars envVars_;            // ENV without '$' over argVars_; ENV with '$' unset
};
// analyseRun with the stage's scope kept by the caller (advanced to `stepIndex` here).
RunAnalysis analyseRun(const dockerfile::Model& model, int stageIndex, std::size_t stepIndex, StageScope& scope);

}  // namespace slimbench::estimate
