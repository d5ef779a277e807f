#include "util/trace.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>

namespace slimbench {

bool traceEnabled() {
  static const bool on = [] {
    const char* v = std::getenv("SLIMBENCH_TRACE");
    return v && *v && std::string(v) != "0";
  }();
  return on;
}

void trace(const std::string& what) {
  if (!traceEnabled()) return;
  static const auto t0 = std::chrono::steady_clock::now();
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  double rssMB = -1;  // unknown where /proc is not
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) {
      rssMB = std::strtod(line.c_str() + 6, nullptr) / 1024.0;
      break;
    }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (rssMB < 0) std::fprintf(stderr, "trace %7.3f s  (RSS unknown)  %s\n", s, what.c_str());
  else std::fprintf(stderr, "trace %7.3f s %8.1f MB  %s\n", s, rssMB, what.c_str());
}

}  // namespace slimbench
