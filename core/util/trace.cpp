#include "util/trace.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>

// jemalloc's control interface when the executable links it (weak: absent under glibc's malloc).
extern "C" int mallctl(const char*, void*, std::size_t*, void*, std::size_t) __attribute__((weak));

namespace slimbench {

namespace {
// Bytes the program holds (allocated and not freed), from jemalloc; -1 without it. RSS alone
// misleads under jemalloc: freed pages go back to the system only after a delay.
double liveMB() {
  if (!mallctl) return -1;
  std::uint64_t epoch = 1;
  std::size_t sz = sizeof epoch;
  mallctl("epoch", &epoch, &sz, &epoch, sz);
  std::size_t allocated = 0;
  sz = sizeof allocated;
  if (mallctl("stats.allocated", &allocated, &sz, nullptr, 0) != 0) return -1;
  return allocated / 1048576.0;
}
}  // namespace

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
  // SLIMBENCH_TRACE_DUMP=TEXT: a jemalloc heap profile at each mark containing TEXT (needs
  // MALLOC_CONF=prof:true; read with jeprof).
  if (const char* dump = std::getenv("SLIMBENCH_TRACE_DUMP"); dump && mallctl && what.find(dump) != std::string::npos)
    mallctl("prof.dump", nullptr, nullptr, nullptr, 0);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (rssMB < 0) std::fprintf(stderr, "trace %7.3f s  (RSS unknown)  %s\n", s, what.c_str());
  else if (const double live = liveMB(); live >= 0)
    std::fprintf(stderr, "trace %7.3f s %8.1f MB RSS %8.1f MB live  %s\n", s, rssMB, live, what.c_str());
  else std::fprintf(stderr, "trace %7.3f s %8.1f MB  %s\n", s, rssMB, what.c_str());
}

}  // namespace slimbench
