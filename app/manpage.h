#pragma once
// slimbench --man (hidden): prints the manual page slimbench(1) in troff, made from the texts of
// --help, COMMAND --help and the window's --help (app/manpage.cpp). Returns the exit code.
namespace slimbench::app {
int printManPage();
}  // namespace slimbench::app
