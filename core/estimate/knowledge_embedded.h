#pragma once
// The analysis knowledge from the catalogues embedded in the executable. Header
// only, because core does not link the resources library: include it from app,
// ui or tests (which do).
#include "embedded_resources.h"
#include "estimate/analysis.h"

namespace slimbench::estimate {
inline Result<std::shared_ptr<Knowledge>> bundledKnowledge() {
  return loadKnowledge([](std::string_view p) { return resources::find(p); });
}
}  // namespace slimbench::estimate
