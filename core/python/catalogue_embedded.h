#pragma once
// The PyPI catalogue embedded in the binary (resources/catalogue/pypi-wheels.json).
// Header-only so that core does not depend on the resources library: include it
// only from targets that link slimbench::resources (app, tests).
#include "embedded_resources.h"
#include "python/catalogue.h"

namespace slimbench::python {

inline Result<Catalogue> embeddedCatalogue() {
  auto data = resources::find("catalogue/pypi-wheels.json");
  if (!data) {
    Diagnostic d;
    d.message = "catalogue/pypi-wheels.json is not embedded in this build";
    return d;
  }
  return Catalogue::fromJson(*data);
}

}  // namespace slimbench::python
