// Variants as transformations of the user's Dockerfile (issue 11): the original's stages and
// instructions are walked in order; each is kept as written, or changed only where the variant
// is about it (base family, where build tools live, dependency files before the source, pip's
// cache, how wheels reach the final stage, a non-root user), with a fidelity entry saying so.
#include <algorithm>
#include <regex>
#include <set>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "catalogue/base_images.h"
#include "catalogue/system_packages.h"
#include "dockerfile/runops.h"
#include "generate/variants.h"

// `x == "literal"sv` compares lengths first, inline (x == "literal" is strlen + memcmp in a call).
using namespace std::string_view_literals;

namespace slimbench::generate {

using dockerfile::Kind;
using dockerfile::Model;
using dockerfile::Stage;
using dockerfile::Step;

// ---------------------------------------------------------------- PackageMap

Result<PackageMap> PackageMap::fromJson(std::string_view text, const std::string& name) {
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("packages") || !j["packages"].is_object())
    return errorAt(name, "not a package mapping: expected an object with \"packages\"");
  PackageMap m;
  for (const auto& [deb, e] : j["packages"].items()) {
    if (!e.is_object()) return errorAt(name, "package \"" + deb + "\": expected an object with build, run and sources");
    Entry en;
    if (e.contains("build")) en.build = e["build"].get<std::vector<std::string>>();
    if (e.contains("run")) en.run = e["run"].get<std::vector<std::string>>();
    if (!e.contains("sources") || !e["sources"].is_array() || e["sources"].empty())
      return errorAt(name, "package \"" + deb + "\" has no sources");
    en.source = e["sources"][0].get<std::string>();
    for (const auto& b : en.build) m.reverse_[b].push_back({deb, true});
    for (const auto& r : en.run) m.reverse_[r].push_back({deb, false});
    m.entries_[deb] = std::move(en);
  }
  if (j.contains("executables") && j["executables"].is_object() && j["executables"].contains("paths"))
    for (const auto& e : j["executables"]["paths"])
      if (e.is_object() && e.contains("alpine") && e.contains("debian") && e.contains("sources"))
        m.executables_.emplace_back(e["alpine"].get<std::string>(), e["debian"].get<std::string>());
  if (j.contains("alpine_to_debian") && j["alpine_to_debian"].is_object() && j["alpine_to_debian"].contains("names"))
    for (const auto& [alp, e] : j["alpine_to_debian"]["names"].items()) {
      if (!e.is_object() || !e.contains("debian") || !e.contains("sources") || e["sources"].empty())
        return errorAt(name, "alpine_to_debian \"" + alp + "\": expected debian and sources");
      const bool build = e.value("build", false);
      for (const auto& deb : e["debian"]) m.alpineOnly_[alp].push_back({deb.get<std::string>(), build});
    }
  if (j.contains("alpine_renamed") && j["alpine_renamed"].is_object() && j["alpine_renamed"].contains("names"))
    for (const auto& [old, e] : j["alpine_renamed"]["names"].items())
      if (e.is_object() && e.contains("now") && e.contains("sources")) m.alpineRenamed_[old] = e["now"].get<std::string>();
  if (j.contains("alpine_python") && j["alpine_python"].is_object() && j["alpine_python"].contains("releases"))
    for (const auto& [rel, e] : j["alpine_python"]["releases"].items()) {
      if (!e.is_object() || !e.contains("python") || !e["python"].is_string() || !e.contains("sources") || e["sources"].empty())
        return errorAt(name, "alpine_python release \"" + rel + "\": expected python and sources");
      m.alpinePython_[rel] = e["python"].get<std::string>();
    }
  if (j.contains("alpine_python_packages") && j["alpine_python_packages"].is_object()) {
    const auto& ap = j["alpine_python_packages"];
    if (ap.contains("provided") && ap["provided"].is_object())
      for (const auto& [pkg, what] : ap["provided"].items())
        if (pkg != "sources"sv) m.pythonProvided_.insert(pkg);
    if (ap.contains("pypi") && ap["pypi"].is_object())
      for (const auto& [pkg, e] : ap["pypi"].items()) {
        if (!e.is_object() || !e.contains("pypi") || !e["pypi"].is_string() || !e.contains("sources") || e["sources"].empty())
          return errorAt(name, "alpine_python_packages pypi \"" + pkg + "\": expected pypi and sources");
        m.py3Pypi_[pkg] = e["pypi"].get<std::string>();
      }
  }
  if (j.contains("commands") && j["commands"].is_object() && j["commands"].contains("alpine"))
    for (const auto& [cmd, pkg] : j["commands"]["alpine"].items())
      if (pkg.is_string()) m.alpineCommands_[cmd] = pkg.get<std::string>();
  return m;
}

std::string PackageMap::alpineCommandPackage(const std::string& command) const {
  auto it = alpineCommands_.find(command);
  return it == alpineCommands_.end() ? std::string() : it->second;
}

std::string PackageMap::pythonOfAlpine(const std::string& release) const {
  auto it = alpinePython_.find(release);
  return it == alpinePython_.end() ? std::string() : it->second;
}

std::optional<std::string> PackageMap::plainAlpineRelease(const std::string& image) {
  auto [repo, tagName] = catalogue::splitImageRef(image.substr(0, image.find('@')));
  if (repo != "alpine"sv && !(repo.size() > 7 && repo.compare(repo.size() - 7, 7, "/alpine") == 0)) return std::nullopt;
  static const std::regex rel(R"(^(\d+\.\d+)(\.\d+)?$)");
  std::smatch mm;
  return std::regex_match(tagName, mm, rel) ? mm[1].str() : std::string();
}

bool PackageMap::providedByPythonImage(const std::string& alpineName) const {
  const std::string& n = alpineName;
  return pythonProvided_.count(n) > 0 || (n.rfind("py3-", 0) == 0 && n.size() > 8 && n.compare(n.size() - 4, 4, "-pyc") == 0);
}

std::string PackageMap::pypiOfAlpine(const std::string& alpineName) const {
  if (auto it = py3Pypi_.find(alpineName); it != py3Pypi_.end()) return it->second;
  if (alpineName.rfind("py3-", 0) != 0 || alpineName.size() <= 4) return {};
  return alpineName.substr(4);
}

const PackageMap::Entry* PackageMap::debian(const std::string& n) const {
  auto it = entries_.find(n);
  return it == entries_.end() ? nullptr : &it->second;
}

const std::vector<std::pair<std::string, bool>>* PackageMap::alpine(const std::string& n) const {
  auto it = reverse_.find(n);
  if (it == reverse_.end())
    if (auto renamed = alpineRenamed_.find(n); renamed != alpineRenamed_.end()) it = reverse_.find(renamed->second);
  if (it == reverse_.end())
    if (auto only = alpineOnly_.find(n); only != alpineOnly_.end()) return &only->second;
  return it == reverse_.end() ? nullptr : &it->second;
}

namespace {

// ---------------------------------------------------------------- small helpers

std::string join(const std::vector<std::string>& v, const std::string& sep = " ") {
  std::string s;
  for (const auto& w : v) s += (s.empty() ? "" : sep) + w;
  return s;
}

void addUnique(std::vector<std::string>& v, const std::string& s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// addUnique for a list that grows with the Dockerfile (every package of every RUN): the scan of
// addUnique made a 100k-line file's variants quadratic. Indexes `v` (which it may start with).
class UniqueList {
 public:
  explicit UniqueList(std::vector<std::string>& v) : items_(v), seen_(v.begin(), v.end()) {}
  void add(const std::string& s) {
    if (!s.empty() && seen_.insert(s).second) items_.push_back(s);
  }
  bool has(const std::string& s) const { return seen_.count(s) > 0; }

 private:
  std::vector<std::string>& items_;
  std::unordered_set<std::string> seen_;
};

// The lines of `text`, without their newlines (views into it: it must outlive them).
std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string pkgName(const std::string& spec) { return spec.substr(0, spec.find_first_of("=:")); }

enum class Family { Debian, Alpine };

// Writes the variant text and remembers why each added line is there.
class Out {
 public:
  void raw(const std::string& text, const std::string& why = {}) {
    const std::size_t from = out_.size();
    out_ += text;
    if (text.empty() || text.back() != '\n') out_ += '\n';
    for (std::size_t i = from; i < out_.size(); ++i)
      if (out_[i] == '\n') {
        ++line_;
        if (!why.empty()) notes_.push_back({line_, why});
      }
  }
  // Room for a text of about this size (the original's: most variants keep most of it), so that a
  // 100k-line text is not grown by doubling, to up to twice its size.
  void reserve(std::size_t bytes) { out_.reserve(bytes); }
  int line() const { return line_; }
  // The text written, moved out (no copy of a 100k-line text).
  std::string take() {
    if (out_.capacity() > out_.size() + out_.size() / 4 + 4096) out_.shrink_to_fit();  // a text much shorter than the original
    return std::move(out_);
  }
  std::vector<LineNote> takeNotes() { return std::move(notes_); }

 private:
  std::string out_;
  int line_ = 0;
  std::vector<LineNote> notes_;
};

std::string runText(const std::vector<std::string>& commands, const std::string& flags = {}) {
  if (commands.empty()) return {};
  std::string s = "RUN " + (flags.empty() ? "" : flags + " \\\n    ") + commands[0];
  for (std::size_t i = 1; i < commands.size(); ++i) s += " \\\n    && " + commands[i];
  return s;
}

// ---------------------------------------------------------------- base images

struct BaseTag {
  bool python = false;
  std::string repo, version, release;  // release: bookworm, trixie, alpine3.20, ... or ""
  std::string flavor;                  // "", "slim", "alpine"
  std::string digest;
  // A plain alpine:X.Y base that installs python3 with apk, standing as python:<its Python> on the
  // Debian side: alpineRelease is X.Y ("" when the tag names none).
  bool plainAlpine = false;
  std::string alpineRelease;
};

BaseTag parseBase(const std::string& image) {
  BaseTag b;
  std::string ref = image;
  auto at = ref.find('@');
  if (at != std::string::npos) {
    b.digest = ref.substr(at);
    ref = ref.substr(0, at);
  }
  auto [repo, tag] = catalogue::splitImageRef(ref);
  b.repo = repo;
  const bool py = repo == "python"sv || (repo.size() > 7 && repo.compare(repo.size() - 7, 7, "/python") == 0);
  if (!py) return b;
  static const std::regex re(R"(^(\d+(?:\.\d+)*)?(?:-?(slim|alpine[0-9.]*))?(?:-(slim))?(?:-([a-z]+))?$)");
  std::smatch m;
  if (!std::regex_match(tag, m, re)) return b;
  b.python = true;
  b.version = m[1];
  std::string f = m[2];
  if (f.rfind("alpine", 0) == 0) {
    b.flavor = "alpine";
    if (f.size() > 6) b.release = f;  // alpine3.20
  } else if (!f.empty()) {
    b.flavor = "slim";
  }
  if (m[3].matched) b.flavor = "slim";
  if (m[4].matched) b.release = m[4];
  return b;
}

Family familyOfImage(const std::string& image) {
  return image.find("alpine") != std::string::npos ? Family::Alpine : Family::Debian;
}

// ---------------------------------------------------------------- shell segments

// A command as one line of a comment: newlines and runs of blanks become one space.
std::string oneLineText(const std::string& text) {
  std::string out;
  for (char ch : text) {
    const char c = ch == '\n' || ch == '\t' || ch == '\r' ? ' ' : ch;
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

// Whether two shell texts run the same commands: the same words (quotes removed) joined by the
// same operators, however they are laid out over lines.
bool sameCommands(const std::string& a, const std::string& b) {
  const auto x = dockerfile::splitShell(a), y = dockerfile::splitShell(b);
  if (x.size() != y.size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (x[i].argv != y[i].argv || x[i].op != y[i].op || x[i].depth != y[i].depth || x[i].redirects != y[i].redirects ||
        x[i].negated != y[i].negated)
      return false;
  return true;
}

struct Segment {
  std::string sep;   // separator before it: "" (first), "&&", ";"
  std::string text;  // trimmed
  int slot = -1;     // a package install the transform writes there (its index), instead of text
};

// Splits a shell script at top-level && and ; (not inside quotes, $( ), ( ), { }, or
// for/while/until/if/case bodies), so other commands of a RUN survive unchanged.
std::vector<Segment> splitSegments(const std::string& s) {
  std::vector<Segment> segs;
  std::string cur, sep;
  int paren = 0, kw = 0;
  char quote = 0;
  std::string word;
  auto endWord = [&] {
    if (word == "for"sv || word == "while"sv || word == "until"sv || word == "if"sv || word == "case"sv) ++kw;
    else if ((word == "done"sv || word == "fi"sv || word == "esac"sv) && kw > 0) --kw;
    word.clear();
  };
  auto flush = [&](const std::string& nextSep) {
    auto b = cur.find_first_not_of(" \t\n\\");
    auto e = cur.find_last_not_of(" \t\n\\");
    std::string t = b == std::string::npos ? "" : cur.substr(b, e - b + 1);
    if (!t.empty()) segs.push_back({segs.empty() ? "" : sep, t});
    cur.clear();
    sep = nextSep;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      cur += c;
      if (c == '\\' && quote == '"' && i + 1 < s.size()) cur += s[++i];
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '\\' && i + 1 < s.size()) {
      cur += c;
      cur += s[++i];
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      cur += c;
      continue;
    }
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word += c;
      cur += c;
      continue;
    }
    endWord();
    if (c == '(' || c == '{') ++paren;
    if ((c == ')' || c == '}') && paren > 0) --paren;
    if (paren == 0 && kw == 0) {
      if (c == '&' && i + 1 < s.size() && s[i + 1] == '&') {
        flush("&&");
        ++i;
        continue;
      }
      if (c == ';' && !(i + 1 < s.size() && s[i + 1] == ';')) {
        flush(";");
        continue;
      }
    }
    cur += c;
  }
  endWord();
  flush("");
  return segs;
}

std::string joinSegments(const std::vector<Segment>& segs) {
  std::string s;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    if (i) s += (segs[i].sep == ";"sv ? "; \\\n    " : " \\\n    && ");
    s += segs[i].text;
  }
  return s;
}

// ---------------------------------------------------------------- what a segment does

enum class SegKind { Other, PkgUpdate, PkgInstall, PkgCleanup, DepInstall, ToolPip, ProjectPip, ToolInstall };

struct SegInfo {
  SegKind kind = SegKind::Other;
  std::vector<std::string> packages;     // PkgInstall: specs as written
  std::vector<std::string> options;      // PkgInstall: the option words as written (-y, --no-install-recommends)
  struct {
    std::string tool, action;  // of the recognised operation (apt-get install, apk del, pip install, ...)
  } op;
};

// A local path, not a distribution name: ".", "./src", "/app", "../lib", a wheel or sdist file, with
// extras or quotes as written (.[all], '.[dev,test]', "./pkg[x]").
bool isPathSpec(const std::string& spec) {
  std::string p = dockerfile::unquoted(spec);
  if (auto open = p.find('['); open != std::string::npos) p.resize(open);
  return p == "."sv || p == ".."sv || p.rfind("./", 0) == 0 || p.rfind("/", 0) == 0 || p.rfind("../", 0) == 0 ||
         p.find(".whl") != std::string::npos || p.find(".tar.gz") != std::string::npos || p.find(".zip") != std::string::npos;
}

bool isToolPackage(const std::string& spec) {
  static const std::set<std::string> tools = {"pip", "setuptools", "wheel", "poetry", "uv", "pipenv", "pip-tools", "virtualenv"};
  std::string n = spec.substr(0, spec.find_first_of("=<>!~[ ;"));
  std::transform(n.begin(), n.end(), n.begin(), ::tolower);
  return tools.count(n) > 0;
}

SegInfo classify(const Segment& seg) {
  SegInfo info;
  auto cmds = dockerfile::splitShell(seg.text);
  if (cmds.size() != 1) return info;
  auto ops = dockerfile::recogniseOperations(cmds);
  if (ops.empty()) {
    // uv sync / poetry install are recognised by runops; anything else is the user's own command.
    return info;
  }
  const auto& op = ops[0];
  info.op = {op.tool, op.action};
  const auto& argv = cmds[0].argv;
  if (op.tool == "apt-get"sv || op.tool == "apt"sv || op.tool == "apk"sv) {
    if (op.action == "update"sv) info.kind = SegKind::PkgUpdate;
    else if (op.action == "install"sv || op.action == "add"sv) {
      if (!op.dynamic.empty()) return info;
      info.kind = SegKind::PkgInstall;
      info.packages = op.packages;
      bool after = false;
      const bool apt = op.tool != "apk"sv;
      for (std::size_t k = 0; k < argv.size(); ++k) {
        const auto& w = argv[k];
        if (w == "install"sv || w == "add"sv) {
          after = true;
          continue;
        }
        // apt's target release takes a value (-t bookworm-backports): kept with it.
        if (after && apt && (w == "-t"sv || w == "--target-release"sv || w == "--default-release"sv) && k + 1 < argv.size()) {
          addUnique(info.options, w + " " + argv[++k]);
          continue;
        }
        if (after && !w.empty() && w[0] == '-' && w != "--virtual"sv && w != "-t"sv && w.rfind("--virtual=", 0) != 0 && w != "--no-cache"sv)
          addUnique(info.options, w);
      }
    } else if (op.action == "clean"sv || op.action == "purge"sv || op.action == "remove"sv || op.action == "autoremove"sv || op.action == "del"sv)
      info.kind = SegKind::PkgCleanup;
    return info;
  }
  if (op.tool == "rm"sv) {
    bool lists = !op.packages.empty() && std::all_of(op.packages.begin(), op.packages.end(), [](const std::string& p) {
      return p.find("/var/lib/apt/lists") != std::string::npos || p.find("/var/cache/apt") != std::string::npos ||
             p.find("/var/cache/apk") != std::string::npos;
    });
    if (lists) info.kind = SegKind::PkgCleanup;
    return info;
  }
  if (op.tool == "pip"sv && op.action == "install"sv) {
    if (!op.dynamic.empty()) return info;
    bool reqs = false;
    for (const auto& r : op.requirementFiles) reqs |= r.find('$') == std::string::npos;
    bool named = false, paths = !op.editables.empty(), tools = false;
    for (const auto& p : op.packages) {
      if (isPathSpec(p)) paths = true;
      else if (isToolPackage(p)) tools = true;
      else named = true;
    }
    if (reqs || named) info.kind = SegKind::DepInstall;
    else if (paths) info.kind = SegKind::ProjectPip;
    else if (tools) info.kind = SegKind::ToolPip;
    return info;
  }
  if ((op.tool == "uv"sv && (op.action == "sync"sv || op.action == "install"sv)) || (op.tool == "poetry"sv && op.action == "install"sv))
    info.kind = SegKind::ToolInstall;
  return info;
}

struct ClassifiedSegment {
  Segment seg;
  SegInfo info;
};

// A RUN's segments as the variants need them. Most RUNs are only the user's own commands (every
// segment Other): those keep no segments, as a variant keeps such a RUN unchanged.
struct ClassifiedScript {
  bool allOther = true;
  std::vector<ClassifiedSegment> segments;  // empty when allOther
};

ClassifiedScript classifyScript(const std::string& script) {
  ClassifiedScript out;
  for (auto& seg : splitSegments(script)) {
    SegInfo info = classify(seg);
    out.allOther &= info.kind == SegKind::Other;
    out.segments.push_back({std::move(seg), std::move(info)});
  }
  return out;
}

}  // namespace

// Keyed by the RUN's script text: the same text splits and classifies the same way in every variant.
// Shared by variants made at the same time: entries are added under the lock and never change
// (an unordered_map keeps references to its elements valid as it grows). The key is a view of
// the step's own script, kept alive by the step content the entry holds.
struct TransformCache::Impl {
  struct Entry {
    std::shared_ptr<const dockerfile::StepContent> text;  // what the key points into
    ClassifiedScript classified;
  };
  std::mutex mutex;
  std::unordered_map<std::string_view, Entry> segments;
  // The same by the instruction's content object (kept alive by its entry): most lookups are of
  // contents the variants share with your Dockerfile's model, found without hashing the text.
  std::unordered_map<const dockerfile::StepContent*, const ClassifiedScript*> byContent;
};
TransformCache::TransformCache() : impl(std::make_unique<Impl>()) {}
TransformCache::~TransformCache() = default;
void TransformCache::release() {
  std::lock_guard<std::mutex> lock(impl->mutex);
  decltype(impl->segments)().swap(impl->segments);
  decltype(impl->byContent)().swap(impl->byContent);
}

namespace {

const ClassifiedScript& classifiedOf(TransformCache::Impl& cache, const Step& step) {
  const std::string& script = step.script();
  const dockerfile::StepContent* content = step.content.get();
  {
    std::lock_guard<std::mutex> lock(cache.mutex);
    if (content)
      if (auto it = cache.byContent.find(content); it != cache.byContent.end()) return *it->second;
    auto it = cache.segments.find(std::string_view(script));
    if (it != cache.segments.end()) {
      if (content && it->second.text.get() == content) cache.byContent.emplace(content, &it->second.classified);
      return it->second.classified;
    }
  }
  ClassifiedScript out = classifyScript(script);
  if (out.allOther) out.segments = {};  // not kept: see ClassifiedScript
  std::shared_ptr<const dockerfile::StepContent> holder = step.content;
  std::string_view key(script);
  std::lock_guard<std::mutex> lock(cache.mutex);
  auto& entry = cache.segments.try_emplace(key, TransformCache::Impl::Entry{std::move(holder), std::move(out)}).first->second;
  if (content && entry.text.get() == content) cache.byContent.emplace(content, &entry.classified);
  return entry.classified;
}

// The segments that are not Other (those kept; a RUN of only the user's commands has none).
const std::vector<ClassifiedSegment>& segmentsOf(TransformCache::Impl& cache, const Step& step) {
  return classifiedOf(cache, step).segments;
}


// A command joined from continuation lines keeps each line's indentation ("site-packages"     -r
// req.txt): written on one line again, each run of blanks outside quotes becomes one space.
std::string singleSpaced(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quote) {
      out += ch;
      if (ch == '\\' && quote == '"' && i + 1 < text.size()) out += text[++i];
      else if (ch == quote) quote = 0;
      continue;
    }
    if (ch == '\\' && i + 1 < text.size()) {
      out += ch;
      out += text[++i];
      continue;
    }
    if (ch == '\'' || ch == '"') quote = ch;
    if ((ch == ' ' || ch == '\t') && !out.empty() && (out.back() == ' ')) continue;
    out += ch == '\t' ? ' ' : ch;
  }
  return out;
}

