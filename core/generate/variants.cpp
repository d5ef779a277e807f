#include "generate/variants.h"

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

#include "catalogue/base_images.h"

namespace slimbench::generate {

namespace {
struct VariantInfo {
  VariantKind kind;
  const char* id;
  const char* title;
};
const VariantInfo kVariants[] = {
    {VariantKind::Original, "original", "Your Dockerfile"},
    {VariantKind::Fat, "fat", "Fat (python:X)"},
    {VariantKind::Alpine, "alpine", "Alpine (python:X-alpine)"},
    {VariantKind::Slim, "slim", "Slim (python:X-slim)"},
    {VariantKind::MultiStage, "multistage", "Multi-stage (builder → slim)"},
    {VariantKind::BuildKit, "buildkit", "BuildKit-optimised"},
};

// Writes instructions, wrapping long RUN command lists with " \\\n    && ".
class Writer {
 public:
  void line(const std::string& s) { out_ << s << "\n"; }
  void blank() { out_ << "\n"; }
  void comment(const std::string& s) { out_ << "# " << s << "\n"; }
  void run(const std::vector<std::string>& commands, const std::string& flags = {}) {
    if (commands.empty()) return;
    out_ << "RUN " << (flags.empty() ? "" : flags + " \\\n    ") << commands[0];
    for (std::size_t i = 1; i < commands.size(); ++i) out_ << " \\\n    && " << commands[i];
    out_ << "\n";
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

std::string joinWords(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& w : v) s += (s.empty() ? "" : " ") + w;
  return s;
}

std::vector<std::string> uniq(std::vector<std::string> v) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (auto& s : v)
    if (seen.insert(s).second) out.push_back(s);
  return out;
}

// apt-get update, install without recommends, lists removed in the same layer.
std::vector<std::string> aptInstall(const std::vector<std::string>& packages) {
  return {"apt-get update", "apt-get install -y --no-install-recommends " + joinWords(uniq(packages)), "rm -rf /var/lib/apt/lists/*"};
}

std::string reqArgs(const ProjectShape& s) {
  if (s.pyproject) return "-r requirements.txt";
  std::string a;
  for (const auto& r : s.requirementFiles) a += (a.empty() ? "-r " : " -r ") + r;
  return a.empty() ? "-r requirements.txt" : a;
}

// uv's distroless image, pinned to a minor release (docs.astral.sh/uv/guides/integration/docker).
const char* kUvImage = "ghcr.io/astral-sh/uv:0.8";

// The dependency files, and for a pyproject project uv plus an export of its dependencies
// to requirements.txt (so pip installs them without the source code).

std::string exportCommand(const ProjectShape& s) {
  return s.uvLock ? "uv export --frozen --no-dev --no-emit-project --no-hashes -o requirements.txt"
                  : "uv pip compile pyproject.toml -o requirements.txt";
}

void copyReqs(Writer& w, const ProjectShape& s) {
  if (s.pyproject) {
    w.line(std::string("COPY --from=") + kUvImage + " /uv /usr/local/bin/uv");
    w.line(s.uvLock ? "COPY pyproject.toml uv.lock ./" : "COPY pyproject.toml ./");
    return;
  }
  std::vector<std::string> files = s.requirementFiles.empty() ? std::vector<std::string>{"requirements.txt"} : s.requirementFiles;
  w.line("COPY " + joinWords(files) + " ./");
}

// Commands that install the dependencies with pip (after an export for pyproject projects).
std::vector<std::string> installCommands(const ProjectShape& s, const std::string& pipCommand) {
  if (s.pyproject) return {exportCommand(s), pipCommand};
  return {pipCommand};
}

void appBody(Writer& w, const ProjectShape& s, const std::string& chown = {}) {
  for (const auto& c : s.sourceCopies) {
    if (chown.empty() || c.find("--chown") != std::string::npos) w.line(c);
    else w.line(std::regex_replace(c, std::regex("^(COPY|ADD) "), "$1 --chown=" + chown + " "));
  }
  if (s.sourceCopies.empty()) w.line(chown.empty() ? "COPY . ." : "COPY --chown=" + chown + " . .");
}

void leading(Writer& w, const ProjectShape& s) {
  for (const auto& l : s.leading) w.line(l);
}
void trailing(Writer& w, const ProjectShape& s, bool skipUser = false) {
  for (const auto& l : s.trailing) {
    if (skipUser && l.rfind("USER", 0) == 0) continue;
    w.line(l);
  }
}

void header(Writer& w, const ProjectShape& s) {
  for (const auto& a : s.globalArgs) w.line(a);
}

// Global ARGs, FROM, the user's ARG/ENV/LABEL, WORKDIR and the dependency files.
void singleStagePrologue(Writer& w, const ProjectShape& s, const std::string& from) {
  header(w, s);
  w.line("FROM " + from);
  leading(w, s);
  w.line("WORKDIR " + s.workdir);
  copyReqs(w, s);
}
}  // namespace

const char* variantId(VariantKind k) {
  for (const auto& v : kVariants)
    if (v.kind == k) return v.id;
  return "?";
}
const char* variantTitle(VariantKind k) {
  for (const auto& v : kVariants)
    if (v.kind == k) return v.title;
  return "?";
}
bool variantFromId(const std::string& id, VariantKind& out) {
  for (const auto& v : kVariants)
    if (id == v.id) {
      out = v.kind;
      return true;
    }
  return false;
}
std::vector<VariantKind> allVariants() {
  std::vector<VariantKind> v;
  for (const auto& x : kVariants) v.push_back(x.kind);
  return v;
}

ProjectShape shapeOf(const dockerfile::Model& model) {
  using dockerfile::Kind;
  ProjectShape s;
  const auto* st = model.finalStagePtr();
  if (!st) return s;
  // Python version from the final stage's base (or the first python base anywhere).
  static const std::regex py(R"(^(\d+\.\d+))");
  for (int i = model.finalStage; i >= 0; --i) {
    auto [repo, tag] = catalogue::splitImageRef(model.stages[i].baseImage);
    std::smatch m;
    if ((repo == "python" || (repo.size() > 7 && repo.substr(repo.size() - 7) == "/python")) && std::regex_search(tag, m, py)) {
      s.pythonVersion = m[1];
      s.pythonFromBase = true;
      break;
    }
  }
  std::set<std::string> reqSet;
  for (const auto& stage : model.stages)
    for (const auto& step : stage.steps)
      for (const auto& op : step.operations())
        for (const auto& r : op.requirementFiles)
          // A path built from a shell variable ($d/requirements.txt in a loop) is not a file to copy.
          if (!r.empty() && r.find('$') == std::string::npos && reqSet.insert(r).second) s.requirementFiles.push_back(r);
  // Requirements referenced by absolute path are copied to the workdir by the variants.
  for (auto& r : s.requirementFiles) {
    auto slash = r.rfind('/');
    if (slash != std::string::npos && r[0] == '/') r = r.substr(slash + 1);
  }
  for (const auto& step : st->steps) {
    const std::string& t = step.original();
    switch (step.kind) {
      case Kind::Arg:
      case Kind::Env:
      case Kind::Label:
        s.leading.push_back(t);
        break;
      case Kind::Workdir:
        if (!step.args().empty()) s.workdir = step.args()[0];
        break;
      case Kind::Expose:
      case Kind::Volume:
      case Kind::Healthcheck:
      case Kind::StopSignal:
      case Kind::Cmd:
      case Kind::Entrypoint:
        s.trailing.push_back(t);
        break;
      case Kind::User:
        s.trailing.push_back(t);
        if (!step.args().empty()) s.user = step.args()[0];
        break;
      case Kind::Copy:
      case Kind::Add: {
        if (!step.copyFrom().empty()) break;
        bool onlyReqs = !step.sources().empty() && std::all_of(step.sources().begin(), step.sources().end(), [&](const std::string& src) {
          auto base = src.substr(src.rfind('/') == std::string::npos ? 0 : src.rfind('/') + 1);
          return reqSet.count(src) || reqSet.count(base) || base.rfind("requirements", 0) == 0 ||
                 base == "pyproject.toml" || base == "uv.lock" || base == "poetry.lock";
        });
        if (!onlyReqs) s.sourceCopies.push_back(t);
        break;
      }
      default:
        break;
    }
  }
  for (const auto& a : model.globalArgs) s.globalArgs.push_back("ARG " + a.key + (a.hasValue ? "=" + a.value : ""));
  return s;
}

std::string generate(VariantKind kind, const ProjectShape& s, const SystemNeeds& n, const std::string& originalText) {
  if (kind == VariantKind::Original) return originalText;
  Writer w;
  const std::string& X = s.pythonVersion;
  const std::string pipInstall = "pip install --no-cache-dir " + reqArgs(s);
  switch (kind) {
    case VariantKind::Fat: {
      w.comment("Fat: the full python:" + X + " image (Debian with compilers and many -dev libraries already in it).");
      singleStagePrologue(w, s, "python:" + X);
      // buildpack-deps already carries gcc and most headers; add what the requirements still need.
      std::vector<std::string> extra = uniq(n.debianBuild);
      if (!extra.empty() && n.debianCompiles)
        w.run(aptInstall(extra));
      w.run(installCommands(s, pipInstall));
      appBody(w, s);
      trailing(w, s);
      break;
    }
    case VariantKind::Alpine: {
      w.comment("Alpine: musl libc. Packages without musllinux wheels are compiled by pip, so build tools are needed;");
      w.comment("they are installed as a virtual package and removed in the same layer so they do not stay in the image.");
      singleStagePrologue(w, s, "python:" + X + "-alpine");
      std::vector<std::string> cmds;
      if (s.pyproject) cmds.push_back(exportCommand(s));
      if (!n.alpineRun.empty()) cmds.push_back("apk add --no-cache " + joinWords(uniq(n.alpineRun)));
      if (n.alpineCompiles) {
        std::vector<std::string> build = {"build-base"};
        for (const auto& b : n.alpineBuild) build.push_back(b);
        cmds.push_back("apk add --no-cache --virtual .build-deps " + joinWords(uniq(build)));
        cmds.push_back(pipInstall);
        cmds.push_back("apk del .build-deps");
      } else {
        cmds.push_back(pipInstall);
      }
      w.run(cmds);
      appBody(w, s);
      trailing(w, s);
      break;
    }
    case VariantKind::Slim: {
      w.comment("Slim: Debian without compilers or docs. Build tools, when needed, are purged in the same layer.");
      singleStagePrologue(w, s, "python:" + X + "-slim");
      std::vector<std::string> cmds;
      if (s.pyproject) cmds.push_back(exportCommand(s));
      std::vector<std::string> build;
      if (n.debianCompiles) {
        build = {"build-essential"};
        for (const auto& b : n.debianBuild) build.push_back(b);
        build = uniq(build);
      }
      std::vector<std::string> run = uniq(n.debianRun);
      if (!build.empty() || !run.empty()) {
        std::vector<std::string> all = run;
        all.insert(all.end(), build.begin(), build.end());
        cmds.push_back("apt-get update");
        cmds.push_back("apt-get install -y --no-install-recommends " + joinWords(uniq(all)));
      }
      cmds.push_back(pipInstall);
      if (!build.empty()) cmds.push_back("apt-get purge -y --auto-remove " + joinWords(build));
      if (!build.empty() || !run.empty()) cmds.push_back("rm -rf /var/lib/apt/lists/*");
      w.run(cmds);
      appBody(w, s);
      trailing(w, s);
      break;
    }
    case VariantKind::MultiStage: {
      w.comment("Multi-stage: a builder stage compiles every requirement into a wheel; the slim final stage installs only");
      w.comment("those wheels, so compilers and headers never reach the image.");
      header(w, s);
      w.line("FROM python:" + X + "-slim AS builder");
      std::vector<std::string> build = {"build-essential"};
      for (const auto& b : n.debianBuild) build.push_back(b);
      if (n.debianCompiles)
        w.run(aptInstall(build));
      w.line("WORKDIR /build");
      copyReqs(w, s);
      w.run(installCommands(s, "pip wheel --no-cache-dir --wheel-dir /wheels " + reqArgs(s)));
      w.blank();
      w.line("FROM python:" + X + "-slim");
      leading(w, s);
      if (!n.debianRun.empty())
        w.run(aptInstall(n.debianRun));
      w.line("WORKDIR " + s.workdir);
      w.line("COPY --from=builder /wheels /wheels");
      w.run({"pip install --no-cache-dir --no-index --find-links=/wheels /wheels/*.whl", "rm -rf /wheels"});
      appBody(w, s);
      trailing(w, s);
      break;
    }
    case VariantKind::BuildKit: {
      w.line("# syntax=docker/dockerfile:1");
      w.comment("BuildKit-optimised: cache mounts for apt and pip, the builder's wheels bind-mounted (not copied),");
      w.comment("a non-root user. Needs BuildKit (docker buildx / DOCKER_BUILDKIT=1, the default since Docker 23).");
      header(w, s);
      w.line("FROM python:" + X + "-slim AS builder");
      const std::string aptCache = "--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked";
      std::vector<std::string> build = {"build-essential"};
      for (const auto& b : n.debianBuild) build.push_back(b);
      if (n.debianCompiles)
        w.run({"rm -f /etc/apt/apt.conf.d/docker-clean", "apt-get update", "apt-get install -y --no-install-recommends " + joinWords(uniq(build))}, aptCache);
      w.line("WORKDIR /build");
      copyReqs(w, s);
      w.run(installCommands(s, "pip wheel --wheel-dir /wheels " + reqArgs(s)), "--mount=type=cache,target=/root/.cache/pip");
      w.blank();
      w.line("FROM python:" + X + "-slim");
      leading(w, s);
      if (!n.debianRun.empty())
        w.run(aptInstall(n.debianRun));
      const std::string user = s.user.empty() || s.user == "root" || s.user == "0" ? "app" : s.user;
      if (s.user.empty() || s.user == "root" || s.user == "0")
        w.run({"useradd --create-home --uid 10001 --user-group " + user});
      w.line("WORKDIR " + s.workdir);
      w.run({"pip install --no-cache-dir --no-index --find-links=/wheels /wheels/*.whl"},
            "--mount=type=bind,from=builder,source=/wheels,target=/wheels");
      appBody(w, s, user + ":" + user);
      trailing(w, s, true);
      w.line("USER " + user);
      break;
    }
    case VariantKind::Original:
      break;
  }
  return w.str();
}

std::string defaultDockerignore() {
  return "# Keep the build context small and the layer cache stable (generated by slimbench).\n"
         ".git\n.gitignore\n.dockerignore\nDockerfile*\n**/__pycache__\n**/*.py[cod]\n*.egg-info\n.venv\nvenv\nenv\n"
         ".mypy_cache\n.pytest_cache\n.ruff_cache\n.tox\n.coverage\nhtmlcov\nbuild\ndist\nnode_modules\n.idea\n.vscode\n*.log\n";
}

}  // namespace slimbench::generate
