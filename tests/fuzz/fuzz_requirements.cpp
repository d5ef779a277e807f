// libFuzzer target: requirements files, PEP 508 requirements, PEP 440 versions,
// specifier sets and markers must never crash or hang on any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "python/requirements.h"

using namespace slimbench::python;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ParseOptions o;
  o.followIncludes = false;  // no file system access
  o.env = [](const std::string&) { return std::optional<std::string>(); };
  auto f = parseRequirementsText(text, "fuzz.txt", o);
  for (const auto& r : f.requirements) (void)parseRequirement(r.str());
  if (size < 512) {
    if (auto v = Version::parse(text)) (void)Version::parse(v->str());
    if (auto s = SpecifierSet::parse(text)) (void)s->contains("1.0rc1", true);
    if (auto m = Marker::parse(text)) (void)m->evaluate(Environment::forTarget(Target{}));
  }
  return 0;
}
