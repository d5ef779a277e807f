#include "python/catalogue.h"

#include "util/zstd.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <cctype>
#include <set>
#include <tuple>

namespace slimbench::python {

namespace {

const std::vector<CatalogueRelease> kNone;

std::vector<CatalogueDependency> depsFromJson(const nlohmann::json& arr) {
  std::vector<CatalogueDependency> out;
  if (!arr.is_array()) return out;
  for (const auto& d : arr) {
    if (!d.is_array() || d.empty() || !d[0].is_string()) continue;
    CatalogueDependency c;
    c.name = normalizeName(d[0].get<std::string>());
    if (d.size() > 1 && d[1].is_string()) c.marker = d[1].get<std::string>();
    if (d.size() > 2 && d[2].is_array())
      for (const auto& e : d[2])
        if (e.is_string()) c.extras.push_back(normalizeName(e.get<std::string>()));
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<CatalogueDependency> fromLockDeps(const std::vector<LockDependency>& deps) {
  std::vector<CatalogueDependency> out;
  for (const auto& d : deps) out.push_back({d.name, d.marker, d.extras});
  return out;
}

// uv's conflict-set extras ("extra-5-skyrl-jax"): names uv makes up for forks, never a
// package's own extra.
bool isUvConflictExtra(std::string_view s) {
  if (s.rfind("extra-", 0) != 0) return false;
  std::size_t i = 6, digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  return digits > 0 && i < s.size() && s[i] == '-';
}

// True when text only tests python_version, python_full_version, platform_machine,
// platform_system or sys_platform (the variables uv forks a resolution on), or compares
// `extra` with uv's conflict-set extras. *conflictExtra tells whether it did the latter.
bool onlyForkVariables(std::string_view text, bool* conflictExtra = nullptr) {
  static const std::set<std::string, std::less<>> allowed = {"python_version", "python_full_version", "platform_machine",
                                                             "platform_system", "sys_platform", "and", "or", "not", "in"};
  bool any = false, afterExtra = false;
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '\'' || c == '"') {
      auto end = text.find(c, i + 1);
      if (end == std::string_view::npos) return false;
      if (afterExtra) {
        if (!isUvConflictExtra(text.substr(i + 1, end - i - 1))) return false;
        if (conflictExtra) *conflictExtra = true;
        afterExtra = false;
      }
      i = end + 1;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i;
      while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_' || text[j] == '.')) ++j;
      std::string_view word = text.substr(i, j - i);
      if (word == "extra") afterExtra = true;
      else if (!allowed.count(word) || afterExtra) return false;
      any = true;
      i = j;
    } else {
      ++i;
    }
  }
  return any && !afterExtra;
}

std::string where(const Requirement& r) {
  return (r.file.empty() ? std::string("(requirement)") : r.file) + (r.line > 0 ? ":" + std::to_string(r.line) : "");
}

bool allPins(const SpecifierSet& s) {
  for (const auto& c : s.specifiers)
    if (c.op != "==" && c.op != "===") return false;
  return !s.empty();
}

// Two requirement lines whose specifiers exclude each other (judged on the catalogue's
// versions and the versions the specifiers name): "conflict: a.txt:3 asks ==2 but c.txt:9 pins ==1".
std::string findConflict(const std::vector<const Requirement*>& reqs, const std::vector<const Requirement*>& constraints,
                         const std::vector<Version>& catalogued) {
  std::vector<Version> candidates = catalogued;
  for (const auto* list : {&reqs, &constraints})
    for (const auto* r : *list)
      for (const auto& c : r->specifier.specifiers) {
        std::string v = c.version;
        if (c.wildcard && v.size() > 2) v.resize(v.size() - 2);
        if (auto pv = Version::parse(v)) candidates.push_back(*pv);
      }
  auto any = [&](const SpecifierSet& s) {
    for (const auto& v : candidates)
      if (s.contains(v, true)) return true;
    return false;
  };
  auto clash = [&](const Requirement& a, const Requirement& b) {
    if (a.specifier.empty() || b.specifier.empty() || !any(a.specifier) || !any(b.specifier)) return false;
    SpecifierSet both = a.specifier;
    both.add(b.specifier);
    return !any(both);
  };
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    for (const auto* c : constraints)
      if (clash(*reqs[i], *c))
        return "conflict: " + where(*reqs[i]) + " asks " + reqs[i]->specifier.str() + " but " + where(*c) +
               (allPins(c->specifier) ? " pins " : " constrains it to ") + c->specifier.str();
    for (std::size_t j = i + 1; j < reqs.size(); ++j)
      if (clash(*reqs[i], *reqs[j]))
        return "conflict: " + where(*reqs[i]) + " asks " + reqs[i]->specifier.str() + " but " + where(*reqs[j]) +
               " asks " + reqs[j]->specifier.str();
  }
  return "";
}

}  // namespace

