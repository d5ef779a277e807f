#include "catalogue/system_packages.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "util/jsontext.h"

#include <algorithm>
#include <cctype>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>

#include <zstd.h>

#include "util/trace.h"
#include <cstdlib>
#include <deque>

namespace slimbench::catalogue {

namespace {
Diagnostic fail(const std::string& name, const std::string& msg) { return errorAt(name, msg); }
bool endsWith(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}
}  // namespace

bool isCompilerPackage(const std::string& n) {
  static const std::set<std::string> names = {"gcc", "g++", "cc", "c++", "clang", "build-essential", "build-base",
                                              "alpine-sdk", "rust", "rustc", "cargo", "gfortran", "tcc"};
  if (names.count(n)) return true;
  for (const char* p : {"gcc-", "g++-", "gfortran-", "clang-"})
    if (n.rfind(p, 0) == 0 && n.size() > std::string_view(p).size() && std::isdigit(static_cast<unsigned char>(n[std::string_view(p).size()])))
      return true;
  return false;
}

bool isBuildToolPackage(const std::string& n) {
  static const std::set<std::string> tools = {"gcc", "g++", "build-essential", "build-base", "make", "cmake",
                                              "musl-dev", "libc6-dev", "libc-dev", "rust", "rustc", "cargo",
                                              "gfortran", "clang", "binutils", "cpp", "autoconf", "automake",
                                              "libtool", "pkg-config", "pkgconf", "linux-headers", "python3-dev"};
  if (tools.count(n)) return true;
  if (endsWith(n, "-dev") || endsWith(n, "-devel")) return true;
  if (n.rfind("gcc-", 0) == 0 || n.rfind("g++-", 0) == 0 || n.rfind("cpp-", 0) == 0) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Debian: the package table (the whole Packages index of one suite/arch) and lazy loading.

struct DebianCatalogue::Table {
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  static constexpr std::uint8_t kHasInstalledSize = 1;
  std::string names;                      // every name (packages and provided names), sorted bytewise
  std::vector<std::uint32_t> nameOff;     // N+1
  std::vector<std::uint32_t> pkgOf;       // N: package ordinal, or kNone for a name only provided
  std::vector<std::uint32_t> nameOfPkg;   // P
  std::string versions;
  std::vector<std::uint32_t> verOff;      // P+1
  std::vector<std::uint32_t> installedKiB, debBytes;  // P
  std::vector<std::uint8_t> pflags;       // P
  // Per package: nDepends, nRecommends, then per or-group: chosen name id, nAlternatives, ids.
  std::vector<std::uint32_t> rel, relOff;  // relOff: P+1
  std::vector<std::uint32_t> prov, provOff;  // provOff: N+1; providers' name ids, apt's pick first

  std::size_t packages() const { return nameOfPkg.size(); }
  std::string_view name(std::uint32_t id) const {
    return std::string_view(names).substr(nameOff[id], nameOff[id + 1] - nameOff[id]);
  }
  std::uint32_t find(std::string_view n) const {
    std::size_t lo = 0, hi = pkgOf.size();
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      const int c = name(static_cast<std::uint32_t>(mid)).compare(n);
      if (c == 0) return static_cast<std::uint32_t>(mid);
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return kNone;
  }
  // The package a name stands for: itself, else its first provider that is a package.
  std::uint32_t resolvePkg(std::string_view n) const {
    const std::uint32_t id = find(n);
    if (id == kNone) return kNone;
    if (pkgOf[id] != kNone) return pkgOf[id];
    for (std::uint32_t i = provOff[id]; i < provOff[id + 1]; ++i)
      if (pkgOf[prov[i]] != kNone) return pkgOf[prov[i]];
    return kNone;
  }
  template <class F>
  void forEachGroup(std::uint32_t p, bool withRecommends, F&& f) const {
    const std::uint32_t* r = rel.data() + relOff[p];
    const std::uint32_t nDep = r[0], nRec = r[1];
    r += 2;
    const std::uint32_t n = nDep + (withRecommends ? nRec : 0);
    for (std::uint32_t g = 0; g < n; ++g) {
      const std::uint32_t chosen = r[0], nAlt = r[1];
      f(chosen, r + 2, nAlt);
      r += 2 + nAlt;
    }
  }
  std::vector<std::string> groupNames(std::uint32_t p, bool recommends) const {
    std::vector<std::string> out;
    const std::uint32_t* r = rel.data() + relOff[p];
    const std::uint32_t nDep = r[0], nRec = r[1];
    r += 2;
    for (std::uint32_t g = 0; g < nDep + nRec; ++g) {
      if ((g >= nDep) == recommends) out.emplace_back(name(r[0]));
      r += 2 + r[1];
    }
    return out;
  }
  std::size_t heapBytes() const {
    auto v = [](const auto& x) { return x.capacity() * sizeof(x[0]); };
    return names.capacity() + versions.capacity() + v(nameOff) + v(pkgOf) + v(nameOfPkg) + v(verOff) + v(installedKiB) +
           v(debBytes) + v(pflags) + v(rel) + v(relOff) + v(prov) + v(provOff);
  }
};

struct DebianCatalogue::State {
  std::string name;
  std::string_view json, zst, excludes;  // the bundled texts (not owned)
  std::once_flag metaOnce, tableOnce;
  std::atomic<bool> tableReady{false};
  std::map<std::string, std::vector<std::string>> bases;
  std::string releaseDate, source, error;
  double docFractionMid = 0.11, docFractionLow = 0.02, docFractionHigh = 0.42;
  Table table;
  LoadStats stats;
};

namespace {
using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// about + bases of a catalogue JSON, and the doc fractions of dpkg-excludes.json.
void readMeta(DebianCatalogue::State& st, const nlohmann::json& j, std::string_view excludes, const std::string& suite,
              const std::string& arch) {
  const auto& about = j.contains("about") ? j["about"] : j;
  st.releaseDate = jStr(about, "release_date");
  st.source = jStr(about, "source");
  if (j.contains("bases"))
    for (const auto& [k, b] : j["bases"].items()) {
      if (!b.contains("packages")) continue;
      st.bases[k] = b["packages"].get<std::vector<std::string>>();
      if (b.contains("applies_to"))
        for (const auto& alias : b["applies_to"]) st.bases[alias.get<std::string>()] = st.bases[k];
      // debian:<suite> has the same package set as debian:<suite>-slim (a faithful minbase;
      // -slim only adds dpkg path-excludes): the generator records it as same_packages_as.
      if (b.contains("same_packages_as") && b["same_packages_as"].is_array())
        for (const auto& alias : b["same_packages_as"])
          if (alias.is_string() && !st.bases.count(alias.get<std::string>())) st.bases[alias.get<std::string>()] = st.bases[k];
    }
  auto x = nlohmann::json::parse(excludes.begin(), excludes.end(), nullptr, false);
  if (!x.is_discarded() && x.contains("model")) {
    const auto& m = x["model"];
    std::string key = suite + "/" + arch;
    if (m.contains("by_suite") && m["by_suite"].contains(key)) {
      st.docFractionMid = jNum(m["by_suite"][key], "bytes_weighted", st.docFractionMid);
    } else {
      st.docFractionMid = jNum(m, "doc_fraction_bytes_weighted", st.docFractionMid);
    }
    if (m.contains("doc_fraction_quartiles") && m["doc_fraction_quartiles"].size() == 3) {
      st.docFractionLow = m["doc_fraction_quartiles"][0].get<double>();
      st.docFractionHigh = m["doc_fraction_quartiles"][2].get<double>();
    }
  }
}

// The decompressed .pkgs.zst (format: scripts/debian-catalogue.py TABLE_FORMAT).
struct Reader {
  const unsigned char* p;
  const unsigned char* end;
  bool bad = false;
  [[gnu::always_inline]] std::uint32_t var() {
    if (p < end && *p < 0x80) [[likely]] return *p++;  // most values are below 128
    return slow();
  }
  [[gnu::noinline]] std::uint32_t slow() {
    std::uint32_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (p >= end) {
        bad = true;
        return 0;
      }
      const unsigned char b = *p++;
      v |= static_cast<std::uint32_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    bad = true;
    return 0;
  }
};

std::string parseTable(std::string_view raw, DebianCatalogue::Table& t) {
  using T = DebianCatalogue::Table;
  static constexpr std::string_view magic = "SBDEBPK3", endMagic = "SBDEBEND";
  if (raw.size() < magic.size() * 2 || raw.substr(0, magic.size()) != magic || raw.substr(raw.size() - endMagic.size()) != endMagic)
    return "not a slimbench Debian package table (magic SBDEBPK3 … SBDEBEND)";
  Reader r{reinterpret_cast<const unsigned char*>(raw.data()) + magic.size(),
           reinterpret_cast<const unsigned char*>(raw.data()) + raw.size() - endMagic.size()};
  // Counts first, so that every array is sized once and filled through a pointer.
  const std::uint32_t n = r.var(), np = r.var(), nameBytes = r.var(), versionBytes = r.var(), nRel = r.var(), nProv = r.var();
  if (r.bad || np > n || n > raw.size() || nameBytes > raw.size() * 64 || versionBytes > raw.size() || nRel > raw.size() * 2 ||
      nProv > raw.size())
    return "bad header";
  t.names.resize(nameBytes);
  t.nameOff.resize(static_cast<std::size_t>(n) + 1);
  char* out = t.names.data();
  const char* const outEnd = out + nameBytes;
  const char* prev = out;
  std::size_t prevLen = 0;
  for (std::uint32_t i = 0; i < n; ++i) {  // front-coded: shared prefix length, the rest, '\n'
    if (r.p >= r.end) return "names cut short";
    const std::size_t prefix = *r.p++;
    const auto* nl = static_cast<const unsigned char*>(std::memchr(r.p, '\n', static_cast<std::size_t>(r.end - r.p)));
    if (!nl) return "names cut short";
    const std::size_t rest = static_cast<std::size_t>(nl - r.p);
    if (prefix > prevLen || static_cast<std::size_t>(outEnd - out) < prefix + rest) return "bad name";
    t.nameOff[i] = static_cast<std::uint32_t>(out - t.names.data());
    std::memcpy(out, prev, prefix);  // the previous name ends where this one starts: no overlap
    std::memcpy(out + prefix, r.p, rest);
    prev = out;
    prevLen = prefix + rest;
    out += prevLen;
    r.p = nl + 1;
  }
  if (out != outEnd) return "name bytes do not match the header";
  t.nameOff[n] = nameBytes;
  if (static_cast<std::size_t>(r.end - r.p) < n) return "flags cut short";
  t.pkgOf.resize(n);
  t.nameOfPkg.resize(np);
  t.pflags.resize(np);
  std::uint32_t k = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    const unsigned char f = *r.p++;
    if (f & 1) {
      if (k == np) return "more packages than the header says";
      t.pkgOf[i] = k;
      t.nameOfPkg[k] = i;
      t.pflags[k] = (f & 2) ? 0 : T::kHasInstalledSize;
      ++k;
    } else {
      t.pkgOf[i] = T::kNone;
    }
  }
  if (k != np) return "package count does not match the flags";
  t.versions.resize(versionBytes);
  t.verOff.resize(static_cast<std::size_t>(np) + 1);
  std::size_t vpos = 0;
  for (std::uint32_t i = 0; i < np; ++i) {
    const auto* nl = static_cast<const unsigned char*>(std::memchr(r.p, '\n', static_cast<std::size_t>(r.end - r.p)));
    if (!nl) return "versions cut short";
    const std::size_t len = static_cast<std::size_t>(nl - r.p);
    if (vpos + len > versionBytes) return "version bytes do not match the header";
    t.verOff[i] = static_cast<std::uint32_t>(vpos);
    std::memcpy(t.versions.data() + vpos, r.p, len);
    vpos += len;
    r.p = nl + 1;
  }
  if (vpos != versionBytes) return "version bytes do not match the header";
  t.verOff[np] = versionBytes;
  t.installedKiB.resize(np);
  t.debBytes.resize(np);
  for (std::uint32_t i = 0; i < np; ++i) t.installedKiB[i] = r.var();
  for (std::uint32_t i = 0; i < np; ++i) t.debBytes[i] = r.var();
  t.rel.resize(nRel);
  t.relOff.resize(static_cast<std::size_t>(np) + 1);
  std::uint32_t* rel = t.rel.data();
  const std::uint32_t* const relEnd = rel + nRel;
  for (std::uint32_t i = 0; i < np && !r.bad; ++i) {
    t.relOff[i] = static_cast<std::uint32_t>(rel - t.rel.data());
    if (relEnd - rel < 2) return "more relations than the header says";
    const std::uint32_t nd = r.var(), nr = r.var();
    *rel++ = nd;
    *rel++ = nr;
    for (std::uint32_t g = 0; g < nd + nr && !r.bad; ++g) {
      const std::uint32_t c = r.var(), na = r.var();
      if (c >= n || na > n || static_cast<std::size_t>(relEnd - rel) < 2u + na) return "bad relation";
      *rel++ = c;
      *rel++ = na;
      for (std::uint32_t j = 0; j < na; ++j) {
        const std::uint32_t a = r.var();
        if (a >= n) return "bad alternative";
        *rel++ = a;
      }
    }
  }
  if (rel != relEnd) return "relation count does not match the header";
  t.relOff[np] = nRel;
  t.prov.resize(nProv);
  t.provOff.resize(static_cast<std::size_t>(n) + 1);
  std::uint32_t pv = 0;
  for (std::uint32_t i = 0; i < n && !r.bad; ++i) {
    t.provOff[i] = pv;
    const std::uint32_t cnt = r.var();
    if (cnt > nProv - pv) return "more providers than the header says";
    for (std::uint32_t j = 0; j < cnt; ++j) {
      const std::uint32_t q = r.var();
      if (q >= n) return "bad provider";
      t.prov[pv++] = q;
    }
  }
  if (pv != nProv) return "provider count does not match the header";
  t.provOff[n] = nProv;
  if (r.bad) return "table cut short";
  if (r.p != r.end) return "trailing bytes after the table";
  for (std::uint32_t i = 1; i < n; ++i)
    if (!(t.name(i - 1) < t.name(i))) return "names not sorted";
  return {};
}

// A table from the "packages"/"provides" objects of a catalogue JSON (hand-written catalogues).
void tableFromJson(const nlohmann::json& j, DebianCatalogue::Table& t) {
  using T = DebianCatalogue::Table;
  std::set<std::string> all;
  const auto& pk = j["packages"];
  for (const auto& [n, p] : pk.items()) {
    all.insert(n);
    for (const char* key : {"dep", "rec"})
      if (p.contains(key) && p[key].is_array())
        for (const auto& d : p[key]) all.insert(d.get<std::string>());
    for (const char* key : {"alt", "ralt"})
      if (p.contains(key) && p[key].is_object())
        for (const auto& [a, others] : p[key].items())
          for (const auto& o : others) all.insert(o.get<std::string>());
  }
  if (j.contains("provides"))
    for (const auto& [v, list] : j["provides"].items()) {
      all.insert(v);
      for (const auto& q : list) all.insert(q.get<std::string>());
    }
  std::map<std::string, std::uint32_t> ids;
  for (const auto& n : all) {
    ids[n] = static_cast<std::uint32_t>(t.nameOff.size());
    t.nameOff.push_back(static_cast<std::uint32_t>(t.names.size()));
    t.names += n;
  }
  t.nameOff.push_back(static_cast<std::uint32_t>(t.names.size()));
  t.pkgOf.assign(all.size(), T::kNone);
  t.provOff.assign(all.size() + 1, 0);
  std::map<std::uint32_t, std::vector<std::uint32_t>> provs;
  if (j.contains("provides"))
    for (const auto& [v, list] : j["provides"].items())
      for (const auto& q : list) provs[ids[v]].push_back(ids[q.get<std::string>()]);
  for (std::uint32_t i = 0; i < all.size(); ++i) {
    t.provOff[i] = static_cast<std::uint32_t>(t.prov.size());
    if (auto it = provs.find(i); it != provs.end()) t.prov.insert(t.prov.end(), it->second.begin(), it->second.end());
  }
  t.provOff[all.size()] = static_cast<std::uint32_t>(t.prov.size());
  for (const auto& [n, id] : ids) {
    if (!pk.contains(n)) continue;
    const auto& p = pk[n];
    t.pkgOf[id] = static_cast<std::uint32_t>(t.nameOfPkg.size());
    t.nameOfPkg.push_back(id);
    t.verOff.push_back(static_cast<std::uint32_t>(t.versions.size()));
    t.versions += jStr(p, "v");
    t.installedKiB.push_back(static_cast<std::uint32_t>(jU64(p, "is")));
    t.debBytes.push_back(static_cast<std::uint32_t>(jU64(p, "sz")));
    t.pflags.push_back(p.contains("is") && p["is"].is_number() ? T::kHasInstalledSize : 0);
    t.relOff.push_back(static_cast<std::uint32_t>(t.rel.size()));
    auto list = [&](const char* key) {
      return p.contains(key) && p[key].is_array() ? p[key].get<std::vector<std::string>>() : std::vector<std::string>{};
    };
    const auto dep = list("dep"), rec = list("rec");
    t.rel.push_back(static_cast<std::uint32_t>(dep.size()));
    t.rel.push_back(static_cast<std::uint32_t>(rec.size()));
    for (const auto& [names, altKey] : {std::pair{&dep, "alt"}, std::pair{&rec, "ralt"}})
      for (const auto& d : *names) {
        t.rel.push_back(ids[d]);
        std::vector<std::string> others;
        if (p.contains(altKey) && p[altKey].contains(d)) others = p[altKey][d].get<std::vector<std::string>>();
        t.rel.push_back(static_cast<std::uint32_t>(others.size()));
        for (const auto& o : others) t.rel.push_back(ids[o]);
      }
  }
  t.verOff.push_back(static_cast<std::uint32_t>(t.versions.size()));
  t.relOff.push_back(static_cast<std::uint32_t>(t.rel.size()));
}
}  // namespace

Result<DebianCatalogue> DebianCatalogue::fromJson(std::string_view text, std::string_view excludes, const std::string& name) {
  DebianCatalogue c;
  c.st_ = std::make_shared<State>();
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("packages") || !j["packages"].is_object())
    return fail(name, "not a Debian catalogue: expected an object with \"packages\"");
  const auto& about = j.contains("about") ? j["about"] : j;
  c.suite = jStr(about, "suite");
  c.arch = jStr(about, "arch");
  State& st = *c.st_;
  st.name = name;
  std::call_once(st.metaOnce, [&] { readMeta(st, j, excludes, c.suite, c.arch); });
  std::call_once(st.tableOnce, [&] {
    tableFromJson(j, st.table);
    st.tableReady = true;
  });
  return c;
}

