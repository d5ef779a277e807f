#pragma once
// The analysis as JSON (schema slimbench.analysis/1): what `slimbench analyze --json` prints
// and what the analysis fuzzer serialises.
#include <nlohmann/json.hpp>

#include "estimate/analysis.h"
#include "util/jsonwriter.h"

namespace slimbench::estimate {

// Streamed: the text is written as it is made (what `analyze --json` prints).
void writeAnalysisJson(JsonWriter& w, const Analysis& a);
// The same in three parts, for writing each variant as soon as it is analysed
// (AnalysisOptions::onVariant): the head (every field before the variants, opening the
// "variants" array), one variant, then the tail closing both.
void writeAnalysisHead(JsonWriter& w, const Analysis& a);
void writeVariantJson(JsonWriter& w, const VariantResult& v);
void writeAnalysisTail(JsonWriter& w);
// The same as a document (small analyses: tests, the fuzzer).
nlohmann::ordered_json analysisJson(const Analysis& a);

}  // namespace slimbench::estimate
