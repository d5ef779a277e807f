#pragma once
// Helpers shared by the Qt Test executables.
#include <QString>
#include <QtGlobal>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace testutil {

inline std::string sourceDir() {
  const QByteArray env = qgetenv("SLIMBENCH_SOURCE_DIR");
  return env.isEmpty() ? std::string(SLIMBENCH_SOURCE_DIR) : env.toStdString();
}

// The BuildKit conformance folder, or "" when absent (a user's fresh clone).
inline std::string conformanceDir() {
  QByteArray env = qgetenv("SLIMBENCH_CONFORMANCE_DIR");
  std::string dir = env.isEmpty() ? sourceDir() + "/../shared/conformance/buildkit-parser" : env.toStdString();
  return std::filesystem::is_directory(dir) ? dir : std::string();
}

inline std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace testutil
