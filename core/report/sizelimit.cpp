#include "report/sizelimit.h"

#include "generate/variants.h"

namespace slimbench::report {

SizeCheck checkMaxSize(const estimate::VariantResult& v, std::uint64_t limit) {
  using estimate::formatMB;
  SizeCheck c;
  const std::string name = std::string(generate::variantTitle(v.kind)) + " (" + generate::variantId(v.kind) + ")";
  if (v.parseError) {
    c.message = name + " does not parse, so its size is not estimated: " + v.parseError->format();
    return c;
  }
  const auto& e = v.estimate;
  const std::string lim = "the limit of " + formatMB(limit);
  const bool lowerBound = e.disk.open || !e.coverage.complete;
  if (!lowerBound) {
    const std::string figure = formatMB(e.disk.mid) + " on disk (range " + formatMB(e.disk.low) + " – " + formatMB(e.disk.high) + ")";
    if (e.disk.mid > limit) {
      c.verdict = SizeCheck::Verdict::Over;
      c.message = name + ": " + figure + " is over " + lim + " by " + formatMB(e.disk.mid - limit);
      if (e.disk.low <= limit) c.message += "; the bottom of the range is within it, so the built image may fit";
    } else {
      c.verdict = SizeCheck::Verdict::Within;
      c.message = name + ": " + figure + " is within " + lim;
      if (e.disk.high > limit)
        c.message += "; the top of the range is over it, so the built image may be too";
    }
    return c;
  }
  std::string unknown = std::to_string(e.coverage.unknownCount) + (e.coverage.unknownCount == 1 ? " layer" : " layers") + " unknown";
  if (!e.coverage.unknownLayers.empty()) {
    unknown += ": ";
    for (std::size_t i = 0; i < e.coverage.unknownLayers.size(); ++i) {
      if (i) unknown += ", ";
      unknown += e.coverage.unknownLayers[i] ? "line " + std::to_string(e.coverage.unknownLayers[i]) : std::string("the base image");
    }
  }
  const std::string figure = "at least " + formatMB(e.disk.mid) + " on disk (a lower bound, " + unknown + ")";
  if (e.disk.mid > limit) {
    c.verdict = SizeCheck::Verdict::Over;
    c.message = name + ": " + figure + " is over " + lim + " by at least " + formatMB(e.disk.mid - limit) +
                ", whatever the unknown parts hold";
  } else {
    c.verdict = SizeCheck::Verdict::WithinKnownOnly;
    c.message = name + ": " + figure + ", within " + lim + " for what is known, but the unknown parts could exceed it: "
                "give their sizes (--base-size, --base-image, --layer-size, --package-size) to check it for certain";
  }
  return c;
}

}  // namespace slimbench::report