struct Catalogue::Store {
  std::string text;                         // the catalogue JSON (owned)
  std::vector<std::string> tags;            // wheel tag triples
  std::vector<std::string> locks;           // "repository/path@commit12"
  struct Line {
    std::string_view name;                  // as written (PEP 503-normalised by the converter)
    std::string_view value;                 // the JSON array of releases
  };
  std::vector<Line> index;                  // sorted by name
  std::mutex mutex;
  std::map<std::string, std::vector<CatalogueRelease>, std::less<>> decoded;

  const Line* line(std::string_view name) const {
    auto it = std::lower_bound(index.begin(), index.end(), name, [](const Line& l, std::string_view n) { return l.name < n; });
    return it != index.end() && it->name == name ? &*it : nullptr;
  }
  std::vector<CatalogueRelease> decode(const Line& l) const;
};

namespace {

void sortNewestFirst(std::vector<CatalogueRelease>& list) {
  std::vector<std::pair<std::optional<Version>, std::size_t>> keys;
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto v = Version::parse(list[i].version);
    keys.emplace_back(v ? std::optional<Version>(*v) : std::nullopt, i);
  }
  std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
    if (a.first && b.first) return *b.first < *a.first;
    return static_cast<bool>(a.first) && !b.first;
  });
  std::vector<CatalogueRelease> out;
  out.reserve(list.size());
  for (const auto& k : keys) out.push_back(std::move(list[k.second]));
  list = std::move(out);
}

}  // namespace

std::vector<CatalogueRelease> Catalogue::Store::decode(const Line& l) const {
  std::vector<CatalogueRelease> out;
  auto arr = nlohmann::json::parse(l.value.begin(), l.value.end(), nullptr, false);
  if (arr.is_discarded() || !arr.is_array()) return out;
  const std::string name = normalizeName(l.name);
  for (const auto& p : arr) {
    if (!p.is_object() || !p.contains("v") || !p["v"].is_string()) continue;
    CatalogueRelease r;
    r.name = name;
    r.version = p["v"].get<std::string>();
    if (p.contains("sd") && p["sd"].is_number_integer()) r.sdistSize = p["sd"].get<std::int64_t>();
    const std::string stem = p.contains("ws") && p["ws"].is_string() ? p["ws"].get<std::string>() : std::string();
    // Estimates are for Linux on x86_64/aarch64: wheels for other platforms (macOS, Windows,
    // other architectures: more than half of the files) are never picked. One wheel per such
    // platform family is kept so that "no wheel matches ... (wheels for: ...)" still names them.
    std::set<std::string, std::less<>> otherFamilies;
    auto keep = [&](std::string_view filename) {
      std::string_view t = filename;
      if (t.size() > 4 && t.substr(t.size() - 4) == ".whl") t.remove_suffix(4);
      const std::string_view platform = t.substr(t.rfind('-') + 1);
      if (platform == "any") return true;
      if (platform.find("linux") != std::string_view::npos &&
          (platform.find("x86_64") != std::string_view::npos || platform.find("aarch64") != std::string_view::npos))
        return true;
      return otherFamilies.insert(std::string(platform.substr(0, platform.find('_')))).second;
    };
    if (p.contains("w") && p["w"].is_array())
      for (const auto& w : p["w"]) {
        if (!w.is_array() || w.size() != 2) continue;
        const std::int64_t size = w[1].is_number_integer() ? w[1].get<std::int64_t>() : -1;
        std::string filename;
        if (w[0].is_string()) filename = w[0].get<std::string>();
        else if (w[0].is_number_unsigned() && w[0].get<std::size_t>() < tags.size() && !stem.empty())
          filename = stem + "-" + tags[w[0].get<std::size_t>()] + ".whl";
        if (!filename.empty() && keep(filename)) r.wheels.push_back({std::move(filename), size});
      }
    if (p.contains("d")) r.dependencies = depsFromJson(p["d"]);
    if (p.contains("od") && p["od"].is_object())
      for (const auto& [extra, deps] : p["od"].items()) r.optionalDependencies[normalizeName(extra)] = depsFromJson(deps);
    // s: the lock files that pin this version (first: the main source), or one index.
    std::vector<std::size_t> srcs;
    if (p.contains("s") && p["s"].is_number_unsigned()) srcs.push_back(p["s"].get<std::size_t>());
    else if (p.contains("s") && p["s"].is_array())
      for (const auto& x : p["s"])
        if (x.is_number_unsigned()) srcs.push_back(x.get<std::size_t>());
    std::erase_if(srcs, [&](std::size_t i) { return i >= locks.size() || locks[i].empty(); });
    if (!srcs.empty()) {
      r.source = locks[srcs.front()];
      if (srcs.size() > 1)
        r.source += " (and " + std::to_string(srcs.size() - 1) + " other lock file" + (srcs.size() > 2 ? "s" : "") + ")";
    }
    r.wheelListPartial = p.contains("partial") && (p["partial"].is_boolean() ? p["partial"].get<bool>()
                                                                                : p["partial"].is_number() && p["partial"].get<int>() != 0);
    for (auto& w : r.wheels) prepareWheel(w);
    out.push_back(std::move(r));
  }
  sortNewestFirst(out);
  return out;
}

