#include "python/project.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <toml++/toml.h>

namespace slimbench::python {

namespace fs = std::filesystem;

namespace {

Diagnostic diag(const std::string& file, int line, int column, std::string msg) {
  Diagnostic d;
  d.where.file = file;
  d.where.line = line;
  d.where.column = column;
  d.message = std::move(msg);
  return d;
}

int lineOf(const toml::node& n) { return static_cast<int>(n.source().begin.line); }
int columnOf(const toml::node& n) { return static_cast<int>(n.source().begin.column); }

std::optional<toml::table> parseToml(std::string_view text, const std::string& name, std::vector<Diagnostic>& errors) {
  if (auto bad = checkText(text, name)) {
    errors.push_back(*bad);
    return std::nullopt;
  }
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    errors.push_back(diag(name, static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column),
                          "invalid TOML: " + std::string(e.description())));
    return std::nullopt;
  }
}

// A PEP 508 string in a TOML array -> requirement with file/line, or an error.
void addPep508(const toml::node& n, const std::string& file, const std::string& group, std::vector<Requirement>& out,
               std::vector<Diagnostic>& errors) {
  auto s = n.value<std::string>();
  if (!s) {
    errors.push_back(diag(file, lineOf(n), columnOf(n), "expected a PEP 508 requirement string"));
    return;
  }
  auto r = parseRequirement(*s);
  if (!r) {
    // +1 for the opening quote of the TOML string
    errors.push_back(diag(file, lineOf(n), columnOf(n) + r.error().where.column, r.error().message));
    return;
  }
  r->file = file;
  r->line = lineOf(n);
  r->group = group;
  out.push_back(std::move(*r));
}

std::string joinSpec(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : ",") + p;
  return s;
}

// Poetry's table or string form of one dependency.
void addPoetryDependency(const std::string& key, const toml::node& n, const std::string& file, const std::string& group,
                         std::vector<Requirement>& out, std::vector<Diagnostic>& errors) {
  Requirement r;
  r.name = normalizeName(key);
  r.file = file;
  r.line = lineOf(n);
  r.group = group;
  std::string constraint, markers, python;
  if (auto s = n.value<std::string>()) {
    constraint = *s;
  } else if (const toml::table* t = n.as_table()) {
    constraint = (*t)["version"].value_or(std::string());
    markers = (*t)["markers"].value_or(std::string());
    python = (*t)["python"].value_or(std::string());
    if (auto ex = (*t)["extras"].as_array())
      for (const auto& e : *ex)
        if (auto v = e.value<std::string>()) r.extras.push_back(normalizeName(*v));
    std::sort(r.extras.begin(), r.extras.end());
    for (const char* k : {"git", "url", "path", "file"})
      if (auto v = (*t)[k].value<std::string>()) r.url = (std::string(k) == "git" ? "git+" : "") + *v;
    if ((*t)["develop"].value_or(false)) r.editable = true;
    if ((*t)["optional"].value_or(false) && group.empty()) r.group = "optional";
  } else if (n.as_array()) {
    errors.push_back(diag(file, lineOf(n), columnOf(n),
                          "multiple-constraint Poetry dependency '" + key + "' is not supported; it is left unresolved"));
    return;
  } else {
    errors.push_back(diag(file, lineOf(n), columnOf(n), "expected a version string or a table for '" + key + "'"));
    return;
  }
  if (!constraint.empty()) {
    auto spec = poetryConstraintToPep440(constraint);
    if (!spec) {
      errors.push_back(diag(file, lineOf(n), columnOf(n), "'" + key + "': " + spec.error().message));
      return;
    }
    auto set = SpecifierSet::parse(*spec);
    if (!set) {
      errors.push_back(diag(file, lineOf(n), columnOf(n), "'" + key + "': " + set.error().message));
      return;
    }
    r.specifier = *set;
  }
  std::string marker = markers;
  if (!python.empty()) {
    auto spec = poetryConstraintToPep440(python);
    if (spec) {
      std::string pm;
      for (const auto& part : SpecifierSet::parse(*spec) ? SpecifierSet::parse(*spec)->specifiers : std::vector<Specifier>{})
        pm += (pm.empty() ? "" : " and ") + std::string("python_version ") + part.op + " \"" + part.version + "\"";
      if (!pm.empty()) marker = marker.empty() ? pm : "(" + marker + ") and " + pm;
    }
  }
  if (!marker.empty()) {
    auto m = Marker::parse(marker);
    if (!m) {
      errors.push_back(diag(file, lineOf(n), columnOf(n), "'" + key + "' markers: " + m.error().message));
      return;
    }
    r.marker = *m;
  }
  r.text = key + (constraint.empty() ? "" : " " + constraint);
  out.push_back(std::move(r));
}

