#pragma once
// The classic ways to build a Python image, derived from the user's Dockerfile:
// fat (python:X), alpine, slim, multi-stage, and BuildKit-optimised. Each is
// printed as Dockerfile text (and re-parsed by the caller to check it).
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/model.h"
#include "util/diagnostic.h"
#include "util/sharedtext.h"

namespace slimbench::generate {

enum class VariantKind { Original, Fat, Alpine, Slim, MultiStage, BuildKit };
const char* variantId(VariantKind k);     // original, fat, alpine, slim, multistage, buildkit
const char* variantTitle(VariantKind k);  // "Your Dockerfile", "Fat (python:X)", ...
bool variantFromId(const std::string& id, VariantKind& out);
std::vector<VariantKind> allVariants();

// What the requirements need from the system, per OS family (from the build
// knowledge catalogue and the wheel selection).
struct SystemNeeds {
  std::vector<std::string> debianBuild, debianRun;
  std::vector<std::string> alpineBuild, alpineRun;
  bool debianCompiles = false;  // some package builds from source on glibc
  bool alpineCompiles = false;  // ... on musl
};

// What the generator keeps from the user's project.
struct ProjectShape {
  std::string pythonVersion = "3.12";            // from the user's FROM python:X..., else the default
  bool pythonFromBase = false;                  // pythonVersion was read from a python:X base
  std::vector<std::string> requirementFiles;     // as copied/installed by the user, e.g. requirements.txt
  // No requirements file, a pyproject.toml: the variants export the dependencies with uv
  // (from uv.lock when there is one) into a requirements file inside the build.
  bool pyproject = false;
  bool uvLock = false;
  std::vector<std::string> globalArgs;           // ARG lines before the first FROM (original text)
  std::vector<std::string> leading;              // ARG/ENV/LABEL of the final stage (original text)
  std::vector<std::string> trailing;             // EXPOSE/VOLUME/USER/HEALTHCHECK/STOPSIGNAL/CMD/ENTRYPOINT (original text)
  std::string workdir = "/app";
  std::vector<std::string> sourceCopies;         // COPY/ADD of application code from the context (original text)
  std::string user;                              // the user's final USER, if any
  // Files a requirements file includes (-r/-c inside it), per requirements file as named in
  // requirementFiles, relative to that file's folder: a variant that copies the file copies them too.
  std::vector<std::pair<std::string, std::vector<std::string>>> requirementIncludes;
};

ProjectShape shapeOf(const dockerfile::Model& model);

// Dockerfile text of a variant. For Original, returns `originalText` unchanged.
std::string generate(VariantKind kind, const ProjectShape& shape, const SystemNeeds& needs,
                     const std::string& originalText = {});

// ---- Variants as transformations of the user's Dockerfile (issue 11) ----

// What happened to one instruction of the original in a variant.
// One per instruction: the instruction's text is the original model's (shared, not copied) and
// the reasons, most of them the same few sentences, are held once per variant.
struct FidelityEntry {
  int line = 0;             // line of the instruction in the original Dockerfile
  SharedText instruction;   // its text (continuations joined)
  std::string action;       // kept | moved | translated | replaced | dropped
  SharedText reason;
};

// Why a line of the generated text is there (for lines the variant added or rewrote).
struct LineNote {
  int line = 0;  // 1-based line in the generated text
  std::string reason;
};

// A system package the variant could not translate (kept as a commented line).
struct Untranslated {
  int line = 0;  // original line
  std::string package;  // a package name, or a command ("adduser --gecos ...")
  std::string family;   // the family it was not translated to: alpine or debian
  bool command = false; // a command whose options differ between the families
};

struct VariantText {
  std::string text;
  std::vector<FidelityEntry> fidelity;
  std::vector<LineNote> notes;
  std::vector<Untranslated> untranslated;
};

// Debian ↔ Alpine package names by role (resources/catalogue/debian-to-alpine.json).
class PackageMap {
 public:
  static Result<PackageMap> fromJson(std::string_view json, const std::string& name);
  struct Entry {
    std::vector<std::string> build, run;
    std::string source;  // first source (the Debian page)
  };
  const Entry* debian(const std::string& debianName) const;
  // Alpine name → the Debian packages that map to it, with the role it has there.
  const std::vector<std::pair<std::string, bool>>* alpine(const std::string& alpineName) const;  // (debian name, is build)
  // Alpine names with no Debian entry of their own (alpine_to_debian): every Debian package they stand for.
  const std::vector<std::pair<std::string, bool>>* alpineToDebian(const std::string& alpineName) const {
    auto it = alpineOnly_.find(alpineName);
    return it == alpineOnly_.end() ? nullptr : &it->second;
  }
  bool empty() const { return entries_.empty(); }
  // The Alpine package providing a command Debian has in its base (useradd → shadow), or "".
  std::string alpineCommandPackage(const std::string& command) const;
  // Executables the families install at different paths (/sbin/tini on Alpine, /usr/bin/tini on
  // Debian): (alpine path, debian path).
  const std::vector<std::pair<std::string, std::string>>& executablePaths() const { return executables_; }
  // The Python minor version of an Alpine release's python3 package ("3.20" → "3.12"), "" when
  // the table (alpine_python) does not have that release.
  std::string pythonOfAlpine(const std::string& release) const;
  // A plain Alpine image (alpine:3.18, docker.io/library/alpine:3.18.4@sha256:…): its release X.Y,
  // "" when the tag names none (alpine:latest, edge); nullopt for any other image.
  static std::optional<std::string> plainAlpineRelease(const std::string& image);
  // Whether every python:* image already has this Alpine package's content (python3, py3-pip, ...),
  // or pip makes it itself (py3-NAME-pyc, a library's bytecode).
  bool providedByPythonImage(const std::string& alpineName) const;
  // The PyPI name of an Alpine Python library (py3-yaml → PyYAML, py3-aiohttp → aiohttp); "" for
  // a package that is not one.
  std::string pypiOfAlpine(const std::string& alpineName) const;

