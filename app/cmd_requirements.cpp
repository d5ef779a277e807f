// slimbench requirements PATH: what pip would install for one target.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "python/catalogue_embedded.h"
#include "python/project.h"

namespace slimbench::app {

namespace {

const char* kRequirementsUsage =
    "usage: slimbench requirements PATH [--python 3.12] [--platform linux/amd64|linux/arm64]\n"
    "                              [--libc glibc|musl] [--libc-version V] [--json]\n"
    "PATH is a requirements file, pyproject.toml, uv.lock, poetry.lock or a project folder.\n";

nlohmann::json diagJson(const Diagnostic& d) {
  return {{"file", d.where.file}, {"line", d.where.line}, {"column", d.where.column}, {"message", d.message}};
}

}  // namespace

int cmdRequirements(const std::vector<std::string>& args) {
  python::Target target;
  bool json = false, libcVersionSet = false;
  std::string path;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& out) {
      auto eq = a.find('=');
      if (eq != std::string::npos) { out = a.substr(eq + 1); return true; }
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    std::string v;
    if (a == "-h" || a == "--help") { std::fputs(kRequirementsUsage, stdout); return 0; }
    if (a == "--json") json = true;
    else if (a.rfind("--python", 0) == 0) {
      if (!value(v) || !python::Version::parse(v)) { std::fprintf(stderr, "slimbench requirements: --python needs a version like 3.12\n"); return 2; }
      target.python = v;
    } else if (a.rfind("--platform", 0) == 0) {
      if (!value(v) || !target.setPlatform(v)) { std::fprintf(stderr, "slimbench requirements: --platform is linux/amd64 or linux/arm64\n"); return 2; }
    } else if (a.rfind("--libc-version", 0) == 0) {
      if (!value(v)) { std::fputs(kRequirementsUsage, stderr); return 2; }
      target.libcVersion = v;
      libcVersionSet = true;
    } else if (a.rfind("--libc", 0) == 0) {
      if (!value(v) || (v != "glibc" && v != "musl")) { std::fprintf(stderr, "slimbench requirements: --libc is glibc or musl\n"); return 2; }
      target.libc = v == "musl" ? python::Libc::Musl : python::Libc::Glibc;
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      std::fprintf(stderr, "slimbench requirements: unknown option %s\n%s", a.c_str(), kRequirementsUsage);
      return 2;
    } else if (path.empty()) path = a;
    else { std::fputs(kRequirementsUsage, stderr); return 2; }
  }
  if (path.empty()) { std::fputs(kRequirementsUsage, stderr); return 2; }
  if (target.libc == python::Libc::Musl && !libcVersionSet) target.libcVersion = "1.2";

  python::ProjectInput in = python::loadProject(path);
  python::Catalogue catalogue;
  if (auto c = python::embeddedCatalogue()) catalogue = std::move(*c);
  else in.errors.push_back(c.error());
  if (in.lock) catalogue.merge(python::Catalogue::fromLock(*in.lock));  // first-hand data wins

  std::vector<python::Requirement> main;
  for (const auto& r : in.requirements)
    if (r.group.empty()) main.push_back(r);
  python::ResolveOptions ro;
  ro.pip = in.options;
  if (in.lock)
    for (const auto& lp : in.lock->packages) ro.pinned[python::normalizeName(lp.name)] = lp.version;
  python::Resolution res = python::resolve(main, target, catalogue, ro);
  python::Environment env = python::Environment::forTarget(target);

