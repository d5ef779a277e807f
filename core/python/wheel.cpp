#include "python/wheel.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <set>
#include <unordered_map>

#include "python/version.h"

namespace slimbench::python {

namespace {

std::vector<std::string> splitDots(std::string_view s) {
  std::vector<std::string> out;
  std::size_t p = 0;
  while (p <= s.size()) {
    auto d = s.find('.', p);
    out.emplace_back(s.substr(p, d == std::string_view::npos ? std::string_view::npos : d - p));
    if (d == std::string_view::npos) break;
    p = d + 1;
  }
  return out;
}

std::pair<int, int> twoNumbers(const std::string& s, std::pair<int, int> fallback) {
  int a = 0, b = 0;
  std::size_t dot = s.find('.');
  try {
    a = std::stoi(s.substr(0, dot));
    b = dot == std::string::npos ? 0 : std::stoi(s.substr(dot + 1));
  } catch (...) {
    return fallback;
  }
  return {a, b};
}

// Leading number of a build tag ("1", "2a" -> 2), for pip's tie-break.
std::pair<long, std::string> buildKey(const std::string& b) {
  if (b.empty()) return {-1, ""};
  std::size_t k = 0;
  while (k < b.size() && std::isdigit(static_cast<unsigned char>(b[k]))) ++k;
  long n = 0;
  try { n = k ? std::stol(b.substr(0, k)) : 0; } catch (...) { n = 0; }
  return {n, b.substr(k)};
}

}  // namespace

std::vector<Tag> WheelName::tags() const {
  std::vector<Tag> out;
  for (const auto& p : pythonTags)
    for (const auto& a : abiTags)
      for (const auto& pl : platformTags) out.push_back({p, a, pl});
  return out;
}

Result<WheelName> WheelName::parse(std::string_view filename) {
  auto fail = [&](std::string m) {
    Diagnostic d;
    d.message = "invalid wheel file name '" + std::string(filename) + "': " + m;
    return d;
  };
  std::string_view f = filename;
  if (f.size() < 4 || f.substr(f.size() - 4) != ".whl") return fail("expected a name ending in .whl");
  f.remove_suffix(4);
  std::vector<std::string_view> parts;
  std::size_t p = 0;
  while (p <= f.size()) {
    auto d = f.find('-', p);
    parts.push_back(f.substr(p, d == std::string_view::npos ? std::string_view::npos : d - p));
    if (d == std::string_view::npos) break;
    p = d + 1;
  }
  if (parts.size() != 5 && parts.size() != 6) return fail("expected name-version[-build]-python-abi-platform");
  for (auto part : parts)
    if (part.empty()) return fail("empty field");
  WheelName w;
  if (!isValidName(parts[0])) return fail("bad project name");
  w.name = normalizeName(parts[0]);
  w.version = std::string(parts[1]);
  if (parts.size() == 6) {
    if (!std::isdigit(static_cast<unsigned char>(parts[2][0]))) return fail("a build tag must start with a digit");
    w.build = std::string(parts[2]);
  }
  std::size_t n = parts.size();
  w.pythonTags = splitDots(parts[n - 3]);
  w.abiTags = splitDots(parts[n - 2]);
  w.platformTags = splitDots(parts[n - 1]);
  for (const auto* set : {&w.pythonTags, &w.abiTags, &w.platformTags})
    for (const auto& t : *set)
      if (t.empty()) return fail("empty tag in a compressed tag set");
  return w;
}

std::vector<Tag> compatibleTags(const Target& t) {
  auto [major, minor] = twoNumbers(t.pythonMinor(), {3, 12});
  const std::string& arch = t.arch;
  std::vector<std::string> platforms;
  if (t.libc == Libc::Glibc) {
    auto [gmajor, gminor] = twoNumbers(t.libcVersion, {2, 17});
    // Oldest glibc that manylinux tags go down to: 2.5 on x86, 2.17 elsewhere (packaging).
    int tooOldMinor = (arch == "x86_64" || arch == "i686") ? 4 : 16;
    if (gmajor == 2) {
      for (int m = gminor; m > tooOldMinor; --m) {
        platforms.push_back("manylinux_2_" + std::to_string(m) + "_" + arch);
        if (m == 17) platforms.push_back("manylinux2014_" + arch);
        if (m == 12) platforms.push_back("manylinux2010_" + arch);
        if (m == 5) platforms.push_back("manylinux1_" + arch);
      }
    }
  } else {
    auto [mmajor, mminor] = twoNumbers(t.libcVersion, {1, 2});
    // Before PEP 656 (2021) pip knew no musllinux tag: none is accepted then.
    for (int m = mminor; t.musllinuxWheels && m >= 0; --m)
      platforms.push_back("musllinux_" + std::to_string(mmajor) + "_" + std::to_string(m) + "_" + arch);
  }
  platforms.push_back("linux_" + arch);

  std::string cp = "cp" + std::to_string(major) + std::to_string(minor);
  std::vector<Tag> tags;
  for (const auto& p : platforms) tags.push_back({cp, cp, p});
  for (const auto& p : platforms) tags.push_back({cp, "abi3", p});
  for (const auto& p : platforms) tags.push_back({cp, "none", p});
  for (int m = minor - 1; m > 1; --m)
    for (const auto& p : platforms) tags.push_back({"cp" + std::to_string(major) + std::to_string(m), "abi3", p});
  // compatible_tags(): pyXY, pyX, pyX(Y-1) ... pyX0 on each platform, then "any".
  std::vector<std::string> py = {"py" + std::to_string(major) + std::to_string(minor), "py" + std::to_string(major)};
  for (int m = minor - 1; m >= 0; --m) py.push_back("py" + std::to_string(major) + std::to_string(m));
  for (const auto& v : py)
    for (const auto& p : platforms) tags.push_back({v, "none", p});
  tags.push_back({cp, "none", "any"});
  for (const auto& v : py) tags.push_back({v, "none", "any"});
  return tags;
}

Selection selectDistribution(const Release& r, const Target& target, SelectionPolicy policy) {
  return selectDistribution(r, compatibleTags(target), policy);
}

TagIndex::TagIndex(std::vector<Tag> list) : tags(std::move(list)) {
  for (std::size_t k = 0; k < tags.size(); ++k) priority.emplace(tags[k].str(), static_cast<int>(k));
}

std::shared_ptr<const TagIndex> tagIndexFor(const Target& target) {
  // Everything compatibleTags reads of the target (a field left out would hand one target's tags to another).
  const std::string key = target.pythonMinor() + '|' + target.arch + '|' + (target.libc == Libc::Glibc ? "glibc|" : "musl|") +
                          target.libcVersion + (target.musllinuxWheels ? "|musllinux" : "|no-musllinux");
  static std::mutex mutex;
  static std::vector<std::pair<std::string, std::shared_ptr<const TagIndex>>> kept;  // a handful: searched in order
  {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& [k, index] : kept)
      if (k == key) return index;
  }
  auto made = std::make_shared<const TagIndex>(compatibleTags(target));  // outside the lock
  std::lock_guard<std::mutex> lock(mutex);
  if (kept.size() >= 8) kept.erase(kept.begin());  // targets come and go (python:3.11 then 3.12): the oldest goes
  kept.emplace_back(key, made);
  return made;
}

