#include "estimate/context.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace slimbench::estimate {
namespace fs = std::filesystem;

namespace {
std::string cleanPath(const std::string& p) {
  // Go's filepath.Clean, relative to the context root: "." segments and empty ones ("//") go,
  // ".." takes the segment before it (none above the root), no leading or trailing "/".
  // "./pkg/." is "pkg", as Docker reads a COPY source or a .dockerignore pattern.
  std::vector<std::string> segs;
  std::size_t i = 0;
  while (i <= p.size()) {
    std::size_t j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    std::string seg = p.substr(i, j - i);
    if (seg == "..") {
      if (!segs.empty()) segs.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segs.push_back(std::move(seg));
    }
    i = j + 1;
  }
  std::string out;
  for (const auto& seg : segs) out += (out.empty() ? "" : "/") + seg;
  if (out.empty()) out = ".";
  return out;
}

bool matchClass(const std::string& pat, std::size_t& pi, char c) {
  // pat[pi] == '[' ; advances pi past ']'
  std::size_t i = pi + 1;
  bool neg = false;
  if (i < pat.size() && (pat[i] == '^' || pat[i] == '!')) { neg = true; ++i; }
  bool matched = false;
  bool first = true;
  while (i < pat.size() && (pat[i] != ']' || first)) {
    first = false;
    char lo = pat[i];
    if (lo == '\\' && i + 1 < pat.size()) lo = pat[++i];
    char hi = lo;
    if (i + 2 < pat.size() && pat[i + 1] == '-' && pat[i + 2] != ']') {
      hi = pat[i + 2];
      if (hi == '\\' && i + 3 < pat.size()) { hi = pat[i + 3]; ++i; }
      i += 2;
    }
    if (c >= lo && c <= hi) matched = true;
    ++i;
  }
  pi = i + 1;
  return matched != neg;
}

// Matches one path segment against one pattern segment (no '/').
bool segMatch(const std::string& p, std::size_t pi, const std::string& s, std::size_t si) {
  while (pi < p.size()) {
    char c = p[pi];
    if (c == '*') {
      ++pi;
      for (std::size_t k = si; k <= s.size(); ++k)
        if (segMatch(p, pi, s, k)) return true;
      return false;
    }
    if (si >= s.size()) return false;
    if (c == '?') { ++pi; ++si; continue; }
    if (c == '[') {
      if (!matchClass(p, pi, s[si])) return false;
      ++si;
      continue;
    }
    if (c == '\\' && pi + 1 < p.size()) c = p[++pi];
    if (c != s[si]) return false;
    ++pi;
    ++si;
  }
  return si == s.size();
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == '/') { out.push_back(cur); cur.clear(); } else cur += c;
  }
  out.push_back(cur);
  return out;
}

bool globSegs(const std::vector<std::string>& p, std::size_t i, const std::vector<std::string>& s, std::size_t j) {
  if (i == p.size()) return j == s.size();
  if (p[i] == "**") {
    for (std::size_t k = j; k <= s.size(); ++k)
      if (globSegs(p, i + 1, s, k)) return true;
    return false;
  }
  if (j == s.size()) return false;
  return segMatch(p[i], 0, s[j], 0) && globSegs(p, i + 1, s, j + 1);
}
}  // namespace

std::string contextPath(const std::string& source) { return cleanPath(source); }

bool dockerGlob(const std::string& pattern, const std::string& path) {
  return globSegs(split(pattern), 0, split(path), 0);
}

DockerIgnore DockerIgnore::parse(const std::string& text) {
  DockerIgnore d;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] == '#') continue;
    auto b = line.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    auto e = line.find_last_not_of(" \t");
    line = line.substr(b, e - b + 1);
    Rule r;
    if (line[0] == '!') {
      r.negate = true;
      line = line.substr(1);
      auto b2 = line.find_first_not_of(" \t");
      if (b2 == std::string::npos) continue;
      line = line.substr(b2);
    }
    r.pattern = cleanPath(line);
    d.rules_.push_back(r);
  }
  return d;
}

bool DockerIgnore::excluded(const std::string& relPath) const {
  const std::string p = cleanPath(relPath);
  bool ex = false;
  // A pattern matching a parent directory excludes everything below it.
  std::vector<std::string> prefixes;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (p[i] == '/') prefixes.push_back(p.substr(0, i));
  prefixes.push_back(p);
  for (const auto& r : rules_) {
    bool m = false;
    for (const auto& pre : prefixes)
      if (dockerGlob(r.pattern, pre)) { m = true; break; }
    if (m) ex = !r.negate;
  }
  return ex;
}

