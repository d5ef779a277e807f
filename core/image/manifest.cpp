#include "image/manifest.h"

#include <nlohmann/json.hpp>

namespace slimbench::image {
namespace {

using json = nlohmann::json;

Diagnostic err(const std::string& where, const std::string& msg) {
  Diagnostic d;
  d.where.file = where;
  d.message = msg;
  return d;
}

const char* typeName(const json& j) {
  switch (j.type()) {
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::null: return "null";
    case json::value_t::discarded: return "nothing";
    default: return "a number";
  }
}

// Maximum nesting depth of [ and { outside strings; the recursive parser
// would overflow the stack on adversarial nesting, so this is checked first.
std::size_t nestingDepth(std::string_view s) {
  std::size_t depth = 0, maxDepth = 0;
  bool inString = false, escape = false;
  for (char c : s) {
    if (inString) {
      if (escape) escape = false;
      else if (c == '\\') escape = true;
      else if (c == '"') inString = false;
      continue;
    }
    if (c == '"') inString = true;
    else if (c == '[' || c == '{') maxDepth = std::max(maxDepth, ++depth);
    else if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return maxDepth;
}

// Parses with size and depth limits; errors name the document.
Result<json> parseJson(std::string_view text, const std::string& where, const JsonLimits& limits) {
  if (text.size() > limits.maxBytes)
    return err(where, "document is " + std::to_string(text.size()) + " bytes, over the limit of " +
                          std::to_string(limits.maxBytes) + " for image JSON");
  if (nestingDepth(text) > limits.maxDepth)
    return err(where, "JSON nested deeper than " + std::to_string(limits.maxDepth) + " levels");
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return err(where, "expected JSON, the document does not parse");
  return j;
}

// Typed field access that reports "where: field: expected X, got Y".
struct Fields {
  const json& obj;
  const std::string& where;
  std::string ctx;  // "manifests[2]" etc.

  std::string name(const char* key) const { return ctx.empty() ? key : ctx + "." + key; }
  const json* find(const char* key) const {
    auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
  }
  std::optional<Diagnostic> str(const char* key, std::string& out, bool required) const {
    const json* v = find(key);
    if (!v) return required ? std::optional(err(where, name(key) + ": expected a string, the field is missing"))
                            : std::nullopt;
    if (!v->is_string()) return err(where, name(key) + ": expected a string, got " + typeName(*v));
    out = v->get<std::string>();
    return std::nullopt;
  }
  std::optional<Diagnostic> strList(const char* key, std::vector<std::string>& out, std::size_t max) const {
    const json* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_array()) return err(where, name(key) + ": expected an array of strings, got " + typeName(*v));
    if (v->size() > max)
      return err(where, name(key) + ": " + std::to_string(v->size()) + " entries, over the limit of " +
                            std::to_string(max));
    for (std::size_t i = 0; i < v->size(); ++i) {
      const json& e = (*v)[i];
      if (!e.is_string())
        return err(where, name(key) + "[" + std::to_string(i) + "]: expected a string, got " + typeName(e));
      out.push_back(e.get<std::string>());
    }
    return std::nullopt;
  }
};

bool isLowerHex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Result<Platform> parsePlatformObj(const json& p, const std::string& where, const std::string& ctx) {
  if (!p.is_object()) return err(where, ctx + ": expected an object, got " + typeName(p));
  Platform out;
  Fields f{p, where, ctx};
  if (auto d = f.str("os", out.os, false)) return *d;
  if (auto d = f.str("architecture", out.architecture, false)) return *d;
  if (auto d = f.str("variant", out.variant, false)) return *d;
  return out;
}

Result<Descriptor> parseDescriptor(const json& j, const std::string& where, const std::string& ctx) {
  if (!j.is_object()) return err(where, ctx + ": expected a descriptor object, got " + typeName(j));
  Descriptor d;
  Fields f{j, where, ctx};
  if (auto e = f.str("mediaType", d.mediaType, false)) return *e;
  if (auto e = f.str("digest", d.digest, true)) return *e;
  if (!isValidDigest(d.digest))
    return err(where, ctx + ".digest: expected \"sha256:\" and 64 lowercase hex digits, got \"" +
                          d.digest.substr(0, 100) + "\"");
  if (const json* s = f.find("size")) {
    if (!s->is_number_integer() || s->get<std::int64_t>() < 0)
      return err(where, ctx + ".size: expected a non-negative integer");
    d.size = s->get<std::int64_t>();
  }
  if (const json* p = f.find("platform")) {
    auto pl = parsePlatformObj(*p, where, ctx + ".platform");
    if (!pl) return pl.error();
    d.platform = *pl;
  }
  if (const json* a = f.find("annotations")) {
    if (!a->is_object()) return err(where, ctx + ".annotations: expected an object, got " + typeName(*a));
    for (auto it = a->begin(); it != a->end(); ++it)
      if (it.value().is_string()) d.annotations[it.key()] = it.value().get<std::string>();
  }
  return d;
}

}  // namespace

std::string Platform::str() const {
  if (os.empty() && architecture.empty()) return "";
  std::string s = os + "/" + architecture;
  if (!variant.empty()) s += "/" + variant;
  return s;
}

std::optional<Platform> Platform::parse(std::string_view s) {
  Platform p;
  auto a = s.find('/');
  if (a == std::string_view::npos || a == 0) return std::nullopt;
  p.os = std::string(s.substr(0, a));
  auto rest = s.substr(a + 1);
  auto b = rest.find('/');
  p.architecture = std::string(rest.substr(0, b));
  if (b != std::string_view::npos) p.variant = std::string(rest.substr(b + 1));
  if (p.architecture.empty() || p.variant.find('/') != std::string::npos) return std::nullopt;
  return p;
}

bool Platform::matches(const Platform& want) const {
  if (os != want.os || architecture != want.architecture) return false;
  return variant.empty() || want.variant.empty() || variant == want.variant;
}

bool isValidDigest(std::string_view d) {
  if (d.starts_with("sha256:")) return d.size() == 7 + 64 && isLowerHex(d.substr(7));
  if (d.starts_with("sha512:")) return d.size() == 7 + 128 && isLowerHex(d.substr(7));
  return false;
}

std::string blobPath(std::string_view digest) {
  auto c = digest.find(':');
  return "blobs/" + std::string(digest.substr(0, c)) + "/" + std::string(digest.substr(c + 1));
}

bool isSafeMemberPath(std::string_view p) {
  if (p.empty() || p.size() > 4096 || p.front() == '/') return false;
  std::size_t start = 0;
  while (start <= p.size()) {
    auto end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    auto comp = p.substr(start, end - start);
    if (comp == "..") return false;
    start = end + 1;
  }
  return p.find('\0') == std::string_view::npos;
}

Result<std::vector<DockerManifestEntry>> parseDockerManifest(std::string_view text, const std::string& where,
                                                             const JsonLimits& limits) {
  auto j = parseJson(text, where, limits);
  if (!j) return j.error();
  if (!j->is_array()) return err(where, std::string("expected an array of images, got ") + typeName(*j));
  if (j->empty()) return err(where, "expected at least one image, the array is empty");
  if (j->size() > limits.maxManifests) return err(where, "too many images (" + std::to_string(j->size()) + ")");
  std::vector<DockerManifestEntry> out;
  for (std::size_t i = 0; i < j->size(); ++i) {
    const json& e = (*j)[i];
    std::string ctx = "[" + std::to_string(i) + "]";
    if (!e.is_object()) return err(where, ctx + ": expected an object, got " + typeName(e));
    DockerManifestEntry m;
    Fields f{e, where, ctx};
    if (auto d = f.str("Config", m.config, true)) return *d;
    if (auto d = f.strList("RepoTags", m.repoTags, 10000)) return *d;
    const json* layers = f.find("Layers");
    if (!layers) return err(where, ctx + ".Layers: expected an array of layer paths, the field is missing");
    if (layers->is_array() && layers->size() > limits.maxLayers)
      return err(where, ctx + ".Layers: too many layers (" + std::to_string(layers->size()) + ", the limit is " +
                            std::to_string(limits.maxLayers) + ")");
    if (auto d = f.strList("Layers", m.layers, limits.maxLayers)) return *d;
    if (!isSafeMemberPath(m.config))
      return err(where, ctx + ".Config: \"" + m.config.substr(0, 200) + "\" is not a relative path inside the archive");
    for (std::size_t k = 0; k < m.layers.size(); ++k)
      if (!isSafeMemberPath(m.layers[k]))
        return err(where, ctx + ".Layers[" + std::to_string(k) + "]: \"" + m.layers[k].substr(0, 200) +
                              "\" is not a relative path inside the archive");
    out.push_back(std::move(m));
  }
  return out;
}

Result<OciIndex> parseOciIndex(std::string_view text, const std::string& where, const JsonLimits& limits) {
  auto j = parseJson(text, where, limits);
  if (!j) return j.error();
  if (!j->is_object()) return err(where, std::string("expected an image index object, got ") + typeName(*j));
  const json* ms = Fields{*j, where, ""}.find("manifests");
  if (!ms || !ms->is_array()) return err(where, "manifests: expected an array of descriptors");
  if (ms->size() > limits.maxManifests)
    return err(where, "manifests: too many entries (" + std::to_string(ms->size()) + ")");
  OciIndex out;
  for (std::size_t i = 0; i < ms->size(); ++i) {
    auto d = parseDescriptor((*ms)[i], where, "manifests[" + std::to_string(i) + "]");
    if (!d) return d.error();
    out.manifests.push_back(std::move(*d));
  }
  return out;
}

Result<OciManifest> parseOciManifest(std::string_view text, const std::string& where, const JsonLimits& limits) {
  auto j = parseJson(text, where, limits);
  if (!j) return j.error();
  if (!j->is_object()) return err(where, std::string("expected an image manifest object, got ") + typeName(*j));
  OciManifest m;
  Fields f{*j, where, ""};
  if (auto d = f.str("mediaType", m.mediaType, false)) return *d;
  const json* c = f.find("config");
  if (!c) return err(where, "config: expected a descriptor, the field is missing");
  auto cd = parseDescriptor(*c, where, "config");
  if (!cd) return cd.error();
  m.config = *cd;
  const json* ls = f.find("layers");
  if (!ls || !ls->is_array()) return err(where, "layers: expected an array of descriptors");
  if (ls->size() > limits.maxLayers)
    return err(where, "layers: too many layers (" + std::to_string(ls->size()) + ", the limit is " +
                          std::to_string(limits.maxLayers) + ")");
  for (std::size_t i = 0; i < ls->size(); ++i) {
    auto d = parseDescriptor((*ls)[i], where, "layers[" + std::to_string(i) + "]");
    if (!d) return d.error();
    m.layers.push_back(std::move(*d));
  }
  return m;
}

Result<ImageConfig> parseImageConfig(std::string_view text, const std::string& where, const JsonLimits& limits) {
  auto j = parseJson(text, where, limits);
  if (!j) return j.error();
  if (!j->is_object()) return err(where, std::string("expected an image config object, got ") + typeName(*j));
  ImageConfig c;
  Fields f{*j, where, ""};
  if (auto d = f.str("os", c.platform.os, false)) return *d;
  if (auto d = f.str("architecture", c.platform.architecture, false)) return *d;
  if (auto d = f.str("variant", c.platform.variant, false)) return *d;
  if (auto d = f.str("created", c.created, false)) return *d;
  const json* rootfs = f.find("rootfs");
  if (!rootfs || !rootfs->is_object()) return err(where, "rootfs: expected an object with diff_ids");
  Fields rf{*rootfs, where, "rootfs"};
  if (auto d = rf.strList("diff_ids", c.diffIds, limits.maxLayers + 1)) return *d;
  if (c.diffIds.size() > limits.maxLayers)
    return err(where, "rootfs.diff_ids: too many layers (the limit is " + std::to_string(limits.maxLayers) + ")");
  for (std::size_t i = 0; i < c.diffIds.size(); ++i)
    if (!isValidDigest(c.diffIds[i]))
      return err(where, "rootfs.diff_ids[" + std::to_string(i) + "]: expected \"sha256:\" and 64 hex digits");
  if (const json* cfg = f.find("config")) {
    if (!cfg->is_object()) return err(where, std::string("config: expected an object, got ") + typeName(*cfg));
    Fields cf{*cfg, where, "config"};
    if (auto d = cf.strList("Env", c.env, 100000)) return *d;
    if (auto d = cf.strList("Cmd", c.cmd, 100000)) return *d;
    if (auto d = cf.strList("Entrypoint", c.entrypoint, 100000)) return *d;
    if (auto d = cf.str("WorkingDir", c.workingDir, false)) return *d;
    if (auto d = cf.str("User", c.user, false)) return *d;
  }
  if (const json* h = f.find("history")) {
    if (!h->is_array()) return err(where, std::string("history: expected an array, got ") + typeName(*h));
    if (h->size() > limits.maxHistory)
      return err(where, "history: too many entries (" + std::to_string(h->size()) + ")");
    for (std::size_t i = 0; i < h->size(); ++i) {
      const json& e = (*h)[i];
      std::string ctx = "history[" + std::to_string(i) + "]";
      if (!e.is_object()) return err(where, ctx + ": expected an object, got " + typeName(e));
      HistoryEntry he;
      Fields hf{e, where, ctx};
      if (auto d = hf.str("created", he.created, false)) return *d;
      if (auto d = hf.str("created_by", he.createdBy, false)) return *d;
      if (auto d = hf.str("comment", he.comment, false)) return *d;
      if (auto d = hf.str("author", he.author, false)) return *d;
      if (const json* el = hf.find("empty_layer")) {
        if (!el->is_boolean()) return err(where, ctx + ".empty_layer: expected a boolean, got " + typeName(*el));
        he.emptyLayer = el->get<bool>();
      }
      c.history.push_back(std::move(he));
    }
  }
  return c;
}

std::string peekMediaType(std::string_view text, const JsonLimits& limits) {
  auto j = parseJson(text, "", limits);
  if (!j || !j->is_object()) return "";
  auto it = j->find("mediaType");
  if (it != j->end() && it->is_string()) return it->get<std::string>();
  if (j->contains("manifests")) return "application/vnd.oci.image.index.v1+json";
  if (j->contains("layers")) return "application/vnd.oci.image.manifest.v1+json";
  return "";
}

std::vector<int> matchHistory(std::vector<HistoryEntry>& history, std::size_t layerCount,
                              std::vector<Diagnostic>* warnings, const std::string& where) {
  std::vector<int> perLayer(layerCount, -1);
  std::size_t next = 0;
  for (std::size_t i = 0; i < history.size(); ++i) {
    history[i].layerIndex = -1;
    if (history[i].emptyLayer) continue;
    if (next < layerCount) {
      history[i].layerIndex = int(next);
      perLayer[next] = int(i);
    }
    ++next;
  }
  if (warnings && !history.empty() && next != layerCount) {
    Diagnostic d;
    d.severity = Severity::Warning;
    d.where.file = where;
    d.message = "history has " + std::to_string(next) + " non-empty entries for " + std::to_string(layerCount) +
                " layers; layers without a matching entry show no instruction";
    warnings->push_back(std::move(d));
  }
  return perLayer;
}

}  // namespace slimbench::image