Result<Catalogue> Catalogue::fromJson(std::string_view text) { return fromText(std::string(text)); }

Result<Catalogue> Catalogue::fromText(std::string text) {
  auto fail = [](std::string m) {
    Diagnostic d;
    d.message = "catalogue: " + std::move(m);
    return d;
  };
  auto store = std::make_shared<Store>();
  store->text = std::move(text);
  const std::string_view all = store->text;
  // Everything before the "packages" line is the header (about, keys, tags, locks).
  constexpr std::string_view kPackages = "\n\"packages\": {\n";
  const auto at = all.find(kPackages);
  if (at == std::string_view::npos) return fail("no \"packages\" object (one package per line)");
  std::string head(all.substr(0, at + 1));
  head += "\"packages\": {}}";
  auto j = nlohmann::json::parse(head, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail("not valid JSON");
  Catalogue c;
  if (j.contains("about") && j["about"].is_object() && j["about"].contains("method") && j["about"]["method"].is_string())
    c.about = j["about"]["method"].get<std::string>();
  if (j.contains("about") && j["about"].is_object() && j["about"].contains("gathered") && j["about"]["gathered"].is_string())
    c.gathered = j["about"]["gathered"].get<std::string>();
  if (j.contains("tags") && j["tags"].is_array())
    for (const auto& t : j["tags"]) store->tags.push_back(t.is_string() ? t.get<std::string>() : std::string());
  if (j.contains("locks") && j["locks"].is_array())
    for (const auto& l : j["locks"]) {
      std::string s;
      if (l.is_array() && l.size() >= 3 && l[0].is_string() && l[1].is_string() && l[2].is_string())
        s = l[0].get<std::string>() + "/" + l[1].get<std::string>() + "@" + l[2].get<std::string>().substr(0, 12);
      store->locks.push_back(s);
    }
  // "name":[...],   one per line, up to the closing "}}".
  std::size_t pos = at + kPackages.size();
  while (pos < all.size()) {
    auto eol = all.find('\n', pos);
    if (eol == std::string_view::npos) eol = all.size();
    std::string_view line = all.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.size() < 4 || line[0] != '"') continue;
    auto q = line.find('"', 1);
    if (q == std::string_view::npos || q + 1 >= line.size() || line[q + 1] != ':') return fail("bad package line");
    std::string_view value = line.substr(q + 2);
    while (!value.empty() && (value.back() == ',' || value.back() == '\r' || value.back() == ' ')) value.remove_suffix(1);
    store->index.push_back({line.substr(1, q - 1), value});
  }
  std::sort(store->index.begin(), store->index.end(), [](const Store::Line& a, const Store::Line& b) { return a.name < b.name; });
  c.store_ = std::move(store);
  return c;
}