BuildContext scanContext(const std::string& root, std::size_t maxFiles) {
  BuildContext c;
  c.root = root;
  DockerIgnore ig;
  fs::path di = fs::path(root) / ".dockerignore";
  std::error_code ec;
  if (fs::is_regular_file(di, ec)) {
    c.hasDockerignore = true;
    std::ifstream in(di);
    std::stringstream ss;
    ss << in.rdbuf();
    ig = DockerIgnore::parse(ss.str());
  }
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  std::size_t n = 0;
  for (; !ec && it != end; it.increment(ec)) {
    const auto& e = *it;
    std::error_code ec2;
    if (e.is_symlink(ec2) || !e.is_regular_file(ec2)) continue;
    std::string rel = fs::relative(e.path(), root, ec2).generic_string();
    std::uint64_t size = e.file_size(ec2);
    if (ec2) size = 0;
    if (ig.excluded(rel)) {
      c.ignoredBytes += size;
      ++c.ignoredFiles;
      continue;
    }
    c.files.push_back({rel, size});
    c.totalBytes += size;
    if (++n >= maxFiles) {
      c.truncated = true;
      break;
    }
  }
  return c;
}

bool BuildContext::matches(const std::string& source) const {
  std::string s = cleanPath(source);
  if (s == ".") return true;
  const bool glob = s.find_first_of("*?[") != std::string::npos;
  for (const auto& f : files)
    if (glob ? (dockerGlob(s, f.path) || dockerGlob(s + "/**", f.path)) : (f.path == s || f.path.rfind(s + "/", 0) == 0)) return true;
  return false;
}

bool BuildContext::isFolder(const std::string& source) const {
  const std::string s = cleanPath(source);
  if (s == ".") return true;
  for (const auto& f : files)
    if (f.path.size() > s.size() && f.path.compare(0, s.size(), s) == 0 && f.path[s.size()] == '/') return true;
  return false;
}

std::uint64_t BuildContext::bytesFor(const std::string& source) const {
  std::string s = cleanPath(source);
  if (s == ".") return totalBytes;
  std::uint64_t sum = 0;
  const bool glob = s.find_first_of("*?[") != std::string::npos;
  for (const auto& f : files) {
    if (glob ? (dockerGlob(s, f.path) || dockerGlob(s + "/**", f.path)) : (f.path == s || f.path.rfind(s + "/", 0) == 0))
      sum += f.bytes;
  }
  return sum;
}

void BuildContext::forEachPlaced(const std::string& source, const std::string& dest, bool toDir,
                                 const std::function<void(const std::string&, const ContextFile&)>& fn) const {
  const std::string s = cleanPath(source);
  std::string d = dest;  // without a trailing slash ("/app/" places files at /app/NAME, "/" at /NAME)
  while (!d.empty() && d.back() == '/') d.pop_back();
  auto baseName = [](const std::string& p) { return p.substr(p.rfind('/') == std::string::npos ? 0 : p.rfind('/') + 1); };
  if (s == ".") {
    for (const auto& f : files) fn(d + "/" + f.path, f);
    return;
  }
  if (s.find_first_of("*?[") != std::string::npos) {
    const std::size_t segs = split(s).size();
    for (const auto& f : files) {
      if (dockerGlob(s, f.path)) fn(d + "/" + baseName(f.path), f);
      else if (dockerGlob(s + "/**", f.path)) {
        // Inside a matched folder: its contents go into dest.
        std::size_t at = 0;
        for (std::size_t i = 0; i < segs && at != std::string::npos; ++i) at = f.path.find('/', at + (i ? 1 : 0));
        if (at != std::string::npos) fn(d + f.path.substr(at), f);
      }
    }
    return;
  }
  for (const auto& f : files) {
    if (f.path == s) fn(toDir ? d + "/" + baseName(f.path) : (d.empty() ? std::string("/") : d), f);
    else if (f.path.size() > s.size() && f.path.compare(0, s.size(), s) == 0 && f.path[s.size()] == '/')
      fn(d + f.path.substr(s.size()), f);
  }
}

}  // namespace slimbench::estimate