std::string urlFileName(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  auto slash = url.find_last_of('/');
  std::string_view f = slash == std::string_view::npos ? url : url.substr(slash + 1);
  std::string out;
  for (std::size_t i = 0; i < f.size(); ++i) {  // percent-decoding (%2B is "+" in local versions)
    if (f[i] == '%' && i + 2 < f.size()) {
      try {
        out += static_cast<char>(std::stoi(std::string(f.substr(i + 1, 2)), nullptr, 16));
        i += 2;
        continue;
      } catch (...) {
      }
    }
    out += f[i];
  }
  return out;
}

std::vector<LockDependency> uvDependencies(const toml::array* deps) {
  std::vector<LockDependency> out;
  if (!deps) return out;
  for (const auto& d : *deps) {
    const toml::table* t = d.as_table();
    if (!t) continue;
    LockDependency ld;
    ld.name = normalizeName((*t)["name"].value_or(std::string()));
    ld.marker = (*t)["marker"].value_or(std::string());
    if (auto ex = (*t)["extra"].as_array())
      for (const auto& e : *ex)
        if (auto v = e.value<std::string>()) ld.extras.push_back(normalizeName(*v));
    out.push_back(std::move(ld));
  }
  return out;
}

// poetry.lock `files` entries: wheels by name (sizes unknown), anything else an sdist.
// For [metadata.files] (one list per name, possibly several versions) only p's version is kept.
void addPoetryFiles(const toml::array& files, LockedPackage& p, bool matchVersion) {
  auto version = Version::parse(p.version);
  for (const auto& f : files) {
    const toml::table* ft = f.as_table();
    if (!ft) continue;
    std::string fn = (*ft)["file"].value_or(std::string());
    if (fn.empty()) continue;
    if (fn.size() > 4 && fn.substr(fn.size() - 4) == ".whl") {
      if (matchVersion && version) {
        if (auto w = WheelName::parse(fn))
          if (auto wv = Version::parse(w->version); wv && !(*wv == *version)) continue;
      }
      p.wheels.push_back({fn, -1});
    } else {
      if (matchVersion && !p.version.empty() && fn.find("-" + p.version + ".") == std::string::npos) continue;
      p.hasSdist = true;
    }
  }
  p.fileListKnown = true;
}

}  // namespace

