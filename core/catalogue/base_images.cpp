#include "catalogue/base_images.h"

#include <nlohmann/json.hpp>

#include "util/jsontext.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <regex>

namespace slimbench::catalogue {

std::string BaseImage::debianSuite() const {
  for (const char* s : {"bookworm", "trixie", "bullseye", "buster", "stretch", "forky"})
    if (osRelease.find(s) != std::string::npos || resolvedTag.find(s) != std::string::npos) return s;
  return {};
}

std::string BaseImage::ubuntuRelease() const {
  for (const char* s : {"focal", "jammy", "noble", "bionic", "resolute"})
    if (osRelease.find(s) != std::string::npos || resolvedTag.find(s) != std::string::npos) return s;
  return {};
}

std::string BaseImage::repository() const {
  auto c = tag.find(':');
  return c == std::string::npos ? tag : tag.substr(0, c);
}

std::string BaseImage::alpineRelease() const {
  static const std::regex re(R"(alpine ?(\d+\.\d+))");
  std::smatch m;
  if (std::regex_search(osRelease, m, re)) return m[1];
  if (std::regex_search(resolvedTag, m, re)) return m[1];
  return {};
}

std::pair<std::string, std::string> splitImageRef(const std::string& ref) {
  std::string r = ref;
  if (auto at = r.find('@'); at != std::string::npos) r = r.substr(0, at);
  for (const char* p : {"docker.io/library/", "index.docker.io/library/", "library/", "docker.io/"})
    if (r.rfind(p, 0) == 0) r = r.substr(std::string(p).size());
  auto slash = r.rfind('/');
  auto colon = r.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return {r, "latest"};
  return {r.substr(0, colon), r.substr(colon + 1)};
}

Result<BaseImageCatalogue> BaseImageCatalogue::fromJson(std::string_view text, const std::string& name) {
  BaseImageCatalogue c;
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  auto fail = [&](const std::string& m) {
    Diagnostic d;
    d.where.file = name;
    d.message = m;
    return d;
  };
  if (j.is_discarded() || !j.is_object()) return fail("not valid JSON: expected the base-images catalogue object");
  if (!j.contains("images") || !j["images"].is_array()) return fail("expected an \"images\" array");
  if (j.contains("distro_python") && j["distro_python"].is_object() && j["distro_python"].contains("releases") &&
      j["distro_python"]["releases"].is_object())
    for (const auto& [rel, v] : j["distro_python"]["releases"].items())
      if (v.is_object() && !jStr(v, "python").empty())
        c.distroPython_.push_back({rel, {jStr(v, "python"), jStr(v, "source")}});
  c.gathered = jStr(j.contains("about") ? j["about"] : j, "gathered");
  c.sourceRepository = jStr(j.contains("about") ? j["about"] : j, "source_repository");
  std::size_t idx = 0;
  for (const auto& e : j["images"]) {
    ++idx;
    if (!e.is_object() || !e.contains("tag") || !e.contains("layers_compressed_bytes"))
      return fail("images[" + std::to_string(idx - 1) + "]: expected tag and layers_compressed_bytes");
    BaseImage b;
    b.tag = jStr(e, "tag");
    b.resolvedTag = jStr(e, "resolved_tag");
    b.arch = jStr(e, "arch", "amd64");
    b.pythonVersion = jStr(e, "python_version");
    b.variant = jStr(e, "variant");
    b.osRelease = jStr(e, "os_release");
    b.libc = jStr(e, "libc");
    b.compressedTotal = jU64(e, "compressed_total_bytes");
    if (e.contains("virtual_size_bytes") && e["virtual_size_bytes"].is_number())
      b.diskTotal = e["virtual_size_bytes"].get<std::uint64_t>();
    if (e.contains("virtual_size") && e["virtual_size"].is_object())
      b.diskPrecision = jU64(e["virtual_size"], "precision_bytes");
    if (e.contains("source") && e["source"].is_object()) {
      const auto& s = e["source"];
      const std::string repo = jStr(s, "repository", "docker-library/repo-info");
      b.source = repo + " " + jStr(s, "remote_file") + " @" + jStr(s, "remote_commit").substr(0, 12);
      b.built = jStr(s, "built");
    }
    std::vector<std::string> hist;
    if (e.contains("history_layer_lines") && e["history_layer_lines"].is_array())
      for (const auto& h : e["history_layer_lines"]) hist.push_back(h.is_string() ? h.get<std::string>() : "");
    std::uint64_t sum = 0;
    for (const auto& l : e["layers_compressed_bytes"]) sum += l.is_number() ? l.get<std::uint64_t>() : 0;
    if (b.compressedTotal == 0) b.compressedTotal = sum;
    std::size_t li = 0;
    for (const auto& l : e["layers_compressed_bytes"]) {
      BaseLayer layer;
      layer.compressedBytes = l.is_number() ? l.get<std::uint64_t>() : 0;
      layer.history = li < hist.size() ? hist[li] : std::string();
      b.layers.push_back(layer);
      ++li;
    }
    c.images_.push_back(std::move(b));
  }
  // Records of one architecture without history lines (repo-info prints them for amd64 only) take
  // the lines of the same tag's record for another architecture when it is the same build recipe
  // (same resolved tag, same number of layers): the layer categories come from these lines.
  for (auto& b : c.images_) {
    bool none = !b.layers.empty();
    for (const auto& l : b.layers) none = none && l.history.empty();
    if (!none) continue;
    for (const auto& o : c.images_) {
      if (&o == &b || o.tag != b.tag || o.arch == b.arch || o.resolvedTag != b.resolvedTag || o.layers.size() != b.layers.size())
        continue;
      bool has = true;
      for (const auto& l : o.layers) has = has && !l.history.empty();
      if (!has) continue;
      for (std::size_t i = 0; i < b.layers.size(); ++i)
        b.layers[i].history = o.layers[i].history + " [history line of the " + o.arch + " image of " + o.resolvedTag + "]";
      break;
    }
  }
  for (auto& b : c.images_) {
    std::string rel = b.debianSuite();
    if (rel.empty()) rel = b.ubuntuRelease();
    b.distroPython = c.distroPython(rel);
    b.distroPythonSource = c.distroPythonSource(rel);
  }
  c.modelMissingDisk();
  if (j.contains("legacy")) c.addLegacyRecords(j["legacy"]);
  for (auto& b : c.images_) {
    if (!b.diskTotal || b.legacy || b.compressedTotal == 0) continue;
    std::uint64_t assigned = 0;
    for (std::size_t i = 0; i < b.layers.size(); ++i) {
      auto& l = b.layers[i];
      if (i + 1 == b.layers.size()) l.diskBytes = *b.diskTotal - assigned;  // exact total
      else {
        l.diskBytes = static_cast<std::uint64_t>(static_cast<long double>(*b.diskTotal) * l.compressedBytes / b.compressedTotal);
        assigned += l.diskBytes;
      }
    }
  }
  return c;
}

void BaseImageCatalogue::addLegacyRecords(const nlohmann::json& list) {
  if (!list.is_array()) return;
  for (const auto& e : list) {
    if (!e.is_object()) continue;
    BaseImage b;
    b.tag = jStr(e, "tag");
    if (b.tag.empty()) continue;
    b.arch = "amd64";
    b.legacy = true;
    b.diskTotal = jU64(e, "size_bytes_approx");
    b.source = jStr(e, "source");
    b.built = jStr(e, "date");
    b.variant = b.tag.find("alpine") != std::string::npos ? "alpine" : b.tag.find("slim") != std::string::npos ? "slim" : "default";
    b.libc = b.variant == "alpine" ? "musl" : "glibc";
    b.osRelease = jStr(e, "os_release");
    b.resolvedTag = jStr(e, "resolved_tag");
    {
      static const std::regex pv(R"(:(\d+\.\d+\.\d+))");
      std::smatch m;
      if (std::regex_search(b.resolvedTag, m, pv)) b.pythonVersion = m[1];
    }
    {
      std::string rel = b.debianSuite();
      if (rel.empty()) rel = b.ubuntuRelease();
      b.distroPython = distroPython(rel);
      b.distroPythonSource = distroPythonSource(rel);
    }
    double mb = jNum(e, "size_mb");
    // docker prints sizes with about 3 significant digits: half a unit of the last digit.
    b.diskPrecision = mb >= 100 ? 500000 : 50000;
    BaseLayer one;
    one.diskBytes = *b.diskTotal;
    one.history = "(published total for " + b.tag + "; per-layer figures not published)";
    b.layers.push_back(one);
    images_.push_back(std::move(b));
  }
}

Result<BaseImageCatalogue> BaseImageCatalogue::addLegacy(std::string_view json, const std::string& name) {
  auto j = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("legacy") || !j["legacy"].is_array()) {
    Diagnostic d;
    d.where.file = name;
    d.message = "expected an object with a \"legacy\" array of published image sizes";
    return d;
  }
  addLegacyRecords(j["legacy"]);
  return *this;
}

