#pragma once
// The bundled knowledge (catalogues, rules), loaded once per test executable.
#include <QtGlobal>

#include <memory>

#include "estimate/knowledge_embedded.h"

namespace testutil {
inline std::shared_ptr<slimbench::estimate::Knowledge> knowledge() {
  static std::shared_ptr<slimbench::estimate::Knowledge> k;
  if (!k) {
    auto r = slimbench::estimate::bundledKnowledge();
    if (!r) qFatal("%s", r.error().format().c_str());
    k = *r;
  }
  return k;
}
}  // namespace testutil
