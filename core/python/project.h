#pragma once
// Project files besides requirements.txt: pyproject.toml ([project], PEP 735
// dependency groups, Poetry), uv.lock and poetry.lock, and a folder loader.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "python/requirements.h"
#include "python/wheel.h"
#include "util/diagnostic.h"

namespace slimbench::python {

struct Pyproject {
  std::string name;
  std::string requiresPython;            // "" when not given
  std::vector<Requirement> requirements;  // [project] dependencies (group ""), optional ones (group = extra),
                                          // [dependency-groups] (group = "group:NAME"), Poetry (same groups)
  // uv's [tool.uv.sources] sends torch, torchvision or torchaudio to an index of download.pytorch.org
  // ([[tool.uv.index]]): "torch from URL". Empty otherwise.
  std::string torchIndex;
  std::vector<std::string> optionalGroups;  // Poetry groups with optional = true (normalised names)
  std::vector<Diagnostic> errors;
};
Pyproject parsePyproject(const std::string& path);
Pyproject parsePyprojectText(std::string_view text, const std::string& name);

// Poetry constraint ("^1.2", "~1.2.3", "1.2.*", ">=1,<2", "*") as a PEP 440 specifier set text.
Result<std::string> poetryConstraintToPep440(std::string_view constraint);

struct LockDependency {
  std::string name;                 // normalised
  std::string marker;               // "" when none
  std::vector<std::string> extras;  // extras of the dependency that are requested
  std::string specifier;            // poetry.lock only ("" in uv.lock)
};

struct LockedPackage {
  std::string name, version;
  std::string source;               // "registry:URL", "editable:PATH", "virtual:PATH", "git:URL", ...
  std::optional<std::int64_t> sdistSize;
  bool hasSdist = false;
  std::vector<DistFile> wheels;     // file names (from URLs or poetry's files) with sizes (-1 unknown)
  std::vector<LockDependency> dependencies;
  std::vector<std::pair<std::string, std::vector<LockDependency>>> optionalDependencies;
  std::string category;  // poetry.lock 1.x: "main" or "dev"
  // uv.lock [package.dev-dependencies] (group -> dependencies), on the root project.
  std::vector<std::pair<std::string, std::vector<LockDependency>>> devDependencies;
  // When the package is installed at all: poetry.lock 1.x's package-level `marker`; for a
  // poetry.lock without one, derived from the markers of the dependencies that reach it
  // ("" = always). Dependencies on a package with a marker carry it too.
  std::string marker;
  // False when the lock lists no files for it (poetry.lock without `files` or [metadata.files]
  // entry): which wheels and sdist exist is then not known.
  bool fileListKnown = true;
  int line = 0;
  bool isProject() const { return source.rfind("editable:", 0) == 0 || source.rfind("virtual:", 0) == 0; }
};

struct LockFile {
  std::string kind;  // "uv.lock" or "poetry.lock"
  std::string file;
  std::string requiresPython;
  std::vector<LockedPackage> packages;
  std::vector<Diagnostic> errors;
};
LockFile parseUvLock(const std::string& path);
LockFile parseUvLockText(std::string_view text, const std::string& name);
LockFile parsePoetryLock(const std::string& path);
LockFile parsePoetryLockText(std::string_view text, const std::string& name);

// What a path (file or folder) asks for.
struct ProjectInput {
  std::string kind;  // requirements, pyproject, uv.lock, poetry.lock
  std::vector<std::string> files;  // files read
  std::vector<Requirement> requirements;
  GlobalOptions options;
  std::optional<LockFile> lock;    // first-hand data when a lock file is present
  std::string requiresPython;
  std::string torchIndex;  // Pyproject::torchIndex of the pyproject read
  std::vector<std::string> optionalGroups;  // Pyproject::optionalGroups of the pyproject read
  std::vector<Diagnostic> errors;
};
// A requirements file, pyproject.toml, uv.lock, poetry.lock, or a folder: in a
// folder, requirements.txt (else requirements/*.txt named prod/base/main, else
// the first requirements*.txt), else pyproject.toml; uv.lock / poetry.lock beside
// it are read as first-hand data (and give the requirements when nothing else does).
ProjectInput loadProject(const std::string& path, const ParseOptions& options = {});

}  // namespace slimbench::python