// pip install with its cache off (the variants exist to leave pip's cache out).
std::string withoutPipCache(const std::string& text) {
  if (text.find("--no-cache-dir") != std::string::npos) return text;
  static const std::regex re(R"(\b(pip3?|pip3\.\d+|-m pip)(\s+install)\b)");
  std::string t = std::regex_replace(text, re, "$1$2 --no-cache-dir", std::regex_constants::format_first_only);
  return t == text ? t : singleSpaced(t);
}

// ---------------------------------------------------------------- the transformation

struct Ctx {
  VariantKind kind;
  const Model& m;
  std::vector<std::string_view> lines;  // the original's lines, for exact text
  const ProjectShape& shape;
  const SystemNeeds& needs;
  const PackageKnowledge& pk;
  Out out;
  VariantText result;
  Family target = Family::Debian;
  std::string debianTag;  // the variant's Debian base (its release decides package names)
  bool single = true;  // fat, slim, alpine
  bool pythonImage = false;  // the variant's final base is a python:* image (its Python in /usr/local)
  TransformCache::Impl* cache = nullptr;
  TextPool reasons{};  // fidelity reasons, one copy of each
};

// Exact source text of lines [a, b] (1-based) of the original.
std::string sourceLines(const Ctx& c, int a, int b) {
  std::string s;
  for (int i = a; i <= b && i >= 1 && i <= static_cast<int>(c.lines.size()); ++i) {
    s += c.lines[i - 1];
    s += '\n';
  }
  return s;
}

// The shared-library packages of a Debian -dev package, named as the variant's release names them.
std::vector<std::string> runtimeOf(const Ctx& c, const std::string& dev) {
  std::vector<std::string> libs;
  if (!c.pk.debianRuntimeOf) return libs;
  for (const auto& lib : c.pk.debianRuntimeOf(dev)) {
    std::string there = c.pk.debianIn && !c.debianTag.empty() ? c.pk.debianIn(lib, c.debianTag) : lib;
    if (!there.empty()) addUnique(libs, there);
  }
  return libs;
}

void fidelity(Ctx& c, int line, SharedText text, const char* action, const std::string& reason) {
  c.result.fidelity.push_back({line, std::move(text), action, c.reasons.get(reason)});
}


struct Roles {
  std::vector<std::string> build, run;  // in the target family
  // Alpine's Python packages on a python:* Debian base: PyPI names for pip (py3-yaml → PyYAML), and
  // what the python image has already (python3, py3-pip, python3-dev, bytecode packages).
  std::vector<std::string> pip, provided;
  std::vector<std::pair<std::string, std::string>> untranslated;  // (package, why)
  bool translated = false;
};

// Splits packages of one install by role, translating them to the target family.
Roles splitRoles(Ctx& c, const std::vector<std::string>& specs, Family from, bool withRuntimeOfDev) {
  Roles r;
  for (const auto& spec : specs) {
    const std::string name = pkgName(spec);
    const bool build = catalogue::isBuildToolPackage(name);
    if (from == c.target) {
      if (build) {
        addUnique(r.build, spec);
        if (withRuntimeOfDev && from == Family::Debian && c.pk.debianRuntimeOf)
          for (const auto& lib : runtimeOf(c, name)) addUnique(r.run, lib);
        if (withRuntimeOfDev && from == Family::Alpine && c.pk.map)
          if (auto* debs = c.pk.map->alpine(name))
            for (const auto& [deb, isBuild] : *debs)
              if (isBuild)
                if (auto* e = c.pk.map->debian(deb))
                  for (const auto& lib : e->run) addUnique(r.run, lib);
      } else {
        addUnique(r.run, spec);
      }
      continue;
    }
    r.translated = true;
    if (!c.pk.map) {
      r.untranslated.push_back({name, "no package mapping loaded"});
      continue;
    }
    // Python itself and Alpine's Python libraries, onto a python:* Debian image: that image's own
    // Python (in /usr/local) has the interpreter, headers and pip, and gets libraries from pip;
    // Debian's python3-* packages would install a second Python beside it.
    if (from == Family::Alpine && c.target == Family::Debian && c.pythonImage) {
      if (c.pk.map->providedByPythonImage(name)) {
        addUnique(r.provided, name);
        continue;
      }
      if (auto pypi = c.pk.map->pypiOfAlpine(name); !pypi.empty()) {
        addUnique(r.pip, pypi);
        continue;
      }
    }
    if (from == Family::Debian) {
      const auto* e = c.pk.map->debian(name);
      if (!e) {
        r.untranslated.push_back({name, "no Alpine mapping in debian-to-alpine.json, and Alpine's package index is not available offline"});
        continue;
      }
      for (const auto& b : e->build) addUnique(r.build, b);
      for (const auto& x : e->run) addUnique(r.run, x);
    } else {
      if (const auto* all = c.pk.map->alpineToDebian(name)) {
        for (const auto& [mapped, isBuild] : *all) {
          // The mapping names bookworm's packages: the variant's release may call the library otherwise.
          std::string deb = mapped;
          if (c.pk.debianIn && !c.debianTag.empty())
            if (auto there = c.pk.debianIn(mapped, c.debianTag); !there.empty()) deb = there;
          addUnique(isBuild ? r.build : r.run, deb);
          if (isBuild && withRuntimeOfDev && c.pk.debianRuntimeOf)
            for (const auto& lib : runtimeOf(c, deb)) addUnique(r.run, lib);
        }
        continue;
      }
      const auto* debs = c.pk.map->alpine(name);
      if (!debs || debs->empty()) {
        // No mapping: Debian's own package index decides (nginx, tini, nodejs have the same name there).
        if (c.pk.debianHas && c.pk.debianHas(name)) {
          if (build) addUnique(r.build, name);
          else addUnique(r.run, name);
          continue;
        }
        r.untranslated.push_back({name, c.pk.debianHas ? "not in Debian's package index" : "no Debian package index loaded"});
        continue;
      }
      // Prefer the entry with the same name; else, for a runtime name, a Debian runtime-only package
      // (libjpeg-turbo → libjpeg62-turbo, not libjpeg-dev); else the first.
      std::string deb = (*debs)[0].first;
      bool isBuild = (*debs)[0].second;
      bool exact = false;
      for (const auto& [d, b] : *debs)
        if (d == name) deb = d, isBuild = b, exact = true;
      if (!exact && !isBuild)
        for (const auto& [d, b] : *debs)
          if (!b) {
            const auto* e = c.pk.map->debian(d);
            if (e && e->build.empty()) {
              deb = d;
              break;
            }
          }
      if (name == "build-base"sv) deb = "build-essential", isBuild = true;
      if (name == "musl-dev"sv) deb = "libc6-dev", isBuild = true;
      if (isBuild) {
        addUnique(r.build, deb);
        if (withRuntimeOfDev && c.pk.debianRuntimeOf)
          for (const auto& lib : runtimeOf(c, deb)) addUnique(r.run, lib);
      } else {
        addUnique(r.run, deb);
      }
    }
  }
  return r;
}

std::vector<std::string> installCmds(Family f, const std::vector<std::string>& pkgs, const std::vector<std::string>& aptOptions,
                                     bool cleanup = true) {
  if (pkgs.empty()) return {};
  if (f == Family::Alpine) return {"apk add --no-cache " + join(pkgs)};
  std::vector<std::string> opts = aptOptions;
  if (std::find(opts.begin(), opts.end(), "-y") == opts.end() && std::find(opts.begin(), opts.end(), "--yes") == opts.end() &&
      std::find(opts.begin(), opts.end(), "-qy") == opts.end() && std::find(opts.begin(), opts.end(), "-yq") == opts.end())
    opts.insert(opts.begin(), "-y");
  std::vector<std::string> cmds = {"apt-get update", "apt-get install " + join(opts) + " " + join(pkgs)};
  if (cleanup) cmds.push_back("rm -rf /var/lib/apt/lists/*");
  return cmds;
}

