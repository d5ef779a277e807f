#pragma once
// The classic ways to build a Python image, derived from the user's Dockerfile:
// fat (python:X), alpine, slim, multi-stage, and BuildKit-optimised. Each is
// printed as Dockerfile text (and re-parsed by the caller to check it).
#include <string>
#include <vector>

#include "dockerfile/model.h"

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
};

ProjectShape shapeOf(const dockerfile::Model& model);

// Dockerfile text of a variant. For Original, returns `originalText` unchanged.
std::string generate(VariantKind kind, const ProjectShape& shape, const SystemNeeds& needs,
                     const std::string& originalText = {});

// A .dockerignore suited to a Python project (for export).
std::string defaultDockerignore();

}  // namespace slimbench::generate