const BaseImage* BaseImageCatalogue::find(const std::string& ref, const std::string& arch) const {
  const auto split = splitImageRef(ref);
  const std::string& repo = split.first;
  const std::string& tag = split.second;
  auto lookup = [&](const std::string& t, const std::string& a) -> const BaseImage* {
    const std::string full = repo + ":" + t;
    for (const auto& b : images_)
      if (b.tag == full && b.arch == a) return &b;
    return nullptr;
  };
  for (const std::string& a : {arch, std::string("amd64")}) {
    if (auto* b = lookup(tag, a)) return b;
    // python:3.12.3-slim -> python:3.12-slim ; python:3.12.3 -> python:3.12
    static const std::regex patch(R"(^(\d+\.\d+)\.\d+(.*)$)");
    std::smatch m;
    if (std::regex_match(tag, m, patch))
      if (auto* b = lookup(std::string(m[1]) + std::string(m[2]), a)) return b;
    // python:3.12-slim-trixie -> python:3.12-slim (the default suite today is trixie)
    for (const char* suite : {"-trixie"}) {
      auto p = tag.find(suite);
      if (p != std::string::npos && p + std::string(suite).size() == tag.size())
        if (auto* b = lookup(tag.substr(0, p), a)) return b;
    }
    // python:3.12-alpine3.24 -> python:3.12-alpine
    static const std::regex alp(R"(^(.*-alpine)\d+\.\d+$)");
    if (std::regex_match(tag, m, alp))
      if (auto* b = lookup(m[1], a)) return b;
  }
  auto r = resolve(ref, arch);
  return r.basis == BaseBasis::Exact ? r.image : nullptr;
}

