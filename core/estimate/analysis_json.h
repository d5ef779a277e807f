#pragma once
// The analysis as JSON (schema slimbench.analysis/1): what `slimbench analyze --json` prints
// and what the analysis fuzzer serialises.
#include <nlohmann/json.hpp>

#include "estimate/analysis.h"

namespace slimbench::estimate {

nlohmann::ordered_json analysisJson(const Analysis& a);

}  // namespace slimbench::estimate
