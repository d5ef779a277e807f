#pragma once
// Phase trace for benchmarks: with SLIMBENCH_TRACE=1 in the environment, trace("what") prints
// "trace  1.234 s  456.7 MB  what" to stderr (seconds since the first mark, resident memory
// now). Costs one getenv check otherwise. tests/bench/bench-scale.sh --trace shows where a large
// Dockerfile's time and memory go.
#include <string>

namespace slimbench {
bool traceEnabled();
void trace(const std::string& what);
}  // namespace slimbench
