// slimbench --man: the manual page slimbench(1) in troff, made from the very texts that
// `slimbench --help`, `slimbench COMMAND --help` and the window's `--help` print, so the page
// and the help cannot drift apart. The build runs it (app/CMakeLists.txt) and installs the
// result; tests/cli/man_page.sh checks the two against each other.
//
// Each help text is taken by running its own code in a child process with stdout on a pipe:
// no text is copied here. The conversion knows only the shapes those texts have:
//   "usage: ..." and the lines indented under it     -> a no-fill block (the synopsis)
//   "  TERM    description" (and deeper-indented continuation lines) -> .TP entries
//   other indented lines                             -> no-fill lines (examples)
//   "heading:" alone on a line                       -> a bold heading (a subsection at the top)
//   blank line                                       -> a new paragraph; other lines are filled text
#include "manpage.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli.h"
#ifdef SLIMBENCH_WITH_GUI
#include "gui.h"
#endif

namespace slimbench::app {
namespace {

// Runs fn in a child process and returns what it wrote to stdout; ok is false when the child
// failed (what it wrote to stderr is then passed on). stderr goes to a temporary file, not a
// second pipe, so a child that writes much there cannot block while stdout is being read.
template <class Fn>
std::string captureStdout(Fn fn, bool& ok) {
  ok = false;
  int out[2];
  std::FILE* err = std::tmpfile();
  if (!err || pipe(out) != 0) return {};
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return {};
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(fileno(err), STDERR_FILENO);
    close(out[0]), close(out[1]);
    const int rc = fn();
    std::fflush(nullptr);
    std::_Exit(rc);
  }
  close(out[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && !text.empty();
  if (!ok) {
    std::rewind(err);
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, err)) > 0;) std::fwrite(buf, 1, n, stderr);
  }
  std::fclose(err);
  return text;
}

// Text as troff reads it: backslashes, hyphens and quotes literal, no control line made by accident.
std::string escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '\\') o += "\\e";
    else if (c == '-') o += "\\-";
    else if (c == '\'') o += "\\(aq";
    else if (c == '`') o += "\\(ga";
    else o += c;
  }
  if (!o.empty() && (o[0] == '.' || o[0] == '\'')) o.insert(0, "\\&");
  return o;
}

size_t indentOf(const std::string& l) {
  const size_t i = l.find_first_not_of(' ');
  return i == std::string::npos ? l.size() : i;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string l = text.substr(start, nl - start);
    while (!l.empty() && (l.back() == ' ' || l.back() == '\r')) l.pop_back();
    out.push_back(l);
    start = nl + 1;
  }
  return out;
}

bool isHeading(const std::string& l) {
  if (l.size() < 2 || l.back() != ':' || l[0] == ' ') return false;
  for (size_t i = 0; i + 1 < l.size(); ++i)
    if (!std::isalpha(static_cast<unsigned char>(l[i])) && l[i] != ' ') return false;
  return true;
}

bool isUsage(const std::string& l) { return l.rfind("usage:", 0) == 0 || l.rfind("Usage:", 0) == 0; }

// "  TERM   description": the term and where the description starts (npos: no description).
bool splitItem(const std::string& l, std::string& term, std::string& desc, size_t& descColumn) {
  if (indentOf(l) != 2 || l.size() < 3) return false;
  const size_t gap = l.find("  ", 2);
  if (gap == std::string::npos) {
    term = l.substr(2), desc.clear(), descColumn = std::string::npos;
    return true;
  }
  term = l.substr(2, gap - 2);
  descColumn = l.find_first_not_of(' ', gap);
  desc = l.substr(descColumn);
  return true;
}