Result<Catalogue> Catalogue::fromCompressed(std::string_view bytes) {
  auto text = zstdDecompress(bytes);
  if (!text) {
    Diagnostic d = text.error();
    d.message = "catalogue: " + d.message;
    return d;
  }
  return fromText(std::move(*text));
}

const std::vector<CatalogueRelease>* Catalogue::stored(std::string_view n) const {
  if (!store_) return nullptr;
  const Store::Line* l = store_->line(n);
  if (!l) return nullptr;
  std::lock_guard<std::mutex> lock(store_->mutex);
  auto it = store_->decoded.find(n);
  if (it == store_->decoded.end()) it = store_->decoded.emplace(std::string(n), store_->decode(*l)).first;
  return &it->second;  // map nodes stay put: the reference outlives later insertions
}

std::size_t Catalogue::size() const {
  std::size_t n = store_ ? store_->index.size() : 0;
  for (const auto& [name, _] : packages_)
    if (!store_ || !store_->line(name)) ++n;
  return n;
}

std::vector<std::string> Catalogue::names() const {
  std::set<std::string> all;
  if (store_)
    for (const auto& l : store_->index) all.insert(normalizeName(l.name));
  for (const auto& [name, _] : packages_) all.insert(name);
  return {all.begin(), all.end()};
}

Catalogue Catalogue::fromLock(const LockFile& lock) {
  Catalogue c;
  c.about = lock.kind + " " + lock.file;
  for (const auto& p : lock.packages) {
    if (p.isProject() || p.version.empty()) continue;
    CatalogueRelease r;
    r.name = p.name;
    r.version = p.version;
    if (p.hasSdist) r.sdistSize = p.sdistSize.value_or(-1);
    r.wheels = p.wheels;
    r.dependencies = fromLockDeps(p.dependencies);
    for (const auto& [extra, deps] : p.optionalDependencies) r.optionalDependencies[extra] = fromLockDeps(deps);
    r.source = lock.file + ":" + std::to_string(p.line);
    r.fileListKnown = p.fileListKnown;
    c.add(std::move(r));
  }
  return c;
}

void Catalogue::add(CatalogueRelease release) {
  for (auto& w : release.wheels)
    if (!w.prepared) prepareWheel(w);
  auto found = packages_.find(release.name);
  if (found == packages_.end()) {
    found = packages_.emplace(release.name, std::vector<CatalogueRelease>{}).first;
    if (const auto* s = stored(release.name)) found->second = *s;  // the catalogue's releases, then this one
  }
  auto& list = found->second;
  auto same = std::find_if(list.begin(), list.end(), [&](const CatalogueRelease& r) {
    auto a = Version::parse(r.version), b = Version::parse(release.version);
    return a && b ? *a == *b : r.version == release.version;
  });
  if (same != list.end()) {
    if (!release.fileListKnown && same->fileListKnown) {  // keep the files we know of
      release.wheels = same->wheels;
      release.sdistSize = same->sdistSize;
      release.wheelListPartial = same->wheelListPartial;
      release.fileListKnown = true;
      release.source += " (files: " + same->source + ")";
    } else {  // sizes the new data lacks (poetry.lock has none) from the same files of the old
      for (auto& w : release.wheels)
        if (w.size < 0)
          for (const auto& old : same->wheels)
            if (old.filename == w.filename && old.size >= 0) w.size = old.size;
      if (release.sdistSize && *release.sdistSize < 0 && same->sdistSize && *same->sdistSize >= 0)
        release.sdistSize = same->sdistSize;
    }
    *same = std::move(release);
  }
  else list.push_back(std::move(release));
  std::stable_sort(list.begin(), list.end(), [](const CatalogueRelease& a, const CatalogueRelease& b) {
    auto va = Version::parse(a.version), vb = Version::parse(b.version);
    if (va && vb) return *vb < *va;
    return static_cast<bool>(va) && !vb;
  });
}