DebianCatalogue DebianCatalogue::fromResources(std::string_view json, std::string_view packagesZst, std::string_view excludes,
                                               const std::string& suite, const std::string& arch, const std::string& name) {
  DebianCatalogue c;
  c.suite = suite;
  c.arch = arch;
  c.st_ = std::make_shared<State>();
  c.st_->name = name;
  c.st_->json = json;
  c.st_->zst = packagesZst;
  c.st_->excludes = excludes;
  return c;
}

void DebianCatalogue::meta() const {
  if (!st_) return;
  State& st = *st_;
  std::call_once(st.metaOnce, [&] {
    const auto t0 = Clock::now();
    auto j = nlohmann::json::parse(st.json.begin(), st.json.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      st.error = st.name + ": not a Debian catalogue JSON";
      return;
    }
    readMeta(st, j, st.excludes, suite, arch);
    st.stats.metaMs = msSince(t0);
  });
}

const DebianCatalogue::Table& DebianCatalogue::table() const {
  static const Table empty;
  if (!st_) return empty;
  State& st = *st_;
  std::call_once(st.tableOnce, [&] {
    const auto t0 = Clock::now();
    st.stats.compressedBytes = st.zst.size();
    const unsigned long long size = ZSTD_getFrameContentSize(st.zst.data(), st.zst.size());
    std::string err;
    if (st.zst.empty()) err = "no package table";
    else if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR || size > (1ull << 31))
      err = "not a zstd frame with a content size";
    std::unique_ptr<char[]> buf;  // not zero-filled: zstd writes every byte
    std::string_view raw;
    if (err.empty()) {
      buf = std::make_unique_for_overwrite<char[]>(static_cast<std::size_t>(size));
      const std::size_t got = ZSTD_decompress(buf.get(), static_cast<std::size_t>(size), st.zst.data(), st.zst.size());
      if (ZSTD_isError(got) || got != size) err = std::string("zstd: ") + (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short frame");
      else raw = std::string_view(buf.get(), got);
    }
    st.stats.decompressMs = msSince(t0);
    if (err.empty()) err = parseTable(raw, st.table);
    if (!err.empty()) {
      st.error = st.name + ": " + err;
      st.table = Table{};
    }
    st.stats.rawBytes = raw.size();
    st.stats.heapBytes = st.table.heapBytes();
    st.stats.tableMs = msSince(t0);
    st.tableReady = true;
    if (traceEnabled()) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "Debian %s-%s package table: %zu packages, %.1f ms (unzstd %.1f ms), %.1f MB", suite.c_str(),
                    arch.c_str(), st.table.packages(), st.stats.tableMs, st.stats.decompressMs,
                    static_cast<double>(st.stats.heapBytes) / 1e6);
      trace(buf);
    }
  });
  return st.table;
}

