#pragma once
// "Compare with estimate": an opened image's layers against the estimate of the
// Dockerfile that built it, per layer and in total, with the error in percent.
//
//   auto img = image::open("app.tar");
//   auto an  = estimate::analyze(project, knowledge, {});
//   auto cmp = image::compare(*img, an.variants[0].estimate);   // the user's Dockerfile
//   for (auto& r : cmp.rows) r.measuredBytes, r.estimate.mid, r.errorPercent ...
//
// Matching: the image's non-empty layers (bottom first, each with its history
// createdBy) are aligned with the estimate's layers (the catalogued base's layers
// first, then the final stage's RUN/COPY/ADD in order) by a monotonic alignment
// that maximises the similarity of the texts. Base layers match by position
// (their history rarely equals the catalogue's); Dockerfile layers need a
// similar text (same instruction kind; RUN commands compared word by word after
// normalisation; COPY/ADD by kind and destination, since history only records
// "file:<hash> in DEST"). What is left on either side is reported, not guessed.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "estimate/estimate.h"
#include "image/image.h"

namespace slimbench::image {

// What "measured" means for a layer.
enum class Measure {
  ContentBytes,  // sum of the regular files the layer adds or rewrites (what `docker history` shows,
                 // and what the estimator models: bytes on disk)
  TarBytes,      // the uncompressed layer tar (what `podman history` shows: headers and padding included)
};
const char* measureName(Measure m);  // "content-bytes" | "tar-bytes"

struct CompareOptions {
  Measure measure = Measure::ContentBytes;
  double minSimilarity = 0.34;  // a Dockerfile layer needs at least this to match an image layer
};

struct ComparisonRow {
  int imageLayer = -1;          // index into Image::layers; -1: an estimate layer no image layer matched
  int estimateLayer = -1;       // index into VariantEstimate::layers; -1: an image layer nothing estimated
  std::string instruction;      // the Dockerfile text (or the catalogued base layer's history)
  std::string createdBy;        // the image history's text for the layer
  bool fromBase = false;        // an estimate layer of the FROM image
  int line = 0;                 // Dockerfile line (0 for base layers)
  std::uint64_t measuredBytes = 0;       // per CompareOptions::measure (0 when no image layer)
  std::uint64_t measuredCompressed = 0;  // the blob as stored
  estimate::Range estimate;              // disk bytes (zero when no estimate layer)
  estimate::Range estimateCompressed;
  std::optional<double> errorPercent;    // (mid − measured) / measured × 100; unset when not both sides, measured is 0,
                                         // or the layer was not estimated
  bool withinRange = false;              // low ≤ measured ≤ high
  // The estimate has no figure for this layer: its estimate layer could not be sized (basis
  // unknown: `estimate` holds only what is known of it, a lower bound), or it is an image layer of
  // a base image the catalogue does not hold. Such a layer has no error and is left out of the
  // total's error.
  bool notEstimated = false;
  double similarity = 0;                 // of createdBy and instruction, 0..1
  std::string match;                     // "text", "base-position", "" (unmatched)
  bool matched() const { return imageLayer >= 0 && estimateLayer >= 0; }
};

struct Comparison {
  Measure measure = Measure::ContentBytes;
  std::vector<ComparisonRow> rows;       // bottom first; unmatched estimate layers sit where they would be
  // Totals over everything (all image layers; all estimate layers).
  std::uint64_t measuredTotal = 0;
  estimate::Range estimateTotal;
  // The total's error and range check leave out the layers that were not estimated (their
  // measured bytes and the known part of their estimate): over measuredCompared against
  // estimateCompared. Without such layers these equal the totals.
  std::uint64_t measuredCompared = 0;
  estimate::Range estimateCompared;
  std::optional<double> errorPercent;
  bool withinRange = false;
  int notEstimated = 0;                   // rows with notEstimated
  std::uint64_t measuredNotEstimated = 0;  // their measured bytes
  // Totals over the matched rows only (those that were estimated).
  std::uint64_t measuredMatched = 0;
  estimate::Range estimateMatched;
  std::optional<double> errorPercentMatched;
  int matched = 0, unmatchedImage = 0, unmatchedEstimate = 0;
  std::vector<std::string> notes;        // e.g. "base image not in the catalogue"
};

Comparison compare(const Image& img, const estimate::VariantEstimate& est, const CompareOptions& options = {});

// The instruction text inside a history entry: "/bin/sh -c #(nop) COPY file:ab in /app " -> "COPY file:ab in /app",
// "RUN |2 A=1 B=2 /bin/sh -c pip install x # buildkit" -> "RUN pip install x", "/bin/sh -c apt-get ..." -> "RUN apt-get ...".
// Whitespace collapsed; a shell-form command without a keyword is a RUN.
std::string normalizeCreatedBy(std::string_view createdBy);
// Similarity (0..1) of a history entry and a Dockerfile instruction (both normalised).
double instructionSimilarity(std::string_view createdBy, std::string_view instruction);

// {measure, rows: [{imageLayer, estimateLayer, instruction, createdBy, fromBase, line, match, similarity,
//   measuredBytes, measuredCompressedBytes, estimateBytes: {low, mid, high}, estimateCompressedBytes,
//   errorPercent|null, withinRange, notEstimated}], total: {measuredBytes, estimateBytes, errorPercent, withinRange,
//   comparedMeasuredBytes, comparedEstimateBytes, notEstimatedLayers, notEstimatedMeasuredBytes},
//   matchedTotal: {...}, matched, unmatchedImageLayers, unmatchedEstimateLayers, notes}
nlohmann::json toJson(const Comparison& c);

// "+12.3 %", "−4.0 %", "n/a".
std::string formatError(const std::optional<double>& percent);

}  // namespace slimbench::image