void Catalogue::merge(const Catalogue& other) {
  if (other.store_ && other.store_ != store_) {
    if (!store_ && packages_.empty()) {
      store_ = other.store_;  // shared, still decoded on demand
      if (about.empty()) about = other.about;
      if (gathered.empty()) gathered = other.gathered;
    } else {
      for (const auto& l : other.store_->index)
        for (const auto& r : *other.stored(l.name)) add(r);
    }
  }
  for (const auto& [name, list] : other.packages_)
    for (const auto& r : list) add(r);
}

const std::vector<CatalogueRelease>& Catalogue::find(std::string_view name) const {
  const std::string n = normalizeName(name);
  auto it = packages_.find(n);
  if (it != packages_.end()) return it->second;
  const auto* s = stored(n);
  return s ? *s : kNone;
}

const ResolvedPackage* Resolution::find(std::string_view name) const {
  std::string n = normalizeName(name);
  for (const auto& p : packages)
    if (p.name == n) return &p;
  return nullptr;
}

Resolution resolve(const std::vector<Requirement>& requirements, const Target& target, const Catalogue& catalogue,
                   const ResolveOptions& options) {
  Resolution out;
  const Environment env = Environment::forTarget(target);
  const auto tagIndex = tagIndexFor(target);
  const TagIndex& tags = *tagIndex;
  std::set<std::pair<std::string, std::string>> reported;
  auto unknown = [&](const std::string& name, const std::string& reason, const std::string& by) {
    if (reported.insert({name, reason}).second) out.unknowns.push_back({name, reason, by});
  };
  auto inList = [](const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end() || std::find(list.begin(), list.end(), ":all:") != list.end();
  };

  std::map<std::string, SpecifierSet> specs, constraints;
  std::map<std::string, std::vector<const Requirement*>> askedBy, constrainedBy;  // for conflict messages
  std::map<std::string, std::string> notes;  // name -> why it is included although its markers are false
  std::map<std::string, std::set<std::string>> extras;
  std::map<std::string, std::size_t> index;  // name -> position in out.packages
  std::deque<std::pair<std::string, std::string>> queue;  // (name, required by)

  for (const auto& r : requirements) {
    if (!r.applies(env)) continue;
    if (r.constraint) {
      if (!r.name.empty()) {
        constraints[r.name].add(r.specifier);
        constrainedBy[r.name].push_back(&r);
      }
      continue;
    }
    if (!r.url.empty() || r.name.empty()) {
      unknown(r.name.empty() ? r.url : r.name,
              std::string(r.editable ? "editable " : "") + "direct reference " + r.url + ": not in the catalogue (built from source)", "");
      continue;
    }
    specs[r.name].add(r.specifier);
    askedBy[r.name].push_back(&r);
    extras[r.name].insert(r.extras.begin(), r.extras.end());
    queue.emplace_back(r.name, "");
  }

  while (!queue.empty()) {
    const std::string name = queue.front().first;  // (no structured bindings: lambdas below capture them)
    const std::string by = queue.front().second;
    queue.pop_front();
    auto seen = index.find(name);
    if (seen != index.end()) {
      auto& p = out.packages[seen->second];
      if (std::find(p.requiredBy.begin(), p.requiredBy.end(), by) == p.requiredBy.end()) p.requiredBy.push_back(by);
      std::set<std::string> have(p.extras.begin(), p.extras.end());
      if (std::includes(have.begin(), have.end(), extras[name].begin(), extras[name].end())) continue;
      // New extras: fall through and add their dependencies.
    }
    if (seen != index.end() && out.packages[seen->second].debian) {
      for (const auto& x : extras[name])
        if (std::find(out.packages[seen->second].extras.begin(), out.packages[seen->second].extras.end(), x) ==
            out.packages[seen->second].extras.end())
          unknown(name + "[" + x + "]", "dependencies of extra '" + x + "' are not known (" + name + " is sized from Debian's package)", by);
      continue;
    }
    const auto& releases = catalogue.find(name);
    if (releases.empty()) {
      std::optional<DebianProxyEntry> deb;
      const DebianBuild* build = nullptr;
      if (options.debian && (deb = options.debian->find(name)))
        build = DebianProxy::pick(*deb, target.arch == "aarch64" || target.arch == "arm64" ? "arm64" : "amd64",
                                  options.debianSuite);
      if (!build) {
        unknown(name, "not in the catalogue", by);
        continue;
      }
      // No wheel data: Debian's build of the project stands in, stated as a proxy.
      ResolvedPackage p;
      p.name = name;
      p.version = build->upstreamVersion();
      p.requiredBy.push_back(by);
      p.debian = *build;
      p.debianPackage = deb->package;
      p.source = "Debian " + build->suite + " main " + build->arch + " Packages (" + deb->package + " " + build->version +
                 "), named by dh-python's cpython3_fallback";
      std::string asked = specs[name].empty() ? "" : " (asked " + specs[name].str() + ")";
      p.note = "proxy: Debian " + deb->package + " " + p.version + ", installed size" + asked;
      p.distribution.reason = "no wheel data for " + name + ": Debian's package stands in";
      p.extras.assign(extras[name].begin(), extras[name].end());
      out.proxies.push_back(name + ": " + p.note + " (Installed-Size " + std::to_string(build->installedKiB) + " KiB, " +
                            build->suite + "/" + build->arch + (build->archAll ? ", Architecture: all" : "") +
                            "; source: " + p.source + ")");
      for (const auto& x : p.extras)
        unknown(name + "[" + x + "]", "dependencies of extra '" + x + "' are not known (" + name + " is sized from Debian's package)", by);
      index[name] = out.packages.size();
      out.packages.push_back(std::move(p));
      for (const auto& d : deb->dependencies) queue.emplace_back(d, name);
      continue;
    }
    SpecifierSet spec = specs[name];
    spec.add(constraints[name]);
    std::vector<Version> versions;
    std::vector<const CatalogueRelease*> byVersion;
    for (const auto& r : releases)
      if (auto v = Version::parse(r.version)) {
        versions.push_back(*v);
        byVersion.push_back(&r);
      }
    std::optional<std::size_t> best;
    if (auto pin = options.pinned.find(name); pin != options.pinned.end())
      for (std::size_t i = 0; i < byVersion.size(); ++i)
        if (byVersion[i]->version == pin->second && spec.contains(versions[i], true)) {
          best = i;
          break;
        }
    if (!best) best = spec.best(versions, options.pip.pre);
    if (!best) {
      std::string conflict = findConflict(askedBy[name], constrainedBy[name], versions);
      std::string have;
      for (const auto& r : releases) have += (have.empty() ? "" : ", ") + r.version;
      unknown(name, conflict.empty() ? "no version in the catalogue satisfies '" + spec.str() + "' (it has " + have + ")" : conflict,
              by);
      continue;
    }
    const CatalogueRelease& rel = *byVersion[*best];
    std::size_t at;
    if (seen == index.end()) {
      ResolvedPackage p;
      p.name = name;
      p.version = rel.version;
      SelectionPolicy policy;
      policy.onlyBinary = inList(options.pip.onlyBinary, name);
      policy.noBinary = inList(options.pip.noBinary, name);
      p.distribution = selectDistribution(rel, tags, policy);
      p.requiredBy.push_back(by);
      p.source = rel.source;
      p.wheelListPartial = rel.wheelListPartial;
      if (auto n = notes.find(name); n != notes.end()) p.note = n->second;
      if (p.distribution.kind == Selection::None && !rel.fileListKnown)
        p.distribution.reason = rel.source + " lists no files for " + name + " " + rel.version +
                                " (and the catalogue has none): which file pip picks is not known";
      if (p.distribution.kind == Selection::None) unknown(name, p.distribution.reason, by);
      at = out.packages.size();
      index[name] = at;
      out.packages.push_back(std::move(p));
    } else {
      at = seen->second;
    }
    std::vector<std::string> active(extras[name].begin(), extras[name].end());
    out.packages[at].extras = active;

    auto follow = [&](const std::vector<CatalogueDependency>& deps) {
      // Occurrences of one dependency name together: it applies when any marker is true.
      std::vector<std::string> order;
      std::map<std::string, std::vector<const CatalogueDependency*>> occurrences;
      for (const auto& d : deps) {
        auto& list = occurrences[d.name];
        if (list.empty()) order.push_back(d.name);
        list.push_back(&d);
      }
      for (const auto& depName : order) {
        const auto& occ = occurrences[depName];
        std::vector<const CatalogueDependency*> take, falseOnes;
        bool forkLike = true, conflictExtra = false;
        for (const auto* d : occ) {
          if (d->marker.empty()) {
            take.push_back(d);
            continue;
          }
          auto m = Marker::parse(d->marker);
          if (!m) {
            unknown(depName, "marker of dependency not understood: " + m.error().message, name);
            continue;
          }
          if (m->evaluate(env, active)) take.push_back(d);
          else {
            falseOnes.push_back(d);
            forkLike = forkLike && onlyForkVariables(d->marker, &conflictExtra);
          }
        }
        if (take.empty() && !falseOnes.empty()) {
          if ((falseOnes.size() >= 2 || conflictExtra) && forkLike) {
            // Complementary python/platform splits of one lock's resolution (or uv's conflict-set
            // extras), none of them for this target: that lock resolved the target elsewhere.
            // Include rather than drop.
            take = falseOnes;
            notes.emplace(depName, "every marker " + name + " has for it is false here, but they only split on "
                                   "python/platform (or uv conflict extras) like uv.lock resolution forks: included");
          } else {
            for (const auto* d : falseOnes) out.skippedByMarker.push_back({depName, d->marker, name});
            continue;
          }
        }
        for (const auto* d : take) {
          extras[depName].insert(d->extras.begin(), d->extras.end());
          queue.emplace_back(depName, name);
        }
      }
    };
    // The catalogued version nearest to this one (newer first on a tie) that has what `has` asks.
    auto nearest = [&](auto has) -> const CatalogueRelease* {
      const std::size_t at0 = static_cast<std::size_t>(&rel - releases.data());
      for (std::size_t k = 1; k < releases.size(); ++k)
        for (std::size_t j : {at0 - k, at0 + k})
          if (j < releases.size() && has(releases[j])) return &releases[j];
      return nullptr;
    };
    if (rel.dependencies) {
      follow(*rel.dependencies);
    } else {
      // The lock this version came from did not record its dependencies: the nearest catalogued
      // version that does stands in (newer first on a tie), said as a proxy.
      const CatalogueRelease* other = nearest([](const CatalogueRelease& r) { return r.dependencies.has_value(); });
      if (other) {
        follow(*other->dependencies);
        std::string msg = name + " " + rel.version + ": dependencies read from " + name + " " + other->version +
                          " (the nearest catalogued version that records them; " + rel.version + "'s lock entry does not)";
        if (std::find(out.proxies.begin(), out.proxies.end(), msg) == out.proxies.end()) out.proxies.push_back(msg);
      } else {
        unknown(name, "dependencies of " + name + " " + rel.version + " are not known", by);
      }
    }
    for (const auto& x : active) {
      auto od = rel.optionalDependencies.find(x);
      if (od != rel.optionalDependencies.end()) {
        follow(od->second);
        continue;
      }
      // A lock records only the extras its project asked for: take them from the nearest
      // catalogued version that records this extra (newer first on a tie), and say so.
      const CatalogueRelease* other = nearest([&x](const CatalogueRelease& r) { return r.optionalDependencies.count(x) > 0; });
      if (other) {
        follow(other->optionalDependencies.at(x));
        std::string msg = name + "[" + x + "]: dependencies of extra '" + x + "' read from " + name + " " + other->version +
                          " (the nearest catalogued version that records them; " + rel.version + "'s lock entries do not)";
        if (std::find(out.proxies.begin(), out.proxies.end(), msg) == out.proxies.end()) out.proxies.push_back(msg);
      } else {
        unknown(name + "[" + x + "]", "dependencies of extra '" + x + "' are not known", by);
      }
    }
  }
  // Only what stayed out: a dependency skipped on one path but pulled in by another is installed.
  std::set<std::tuple<std::string, std::string, std::string>> seenSkip;
  std::erase_if(out.skippedByMarker, [&](const SkippedDependency& s) {
    return index.count(s.name) || !seenSkip.insert({s.name, s.marker, s.requiredBy}).second;
  });
  return out;
}

}  // namespace slimbench::python
