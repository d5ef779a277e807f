// libFuzzer target: the Dockerfile parser, model, expansion and RUN understanding
// must never crash, hang or read out of bounds on any input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dockerfile/json.h"
#include "dockerfile/model.h"
#include "dockerfile/syntax.h"
#include "util/jsontext.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto tree = slimbench::dockerfile::parse(text, "fuzz");
  if (!tree.ok()) return 0;
  (void)tree->dump();
  auto model = slimbench::dockerfile::buildModel(*tree, "fuzz", {{"A", "x"}});
  (void)slimbench::jsonText(slimbench::dockerfile::toJson(*tree, model));
  (void)slimbench::dockerfile::summary(model);
  return 0;
}
