#pragma once
// A line diff of two texts (a generated Dockerfile against the user's) and its unified form, as
// `diff -u` and `git diff` print it, for reports. Plain C++: the window's ui/textdiff does the
// same on QStrings for its own views.
#include <string>
#include <string_view>
#include <vector>

namespace slimbench::report {

struct DiffLine {
  enum Op { Same, Added, Removed } op = Same;
  std::string_view text;  // points into the texts given to diffLines
  int beforeLine = 0;     // 1-based line in `before` (Same, Removed), else 0
  int afterLine = 0;      // 1-based line in `after` (Same, Added), else 0
};

// The lines of `before` and `after` aligned: exact (longest common subsequence) for up to 4 million
// line pairs once the common head and tail are set aside, Myers' algorithm beyond that, and past
// 2,000 edits the middle shown as replaced (every line removed, then the new ones added).
// The views point into `before` and `after`, which must outlive the result.
std::vector<DiffLine> diffLines(std::string_view before, std::string_view after);

struct UnifiedDiff {
  std::string text;  // "--- a\n+++ b\n@@ -1,3 +1,4 @@\n ..."; empty when the texts are the same
  int added = 0, removed = 0;
};
// Hunks with `context` unchanged lines around each change, under ---/+++ headers naming the files.
UnifiedDiff unifiedDiff(std::string_view before, std::string_view after, const std::string& beforeName,
                        const std::string& afterName, int context = 3);

}  // namespace slimbench::report
