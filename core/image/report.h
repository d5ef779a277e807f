#pragma once
// The inspection as JSON (slimbench inspect --json; schema in docs/images.md) and
// dive-style CI rules.
#include <nlohmann/json.hpp>
#include <optional>

#include "image/analyze.h"

namespace slimbench::image {

// dive's CI rules; an unset threshold is not checked.
struct CiRules {
  std::optional<double> lowestEfficiency = 0.9;
  std::optional<std::uint64_t> highestWastedBytes;
  std::optional<double> highestUserWastedPercent = 0.1;
};

struct CiResult {
  struct Rule {
    std::string name;
    bool pass = true;
    std::string message;  // "efficiency 0.85 is below 0.9"
  };
  std::vector<Rule> rules;
  bool pass() const;
};

CiResult evaluate(const Analysis& a, const CiRules& rules);

// treeDepth < 0: no tree; 0: the root only; n: n levels of children.
nlohmann::json toJson(const Image& img, const Analysis& a, int treeDepth = -1, const FileTree* tree = nullptr);
nlohmann::json treeToJson(const FileTree& t, std::int32_t node, int depth);

// "20MB", "1.5GiB", "300k", "1048576" -> bytes; nullopt when malformed.
std::optional<std::uint64_t> parseByteSize(std::string_view s);

}  // namespace slimbench::image
