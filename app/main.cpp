// slimbench: one executable, GUI and command line.
#include <QCoreApplication>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli.h"
#include "manpage.h"
#ifdef SLIMBENCH_WITH_GUI
#include "gui.h"
#endif

#ifdef SLIMBENCH_WITH_JEMALLOC
// jemalloc's settings, read when it starts (MALLOC_CONF in the environment is applied after, so it
// can still override them). The analysis frees most of what a variant made as the next one is
// made: with jemalloc's defaults those pages stay with the process for ten seconds, and eight
// arenas per core keep each worker's freed pages apart. Two arenas (the analysis runs on two
// workers) and freed pages returned after 200 ms: peak RSS of `analyze --json` on a 100k-line
// Dockerfile 326 → 309 MB, on 1,000 stages 452 → 296 MB, the same time (tests/bench/bench-scale.sh;
// live bytes unchanged, SLIMBENCH_TRACE=1 prints both). Once the analysis ran faster, more of
// what it freed was still waiting out those 200 ms at the peak (1,000 stages: 285–296 MB for
// ~230 MB live); after 100 ms: 245–258 MB, the same time in alternating runs.
extern "C" {
// NOLINTNEXTLINE: the name and type jemalloc looks for
const char* malloc_conf = "narenas:2,dirty_decay_ms:100,muzzy_decay_ms:0";
}
#endif

#ifdef SLIMBENCH_WITH_GUI
namespace {
bool hasDisplay() {
  const char* qpa = std::getenv("QT_QPA_PLATFORM");
  if (qpa && *qpa) return true;  // the user chose a platform (offscreen, xcb, wayland...)
  const char* x = std::getenv("DISPLAY");
  const char* w = std::getenv("WAYLAND_DISPLAY");
  return (x && *x) || (w && *w);
}
}  // namespace
#endif

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // Hidden: the manual page, made from the --help texts (the build runs it; app/manpage.cpp).
  if (args.size() == 1 && args[0] == "--man") return slimbench::app::printManPage();
  // Command-line runs end with _Exit once every stream is flushed: what a command parks for the
  // end (a large analysis, see cmd_analyze.cpp) is taken back by the OS at once instead of being
  // freed object by object.
  if (slimbench::app::isCliInvocation(args)) {
    const int rc = slimbench::app::runCli(args);
    std::fflush(nullptr);
    std::_Exit(rc);
  }
#ifdef SLIMBENCH_WITH_GUI
  if (hasDisplay() || slimbench::app::guiForced(args)) return slimbench::app::runGui(argc, argv);
#endif
  // No display: the same analysis, printed.
  std::string project;
  for (const auto& a : args)
    if (!a.empty() && a[0] != '-') project = a;
  if (project.empty()) {
    std::fputs(slimbench::app::usage().c_str(), stdout);
    std::fputs("\nNo display found: pass a project folder or Dockerfile to print its analysis here.\n", stdout);
    return 2;
  }
  std::fprintf(stderr, "slimbench: no display found; printing the analysis instead of opening the window.\n");
  const int rc = slimbench::app::runTerminalAnalysis(project);
  std::fflush(nullptr);
  std::_Exit(rc);
}
