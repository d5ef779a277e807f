#pragma once
// The analysis as JSON (schema slimbench.analysis/2): what `slimbench analyze --json` prints
// and what the analysis fuzzer serialises. README.md ("--json prints one object") documents it.
//
// Written to stay small on long Dockerfiles without leaving anything out: every record of a long
// list (a layer, a package, a finding's place) is one line; the texts layers give for their
// figures (reason, source, notes, what is unknown) are written once, in the document's `reasons`
// table, and named there by id ("r12"); a layer identical to one written before (a variant
// keeps most of your instructions, estimated the same) names that one (`sameAs`) instead of
// repeating it; findings are grouped by rule, fidelity and added lines by what was done and why.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "estimate/analysis.h"
#include "util/jsonwriter.h"

namespace slimbench::estimate {

inline constexpr const char* kAnalysisSchema = "slimbench.analysis/2";

// Streams one analysis: head(), then variant() for each variant in order (each as soon as it
// is analysed: AnalysisOptions::onVariant), then tail(), which writes the `reasons` table and
// closes the document. It keeps the reasons and what each written layer looked like (not the
// layers) between calls.
class AnalysisJsonWriter {
 public:
  explicit AnalysisJsonWriter(JsonWriter& w);
  ~AnalysisJsonWriter();
  AnalysisJsonWriter(const AnalysisJsonWriter&) = delete;
  AnalysisJsonWriter& operator=(const AnalysisJsonWriter&) = delete;

  // Every field before the variants, opening the "variants" array.
  void head(const Analysis& a);
  void variant(const VariantResult& v);
  // Closes "variants", writes "reasons" and closes the document.
  void tail();

  struct State;  // what is kept between calls (in the .cpp)

 private:
  JsonWriter& w_;
  std::unique_ptr<State> s_;
};

// The whole analysis at once (head, every variant, tail).
void writeAnalysisJson(JsonWriter& w, const Analysis& a);
// The same as a document (small analyses: tests).
nlohmann::ordered_json analysisJson(const Analysis& a);

}  // namespace slimbench::estimate