// The dependency install of the original's final image, found by walking its steps.
struct DepPlan {
  int stage = -1;     // stage (of the final chain) holding the dependency install
  int stepIndex = -1; // the first RUN installing dependencies
  int insertAt = -1;  // where the variant installs them: that RUN, or the first source COPY before it
  bool pipDeps = false;    // pip install -r / named packages (the variant writes the install)
  bool toolDeps = false;   // uv sync / poetry install (kept, build tools wrapped around it)
  std::vector<std::string> reqPaths;     // -r paths as written (no shell variables)
  std::vector<std::string> constraintPaths;
  std::vector<std::string> named;        // named requirements
  std::vector<std::string> indexOptions; // --index-url X, --extra-index-url X, ...
  bool depFilesAvailable = false;        // copied before insertAt by the original
  std::string pip = "pip";               // the pip the user runs: venv/bin/pip, python3 -m pip, pip3, ...
  std::string pipEnv;                    // VAR=value words before it (PIP_INDEX_URL=…): the variant's install keeps them
  // The user's other pip options, as written (--break-system-packages, --user, --prefix DIR,
  // --target DIR, --upgrade, --no-deps, ...): a variant keeps them.
  std::vector<std::string> pipOptions;
  std::string scope;                     // of the first install: system, venv, user, prefix, target, ...
  std::string venv;                      // its venv / --prefix / --target directory (as written)
  std::string workdir = "/";             // WORKDIR of the install as written
  // The user's commands in the install's RUN before its first dependency install (a venv made,
  // pip upgraded, a requirements file edited, cd): they move with the install, in order.
  struct Prep {
    std::string text;
    bool venv = false;         // makes the venv the install goes into
    bool keepInFinal = false;  // cd / export / mkdir: also kept where it was (later commands may need it)
  };
  std::vector<Prep> prep;
  bool prepSafe = true;  // every prep command can run without the application source
  // The venv the install goes into (absolute), and the user's command that makes it when that
  // command is in an earlier RUN of the image (to make it in the builder instead).
  std::string venvDir;
  std::string venvCreate, venvCreateWorkdir;
  int venvStage = -1, venvStep = -1;
  std::vector<std::string> reqEdits;  // the user's commands that change requirement files before the install
  std::string userAtInstall;          // USER in effect at the install ("" = root)
  bool localWheels = false;           // installs from a local folder (--find-links DIR, --no-index): the user's own builder
  std::vector<std::string> projectExtras;  // pip install '.[a,b]' / -e '.[a,b]': the extras the export keeps
  // apt packages the install's RUN installs before the install (python3, python3-venv): what the
  // prep commands may need. The fat variant, which keeps them in place, installs them first too.
  std::vector<std::string> prepPackages;
  std::vector<std::string> prepApk;  // apk packages installed before the dependency install in its RUN
  // The install RUN's own --mount flags (a bind of another stage's wheels, a secret for a private
  // index): the install needs them wherever the variant writes it.
  std::string mounts;
};

