#pragma once
// JSON form of a parsed Dockerfile (slimbench parse --json). Schema in README.
#include <nlohmann/json.hpp>

#include "dockerfile/model.h"
#include "dockerfile/syntax.h"

namespace slimbench::dockerfile {
nlohmann::ordered_json toJson(const SyntaxTree& tree, const Model& model);
nlohmann::ordered_json toJson(const Diagnostic& d);
}  // namespace slimbench::dockerfile