// ---------------------------------------------------------------------------
// On-disk size when no docker-inspect figure was read.

namespace {
// The family a record's on-disk/compressed ratio is taken from.
std::string ratioFamily(const BaseImage& b) {
  const std::string repo = b.repository();
  if (repo == "python") return "python/" + b.variant + "/" + b.libc;
  return "os/" + b.libc;  // debian, ubuntu (glibc) and alpine (musl) bases
}
}  // namespace

void BaseImageCatalogue::modelMissingDisk() {
  // 1. amd64 records without a virtual size: compressed × the median on-disk/compressed ratio of
  //    the amd64 records of the same family that have one; the printed precision covers the
  //    family's spread of ratios (min..max), so the range holds every measured member.
  auto model = [&](BaseImage& b) {
    if (b.diskTotal || b.legacy || b.compressedTotal == 0) return;
    // the family's measured members; those of the same Debian suite / Alpine release (same era of
    // packages and compression) set the median when there are any, the whole family sets the range
    std::vector<double> all, same;
    const std::string era = b.debianSuite() + b.alpineRelease();
    for (const auto& o : images_)
      if (&o != &b && !o.legacy && !o.diskModelled && o.arch == "amd64" && o.diskTotal && o.compressedTotal &&
          ratioFamily(o) == ratioFamily(b)) {
        const double r = static_cast<double>(*o.diskTotal) / static_cast<double>(o.compressedTotal);
        all.push_back(r);
        if (!era.empty() && o.debianSuite() + o.alpineRelease() == era) same.push_back(r);
      }
    if (all.empty()) return;  // stays without an on-disk figure; resolve() says so
    std::sort(all.begin(), all.end());
    std::sort(same.begin(), same.end());
    const auto median = [](const std::vector<double>& v) {
      return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    };
    const bool bySuite = !same.empty();
    const double med = median(bySuite ? same : all);
    const double lo = std::min(all.front(), med), hi = std::max(all.back(), med);
    const double c = static_cast<double>(b.compressedTotal);
    b.diskTotal = static_cast<std::uint64_t>(c * med);
    b.diskPrecision = static_cast<std::uint64_t>(c * std::max(med - lo, hi - med));
    b.diskModelled = true;
    char buf[320];
    if (bySuite)
      std::snprintf(buf, sizeof buf,
                    "on-disk size not published for this build: compressed size × %.2f, the median on-disk/compressed "
                    "ratio of %zu catalogued %s image%s of the same release (%s), ± the family's range %.2f–%.2f (%zu images)",
                    med, same.size(), ratioFamily(b).c_str(), same.size() > 1 ? "s" : "", era.c_str(), lo, hi, all.size());
    else
      std::snprintf(buf, sizeof buf,
                    "on-disk size not published for this build: compressed size × %.2f, the median on-disk/compressed "
                    "ratio of %zu catalogued %s images (range %.2f–%.2f)",
                    med, all.size(), ratioFamily(b).c_str(), lo, hi);
    b.diskNote = buf;
  };
  for (auto& b : images_)
    if (b.arch == "amd64") model(b);
  // 2. arm64 records carry compressed sizes only: take the on-disk size of the same tag on amd64
  //    (flagged), since the same Dockerfile installs the same files.
  for (auto& b : images_) {
    if (b.diskTotal || b.arch == "amd64") continue;
    for (const auto& o : images_)
      if (o.tag == b.tag && o.arch == "amd64" && o.diskTotal) {
        b.diskTotal = o.diskTotal;
        b.diskPrecision = o.diskPrecision;
        b.diskFromOtherArch = true;
        b.diskModelled = o.diskModelled;
        b.diskNote = o.diskNote;
      }
  }
  // 3. anything left (an arm64 record with no amd64 twin) is modelled from its own compressed size.
  for (auto& b : images_) model(b);
}