// The extras of a project path spec: ".[a,b]" / "./[x]" -> {a, b}.
std::vector<std::string> pathExtras(const std::string& spec) {
  std::vector<std::string> out;
  auto open = spec.find('['), close = spec.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::string cur;
  for (char ch : spec.substr(open + 1, close - open - 1)) {
    if (ch == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (ch != ' ' && ch != '\'' && ch != '"') {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// The folder a venv-making command creates (python -m venv DIR, virtualenv DIR, uv venv [DIR]), or "".
std::string venvCreated(const std::string& segment) {
  std::istringstream in(segment);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  std::size_t i = 0;
  while (i < w.size() && w[i].find('=') != std::string::npos && w[i][0] != '-') ++i;  // VAR=value
  if (i >= w.size()) return {};
  const std::string prog = w[i].substr(w[i].rfind('/') == std::string::npos ? 0 : w[i].rfind('/') + 1);
  std::size_t argsFrom = 0;
  std::string fallback;
  if (prog.rfind("python", 0) == 0 && i + 2 < w.size() && w[i + 1] == "-m"sv && (w[i + 2] == "venv"sv || w[i + 2] == "virtualenv"sv))
    argsFrom = i + 3;
  else if (prog == "virtualenv"sv)
    argsFrom = i + 1;
  else if (prog == "uv"sv && i + 1 < w.size() && w[i + 1] == "venv"sv)
    argsFrom = i + 2, fallback = ".venv";
  else
    return {};
  std::string dir;
  static const std::set<std::string> valued = {"--prompt", "-p", "--python", "--upgrade-deps-from"};
  for (std::size_t k = argsFrom; k < w.size(); ++k) {
    if (w[k][0] == '-') {
      if (valued.count(w[k]) && k + 1 < w.size()) ++k;
      continue;
    }
    dir = w[k];
  }
  if (dir.empty()) dir = fallback;
  if (dir.find_first_of("$`") != std::string::npos) return {};
  return dir;
}

std::string absoluteIn(const std::string& path, const std::string& workdir) {
  if (path.empty()) return path;
  std::string r = path.rfind("./", 0) == 0 ? path.substr(2) : path;
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  if (r[0] == '/') return r;
  if (r == "."sv) return workdir;
  return (workdir.back() == '/' ? workdir : workdir + "/") + r;
}

// busybox's adduser/addgroup (Alpine) as Debian's adduser/addgroup, option by option; "" when the
// command is not one of them or has nothing to change. Long options are the same in both.
std::string debianUserCommand(const std::string& segment) {
  std::istringstream in(segment);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  if (w.empty() || (w[0] != "adduser"sv && w[0] != "addgroup"sv)) return {};
  const bool user = w[0] == "adduser"sv;
  std::vector<std::string> out = {w[0]};
  bool changed = false, disabled = false, system = false, gecos = false;
  for (std::size_t i = 1; i < w.size(); ++i) {
    const std::string& a = w[i];
    if (a.rfind("--", 0) == 0 || a.size() != 2 || a[0] != '-') {
      out.push_back(a);
      disabled |= a == "--disabled-password"sv;
      system |= a == "--system"sv;
      gecos |= a == "--gecos"sv || a.rfind("--gecos=", 0) == 0 || a == "--comment"sv;
      continue;
    }
    const char o = a[1];
    const bool valued = i + 1 < w.size();
    std::string mapped;
    if (o == 'S') mapped = "--system", system = true;
    else if (o == 'D' && user) mapped = "--disabled-password", disabled = true;
    else if (o == 'H' && user) mapped = "--no-create-home";
    else if (o == 'g' && !user && valued) mapped = "--gid " + w[++i];
    else if (o == 'g' && user && valued) mapped = "--gecos " + w[++i], gecos = true;
    else if (o == 'u' && user && valued) mapped = "--uid " + w[++i];
    else if (o == 'G' && user && valued) mapped = "--ingroup " + w[++i];
    else if (o == 'h' && user && valued) mapped = "--home " + w[++i];
    else if (o == 's' && user && valued) mapped = "--shell " + w[++i];
    else if (o == 'k' && user && valued) ++i, changed = true;  // a skeleton folder: Debian's default
    else return {};  // an option this translation does not know: left to the user
    out.push_back(mapped);
    changed = true;
  }
  if (!changed) return {};
  // Debian's adduser asks for a name and a password unless told not to.
  if (user && !system && !disabled) out.insert(out.begin() + 1, "--disabled-password");
  if (user && !system && !gecos) out.insert(out.begin() + 1, "--gecos \"\"");
  std::string s;
  for (const auto& x : out) s += (s.empty() ? "" : " ") + x;
  return s;
}

// Executable paths rewritten to where the stage's family installs them (/sbin/tini ↔ /usr/bin/tini),
// each a whole word of the text (a quote, a space, `=`, `(` or the text's end on both sides).
std::string movedExecutablePaths(const std::string& text, const std::vector<std::pair<std::string, std::string>>& paths, bool toDebian,
                                 std::vector<std::string>& moved) {
  std::string t = text;
  auto edge = [](char ch) {
    return ch == '"' || ch == '\'' || ch == ' ' || ch == '\t' || ch == '\n' || ch == ';' || ch == ')' || ch == '(' || ch == '&' ||
           ch == '|' || ch == '=' || ch == '`' || ch == ',' || ch == '[' || ch == ']';
  };
  for (const auto& [alpinePath, debianPath] : paths) {
    const std::string& from = toDebian ? alpinePath : debianPath;
    const std::string& to = toDebian ? debianPath : alpinePath;
    for (std::size_t at = t.find(from); at != std::string::npos; at = t.find(from, at + 1)) {
      const std::size_t end = at + from.size();
      if ((at > 0 && !edge(t[at - 1])) || (end < t.size() && !edge(t[end]))) continue;
      t.replace(at, from.size(), to);
      at += to.size() - 1;
      if (std::find(moved.begin(), moved.end(), from + " → " + to) == moved.end()) moved.push_back(from + " → " + to);
    }
  }
  return t;
}

std::string firstWord(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_first_of(" \t", b) - b);
}

// A pip option as words: --name, --name VALUE (quoted when it holds spaces or shell characters).
std::string pipOptionText(const std::string& name, const std::string& value) {
  std::string o = (name.size() == 1 ? "-" : "--") + name;
  if (value.empty()) return o;
  if (value.find_first_of(" \t'\"$;&|<>*?()") != std::string::npos && value.find('\'') == std::string::npos)
    return o + " '" + value + "'";
  return o + " " + value;
}

// Options a variant writes itself (requirement files, index options) or exists to change (the cache).
bool variantOwnsPipOption(const std::string& k) {
  return k == "requirement"sv || k == "constraint"sv || k == "editable"sv || k == "no-cache-dir"sv || k == "cache-dir"sv ||
         k == "index-url"sv || k == "extra-index-url"sv || k == "trusted-host"sv || k == "find-links"sv || k == "pre"sv;
}

// The leading VAR=value assignments of a pip command (PIP_INDEX_URL=… pip install), each value
// quoted again for the shell where it needs it; `computed` when a value holds $ or a backquote
// (the shell's to expand where the user wrote it).
std::string pipAssignments(const Step& step, const dockerfile::PackageOp& op, bool& computed) {
  const auto& cmds = step.commands();
  if (op.commandIndex < 0 || static_cast<std::size_t>(op.commandIndex) >= cmds.size()) return {};
  std::vector<std::string> words;
  for (const auto& w : cmds[static_cast<std::size_t>(op.commandIndex)].argv) {
    const auto eq = w.find('=');
    if (eq == std::string::npos || eq == 0 || w[0] == '-' ||
        !std::all_of(w.begin(), w.begin() + static_cast<long>(eq), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; }))
      break;
    const std::string value = w.substr(eq + 1);
    computed |= value.find_first_of("$`") != std::string::npos;
    const bool plain = !value.empty() && std::all_of(value.begin(), value.end(), [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) || std::string_view("_-./:,+=@%").find(ch) != std::string_view::npos;
    });
    std::string q;
    for (char ch : value) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    words.push_back(w.substr(0, eq + 1) + (plain ? value : "'" + q + "'"));
  }
  return join(words);
}

// The words before "install" of a pip command, without leading VAR=value assignments.
std::string pipExecutable(const dockerfile::PackageOp& op) {
  std::istringstream in(op.text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) {
    if (w == "install"sv) break;
    if (words.empty() && w.find('=') != std::string::npos) continue;
    words.push_back(w);
  }
  return words.empty() ? std::string("pip") : join(words);
}

bool isDependencyFile(const std::string& source, const std::set<std::string>& reqs) {
  std::string src = source;
  while (src.size() > 1 && src.back() == '/') src.pop_back();  // requirements/ (a folder of them)
  auto base = src.substr(src.rfind('/') == std::string::npos ? 0 : src.rfind('/') + 1);
  return reqs.count(src) || reqs.count(base) || base.rfind("requirements", 0) == 0 || base == "pyproject.toml"sv ||
         base == "uv.lock"sv || base == "poetry.lock"sv || base == "Pipfile"sv || base == "Pipfile.lock"sv || base == "constraints.txt"sv;
}

bool isSourceCopy(const Step& st, const std::set<std::string>& reqs) {
  if ((st.kind != Kind::Copy && st.kind != Kind::Add) || !st.copyFrom().empty() || !st.heredocs().empty()) return false;
  if (st.sources().empty()) return false;
  return !std::all_of(st.sources().begin(), st.sources().end(), [&](const std::string& s) { return isDependencyFile(s, reqs); });
}

std::vector<int> finalChain(const Model& m) {
  std::vector<int> chain;
  for (int s = m.finalStage; s >= 0; s = m.stages[s].baseStage) chain.insert(chain.begin(), s);
  return chain;
}

DepPlan planDependencies(const Model& m, const std::vector<int>& chain, const ProjectShape& shape) {
  DepPlan p;
  UniqueList namedSet(p.named), reqPaths(p.reqPaths), constraintPaths(p.constraintPaths), pipOptions(p.pipOptions);
  std::set<std::string> reqs;
  for (const auto& st : m.stages)
    for (const auto& step : st.steps)
      for (const auto& op : step.operations())
        for (const auto& r : op.requirementFiles) reqs.insert(r);
  for (int si : chain) {
    const Stage& st = m.stages[si];
    for (std::size_t i = 0; i < st.steps.size(); ++i) {
      const Step& step = st.steps[i];
      if (step.kind != Kind::Run) continue;
      for (const auto& op : step.operations()) {
        // An option or an assignment whose value the shell computes ($VAR) is the user's to keep: the
        // install stays as written (rewritten, it could lose `--target="/venv/lib/python${V}/…"`).
        bool computed = false;
        const std::string assignments = op.tool == "pip"sv ? pipAssignments(step, op, computed) : std::string();
        for (const auto& [k, v] : op.options) computed |= v.find('$') != std::string::npos;
        if (op.tool == "pip"sv && op.action == "install"sv && op.dynamic.empty() && !computed) {
          bool named = false;
          for (const auto& pk : op.packages) named |= !isPathSpec(pk) && !isToolPackage(pk) && pk.find('$') == std::string::npos;
          bool any = named;
          for (const auto& r : op.requirementFiles) any |= r.find('$') == std::string::npos;
          if (!any) {
            // pip install . with a pyproject and no requirements file: the variant exports them.
            bool path = !op.editables.empty();
            for (const auto& pk : op.packages) path |= isPathSpec(pk);
            if (!(path && shape.pyproject)) continue;
          }
          if (p.stepIndex < 0) {
            p.stage = si, p.stepIndex = static_cast<int>(i), p.pip = pipExecutable(op), p.scope = op.scope, p.venv = op.venv;
            p.pipEnv = assignments;
            for (const auto& [k, v] : step.flagList())
              if (k == "mount"sv) p.mounts += (p.mounts.empty() ? "" : " ") + ("--mount=" + std::string(v));
          }
          if (p.stage != si) continue;
          p.pipDeps = true;
          for (const auto& [k, v] : op.options)
            if (!variantOwnsPipOption(k) && v.find('$') == std::string::npos) pipOptions.add(pipOptionText(k, v));
          for (const auto& r : op.requirementFiles)
            if (r.find('$') == std::string::npos) reqPaths.add(r);
          for (const auto& r : op.constraintFiles)
            if (r.find('$') == std::string::npos) constraintPaths.add(r);
          for (const auto& pk : op.packages)
            if (!isPathSpec(pk) && !isToolPackage(pk) && pk.find('$') == std::string::npos) namedSet.add(pk);
          for (const auto* specs : {&op.packages, &op.editables})
            for (const auto& pk : *specs)
              if ((isPathSpec(pk) || specs == &op.editables) && pk.find('$') == std::string::npos)
                for (const auto& x : pathExtras(pk)) addUnique(p.projectExtras, x);
          for (const auto& [k, v] : op.options) {
            if (k == "find-links"sv && v.find("://") == std::string::npos) p.localWheels = true;
            if ((k == "index-url"sv || k == "extra-index-url"sv || k == "trusted-host"sv || k == "find-links"sv) && v.find('$') == std::string::npos)
              addUnique(p.indexOptions, "--" + k + " " + v);
            else if (k == "pre"sv)
              addUnique(p.indexOptions, "--pre");
          }
        } else if ((op.tool == "uv"sv && (op.action == "sync"sv || op.action == "install"sv)) || (op.tool == "poetry"sv && op.action == "install"sv)) {
          if (p.stepIndex < 0) p.stage = si, p.stepIndex = static_cast<int>(i), p.toolDeps = true;
        }
      }
    }
    if (p.stepIndex >= 0) break;
  }
  if (p.stepIndex < 0) return p;
  if (p.pipDeps) p.toolDeps = false;
  p.insertAt = p.stepIndex;
  // WORKDIR in effect before step `upto` of the stage (relative WORKDIRs join the previous one).
  auto workdirAt = [&](int upto) {
    std::string wd = "/";
    const Stage& st = m.stages[p.stage];
    for (int i = 0; i < upto && i < static_cast<int>(st.steps.size()); ++i)
      if (st.steps[i].kind == Kind::Workdir && !st.steps[i].args().empty()) {
        const std::string& a = st.steps[i].args()[0];
        wd = a[0] == '/' ? a : (wd.back() == '/' ? wd : wd + "/") + a;
      }
    return wd;
  };
  if (p.pipDeps) {
    const Stage& st = m.stages[p.stage];
    // Requirement file names (with what they include), to find the commands that edit them.
    std::set<std::string> reqNames;
    auto baseName = [](const std::string& f) { return f.substr(f.rfind('/') == std::string::npos ? 0 : f.rfind('/') + 1); };
    for (const auto& r : p.reqPaths) reqNames.insert(baseName(r));
    for (const auto& r : p.constraintPaths) reqNames.insert(baseName(r));
    for (const auto& [name, includes] : shape.requirementIncludes)
      if (reqNames.count(baseName(name)))
        for (const auto& inc : includes) reqNames.insert(baseName(inc));
    auto editsRequirements = [&](const std::string& text) {
      for (const auto& n : reqNames)
        if (!n.empty() && text.find(n) != std::string::npos) return true;
      return false;
    };
    // The commands before the first dependency install in its RUN.
    {
      const Step& step = st.steps[p.stepIndex];
      if (!step.json() && step.heredocs().empty())
        for (const auto& seg : splitSegments(step.script())) {
          const SegInfo info = classify(seg);
          if (info.kind == SegKind::DepInstall || info.kind == SegKind::ProjectPip) break;  // the install itself
          if (info.kind == SegKind::PkgInstall)
            for (const auto& pk : info.packages)
              if (pk.find('$') == std::string::npos) addUnique(info.op.tool != "apk"sv ? p.prepPackages : p.prepApk, pk);
          if (info.kind == SegKind::PkgInstall || info.kind == SegKind::PkgUpdate || info.kind == SegKind::PkgCleanup) continue;
          DepPlan::Prep pr;
          pr.text = withoutPipCache(seg.text);  // pip upgraded before the install: without its cache too
          pr.venv = !venvCreated(seg.text).empty();
          const std::string w = firstWord(seg.text);
          pr.keepInFinal = w == "cd"sv || w == "export"sv || w == "mkdir"sv || w == "set"sv;
          const bool safe = pr.venv || pr.keepInFinal || info.kind == SegKind::ToolPip || editsRequirements(seg.text) ||
                            (w.find("pip") != std::string::npos && seg.text.find(" config ") != std::string::npos);
          p.prepSafe = p.prepSafe && safe;
          p.prep.push_back(std::move(pr));
        }
    }
    // The venv the install goes into: named by the pip it runs (venv/bin/pip), or the one an
    // earlier command makes and ENV puts first on PATH (or in VIRTUAL_ENV).
    {
      std::string wd = "/";
      std::string user;
      for (int si : chain) {
        const Stage& cs = m.stages[si];
        const std::size_t upto = si == p.stage ? static_cast<std::size_t>(p.stepIndex) : cs.steps.size();
        for (std::size_t i = 0; i <= upto && i < cs.steps.size(); ++i) {
          const Step& step = cs.steps[i];
          if (step.kind == Kind::Workdir && !step.args().empty() && i < upto) wd = absoluteIn(step.args()[0], wd);
          if (step.kind == Kind::User && !step.args().empty() && i < upto) {
            const std::string u = step.args()[0].substr(0, step.args()[0].find(':'));
            user = u == "root"sv || u == "0"sv ? "" : u;
          }
          if (step.kind != Kind::Run || step.json() || !step.heredocs().empty()) continue;
          const std::string& script = step.script();
          if (script.find("venv") == std::string::npos) continue;
          for (const auto& seg : splitSegments(script)) {
            if (si == p.stage && i == upto && classify(seg).kind == SegKind::DepInstall) break;
            const std::string dir = venvCreated(seg.text);
            if (dir.empty()) continue;
            p.venvCreate = seg.text;
            p.venvCreateWorkdir = wd;
            p.venvStage = si;
            p.venvStep = static_cast<int>(i);
            p.venvDir = absoluteIn(dir, wd);
          }
          if (si == p.stage && i == upto) break;
        }
        if (si == p.stage) break;
      }
      p.userAtInstall = user;
      const std::string wdInstall = workdirAt(p.stepIndex);
      if (p.scope == "venv"sv && !p.venv.empty()) {
        const std::string named = absoluteIn(p.venv, wdInstall);
        if (named != p.venvDir) p.venvCreate.clear(), p.venvStage = p.venvStep = -1;
        p.venvDir = named;
      } else if (!p.venvDir.empty()) {
        // A bare pip uses the venv only when ENV puts it first (PATH) or names it (VIRTUAL_ENV).
        auto env = [&](const char* k) {
          auto it = st.env.find(k);
          return it == st.env.end() ? std::string() : it->second;
        };
        const std::string path = env("PATH");
        const bool onPath = path.rfind(p.venvDir + "/bin", 0) == 0;
        if (!(onPath || env("VIRTUAL_ENV") == p.venvDir) || (p.scope != "system"sv && !p.scope.empty())) {
          p.venvDir.clear();
          p.venvCreate.clear();
          p.venvStage = p.venvStep = -1;
        }
      }
    }
    // Commands of earlier RUNs that edit a requirements file (sed, grep -v >, echo >>): the
    // builder runs them too, so it installs what the image would.
    for (int i = 0; i < p.stepIndex; ++i) {
      const Step& step = st.steps[i];
      if (step.kind != Kind::Run || step.json() || !step.heredocs().empty() || !editsRequirements(step.script())) continue;
      for (const auto& seg : splitSegments(step.script()))
        if (editsRequirements(seg.text) && classify(seg).kind == SegKind::Other) p.reqEdits.push_back(seg.text);
    }
    // The install moves before the source copy only over instructions it cannot depend on
    // (COPY/ADD, LABEL, EXPOSE, WORKDIR): never over a RUN (a venv made there, pip upgraded),
    // an ENV/ARG it may read, or a USER it would run as; and not when a command it runs with
    // may need the source.
    for (int i = p.prepSafe ? p.stepIndex - 1 : -1; i >= 0; --i) {
      const Step& step = st.steps[i];
      const bool skippable = step.kind == Kind::Copy || step.kind == Kind::Add || step.kind == Kind::Label ||
                             step.kind == Kind::Expose || step.kind == Kind::Workdir;
      if (!skippable) break;
      if (isSourceCopy(step, reqs)) p.insertAt = i;
    }
    // Dependency files the original already copies (or takes from a stage) before that point.
    for (int i = 0; i < p.insertAt; ++i) {
      const Step& step = st.steps[i];
      if ((step.kind == Kind::Copy || step.kind == Kind::Add) &&
          (step.copyFromStage >= 0 || std::any_of(step.sources().begin(), step.sources().end(), [&](const std::string& s) {
             return isDependencyFile(s, reqs) || s == "."sv || s == "./"sv;  // the whole context has them too
           })))
        p.depFilesAvailable = true;
    }
    if (shape.pyproject && p.reqPaths.empty()) p.depFilesAvailable = false;
    // Installed earlier than written, under another WORKDIR: the paths the pip command meant, made absolute.
    const std::string wdInstall = workdirAt(p.stepIndex);
    p.workdir = wdInstall;
    if (wdInstall != workdirAt(p.insertAt) && wdInstall.find('$') == std::string::npos) {
      auto absolute = [&](std::string& r) {
        if (!r.empty() && r[0] != '/') r = (wdInstall.back() == '/' ? wdInstall : wdInstall + "/") + (r.rfind("./", 0) == 0 ? r.substr(2) : r);
      };
      for (auto& r : p.reqPaths) absolute(r);
      for (auto& r : p.constraintPaths) absolute(r);
      if (p.pip.find('/') != std::string::npos && p.pip[0] != '/' && p.pip[0] != '$') absolute(p.pip);
      p.depFilesAvailable = false;
    }
  }
  return p;
}

// COPY lines for the dependency files at the paths the pip command names.
std::vector<std::string> depFileCopies(const Model& m, const DepPlan& p, const ProjectShape& shape, const std::string& uvCopy) {
  std::vector<std::string> lines;
  // The project's own dependencies (exported from pyproject.toml with uv) only when the install
  // names no requirement file and no package: `pip install uv spotipy` needs none of its files.
  if (p.reqPaths.empty() && p.named.empty() && shape.pyproject) {
    lines.push_back(uvCopy);
    lines.push_back(shape.uvLock ? "COPY pyproject.toml uv.lock ./" : "COPY pyproject.toml ./");
    return lines;
  }
  // Where each file comes from: the stage that wrote it when the install's stage copies it from
  // one (COPY --from=pipenv /app/requirements.txt .), else a source the original copies from the
  // context with that name.
  auto sourceFor = [&](const std::string& path) {
    std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
    if (p.stage >= 0) {
      const auto& steps = m.stages[static_cast<std::size_t>(p.stage)].steps;
      std::string fromStage;
      for (int i = 0; i < p.stepIndex && i < static_cast<int>(steps.size()); ++i) {
        const auto& step = steps[static_cast<std::size_t>(i)];
        if (step.kind != Kind::Copy || step.copyFrom().empty()) continue;
        for (const auto& s : step.sources()) {
          std::string sb = s.substr(s.rfind('/') == std::string::npos ? 0 : s.rfind('/') + 1);
          if (sb == base && s.find_first_of("*$") == std::string::npos) fromStage = "--from=" + step.copyFrom() + " " + s;
        }
      }
      if (!fromStage.empty()) return fromStage;
      // An absolute path under a folder the stage copied from the context (COPY ./requirements
      // /requirements, then -r /requirements/local.txt): that folder's file.
      if (path[0] == '/')
        for (int i = 0; i < p.stepIndex && i < static_cast<int>(steps.size()); ++i) {
          const auto& step = steps[static_cast<std::size_t>(i)];
          if (step.kind != Kind::Copy || !step.copyFrom().empty() || step.sources().size() != 1) continue;
          std::string d = step.destination();
          while (d.size() > 1 && d.back() == '/') d.pop_back();
          std::string src = step.sources()[0];
          while (src.size() > 1 && src.back() == '/') src.pop_back();
          if (d.empty() || d[0] != '/' || src.find_first_of("*?[$") != std::string::npos) continue;
          if (path.size() > d.size() + 1 && path.compare(0, d.size() + 1, d + "/") == 0) return src + path.substr(d.size());
        }
    }
    for (const auto& st : m.stages)
      for (const auto& step : st.steps)
        if ((step.kind == Kind::Copy || step.kind == Kind::Add) && step.copyFrom().empty())
          for (const auto& s : step.sources()) {
            std::string sb = s.substr(s.rfind('/') == std::string::npos ? 0 : s.rfind('/') + 1);
            if (sb == base && s.find('*') == std::string::npos && s.find('$') == std::string::npos) return s;
          }
    return path[0] == '/' ? base : path;
  };
  std::vector<std::string> files;
  for (const auto& r : p.reqPaths) addUnique(files, r.rfind("./", 0) == 0 ? r.substr(2) : r);
  for (const auto& c : p.constraintPaths) addUnique(files, c.rfind("./", 0) == 0 ? c.substr(2) : c);
  for (const auto& f : files) {
    auto slash = f.rfind('/');
    if (f[0] != '/' && slash != std::string::npos && f.rfind("..", 0) != 0 && f.find("/../") == std::string::npos) {
      // requirements/prod.txt: the folder (its files may include each other with -r).
      std::string dir = f.substr(0, slash + 1);
      std::string line = "COPY " + dir + " " + dir;
      if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
    } else {
      const std::string src = sourceFor(f);
      const std::string dest = f[0] == '/' || f.rfind("..", 0) == 0 ? f : "./" + f;
      lines.push_back("COPY " + src + " " + dest);
      // The files it includes (-r/-c inside it), at the same place relative to it.
      const std::string base = f.substr(f.rfind('/') == std::string::npos ? 0 : f.rfind('/') + 1);
      for (const auto& [name, includes] : shape.requirementIncludes) {
        if (name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1) != base) continue;
        const std::string srcDir = src.rfind('/') == std::string::npos ? "" : src.substr(0, src.rfind('/') + 1);
        const std::string destDir = dest.substr(0, dest.rfind('/') + 1);
        for (const auto& inc : includes) {
          std::string line = "COPY " + srcDir + inc + " " + destDir + inc;
          if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
        }
      }
    }
  }
  return lines;
}

std::string pipArgs(const DepPlan& p, const ProjectShape& shape) {
  std::vector<std::string> a = p.pipOptions;
  a.insert(a.end(), p.indexOptions.begin(), p.indexOptions.end());
  if (p.reqPaths.empty() && p.named.empty() && shape.pyproject) a.push_back("-r requirements.txt");
  for (const auto& r : p.reqPaths) a.push_back("-r " + r);
  for (const auto& c : p.constraintPaths) a.push_back("-c " + c);
  for (const auto& n : p.named) a.push_back(n.find_first_of("<>=!~[ ;") != std::string::npos ? "'" + n + "'" : n);
  return join(a);
}

// The requirements of a pyproject-only project, with the extras the user's install asked for.
std::string exportCmd(const ProjectShape& s, const std::vector<std::string>& extras) {
  std::string x;
  for (const auto& e : extras) x += " --extra " + e;
  return s.uvLock ? "uv export --frozen --no-dev --no-emit-project --no-hashes" + x + " -o requirements.txt"
                  : "uv pip compile pyproject.toml" + x + " -o requirements.txt";
}

std::string variantBase(const Ctx& c, const BaseTag& b, Family f) {
  std::string version = b.version;
  const std::string& want = c.shape.pythonVersion;
  if (!want.empty() && version.rfind(want, 0) != 0) version = want;  // --python override
  if (version.empty()) version = want.empty() ? "3" : want;
  std::string tag = version;
  switch (c.kind) {
    case VariantKind::Fat:
      break;
    case VariantKind::Alpine:
      tag += "-alpine" + (b.flavor == "alpine"sv && b.release.size() > 6 ? b.release.substr(6) : std::string());
      return b.repo + ":" + tag;
    default:
      tag += "-slim";
      break;
  }
  if (!b.release.empty() && b.flavor != "alpine"sv && f == Family::Debian) tag += "-" + b.release;
  return b.repo + ":" + tag;
}

