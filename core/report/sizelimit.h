#pragma once
// analyze --max-size: is a variant's estimated size on disk over a limit? Only what is known to be
// over fails: a lower bound (unknown parts) below the limit passes with a warning, since the
// unknown parts could take it over or not; a lower bound already over the limit fails.
#include <cstdint>
#include <string>

#include "estimate/analysis.h"

namespace slimbench::report {

struct SizeCheck {
  enum class Verdict {
    Within,           // the estimate (complete) is at or under the limit
    WithinKnownOnly,  // a lower bound at or under the limit: unknown parts could exceed it
    Over,             // the estimate, or the lower bound alone, is over the limit
    NotEstimated,     // the variant does not parse: nothing to compare
  };
  Verdict verdict = Verdict::NotEstimated;
  std::string message;  // one or two sentences naming the variant, the figure, the limit and the basis
  bool fails() const { return verdict == Verdict::Over; }
};

// Compares the variant's on-disk total (its mid: the figure analyze prints) with `limitBytes`.
SizeCheck checkMaxSize(const estimate::VariantResult& v, std::uint64_t limitBytes);

}  // namespace slimbench::report