bool DebianCatalogue::tableLoaded() const { return st_ && st_->tableReady.load(); }
std::size_t DebianCatalogue::packageCount() const { return table().packages(); }
DebianCatalogue::LoadStats DebianCatalogue::loadStats() const { return st_ ? st_->stats : LoadStats{}; }
std::string DebianCatalogue::loadError() const {
  if (!st_) return "empty catalogue";
  return st_->error;
}
std::string DebianCatalogue::releaseDate() const {
  meta();
  return st_ ? st_->releaseDate : std::string();
}
std::string DebianCatalogue::source() const {
  meta();
  return st_ ? st_->source : std::string();
}

bool DebianCatalogue::hasBase(const std::string& key) const {
  meta();
  return st_ && st_->bases.count(key) > 0;
}

std::set<std::string> DebianCatalogue::baseSet(const std::string& key) const {
  meta();
  if (!st_) return {};
  auto it = st_->bases.find(key);
  if (it == st_->bases.end()) return {};
  return {it->second.begin(), it->second.end()};
}

std::vector<std::string> DebianCatalogue::recommends(const std::string& package) const {
  const Table& t = table();
  const std::uint32_t id = t.find(package);
  if (id == Table::kNone || t.pkgOf[id] == Table::kNone) return {};
  return t.groupNames(t.pkgOf[id], true);
}

