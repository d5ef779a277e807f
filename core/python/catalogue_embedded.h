#pragma once
// The PyPI catalogue embedded in the binary (resources/catalogue/pypi-wheels.json.zst).
// Header-only so that core does not depend on the resources library: include it
// only from targets that link slimbench::resources (app, tests).
#include "embedded_resources.h"
#include "python/catalogue.h"
#include "util/zstd.h"

namespace slimbench::python {

inline Result<Catalogue> embeddedCatalogue() {
  auto data = resources::find("catalogue/pypi-wheels.json.zst");
  if (!data) {
    Diagnostic d;
    d.message = "catalogue/pypi-wheels.json.zst is not embedded in this build";
    return d;
  }
  return Catalogue::fromCompressed(*data);
}

// Debian's builds of PyPI projects (resources/catalogue/debian-python-proxy.json.zst).
inline Result<DebianProxy> embeddedDebianProxy() {
  auto data = resources::find("catalogue/debian-python-proxy.json.zst");
  if (!data) {
    Diagnostic d;
    d.message = "catalogue/debian-python-proxy.json.zst is not embedded in this build";
    return d;
  }
  auto text = zstdDecompress(*data);
  if (!text) return text.error();
  return DebianProxy::fromJson(*text);
}

}  // namespace slimbench::python