std::string BaseImageCatalogue::distroPython(const std::string& release) const {
  for (const auto& [rel, v] : distroPython_)
    if (rel == release) return v.first;
  return {};
}

std::string BaseImageCatalogue::distroPythonSource(const std::string& release) const {
  for (const auto& [rel, v] : distroPython_)
    if (rel == release) return v.second;
  return {};
}

// ---------------------------------------------------------------------------
// Image references.

namespace {

const std::vector<std::string>& debianReleases() {  // oldest first
  static const std::vector<std::string> r{"jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky"};
  return r;
}
std::string debianCodename(const std::string& version) {  // "12" / "12.2" → "bookworm"
  static const std::vector<std::pair<std::string, std::string>> m{
      {"8", "jessie"}, {"9", "stretch"}, {"10", "buster"}, {"11", "bullseye"}, {"12", "bookworm"}, {"13", "trixie"}, {"14", "forky"}};
  const std::string major = version.substr(0, version.find('.'));
  for (const auto& [v, c] : m)
    if (v == major) return c;
  return {};
}
// Suite aliases as of the catalogued 2026 snapshots (trixie is stable since 2025-08).
std::string debianAlias(const std::string& t) {
  if (t == "stable" || t == "latest") return "trixie";
  if (t == "oldstable") return "bookworm";
  if (t == "oldoldstable") return "bullseye";
  if (t == "testing") return "forky";
  return {};
}
const std::vector<std::pair<std::string, std::string>>& ubuntuReleases() {  // oldest first
  static const std::vector<std::pair<std::string, std::string>> r{{"14.04", "trusty"}, {"16.04", "xenial"},
                                                                   {"18.04", "bionic"}, {"20.04", "focal"},
                                                                   {"22.04", "jammy"},  {"24.04", "noble"},
                                                                   {"26.04", "resolute"}};
  return r;
}
int indexOf(const std::vector<std::string>& v, const std::string& x) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] == x) return static_cast<int>(i);
  return -1;
}
int ubuntuIndex(const std::string& codenameOrVersion) {
  const auto& r = ubuntuReleases();
  for (std::size_t i = 0; i < r.size(); ++i)
    if (r[i].first == codenameOrVersion || r[i].second == codenameOrVersion) return static_cast<int>(i);
  return -1;
}
bool isPythonSuite(const std::string& t) { return indexOf(debianReleases(), t) >= 0; }

Diagnostic refError(const std::string& ref, const std::string& what) {
  Diagnostic d;
  d.message = "image reference '" + ref + "': " + what;
  return d;
}