Result<std::string> poetryConstraintToPep440(std::string_view constraint) {
  auto fail = [](std::string m) {
    Diagnostic d;
    d.message = std::move(m);
    return d;
  };
  std::string c(constraint);
  if (c.find("||") != std::string::npos || c.find('|') != std::string::npos)
    return fail("alternatives ('||') in Poetry constraint '" + c + "' are not supported");
  // Clauses are separated by commas or (Poetry) by whitespace between complete clauses.
  std::vector<std::string> words;
  std::string cur;
  for (std::size_t i = 0; i <= c.size(); ++i) {
    char ch = i < c.size() ? c[i] : ',';
    if (ch == ',') {
      if (!cur.empty()) words.push_back(cur);
      cur.clear();
    } else if (ch == ' ' || ch == '\t') {
      // a space ends a clause only when what follows starts a new operator or version after a complete clause
      std::size_t j = i;
      while (j < c.size() && (c[j] == ' ' || c[j] == '\t')) ++j;
      bool curHasVersion = !cur.empty() && std::isalnum(static_cast<unsigned char>(cur.back()));
      if (curHasVersion && j < c.size() && c[j] != ',') {
        words.push_back(cur);
        cur.clear();
      }
      i = j - 1;
    } else {
      cur += ch;
    }
  }
  std::vector<std::string> out;
  for (const auto& w : words) {
    if (w == "*") continue;
    auto bounds = [&](std::string_view v, bool caret) -> Result<std::string> {
      auto parsed = Version::parse(v);
      if (!parsed) return fail("invalid version in '" + w + "': " + parsed.error().message);
      const auto& rel = parsed->release;
      std::size_t n = rel.size();
      std::size_t idx;
      if (caret) {
        idx = n - 1;
        for (std::size_t k = 0; k < n; ++k)
          if (rel[k] != 0) { idx = k; break; }
      } else {
        idx = std::min<std::size_t>(n - 1, 1);
      }
      std::string upper;
      for (std::size_t k = 0; k <= idx; ++k) upper += (k ? "." : "") + std::to_string(k == idx ? rel[k] + 1 : rel[k]);
      return ">=" + parsed->str() + ",<" + upper;
    };
    if (w[0] == '^') {
      auto b = bounds(std::string_view(w).substr(1), true);
      if (!b) return b;
      out.push_back(*b);
    } else if (w[0] == '~' && (w.size() < 2 || w[1] != '=')) {
      auto b = bounds(std::string_view(w).substr(1), false);
      if (!b) return b;
      out.push_back(*b);
    } else if (std::isdigit(static_cast<unsigned char>(w[0])) || w[0] == 'v') {
      out.push_back("==" + w);
    } else if (w[0] == '=' && (w.size() < 2 || w[1] != '=')) {
      out.push_back("=" + w);
    } else {
      out.push_back(w);
    }
  }
  return joinSpec(out);
}

