#pragma once
// Test helper: builds layer tars and whole saved images in memory or in a
// temporary folder with libarchive's writer, including hostile ones.
#include <archive.h>
#include <archive_entry.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "image/sha256.h"

namespace imagegen {

struct Entry {
  Entry(std::string p, std::string d = "", char t = 'f', std::string l = "", std::uint64_t z = 0)
      : path(std::move(p)), data(std::move(d)), type(t), link(std::move(l)), zeros(z) {}
  std::string path;
  std::string data;
  char type = 'f';          // f file, d dir, l symlink, h hardlink
  std::string link;
  std::uint64_t zeros = 0;  // a file of this many zero bytes instead of data (bombs)
};

enum class Compression { None, Gzip, Zstd };

inline la_ssize_t appendCb(archive*, void* ud, const void* buf, size_t n) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(buf), n);
  return la_ssize_t(n);
}

// A tar of entries, compressed as asked.
inline std::string tar(const std::vector<Entry>& entries, Compression c = Compression::None) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (c == Compression::Gzip) archive_write_add_filter_gzip(a);
  if (c == Compression::Zstd) archive_write_add_filter_zstd(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(a, &out, nullptr, appendCb, nullptr);
  for (const auto& e : entries) {
    archive_entry* ae = archive_entry_new();
    archive_entry_set_pathname(ae, e.path.c_str());
    archive_entry_set_mtime(ae, 1700000000, 0);
    if (e.type == 'd') {
      archive_entry_set_filetype(ae, AE_IFDIR);
      archive_entry_set_perm(ae, 0755);
    } else if (e.type == 'l') {
      archive_entry_set_filetype(ae, AE_IFLNK);
      archive_entry_set_symlink(ae, e.link.c_str());
      archive_entry_set_perm(ae, 0777);
    } else if (e.type == 'h') {
      archive_entry_set_filetype(ae, AE_IFREG);
      archive_entry_set_hardlink(ae, e.link.c_str());
      archive_entry_set_perm(ae, 0644);
    } else {
      archive_entry_set_filetype(ae, AE_IFREG);
      archive_entry_set_perm(ae, 0644);
      archive_entry_set_size(ae, la_int64_t(e.zeros ? e.zeros : e.data.size()));
    }
    archive_write_header(a, ae);
    if (e.type == 'f') {
      if (e.zeros) {
        std::string z(1 << 20, '\0');
        for (std::uint64_t left = e.zeros; left > 0;) {
          auto n = std::min<std::uint64_t>(left, z.size());
          archive_write_data(a, z.data(), n);
          left -= n;
        }
      } else if (!e.data.empty()) {
        archive_write_data(a, e.data.data(), e.data.size());
      }
    }
    archive_entry_free(ae);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

// Any bytes as one gzip member (libarchive's raw format through its gzip filter).
inline std::string gzipMember(const std::string& data) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_raw(a);
  archive_write_add_filter_gzip(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(a, &out, nullptr, appendCb, nullptr);
  archive_entry* ae = archive_entry_new();
  archive_entry_set_pathname(ae, "data");
  archive_entry_set_filetype(ae, AE_IFREG);
  archive_entry_set_size(ae, la_int64_t(data.size()));
  archive_write_header(a, ae);
  archive_write_data(a, data.data(), data.size());
  archive_entry_free(ae);
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

// A 512-byte ustar header written by hand (for headers libarchive would refuse to write).
inline std::string rawHeader(const std::string& name, std::uint64_t size, bool base256 = true) {
  std::string h(512, '\0');
  std::memcpy(&h[0], name.data(), std::min<std::size_t>(name.size(), 100));
  std::memcpy(&h[100], "0000644", 7);
  std::memcpy(&h[108], "0000000", 7);
  std::memcpy(&h[116], "0000000", 7);
  if (base256) {  // GNU base-256 size
    h[124] = char(0x80);
    for (int i = 0; i < 8; ++i) h[135 - i] = char((size >> (8 * i)) & 0xff);
  } else {
    std::snprintf(&h[124], 12, "%011llo", static_cast<unsigned long long>(size));
  }
  std::memcpy(&h[136], "00000000000", 11);
  h[156] = '0';
  std::memcpy(&h[257], "ustar\0" "00", 8);
  std::memset(&h[148], ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(&h[148], 8, "%06o", sum);
  return h;
}

inline std::string sha(const std::string& s) { return "sha256:" + slimbench::image::Sha256::hex(s); }

// An uncompressed tar's digest is its diff id; for compressed layers pass the tar too.
struct Layer {
  std::string blob;     // as stored
  std::string diffId;   // sha of the uncompressed tar
  std::string mediaType = "application/vnd.oci.image.layer.v1.tar";
};

inline Layer layer(const std::vector<Entry>& entries, Compression c = Compression::None) {
  Layer l;
  std::string plain = tar(entries);
  l.diffId = sha(plain);
  l.blob = c == Compression::None ? plain : tar(entries, c);
  if (c == Compression::Gzip) l.mediaType += "+gzip";
  if (c == Compression::Zstd) l.mediaType += "+zstd";
  return l;
}

inline nlohmann::json config(const std::vector<Layer>& layers, nlohmann::json history = nullptr,
                             const std::string& arch = "amd64") {
  nlohmann::json diff = nlohmann::json::array();
  for (const auto& l : layers) diff.push_back(l.diffId);
  if (history.is_null()) {
    history = nlohmann::json::array();
    for (std::size_t i = 0; i < layers.size(); ++i) history.push_back({{"created_by", "RUN step " + std::to_string(i + 1)}});
  }
  return {{"architecture", arch}, {"os", "linux"}, {"rootfs", {{"type", "layers"}, {"diff_ids", diff}}},
          {"history", history}, {"config", {{"Env", {"PATH=/usr/bin"}}}}};
}

// Files of an archive, written as a tar (or a folder with writeDir).
using Files = std::vector<std::pair<std::string, std::string>>;

inline void writeTar(const std::filesystem::path& p, const Files& files) {
  std::vector<Entry> es;
  for (const auto& [n, d] : files) es.push_back({n, d});
  std::ofstream(p, std::ios::binary) << tar(es);
}

inline void writeDir(const std::filesystem::path& dir, const Files& files) {
  for (const auto& [n, d] : files) {
    auto p = dir / n;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << d;
  }
}

// docker save (classic): manifest.json + <hex>.json + <hex>.tar
inline Files dockerArchive(const std::vector<Layer>& layers, const nlohmann::json& cfg) {
  Files f;
  std::string c = cfg.dump();
  std::string chex = sha(c).substr(7);
  nlohmann::json paths = nlohmann::json::array();
  for (const auto& l : layers) {
    std::string p = l.diffId.substr(7) + ".tar";
    paths.push_back(p);
    f.push_back({p, l.blob});
  }
  f.push_back({chex + ".json", c});
  f.push_back({"manifest.json", nlohmann::json::array({{{"Config", chex + ".json"}, {"RepoTags", {"test:latest"}},
                                                        {"Layers", paths}}}).dump()});
  return f;
}

inline std::string blob(const std::string& data) { return "blobs/sha256/" + sha(data).substr(7); }

// An OCI manifest document for layers + config (added to f as blobs); returns its JSON text.
inline std::string ociManifest(Files& f, const std::vector<Layer>& layers, const nlohmann::json& cfg) {
  std::string c = cfg.dump();
  f.push_back({blob(c), c});
  nlohmann::json ls = nlohmann::json::array();
  for (const auto& l : layers) {
    f.push_back({blob(l.blob), l.blob});
    ls.push_back({{"mediaType", l.mediaType}, {"digest", sha(l.blob)}, {"size", l.blob.size()}});
  }
  return nlohmann::json{{"schemaVersion", 2},
                        {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                        {"config", {{"mediaType", "application/vnd.oci.image.config.v1+json"}, {"digest", sha(c)}, {"size", c.size()}}},
                        {"layers", ls}}
      .dump();
}

// OCI layout: oci-layout, index.json, blobs; one image per (layers, config, platform).
struct Variant {
  std::vector<Layer> layers;
  nlohmann::json config;
  std::string platform;  // "linux/amd64" or "" for no platform field
};

inline Files ociLayout(const std::vector<Variant>& variants) {
  Files f;
  nlohmann::json ms = nlohmann::json::array();
  for (const auto& v : variants) {
    std::string m = ociManifest(f, v.layers, v.config);
    f.push_back({blob(m), m});
    nlohmann::json d = {{"mediaType", "application/vnd.oci.image.manifest.v1+json"}, {"digest", sha(m)}, {"size", m.size()}};
    if (!v.platform.empty()) {
      auto slash = v.platform.find('/');
      d["platform"] = {{"os", v.platform.substr(0, slash)}, {"architecture", v.platform.substr(slash + 1)}};
    }
    ms.push_back(d);
  }
  f.push_back({"oci-layout", R"({"imageLayoutVersion":"1.0.0"})"});
  f.push_back({"index.json", nlohmann::json{{"schemaVersion", 2}, {"manifests", ms}}.dump()});
  return f;
}

inline void replace(Files& f, const std::string& name, const std::string& data) {
  for (auto& [n, d] : f)
    if (n == name) d = data;
}

}  // namespace imagegen