// Facts from an official-image tag. Unknown tokens of a python tag become its variant, so a
// python:3.12-windowsservercore finds no family rather than a wrong one.
void parseFamily(ImageRef& r) {
  if (!r.registry.empty()) return;
  const std::string& t = r.tag;
  std::vector<std::string> tok;
  for (std::size_t a = 0; a <= t.size();) {
    auto b = t.find('-', a);
    if (b == std::string::npos) b = t.size();
    tok.push_back(t.substr(a, b - a));
    a = b + 1;
  }
  if (t.empty()) tok.clear();
  static const std::regex pyVersion(R"(\d+(\.\d+){0,2}((a|b|rc)\d+)?)");
  static const std::regex alpineTok(R"(alpine(\d+\.\d+)?)");
  static const std::regex dateTok(R"(\d{8}(\.\d+)?)");
  std::smatch m;
  if (r.repository == "python") {
    r.variant = "default";
    std::size_t i = 0;
    if (!tok.empty() && tok[0] == "latest") i = 1;
    else if (!tok.empty() && std::regex_match(tok[0], pyVersion)) r.version = tok[i++];
    for (; i < tok.size(); ++i) {
      const std::string& k = tok[i];
      if (k == "slim") r.variant = "slim";
      else if (std::regex_match(k, m, alpineTok)) {
        r.variant = "alpine";
        r.distro = "alpine";
        r.alpineVersion = m[1];
      } else if (isPythonSuite(k)) r.distro = k;
      else if (k == "rc" || k == "bullseye-rc") continue;
      else r.variant = k;  // windowsservercore, nanoserver, ...: no catalogued family
    }
  } else if (r.repository == "debian") {
    r.variant = "default";
    std::size_t i = 0;
    if (!tok.empty()) {
      const std::string& k = tok[0];
      static const std::regex num(R"(\d+(\.\d+)?)");
      if (std::regex_match(k, num)) {
        r.version = k;
        r.distro = debianCodename(k);
        i = 1;
      } else if (indexOf(debianReleases(), k) >= 0 || k == "sid") {
        r.distro = k;
        i = 1;
      } else if (!debianAlias(k).empty()) {
        r.distro = debianAlias(k);
        i = 1;
      }
    } else {
      r.distro = debianAlias("latest");
    }
    for (; i < tok.size(); ++i) {
      if (tok[i] == "slim") r.variant = "slim";
      else if (std::regex_match(tok[i], dateTok)) r.build = tok[i];
      else r.variant = tok[i];  // backports, ...
    }
  } else if (r.repository == "ubuntu") {
    r.variant = "default";
    std::size_t i = 0;
    if (!tok.empty()) {
      int u = ubuntuIndex(tok[0]);
      if (u >= 0) {
        r.version = ubuntuReleases()[u].first;
        r.distro = ubuntuReleases()[u].second;
        i = 1;
      } else if (tok[0] == "latest" || tok[0] == "rolling" || tok[0] == "devel") {
        i = 1;
      }
    }
    for (; i < tok.size(); ++i) {
      if (std::regex_match(tok[i], dateTok)) r.build = tok[i];
      else r.variant = tok[i];
    }
  } else if (r.repository == "alpine") {
    r.variant = "default";
    r.distro = "alpine";
    static const std::regex ver(R"((\d+\.\d+)(\.\d+)?)");
    std::size_t i = 0;
    if (!tok.empty() && std::regex_match(tok[0], m, ver)) {
      r.version = tok[0];
      r.alpineVersion = m[1];
      i = 1;
    } else if (!tok.empty() && (tok[0] == "latest" || tok[0] == "edge")) {
      i = 1;
    }
    for (; i < tok.size(); ++i) r.variant = tok[i];
  }
}

}  // namespace

bool ImageRef::officialFamily() const {
  return registry.empty() && (repository == "python" || repository == "debian" || repository == "ubuntu" || repository == "alpine");
}

std::string ImageRef::display() const {
  std::string s = registry.empty() ? repository : registry + "/" + repository;
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += "@" + digest;
  return s;
}

Result<ImageRef> parseImageRef(const std::string& input) {
  std::string ref = input;
  while (!ref.empty() && std::isspace(static_cast<unsigned char>(ref.front()))) ref.erase(ref.begin());
  while (!ref.empty() && std::isspace(static_cast<unsigned char>(ref.back()))) ref.pop_back();
  if (ref.empty()) return refError(input, "empty: expected an image such as python:3.12-slim");
  for (char c : ref)
    if (std::isspace(static_cast<unsigned char>(c)))
      return refError(ref, "contains a space: expected one image reference such as python:3.12-slim");
  if (ref.find('$') != std::string::npos)
    return refError(ref, "contains an unresolved variable: give the build argument a value (--build-arg) or a default");
  ImageRef r;
  std::string name = ref;
  if (auto at = ref.find('@'); at != std::string::npos) {
    r.digest = ref.substr(at + 1);
    name = ref.substr(0, at);
    static const std::regex dig(R"((sha256:[0-9a-f]{64})|(sha512:[0-9a-f]{128}))");
    if (!std::regex_match(r.digest, dig))
      return refError(ref, "digest '" + r.digest + "' is not 'sha256:' followed by 64 lowercase hex digits");
    if (name.empty()) return refError(ref, "no image name before '@'");
  }
  // tag: after the last ':' that follows the last '/'
  const auto slash = name.rfind('/');
  const auto colon = name.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    r.tag = name.substr(colon + 1);
    name = name.substr(0, colon);
    if (r.tag.empty()) return refError(ref, "empty tag after ':' (expected e.g. python:3.12, or no ':' for latest)");
    static const std::regex tagRe(R"([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})");
    if (!std::regex_match(r.tag, tagRe))
      return refError(ref, "tag '" + r.tag + "' has characters a tag cannot have (letters, digits, '_', '.', '-'; at most 128)");
  }
  if (name.empty()) return refError(ref, "no image name (expected e.g. python:3.12-slim)");
  // registry: a first component with '.' or ':' or "localhost"
  if (auto s = name.find('/'); s != std::string::npos) {
    const std::string first = name.substr(0, s);
    if (first.find('.') != std::string::npos || first.find(':') != std::string::npos || first == "localhost") {
      r.registry = first;
      name = name.substr(s + 1);
    }
  }
  for (char& c : r.registry) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (r.registry == "docker.io" || r.registry == "index.docker.io" || r.registry == "registry-1.docker.io") r.registry.clear();
  static const std::regex comp(R"([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)");
  std::size_t a = 0;
  while (true) {
    auto b = name.find('/', a);
    const std::string part = name.substr(a, b == std::string::npos ? std::string::npos : b - a);
    if (!std::regex_match(part, comp)) {
      bool upper = false;
      for (char c : part) upper = upper || std::isupper(static_cast<unsigned char>(c));
      return refError(ref, upper ? "repository name '" + name + "' has upper-case letters: image names are lower case"
                                 : "repository name '" + name + "' is not valid (lower-case letters, digits and . _ - between them)");
    }
    if (b == std::string::npos) break;
    a = b + 1;
  }
  if (r.registry.empty() && name.rfind("library/", 0) == 0) name = name.substr(8);
  r.repository = name;
  parseFamily(r);
  return r;
}

