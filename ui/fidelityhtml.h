#pragma once
// The Diff tab of a variant: its line diff against your Dockerfile with each hunk's reasons under
// it (from the variant's fidelity record and its notes on added lines), then the record.
#include <QString>

#include "estimate/analysis.h"
#include "textdiff.h"

namespace slimbench::ui {

// At most this many rows of the per-instruction table are written (a 100k-line Dockerfile has
// 100k): the rest are counted in a line under the table, and are all in `analyze --json`.
constexpr int kFidelityTableRows = 300;
// The diff of a Dockerfile over 400 lines folds unchanged stretches to 6 lines of context at
// each end; any diff draws at most 1,000 lines (the rest is counted, and is in the Export
// dialog's text).
constexpr int kDiffFoldAbove = 400;
constexpr int kDiffFoldContext = 6;
constexpr int kDiffMaxLines = 1000;

// The reasons of each line: every original line belongs to the instruction that starts at or
// before it (its action and reason); every line the variant added or rewrote has its note.
// Linear in the number of lines and records.
DiffReasons fidelityReasons(const std::string& original, const estimate::VariantResult& v);
QString fidelityDiffHtml(const std::string& original, const estimate::VariantResult& v, bool dark);

}  // namespace slimbench::ui
