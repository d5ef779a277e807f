#include "estimate/analysis.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "catalogue/base_images.h"
#include "python/project.h"
#include "python/version.h"
#include "util/files.h"
#include "util/jsontext.h"
#include "util/trace.h"
#include "util/zstd.h"

namespace slimbench::estimate {
namespace fs = std::filesystem;

namespace {
Diagnostic err(const std::string& file, const std::string& msg) { return errorAt(file, msg); }
}  // namespace

Result<std::shared_ptr<Knowledge>> loadKnowledge(const ResourceFinder& find) {
  auto k = std::make_shared<Knowledge>();
  auto need = [&](const char* path) -> std::optional<std::string_view> { return find(path); };
  auto bases = need("catalogue/base-images.json");
  if (!bases) return err("catalogue/base-images.json", "missing from this build");
  auto b = catalogue::BaseImageCatalogue::fromJson(*bases, "catalogue/base-images.json");
  if (!b) return b.error();
  k->bases = std::move(*b);
  if (auto legacy = need("catalogue/base-images-legacy.json")) {
    auto withLegacy = k->bases.addLegacy(*legacy, "catalogue/base-images-legacy.json");
    if (!withLegacy) return withLegacy.error();
    k->bases = std::move(*withLegacy);
  }
  if (auto a = need("catalogue/alpine-packages.json")) {
    auto al = catalogue::AlpineCatalogue::fromJson(*a, "catalogue/alpine-packages.json");
    if (!al) return al.error();
    k->alpine = std::move(*al);
    if (auto deps = need("catalogue/alpine-depends.json"))
      if (auto e = k->alpine.addDepends(*deps, "catalogue/alpine-depends.json")) return *e;
    k->catalogues.alpine = &k->alpine;
  }
  auto excludes = need("catalogue/debian/dpkg-excludes.json").value_or("");
  // The Debian catalogues are lazy: each suite/arch reads its JSON (about + bases) and its
  // package table (the whole Packages index, .pkgs.zst) only when an analysis first asks for it.
  for (const char* suite : {"bookworm", "trixie", "bullseye"})
    for (const char* arch : {"amd64", "arm64"}) {
      std::string key = std::string(suite) + "-" + arch;
      std::string path = "catalogue/debian/" + key + ".json";
      auto d = need(path.c_str());
      if (!d) continue;
      if (auto table = need(("catalogue/debian/" + key + ".pkgs.zst").c_str())) {
        k->catalogues.debian.emplace(key, catalogue::DebianCatalogue::fromResources(*d, *table, excludes, suite, arch, path));
      } else {
        auto dc = catalogue::DebianCatalogue::fromJson(*d, excludes, path);  // one JSON with "packages"
        if (!dc) return dc.error();
        k->catalogues.debian.emplace(key, std::move(*dc));
      }
    }
  k->catalogues.aptListsJson = std::string(need("catalogue/debian/apt-lists.json").value_or(""));
  if (auto files = need("catalogue/image-files.json")) {
    auto j = nlohmann::json::parse(files->begin(), files->end(), nullptr, false);
    if (j.is_discarded() || !j.contains("images") || !j["images"].is_array())
      return err("catalogue/image-files.json", "expected an object with an \"images\" array");
    for (const auto& im : j["images"]) {
      std::vector<std::string> names;
      const std::string repo = jStr(im, "repository");
      for (const auto& r : im.value("registries", nlohmann::json::array())) names.push_back(r.get<std::string>() + "/" + repo);
      for (const auto& a : im.value("aliases", nlohmann::json::array())) names.push_back(a.get<std::string>());
      for (const auto& v : im.value("versions", nlohmann::json::array())) {
        ImageFilesRecord rec;
        rec.names = names;
        rec.version = jStr(v, "version");
        rec.arch = jStr(v, "arch");
        rec.source = jStr(v, "source");
        for (const auto& f : v.value("files", nlohmann::json::array()))
          rec.files.push_back({jStr(f, "path"), jU64(f, "bytes"), jU64(f, "precision")});
        k->catalogues.imageFiles.push_back(std::move(rec));
      }
    }
  }
  k->catalogues.bases = &k->bases;
  if (auto rates = need("catalogue/install-rates.json")) {
    auto r = nlohmann::json::parse(rates->begin(), rates->end(), nullptr, false);
    if (!r.is_discarded()) {
      k->catalogues.dpkgBytesPerSecond = r.contains("dpkg") ? jNum(r["dpkg"], "bytes_per_second") : 0;
      k->catalogues.pipBytesPerSecond = r.contains("pip") ? jNum(r["pip"], "bytes_per_second") : 0;
    }
  }
  if (auto bs = need("catalogue/build-scripts.json")) {
    std::string error;
    if (!parseBuildScriptModel(*bs, k->catalogues.buildScripts, error)) return err("catalogue/build-scripts.json", error);
  }
  auto wheels = need("catalogue/pypi-wheels.json.zst");
  auto sizes = need("catalogue/installed-size-model.json");
  auto know = need("catalogue/build-knowledge.json");
  if (wheels && sizes) {
    auto cat = python::Catalogue::fromCompressed(*wheels);
    if (!cat) return cat.error();
    auto pp = PipPlannerImpl::create(std::move(*cat), *sizes, know.value_or(""));
    if (!pp) return pp.error();
    if (auto dp = need("catalogue/debian-python-proxy.json.zst")) {
      auto text = zstdDecompress(*dp);
      if (!text) return err("catalogue/debian-python-proxy.json.zst", text.error().message);
      auto proxy = python::DebianProxy::fromJson(*text);
      if (!proxy) return proxy.error();
      pp->setDebianProxy(std::move(*proxy));
    }
    k->pip.emplace(std::move(*pp));
  }
  auto rules = need("catalogue/rules.json");
  if (!rules) return err("catalogue/rules.json", "missing from this build");
  auto rs = lint::RuleSet::fromJson(*rules, "catalogue/rules.json");
  if (!rs) return rs.error();
  k->rules = std::move(*rs);
  if (auto pm = need("catalogue/debian-to-alpine.json")) {
    auto m = generate::PackageMap::fromJson(*pm, "catalogue/debian-to-alpine.json");
    if (!m) return m.error();
    k->packageMap = std::move(*m);
  }
  k->dataNote = "bundled catalogue: official base images (docker-library/repo-info, gathered " + k->bases.gathered +
                "), Debian Packages indexes (bookworm, trixie, bullseye: all of main), Alpine package readings, wheels from public uv.lock files, Debian's python3 packages as proxies";
  return k;
}

Result<Project> openProject(const std::string& path) {
  std::error_code ec;
  Project p;
  fs::path fp(path);
  if (fs::is_directory(fp, ec)) {
    p.dir = fp.string();
    for (const char* n : {"Dockerfile", "dockerfile", "Containerfile"})
      if (fs::is_regular_file(fp / n, ec)) {
        p.dockerfilePath = (fp / n).string();
        break;
      }
    if (p.dockerfilePath.empty())
      for (const auto& e : fs::directory_iterator(fp, ec)) {
        auto name = e.path().filename().string();
        if (e.is_regular_file() && (name.find(".Dockerfile") != std::string::npos || name.rfind("Dockerfile.", 0) == 0)) {
          p.dockerfilePath = e.path().string();
          break;
        }
      }
    if (p.dockerfilePath.empty()) return err(path, "no Dockerfile in this folder (expected Dockerfile, Containerfile or *.Dockerfile)");
  } else {
    p.dockerfilePath = fp.string();
    p.dir = fp.has_parent_path() ? fp.parent_path().string() : ".";
  }
  auto text = readTextFile(p.dockerfilePath);
  if (!text) return text.error();
  p.dockerfileText = std::move(*text);
  return p;
}

namespace {

lint::LintFacts factsFor(const VariantResult& v, const Analysis& a) {
  lint::LintFacts f;
  f.hasDockerignore = a.context.hasDockerignore || v.kind != generate::VariantKind::Original;
  f.contextBytes = a.context.totalBytes;
  const bool musl = v.estimate.base && v.estimate.base->libc == "musl";
  f.targetLibc = musl ? "musl" : "glibc";
  f.arch = a.settings.arch;
  f.compilerInImage = v.estimate.compilerInFinal;
  // Each distribution once: installed by several RUNs (pip install --prefix /install -r … and again
  // for another target), it is said once where it is first named, not once per install.
  std::set<std::string> said;
  for (const auto& p : v.estimate.packages)
    if (p.compiles && said.insert(python::normalizeName(p.name)).second) {
      std::string cost = "pip builds it from the sdist";
      if (p.compileMinutesHigh > 0) {
        char buf[96];
        std::snprintf(buf, sizeof buf, " (reported %.1f–%.1f min)", p.compileMinutesLow, p.compileMinutesHigh);
        cost += buf;
      }
      f.packagesWithoutWheel.push_back({p.name, cost});
    }
  return f;
}

// A system package the variant could not translate is never guessed: it is a commented line in
// the text, a finding, and an unknown of the estimate (its size is not counted).
void addUntranslatedFindings(VariantResult& v) {
  if (v.untranslated.empty()) return;
  // Indexed, not scanned: an alpine variant of a 100k-line Dockerfile has tens of thousands. (What
  // is added names its line: only a line listed twice could say it twice.)
  std::unordered_set<std::string> said, unknown;
  for (const auto& f : v.findings)
    if (f.ruleId == "SB116") said.insert(f.message);
  const SharedText explanation(
      "slimbench translates package names with a table kept as data (catalogue/debian-to-alpine.json), each entry with its source; "
      "a package missing from it is not guessed.");
  const SharedText fix(
      "Find the package that ships the same files or shared library (pkgs.alpinelinux.org / packages.debian.org) and replace the commented line.");
  auto finding = [&](const std::string& msg) {
    if (!said.insert(msg).second) return;
    lint::Finding f;
    f.ruleId = "SB116";
    f.severity = Severity::Warning;
    f.title = "system package not translated";
    f.message = msg;
    f.explanation = explanation;
    f.fix = fix;
    f.category = "correctness";
    v.findings.push_back(std::move(f));
  };
  // One finding per command, and per line for its packages (all named).
  const auto& all = v.untranslated;
  for (std::size_t i = 0; i < all.size();) {
    const auto& u = all[i];
    const std::string fam = u.family == "alpine" ? "Alpine" : "Debian";
    const std::string at = "(line " + std::to_string(u.line) + " of your Dockerfile)";
    if (u.command) {
      finding("`" + u.package + "` " + at + " does not run on " + fam + ": kept as written, with a comment in the export");
      ++i;
      continue;
    }
    std::string list, plain;
    std::size_t j = i;
    for (; j < all.size() && !all[j].command && all[j].line == u.line && all[j].family == u.family; ++j) {
      list += (j > i ? ", \"" : "\"") + all[j].package + "\"";
      plain += (j > i ? ", " : "") + all[j].package;
    }
    const bool many = j - i > 1;
    finding((u.family == "alpine" ? "Debian" : "Alpine") + std::string(many ? " packages " : " package ") + list + " " + at +
            (many ? " have no " : " has no ") + fam + " equivalent in the package mapping");
    const std::string text = std::string(many ? "system packages " : "system package ") + plain + " (line " + std::to_string(u.line) +
                             ") not translated: not counted";
    if (unknown.insert(text).second) {
      v.estimate.unknowns.push_back(text);
      v.estimate.unknownsOffLayers.push_back(text);
    }
    i = j;
  }
}

}  // namespace

namespace {

// Runs f(0..n-1) on up to `threads` threads (0: one per core); the first exception is rethrown.
void runParallel(std::size_t n, int threads, const std::function<void(std::size_t)>& f) {
  std::size_t t = threads > 0 ? static_cast<std::size_t>(threads) : std::max(1u, std::thread::hardware_concurrency());
  t = std::min(t, n);
  if (t <= 1) {
    for (std::size_t i = 0; i < n; ++i) f(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex errorMutex;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < n;) {
      try {
        f(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t k = 1; k < t; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
}

// Once estimated and linted, a model's per-RUN command lists (argv words, guards: most of its
// memory) are read by nothing that shows the analysis; the script text stays.
void releaseShellCommands(dockerfile::Model& m) {
  for (auto& st : m.stages)
    for (auto& step : st.steps) step.releaseCommands();
}

// A derived variant's model is read for its diagnostics and stage headers only (what shows a
// variant is its text, estimate, findings and fidelity): its steps and ENV go once it is
// estimated and linted. At 100k lines each derived model held ~130 MB.
void keepModelSummary(dockerfile::Model& m) {
  for (auto& st : m.stages) {
    std::vector<dockerfile::Step>().swap(st.steps);
    std::map<std::string, std::string>().swap(st.env);
  }
}

// What a caller that has written a variant out (AnalysisOptions::releaseDelivered) no longer
// needs: the per-layer, per-package, per-finding and per-instruction records, and the lists of
// what is unknown (the coverage counts and totals stay).
void releaseDetails(VariantResult& v) {
  std::vector<LayerEstimate>().swap(v.estimate.layers);
  std::vector<LayerEstimate>().swap(v.estimate.builderLayers);
  std::vector<PythonPackage>().swap(v.estimate.packages);
  std::vector<lint::Finding>().swap(v.findings);
  std::vector<generate::FidelityEntry>().swap(v.fidelity);
  std::vector<generate::LineNote>().swap(v.lineNotes);
  std::vector<generate::Untranslated>().swap(v.untranslated);
  std::vector<std::string>().swap(v.estimate.unknowns);
  std::vector<std::string>().swap(v.estimate.unknownsOffLayers);
  std::vector<std::string>().swap(v.estimate.timeUnknowns);
  std::vector<int>().swap(v.estimate.coverage.unknownLayers);
  std::vector<int>().swap(v.estimate.coverage.proxyLayers);
}

// A parsed variant: its model, and of its syntax tree what lint reads (the comments above each
// instruction); the tree itself goes once the model is built.
struct Parsed {
  std::optional<Diagnostic> error;
  lint::InstructionComments comments;
  dockerfile::Model model;
};

Parsed parseVariant(generate::VariantKind kind, const std::string& text, const Project& project,
                    dockerfile::ModelCache* cache = nullptr, const std::map<std::string, std::string>& buildArgs = {},
                    const std::string& target = {}) {
  Parsed p;
  // Each instruction is modelled as it is parsed: no syntax tree is held (42 MB at 100k lines).
  auto model = dockerfile::parseModel(text,
                                      kind == generate::VariantKind::Original ? project.dockerfilePath
                                                                              : std::string("Dockerfile.") + generate::variantId(kind),
                                      project.dockerfilePath, buildArgs, target, cache, &p.comments);
  if (!model) {
    p.error = model.error();
    return p;
  }
  p.model = std::move(*model);
  // A Dockerfile docker build rejects (an unknown instruction or flag, `ENV =x`, `ONBUILD ONBUILD`,
  // `HEALTHCHECK --interval=abc`, ...) has no image to estimate: the first rejection is the reason,
  // as a parse error is (the model's diagnostics stay, for the other errors).
  // Two errors are not rejections of the text: a --target that names no stage (reported on its own,
  // usage) and a base made of a build arg nobody set (the estimate goes on with that base unknown,
  // the diagnostic naming the ARG and the fix).
  for (const auto& d : p.model.diagnostics)
    if (d.severity == Severity::Error && d.message.rfind("target stage \"", 0) != 0 &&
        d.message.find("no default and no value was given") == std::string::npos) {
      p.error = d;
      break;
    }
  trace(std::string("model ") + generate::variantId(kind));
  return p;
}

VariantResult finishVariant(generate::VariantKind kind, std::string text, Parsed& parsed, const Project& project,
                            const Knowledge& knowledge, const Analysis& shared, const lint::RuleSet* rules, bool takeModel = true,
                            bool listUnknowns = true) {
  VariantResult v;
  v.kind = kind;
  v.dockerfile = std::move(text);
  if (parsed.error) {
    v.parseError = std::move(parsed.error);
    return v;
  }
  Inputs in;
  in.listUnknowns = listUnknowns;
  in.catalogues = &knowledge.catalogues;
  in.context = &shared.context;
  in.settings = shared.settings;
  in.texts = shared.unknownTexts.get();
  if (knowledge.pip) {
    const PipPlannerImpl* pp = shared.projectPip ? shared.projectPip.get() : &*knowledge.pip;
    std::string dir = shared.context.root.empty() ? project.dir : shared.context.root;  // the build context
    auto cache = shared.pipCache;
    auto mutex = shared.pipCacheMutex;
    in.pip = [pp, dir, cache, mutex](const PipRequest& r) {
      std::string key = r.python + "|" + r.arch + "|" + (r.musl ? "musl" : "glibc") + (r.fromProject ? "|project" : "") +
                        (r.musl && r.wheelsBeforeMusllinux ? "|before-musllinux" : "") + (r.bytecode ? "" : "|no-bytecode");
      for (const auto& f : r.requirementFiles) key += "|r:" + f;
      if (!r.projectSubdir.empty()) key += "|member:" + r.projectSubdir;
      for (const auto& e : r.projectExtras) key += "|x:" + e;
      for (const auto& p : r.packages) key += "|p:" + p;
      {
        std::lock_guard<std::mutex> lock(*mutex);
        auto it = cache->find(key);
        if (it != cache->end()) return it->second;
      }
      PipPlan plan = pp->plan(r, dir);  // outside the lock: another variant may plan the same meanwhile
      std::lock_guard<std::mutex> lock(*mutex);
      return cache->emplace(key, std::move(plan)).first->second;
    };
  }
  v.estimate = estimateModel(parsed.model, in);
  trace(std::string("estimated ") + generate::variantId(kind));
  v.findings = lint::lint(parsed.model, parsed.comments, rules ? *rules : knowledge.rules, factsFor(v, shared));
  trace(std::string("linted ") + generate::variantId(kind));
  // The caller may still be reading the model (the original's, while variants are made from it).
  if (takeModel) {
    if (kind == generate::VariantKind::Original) releaseShellCommands(parsed.model);
    else keepModelSummary(parsed.model);
    v.model = std::move(parsed.model);
  }
  return v;
}

}  // namespace

VariantResult analyzeText(generate::VariantKind kind, const std::string& text, const Project& project,
                          const Knowledge& knowledge, const Analysis& shared, const lint::RuleSet* rules) {
  Parsed parsed = parseVariant(kind, text, project);
  return finishVariant(kind, text, parsed, project, knowledge, shared, rules);
}

std::string findContext(const Project& project, const dockerfile::Model& model, std::string& why) {
  // What the Dockerfile reads from the context: COPY/ADD sources and the requirement files pip reads
  // with --mount=type=bind or after a COPY (the latter are relative to the image, so only COPY counts).
  std::vector<std::string> wanted;
  // A Dockerfile that copies the whole context and installs the project from it (`ADD / /src` then
  // `pip install .`, a CI Dockerfile in a subfolder built from the repository's root) reads the
  // project's pyproject.toml or setup.py there.
  static const std::string projectFile = "\n(the project's pyproject.toml or setup.py)";
  bool wholeContext = false, installsProject = false;
  for (const auto& st : model.stages)
    for (const auto& step : st.steps) {
      if ((step.kind == dockerfile::Kind::Copy || step.kind == dockerfile::Kind::Add) && step.copyFrom().empty() && step.heredocs().empty())
        for (const auto& src : step.sources()) {
          if (src.find('$') != std::string::npos || src.find("://") != std::string::npos || src.rfind("git@", 0) == 0) continue;
          const bool root = contextPath(src) == ".";
          wholeContext |= root;
          if (root || src.find_first_of("*?[") != std::string::npos) continue;
          wanted.push_back(src);
        }
      for (const auto& o : step.operations()) {
        const bool python = o.tool == "pip" || o.tool == "uv" || o.tool == "poetry" || o.tool == "pdm" || o.tool == "pipenv";
        if (!python) continue;
        installsProject |= (o.action == "sync" || (o.tool == "poetry" && o.action == "install"));
        for (const auto* list : {&o.packages, &o.editables})
          for (const auto& p : *list) {
            const std::string spec = dockerfile::unquoted(p);
            const std::string path = spec.substr(0, spec.find('['));
            installsProject |= o.action == "install" && (path == "." || path == "./");
          }
      }
      for (const auto& mt : step.mounts())
        if (mt.type == "bind" && !mt.fields.count("from")) {
          auto it = mt.fields.find("source");
          if (it != mt.fields.end() && it->second != "." && it->second.find('$') == std::string::npos) wanted.push_back(it->second);
        }
    }
  if (wholeContext && installsProject) wanted.push_back(projectFile);
  std::error_code ec;
  auto score = [&](const fs::path& dir) {
    int n = 0;
    for (const auto& w : wanted)
      n += (w == projectFile ? fs::exists(dir / "pyproject.toml", ec) || fs::exists(dir / "setup.py", ec)
                             : fs::exists(dir / fs::path(w).relative_path(), ec))
               ? 1
               : 0;
    return n;
  };
  fs::path dir = fs::absolute(project.dir.empty() ? "." : project.dir, ec).lexically_normal();
  if (!dir.empty() && dir.filename().empty()) dir = dir.parent_path();
  const int here = score(dir);
  if (wanted.empty() || here == static_cast<int>(wanted.size())) {
    why = "the Dockerfile's folder";
    return project.dir;
  }
  const std::string what = wanted.back() == projectFile ? " files it reads (COPY sources and the project's pyproject.toml or setup.py)"
                                                       : " COPY sources";
  fs::path best = dir;
  int bestScore = here;
  fs::path up = dir;
  for (int level = 1; level <= 4 && up.has_parent_path() && up.parent_path() != up; ++level) {
    up = up.parent_path();
    int sc = score(up);
    if (sc > bestScore) {
      best = up;
      bestScore = sc;
      if (sc == static_cast<int>(wanted.size())) break;
    }
  }
  if (best == dir) {
    why = "the Dockerfile's folder (" + std::to_string(wanted.size() - here) + " of " + std::to_string(wanted.size()) +
          what + " are not there, nor in the folders above it: set the context with --context DIR)";
    return project.dir;
  }
  why = best.string() + ": " + std::to_string(bestScore) + " of " + std::to_string(wanted.size()) +
        what + " are found from there (as with docker build -f " +
        fs::absolute(project.dockerfilePath, ec).lexically_normal().lexically_relative(best).string() + " " + best.string() + "); set another with --context DIR";
  return best.string();
}

Analysis analyze(const Project& project, const Knowledge& knowledge, const AnalysisOptions& options) {
  return analyze(project, [&knowledge]() -> const Knowledge& { return knowledge; }, options);
}

Analysis analyze(const Project& projectIn, const std::function<const Knowledge&()>& knowledgeOf, const AnalysisOptions& options) {
  trace("analysis: start");
  Analysis a;
  a.settings = options.settings;
  // The project as analysed: the given one, with the build context chosen below. Its text is read
  // from projectIn (not copied: 4 MB at 100k lines).
  Project project = projectIn.withoutText();
  const std::string& dockerfileText = projectIn.dockerfileText;
  if (!options.contextDir.empty()) {
    project.dir = options.contextDir;
    a.contextNote = options.contextDir + " (given)";
  }
  // The user's Dockerfile is parsed once: its model finds the context and is then estimated.
  // Each RUN text is split and its operations recognised once for the original and every variant
  // (most RUNs are the same text in all six); the lists are shared, not copied. So is the content
  // of every instruction with nothing to expand: a variant's model holds only what it changed.
  dockerfile::ModelCache modelCache;
  // The original's model is built before anything else can start (the variants are made from it):
  // a second core splits its RUNs meanwhile.
  std::jthread prefill;  // joined on every way out
  if (options.threads != 1 && std::thread::hardware_concurrency() > 1)
    prefill = std::jthread([&] { modelCache.prefill(dockerfileText); });
  a.buildArgs = options.buildArgs;
  a.target = options.target;
  Parsed parsedOriginal = parseVariant(generate::VariantKind::Original, dockerfileText, project, &modelCache, options.buildArgs,
                                       options.target);
  if (prefill.joinable()) prefill.join();
  if (!options.target.empty() && !parsedOriginal.error && parsedOriginal.model.targetStage(options.target) < 0) {
    // Nothing is estimated for a stage nobody asked for: the user's Dockerfile carries the error.
    Diagnostic d = errorAt(project.dockerfilePath, dockerfile::unknownTargetMessage(parsedOriginal.model, options.target));
    a.targetError = d;
    VariantResult v;
    v.kind = generate::VariantKind::Original;
    v.dockerfile = dockerfileText;
    v.parseError = d;
    releaseShellCommands(parsedOriginal.model);
    v.model = std::move(parsedOriginal.model);  // its stages: what a --target can name
    a.variants.push_back(std::move(v));
    return a;
  }
  const Knowledge& knowledge = knowledgeOf();
  a.dataNote = knowledge.dataNote;
  // --layer-size LINE=SIZE names a line of the user's Dockerfile: the step there, by its text, so
  // the same step in a variant takes the same figure.
  for (auto& g : a.settings.layerSizes) {
    if (!g.text.empty()) continue;
    if (!parsedOriginal.error)
      for (const auto& st : parsedOriginal.model.stages)
        for (const auto& step : st.steps)
          if (step.startLine == g.line && step.createsLayer) g.text = step.sharedOriginal().str();
    if (g.text.empty())
      a.settingWarnings.push_back("layer size for line " + std::to_string(g.line) +
                                  ": no RUN, COPY or ADD starts on that line of the Dockerfile, so the figure is not used");
  }
  if (options.contextDir.empty() && !parsedOriginal.error) {
    std::string why;
    project.dir = findContext(project, parsedOriginal.model, why);
    a.contextNote = why;
  }
a.context = scanContext(project.dir);
  if (knowledge.pip) {
    // The project's own lock file is first-hand data for the Python side.
    std::error_code ec;
    for (const char* lockName : {"uv.lock", "poetry.lock"}) {
      fs::path lp = fs::path(project.dir) / lockName;
      if (!fs::is_regular_file(lp, ec)) continue;
      auto lock = std::string(lockName) == "uv.lock" ? python::parseUvLock(lp.string()) : python::parsePoetryLock(lp.string());
      if (!lock.packages.empty()) {
        a.projectPip = std::make_shared<const PipPlannerImpl>(knowledge.pip->withLock(lock));
        a.dataNote += "; the project's " + std::string(lockName) + " (first-hand)";
      }
      break;
    }
  }
  // Severity overrides: one adjusted rule set for every variant (ignored when one does not apply).
  std::optional<lint::RuleSet> overridden;
  if (!options.ruleOverrides.empty()) {
    overridden = knowledge.rules;
    if (overridden->applyOverrides(options.ruleOverrides)) overridden.reset();
  }
  const lint::RuleSet* rules = overridden ? &*overridden : nullptr;
  generate::ProjectShape shape;
  if (!parsedOriginal.error) shape = generate::shapeOf(parsedOriginal.model);
  // A plain alpine:X.Y base runs the python3 of that Alpine release (catalogue/debian-to-alpine.json's
  // alpine_python table): the estimate and the variants use that version, not the default.
  if (!parsedOriginal.error && !shape.pythonFromBase) {
    const auto& md = parsedOriginal.model;
    int r = md.finalStage;
    for (int hops = 0; r >= 0 && md.stages[static_cast<std::size_t>(r)].baseStage >= 0 && hops < static_cast<int>(md.stages.size()); ++hops)
      r = md.stages[static_cast<std::size_t>(r)].baseStage;
    if (r >= 0) {
      const auto release = generate::PackageMap::plainAlpineRelease(md.stages[static_cast<std::size_t>(r)].baseImage);
      if (release && !release->empty())
        if (auto v = knowledge.packageMap.pythonOfAlpine(*release); !v.empty()) shape.pythonVersion = v;
    }
  }
  if (!options.pythonOverride.empty()) shape.pythonVersion = options.pythonOverride;
  if (!options.requirementFiles.empty()) {
    shape.requirementFiles.clear();
    for (const auto& r : options.requirementFiles) shape.requirementFiles.push_back(fs::path(r).filename().string());
  }
  if (shape.requirementFiles.empty()) {
    std::error_code ec;
    if (fs::is_regular_file(fs::path(project.dir) / "requirements.txt", ec)) shape.requirementFiles.push_back("requirements.txt");
    else if (fs::is_regular_file(fs::path(project.dir) / "pyproject.toml", ec)) {
      // A pyproject the variants can export requirements from: one that declares the project
      // ([project] or Poetry's table; a pyproject with only [build-system] and tool settings leaves
      // the dependencies to setup.py/setup.cfg), and that .dockerignore lets into the context.
      const auto text = readTextFile((fs::path(project.dir) / "pyproject.toml").string());
      static const std::regex table(R"((^|\n)[ \t]*\[(project|tool\.poetry)\][ \t]*(#[^\n]*)?(\r?\n|$))");
      bool inContext = a.context.files.empty();
      for (const auto& cf : a.context.files) inContext = inContext || cf.path == "pyproject.toml";
      shape.pyproject = text && inContext && std::regex_search(*text, table);
      shape.uvLock = shape.pyproject && fs::is_regular_file(fs::path(project.dir) / "uv.lock", ec);
    }
  }
  // What each requirements file includes (-r/-c inside it): a variant that copies the file before
  // the source copies these too, relative to it.
  for (const auto& r : shape.requirementFiles) {
    std::error_code ec;
    // An image path (-r /requirements/local.txt after COPY ./requirements /requirements) is
    // looked for at the same path under the context, then by its name at the context's root.
    fs::path f = fs::path(project.dir) / (r.empty() || r[0] != '/' ? r : r.substr(1));
    if (!fs::is_regular_file(f, ec)) f = fs::path(project.dir) / fs::path(r).filename();
    if (!fs::is_regular_file(f, ec)) {
      // A file the Dockerfile names by an image path (-r /requirements/local.txt): the context's
      // file of that name, the shallowest one.
      const std::string name = fs::path(r).filename().string();
      std::string best;
      for (const auto& cf : a.context.files)
        if ((cf.path == name || (cf.path.size() > name.size() && cf.path.compare(cf.path.size() - name.size() - 1, name.size() + 1, "/" + name) == 0)) &&
            (best.empty() || std::count(cf.path.begin(), cf.path.end(), '/') < std::count(best.begin(), best.end(), '/')))
          best = cf.path;
      if (best.empty()) continue;
      f = fs::path(project.dir) / best;
    }
    python::ParseOptions po;
    po.env = [](const std::string&) { return std::optional<std::string>(); };
    auto parsed = python::parseRequirementsFile(f.string(), po);
    std::vector<std::string> includes;
    const fs::path dir = f.parent_path();
    for (const auto& file : parsed.files) {
      fs::path rel = fs::path(file).lexically_normal().lexically_relative(dir.lexically_normal());
      const std::string rs = rel.generic_string();
      if (rs.empty() || rs == "." || rs.rfind("..", 0) == 0 || fs::path(file).lexically_normal() == f.lexically_normal()) continue;
      if (std::find(includes.begin(), includes.end(), rs) == includes.end()) includes.push_back(rs);
    }
    if (!includes.empty()) shape.requirementIncludes.emplace_back(r, std::move(includes));
  }
  a.pythonVersion = shape.pythonVersion;
  a.requirementFiles = shape.requirementFiles;
  const std::vector<std::string> needFiles = shape.pyproject ? std::vector<std::string>{"requirements.txt"} : shape.requirementFiles;
  const bool beforeMusllinux = options.settings.wheelsBeforeMusllinux;
  if (a.projectPip) a.needs = a.projectPip->needs(needFiles, project.dir, shape.pythonVersion, options.settings.arch, beforeMusllinux);
  else if (knowledge.pip) a.needs = knowledge.pip->needs(needFiles, project.dir, shape.pythonVersion, options.settings.arch, beforeMusllinux);
  // The variants transform the user's Dockerfile (issue 11); the templates remain for a Dockerfile that does not parse.
  generate::PackageKnowledge pk;
  pk.map = &knowledge.packageMap;
  {
    const auto& deb = knowledge.catalogues.debian;
    auto it = deb.find("bookworm-" + options.settings.arch);
    if (it == deb.end() && !deb.empty()) it = deb.begin();
    if (it != deb.end()) {
      const catalogue::DebianCatalogue* dc = &it->second;
      // Libraries the slim base already has need no install line.
      auto base = dc->baseSet("python:3.x-slim-" + dc->suite);
      pk.debianHas = [dc](const std::string& p) { return dc->exists(p); };
      const std::string arch = options.settings.arch;
      pk.debianIn = [&knowledge, arch](const std::string& name, const std::string& tag) -> std::string {
        auto r = knowledge.bases.resolve(tag, arch);
        if (!r.image || r.image->debianSuite().empty()) return name;
        auto it = knowledge.catalogues.debian.find(r.image->debianSuite() + "-" + arch);
        if (it == knowledge.catalogues.debian.end()) return name;
        return it->second.sameLibraryAs(name);
      };
      // Asked for each package of each install RUN by every variant: each package once.
      auto known = std::make_shared<std::pair<std::mutex, std::unordered_map<std::string, std::vector<std::string>>>>();
      pk.debianRuntimeOf = [dc, base, known](const std::string& p) {
        {
          std::lock_guard<std::mutex> lock(known->first);
          if (auto it = known->second.find(p); it != known->second.end()) return it->second;
        }
        std::vector<std::string> libs;
        for (auto& l : dc->runtimeLibrariesOf(p))
          if (!base.count(l)) libs.push_back(l);
        std::lock_guard<std::mutex> lock(known->first);
        return known->second.emplace(p, std::move(libs)).first->second;
      };
    }
  }
const bool transformable = !parsedOriginal.error && parsedOriginal.model.finalStage >= 0;
  // The six analyses — transform, parse, model, estimate, lint — run on all cores: they only read
  // what is shared (the original's model; the transformations share what every RUN splits into).
  std::vector<generate::VariantKind> kinds;
  for (auto kind : generate::allVariants())
    if (kind != generate::VariantKind::Original) kinds.push_back(kind);
  generate::TransformCache transformCache;
  // The caches are let go as soon as the last variant is past them (at 100k lines, 17 MB of split
  // RUN texts and the map of every instruction's content).
  std::atomic<std::size_t> transformsLeft{kinds.size()}, modelsLeft{kinds.size()};
  std::vector<VariantResult> results(kinds.size() + 1);
  // Finished variants go to options.onVariant in order, as soon as every one before them is done.
  std::mutex deliverMutex;
  std::vector<bool> finished(results.size(), false);
  std::size_t delivered = 0;
  auto deliver = [&](std::size_t i) {
    std::lock_guard<std::mutex> lock(deliverMutex);
    finished[i] = true;
    for (; delivered < results.size() && finished[delivered]; ++delivered) {
      if (!options.onVariant) continue;
      options.onVariant(a, results[delivered]);
      if (options.releaseDelivered) releaseDetails(results[delivered]);
      if (options.releaseDelivered && options.releaseDeliveredTexts) std::string().swap(results[delivered].dockerfile);
    }
  };
  auto task = [&](std::size_t i) {
    if (i == 0) {
      results[0] = finishVariant(generate::VariantKind::Original, dockerfileText, parsedOriginal, project, knowledge, a,
                                 rules, /*takeModel=*/false, options.unknownLists);
      // Its model joins it at the end (the variants are made from it meanwhile); what a reader of
      // an early delivery needs from it, the diagnostics, comes now.
      results[0].model.diagnostics = parsedOriginal.model.diagnostics;
      lint::InstructionComments().swap(parsedOriginal.comments);  // read by its lint only: done
      deliver(0);
      return;
    }
    const auto kind = kinds[i - 1];
    generate::VariantText vt;
    if (!transformable) vt.text = generate::generate(kind, shape, a.needs);
    else vt = generate::transform(kind, parsedOriginal.model, dockerfileText, shape, a.needs, pk, &transformCache);
    trace(std::string("transformed ") + generate::variantId(kind));
    if (--transformsLeft == 0) transformCache.release();
    // The same build args; no --target: a variant ends with the target stage (later ones dropped).
    // The variants share your instructions' contents; what each makes of its own (a rewritten
    // RUN) goes with its model, not kept for the others (at 100k lines of unknown packages each
    // variant's own RUNs held ~100 MB until the last variant was modelled).
    Parsed parsed = [&] {
      dockerfile::ModelCache own(modelCache);  // what the model does not hold goes with it here
      return parseVariant(kind, vt.text, project, &own, options.buildArgs);
    }();
    if (--modelsLeft == 0) modelCache.release();
    auto v = finishVariant(kind, std::move(vt.text), parsed, project, knowledge, a, rules, true, options.unknownLists);
    v.fidelity = std::move(vt.fidelity);
    v.lineNotes = std::move(vt.notes);
    v.untranslated = std::move(vt.untranslated);
    addUntranslatedFindings(v);
    results[i] = std::move(v);
    deliver(i);
  };
  runParallel(results.size(), options.threads, task);
  if (!parsedOriginal.error) {
    releaseShellCommands(parsedOriginal.model);
    results[0].model = std::move(parsedOriginal.model);
  }
  a.variants = std::move(results);
  a.unknownTexts.reset();
  trace("analysis: done");
  return a;
}

}  // namespace slimbench::estimate