bool DebianCatalogue::hasPackage(const std::string& package) const {
  const Table& t = table();
  const std::uint32_t id = t.find(package);
  return id != Table::kNone && t.pkgOf[id] != Table::kNone;
}

namespace {
std::string_view bareName(std::string_view n) { return n.substr(0, n.find_first_of("=:")); }
}  // namespace

bool DebianCatalogue::exists(std::string_view name) const { return table().resolvePkg(bareName(name)) != Table::kNone; }

std::string DebianCatalogue::resolve(std::string_view name) const {
  const Table& t = table();
  const std::uint32_t p = t.resolvePkg(bareName(name));
  return p == Table::kNone ? std::string() : std::string(t.name(t.nameOfPkg[p]));
}

std::optional<DebianCatalogue::PackageInfo> DebianCatalogue::package(std::string_view name) const {
  const Table& t = table();
  const std::uint32_t p = t.resolvePkg(bareName(name));
  if (p == Table::kNone) return std::nullopt;
  PackageInfo info;
  info.name = std::string(t.name(t.nameOfPkg[p]));
  info.version = t.versions.substr(t.verOff[p], t.verOff[p + 1] - t.verOff[p]);
  info.installedKiB = t.installedKiB[p];
  info.debBytes = t.debBytes[p];
  info.installedSizeKnown = (t.pflags[p] & Table::kHasInstalledSize) != 0;
  info.depends = t.groupNames(p, false);
  info.recommends = t.groupNames(p, true);
  return info;
}