const char* baseBasisName(BaseBasis b) {
  switch (b) {
    case BaseBasis::Exact: return "exact";
    case BaseBasis::Proxy: return "proxy";
    case BaseBasis::Unknown: return "unknown";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------
// Resolution.

namespace {

struct Facts {
  std::string repo, variant, distro, alpine, build;
  std::string version;  // as asked / as built ("3.11.15", "12.2", "22.04", "3.19.5")
  int minor = -1;       // python / alpine 3.x minor; debian / ubuntu release index
  bool namesDistro = false;
  bool moving = false;  // latest, slim, alpine, 3, stable, ...
};

int pyMinor(const std::string& v) {  // "3.11.15" → 11; "3" or "" → -1
  static const std::regex re(R"(\d+\.(\d+).*)");
  std::smatch m;
  return std::regex_match(v, m, re) ? std::stoi(m[1]) : -1;
}

Facts requestFacts(const ImageRef& r) {
  Facts f;
  f.repo = r.repository;
  f.variant = r.variant;
  f.distro = r.distro;
  f.alpine = r.alpineVersion;
  f.build = r.build;
  f.version = r.version;
  if (r.repository == "python") {
    f.minor = pyMinor(r.version);
    f.moving = f.minor < 0;
    f.namesDistro = !r.distro.empty() && r.distro != "alpine";
  } else if (r.repository == "alpine") {
    f.minor = pyMinor(r.alpineVersion);
    f.moving = f.minor < 0;
  } else if (r.repository == "debian") {
    f.minor = indexOf(debianReleases(), r.distro);
    f.moving = r.tag.empty() || r.tag.rfind("latest", 0) == 0 || r.tag.rfind("stable", 0) == 0 ||
               r.tag.rfind("oldstable", 0) == 0 || r.tag.rfind("oldoldstable", 0) == 0 || r.tag.rfind("testing", 0) == 0;
  } else if (r.repository == "ubuntu") {
    f.minor = ubuntuIndex(r.distro);
    f.moving = f.minor < 0;
  }
  return f;
}

Facts recordFacts(const BaseImage& b) {
  Facts f;
  auto parsed = parseImageRef(b.tag);
  if (!parsed) return f;
  const ImageRef& r = *parsed;
  f.repo = r.repository;
  f.variant = b.legacy ? b.variant : r.variant;
  if (f.repo == "python") {
    f.version = !b.pythonVersion.empty() ? b.pythonVersion : r.version;
    f.minor = pyMinor(f.version);
    f.namesDistro = !r.distro.empty() && r.distro != "alpine";
    f.distro = f.variant == "alpine" ? "alpine" : b.debianSuite();
    f.alpine = b.alpineRelease();
  } else if (f.repo == "debian") {
    f.distro = !b.debianSuite().empty() ? b.debianSuite() : r.distro;
    f.minor = indexOf(debianReleases(), f.distro);
    static const std::regex d(R"(\d{8})");
    std::smatch m;
    if (std::regex_search(b.resolvedTag, m, d)) f.build = m[0];
  } else if (f.repo == "ubuntu") {
    f.distro = !b.ubuntuRelease().empty() ? b.ubuntuRelease() : r.distro;
    f.minor = ubuntuIndex(f.distro);
    f.version = f.minor >= 0 ? ubuntuReleases()[f.minor].first : "";
    static const std::regex d(R"(\d{8}(\.\d+)?)");
    std::smatch m;
    if (std::regex_search(b.resolvedTag, m, d)) f.build = m[0];
  } else if (f.repo == "alpine") {
    f.distro = "alpine";
    static const std::regex v(R"(alpine:(\d+\.\d+(\.\d+)?))");
    std::smatch m;
    f.version = std::regex_search(b.resolvedTag, m, v) ? std::string(m[1]) : r.version;
    f.alpine = b.alpineRelease().empty() ? r.alpineVersion : b.alpineRelease();
    f.minor = pyMinor(f.alpine);
  }
  return f;
}

std::string pct(double w) { return std::to_string(static_cast<int>(std::lround(w * 100))) + "%"; }

}  // namespace

BaseResolution BaseImageCatalogue::resolve(const std::string& refText, const std::string& arch) const {
  BaseResolution out;
  auto parsed = parseImageRef(refText);
  if (!parsed) {
    out.note = parsed.error().message;
    return out;
  }
  out.ref = *parsed;
  const ImageRef& ref = out.ref;
  if (ref.registry.empty() && ref.repository == "scratch") {
    out.basis = BaseBasis::Exact;
    out.note = "scratch: empty";
    return out;
  }
  if (!ref.registry.empty()) {
    out.note = ref.display() + ": images from " + ref.registry +
               " are not in the catalogue (it holds Docker Hub's official python, debian, ubuntu and alpine images)";
    return out;
  }
  const std::string archUsed = arch.empty() ? "amd64" : arch;
  // 1. the tag exactly as catalogued
  const std::string asTagged = ref.repository + ":" + (ref.tag.empty() ? "latest" : ref.tag);
  const BaseImage* sameTagOther = nullptr;
  for (const auto& b : images_)
    if (b.tag == asTagged) {
      if (b.arch == archUsed) {
        out.image = &b;
        out.basis = BaseBasis::Exact;
        if (!ref.digest.empty()) out.note = "digest " + ref.digest.substr(0, 19) + "… not checked: sized by its tag";
        return out;
      }
      if (b.arch == "amd64") sameTagOther = &b;
    }
  if (!ref.officialFamily()) {
    out.note = ref.display() + ": no catalogued image of repository '" + ref.repository +
               "' (the catalogue holds Docker Hub's python, debian, ubuntu and alpine)";
    return out;
  }
  if ((ref.repository == "python" || ref.repository == "alpine") && !ref.version.empty() &&
      ref.version.substr(0, ref.version.find('.')) != "3") {
    out.note = ref.display() + ": only " + ref.repository + " 3.x releases are catalogued";
    return out;
  }
  const Facts want = requestFacts(ref);
  // 2. candidates of the same repository and variant; score them
  struct Cand {
    const BaseImage* b;
    Facts f;
    double cost;
  };
  std::vector<Cand> cands;
  int newestMinor = -1;
  for (const auto& b : images_) {
    if (b.arch != "amd64" && b.arch != archUsed) continue;
    Facts f = recordFacts(b);
    if (f.repo != want.repo || f.variant != want.variant) continue;
    if (want.repo == "python" && want.distro.size() && want.distro != "alpine" && f.distro == "alpine") continue;
    cands.push_back({&b, f, 0});
    newestMinor = std::max(newestMinor, f.minor);
  }
  if (cands.empty()) {
    out.note = ref.display() + ": no catalogued " + want.repo + " image of the '" + want.variant +
               "' variant";
    return out;
  }
  // moving tags (latest, slim, 3, alpine, stable) mean the newest catalogued release of that family
  const int targetMinor = want.moving && want.repo != "debian" ? newestMinor : want.minor;
  for (auto& c : cands) {
    const Facts& f = c.f;
    double cost = 0;
    if (targetMinor >= 0 && f.minor >= 0) cost += std::abs(f.minor - targetMinor);
    else if (targetMinor >= 0 || f.minor >= 0) cost += 5;
    if (want.repo == "python") {
      if (want.namesDistro) {
        int a = indexOf(debianReleases(), want.distro), b = indexOf(debianReleases(), f.distro);
        cost += (a >= 0 && b >= 0) ? 2.0 * std::abs(a - b) : 4.0;
      }
      const bool patchAsked = std::count(want.version.begin(), want.version.end(), '.') >= 2;
      if (!want.namesDistro && f.namesDistro && !patchAsked) cost += 0.5;  // prefer the plain tag when no suite was named
      if (patchAsked && want.version != f.version) cost += 0.6;            // a pinned patch release prefers its own build
      if (!want.alpine.empty() && want.alpine != f.alpine) cost += 0.5;
    }
    if (c.b->legacy) cost += 0.25;
    if (c.b->arch != archUsed) cost += 0.05;
    c.cost = cost;
  }
  std::stable_sort(cands.begin(), cands.end(), [](const Cand& x, const Cand& y) {
    if (x.cost != y.cost) return x.cost < y.cost;
    return x.b->built > y.b->built;
  });
  const Cand& best = cands.front();
  // prefer the record of the requested architecture for the chosen tag
  const BaseImage* img = best.b;
  for (const auto& b : images_)
    if (b.tag == img->tag && b.arch == archUsed) img = &b;
  const Facts& f = best.f;
  // 3. what differs, and the widening it earns
  std::vector<std::string> why;
  double widen = 0;
  bool differs = false;
  if (want.moving) {
    differs = true;
    why.push_back("moving tag: the newest catalogued release of the family");
  }
  int minorSteps = 0, releaseSteps = 0;
  if (want.repo == "python" || want.repo == "alpine") {
    if (!want.moving && want.minor >= 0 && f.minor >= 0) minorSteps = std::abs(want.minor - f.minor);
    if (minorSteps) why.push_back(std::to_string(minorSteps) + " minor version" + (minorSteps > 1 ? "s" : "") + " away");
    const bool patchAsked = !want.version.empty() && std::count(want.version.begin(), want.version.end(), '.') >= 2;
    if (!minorSteps && patchAsked && want.version != f.version) {
      differs = true;
      why.push_back("same minor, other patch release (" + want.version + " asked, " + (f.version.empty() ? "?" : f.version) + " catalogued)");
    }
    if (want.repo == "python") {
      if (want.namesDistro && want.distro != f.distro) {
        int a = indexOf(debianReleases(), want.distro), b = indexOf(debianReleases(), f.distro);
        releaseSteps = (a >= 0 && b >= 0) ? std::abs(a - b) : 1;
        why.push_back("Debian " + (f.distro.empty() ? std::string("(suite not named)") : f.distro) + " for " + want.distro);
      } else if (!want.namesDistro && f.namesDistro && !patchAsked) {
        differs = true;
        why.push_back("the plain tag sized by the suite-named one (" + f.distro + ")");
      }
      if (!want.alpine.empty() && want.alpine != f.alpine) {
        widen += 0.05;
        why.push_back("Alpine " + (f.alpine.empty() ? std::string("?") : f.alpine) + " for " + want.alpine);
      }
    }
  } else {  // debian, ubuntu: releases and builds
    if (want.minor >= 0 && f.minor >= 0 && !want.moving) releaseSteps = std::abs(want.minor - f.minor);
    if (releaseSteps) why.push_back((want.repo == "debian" ? "Debian " : "Ubuntu ") + f.distro + " for " + want.distro);
    if (!want.build.empty() && want.build != f.build) {
      differs = true;
      why.push_back("build " + want.build + " sized by the catalogued build " + (f.build.empty() ? img->built : f.build));
    }
    if (want.repo == "debian" && want.version.find('.') != std::string::npos) {
      differs = true;
      why.push_back("point release " + want.version + " sized by the catalogued " + f.distro + " build of " + img->built);
    }
    if (want.minor < 0 && !want.moving) {
      differs = true;
      why.push_back("release '" + ref.tag + "' not recognised");
    }
  }
  widen += 0.05 * minorSteps + 0.10 * releaseSteps;
  if (minorSteps || releaseSteps) differs = true;
  if (img->arch != archUsed) {
    widen += 0.10;
    differs = true;
    why.push_back("amd64 figures (no " + archUsed + " record)");
  }
  if (!differs && widen == 0) {
    out.image = img;
    out.basis = BaseBasis::Exact;
    if (!ref.digest.empty()) out.note = "digest " + ref.digest.substr(0, 19) + "… not checked: sized by its tag";
    return out;
  }
  widen = std::min(0.5, widen + 0.05);
  out.image = img;
  out.basis = BaseBasis::Proxy;
  out.widen = widen;
  std::string detail;
  if (want.repo == "python") {
    detail = (f.version.empty() ? std::string() : f.version) +
             (f.variant == "alpine" ? (f.alpine.empty() ? "" : ", alpine " + f.alpine)
                                    : (f.distro.empty() ? "" : ", " + f.distro));
  } else {
    detail = img->resolvedTag.empty() ? img->built : img->resolvedTag;
  }
  std::string family = want.variant;
  if (want.repo == "python") family += img->libc.empty() ? "" : ", " + img->libc;
  std::string reasons;
  for (const auto& w : why) reasons += (reasons.empty() ? "" : "; ") + w;
  out.note = ref.display() + " sized as " + img->tag + (detail.empty() ? "" : " (" + detail + ")") +
             ": nearest catalogued tag of the same family (" + family + ")" + (reasons.empty() ? "" : " — " + reasons) +
             "; range widened ±" + pct(widen);
  (void)sameTagOther;
  return out;
}

}  // namespace slimbench::catalogue
