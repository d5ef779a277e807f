#pragma once
// The build context as Docker sends it: files under the project folder minus
// what .dockerignore excludes (Docker's rules: Go filepath.Match patterns, `**`,
// `!` exceptions, the last matching pattern wins), and the bytes a COPY takes.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace slimbench::estimate {

class DockerIgnore {
 public:
  static DockerIgnore parse(const std::string& text);
  bool excluded(const std::string& relPath) const;  // relPath uses '/', no leading "./"
  bool empty() const { return rules_.empty(); }

 private:
  struct Rule {
    std::string pattern;
    bool negate = false;
  };
  std::vector<Rule> rules_;
};

// Glob match with Docker's .dockerignore semantics: '*' and '?' do not cross '/',
// '**' matches any number of path segments, [...] classes, '\\' escapes.
bool dockerGlob(const std::string& pattern, const std::string& path);

struct ContextFile {
  std::string path;  // relative, '/'-separated
  std::uint64_t bytes = 0;
};

struct BuildContext {
  std::string root;
  bool hasDockerignore = false;
  std::vector<ContextFile> files;  // after .dockerignore
  std::uint64_t totalBytes = 0;
  std::uint64_t ignoredBytes = 0;
  std::size_t ignoredFiles = 0;
  bool truncated = false;  // stopped at the file-count limit

  // Bytes a COPY of `source` (relative to the context; ".", "dir/", "*.py", "a/b.txt") takes.
  std::uint64_t bytesFor(const std::string& source) const;
  // Whether any file of the context matches `source` (a COPY of a missing path fails the build).
  bool matches(const std::string& source) const;
  // Whether `source` (no wildcard) names a folder of the context: "." or a path some file lies under.
  bool isFolder(const std::string& source) const;
  // Where each file a `COPY source dest` takes lands in the image: calls fn(imagePath, file) per
  // file. `dest` is absolute; `toDir` when the destination is a folder (ends in '/', or several
  // sources). Docker's rules: a folder's contents go into dest, a file goes to dest/NAME (toDir)
  // or to dest itself.
  void forEachPlaced(const std::string& source, const std::string& dest, bool toDir,
                     const std::function<void(const std::string& imagePath, const ContextFile& file)>& fn) const;
};

// Walks the folder (no symlink following, at most maxFiles files).
BuildContext scanContext(const std::string& root, std::size_t maxFiles = 200000);

// A COPY/ADD source as the path in the context it names (Go's filepath.Clean, from the context's
// root, as Docker reads it): "./pkg/." is "pkg", "/src" is "src", "/" and "./" are ".".
std::string contextPath(const std::string& source);

}  // namespace slimbench::estimate