const char* headerComment(VariantKind k) {
  switch (k) {
    case VariantKind::Fat: return "# slimbench variant: fat — your Dockerfile on the full python:X image of the same release.";
    case VariantKind::Alpine: return "# slimbench variant: alpine — your Dockerfile on python:X-alpine, Debian packages translated; build tools removed in the install layer.";
    case VariantKind::Slim: return "# slimbench variant: slim — your Dockerfile on python:X-slim of the same release; build tools purged in the install layer.";
    case VariantKind::MultiStage: return "# slimbench variant: multi-stage — a builder stage installs the requirements; your final stage copies only what it installed, without compilers.";
    case VariantKind::BuildKit: return "# slimbench variant: BuildKit — multi-stage with cache mounts in the builder, and a non-root user.";
    default: return "";
  }
}

}  // namespace

VariantText transform(VariantKind kind, const Model& m, const std::string& originalText, const ProjectShape& shape,
                      const SystemNeeds& needs, const PackageKnowledge& pk, TransformCache* cache) {
  VariantText empty;
  if (kind == VariantKind::Original || m.finalStage < 0) {
    empty.text = originalText;
    return empty;
  }
  Ctx c{kind, m, splitLines(originalText), shape, needs, pk, {}, {}};
  c.out.reserve(originalText.size() + originalText.size() / 16);
  TransformCache localCache;
  c.cache = cache ? cache->impl.get() : localCache.impl.get();
  {
    std::size_t records = m.globalArgs.size();  // about one per instruction (a few more or fewer)
    for (const auto& st : m.stages) records += st.steps.size();
    c.result.fidelity.reserve(records);
  }
  c.target = kind == VariantKind::Alpine ? Family::Alpine : Family::Debian;
  c.single = kind == VariantKind::Fat || kind == VariantKind::Slim || kind == VariantKind::Alpine;
  const bool buildkit = kind == VariantKind::BuildKit;
  const std::vector<int> chain = finalChain(m);
  const std::set<int> chainSet(chain.begin(), chain.end());
  const DepPlan plan = planDependencies(m, chain, shape);
  const Stage& root = m.stages[chain.front()];
  // A plain alpine:X.Y base that installs python3 with apk (in its stage or one built FROM it) is a
  // Python image made by hand: the Debian-side variants put it on python:<the Python that Alpine
  // release has>, whose interpreter, headers and pip are in /usr/local.
  std::vector<char> apkPython(m.stages.size(), 0);
  if (kind != VariantKind::Alpine && c.pk.map)
    for (const auto& st : m.stages)
      for (const auto& step : st.steps) {
        if (step.kind != Kind::Run || step.json() || !step.heredocs().empty()) continue;
        for (const auto& cs : segmentsOf(*c.cache, step)) {
          if (cs.info.kind != SegKind::PkgInstall || cs.info.op.tool != "apk"sv) continue;
          for (const auto& p : cs.info.packages) {
            if (pkgName(p) != "python3"sv) continue;
            int r = st.index;
            for (int hops = 0; r >= 0 && m.stages[static_cast<std::size_t>(r)].baseStage >= 0 && hops < static_cast<int>(m.stages.size()); ++hops)
              r = m.stages[static_cast<std::size_t>(r)].baseStage;
            if (r >= 0) apkPython[static_cast<std::size_t>(r)] = 1;
          }
        }
      }
  auto effectiveTag = [&](const Stage& st) {
    BaseTag t = parseBase(st.baseImage);
    if (t.python || st.baseStage >= 0 || !apkPython[static_cast<std::size_t>(st.index)]) return t;
    const auto release = PackageMap::plainAlpineRelease(st.baseImage);
    if (!release) return t;
    t.alpineRelease = *release;
    t.python = t.plainAlpine = true;
    t.repo = "python";
    t.version = t.alpineRelease.empty() ? std::string() : c.pk.map->pythonOfAlpine(t.alpineRelease);
    return t;
  };
  const BaseTag rootTag = effectiveTag(root);
  const Family origFamily = familyOfImage(root.baseImage);
  // A non-python final base (debian, ubuntu, ...) keeps its family: the variant cannot swap it.
  if (!rootTag.python) c.target = origFamily;
  c.pythonImage = rootTag.python && c.target == Family::Debian;
  // Alpine's Python libraries the commands before the install need (py3-setuptools for `python
  // setup.py …`): on the python image, pip installs them first, where those commands run.
  std::string prepPip;
  if (c.pythonImage && familyOfImage(root.baseImage) == Family::Alpine && c.pk.map) {
    std::vector<std::string> names;
    for (const auto& a : plan.prepApk)
      if (!c.pk.map->providedByPythonImage(pkgName(a)))
        if (auto n = c.pk.map->pypiOfAlpine(pkgName(a)); !n.empty()) addUnique(names, n);
    if (!names.empty()) prepPip = "pip install --no-cache-dir " + join(names);
  }
  c.debianTag = rootTag.python ? variantBase(c, rootTag, Family::Debian) : root.baseImage;

  // uv for pyproject exports: the user's own pinned uv image when there is one, exactly as written.
  std::string uvCopy = "COPY --from=ghcr.io/astral-sh/uv:0.8 /uv /usr/local/bin/uv";
  for (const auto& st : m.stages)
    for (const auto& step : st.steps)
      if (step.kind == Kind::Copy && step.copyFromStage < 0 && step.copyFrom().find("astral-sh/uv") != std::string::npos) {
        std::string dest = step.destination().empty() ? "/usr/local/bin/" : step.destination();
        if (dest.back() == '/') dest += "uv";
        uvCopy = "COPY --from=" + step.copyFrom() + " /uv " + dest;
      }

  // Packages of the final image by role (target family), gathered from every package RUN of the chain.
  std::vector<std::string> buildPkgs, runLibs;
  std::vector<std::string> aptOptions;
  UniqueList buildSet(buildPkgs), runSet(runLibs);
  const bool moveBuild = plan.stepIndex >= 0 && kind != VariantKind::Fat;
  // Only the stages up to the one that installs: a later stage's packages stay in that stage.
  std::set<int> upToPlan;
  for (int si : chain) {
    upToPlan.insert(si);
    if (si == plan.stage) break;
  }
  if (moveBuild)
  for (int si : chain) {
    if (!upToPlan.count(si)) break;
    for (const auto& step : m.stages[si].steps) {
      if (step.kind != Kind::Run || step.json() || !step.heredocs().empty()) continue;
      for (const auto& cs : segmentsOf(*c.cache, step)) {
        const SegInfo& info = cs.info;
        if (info.kind != SegKind::PkgInstall) continue;
        if (info.op.tool != "apk"sv)
          for (const auto& o : info.options)
            if (o.find(' ') == std::string::npos) addUnique(aptOptions, o);  // not a per-install target release
        auto roles = splitRoles(c, info.packages, familyOfImage(m.stages[chain.front()].baseImage), true);
        for (const auto& b : roles.build) buildSet.add(b);
        for (const auto& r : roles.run) runSet.add(r);
      }
    }
  }
  // Runtime packages the original's own package RUNs (before the install point) install: the
  // variant installs them there, so its install block does not repeat them.
  std::vector<std::string> runBefore;
  UniqueList runBeforeSet(runBefore);
  if (moveBuild)
    for (int si : chain) {
      const auto& steps = m.stages[si].steps;
      for (std::size_t i = 0; i < steps.size(); ++i) {
        if (si == plan.stage && static_cast<int>(i) >= plan.insertAt) break;
        const Step& step = steps[i];
        if (step.kind != Kind::Run || step.json() || !step.heredocs().empty()) continue;
        for (const auto& cs : segmentsOf(*c.cache, step)) {
          const SegInfo& info = cs.info;
          if (info.kind != SegKind::PkgInstall) continue;
          auto roles = splitRoles(c, info.packages, info.op.tool == "apk"sv ? Family::Alpine : Family::Debian, true);
          for (const auto& r : roles.run) runBeforeSet.add(r);
        }
      }
      if (si == plan.stage) break;
    }
  // What the requirements need (build-knowledge catalogue), when something compiles.
  const bool compiles = c.target == Family::Alpine ? needs.alpineCompiles : needs.debianCompiles;
  if (compiles) {
    if (c.target == Family::Alpine) {
      buildSet.add("build-base");
      for (const auto& b : needs.alpineBuild) buildSet.add(b);
    } else if (kind != VariantKind::Fat) {
      buildSet.add("build-essential");
      for (const auto& b : needs.debianBuild) buildSet.add(b);
    } else {
      for (const auto& b : needs.debianBuild) buildSet.add(b);
    }
  }
  for (const auto& r : c.target == Family::Alpine ? needs.alpineRun : needs.debianRun) runSet.add(r);
  std::vector<std::string> blockRun;  // runtime packages the install block itself adds
  for (const auto& r : runLibs)
    if (!runBeforeSet.has(r)) blockRun.push_back(r);
  const std::unordered_set<std::string> blockRunSet(blockRun.begin(), blockRun.end());
  // Where build tools go: the install RUN of the final stage (single-stage, or no pip plan), or the builder.
  // A builder needs pip in its base: only on python:* images (a debian/ubuntu base keeps the single-stage shape).
  // What the builder installs into and the final stage copies: the venv (same path), the
  // --prefix/--target folder, ~/.local of root for --user, else a --prefix=/install tree that
  // lands on /usr/local (the classic multi-stage recipe). No wheels travel: nothing is stored twice.
  std::string copyFrom, copyTo, builderPipOption;
  if (plan.pipDeps) {
    if (!plan.venvDir.empty()) copyFrom = copyTo = plan.venvDir;
    else if ((plan.scope == "prefix"sv || plan.scope == "target"sv) && !plan.venv.empty() && plan.venv.find('$') == std::string::npos)
      copyFrom = copyTo = absoluteIn(plan.venv, plan.workdir);
    else if (plan.scope == "user"sv) {
      if (plan.userAtInstall.empty()) copyFrom = copyTo = "/root/.local";
    } else if (plan.scope == "system"sv || plan.scope.empty()) {
      copyFrom = "/install", copyTo = "/usr/local", builderPipOption = "--prefix=/install";
    }
  }
  // A builder needs pip in its base: only on python:* images (a debian/ubuntu base keeps the single-stage shape);
  // and it runs only the install and the commands before it that need no source.
  // Wheels from a folder the image already has (your own builder's, --find-links DIR) are yours to
  // install: the variant keeps that shape.
  const bool makeBuilder = !c.single && plan.pipDeps && rootTag.python && !copyFrom.empty() && plan.prepSafe && !plan.localWheels;
  const std::string builderName = m.findStage("builder", static_cast<int>(m.stages.size())) >= 0 ? "slimbench-builder" : "builder";
  // Alpine's Python libraries (py3-*) of the final image's stages up to the install: with a builder
  // that installs onto /usr/local, it installs them with the requirements, so the final stage gets
  // each file once (installed there and copied again, they would be stored twice).
  std::vector<std::string> pyLibsInBuilder;
  if (makeBuilder && copyTo == "/usr/local"sv && c.pythonImage)
    for (int si : chain) {
      if (!upToPlan.count(si)) break;
      for (const auto& step : m.stages[si].steps) {
        if (step.kind != Kind::Run || step.json() || !step.heredocs().empty()) continue;
        for (const auto& cs : segmentsOf(*c.cache, step))
          if (cs.info.kind == SegKind::PkgInstall && cs.info.op.tool == "apk"sv)
            for (const auto& p : splitRoles(c, cs.info.packages, Family::Alpine, false).pip) addUnique(pyLibsInBuilder, p);
      }
    }
  const std::string runtimeWhy = "runtime libraries of the compiled packages and of the -dev packages (from their Debian Depends) stay in the final image";

  // ---- directives, header, global ARGs
  int firstLine = m.stages.empty() ? 1 : m.stages[0].line;
  int lastGlobal = 0;
  {
    // Parser directives (# syntax=, # escape=) must stay first.
    bool syntax = false;
    for (int i = 1; i < firstLine && i <= static_cast<int>(c.lines.size()); ++i) {
      const std::string l(c.lines[i - 1]);
      static const std::regex dir(R"(^#\s*(syntax|escape|check)\s*=)", std::regex::icase);
      if (std::regex_search(l, dir)) {
        c.out.raw(l);
        syntax |= l.find("syntax") != std::string::npos;
        lastGlobal = i;
      } else {
        break;
      }
    }
    if (buildkit && !syntax) c.out.raw("# syntax=docker/dockerfile:1", "BuildKit syntax for cache and bind mounts");
    if (rootTag.python)
      c.out.raw(headerComment(kind), "what this variant changes");
    else
      c.out.raw(std::string("# slimbench variant: ") + variantId(kind) + " — your base (" + root.baseImage +
                    ") is not a python:* image and is kept; only the dependency install, pip's cache and the build tools change.",
                "what this variant changes");
  }
  // Global ARGs: lines before the first FROM, exactly.
  if (firstLine - 1 > lastGlobal) {
    std::string text = sourceLines(c, lastGlobal + 1, firstLine - 1);
    c.out.raw(text);
  }
  for (const auto& a : m.globalArgs) fidelity(c, 0, "ARG " + a.key + (a.hasValue ? "=" + a.value : ""), "kept", "global ARG kept before the first FROM");

  // ---- the builder stage (multistage / buildkit)
  auto emitBuilder = [&] {
    BaseTag bt = rootTag;
    std::string from = rootTag.python ? variantBase(c, bt, Family::Debian) : root.baseImage;
    std::string note = "builder stage: installs (and compiles) the requirements so compilers never reach the final image";
    c.out.raw("FROM " + from + " AS " + builderName, note);
    // The final stage's ARG/ENV before the install, so the build sees the same environment.
    const Stage& fs = m.stages[plan.stage];
    for (int i = 0; i < plan.insertAt; ++i)
      if (fs.steps[i].kind == Kind::Arg || fs.steps[i].kind == Kind::Env)
        c.out.raw(sourceLines(c, fs.steps[i].startLine, fs.steps[i].endLine), "same ARG/ENV as the final stage before its install");
    if (!buildPkgs.empty()) {
      std::vector<std::string> opts = {"-y", "--no-install-recommends"};
      if (buildkit)
        c.out.raw(runText({"rm -f /etc/apt/apt.conf.d/docker-clean", "apt-get update", "apt-get install " + join(opts) + " " + join(buildPkgs)},
                          "--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked"),
                  "build tools and headers, only in the builder");
      else
        c.out.raw(runText(installCmds(Family::Debian, buildPkgs, opts)), "build tools and headers, only in the builder");
    }
    const std::string builderWorkdir = plan.workdir.find('$') == std::string::npos ? plan.workdir : std::string("/build");
    c.out.raw("WORKDIR " + builderWorkdir, "the same folder as the install in your Dockerfile, so its relative paths mean the same");
    for (const auto& l : depFileCopies(m, plan, shape, uvCopy)) c.out.raw(l, "dependency files only, so the install is redone only when they change");
    if (!plan.reqEdits.empty()) c.out.raw(runText(plan.reqEdits), "your commands that change the requirement files before the install");
    std::vector<std::string> cmds;
    // The folder the final stage copies exists even when nothing is installed (empty requirements).
    if (plan.venvDir.empty()) cmds.push_back("mkdir -p " + copyFrom);
    // The venv: made by your command (in your install's RUN, or an earlier one), else python -m venv.
    bool venvInPrep = false;
    for (const auto& pr : plan.prep) venvInPrep |= pr.venv;
    if (!plan.venvDir.empty() && !venvInPrep) {
      if (!plan.venvCreate.empty() && (plan.venvCreateWorkdir == builderWorkdir || venvCreated(plan.venvCreate)[0] == '/'))
        cmds.push_back(plan.venvCreate);
      else cmds.push_back("python -m venv " + plan.venvDir);
    }
    if (!plan.prep.empty() && !prepPip.empty()) cmds.push_back(prepPip);
    for (const auto& pr : plan.prep) cmds.push_back(pr.text);
    if (plan.reqPaths.empty() && plan.named.empty() && shape.pyproject) cmds.push_back(exportCmd(shape, plan.projectExtras));
    std::string pip = plan.pip;
    if (!plan.venvDir.empty() && pip.find("/bin/") == std::string::npos) pip = plan.venvDir + "/bin/pip";
    cmds.push_back((plan.pipEnv.empty() ? "" : plan.pipEnv + " ") + pip + " install " + (buildkit ? "" : "--no-cache-dir ") +
                   (builderPipOption.empty() ? "" : builderPipOption + " ") + pipArgs(plan, shape) +
                   (pyLibsInBuilder.empty() ? "" : " " + join(pyLibsInBuilder)));
    std::string flags = plan.mounts;
    if (buildkit && flags.find("target=/root/.cache/pip") == std::string::npos)
      flags = "--mount=type=cache,target=/root/.cache/pip" + (flags.empty() ? "" : " " + flags);
    c.out.raw(runText(cmds, flags), "the install, in the builder: only its result reaches the final image");
    c.out.raw("", "");
  };

  // ---- the stages
  int prevEnd = firstLine - 1;
  bool userSeen = false, userAdded = false;
  std::vector<Family> famBefore(m.stages.size(), Family::Debian), famAfter(m.stages.size(), Family::Debian);
  // Stages moved from a plain alpine base with apk's python3 onto a python:* image: Python is in /usr/local there.
  std::vector<char> fromApkPython(m.stages.size(), 0);
  // Stages where your files were copied onto / (COPY rootfs/ /): their /tmp may not be writable by
  // apt's sandbox user (_apt), which apk never needed: the apt-get update written there runs as root.
  std::vector<char> rootCopied(m.stages.size(), 0);
  // A user named app that a stage of the final chain already creates (FROM app AS lint after
  // `useradd app` in app): switched to, not created again (useradd would fail on it).
  bool appUserMade = false;
  for (int si : chain)
    for (const auto& step : m.stages[static_cast<std::size_t>(si)].steps) {
      if (step.kind != Kind::Run) continue;
      const std::string sc = step.script();
      if (sc.find("useradd") == std::string::npos && sc.find("adduser") == std::string::npos) continue;
      std::istringstream words(sc);
      for (std::string w; words >> w;) appUserMade = appUserMade || w == "app"sv;
    }
  auto addUser = [&] {
    if (!appUserMade)
      c.out.raw(c.target == Family::Alpine ? "RUN adduser -D -u 10001 app" : "RUN useradd --create-home --uid 10001 --user-group app",
                "a non-root user: the original runs as root");
    c.out.raw("USER app", appUserMade ? "the non-root user your Dockerfile made: the original ends as root"
                                       : "a non-root user: the original runs as root");
  };
  bool droppedAfterTarget = false;
  for (const auto& st : m.stages) {
    if (st.index > m.finalStage) {
      // Stages after the target (docker build --target NAME): the image never needs them (a stage
      // can only use earlier ones), and the variant ends with the target so it builds without --target.
      for (const auto& step : st.steps)
        fidelity(c, step.startLine, step.sharedOriginal(), "dropped",
                 "a stage after the target stage \"" + (m.stages[m.finalStage].name.empty() ? std::to_string(m.finalStage) : m.stages[m.finalStage].name) +
                     "\": the variant ends with the target, so it builds the same image without --target");
      droppedAfterTarget = true;
      continue;
    }
    const bool inChain = chainSet.count(st.index) > 0;
    const bool isRoot = st.index == chain.front();
    // Comments and blank lines above the FROM are kept.
    if (st.line - 1 > prevEnd) c.out.raw(sourceLines(c, prevEnd + 1, st.line - 1));
    if (isRoot && makeBuilder) emitBuilder();
    // The FROM as written (it may continue over several lines) and as one logical line.
    int fromEnd = st.line;
    std::string fromLogical = c.lines.size() >= static_cast<std::size_t>(st.line) ? std::string(c.lines[st.line - 1]) : "FROM " + st.baseImage;
    for (const auto& s0 : st.steps)
      if (s0.kind == Kind::From) {
        fromEnd = std::max(fromEnd, s0.endLine);
        fromLogical = s0.original();
        break;
      }
    const std::string fromExact = sourceLines(c, st.line, fromEnd);
    const std::string& fromText = fromLogical;
    // Other python stages follow the final image's libc on Alpine (a glibc build cannot run on musl).
    const BaseTag tag = effectiveTag(st);
    // A stage the image takes files from is rebased with the final image's family: a musl build
    // cannot run on glibc, nor the other way round.
    const bool swap = st.baseStage < 0 && tag.python &&
                      (isRoot || (st.reachable && familyOfImage(st.baseImage) != c.target && rootTag.python));
    // The family a stage's packages are of, and the one it has in the variant: a stage built FROM
    // another stage follows that stage (FROM base AS build, with base rebased).
    const Family stageFrom = st.baseStage >= 0 ? famBefore[st.baseStage] : familyOfImage(st.baseImage);
    famBefore[st.index] = stageFrom;
    famAfter[st.index] = st.baseStage >= 0 ? famAfter[st.baseStage] : swap ? (kind == VariantKind::Alpine ? Family::Alpine : Family::Debian) : stageFrom;
    fromApkPython[st.index] = st.baseStage >= 0 ? fromApkPython[st.baseStage] : static_cast<char>(swap && tag.plainAlpine);
    rootCopied[st.index] = st.baseStage >= 0 ? rootCopied[st.baseStage] : 0;
    std::string stageAs;
    {
      static const std::regex as(R"(\s+[Aa][Ss]\s+(\S+)\s*$)");
      std::smatch mm;
      if (std::regex_search(fromText, mm, as)) stageAs = " AS " + mm[1].str();
    }
    if (swap) {
      std::string nb = variantBase(c, tag, stageFrom == Family::Alpine && c.target == Family::Debian ? Family::Debian : stageFrom);
      std::string platform = st.platform.empty() ? "" : "--platform=" + st.platform + " ";
      std::string origNoDigest = tag.digest.empty() ? st.baseImage : st.baseImage.substr(0, st.baseImage.find('@'));
      if (nb == origNoDigest) {
        c.out.raw(fromExact);
        fidelity(c, st.line, fromText, "kept", "the base is already what this variant uses");
      } else {
        c.out.raw("FROM " + platform + nb + stageAs, "base family of the variant (" + std::string(variantId(kind)) + ")");
        std::string why = "base image " + st.baseImage + " → " + nb;
        if (!tag.release.empty() && c.target == Family::Debian && stageFrom == Family::Debian) why += "; the Debian release (" + tag.release + ") is kept";
        if (tag.plainAlpine)
          why += tag.version.empty()
                     ? "; python3 installed with apk becomes the image's own Python (the Python version of " +
                           (tag.alpineRelease.empty() ? std::string("this Alpine tag") : "Alpine " + tag.alpineRelease) +
                           " is not in slimbench's table: the default is used, set yours with --python)"
                     : "; python3 installed with apk becomes the image's own Python: Alpine " + tag.alpineRelease + "'s python3 is " + tag.version;
        if (!tag.digest.empty()) why += "; the digest pinned the old tag and is dropped: pin the new tag's digest";
        if (!isRoot) why += famAfter[st.index] == Family::Alpine ? " (a glibc-built stage cannot feed a musl image)" : " (a musl-built stage cannot feed a glibc image)";
        fidelity(c, st.line, fromText, "replaced", why);
      }
    } else {
      c.out.raw(fromExact);
      fidelity(c, st.line, fromText, "kept", inChain ? (tag.python ? "base kept" : "not a python:* image: the variant keeps it")
                                   : st.reachable ? "another stage the image needs, kept unchanged" : "stage not needed by the final image, kept unchanged");
    }
    prevEnd = fromEnd;
    const bool translateStage = famAfter[st.index] != stageFrom;
    const Family stageTarget = famAfter[st.index];
    bool shadowAdded = false, buildToolsAdded = false;

    // BuildKit: a non-root user where the original has none, before the final stage's closing
    // metadata (CMD, ENTRYPOINT, EXPOSE, ...), so the image starts as that user.
    std::size_t userAt = st.steps.size();
    if (buildkit && st.index == m.finalStage)
      while (userAt > 0) {
        const Kind k = st.steps[userAt - 1].kind;
        if (k != Kind::Cmd && k != Kind::Entrypoint && k != Kind::Expose && k != Kind::Healthcheck && k != Kind::StopSignal &&
            k != Kind::Label && k != Kind::Volume)
          break;
        --userAt;
      }
    for (std::size_t i = 0; i < st.steps.size(); ++i) {
      const Step& step = st.steps[i];
      if (step.kind == Kind::From) continue;  // the stage's FROM, written above
      if (buildkit && st.index == m.finalStage && i == userAt && !userSeen && !userAdded) {
        addUser();
        userAdded = true;
      }
      // Comments/blank lines between instructions.
      if (step.startLine - 1 > prevEnd) c.out.raw(sourceLines(c, prevEnd + 1, step.startLine - 1));
      prevEnd = step.endLine;
      const std::string exact = sourceLines(c, step.startLine, step.endLine);
      const SharedText text = step.sharedOriginal();  // the fidelity record points at the model's text
      const bool installHere = inChain && st.index == plan.stage && static_cast<int>(i) == plan.insertAt && plan.pipDeps;
      if (installHere) {
        // ---- the dependency install block
        const std::string why = "dependency files, then the install, before the source copy (layer cache)";
        if (!plan.depFilesAvailable && !makeBuilder)
          for (const auto& l : depFileCopies(m, plan, shape, uvCopy)) c.out.raw(l, why);
        std::vector<std::string> cmds;
        std::string flags;
        if (makeBuilder) {
          if (!blockRun.empty()) {
            auto ic = installCmds(Family::Debian, blockRun, aptOptions.empty() ? std::vector<std::string>{"-y", "--no-install-recommends"} : aptOptions);
            c.out.raw(runText(ic), runtimeWhy);
          }
          (void)flags;
          c.out.raw("COPY --from=" + builderName + " " + copyFrom + " " + copyTo,
                    copyTo == "/usr/local"sv ? "what the builder installed (--prefix=/install), onto /usr/local where the base's Python finds it"
                                             : "what the builder installed, at the same path");
        } else {
          const std::string pip = (plan.pipEnv.empty() ? "" : plan.pipEnv + " ") + plan.pip + " install --no-cache-dir " + pipArgs(plan, shape);
          // The user's commands that come before the install in its RUN (a venv made, pip upgraded,
          // python3 installed), then the export of a pyproject's requirements (it needs that Python).
          auto pushPip = [&] {
            if (!plan.prep.empty() && !prepPip.empty()) cmds.push_back(prepPip);
            for (const auto& pr : plan.prep) cmds.push_back(pr.text);
            if (plan.reqPaths.empty() && plan.named.empty() && shape.pyproject) cmds.push_back(exportCmd(shape, plan.projectExtras));
            cmds.push_back(pip);
          };
          if (c.target == Family::Alpine) {
            if (!blockRun.empty()) cmds.push_back("apk add --no-cache " + join(blockRun));
            if (!buildPkgs.empty()) {
              cmds.push_back("apk add --no-cache --virtual .build-deps " + join(buildPkgs));
              pushPip();
              cmds.push_back("apk del .build-deps");
            } else {
              pushPip();
            }
          } else if (kind == VariantKind::Fat || buildPkgs.empty()) {
            // Fat keeps the user's OS packages where they were, unless the install needs them first:
            // to compile, or for the commands that come before it (python3 -m venv after apt-get install python3).
            const bool fatPrepNeeds = kind == VariantKind::Fat && !plan.prep.empty() && !plan.prepPackages.empty();
            if (!buildPkgs.empty() || (kind == VariantKind::Fat && !blockRun.empty() && compiles) || fatPrepNeeds) {
              std::vector<std::string> all = buildPkgs;
              if (kind != VariantKind::Fat) all.insert(all.begin(), blockRun.begin(), blockRun.end());
              if (fatPrepNeeds)
                for (const auto& pk : plan.prepPackages) addUnique(all, pk);
              auto ic = installCmds(Family::Debian, all, aptOptions.empty() ? std::vector<std::string>{"-y", "--no-install-recommends"} : aptOptions);
              cmds.insert(cmds.end(), ic.begin(), ic.end());
            } else if (!blockRun.empty()) {
              auto ic = installCmds(Family::Debian, blockRun, aptOptions.empty() ? std::vector<std::string>{"-y", "--no-install-recommends"} : aptOptions);
              cmds.insert(cmds.end(), ic.begin(), ic.end());
            }
            pushPip();
          } else {
            // Runtime libraries installed explicitly (marked manual), so --auto-remove keeps them.
            std::vector<std::string> all = blockRun;
            all.insert(all.end(), buildPkgs.begin(), buildPkgs.end());
            std::vector<std::string> opts = aptOptions.empty() ? std::vector<std::string>{"-y", "--no-install-recommends"} : aptOptions;
            auto ic = installCmds(Family::Debian, all, opts, false);
            cmds.insert(cmds.end(), ic.begin(), ic.end());
            pushPip();
            cmds.push_back("apt-get purge -y --auto-remove " + join(buildPkgs));
            cmds.push_back("rm -rf /var/lib/apt/lists/*");
          }
          c.out.raw(runText(cmds, plan.mounts), c.target == Family::Alpine || !buildPkgs.empty()
                                       ? "install the requirements; build tools added and removed in this same layer"
                                       : "install the requirements without pip's cache");
        }
      }

      // ---- the step itself
      auto keep = [&](const std::string& why) {
        c.out.raw(exact);
        fidelity(c, step.startLine, text, "kept", why);
      };
      if (!inChain) {
        if (translateStage && step.kind == Kind::Run && !step.json() && step.heredocs().empty()) {
          // fall through to the RUN handling below (translated packages)
        } else {
          keep(st.reachable ? "another stage the image needs, kept unchanged" : "stage not needed by the final image, kept unchanged");
          continue;
        }
      }
      if (step.kind == Kind::User && inChain && !step.args().empty()) userSeen = step.args()[0] != "root"sv && step.args()[0] != "0"sv;
      if ((step.kind == Kind::Copy || step.kind == Kind::Add) && (step.destination() == "/"sv || step.destination() == "/."sv)) rootCopied[st.index] = 1;
      // Executables the families install at different paths, for this stage.
      auto stagePaths = [&]() {
        std::vector<std::pair<std::string, std::string>> paths;
        if (!c.pk.map) return paths;
        paths = c.pk.map->executablePaths();
        if (fromApkPython[st.index] && stageTarget == Family::Debian) {
          // Alpine's python3 package is in /usr/bin; the python image's own Python is in /usr/local/bin.
          paths.emplace_back("/usr/bin/python3", "/usr/local/bin/python3");
          paths.emplace_back("/usr/bin/python", "/usr/local/bin/python");
        }
        return paths;
      };
      if (step.kind != Kind::Run) {
        if (inChain && (step.kind == Kind::Copy || step.kind == Kind::Add) && step.copyFromStage < 0 && !step.copyFrom().empty())
          keep("COPY --from an external image, exactly as written (tag and digest)");
        else if (step.kind == Kind::Copy || step.kind == Kind::Add)
          keep(installHere ? "kept after the dependency install, flags as written" : "kept, flags as written");
        else if (translateStage && c.pk.map && (step.kind == Kind::Entrypoint || step.kind == Kind::Cmd)) {
          // The executable it starts at the path the stage's family installs it (/sbin/tini ↔ /usr/bin/tini).
          std::string t = exact;
          std::vector<std::string> moved;
          t = movedExecutablePaths(t, stagePaths(), stageTarget == Family::Debian, moved);
          if (moved.empty()) {
            keep("kept in order");
          } else {
            const std::string why = "the executable at the path its " + std::string(stageTarget == Family::Debian ? "Debian" : "Alpine") +
                                    " package (or the python image) installs it: " + join(moved, ", ");
            c.out.raw(t, why);
            fidelity(c, step.startLine, text, "translated", why);
          }
        } else
          keep("kept in order");
        continue;
      }
      if (step.json() || !step.heredocs().empty()) {
        keep(step.json() ? "exec-form RUN kept as written" : "heredoc RUN kept as written");
        continue;
      }
      // ---- a shell-form RUN: split into segments, change only package and install commands.
      if (translateStage) {
        // Commands the other family lacks or spells differently (user and group creation).
        // The model's own split of this shell-form RUN (re-split only if a caller released it).
        std::vector<dockerfile::ShellCommand> resplit;
        if (step.commands().empty() && !step.script().empty()) resplit = dockerfile::splitShell(step.script());
        for (const auto& cmd : resplit.empty() ? step.commands().get() : resplit) {
          if (cmd.argv.empty()) continue;
          std::string prog = cmd.argv[0].substr(cmd.argv[0].rfind('/') == std::string::npos ? 0 : cmd.argv[0].rfind('/') + 1);
          const std::string provider = stageTarget == Family::Alpine && c.pk.map ? c.pk.map->alpineCommandPackage(prog) : std::string();
          if (!provider.empty() && !shadowAdded) {
            c.out.raw("RUN apk add --no-cache " + provider, prog + " is not in busybox: Alpine's " + provider + " package provides it");
            shadowAdded = true;
          }
          if (prog == "adduser"sv || prog == "addgroup"sv) {
            bool debianStyle = false, busyboxStyle = false;
            for (std::size_t w = 1; w < cmd.argv.size(); ++w) {
              const auto& a = cmd.argv[w];
              if (a.rfind("--", 0) == 0) debianStyle = true;
              else if (a.size() == 2 && a[0] == '-' && std::string("DSGHhgsuk").find(a[1]) != std::string::npos) busyboxStyle = true;
            }
            if ((stageTarget == Family::Alpine && debianStyle) ||
                (stageTarget == Family::Debian && busyboxStyle && !debianStyle && debianUserCommand(join(cmd.argv)).empty())) {
              const std::string what = prog + (stageTarget == Family::Alpine ? " with Debian options" : " with busybox options");
              c.result.untranslated.push_back({step.startLine, what, stageTarget == Family::Alpine ? "alpine" : "debian", true});
              c.out.raw("# slimbench: " + what + " (line " + std::to_string(step.startLine) + ") does not run on " +
                            (stageTarget == Family::Alpine ? "Alpine's busybox adduser (-D -u UID -G GROUP -s SHELL)" : "Debian's adduser (--disabled-password --uid UID --ingroup GROUP)") +
                            ": rewrite it by hand",
                        "command with options of the other family");
            }
          }
        }
        // A builder stage on musl compiles what has no musllinux wheel: it needs the compilers.
        if (stageTarget == Family::Alpine && !inChain && !buildToolsAdded && needs.alpineCompiles) {
          bool installs = false;
          for (const auto& cs : segmentsOf(*c.cache, step)) {
            auto k = cs.info.kind;
            installs |= k == SegKind::DepInstall || k == SegKind::ToolInstall || k == SegKind::ProjectPip;
          }
          if (installs) {
            std::vector<std::string> tools = {"build-base"};
            for (const auto& b : needs.alpineBuild) addUnique(tools, b);
            c.out.raw("RUN apk add --no-cache " + join(tools), "this stage compiles on musl (no musllinux wheel): build tools, in the build stage only");
            buildToolsAdded = true;
          }
        }
      }
      // Only the user's own commands: kept unchanged, unless this is where the install block goes
      // (compiling commands there get the build tools around them), which splits the text again.
      const char* const keptWhy =
          inChain ? "kept in order (users, folders, post-copy steps and other commands are the user's)" : "kept unchanged";
      const bool planStep = inChain && st.index == plan.stage && static_cast<int>(i) == plan.stepIndex;
      // A RUN after the install block, in its stage: the block installed its runtime packages.
      const bool afterBlock = inChain && st.index == plan.stage && static_cast<int>(i) >= plan.insertAt;
      // The RUN that makes the venv the builder now makes: that command moves to the builder.
      const bool venvStep = makeBuilder && st.index == plan.venvStage && static_cast<int>(i) == plan.venvStep && !planStep;
      // An executable named by the path the other family installs it at (setcap … /usr/bin/arp-scan).
      // Not Python's own paths: `ln -s /usr/bin/python3 /usr/bin/python` would make a link the python
      // image already has. An `ln` keeps its link's name (below).
      std::vector<std::string> pathsMoved;
      static const std::vector<std::pair<std::string, std::string>> noPaths;
      const auto& runPaths = translateStage && c.pk.map ? c.pk.map->executablePaths() : noPaths;
      bool namesPath = false;  // (a whole word or not: the rewrite below looks at words)
      for (const auto& [alpinePath, debianPath] : runPaths)
        namesPath |= step.script().find(stageTarget == Family::Debian ? alpinePath : debianPath) != std::string::npos;
      // A package manager of the other family (apk upgrade, apk add $DEPS) cannot stay as written.
      const bool otherFamilyTool =
          translateStage && (step.script().find("apk") != std::string::npos || step.script().find("apt") != std::string::npos ||
                             (stageTarget == Family::Debian && step.script().find("add") != std::string::npos) || namesPath);
      const ClassifiedScript& classified = classifiedOf(*c.cache, step);
      if (classified.allOther && !planStep && !venvStep && !otherFamilyTool) {
        keep(keptWhy);
        continue;
      }
      ClassifiedScript again;
      if (classified.allOther) again = classifyScript(step.script());
      bool beforeDep = planStep && plan.pipDeps;  // segments before the first dependency install (plan.prep)
      bool prepMoved = false, upgradeTranslated = false, userTranslated = false, archTranslated = false, purgeTranslated = false;
      const auto& segs = classified.allOther ? again.segments : classified.segments;
      std::vector<Segment> keptSegs;
      std::vector<std::string> pkgInstalls;
      std::vector<std::string> movedBuild, untranslatedHere, pipHere, providedHere, pipToBuilder;
      std::vector<std::string> buildTranslatedHere;  // build packages of the other family this RUN installs, translated
      bool pkgSeen = false, changed = false, depMoved = false, cacheOff = false, dropped = false, removesPackages = false;
      int firstPkgAt = -1;
      std::vector<std::string> opts;
      std::vector<std::string> runHere;
      std::vector<std::string> byBlock;  // runtime packages of this RUN the install block installs already
      // Each package command keeps its place in the RUN (a later one may need what an earlier
      // command set up: a repository added, a key fetched); apt's lists go after the last one.
      struct PkgSlot {
        std::vector<std::string> pkgs;
        std::vector<std::string> opts;  // this install's own apt options (a target release is per install)
        bool upgrade = false;
      };
      std::vector<PkgSlot> slots;
      auto newSlot = [&](const std::string& sep) {
        keptSegs.push_back({sep, std::string(), static_cast<int>(slots.size())});
        slots.emplace_back();
        return &slots.back();
      };
      const bool splitHere = moveBuild && inChain && upToPlan.count(st.index) > 0;
      for (const auto& cs : segs) {
        const Segment& seg = cs.seg;
        const SegInfo& info = cs.info;
        const bool isStageWithPlan = st.index == plan.stage;
        // A bare condition guarding the package command after it (test "$(arch)" != "x86_64" &&
        // apk add rust …): that command is rewritten below (translated, moved or merged), so its
        // guard would stand alone and fail the RUN where it is false. It goes with its command.
        {
          const std::size_t at = static_cast<std::size_t>(&cs - &segs[0]);
          const std::string w = firstWord(seg.text);
          if (info.kind == SegKind::Other && (w == "test"sv || w == "["sv || w == "[["sv) && at + 1 < segs.size() &&
              segs[at + 1].seg.sep == "&&"sv &&
              (segs[at + 1].info.kind == SegKind::PkgInstall || segs[at + 1].info.kind == SegKind::PkgUpdate ||
               segs[at + 1].info.kind == SegKind::PkgCleanup ||
               (translateStage && (firstWord(segs[at + 1].seg.text) == "apk"sv || firstWord(segs[at + 1].seg.text) == "apt-get"sv ||
                                   firstWord(segs[at + 1].seg.text) == "apt"sv)))) {
            changed = true;
            continue;
          }
        }
        if (beforeDep) {
          if (info.kind == SegKind::DepInstall || info.kind == SegKind::ProjectPip) {
            beforeDep = false;
          } else if (info.kind != SegKind::PkgInstall && info.kind != SegKind::PkgUpdate && info.kind != SegKind::PkgCleanup) {
            // plan.prep: runs with the install (in the builder, or in the install block before this RUN).
            const std::string w = firstWord(seg.text);
            const bool keepToo = makeBuilder && (w == "cd"sv || w == "export"sv || w == "mkdir"sv || w == "set"sv);
            if (keepToo) keptSegs.push_back(seg);
            changed = prepMoved = true;
            continue;
          }
        }
        if (venvStep && info.kind == SegKind::Other && absoluteIn(venvCreated(seg.text), plan.venvCreateWorkdir) == plan.venvDir) {
          changed = prepMoved = true;  // the builder makes the venv; the final image gets it whole
          continue;
        }
        switch (info.kind) {
          case SegKind::PkgUpdate:
          case SegKind::PkgCleanup: {
            changed = true;
            const bool removal = info.op.action == "purge"sv || info.op.action == "remove"sv || info.op.action == "del"sv;
            removesPackages |= removal;
            // `apk add --virtual .build-deps gcc … && … && apk del .build-deps` on the other family's
            // base: the build tools this RUN installed (translated) are removed where the original removed them.
            if (removal && translateStage && !buildTranslatedHere.empty()) {
              keptSegs.push_back({seg.sep, stageTarget == Family::Debian ? "apt-get purge -y --auto-remove " + join(buildTranslatedHere)
                                                                         : "apk del " + join(buildTranslatedHere)});
              buildTranslatedHere.clear();
              purgeTranslated = true;
            }
            break;
          }
          case SegKind::PkgInstall: {
            changed = true;
            pkgSeen = true;
            if (firstPkgAt < 0) firstPkgAt = static_cast<int>(keptSegs.size());
            PkgSlot* slot = newSlot(seg.sep);
            const Family from = info.op.tool == "apk"sv ? Family::Alpine : Family::Debian;
            if (from == Family::Debian) {
              for (const auto& o : info.options)
                if (o.find(' ') == std::string::npos) addUnique(opts, o);
              slot->opts = info.options;
            } else if (stageTarget == Family::Debian) {
              opts = {"-y", "--no-install-recommends"};
              slot->opts = opts;
            }
            auto roles = splitRoles(c, info.packages, from, splitHere);
            std::vector<std::string> here;
            if (!translateStage && from == stageTarget) {
              // Same family: split by role only where the build moves away.
              if (splitHere) {
                for (const auto& b : roles.build) movedBuild.push_back(b);
                for (const auto& r : roles.run) addUnique(here, r);
              } else {
                for (const auto& p : info.packages) addUnique(here, p);
              }
            } else {
              if (splitHere) {
                for (const auto& b : roles.build) movedBuild.push_back(b);
              } else {
                for (const auto& b : roles.build) addUnique(here, b), addUnique(buildTranslatedHere, b);
              }
              for (const auto& r : roles.run) addUnique(here, r);
              for (const auto& [p, why] : roles.untranslated) {
                untranslatedHere.push_back(p);
                c.result.untranslated.push_back({step.startLine, p, stageTarget == Family::Alpine ? "alpine" : "debian"});
              }
            }
            // The install block (written before this RUN) already installed these runtime packages.
            if (afterBlock && plan.pipDeps)
              here.erase(std::remove_if(here.begin(), here.end(),
                                        [&](const std::string& r) {
                                          if (!blockRunSet.count(r)) return false;
                                          addUnique(byBlock, r);
                                          return true;
                                        }),
                         here.end());
            for (const auto& r : here) addUnique(runHere, r);
            slot->pkgs = std::move(here);
            for (const auto& p : roles.provided) addUnique(providedHere, p);
            // (Before the install in its RUN, with commands that moved to the install: installed there.)
            const bool libsInBuilder = !pyLibsInBuilder.empty() && inChain && upToPlan.count(st.index) > 0;
            if (libsInBuilder)
              for (const auto& p : roles.pip) addUnique(pipToBuilder, p);
            if (!roles.pip.empty() && !(beforeDep && !prepPip.empty()) && !libsInBuilder) {
              // Alpine's Python libraries, for the image's own Python, right after the packages they may need.
              keptSegs.push_back({"&&", "pip install --no-cache-dir " + join(roles.pip)});
              for (const auto& p : roles.pip) addUnique(pipHere, p);
            }
            break;
          }
          case SegKind::DepInstall:
            if (inChain && isStageWithPlan && plan.pipDeps) {
              changed = depMoved = true;
              // Tools the same command installs (pip install uv spotipy, then uv sync): the install
              // moved, the tools stay where they were, for the commands that use them later.
              std::vector<std::string> tools, before;
              {
                std::istringstream words(seg.text);
                bool afterInstall = false;
                for (std::string w; words >> w;) {
                  if (!afterInstall) {
                    if (w == "install"sv) afterInstall = true;
                    else if (w.find('=') == std::string::npos || !before.empty()) before.push_back(w);
                    continue;
                  }
                  std::string n = w;
                  n.erase(std::remove(n.begin(), n.end(), '\''), n.end());
                  n.erase(std::remove(n.begin(), n.end(), '"'), n.end());
                  std::string name = n.substr(0, n.find_first_of("=<>!~[ ;"));
                  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
                  if (!n.empty() && n[0] != '-' && isToolPackage(n) && name != "pip"sv && name != "wheel"sv && name != "setuptools"sv)
                    tools.push_back(w);
                }
              }
              if (!tools.empty() && !before.empty())
                keptSegs.push_back(Segment{seg.sep, join(before) + " install --no-cache-dir " + join(tools)});
            } else {
              auto t = withoutPipCache(seg.text);
              changed |= t != seg.text;
              cacheOff |= t != seg.text;
              keptSegs.push_back({seg.sep, t});
            }
            break;
          case SegKind::ToolPip:
          case SegKind::ProjectPip: {
            auto t = withoutPipCache(seg.text);
            changed |= t != seg.text;
            cacheOff |= t != seg.text;
            keptSegs.push_back({seg.sep, t});
            break;
          }
          default: {
            const std::string& tool = info.op.tool;
            const bool pkgTool = tool == "apk"sv || tool == "apt-get"sv || tool == "apt"sv;
            if (pkgTool && (info.op.action == "upgrade"sv || info.op.action == "dist-upgrade"sv)) {
              // The distribution's upgrade, in the stage's family, with its own list update.
              changed = true;
              newSlot(seg.sep)->upgrade = true;
              if (translateStage) upgradeTranslated = true;
              break;
            }
            const std::string w = firstWord(seg.text);
            std::string w2;
            {
              std::istringstream words(seg.text);
              words >> w2 >> w2;
            }
            const bool removal = w2 == "del"sv || w2 == "purge"sv || w2 == "remove"sv || w2 == "autoremove"sv || w2 == "autopurge"sv;
            if (translateStage && removal &&
                ((stageTarget == Family::Debian && w == "apk"sv) || (stageTarget == Family::Alpine && (w == "apt-get"sv || w == "apt"sv)))) {
              changed = true;
              removesPackages = true;
              // `apk add --virtual .build-deps gcc … && … && apk del .build-deps`: the build tools this
              // RUN installed (translated) are removed where the original removed them.
              if (!buildTranslatedHere.empty()) {
                keptSegs.push_back({seg.sep, stageTarget == Family::Debian ? "apt-get purge -y --auto-remove " + join(buildTranslatedHere)
                                                                           : "apk del " + join(buildTranslatedHere)});
                buildTranslatedHere.clear();
                purgeTranslated = true;
              }
              break;  // else removing the other family's packages (`apk del x || true`): nothing to remove here
            }
            if (translateStage && stageTarget == Family::Debian && (w == "adduser"sv || w == "addgroup"sv)) {
              const std::string t = debianUserCommand(seg.text);
              if (!t.empty()) {
                keptSegs.push_back({seg.sep, t});
                changed = userTranslated = true;
                break;
              }
            }
            // Alpine's name for the machine (`ARCH=$(apk --print-arch)`, then `case "$ARCH" in x86_64|aarch64)`):
            // uname -m prints the same names for x86_64 and aarch64, and exists on every base.
            static const std::regex apkArch(R"(\bapk\s+--print-arch\b)");
            Segment kept = seg;
            if (translateStage && stageTarget == Family::Debian && std::regex_search(seg.text, apkArch)) {
              kept.text = std::regex_replace(seg.text, apkArch, "uname -m");
              archTranslated = true;
            }
            // The other family's package manager inside the command (a case or if branch, `$(apk ...)`)
            // is not translatable as written either.
            static const std::regex apkInside(R"((^|[^\w./$-])apk\s)"), aptInside(R"((^|[^\w./$-])apt(-get)?\s)");
            const bool otherFamily = translateStage && ((stageTarget == Family::Debian && (tool == "apk"sv || w == "apk"sv || std::regex_search(kept.text, apkInside))) ||
                                                        (stageTarget == Family::Alpine && (tool == "apt-get"sv || tool == "apt"sv || w == "apt-get"sv || w == "apt"sv ||
                                                                                           std::regex_search(kept.text, aptInside))));
            if (otherFamily) {
              // Not translatable as written (packages in a variable, options of the other tool): marked, never left to fail.
              changed = true;
              untranslatedHere.push_back(seg.text);
              c.result.untranslated.push_back({step.startLine, seg.text, stageTarget == Family::Alpine ? "alpine" : "debian", true});
              break;
            }
            if (namesPath && w != "ln"sv) kept.text = movedExecutablePaths(kept.text, runPaths, stageTarget == Family::Debian, pathsMoved);
            if (namesPath && w == "ln"sv) {
              // `ln -s /sbin/tini /usr/bin/tini`: a link that puts the program where the stage's family
              // installs it already is not made (it would fail: the file exists); otherwise the link
              // points at the program's path in this family, and keeps its own name.
              std::vector<std::string> words;
              {
                std::istringstream in(seg.text);
                for (std::string x; in >> x;) words.push_back(x);
              }
              bool already = false;
              if (words.size() >= 3)
                for (const auto& [alpinePath, debianPath] : runPaths) {
                  const std::string& from = stageTarget == Family::Debian ? alpinePath : debianPath;
                  const std::string& to = stageTarget == Family::Debian ? debianPath : alpinePath;
                  if (words.back() == to && std::find(words.begin() + 1, words.end() - 1, from) != words.end() - 1) already = true;
                }
              if (already) {
                changed = true;
                addUnique(pathsMoved, "`" + seg.text + "` not made (the program is there already)");
                break;
              }
              std::string rest;
              for (std::size_t k = 0; k + 1 < words.size(); ++k) rest += (k ? " " : "") + words[k];
              const std::string t = movedExecutablePaths(rest, runPaths, stageTarget == Family::Debian, pathsMoved) + " " + words.back();
              if (t != rest + " " + words.back()) kept.text = t;
            }
            if (kept.text != seg.text) changed = true;
            keptSegs.push_back(kept);
          }
        }
      }
      // The tool install (uv sync / poetry install) gets the build tools around it in the same RUN.
      bool toolHere = inChain && plan.toolDeps && st.index == plan.stage && static_cast<int>(i) == plan.stepIndex;
      // Other commands of the RUN that compile (./configure, make, gcc) keep the build tools around them too.
      static const std::regex compiles(R"((^|[\s;&|(])(make|\./configure|gcc|g\+\+|cc|cmake)(\s|$))");
      for (const auto& k : keptSegs)
        if (inChain && (!movedBuild.empty() || (st.index == plan.stage && static_cast<int>(i) == plan.stepIndex)) && k.slot < 0 && std::regex_search(k.text, compiles)) toolHere = true;
      std::vector<std::string> pre, post;
      if (toolHere && !buildPkgs.empty() && kind != VariantKind::Fat) {
        changed = true;
        // Runtime packages installed earlier stay (marked manual there); only the others are added here.
        if (stageTarget == Family::Alpine) {
          if (!blockRun.empty()) pre.push_back("apk add --no-cache " + join(blockRun));
          pre.push_back("apk add --no-cache --virtual .build-deps " + join(buildPkgs));
          post.push_back("apk del .build-deps");
        } else {
          std::vector<std::string> all = blockRun;
          all.insert(all.end(), buildPkgs.begin(), buildPkgs.end());
          auto ic = installCmds(Family::Debian, all, opts.empty() ? std::vector<std::string>{"-y", "--no-install-recommends"} : opts, false);
          pre.insert(pre.end(), ic.begin(), ic.end());
          post.push_back("apt-get purge -y --auto-remove " + join(buildPkgs));
          post.push_back("rm -rf /var/lib/apt/lists/*");
        }
      }
      if (!changed) {
        keep(keptWhy);
        continue;
      }
      // Rebuild the RUN.
      std::vector<std::string> cmds;
      std::string comment;
      for (const auto& p : pre) cmds.push_back(p);
      std::vector<Segment> finalSegs;
      std::size_t afterLastApt = 0;  // where apt's lists are removed: after the last apt command
      bool aptSinceUser = false;      // an apt-get update already ran and no user command came since
      for (const auto& s : keptSegs) {
        if (s.slot >= 0) {
          const PkgSlot& slot = slots[static_cast<std::size_t>(s.slot)];
          std::vector<std::string> ic;
          if (stageTarget == Family::Alpine) {
            if (slot.upgrade) ic = {"apk upgrade --no-cache"};
            else if (!slot.pkgs.empty()) ic = installCmds(Family::Alpine, slot.pkgs, opts);
          } else if (slot.upgrade || !slot.pkgs.empty()) {
            if (!aptSinceUser)
              ic.push_back(translateStage && rootCopied[st.index] ? "apt-get -o APT::Sandbox::User=root update" : "apt-get update");
            if (slot.upgrade) ic.push_back("apt-get upgrade -y");
            else ic.push_back(installCmds(Family::Debian, slot.pkgs, slot.opts.empty() ? opts : slot.opts, false).back());
            aptSinceUser = true;
          }
          for (std::size_t k = 0; k < ic.size(); ++k) finalSegs.push_back({finalSegs.empty() ? "" : "&&", ic[k]});
          if (stageTarget == Family::Debian && !ic.empty()) afterLastApt = finalSegs.size();
          continue;
        }
        aptSinceUser = false;
        finalSegs.push_back({finalSegs.empty() ? "" : s.sep, s.text});
      }
      if (afterLastApt > 0)
        finalSegs.insert(finalSegs.begin() + static_cast<std::ptrdiff_t>(afterLastApt), Segment{"&&", "rm -rf /var/lib/apt/lists/*"});
      std::string body = joinSegments(finalSegs);
      for (const auto& p : post) body += (body.empty() ? "" : " \\\n    && ") + p;
      if (!pre.empty()) body = join(pre, " \\\n    && ") + (body.empty() ? "" : " \\\n    && " + body);
      std::string flags;
      for (const auto& [k, v] : step.flagList()) flags += (flags.empty() ? "" : " ") + ("--" + k + (v.empty() ? "" : "=" + v));
      std::string reason;
      if (pkgSeen) {
        std::vector<std::string> said;
        if (translateStage) said.push_back("system packages translated to " + std::string(stageTarget == Family::Alpine ? "Alpine" : "Debian") + " names");
        else if (!body.empty()) said.push_back("system packages kept");
        if (!movedBuild.empty())
          said.push_back("build tools and headers (" + join(movedBuild) + ") moved " +
                         (makeBuilder ? "to the builder stage" : "into the install layer, removed there"));
        if (!byBlock.empty())  // nothing of this RUN is left when it was all moved: it goes
          said.push_back("runtime packages (" + join(byBlock) + ") installed " +
                         (makeBuilder ? "before the copy from the builder" : "by the install layer"));
        if (!runHere.empty() && !movedBuild.empty()) said.push_back("runtime packages and libraries stay (" + join(runHere) + ")");
        if (!untranslatedHere.empty()) said.push_back("NOT translated (not in the target's package index, kept as a comment): " + join(untranslatedHere));
        if (!providedHere.empty()) said.push_back("dropped: the python image has them (" + join(providedHere) + ")");
        if (!pipToBuilder.empty())
          said.push_back("Alpine's Python libraries (" + join(pipToBuilder) + ") installed with pip in the builder stage, with the requirements");
        if (!pipHere.empty())
          said.push_back("Alpine's Python libraries installed with pip for the image's Python (" + join(pipHere) +
                         "; PyPI names: Alpine's py3- + the PyPI name, or catalogue/debian-to-alpine.json's list)");
        if (!body.empty()) said.push_back("apt lists removed in the same layer");
        reason = join(said, "; ");
      }
      const bool movedEarlier = plan.insertAt < plan.stepIndex;
      if (depMoved)
        reason += std::string(reason.empty() ? "" : "; ") + "the dependency install " +
                  (makeBuilder ? "is done in the builder stage; the final image copies only what it installed"
                               : movedEarlier ? "moved before the source copy (layer cache), without pip's cache"
                                              : "rewritten in place without pip's cache") +
                  (c.target == Family::Alpine || (!buildPkgs.empty() && !makeBuilder) ? ", with the build tools added and removed in its layer" : "");
      if (prepMoved)
        reason += std::string(reason.empty() ? "" : "; ") +
                  (makeBuilder ? "the commands that prepare the install (the venv, pip itself) run in the builder stage"
                               : "the commands before the install run with it, in the same order, in its layer");
      if (userTranslated)
        reason += std::string(reason.empty() ? "" : "; ") + "busybox adduser/addgroup options written as Debian's (-S → --system, -u → --uid, -G → --ingroup, -D → --disabled-password)";
      if (purgeTranslated)
        reason += std::string(reason.empty() ? "" : "; ") + "the build tools this RUN installed are removed where your Dockerfile removed them";
      if (!pathsMoved.empty())
        reason += std::string(reason.empty() ? "" : "; ") + "executables at the path the " +
                  (stageTarget == Family::Debian ? "Debian" : "Alpine") + " package installs them: " + join(pathsMoved, ", ");
      if (archTranslated)
        reason += std::string(reason.empty() ? "" : "; ") + "apk --print-arch written as uname -m (the same names for x86_64 and aarch64)";
      if (upgradeTranslated)
        reason += std::string(reason.empty() ? "" : "; ") + "the distribution upgrade in " +
                  (stageTarget == Family::Alpine ? "Alpine's apk" : "Debian's apt-get");
      if (cacheOff) reason += std::string(reason.empty() ? "" : "; ") + "pip's cache off (--no-cache-dir)";
      if (!pre.empty()) reason += std::string(reason.empty() ? "" : "; ") + "build tools installed and removed around this install in the same layer";
      for (const auto& p : untranslatedHere)
        if (p.find(' ') != std::string::npos)
          c.out.raw("# slimbench: `" + oneLineText(p) + "` (line " + std::to_string(step.startLine) + ") is " +
                        (stageTarget == Family::Alpine ? "Debian's apt" : "Alpine's apk") + " and cannot run on this " +
                        (stageTarget == Family::Alpine ? "Alpine" : "Debian") + " base: rewrite it by hand",
                    "package-manager command of the other family: needs a decision by hand");
        else
        c.out.raw("# slimbench: no " + std::string(stageTarget == Family::Alpine ? "Alpine" : "Debian") + " package for \"" + p +
                      "\" (from line " + std::to_string(step.startLine) + "); add its equivalent by hand:  " +
                      (stageTarget == Family::Alpine ? "apk add --no-cache ?  # " : "apt-get install ?  # ") + p,
                  "untranslated package: needs a decision by hand");
      if (body.empty()) {
        const char* action = "dropped";
        if (!movedBuild.empty() || (depMoved && (movedEarlier || makeBuilder)) || prepMoved) action = "moved";
        else if (depMoved) action = "replaced";
        else if (!untranslatedHere.empty()) action = "translated";  // nothing translatable: the marked comment stands for it
        else dropped = true;
        if (dropped && untranslatedHere.empty())
          reason = removesPackages
                       ? std::string("removes packages in a later layer, which frees nothing (a whiteout); ") +
                             (kind == VariantKind::Fat ? "the fat variant keeps its compilers" : "the variant removes build tools in the layer that installs them, or never installs them in the final stage")
                       : "package-manager bookkeeping only (update/clean/lists): the variant does it in its own install layers";
        fidelity(c, step.startLine, text, action, reason);
        continue;
      }
      if (!step.json() && step.heredocs().empty() && sameCommands(body, step.script())) {
        // Rebuilt as it was (the same commands, in the same order): the user's text stays, and
        // with it the model every variant shares with the original.
        keep(reason.empty() ? keptWhy : reason.c_str());
        continue;
      }
      c.out.raw(runText({body}, flags), reason);
      const char* action = translateStage && (pkgSeen || !pathsMoved.empty()) ? "translated" : "replaced";
      fidelity(c, step.startLine, text, action, reason);
    }
  }
  // Trailing comments after the last instruction (not those of the stages dropped after the target).
  if (!droppedAfterTarget && static_cast<int>(c.lines.size()) > prevEnd) c.out.raw(sourceLines(c, prevEnd + 1, static_cast<int>(c.lines.size())));
  // BuildKit: a non-root user where the original has none (at the end when the final stage ends with a RUN/COPY).
  if (buildkit && !userSeen && !userAdded) addUser();
  c.result.text = c.out.take();
  if (droppedAfterTarget && !c.result.text.empty() && c.result.text.back() != '\n') c.result.text += '\n';
  c.result.notes = c.out.takeNotes();
  // Records come mostly in line order already (then the sort, whose buffer and moves cost as much
  // as a transformation's own work at 100k lines, is skipped).
  auto byLine = [](const FidelityEntry& a, const FidelityEntry& b) { return a.line < b.line; };
  if (!std::is_sorted(c.result.fidelity.begin(), c.result.fidelity.end(), byLine))
    std::stable_sort(c.result.fidelity.begin(), c.result.fidelity.end(), byLine);
  return std::move(c.result);  // a member of a local: not moved implicitly
}

}  // namespace slimbench::generate