void prepareWheel(DistFile& f) {
  f.prepared = true;
  auto w = WheelName::parse(f.filename);
  f.valid = w.ok();
  if (!f.valid) return;
  f.tagKeys.clear();
  for (const auto& t : w->tags()) f.tagKeys.push_back(t.str());
  f.build = w->build;
  f.platforms = w->platformTags;
}

Selection selectDistribution(const Release& r, const std::vector<Tag>& tags, SelectionPolicy policy) {
  return selectDistribution(r, TagIndex(tags), policy);
}

Selection selectDistribution(const Release& r, const TagIndex& index, SelectionPolicy policy) {
  Selection s;
  const auto& tags = index.tags;
  const auto& priority = index.priority;
  const DistFile* best = nullptr;
  int bestPri = -1;
  std::pair<long, std::string> bestBuild;
  std::set<std::string> seenPlatforms;
  if (!policy.noBinary) {
    for (const auto& original : r.wheels) {
      const DistFile* pf = &original;
      DistFile local;
      if (!original.prepared) {
        local = original;
        prepareWheel(local);
        pf = &local;
      }
      const DistFile& f = *pf;
      if (!f.valid) continue;
      int pri = -1;
      for (const auto& key : f.tagKeys) {
        auto it = priority.find(key);
        if (it != priority.end() && (pri < 0 || it->second < pri)) pri = it->second;
      }
      for (const auto& p : f.platforms) seenPlatforms.insert(p);
      if (pri < 0) continue;
      auto bk = buildKey(f.build);
      if (!best || pri < bestPri || (pri == bestPri && bk > bestBuild)) {
        best = &original;
        bestPri = pri;
        bestBuild = bk;
      }
    }
  }
  Tag top = tags.empty() ? Tag{} : tags.front();
  if (best) {
    s.kind = Selection::Wheel;
    s.wheel = *best;
    s.size = best->size;
    s.tagPriority = bestPri;
    s.reason = "wheel tag " + tags[static_cast<std::size_t>(bestPri)].str() + " is compatible (priority " +
               std::to_string(bestPri + 1) + " of " + std::to_string(tags.size()) + ")";
    return s;
  }
  std::string why;
  if (policy.noBinary) why = "--no-binary asks for the sdist";
  else if (r.wheels.empty()) why = "no wheels published";
  else {
    why = "no wheel matches " + top.interpreter + " on " + top.platform.substr(0, top.platform.find('_')) + " " +
          (top.platform.find("aarch64") != std::string::npos ? "aarch64" : "x86_64") + " (wheels for:";
    int shown = 0;
    for (const auto& p : seenPlatforms) {
      if (shown++ == 6) { why += " ..."; break; }
      why += " " + p;
    }
    why += ")";
  }
  std::string caveat;
  if (!policy.noBinary && top.platform.rfind("musllinux", 0) == 0) {
    bool manylinux = false, musllinux = false;
    for (const auto& p : seenPlatforms) {
      manylinux = manylinux || p.rfind("manylinux", 0) == 0;
      musllinux = musllinux || p.rfind("musllinux", 0) == 0;
    }
    if (manylinux && !musllinux) {
      s.musllinuxUnknown = true;
      caveat = " (the catalogue's wheel list comes from lock files that may omit musllinux wheels)";
    }
  }
  if (r.sdistSize && !policy.onlyBinary) {
    s.kind = Selection::Sdist;
    s.size = *r.sdistSize;
    s.reason = why + "; pip builds from the sdist (needs a compiler if it has C extensions)" + caveat;
    return s;
  }
  s.kind = Selection::None;
  s.reason = why + (policy.onlyBinary ? "; --only-binary forbids the sdist" : "; no sdist either: pip cannot install it") + caveat;
  return s;
}

}  // namespace slimbench::python