std::vector<std::string> DebianCatalogue::providers(std::string_view name) const {
  const Table& t = table();
  const std::uint32_t id = t.find(bareName(name));
  std::vector<std::string> out;
  if (id == Table::kNone) return out;
  for (std::uint32_t i = t.provOff[id]; i < t.provOff[id + 1]; ++i) out.emplace_back(t.name(t.prov[i]));
  return out;
}

std::vector<std::string> DebianCatalogue::depends(const std::string& name) const {
  const Table& t = table();
  const std::uint32_t p = t.resolvePkg(name);
  return p == Table::kNone ? std::vector<std::string>{} : t.groupNames(p, false);
}

std::string DebianCatalogue::sameLibraryAs(const std::string& name) const {
  if (exists(name)) return name;
  if (name.rfind("lib", 0) != 0) return {};
  if (exists(name + "t64")) return name + "t64";
  // The stem without its soname version: libldap-2.5-0 -> libldap, libssl3 -> libssl, libpq5 -> libpq.
  std::string stem = name;
  while (!stem.empty() && (std::isdigit(static_cast<unsigned char>(stem.back())) || stem.back() == '.' || stem.back() == '-'))
    stem.pop_back();
  if (stem.size() < 4) return {};
  for (const std::string dev : {stem + "-dev", stem + "2-dev", stem + "3-dev"}) {
    if (!exists(dev)) continue;
    for (const auto& d : depends(dev))
      if (d.rfind(stem, 0) == 0 && d.size() > stem.size() && d.find("-dev") == std::string::npos && exists(d) &&
          (std::isdigit(static_cast<unsigned char>(d[stem.size()])) || d[stem.size()] == '-'))
        return d;
  }
  return {};
}