Pyproject parsePyprojectText(std::string_view text, const std::string& name) {
  Pyproject p;
  auto tbl = parseToml(text, name, p.errors);
  if (!tbl) return p;
  const toml::table& t = *tbl;
  if (auto proj = t["project"].as_table()) {
    p.name = (*proj)["name"].value_or(std::string());
    p.requiresPython = (*proj)["requires-python"].value_or(std::string());
    if (auto deps = (*proj)["dependencies"].as_array())
      for (const auto& d : *deps) addPep508(d, name, "", p.requirements, p.errors);
    if (auto opt = (*proj)["optional-dependencies"].as_table())
      for (const auto& [extra, arr] : *opt)
        if (auto a = arr.as_array())
          for (const auto& d : *a) addPep508(d, name, normalizeName(extra.str()), p.requirements, p.errors);
  }
  // PEP 735 groups, with include-group expanded (cycles reported).
  if (auto groups = t["dependency-groups"].as_table()) {
    std::function<void(const std::string&, const std::string&, std::vector<std::string>&)> expand =
        [&](const std::string& g, const std::string& as, std::vector<std::string>& stack) {
          const toml::node* node = nullptr;
          for (const auto& [k, v] : *groups)
            if (normalizeName(k.str()) == normalizeName(g)) node = &v;
          if (!node || !node->as_array()) {
            p.errors.push_back(diag(name, 0, 0, "dependency group '" + g + "' is not defined (or not a list)"));
            return;
          }
          if (std::find(stack.begin(), stack.end(), normalizeName(g)) != stack.end()) {
            p.errors.push_back(diag(name, lineOf(*node), columnOf(*node), "dependency group '" + g + "' includes itself"));
            return;
          }
          stack.push_back(normalizeName(g));
          for (const auto& d : *node->as_array()) {
            if (auto inc = d.as_table()) {
              if (auto ig = (*inc)["include-group"].value<std::string>()) expand(*ig, as, stack);
              else p.errors.push_back(diag(name, lineOf(d), columnOf(d), "expected a string or {include-group = ...}"));
            } else {
              addPep508(d, name, as, p.requirements, p.errors);
            }
          }
          stack.pop_back();
        };
    for (const auto& [k, v] : *groups) {
      std::vector<std::string> stack;
      expand(std::string(k.str()), "group:" + normalizeName(k.str()), stack);
    }
  }
  if (auto poetry = t["tool"]["poetry"].as_table()) {
    if (p.name.empty()) p.name = (*poetry)["name"].value_or(std::string());
    auto addTable = [&](const toml::table* deps, const std::string& group) {
      if (!deps) return;
      for (const auto& [k, v] : *deps) {
        if (k.str() == "python") {
          if (p.requiresPython.empty())
            if (auto s = v.value<std::string>())
              if (auto c = poetryConstraintToPep440(*s)) p.requiresPython = *c;
          continue;
        }
        addPoetryDependency(std::string(k.str()), v, name, group, p.requirements, p.errors);
      }
    };
    addTable((*poetry)["dependencies"].as_table(), "");
    addTable((*poetry)["dev-dependencies"].as_table(), "group:dev");
    if (auto groups = (*poetry)["group"].as_table())
      for (const auto& [g, gt] : *groups)
        if (auto gtab = gt.as_table()) {
          addTable((*gtab)["dependencies"].as_table(), "group:" + normalizeName(g.str()));
          if ((*gtab)["optional"].value_or(false)) p.optionalGroups.push_back(normalizeName(g.str()));
        }
  }
  // uv's sources: torch from a named index of download.pytorch.org (one entry, or a list by marker).
  if (auto sources = t["tool"]["uv"]["sources"].as_table()) {
    std::map<std::string, std::string> indexUrl;
    if (auto indexes = t["tool"]["uv"]["index"].as_array())
      for (const auto& ix : *indexes)
        if (auto it = ix.as_table()) indexUrl[(*it)["name"].value_or(std::string())] = (*it)["url"].value_or(std::string());
    for (const auto& [k, v] : *sources) {
      const std::string n = normalizeName(std::string(k.str()));
      if (n != "torch" && n != "torchvision" && n != "torchaudio") continue;
      std::vector<const toml::table*> entries;
      if (auto one = v.as_table()) entries.push_back(one);
      if (auto many = v.as_array())
        for (const auto& e : *many)
          if (auto et = e.as_table()) entries.push_back(et);
      for (const auto* e : entries) {
        auto it = indexUrl.find((*e)["index"].value_or(std::string()));
        if (it != indexUrl.end() && it->second.find("download.pytorch.org") != std::string::npos) {
          p.torchIndex = n + " from " + it->second + " ([tool.uv.sources])";
          break;
        }
      }
      if (!p.torchIndex.empty()) break;
    }
  }
  return p;
}

Pyproject parsePyproject(const std::string& path) {
  auto text = readTextFile(path);
  if (!text) {
    Pyproject p;
    p.errors.push_back(text.error());
    return p;
  }
  return parsePyprojectText(*text, path);
}

LockFile parseUvLockText(std::string_view text, const std::string& name) {
  LockFile lf;
  lf.kind = "uv.lock";
  lf.file = name;
  auto tbl = parseToml(text, name, lf.errors);
  if (!tbl) return lf;
  lf.requiresPython = (*tbl)["requires-python"].value_or(std::string());
  auto pkgs = (*tbl)["package"].as_array();
  if (!pkgs) return lf;
  for (const auto& node : *pkgs) {
    const toml::table* t = node.as_table();
    if (!t) continue;
    LockedPackage p;
    p.line = lineOf(node);
    p.name = normalizeName((*t)["name"].value_or(std::string()));
    p.version = (*t)["version"].value_or(std::string());
    if (p.name.empty()) {
      lf.errors.push_back(diag(name, p.line, columnOf(node), "[[package]] without a name"));
      continue;
    }
    if (auto src = (*t)["source"].as_table())
      for (const auto& [k, v] : *src) {
        p.source = std::string(k.str()) + ":" + v.value_or(std::string());
        break;
      }
    if (auto sd = (*t)["sdist"].as_table()) {
      p.hasSdist = true;
      if (auto sz = (*sd)["size"].value<std::int64_t>()) p.sdistSize = *sz;
    }
    if (auto ws = (*t)["wheels"].as_array())
      for (const auto& w : *ws)
        if (auto wt = w.as_table()) {
          DistFile f;
          std::string url = (*wt)["url"].value_or((*wt)["path"].value_or((*wt)["filename"].value_or(std::string())));
          f.filename = urlFileName(url);
          f.size = (*wt)["size"].value_or(std::int64_t{-1});
          if (!f.filename.empty()) p.wheels.push_back(f);
        }
    p.dependencies = uvDependencies((*t)["dependencies"].as_array());
    if (auto od = (*t)["optional-dependencies"].as_table())
      for (const auto& [k, v] : *od) p.optionalDependencies.emplace_back(normalizeName(k.str()), uvDependencies(v.as_array()));
    if (auto dd = (*t)["dev-dependencies"].as_table())
      for (const auto& [k, v] : *dd) p.devDependencies.emplace_back(normalizeName(k.str()), uvDependencies(v.as_array()));
    lf.packages.push_back(std::move(p));
  }
  return lf;
}

