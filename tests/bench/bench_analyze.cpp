// Benchmark (not a test): time to parse and estimate all variants for a project
// whose requirements file lists 300 packages from the catalogue. Prints figures.
//   build/tests/bench_analyze [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "embedded_resources.h"
#include "estimate/analysis.h"
#include "estimate/knowledge_embedded.h"
#include "python/catalogue_embedded.h"

using namespace slimbench;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
  auto t0 = std::chrono::steady_clock::now();
  auto k = estimate::bundledKnowledge();
  if (!k) {
    std::fprintf(stderr, "%s\n", k.error().format().c_str());
    return 1;
  }
  double loadMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  // 300 package names from the bundled wheel catalogue, in file order.
  auto catalogue = python::embeddedCatalogue();
  if (!catalogue) return 1;
  fs::path dir = fs::temp_directory_path() / "slimbench-bench-300";
  fs::create_directories(dir);
  std::ofstream req(dir / "requirements.txt");
  int n = 0;
  for (const auto& name : catalogue->names()) {
    req << name << "\n";
    if (++n == 300) break;
  }
  req.close();
  std::ofstream df(dir / "Dockerfile");
  df << "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n";
  df.close();
  auto project = estimate::openProject(dir.string());
  if (!project) return 1;
  std::vector<double> ms;
  std::size_t packages = 0;
  for (int i = 0; i < runs; ++i) {
    auto s = std::chrono::steady_clock::now();
    auto a = estimate::analyze(*project, **k, {});
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
    packages = a.variants.at(0).estimate.packages.size();
  }
  std::sort(ms.begin(), ms.end());
  std::printf("catalogue load (once): %.1f ms\n", loadMs);
  std::printf("parse + estimate 6 variants, %d requirements (%zu distributions resolved): median %.1f ms, min %.1f ms, max %.1f ms over %d runs (target < 50 ms)\n",
              n, packages, ms[ms.size() / 2], ms.front(), ms.back(), runs);
  fs::remove_all(dir);
  return 0;
}