std::string DebianCatalogue::distroPythonVersion(std::string* fullVersion) const {
  auto p = package("python3");
  if (!p || p->version.empty() || p->name != "python3") return {};
  std::string v = p->version;
  if (fullVersion) *fullVersion = v;
  if (auto colon = v.find(':'); colon != std::string::npos) v = v.substr(colon + 1);  // epoch
  // "3.11.2-1+b1" -> "3.11": major.minor of the upstream version.
  auto dot1 = v.find('.');
  if (dot1 == std::string::npos) return {};
  auto end = v.find_first_not_of("0123456789", dot1 + 1);
  std::string mm = v.substr(0, end);
  if (mm.size() <= dot1 + 1) return {};
  return mm;
}

std::string debianSuiteForUbuntu(const std::string& input, std::string& why) {
  std::string s = input;
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const char* pre : {"docker.io/library/", "docker.io/", "library/", "ubuntu:"})
    if (s.rfind(pre, 0) == 0) s = s.substr(std::string(pre).size());
  if (auto at = s.find('@'); at != std::string::npos) s = s.substr(0, at);
  // Codename or version, before any date suffix ("jammy-20240125", "22.04.5").
  std::string head = s.substr(0, s.find('-'));
  struct Rel { const char* codename; const char* version; const char* year; const char* gcc; const char* python; };
  static const Rel rels[] = {
      {"trusty", "14.04", "2014", "4.8", "3.4"},  {"xenial", "16.04", "2016", "5", "3.5"},
      {"bionic", "18.04", "2018", "7", "3.6"},    {"focal", "20.04", "2020", "9", "3.8"},
      {"jammy", "22.04", "2022", "11", "3.10"},   {"noble", "24.04", "2024", "13", "3.12"},
      {"oracular", "24.10", "2024", "14", "3.12"}, {"plucky", "25.04", "2025", "14", "3.13"},
      {"questing", "25.10", "2025", "15", "3.13"}, {"resolute", "26.04", "2026", "15", "3.14"},
  };
  const Rel* r = nullptr;
  for (const auto& x : rels) {
    std::string v = x.version;
    if (head == x.codename || head == v || (head.rfind(v + ".", 0) == 0)) r = &x;
  }
  constexpr std::size_t newest = sizeof(rels) / sizeof(rels[0]) - 1;
  if (head == "latest" || head == "rolling") r = &rels[newest];  // ubuntu:latest is the newest LTS (resolute)
  if (head == "devel") r = &rels[newest];
  if (!r) {
    why = "ubuntu:" + s + " is not a release slimbench knows; Ubuntu's package indexes are not reachable here, so "
          "Debian bookworm's packages stand in as a coarse proxy (sizes may differ by tens of percent)";
    return "bookworm";
  }
  const std::string name = std::string("Ubuntu ") + r->version + " (" + r->codename + ", " + r->year + ")";
  const int major = std::atoi(r->version);
  if (major >= 24) {
    why = name + " is modelled with Debian trixie: Ubuntu's package indexes are not reachable here, and trixie is the "
          "Debian release of the same generation (both imported Debian unstable of 2024 and made the 64-bit time_t "
          "(t64) library renames; gcc " + r->gcc + " vs trixie's 14, Python " + r->python +
          " vs 3.13), so package names and sizes match best; "
          "a stated proxy";
    return "trixie";
  }
  if (major >= 22) {
    why = name + " is modelled with Debian bookworm: Ubuntu's package indexes are not reachable here; " + r->codename +
          " imported its packages from Debian unstable between the bullseye (2021) and bookworm (2023) releases, "
          "and bookworm shares its library names (before the t64 renames; gcc " +
          std::string(r->gcc) + " vs bookworm's 12, Python " + r->python + " vs 3.11); a stated proxy";
    return "bookworm";
  }
  why = name + " is older than the Debian releases its estimates are tied to here: Debian "
        "bookworm stands in as a coarse proxy (gcc " + std::string(r->gcc) + " vs 12, Python " + r->python +
        " vs 3.11; package sizes of that era were somewhat smaller)";
  return "bookworm";
}