LockFile parsePoetryLockText(std::string_view text, const std::string& name) {
  LockFile lf;
  lf.kind = "poetry.lock";
  lf.file = name;
  auto tbl = parseToml(text, name, lf.errors);
  if (!tbl) return lf;
  lf.requiresPython = (*tbl)["metadata"]["python-versions"].value_or(std::string());
  auto pkgs = (*tbl)["package"].as_array();
  if (!pkgs) return lf;
  for (const auto& node : *pkgs) {
    const toml::table* t = node.as_table();
    if (!t) continue;
    LockedPackage p;
    p.line = lineOf(node);
    p.name = normalizeName((*t)["name"].value_or(std::string()));
    p.version = (*t)["version"].value_or(std::string());
    if (auto src = (*t)["source"].as_table()) p.source = (*src)["type"].value_or(std::string()) + ":" + (*src)["url"].value_or(std::string());
    p.marker = (*t)["marker"].value_or(std::string());  // lock-version 1.x
    p.category = (*t)["category"].value_or(std::string());  // lock-version 1.x: main | dev
    if (auto files = (*t)["files"].as_array()) addPoetryFiles(*files, p, false);
    else p.fileListKnown = false;  // maybe under [metadata.files] (lock-version 1.x), read below
    if (auto deps = (*t)["dependencies"].as_table())
      for (const auto& [k, v] : *deps) {
        const std::string depName = normalizeName(k.str());  // (clang 14: no structured bindings in lambdas)
        auto one = [&](const toml::node& d) {
          LockDependency ld;
          ld.name = depName;
          if (auto s = d.value<std::string>()) ld.specifier = *s;
          else if (auto dt = d.as_table()) {
            ld.specifier = (*dt)["version"].value_or(std::string());
            ld.marker = (*dt)["markers"].value_or(std::string());
            if ((*dt)["optional"].value_or(false)) return;  // only with the parent's extra
            if (auto ex = (*dt)["extras"].as_array())
              for (const auto& e : *ex)
                if (auto s2 = e.value<std::string>()) ld.extras.push_back(normalizeName(*s2));
          }
          p.dependencies.push_back(std::move(ld));
        };
        if (auto arr = v.as_array()) for (const auto& d : *arr) one(d);
        else one(v);
      }
    lf.packages.push_back(std::move(p));
  }
  // lock-version 1.x: file lists under [metadata.files] (name -> [{file, hash}]), no sizes.
  if (auto mf = (*tbl)["metadata"]["files"].as_table())
    for (const auto& [k, v] : *mf) {
      const toml::array* files = v.as_array();
      if (!files) continue;
      for (auto& p : lf.packages)
        if (!p.fileListKnown && p.name == normalizeName(k.str())) addPoetryFiles(*files, p, true);
    }
  // A package-level marker (1.x) holds for every dependency edge that reaches the package.
  std::map<std::string, std::string> packageMarker;
  for (const auto& p : lf.packages)
    if (!p.marker.empty()) packageMarker[p.name] = p.marker;
  auto withPackageMarker = [&](std::vector<LockDependency>& deps) {
    for (auto& d : deps) {
      auto it = packageMarker.find(d.name);
      if (it == packageMarker.end()) continue;
      d.marker = d.marker.empty() ? it->second : "(" + d.marker + ") and (" + it->second + ")";
    }
  };
  for (auto& p : lf.packages) {
    withPackageMarker(p.dependencies);
    for (auto& od : p.optionalDependencies) withPackageMarker(od.second);
  }
  return lf;
}