 private:
  std::map<std::string, std::string> alpinePython_;  // release → Python minor version
  std::set<std::string> pythonProvided_;
  std::map<std::string, std::string> py3Pypi_;  // the py3-* whose PyPI name is not the rest of it
  std::map<std::string, std::string> alpineCommands_;
  std::vector<std::pair<std::string, std::string>> executables_;
  std::map<std::string, std::string> alpineRenamed_;  // an old Alpine name → its current name
  std::map<std::string, std::vector<std::pair<std::string, bool>>> alpineOnly_;  // alpine_to_debian
  std::map<std::string, Entry> entries_;
  std::map<std::string, std::vector<std::pair<std::string, bool>>> reverse_;
};

// What the generator may ask about system packages.
struct PackageKnowledge {
  // The shared-library packages of a Debian -dev package (DebianCatalogue::runtimeLibrariesOf).
  std::function<std::vector<std::string>(const std::string&)> debianRuntimeOf;
  // Whether the target Debian release's package index has the package (or a package that
  // Provides it): decides whether an Alpine package of the same name exists on Debian.
  std::function<bool(const std::string&)> debianHas;
  // The name of a Debian package in the release of the image `tag` (python:3.13-slim → trixie):
  // the name itself when that release has it, else the same library under its name there
  // (libldap-2.5-0 → libldap2, libssl3 → libssl3t64), found through the library's -dev package;
  // "" when neither is found.
  std::function<std::string(const std::string& name, const std::string& tag)> debianIn;
  const PackageMap* map = nullptr;
};

// The variant as a transformation of the user's Dockerfile: every instruction of the final
// image (and the stages it needs) is kept in order unless the variant is about it; each gets
// a fidelity entry. `original` must be the model of `originalText`.
//
// `cache` (optional) keeps what each RUN's shell text splits into and what each part does, so the
// variants of one Dockerfile split and classify every RUN once, not once per variant and pass.
class TransformCache {
 public:
  TransformCache();
  ~TransformCache();
  TransformCache(const TransformCache&) = delete;
  TransformCache& operator=(const TransformCache&) = delete;
  // Forgets every entry (once no transform will run with this cache again: frees what it held).
  void release();
  struct Impl;
  std::unique_ptr<Impl> impl;
};
VariantText transform(VariantKind kind, const dockerfile::Model& original, const std::string& originalText,
                      const ProjectShape& shape, const SystemNeeds& needs, const PackageKnowledge& packages,
                      TransformCache* cache = nullptr);

// A .dockerignore suited to a Python project (for export).
std::string defaultDockerignore();

}  // namespace slimbench::generate