std::vector<std::string> DebianCatalogue::runtimeLibrariesOf(const std::string& devPackage) const {
  std::vector<std::string> libs;
  if (!endsWith(devPackage, "-dev")) return libs;  // compilers and tools have no runtime library
  // The C library's and the kernel's headers: their libraries are in every image already.
  static const std::set<std::string> toolchain = {"libc6-dev", "libc-dev", "linux-libc-dev", "libcrypt-dev", "libnsl-dev",
                                                  "libtirpc-dev", "libgcc-12-dev", "libstdc++-12-dev", "libgcc-14-dev", "libstdc++-14-dev"};
  if (toolchain.count(devPackage)) return libs;
  const std::string stem = devPackage.substr(0, devPackage.size() - 4);  // zlib1g-dev → zlib1g
  std::set<std::string> seen{devPackage};
  std::vector<std::string> level{devPackage};
  for (int depth = 0; depth < 4 && libs.empty() && !level.empty(); ++depth) {
    std::vector<std::string> next;
    for (const auto& pkg : level)
      for (const auto& d : depends(pkg)) {
        if (!seen.insert(d).second) continue;
        const bool dev = d.find("dev") != std::string::npos;
        if (dev) next.push_back(d);
        else if ((d.rfind("lib", 0) == 0 || d.rfind(stem, 0) == 0) && !isBuildToolPackage(d) && d != "libc6") libs.push_back(d);
      }
    level = std::move(next);
  }
  return libs;
}

InstallCost DebianCatalogue::install(const std::vector<std::string>& requested, std::set<std::string>& installed,
                                     bool slim, bool withRecommends) const {
  const Table& t = table();
  meta();
  InstallCost cost;
  if (!st_) return cost;
  std::uint64_t kib = 0;
  std::deque<std::uint32_t> todo;  // package ordinals
  for (const auto& r : requested) {
    std::string name = r.substr(0, r.find_first_of("=:"));  // pkg=version, pkg:arch
    const std::uint32_t p = t.resolvePkg(name);
    if (p == Table::kNone) cost.unknown.push_back(name);
    else todo.push_back(p);
  }
  auto isInstalled = [&](std::uint32_t nameId) { return installed.count(std::string(t.name(nameId))) > 0; };
  while (!todo.empty()) {
    const std::uint32_t p = todo.front();
    todo.pop_front();
    std::string n(t.name(t.nameOfPkg[p]));
    if (installed.count(n)) continue;
    installed.insert(n);
    // An index stanza without Installed-Size: its size is unknown, not zero.
    if (!(t.pflags[p] & Table::kHasInstalledSize)) cost.unknown.push_back(n + " (no Installed-Size in the index)");
    kib += t.installedKiB[p];
    cost.downloadBytes += t.debBytes[p];
    cost.added.push_back(std::move(n));
    t.forEachGroup(p, withRecommends, [&](std::uint32_t chosen, const std::uint32_t* alts, std::uint32_t nAlt) {
      for (std::uint32_t i = 0; i < nAlt; ++i)
        if (isInstalled(alts[i])) return;
      const std::uint32_t q = t.pkgOf[chosen];
      if (q != Table::kNone && !isInstalled(chosen)) todo.push_back(q);
    });
  }
  const double bytes = static_cast<double>(kib) * 1024.0;
  if (slim) {
    cost.bytesMid = static_cast<std::uint64_t>(bytes * (1.0 - st_->docFractionMid));
    cost.bytesLow = static_cast<std::uint64_t>(bytes * (1.0 - st_->docFractionHigh));
    cost.bytesHigh = static_cast<std::uint64_t>(bytes * (1.0 - st_->docFractionLow));
    cost.model = std::string("Installed-Size of the new packages (closure over Depends/Pre-Depends") +
                 (withRecommends ? " and Recommends" : "") + " minus the base image) × (1 − share of docs/man/locales the slim image's dpkg excludes drop; bytes-weighted " +
                 std::to_string(st_->docFractionMid).substr(0, 5) + ", range from the sample's quartiles)";
  } else {
    cost.bytesMid = static_cast<std::uint64_t>(bytes);
    cost.bytesLow = static_cast<std::uint64_t>(bytes * 0.97);
    cost.bytesHigh = static_cast<std::uint64_t>(bytes * 1.02);
    cost.model = std::string("Installed-Size of the new packages (closure over Depends/Pre-Depends") +
                 (withRecommends ? " and Recommends" : "") + " minus the base image); dpkg rounds each file up to KiB, so the real bytes are a little lower";
  }
  cost.source = "Debian " + suite + " " + arch + " Packages index (" + st_->releaseDate + ")";
  return cost;
}

