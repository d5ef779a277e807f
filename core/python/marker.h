#pragma once
// PEP 508 environment markers, and the target an image variant installs for.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostic.h"

namespace slimbench::python {

enum class Libc { Glibc, Musl };

// What `pip install` runs on inside the image: CPython on Linux.
struct Target {
  std::string python = "3.12";  // X.Y or X.Y.Z
  std::string arch = "x86_64";  // x86_64 or aarch64
  Libc libc = Libc::Glibc;
  std::string libcVersion = "2.36";  // glibc 2.36 (bookworm), 2.41 (trixie); musl 1.2
  // False: pip as before musllinux wheels (PEP 656, 2021), which accepted no musllinux tag: on musl
  // only pure wheels fit, everything else is built from its sdist ("wheels as before musllinux").
  bool musllinuxWheels = true;

  // "linux/amd64" or "linux/arm64" (also x86_64/aarch64/amd64/arm64); false when unknown.
  bool setPlatform(std::string_view platform);
  // X.Y part of python.
  std::string pythonMinor() const;
};

// Marker variables: python_version, python_full_version, sys_platform, ...
struct Environment {
  std::map<std::string, std::string> values;

  static Environment forTarget(const Target& t);
  std::optional<std::string> get(const std::string& name) const;
};

class Marker {
 public:
  // Parses a marker expression; errors carry the 1-based column in text.
  static Result<Marker> parse(std::string_view text);

  // Evaluates for env; `extra == "x"` is true when x (PEP 685-normalised) is in extras.
  bool evaluate(const Environment& env, const std::vector<std::string>& extras = {}) const;
  std::string str() const;  // normalised text: single spaces, double quotes
  bool empty() const { return !root_; }

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
};

}  // namespace slimbench::python
