#pragma once
#include <string>
#include <vector>

namespace slimbench::app {
// True when the arguments ask for the GUI even without a display (e.g. --screenshot).
bool guiForced(const std::vector<std::string>& args);
// Starts the workbench window (QApplication event loop). Returns the exit code.
int runGui(int argc, char** argv);
}  // namespace slimbench::app
