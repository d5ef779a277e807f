#include "catalogue/base_images.h"

#include <nlohmann/json.hpp>

#include "util/jsontext.h"

#include <regex>

namespace slimbench::catalogue {

std::string BaseImage::debianSuite() const {
  for (const char* s : {"bookworm", "trixie", "bullseye", "buster", "forky"})
    if (osRelease.find(s) != std::string::npos || resolvedTag.find(s) != std::string::npos) return s;
  return {};
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
      b.source = "docker-library/repo-info " + jStr(s, "remote_file") + " @" +
                 jStr(s, "remote_commit").substr(0, 12);
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
  // arm64 records carry compressed sizes only: take the on-disk size of the same
  // tag on amd64 (flagged), since the same Dockerfile installs the same files.
  for (auto& b : c.images_) {
    if (b.diskTotal || b.arch == "amd64") continue;
    for (const auto& o : c.images_)
      if (o.tag == b.tag && o.arch == "amd64" && o.diskTotal) {
        b.diskTotal = o.diskTotal;
        b.diskPrecision = o.diskPrecision;
        b.diskFromOtherArch = true;
      }
  }
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
  return nullptr;
}

}  // namespace slimbench::catalogue
