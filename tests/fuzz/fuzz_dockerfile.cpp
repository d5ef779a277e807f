// libFuzzer target: the Dockerfile parser, model, expansion and RUN understanding, BuildKit's
// build-time checks and the findings (lint, with RUN branches decided for amd64 or arm64) must
// never crash, hang or read out of bounds on any input; the streamed, cached model (parseModel)
// must equal the one built from the whole tree; every finding points into the file.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <map>
#include <vector>

#include <algorithm>
#include <cstdlib>

#include "dockerfile/json.h"
#include "embedded_resources.h"
#include "lint/lint.h"
#include "dockerfile/model.h"
#include "dockerfile/syntax.h"
#include "util/jsonwriter.h"

#include "json_check.h"

namespace fuzzcheck {
using namespace slimbench::dockerfile;

// What a model says, as text (stages, steps' contents and places, ENV; the summary has the
// diagnostics). Appended piece by piece, without the temporaries of `a + b + c`.
std::string describe(const Model& m) {
  std::string d = summary(m);
  auto add = [&d](const auto&... parts) { ((d += parts), ...); };
  auto num = [](long long n) { return std::to_string(n); };  // short: no allocation
  for (const auto& st : m.stages) {
    add("|stage ", num(st.index), ' ', num(st.reachable), num(st.inFinalImage));
    for (int x : st.dependsOn) add(',', num(x));
    for (const auto& [k, v] : st.env) add(' ', k, '=', v);
    for (const auto& step : st.steps) {
      add('\n', num(step.index), ':', num(step.startLine), '-', num(step.endLine), ' ', num(step.copyFromStage), ' ',
          step.script());
      for (const auto& a : step.args()) add(" [", a, ']');
      for (const auto& [k, v] : step.flags()) add(" --", k, '=', v);
      for (const auto& kv : step.keyValues()) add(" {", kv.key, '=', kv.value, '}');
      add(' ', num(static_cast<long long>(step.operations().size())), '/', num(static_cast<long long>(step.commands().size())));
    }
  }
  return d;
}
}  // namespace fuzzcheck
using fuzzcheck::describe;
using namespace slimbench::dockerfile;

// The findings (the bundled rules, loaded once), RUN branches decided for the arch the input's
// size picks: each one at a line of the file (0 when tied to none).
void lintChecked(const Model& model, const slimbench::lint::InstructionComments& comments, std::string_view text) {
  static const slimbench::lint::RuleSet rules = [] {
    auto json = slimbench::resources::find("catalogue/rules.json");
    if (!json) std::abort();
    auto r = slimbench::lint::RuleSet::fromJson(*json);
    if (!r) std::abort();
    return *r;
  }();
  slimbench::lint::LintFacts facts;
  facts.arch = text.size() % 2 ? "arm64" : "amd64";
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  for (const auto& f : slimbench::lint::lint(model, comments, rules, facts))
    if (f.where.line < 0 || f.where.line > lines || f.message.empty()) __builtin_trap();
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzzjson::selfTest();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The input read where libFuzzer holds it (exactly `size` bytes: a read past the end is an ASan
  // error, which a copy with its terminator and spare capacity could hide), not copied.
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const std::map<std::string, std::string> buildArgs{{"A", "x"}};  // made once, not per model
  // What slimbench runs on every Dockerfile (analyze, the window): the streamed model, then lint.
  ModelCache cache;
  std::vector<std::vector<std::string>> comments;
  auto streamed = parseModel(text, "fuzz", "fuzz", buildArgs, {}, &cache, &comments);
  if (streamed.ok()) lintChecked(*streamed, comments, text);
  // The cross-checks (the model built from the whole tree, the cache's contents again, the BuildKit
  // dump, `parse --json` text) run on one input in four, chosen by a hash of the input, so the same
  // input always takes the same path: each is a second or third pass over the text, and on every
  // input they made most of its time.
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (std::size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 16777619u;
  if (h % 4 != 0) return 0;
  auto tree = parse(text, "fuzz");
  // parseModel (instructions modelled as parsed, contents shared through a cache) must give the
  // model built from the whole tree, and the same error when there is none.
  if (streamed.ok() != tree.ok()) __builtin_trap();
  if (!tree.ok()) {
    if (streamed.error().format() != tree.error().format()) __builtin_trap();
    return 0;
  }
  if (slimbench::lint::commentsOf(*tree) != comments) __builtin_trap();
  (void)tree->dump();
  auto model = buildModel(*tree, "fuzz", buildArgs);
  const std::string expected = describe(model);
  if (describe(*streamed) != expected) __builtin_trap();
  auto again = parseModel(text, "fuzz", "fuzz", buildArgs, {}, &cache);  // every content from the cache
  if (!again.ok() || describe(*again) != expected) __builtin_trap();
  // What `parse --json` prints must be JSON. Checked without building a document from it (parsing it
  // back and dumping it again was a third of each run), by json_check.h's validator; one checked
  // input in sixteen (again by the hash) also by nlohmann::json::accept, which must agree.
  slimbench::JsonWriter w;
  writeJson(w, *tree, model);
  if (!fuzzjson::checkedJson(w.text(), (h >> 8) % 16 == 0)) __builtin_trap();
  return 0;
}
