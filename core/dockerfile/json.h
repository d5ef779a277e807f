#pragma once
// JSON form of a parsed Dockerfile (slimbench parse --json). Schema in docs/dockerfile.md.
#include <nlohmann/json.hpp>

#include "dockerfile/model.h"
#include "dockerfile/syntax.h"
#include "util/jsonwriter.h"

namespace slimbench::dockerfile {
// Streamed: what `parse --json` prints, written as it is made.
void writeJson(JsonWriter& w, const SyntaxTree& tree, const Model& model);
// The same as a document (small inputs: tests, the fuzzer).
nlohmann::ordered_json toJson(const SyntaxTree& tree, const Model& model);
nlohmann::ordered_json toJson(const Diagnostic& d);
}  // namespace slimbench::dockerfile
