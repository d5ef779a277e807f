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

std::string sizeText(std::int64_t bytes) {
  if (bytes < 0) return "size unknown";
  char buf[32];
  if (bytes < 100000) std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(bytes) / 1e3);  // not "0.0 MB"
  else std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
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
  std::optional<python::DebianProxy> debian;
  if (auto d = python::embeddedDebianProxy()) debian = std::move(*d);
  ro.debian = debian ? &*debian : nullptr;
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
                          {"wheelListPartial", p.wheelListPartial}, {"musllinuxUnknown", p.distribution.musllinuxUnknown},
                          {"note", p.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.note)}});
    out["resolved"] = std::move(resolved);
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& s : res.skippedByMarker)
      skipped.push_back({{"name", s.name}, {"marker", s.marker}, {"requiredBy", s.requiredBy}});
    out["skippedByMarker"] = std::move(skipped);
    out["proxies"] = res.proxies;
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
      std::string state;
      if (!r.applies(env)) {
        // Installed anyway when something else pulls it in: say so, not just "marker false".
        std::string by;
        if (p)
          for (const auto& b : p->requiredBy) by += (by.empty() ? "" : ", ") + (b.empty() ? std::string("another requirement") : b);
        state = by.empty() ? "(marker false) " : "(marker false; pulled in by " + by + ") ";
      }
      std::string what;
      if (p && p->debian)
        what = p->version + "  proxy: Debian " + p->debianPackage + " " + p->debian->version + ", Installed-Size " +
               std::to_string(p->debian->installedKiB) + " KiB";
      else if (p)
        what = p->version + "  " + (p->distribution.kind == python::Selection::None ? "?" : p->distribution.distribution()) + "  " +
               sizeText(p->distribution.size);
      std::printf("  %-40s %s%s%s\n", r.str().c_str(), state.c_str(), r.constraint ? "(constraint) " : "", what.c_str());
    }
    std::printf("resolved %zu packages", res.packages.size());
    std::int64_t total = 0;
    std::size_t unknownSizes = 0;
    for (const auto& p : res.packages) {
      if (p.distribution.size >= 0) total += p.distribution.size;
      else ++unknownSizes;
    }
    if (!res.packages.empty() && unknownSizes == res.packages.size()) std::printf(", download size unknown\n");
    else if (unknownSizes) std::printf(", %s compressed download + %zu of size unknown\n", sizeText(total).c_str(), unknownSizes);
    else std::printf(", %s compressed download\n", sizeText(total).c_str());
    for (const auto& u : res.unknowns) std::printf("  unknown: %s: %s\n", u.name.c_str(), u.reason.c_str());
    for (const auto& s : res.skippedByMarker)
      std::printf("  skipped (marker false): %s (from %s; %s)\n", s.name.c_str(), s.requiredBy.c_str(), s.marker.c_str());
    for (const auto& pr : res.proxies) std::printf("  %s\n", pr.c_str());  // what stands in for what
    for (const auto& p : res.packages)
      if (p.debian) continue;  // said in the proxy line
      else if (!p.note.empty()) std::printf("  note: %s: %s\n", p.name.c_str(), p.note.c_str());
      else if (p.distribution.musllinuxUnknown) std::printf("  note: %s: %s\n", p.name.c_str(), p.distribution.reason.c_str());
  }
  return in.errors.empty() ? 0 : 1;
}

}  // namespace slimbench::app