namespace {
// Reads a lock file and parses its text; a read error becomes the lock's error.
LockFile readLock(const std::string& path, const char* kind, LockFile (*parseText)(std::string_view, const std::string&)) {
  auto text = readTextFile(path);
  if (text) return parseText(*text, path);
  LockFile lf;
  lf.kind = kind;
  lf.file = path;
  lf.errors.push_back(text.error());
  return lf;
}
}  // namespace

LockFile parseUvLock(const std::string& path) { return readLock(path, "uv.lock", parseUvLockText); }

LockFile parsePoetryLock(const std::string& path) { return readLock(path, "poetry.lock", parsePoetryLockText); }

namespace {

// The lock's root project dependencies (or every package) as pinned requirements.
std::vector<Requirement> lockRequirements(const LockFile& lf) {
  std::map<std::string, const LockedPackage*> byName;
  for (const auto& p : lf.packages) byName.emplace(p.name, &p);
  std::vector<Requirement> out;
  auto pinned = [&](const std::string& n, const std::string& marker, const std::vector<std::string>& extras, int line,
                    const std::string& group) {
    Requirement r;
    r.name = n;
    r.extras = extras;
    r.group = group;
    auto it = byName.find(n);
    if (it != byName.end() && !it->second->version.empty())
      if (auto s = SpecifierSet::parse("==" + it->second->version)) r.specifier = *s;
    if (!marker.empty())
      if (auto m = Marker::parse(marker)) r.marker = *m;
    r.file = lf.file;
    r.line = line;
    r.text = r.str();
    out.push_back(std::move(r));
  };
  bool hasRoot = false;
  for (const auto& p : lf.packages)
    if (p.isProject()) {
      hasRoot = true;
      for (const auto& d : p.dependencies) pinned(d.name, d.marker, d.extras, p.line, "");
      for (const auto& [extra, deps] : p.optionalDependencies)
        for (const auto& d : deps) pinned(d.name, d.marker, d.extras, p.line, extra);
      for (const auto& [group, deps] : p.devDependencies)
        for (const auto& d : deps) pinned(d.name, d.marker, d.extras, p.line, "group:" + group);
    }
  if (!hasRoot) {
    // No root entry (poetry.lock): every package, each with the marker under which it is
    // installed: its own (lock-version 1.x), else the markers of the dependencies reaching it.
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> incoming;  // name -> (parent, marker)
    for (const auto& p : lf.packages)
      for (const auto& d : p.dependencies) incoming[d.name].emplace_back(p.name, d.marker);
    std::map<std::string, std::string> memo;
    std::set<std::string> busy;
    std::function<std::string(const std::string&)> markerOf = [&](const std::string& n) -> std::string {
      if (auto m = memo.find(n); m != memo.end()) return m->second;
      auto own = byName.find(n);
      if (own != byName.end() && !own->second->marker.empty()) return memo[n] = own->second->marker;
      auto in = incoming.find(n);
      if (in == incoming.end() || !busy.insert(n).second) return "";  // a root (or a cycle): always
      std::vector<std::string> terms;
      bool always = false;
      for (const auto& edge : in->second) {
        std::string parent = busy.count(edge.first) ? "" : markerOf(edge.first);
        std::string term = edge.second.empty() ? parent
                           : parent.empty()    ? edge.second
                                               : "(" + parent + ") and (" + edge.second + ")";
        if (term.empty()) { always = true; break; }
        if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(term);
      }
      busy.erase(n);
      std::string m;
      if (!always)
        for (const auto& t : terms) m += (m.empty() ? "(" : " or (") + t + ")";
      if (m.size() > 4000 || !Marker::parse(m)) m.clear();  // too long to be useful: say always
      return memo[n] = m;
    };
    for (const auto& p : lf.packages) pinned(p.name, markerOf(p.name), {}, p.line, p.category == "dev" ? "group:dev" : "");
  }
  return out;
}

std::string pickRequirementsFile(const fs::path& dir) {
  if (fs::is_regular_file(dir / "requirements.txt")) return (dir / "requirements.txt").string();
  for (const char* n : {"requirements/prod.txt", "requirements/production.txt", "requirements/base.txt", "requirements/main.txt"})
    if (fs::is_regular_file(dir / n)) return (dir / n).string();
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string f = e.path().filename().string();
    if (e.is_regular_file() && f.rfind("requirements", 0) == 0 && f.size() > 4 && f.substr(f.size() - 4) == ".txt")
      found.push_back(e.path().string());
  }
  std::sort(found.begin(), found.end());
  return found.empty() ? std::string() : found.front();
}

}  // namespace

