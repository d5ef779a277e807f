#pragma once
// The analysis as JSON (schema slimbench.analysis/1): what `slimbench analyze --json` prints
// and what the analysis fuzzer serialises.
#include <nlohmann/json.hpp>

#include "estimate/analysis.h"
#include "util/jsonwriter.h"

namespace slimbench::estimate {

// Streamed: the text is written as it is made (what `analyze --json` prints).
void writeAnalysisJson(JsonWriter& w, const Analysis& a);
// The same as a document (small analyses: tests, the fuzzer).
nlohmann::ordered_json analysisJson(const Analysis& a);

}  // namespace slimbench::estimate
