#pragma once
// Understanding RUN: the shell text split into simple commands, and the package
// operations recognised in them (pip/uv/poetry, apt-get/apt, apk, rm of caches).
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace slimbench::dockerfile {

struct ShellCommand {
  std::vector<std::string> argv;  // words with quotes removed, redirections dropped
  std::string op;                 // the operator that follows: "&&", "||", ";", "|", "&" or ""
  int depth = 0;                  // nesting in ( ) or { } groups
};

struct PackageOp {
  std::string tool;    // pip, uv, poetry, apt-get, apt, apk, rm
  std::string action;  // install, wheel, download, uninstall, sync, export, compile, update, upgrade,
                       // purge, remove, autoremove, clean, add, del, cache-purge, rm
  std::vector<std::string> packages;          // names/specs/paths given on the command line
  std::vector<std::string> requirementFiles;  // -r FILE
  std::vector<std::string> constraintFiles;   // -c FILE
  std::vector<std::string> editables;         // -e PATH
  std::vector<std::pair<std::string, std::string>> options;  // long option name (no dashes) -> value ("" for switches)
  std::vector<std::string> dynamic;  // words computed at build time ($VAR, $(...)): not resolvable here
  std::string virtualName;  // apk --virtual / -t
  int commandIndex = 0;     // index into the RUN's commands
  std::string text;         // the command as words joined by spaces

  bool has(std::string_view option) const;
  std::string value(std::string_view option) const;
};

struct Mount {
  std::string type = "bind";  // bind, cache, tmpfs, secret, ssh
  std::map<std::string, std::string> fields;  // target, source, from, id, sharing, mode, uid, gid, required, rw, ...
  std::string target() const;
};

// Splits shell text into simple commands (&&, ||, ;, |, &, newlines, ( ), { }),
// with `set -eux` and the like kept as commands of their own. Words are
// unquoted; redirections (> file, 2>&1, <file) are dropped; comments dropped.
std::vector<ShellCommand> splitShell(std::string_view script);

// Recognises package operations in the commands of one RUN.
std::vector<PackageOp> recogniseOperations(const std::vector<ShellCommand>& commands);

// Parses the value of --mount= (CSV of key=value; type defaults to bind).
Mount parseMount(std::string_view value);

}  // namespace slimbench::dockerfile