  if (json) {
    nlohmann::json out;
    out["path"] = path;
    out["kind"] = in.kind;
    out["files"] = in.files;
    out["target"] = {{"python", target.python}, {"arch", target.arch},
                     {"libc", target.libc == python::Libc::Musl ? "musl" : "glibc"}, {"libcVersion", target.libcVersion}};
    nlohmann::json reqs = nlohmann::json::array();
    for (const auto& r : in.requirements) {
      nlohmann::json j = {{"name", r.name}, {"extras", r.extras}, {"specifier", r.specifier.str()},
                          {"marker", r.marker ? nlohmann::json(r.marker->str()) : nlohmann::json(nullptr)},
                          {"applies", r.applies(env)}, {"url", r.url.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.url)},
                          {"editable", r.editable}, {"constraint", r.constraint}, {"hashes", r.hashes},
                          {"group", r.group}, {"file", r.file}, {"line", r.line}};
      const python::ResolvedPackage* p = r.name.empty() ? nullptr : res.find(r.name);
      j["version"] = p ? nlohmann::json(p->version) : nlohmann::json(nullptr);
      j["distribution"] = p && p->distribution.kind != python::Selection::None ? nlohmann::json(p->distribution.distribution())
                                                                              : nlohmann::json(nullptr);
      j["size"] = p && p->distribution.size >= 0 ? nlohmann::json(p->distribution.size) : nlohmann::json(nullptr);
      reqs.push_back(std::move(j));
    }
    out["requirements"] = std::move(reqs);
    nlohmann::json opts = nlohmann::json::object();
    for (const auto& [k, v] : in.options.list()) {
      nlohmann::json val = v.empty() ? nlohmann::json(true) : nlohmann::json(v);
      if (k == "extra-index-url" || k == "find-links" || k == "trusted-host" || k == "use-feature") opts[k].push_back(val);
      else opts[k] = val;
    }
    out["options"] = std::move(opts);
    nlohmann::json resolved = nlohmann::json::array();
    for (const auto& p : res.packages)
      resolved.push_back({{"name", p.name}, {"version", p.version}, {"extras", p.extras},
                          {"distribution", p.distribution.kind == python::Selection::None ? nlohmann::json(nullptr)
                                                                                          : nlohmann::json(p.distribution.distribution())},
                          {"size", p.distribution.size >= 0 ? nlohmann::json(p.distribution.size) : nlohmann::json(nullptr)},
                          {"reason", p.distribution.reason}, {"requiredBy", p.requiredBy}, {"source", p.source},
                          {"wheelListPartial", p.wheelListPartial}});
    out["resolved"] = std::move(resolved);
    nlohmann::json unknowns = nlohmann::json::array();
    for (const auto& u : res.unknowns) unknowns.push_back({{"name", u.name}, {"reason", u.reason}, {"requiredBy", u.requiredBy}});
    out["unknown"] = std::move(unknowns);
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& e : in.errors) errors.push_back(diagJson(e));
    out["errors"] = std::move(errors);
    std::puts(out.dump(2).c_str());
  } else {
    for (const auto& e : in.errors) std::fprintf(stderr, "%s\n", e.format().c_str());
    std::printf("%s (%s) for CPython %s, %s %s %s\n", path.c_str(), in.kind.c_str(), target.python.c_str(), target.arch.c_str(),
                target.libc == python::Libc::Musl ? "musl" : "glibc", target.libcVersion.c_str());
    for (const auto& r : in.requirements) {
      const python::ResolvedPackage* p = r.name.empty() ? nullptr : res.find(r.name);
      std::printf("  %-40s %s%s%s\n", r.str().c_str(), r.applies(env) ? "" : "(marker false) ",
                  r.constraint ? "(constraint) " : "",
                  p ? (p->version + "  " + (p->distribution.kind == python::Selection::None ? "?" : p->distribution.distribution())).c_str() : "");
    }
    std::printf("resolved %zu packages", res.packages.size());
    std::int64_t total = 0;
    for (const auto& p : res.packages) total += std::max<std::int64_t>(0, p.distribution.size);
    std::printf(", %.1f MB compressed download\n", static_cast<double>(total) / 1e6);
    for (const auto& u : res.unknowns) std::printf("  unknown: %s: %s\n", u.name.c_str(), u.reason.c_str());
  }
  return in.errors.empty() ? 0 : 1;
}

}  // namespace slimbench::app