ProjectInput loadProject(const std::string& path, const ParseOptions& options) {
  ProjectInput in;
  fs::path p(path);
  std::error_code ec;
  auto readLock = [&](const fs::path& dir) {
    if (fs::is_regular_file(dir / "uv.lock", ec)) in.lock = parseUvLock((dir / "uv.lock").string());
    else if (fs::is_regular_file(dir / "poetry.lock", ec)) in.lock = parsePoetryLock((dir / "poetry.lock").string());
    if (in.lock) {
      in.files.push_back(in.lock->file);
      in.errors.insert(in.errors.end(), in.lock->errors.begin(), in.lock->errors.end());
    }
  };
  auto readPyproject = [&](const std::string& file) {
    in.kind = "pyproject";
    in.files.push_back(file);
    auto pp = parsePyproject(file);
    in.requirements = std::move(pp.requirements);
    in.requiresPython = pp.requiresPython;
    in.torchIndex = pp.torchIndex;
    in.optionalGroups = pp.optionalGroups;
    in.errors.insert(in.errors.end(), pp.errors.begin(), pp.errors.end());
  };
  auto readRequirements = [&](const std::string& file) {
    in.kind = "requirements";
    auto rf = parseRequirementsFile(file, options);
    in.files.insert(in.files.end(), rf.files.begin(), rf.files.end());
    in.requirements = std::move(rf.requirements);
    in.options = rf.options;
    in.errors.insert(in.errors.end(), rf.errors.begin(), rf.errors.end());
  };
  auto fromLock = [&] {
    in.kind = in.lock->kind;
    in.requirements = lockRequirements(*in.lock);
    in.requiresPython = in.lock->requiresPython;
  };
  if (fs::is_directory(p, ec)) {
    std::string req = pickRequirementsFile(p);
    bool hasPyproject = fs::is_regular_file(p / "pyproject.toml", ec);
    if (!req.empty()) readRequirements(req);
    else if (hasPyproject) readPyproject((p / "pyproject.toml").string());
    readLock(p);
    if (in.kind.empty()) {
      if (in.lock) fromLock();
      else in.errors.push_back(diag(path, 0, 0, "no requirements*.txt, pyproject.toml, uv.lock or poetry.lock in this folder"));
    }
    return in;
  }
  std::string fname = p.filename().string();
  if (fname == "uv.lock" || fname == "poetry.lock") {
    in.lock = fname == "uv.lock" ? parseUvLock(path) : parsePoetryLock(path);
    in.files.push_back(path);
    in.errors = in.lock->errors;
    fromLock();
  } else if (fname == "pyproject.toml" || (fname.size() > 5 && fname.substr(fname.size() - 5) == ".toml")) {
    readPyproject(path);
    readLock(p.parent_path().empty() ? fs::path(".") : p.parent_path());
  } else {
    readRequirements(path);
  }
  return in;
}

}  // namespace slimbench::python