// One help text as troff. Headings become .SS when sectionHeadings, else bold lines.
std::string render(const std::string& help, bool sectionHeadings) {
  const auto ls = lines(help);
  std::string o;
  enum { Start, Para, Text, Item, Block } last = Start;
  auto paragraph = [&] {
    if (last != Start && last != Para) o += ".PP\n";
    last = Para;
  };
  auto block = [&](size_t& i, auto more) {  // no-fill lines, as printed
    paragraph();
    o += ".nf\n";
    for (o += escape(ls[i]) + "\n", ++i; i < ls.size() && more(ls[i]); ++i) o += escape(ls[i]) + "\n";
    o += ".fi\n";
    last = Block;
  };
  for (size_t i = 0; i < ls.size();) {
    const std::string& l = ls[i];
    std::string term, desc;
    size_t col = 0;
    if (l.empty()) {
      paragraph();
      ++i;
    } else if (isUsage(l)) {  // the synopsis and the lines indented under it
      block(i, [](const std::string& n) { return !n.empty() && n[0] == ' '; });
    } else if (isHeading(l)) {
      if (sectionHeadings) {
        if (last == Para) o.erase(o.size() - 4);  // no paragraph break right before a heading
        o += ".SS " + escape(l.substr(0, l.size() - 1)) + "\n";
        last = Start;
      } else {
        paragraph();
        o += ".B " + escape(l) + "\n";
        last = Text;
      }
      ++i;
    } else if (splitItem(l, term, desc, col) &&
               // a term alone is an item only when its description follows, indented deeper
               (col != std::string::npos || (i + 1 < ls.size() && indentOf(ls[i + 1]) > 2 && !ls[i + 1].empty()))) {
      o += ".TP\n.B " + escape(term) + "\n";
      if (!desc.empty()) o += escape(desc) + "\n";
      for (++i; i < ls.size() && !ls[i].empty() && indentOf(ls[i]) > 2; ++i) o += escape(ls[i].substr(indentOf(ls[i]))) + "\n";
      last = Item;
    } else if (l[0] == ' ') {  // an example or a note set apart
      const size_t ind = indentOf(l);
      block(i, [ind](const std::string& n) { return !n.empty() && indentOf(n) == ind; });
    } else {
      if (last == Item || last == Block) paragraph();  // text after a list or block is a new paragraph
      else if (last == Text && l[0] == '-') o += ".br\n";  // a line about an option starts a line, as in the help
      o += escape(l) + "\n";
      last = Text;
      ++i;
    }
  }
  return o;
}

// The commands listed under "commands:" in the usage text.
std::vector<std::string> commandsOf(const std::string& usageText) {
  std::vector<std::string> out;
  bool in = false;
  for (const auto& l : lines(usageText)) {
    if (isHeading(l)) in = l == "commands:";
    else if (in && indentOf(l) == 2) out.push_back(l.substr(2, l.find(' ', 2) - 2));
  }
  return out;
}

}  // namespace

int printManPage() {
  const std::string top = usage();
  // "slimbench: what it does." opens the usage text: the NAME line.
  std::string name = top.substr(0, top.find('\n'));
  if (name.rfind("slimbench: ", 0) == 0) name = name.substr(11);
  if (!name.empty() && name.back() == '.') name.pop_back();
  std::string rest = top.substr(top.find('\n') + 1);

  bool ok = false;
  std::string version = captureStdout([] { return runCli({"--version"}); }, ok);  // "slimbench X.Y.Z"
  if (!ok) return 1;
  version = version.substr(0, version.find('\n'));

  std::string page;
  page += ".\\\" The manual page of slimbench, made by `slimbench --man` from its --help texts. Do not edit.\n";
  page += ".TH SLIMBENCH 1 \"\" \"" + version + "\" \"User Commands\"\n";
  page += ".nh\n.ad l\n";  // no hyphenation, ragged right: options stay whole words
  page += ".SH NAME\nslimbench \\- " + escape(name) + "\n";
  page += ".SH SYNOPSIS\n" + render(rest, true);

  for (const auto& cmd : commandsOf(rest)) {
    const std::string help = captureStdout([&] { return runCli({cmd, "--help"}); }, ok);
    if (!ok) {
      std::fprintf(stderr, "slimbench --man: `slimbench %s --help` failed\n", cmd.c_str());
      return 1;
    }
    page += ".SH \"" + escape("slimbench " + cmd) + "\"\n" + render(help, false);
  }

#ifdef SLIMBENCH_WITH_GUI
  {
    // The window's own options (QCommandLineParser's --help), rendered without a display.
    const std::string help = captureStdout([] {
      setenv("QT_QPA_PLATFORM", "offscreen", 1);
      static char arg0[] = "slimbench", arg1[] = "--help";
      static char* argv[] = {arg0, arg1, nullptr};
      return runGui(2, argv);
    }, ok);
    if (!ok) {
      std::fprintf(stderr, "slimbench --man: the window's --help failed\n");
      return 1;
    }
    page += ".SH \"WINDOW OPTIONS\"\n" + render(help, false);
  }
#endif

  // Where `cmake --install` and the .deb put the examples (packaging/CMakeLists.txt).
  page += ".SH FILES\n.TP\n.I PREFIX\\fB/share/slimbench/examples\\fR\n"
          "the bundled example projects; PREFIX is /usr for the Debian package, /usr/local by default\n"
          "for cmake \\-\\-install.  Try\n.B slimbench analyze /usr/share/slimbench/examples/flask\\-app\n";
  std::fputs(page.c_str(), stdout);
  return 0;
}

}  // namespace slimbench::app