Result<AlpineCatalogue> AlpineCatalogue::fromJson(std::string_view text, const std::string& name) {
  AlpineCatalogue c;
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("packages"))
    return fail(name, "not an Alpine catalogue: expected an object with \"packages\"");
  for (const auto& item : j["packages"].items()) {
    const std::string n = item.key();
    const auto& p = item.value();
    Pkg k;
    auto num = [&](const char* key) -> std::uint64_t {
      return p.contains(key) && p[key].is_number() ? p[key].get<std::uint64_t>() : 0;
    };
    k.installedLow = num("installed_size");
    k.installedHigh = std::max(k.installedLow, num("installed_size_max"));
    k.download = num("download_size");
    if (p.contains("depends") && p["depends"].is_array())
      for (const auto& d : p["depends"])
        if (d.is_string()) k.deps.push_back(d.get<std::string>());
    k.depsRead = jBool(p, "depends_read", false);
    k.source = jStr(p, "source");
    k.match = jStr(p, "match");
    c.pkgs_[n] = std::move(k);
  }
  if (j.contains("base_image") && j["base_image"].contains("packages")) {
    for (const auto& [n, _] : j["base_image"]["packages"].items()) c.base_.insert(n);
    c.baseImageSource = jStr(j["base_image"], "source");
  }
  return c;
}

std::set<std::string> AlpineCatalogue::baseSet() const { return base_; }

std::string AlpineCatalogue::sourceOf(const std::string& name) const {
  auto it = pkgs_.find(name);
  return it == pkgs_.end() ? std::string() : it->second.source;
}

std::string AlpineCatalogue::matchOf(const std::string& name) const {
  auto it = pkgs_.find(name);
  return it == pkgs_.end() ? std::string() : it->second.match;
}

std::optional<Diagnostic> AlpineCatalogue::addDepends(std::string_view text, const std::string& name) {
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.contains("depends") || !j["depends"].is_object())
    return fail(name, "expected an object with \"depends\": {package: {depends: [...], source}}");
  for (const auto& item : j["depends"].items()) {
    auto it = pkgs_.find(item.key());
    if (it == pkgs_.end() || it->second.depsRead) continue;
    const auto& e = item.value();
    if (!e.contains("depends") || !e["depends"].is_array()) continue;
    it->second.deps.clear();
    for (const auto& d : e["depends"])
      if (d.is_string()) it->second.deps.push_back(d.get<std::string>());
    it->second.depsRead = true;
    it->second.source += "; depends: " + jStr(e, "source");
  }
  return std::nullopt;
}

InstallCost AlpineCatalogue::install(const std::vector<std::string>& requested, std::set<std::string>& installed) const {
  InstallCost cost;
  std::deque<std::string> todo;
  for (const auto& r : requested) {
    std::string n = r.substr(0, r.find_first_of("=<>~"));
    if (!pkgs_.count(n)) cost.unknown.push_back(n);
    else todo.push_back(n);
  }
  bool partialDeps = false;
  while (!todo.empty()) {
    std::string n = todo.front();
    todo.pop_front();
    if (installed.count(n)) continue;
    installed.insert(n);
    auto it = pkgs_.find(n);
    if (it == pkgs_.end()) {
      cost.unknown.push_back(n);
      continue;
    }
    const Pkg& p = it->second;
    cost.bytesLow += p.installedLow;
    cost.bytesHigh += p.installedHigh;
    cost.downloadBytes += p.download;
    cost.added.push_back(n);
    if (!p.depsRead) partialDeps = true;
    for (const auto& d : p.deps)
      if (!installed.count(d)) todo.push_back(d);
  }
  cost.bytesMid = (cost.bytesLow + cost.bytesHigh) / 2;
  cost.model = "installed sizes of the apk closure minus the python:X-alpine base packages";
  if (partialDeps) cost.model += "; some dependencies were not read, so the closure may be incomplete (low side)";
  if (!cost.unknown.empty()) cost.model += "; packages without a reading count as 0 and are listed as unknown";
  cost.source = "alpine-packages.json (pkgs.alpinelinux.org pages and docker-library/repo-info apk listings)";
  std::string per;
  for (const auto& r : requested) {
    std::string n = r.substr(0, r.find_first_of("=<>~"));
    auto it = pkgs_.find(n);
    if (it == pkgs_.end() || it->second.source.empty()) continue;
    per += (per.empty() ? "" : "; ") + n + ": " + it->second.source;
    if (!it->second.match.empty()) per += " (" + it->second.match + ")";
  }
  if (!per.empty()) cost.source += "; " + per;
  return cost;
}

}  // namespace slimbench::catalogue
