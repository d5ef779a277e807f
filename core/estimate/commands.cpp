#include "estimate/commands.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <set>

// `x == "literal"sv` compares lengths first, inline (x == "literal" is strlen + memcmp in a call).
using namespace std::string_view_literals;

namespace slimbench::estimate {

const char* commandKindName(CommandKind k) {
  switch (k) {
    case CommandKind::Package: return "package";
    case CommandKind::NoOp: return "no-op";
    case CommandKind::Cheap: return "cheap";
    case CommandKind::RecursiveRewrite: return "recursive-rewrite";
    case CommandKind::Copy: return "copy";
    case CommandKind::PythonCompile: return "python-compile";
    case CommandKind::Collectstatic: return "collectstatic";
    case CommandKind::CompileMessages: return "compile-messages";
    case CommandKind::DebDownload: return "deb-download";
    case CommandKind::DebExtract: return "deb-extract";
    case CommandKind::Unknown: return "unknown";
  }
  return "unknown";
}

namespace {

// Measured with scripts/measure-cheap-commands.sh in a Debian bookworm minbase root
// (mmdebstrap --variant=minbase --mode=root bookworm ROOT; chroot; 2026-11-30): content bytes of
// the files the command created or changed, and the same paths as a tar with 512-byte records.
constexpr const char* kMeasured =
    "measured in a Debian bookworm minbase chroot with scripts/measure-cheap-commands.sh (content bytes of the "
    "changed files … their size as a layer tar)";
struct Measure {
  std::uint64_t content, tar;
};
constexpr Measure kUseraddHome{8889, 21504};       // useradd -m app: /etc/{passwd,shadow,group,gshadow,subuid,subgid}(+ backups), /home/app skeleton
constexpr Measure kAdduserHome{8957, 22528};       // adduser --disabled-password --gecos "" app
constexpr Measure kUseraddSystem{4295, 10752};     // useradd -r -s /bin/false app (no home)
constexpr Measure kAdduserSystem{4305, 11776};     // addgroup --system app && adduser --system --ingroup app app
constexpr Measure kGroupadd{1615, 5632};           // groupadd -r app
constexpr Measure kUsermod{4317 - 4292, 10752};    // usermod -aG users app (after useradd: +25 B of content)
constexpr Measure kChpasswd{546, 3072};            // echo "root:x" | chpasswd
constexpr Measure kLdconfig{9463, 13312};          // ldconfig
// apt-mark manual libkeyutils1 python3.11 in the bookworm root with Python (52 auto-installed
// packages): /var/lib/apt/extended_states rewritten whole, about 59 bytes per auto-installed package.
constexpr Measure kAptMark{3077, 5632};
// apt-mark hold adduser (and unhold) in the minbase root with Docker's apt settings (96 installed
// packages): dpkg rewrites /var/lib/dpkg/status and status-old whole, about 943 bytes per
// installed package each. The high end is taken at 600 installed packages (the full python image
// has about 450).
constexpr Measure kAptMarkHold{181035, 185856};
constexpr std::uint64_t kAptMarkHoldHigh = 185856 * 600 / 96;
// gpg in the minbase root with gpg installed: --dearmor of Debian's bookworm archive key
// (an 11,861-byte armored export) writes that key, 8,700 bytes; --import of it makes ~/.gnupg
// (pubring.kbx and its backup, trustdb.gpg, sockets); --list-keys makes an empty home.
constexpr Measure kGpgDearmor{8700, 10752};
constexpr Measure kGpgImport{10274, 15360};
constexpr Measure kGpgHome{1232, 5120};
// The keyrings debian-archive-keyring ships (/usr/share/keyrings): one key 280 bytes to 8.7 KB,
// the largest file (many keys) 72,636 bytes: the range of a keyring whose key is not known.
constexpr std::uint64_t kKeyringLow = 280, kKeyringHigh = 72636;
// update-alternatives --install /usr/local/bin/python python /usr/bin/dash 1: the link, its
// /etc/alternatives entry, the state file under /var/lib/dpkg/alternatives and the log line;
// --set pager /bin/more: the state file and the log.
constexpr Measure kAlternativesInstall{243, 6144};
constexpr Measure kAlternativesSet{272, 4096};
// locale-gen with en_US.UTF-8 enabled in /etc/locale.gen (locales installed): locale-archive
// 3,058,357 bytes (3,061,760 as a tar); with de_DE and fr_FR too, 3,421,025 (each further UTF-8
// locale about 181 KB).
constexpr Measure kLocaleGenOne{3058357, 3061760};
constexpr std::uint64_t kLocaleGenEach = (3421025 - 3058357) / 2;
constexpr std::uint64_t kTarEntry = 512;           // one tar header per created path (mkdir, ln -s, touch)

std::string base(const std::string& s) {
  auto p = s.rfind('/');
  return p == std::string::npos ? s : s.substr(p + 1);
}
bool starts(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }
bool ends(const std::string& s, const std::string& x) {
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}
bool isUrl(const std::string& w) {
  return starts(w, "http://") || starts(w, "https://") || starts(w, "ftp://") || starts(w, "git@") ||
         starts(w, "git://") || starts(w, "ssh://");
}
// get-pip.py, the script pip's maintainers publish at bootstrap.pypa.io (a base85 copy of pip
// with a few lines that install it): sizes of the files in pypa/get-pip's public/ folder, which is
// what that address serves, at commit 08b6e1d2 (May 2026; get-pip.py embeds pip 26.1.1). A later
// release differs by some kB.
struct KnownDownload {
  std::string_view path;  // after bootstrap.pypa.io/
  std::uint64_t bytes;
};
constexpr KnownDownload kGetPip[] = {
    {"get-pip.py", 2226394},         {"pip/3.9/get-pip.py", 2193444}, {"pip/3.8/get-pip.py", 2300180},
    {"pip/3.7/get-pip.py", 2636033}, {"pip/3.6/get-pip.py", 2159254}, {"pip/2.7/get-pip.py", 1908226},
};
constexpr std::string_view kGetPipSource =
    "pypa/get-pip's public/ folder (what bootstrap.pypa.io serves) at commit 08b6e1d2, May 2026: file sizes";
// The get-pip.py a URL names (http or https, with or without the scheme), or null.
const KnownDownload* getPipDownload(const std::string& url) {
  std::string_view u = url;
  for (std::string_view scheme : {"https://", "http://"})
    if (u.substr(0, scheme.size()) == scheme) u.remove_prefix(scheme.size());
  constexpr std::string_view host = "bootstrap.pypa.io/";
  if (u.substr(0, host.size()) != host) return nullptr;
  u.remove_prefix(host.size());
  for (const auto& k : kGetPip)
    if (u == k.path) return &k;
  return nullptr;
}

std::string joinWords(const std::vector<std::string>& v, std::size_t from) {
  std::string s;
  for (std::size_t i = from; i < v.size(); ++i) s += (i > from ? " " : "") + v[i];
  return s;
}
std::vector<std::string> fileRedirects(const dockerfile::ShellCommand& c) {
  std::vector<std::string> out;
  for (const auto& r : c.redirects)
    if (!starts(r, "/dev/") && !r.empty() && r[0] != '&') out.push_back(r);
  return out;
}
// Non-option words from `from` on; options listed in `valued` take the next word.
std::vector<std::string> operands(const std::vector<std::string>& a, std::size_t from,
                                  std::initializer_list<std::string_view> valued = {}) {
  std::vector<std::string> out;
  bool end = false;
  for (std::size_t i = from; i < a.size(); ++i) {
    if (!end && a[i] == "--"sv) { end = true; continue; }
    if (!end && a[i].size() > 1 && a[i][0] == '-') {
      const std::string& name = a[i];
      if (name.find('=') == std::string::npos && std::find(valued.begin(), valued.end(), name) != valued.end() && i + 1 < a.size()) ++i;
      continue;
    }
    out.push_back(a[i]);
  }
  return out;
}
bool hasFlag(const std::vector<std::string>& a, std::size_t from, char shortFlag, const std::string& longFlag) {
  for (std::size_t i = from; i < a.size(); ++i) {
    const auto& w = a[i];
    if (w == "--"sv) break;
    if (!longFlag.empty() && (w == longFlag || starts(w, longFlag + "="))) return true;
    if (shortFlag && w.size() > 1 && w[0] == '-' && w[1] != '-' && w.find(shortFlag) != std::string::npos) return true;
  }
  return false;
}
// `sh -s [--] ARGS`: the shell's options (before its first operand) include -s, so the script is
// read from the input and the operands are its arguments.
bool readsInput(const std::vector<std::string>& a) {
  for (std::size_t i = 1; i < a.size() && a[i].size() > 1 && a[i][0] == '-' && a[i] != "--"sv; ++i)
    if (a[i][1] != '-' && a[i].find('s') != std::string::npos) return true;
  return false;
}
bool isChmodMode(const std::string& w) {
  if (w.empty()) return false;
  if (std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '7'; })) return true;
  return w.find_first_not_of("ugoa+-=rwxXst,") == std::string::npos;
}

void setMeasure(CommandCost& c, const Measure& m, const std::string& what) {
  c.kind = CommandKind::Cheap;
  c.low = m.content;
  c.mid = m.content;
  c.high = m.tar;
  c.reason = what;
  c.source = kMeasured;
}

// Paths counted for mkdir -p: every component of each path (an upper bound of new entries).
std::uint64_t components(const std::vector<std::string>& paths) {
  std::set<std::string> seen;
  for (const auto& p : paths) {
    std::string cur;
    std::size_t i = 0;
    while (i < p.size()) {
      auto j = p.find('/', i);
      if (j == std::string::npos) j = p.size();
      if (j > i) {
        cur += "/" + p.substr(i, j - i);
        seen.insert(cur);
      }
      i = j + 1;
    }
  }
  return seen.size();
}

// The single argument that asks a program for its version or its help only.
bool isVersionOrHelp(const std::string& w) {
  return w == "--version"sv || w == "-version"sv || w == "-V"sv || w == "--help"sv || w == "-help"sv || w == "-h"sv;
}

// Whether curl / wget write what they fetch to standard output: curl unless -o/-O (also inside
// grouped short options such as -fsSLO) or --output/--remote-name; wget only with -O - (-qO-).
bool toStdout(const std::string& exe, const std::vector<std::string>& a) {
  for (std::size_t i = 1; i < a.size(); ++i) {
    const std::string& w = a[i];
    if (exe == "curl"sv) {
      if (w == "--output"sv || w == "--remote-name"sv || w == "--remote-name-all"sv || starts(w, "--output=")) return false;
      if (w.size() > 1 && w[0] == '-' && w[1] != '-' && w.find_first_of("oO") != std::string::npos) return false;
    } else if (exe == "wget"sv) {
      if ((w == "-O"sv || w == "--output-document"sv) && i + 1 < a.size()) return a[i + 1] == "-"sv;
      if (w == "--output-document=-"sv) return true;
      if (w.size() > 2 && w[0] == '-' && w[1] != '-' && ends(w, "O-")) return true;
      if (w.size() > 1 && w[0] == '-' && w[1] != '-' && w.back() == 'O' && i + 1 < a.size()) return a[i + 1] == "-"sv;
    }
  }
  return exe == "curl"sv;
}

// NAME=value: a shell variable assignment.
bool isAssignment(const std::string& w) {
  const auto eq = w.find('=');
  if (eq == 0 || eq == std::string::npos || !(std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_')) return false;
  for (std::size_t i = 1; i < eq; ++i)
    if (!(std::isalnum(static_cast<unsigned char>(w[i])) || w[i] == '_')) return false;
  return true;
}

// `manage.py SUBCOMMAND` / `django-admin SUBCOMMAND` that the estimate models: collectstatic and
// compilemessages. False for the others (they run project code: not modelled).
bool djangoCommand(const std::vector<std::string>& a, std::size_t i, CommandCost& c) {
  if (a[i] == "collectstatic"sv) {
    c.kind = CommandKind::Collectstatic;
    c.reason = "collectstatic copies the static files of the project and of its installed apps (Django's admin first) into STATIC_ROOT";
    return true;
  }
  if (a[i] == "compilemessages"sv) {
    c.kind = CommandKind::CompileMessages;
    c.reason = "compilemessages turns the project's .po catalogues into .mo files beside them";
    return true;
  }
  return false;
}

constexpr const char* kKeyringSource =
    "measured with scripts/measure-cheap-commands.sh (gpg --dearmor of Debian's bookworm archive key: 8,700 bytes, 10,752 "
    "as a tar); the range is that of the keyrings debian-archive-keyring ships (280 bytes to 72,636)";

// apt-mark SUBCOMMAND: what it rewrites (false when not modelled).
bool aptMark(const std::string& sub, CommandCost& c) {
  if (sub == "manual"sv || sub == "auto"sv || sub == "markauto"sv || sub == "unmarkauto"sv) {
    c.paths = {"/var/lib/apt/extended_states"};
    setMeasure(c, kAptMark,
               "apt-mark " + sub + " rewrites /var/lib/apt/extended_states whole (about 59 bytes per auto-installed package; "
               "nothing when every package named is marked so already)");
    c.low = 0;  // apt-mark auto of a package already auto: measured, no file changed
    c.source = "measured with scripts/measure-cheap-commands.sh in a bookworm root with Python installed (52 "
               "auto-installed packages): content bytes of the changed file … its size as a layer tar";
    return true;
  }
  if (sub == "hold"sv || sub == "unhold"sv) {
    c.paths = {"/var/lib/dpkg/status", "/var/lib/dpkg/status-old"};
    setMeasure(c, kAptMarkHold,
               "apt-mark " + sub + " sets the packages' selection through dpkg, which rewrites /var/lib/dpkg/status and "
               "status-old whole (about 943 bytes per installed package each)");
    c.high = kAptMarkHoldHigh;
    c.source = "measured with scripts/measure-cheap-commands.sh in a bookworm minbase root with Docker's apt settings (96 "
               "installed packages: 181,035 bytes); the high end at 600 installed packages";
    return true;
  }
  return false;
}

// gpg: keys written to a file or a keyring home (false when not modelled: --decrypt, --sign, ...).
bool gpg(const std::vector<std::string>& a, const std::vector<std::string>& written, CommandCost& c) {
  auto has = [&](std::initializer_list<std::string_view> names) {
    for (std::size_t i = 1; i < a.size(); ++i)
      for (auto n : names)
        if (a[i] == n || (n.size() > 2 && starts(a[i], std::string(n) + "="))) return true;
    return false;
  };
  std::string out;
  for (std::size_t i = 1; i < a.size(); ++i) {
    if ((a[i] == "-o"sv || a[i] == "--output"sv) && i + 1 < a.size()) out = a[i + 1];
    else if (starts(a[i], "--output=")) out = a[i].substr(9);
  }
  const std::vector<std::string> before = c.paths;
  if (!out.empty() && out != "-"sv) c.paths.push_back(out);
  const bool toFile = !c.paths.empty();
  const bool keyOut = has({"--dearmor", "--enarmor", "--export", "--export-keys"}) && !has({"--decrypt", "-d"});
  if (keyOut && !toFile) {
    c.kind = CommandKind::NoOp;
    c.reason = "gpg prints the key (to the next command of the pipe); nothing is written to the image";
    c.source = "what the command does";
    return true;
  }
  if (keyOut) {
    c.kind = CommandKind::Cheap;
    c.low = kKeyringLow;
    c.mid = kGpgDearmor.content;
    c.high = kKeyringHigh + 2 * kTarEntry + 511;
    c.reason = "gpg writes a key to " + joinWords(c.paths, 0) + " (its size is not known: the range of the keyrings Debian ships)";
    c.source = kKeyringSource;
    return true;
  }
  std::string home = "~/.gnupg";
  for (std::size_t i = 1; i + 1 < a.size(); ++i)
    if (a[i] == "--homedir"sv) home = a[i + 1];
  if (has({"--import", "--recv-keys", "--receive-keys", "--recv-key", "--fetch-keys"}) && written.empty()) {
    c.kind = CommandKind::Cheap;
    c.paths = {home};
    c.low = kGpgHome.content;
    c.mid = kGpgImport.content;
    c.high = kKeyringHigh + kGpgImport.tar;
    c.reason = "gpg keeps the imported keys in its home " + home + " (pubring.kbx and its backup, trustdb.gpg); the keys' size is "
               "not known: the range of the keyrings Debian ships";
    c.source = "measured with scripts/measure-cheap-commands.sh (gpg --batch --import of Debian's bookworm archive key: 10,274 "
               "bytes, 15,360 as a tar); the range is that of the keyrings debian-archive-keyring ships";
    return true;
  }
  if (has({"--verify", "--list-keys", "-k", "--fingerprint", "--show-keys", "--list-packets", "--version"}) && !toFile) {
    setMeasure(c, kGpgHome, "gpg reads and prints; it makes its home " + home + " (an empty keyring and trust database) when there is none");
    c.paths = {home};
    c.low = 0;  // the home exists already
    return true;
  }
  c.paths = before;
  return false;
}

void classifyOne(const std::vector<dockerfile::ShellCommand>& cmds, std::size_t k, CommandCost& c) {
  const auto& cmd = cmds[k];
  const auto& a0 = cmd.argv;
  std::size_t s = 0;
  while (s < a0.size()) {
    const auto& w = a0[s];
    auto eq = w.find('=');
    bool assign = eq != std::string::npos && eq > 0 && w[0] != '-' &&
                  std::all_of(w.begin(), w.begin() + static_cast<long>(eq),
                              [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; });
    if (assign || w == "sudo"sv || w == "exec"sv || w == "time"sv || w == "nice"sv || w == "eatmydata"sv ||
        (w == "env"sv && s + 1 < a0.size())) {
      s = assign ? s + 1 : dockerfile::pastWrapperOptions(a0, s);
      continue;
    }
    // gosu USER COMMAND..., su-exec, s6-setuidgid: the command, as that user
    if ((w == "gosu"sv || w == "su-exec"sv || w == "s6-setuidgid"sv) && s + 2 < a0.size()) {
      s += 2;
      continue;
    }
    break;
  }
  // The words from the command on (a copy only when assignments or wrappers come first).
  std::vector<std::string> stripped;
  if (s > 0) stripped.assign(a0.begin() + static_cast<long>(std::min(s, a0.size())), a0.end());
  const std::vector<std::string>& a = s > 0 ? stripped : a0;
  const auto files = fileRedirects(cmd);
  if (a.empty()) {
    c.kind = CommandKind::NoOp;
    c.reason = "variable assignment: shell state only";
    return;
  }
  const std::string exe = base(a[0]);
  const std::string sub = a.size() > 1 ? a[1] : std::string();
  // A program asked only for its version or its help prints it and exits (`locust --version`,
  // `ffmpeg -version`, `bash --version`): nothing is written.
  if (a.size() == 2 && files.empty() && isVersionOrHelp(sub)) {
    c.kind = CommandKind::NoOp;
    c.reason = "`" + exe + " " + sub + "` prints its version or help and exits; nothing is written to the image";
    c.source = "what the command does";
    return;
  }

  static const std::set<std::string> shellState = {
      "cd", "export", "set", "unset", "true", "false", ":", "test", "[", "[[", "exit", "return", "shopt", "umask",
      "sleep", "whoami", "id", "pwd", "printenv", "which", "command", "type", "hash", "uname", "arch", "nproc",
      "date", "ls", "cat", "grep", "egrep", "head", "tail", "wc", "du", "df", "file", "source", ".", "deactivate",
      "wait", "trap", "read", "getent", "ulimit", "alias", "local", "ldd", "echo", "printf", "env", "sort", "uniq",
      "awk", "cut", "tr", "xargs", "readlink", "realpath", "dirname", "basename", "stat", "md5sum", "sha256sum",
      "sha512sum", "test", "tee", "apt-cache", "dpkg-query", "getconf", "lsb_release", "hostname", "free", "top",
      "break", "continue", "shift", "let", "declare", "typeset", "readonly", "getopts", "seq", "pushd", "popd", "dirs"};
  // Output written to files by redirection or tee.
  std::vector<std::string> written = files;
  if (exe == "tee"sv) {
    auto ops = operands(a, 1);
    written.insert(written.end(), ops.begin(), ops.end());
  }
  if (shellState.count(exe) && exe != "xargs"sv) {
    if (written.empty()) {
      c.kind = CommandKind::NoOp;
      c.reason = "`" + exe + "` changes only the shell's state or prints; nothing is written to the image";
      c.source = "what the command does";
      return;
    }
    c.kind = CommandKind::Cheap;
    c.paths = written;
    c.writesPaths = true;
    std::uint64_t content = 0;
    if (exe == "echo"sv || exe == "printf"sv) content = joinWords(a, 1).size() + 1;
    c.low = content;
    c.mid = content;
    c.high = content + 2 * kTarEntry * written.size() + 511;
    c.reason = (exe == "echo"sv || exe == "printf"sv)
                   ? "writes its arguments (" + std::to_string(content) + " bytes) to " + joinWords(written, 0)
                   : "writes its output to " + joinWords(written, 0) + " (small text assumed; a large file would add its size)";
    c.source = "the command's own text; tar header per path and 512-byte padding for the high end";
    return;
  }
  // From here on, any file redirection adds to the paths written.
  c.paths = written;

  if (exe == "mkdir"sv) {
    auto p = operands(a, 1, {"-m", "--mode"});
    c.kind = CommandKind::Cheap;
    c.paths.insert(c.paths.end(), p.begin(), p.end());
    c.low = c.mid = 0;
    c.high = kTarEntry * components(p);
    c.reason = "creates directories: one tar entry each (512 bytes), no content";
    c.source = "tar format (POSIX ustar header per entry); mkdir -p /app/data /app/logs measured 3 entries, 1,536 header bytes";
    return;
  }
  if (exe == "touch"sv) {
    auto p = operands(a, 1, {"-d", "-t", "-r", "--date", "--reference"});
    c.kind = CommandKind::Cheap;
    c.paths.insert(c.paths.end(), p.begin(), p.end());
    c.high = kTarEntry * p.size();
    c.reason = "creates empty files or updates times: one tar entry each (an existing file from an earlier layer is copied whole)";
    c.source = "tar format; touch /app.txt measured 1 entry";
    c.addPathSizes = true;
    c.writesPaths = true;
    return;
  }
  if (exe == "ln"sv) {
    auto p = operands(a, 1, {"-t", "--target-directory", "-S", "--suffix"});
    const bool symbolic = hasFlag(a, 1, 's', "--symbolic");
    c.kind = CommandKind::Cheap;
    c.paths = p;
    c.high = kTarEntry * 2 * std::max<std::size_t>(1, p.size() > 1 ? p.size() - 1 : 1);
    c.reason = symbolic ? "creates symbolic links: a tar entry each, no content"
                        : "creates hard links: a link to a file of an earlier layer copies that file into this layer";
    c.source = "tar format; ln -s /usr/bin/python3 /usr/local/bin/python measured 2 entries (the link and its directory)";
    if (!symbolic && !p.empty()) {
      c.paths = {p.front()};
      c.addPathSizes = true;
    }
    return;
  }
  if (exe == "useradd"sv || exe == "adduser"sv) {
    const bool system = hasFlag(a, 1, 'r', "--system");
    bool home = exe == "useradd"sv ? hasFlag(a, 1, 'm', "--create-home") : !system;
    if (hasFlag(a, 1, 'M', "--no-create-home")) home = false;
    if (exe == "adduser"sv && hasFlag(a, 1, 0, "--no-create-home")) home = false;
    c.paths = {"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"};
    if (exe == "useradd"sv) {
      setMeasure(c, home ? kUseraddHome : kUseraddSystem,
                 home ? "adds a user with a home directory: rewrites /etc/passwd, shadow, group, gshadow, subuid, subgid "
                        "and their '-' backups, and copies /etc/skel into the home"
                      : "adds a user without a home: rewrites /etc/passwd, shadow, group, gshadow and their backups");
    } else {
      setMeasure(c, home ? kAdduserHome : kAdduserSystem,
                 home ? "adds a user with a home directory (adduser's default): the account files and /etc/skel"
                      : "adds a system user: rewrites the account files only");
    }
    if (home) c.paths.push_back("/home");
    return;
  }
  if (exe == "groupadd"sv || exe == "addgroup"sv || exe == "groupmod"sv) {
    c.paths = {"/etc/group", "/etc/gshadow"};
    setMeasure(c, kGroupadd, "adds a group: rewrites /etc/group and /etc/gshadow and their '-' backups");
    return;
  }
  if (exe == "userdel"sv || exe == "groupdel"sv || exe == "deluser"sv || exe == "delgroup"sv) {
    // Rewrites the account files; -r also removes the home, which a layer records as whiteouts
    // (a tar entry each, no content).
    c.paths = {"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow"};
    setMeasure(c, kUsermod, exe == "userdel"sv || exe == "deluser"sv ? "removes an account: rewrites the account files (a removed home is recorded as whiteouts, no content)"
                                               : "removes a group: rewrites /etc/group and /etc/gshadow");
    c.low = c.mid = 0;  // as usermod: measured after useradd in the same RUN; alone it rewrites the files whole
    c.high = kUseraddSystem.tar;
    return;
  }
  if (exe == "usermod"sv || exe == "gpasswd"sv) {
    c.paths = {"/etc/passwd", "/etc/group", "/etc/gshadow"};
    setMeasure(c, kUsermod, "changes an account: rewrites the account files (already in this layer after useradd)");
    c.low = c.mid = 0;  // measured after useradd in the same RUN; alone it rewrites the files whole
    c.high = kUseraddSystem.tar;
    return;
  }
  if (exe == "chpasswd"sv) {
    c.paths = {"/etc/shadow"};
    setMeasure(c, kChpasswd, "sets passwords: rewrites /etc/shadow and its backup");
    return;
  }
  if (exe == "ldconfig"sv) {
    c.paths = {"/etc/ld.so.cache"};
    setMeasure(c, kLdconfig, "rebuilds /etc/ld.so.cache (its size grows with the number of libraries)");
    return;
  }
  if (exe == "chown"sv || exe == "chmod"sv || exe == "chgrp"sv) {
    const bool recursive = hasFlag(a, 1, 'R', "--recursive");
    std::vector<std::string> words;
    bool ref = false;
    for (std::size_t i = 1; i < a.size(); ++i) {
      const auto& w = a[i];
      if (starts(w, "--reference")) { ref = true; continue; }
      if (w.size() > 1 && w[0] == '-' && !(exe == "chmod"sv && isChmodMode(w) && w != "-R"sv)) continue;
      words.push_back(w);
    }
    if (!ref && !words.empty()) words.erase(words.begin());  // the owner / mode
    c.paths = words;
    c.addPathSizes = true;
    if (recursive) {
      c.kind = CommandKind::RecursiveRewrite;
      c.reason = "`" + exe + " -R` changes the metadata of every file under " + joinWords(words, 0) +
                 ": each one is copied whole into this layer (the classic hidden duplicate; COPY --chown / --chmod "
                 "sets it without a copy)";
      c.source = "overlay filesystems copy a file up to the new layer on any metadata change; the layer diff then holds it";
    } else {
      c.kind = CommandKind::Cheap;
      c.high = kTarEntry * words.size();
      c.reason = "changes the metadata of the named files: each is copied whole into this layer (scripts are usually a few kB)";
      c.source = "chmod 600 /etc/skel/.bashrc measured: 3,526 bytes, the file's own size";
    }
    return;
  }
  if (exe == "find"sv) {
    // find ROOTS ... -exec chown|chmod ... / -delete
    std::vector<std::string> roots;
    std::size_t i = 1;
    for (; i < a.size() && !(a[i].size() > 0 && (a[i][0] == '-' || a[i] == "("sv || a[i] == "!"sv)); ++i) roots.push_back(a[i]);
    bool rewrite = false, del = false;
    for (; i < a.size(); ++i) {
      if ((a[i] == "-exec"sv || a[i] == "-execdir"sv) && i + 1 < a.size()) {
        const std::string x = base(a[i + 1]);
        if (x == "chown"sv || x == "chmod"sv || x == "chgrp"sv) rewrite = true;
        if (x == "rm"sv) del = true;
      }
      if (a[i] == "-delete"sv) del = true;
    }
    if (rewrite) {
      c.kind = CommandKind::RecursiveRewrite;
      c.paths = roots;
      c.addPathSizes = true;
      c.reason = "find … -exec chown/chmod rewrites the metadata of the files it finds under " + joinWords(roots, 0) +
                 ": they are copied whole into this layer (at most everything under those paths)";
      c.source = "overlay filesystems copy a file up on a metadata change";
      return;
    }
    c.kind = del ? CommandKind::Cheap : CommandKind::NoOp;
    c.paths = roots;
    c.reason = del ? "deletes files: frees nothing that earlier layers hold (whiteouts), removes what this RUN wrote"
                   : "find without -exec/-delete only prints";
    c.source = "what the command does";
    return;
  }
  if (exe == "xargs"sv) {
    std::size_t i = 1;
    while (i < a.size() && a[i].size() > 1 && a[i][0] == '-') {
      if ((a[i] == "-I"sv || a[i] == "-n"sv || a[i] == "-P"sv || a[i] == "-d"sv || a[i] == "-L"sv || a[i] == "-s"sv) && i + 1 < a.size()) ++i;
      ++i;
    }
    const std::string inner = i < a.size() ? base(a[i]) : std::string();
    if (inner == "chown"sv || inner == "chmod"sv || inner == "chgrp"sv) {
      c.kind = CommandKind::RecursiveRewrite;
      c.addPathSizes = true;
      if (k > 0 && !cmds[k - 1].argv.empty() && base(cmds[k - 1].argv[0]) == "find"sv)
        for (std::size_t j = 1; j < cmds[k - 1].argv.size() && cmds[k - 1].argv[j][0] != '-'; ++j)
          c.paths.push_back(cmds[k - 1].argv[j]);
      c.reason = "xargs " + inner + " rewrites the metadata of the files piped to it: they are copied whole into this layer";
      c.source = "overlay filesystems copy a file up on a metadata change";
      return;
    }
    // `seq 1 8 | xargs -I{} mkdir -p /usr/share/man/man{}` (Debian slim images drop those
    // folders, and postgresql-client's install wants them): the items are seq's numbers.
    if (inner == "mkdir"sv && k > 0 && cmds[k - 1].op == "|"sv && !cmds[k - 1].argv.empty() && base(cmds[k - 1].argv[0]) == "seq"sv) {
      const auto& sq = cmds[k - 1].argv;
      std::vector<long> nums;
      for (std::size_t j = 1; j < sq.size(); ++j) {
        char* end = nullptr;
        const long v = std::strtol(sq[j].c_str(), &end, 10);
        if (sq[j].empty() || *end != '\0' || nums.size() == 3) {
          nums.clear();
          break;
        }
        nums.push_back(v);
      }
      const long first = nums.size() >= 2 ? nums[0] : 1, step = nums.size() == 3 ? nums[1] : 1, last = nums.empty() ? 0 : nums.back();
      std::string marker;  // -I REPLACE
      for (std::size_t j = 1; j + 1 < i; ++j)
        if (a[j] == "-I"sv) marker = a[j + 1];
      if (!nums.empty() && step > 0 && last >= first && (last - first) / step < 1000) {
        std::vector<std::string> made;
        for (long n = first; n <= last; n += step) {
          const std::string item = std::to_string(n);
          std::vector<std::string> args(a.begin() + static_cast<std::ptrdiff_t>(i), a.end());
          if (marker.empty()) args.push_back(item);
          else
            for (auto& w : args)
              for (std::size_t at = w.find(marker); at != std::string::npos; at = w.find(marker, at + item.size()))
                w.replace(at, marker.size(), item);
          auto p = operands(args, 1, {"-m", "--mode"});
          made.insert(made.end(), p.begin(), p.end());
        }
        c.kind = CommandKind::Cheap;
        c.paths.insert(c.paths.end(), made.begin(), made.end());
        c.low = c.mid = 0;
        c.high = kTarEntry * components(made);
        c.reason = "creates " + std::to_string(made.size()) + " directories (mkdir for each number seq prints): one tar entry each, no content";
        c.source = "tar format (POSIX ustar header per entry)";
        return;
      }
    }
    if (inner == "apt-mark"sv && i + 1 < a.size() && aptMark(a[i + 1], c)) {
      c.reason = "xargs: " + c.reason;
      return;
    }
    c.kind = CommandKind::Unknown;
    c.reason = "xargs " + inner + ": runs a command on piped input, not modelled";
    return;
  }
  if (exe == "sed"sv || (exe == "perl"sv && hasFlag(a, 1, 'i', ""))) {
    const bool inPlace = exe == "perl"sv || hasFlag(a, 1, 'i', "--in-place");
    if (!inPlace) {
      c.kind = written.empty() ? CommandKind::NoOp : CommandKind::Cheap;
      c.reason = written.empty() ? "sed without -i prints only" : "sed output written to " + joinWords(written, 0);
      c.addPathSizes = false;
      return;
    }
    bool scriptGiven = false;
    std::vector<std::string> targets;
    for (std::size_t i = 1; i < a.size(); ++i) {
      const auto& w = a[i];
      if (w == "-e"sv || w == "--expression"sv || w == "-f"sv || w == "--file"sv) {
        scriptGiven = true;
        ++i;
        continue;
      }
      if (w.size() > 1 && w[0] == '-') {
        if (w.find('e') != std::string::npos && !starts(w, "--") && exe == "perl"sv) scriptGiven = true;
        continue;
      }
      if (!scriptGiven) {
        scriptGiven = true;  // the first operand is the script
        continue;
      }
      targets.push_back(w);
    }
    c.kind = CommandKind::Cheap;
    c.paths = targets;
    c.addPathSizes = true;
    c.high = kTarEntry * targets.size();
    c.reason = "edits the named files in place: each is rewritten whole into this layer (config files are a few kB)";
    c.source = "sed -i on /etc/skel/.bashrc measured: 3,525 bytes, the file's own size";
    return;
  }
  if (exe == "cp"sv || exe == "mv"sv || exe == "rsync"sv || exe == "install"sv) {
    auto p = operands(a, 1, {"-t", "--target-directory", "-S", "--suffix", "-m", "--mode", "-o", "--owner", "-g", "--group"});
    c.kind = CommandKind::Copy;
    c.addPathSizes = true;
    if (exe == "install"sv && hasFlag(a, 1, 'd', "--directory")) {
      c.kind = CommandKind::Cheap;
      c.paths = p;
      c.high = kTarEntry * components(p);
      c.addPathSizes = false;
      c.reason = "install -d creates directories";
      return;
    }
    if (!p.empty()) {
      c.destination = p.back();
      p.pop_back();
    }
    c.paths = p;
    c.reason = exe == "mv"sv ? "moves files: what it moves out of an earlier layer is copied into this one (the old path is hidden, not freed)"
                           : "copies " + joinWords(p, 0) + " to " + c.destination + ": the bytes of the sources (read from earlier layers or this RUN)";
    c.source = "cp /etc/skel/.bashrc measured: 3,526 bytes, the source's own size";
    return;
  }
  if (exe == "rm"sv || exe == "rmdir"sv || exe == "unlink"sv) {
    c.kind = CommandKind::Cheap;
    c.paths = operands(a, 1);
    c.reason = "removes files: frees nothing that earlier layers hold (a whiteout entry each), removes what this RUN wrote";
    c.source = "OCI image spec: a deletion is a whiteout entry";
    c.high = kTarEntry * c.paths.size();
    return;
  }
  // Python
  if (starts(exe, "python")) {
    std::size_t i = 1;
    while (i < a.size() && a[i].size() > 1 && a[i][0] == '-' && a[i] != "-m"sv && a[i] != "-c"sv) ++i;
    if (i < a.size() && (a[i] == "--version"sv || a[i] == "-V"sv)) {
      c.kind = CommandKind::NoOp;
      c.reason = "prints the Python version";
      return;
    }
    if (a.size() > 1 && (a[1] == "--version"sv || a[1] == "-V"sv)) {
      c.kind = CommandKind::NoOp;
      c.reason = "prints the Python version";
      return;
    }
    if (i + 1 < a.size() && a[i] == "-m"sv && a[i + 1] == "compileall"sv) {
      c.kind = CommandKind::PythonCompile;
      c.paths = operands(a, i + 2, {"-d", "-x", "-i", "-j", "-r", "-o", "-s", "-p", "-e", "--invalidation-mode"});
      c.addPathSizes = true;
      c.reason = "compiles .py files to .pyc under " + (c.paths.empty() ? std::string("sys.path") : joinWords(c.paths, 0)) +
                 " (bytecode is roughly as large as the sources again)";
      c.source = "the installed-size model's bytecode shares (installed-size-model.json)";
      return;
    }
    if (i + 3 == a.size() && a[i] == "-m"sv && isVersionOrHelp(a[i + 2]) && files.empty()) {
      c.kind = CommandKind::NoOp;
      c.reason = "python -m " + a[i + 1] + " " + a[i + 2] + ": imports the module and prints its version or help; nothing is " +
                 "written (its bytecode was compiled at install: pip's default, Alpine's -pyc packages)";
      c.source = "what the command does";
      return;
    }
    if (i + 1 < a.size() && a[i] == "-m"sv) {
      const std::string mod = a[i + 1];
      c.kind = CommandKind::Unknown;
      if (mod == "spacy"sv || mod == "nltk.downloader"sv || mod == "playwright"sv || mod == "camoufox"sv ||
          starts(mod, "transformers") || starts(mod, "huggingface_hub"))
        c.reason = "python -m " + mod + " downloads models or browsers: not catalogued";
      else
        c.reason = "python -m " + mod + ": runs a module, what it writes is not modelled";
      return;
    }
    c.kind = CommandKind::Unknown;
    if (i < a.size() && a[i] == "-c"sv) c.reason = "python -c: inline project code, what it writes is not modelled";
    else if (i < a.size() && (a[i] == "-"sv || i >= a.size())) c.reason = "python reads a script from its input (often a downloaded installer): not modelled";
    else if (i + 1 < a.size() && base(a[i]) == "manage.py"sv && djangoCommand(a, i + 1, c))
      return;
    else if (i < a.size() && base(a[i]) == "manage.py"sv)
      c.reason = "python manage.py " + (i + 1 < a.size() ? a[i + 1] : std::string()) +
                 ": runs project code (e.g. collectstatic writes the static files): not modelled";
    else if (i < a.size() && base(a[i]) == "setup.py"sv) c.reason = "python setup.py: builds/installs the project the legacy way, not modelled";
    else c.reason = "runs a project script (" + (i < a.size() ? a[i] : std::string("stdin")) + "): what it writes is not modelled";
    return;
  }
  if ((exe == "pip"sv || exe == "pip3"sv || exe == "uv"sv || exe == "poetry"sv) && !sub.empty()) {
    static const std::set<std::string> quiet = {"--version", "-V", "list", "freeze", "show", "check", "debug",
                                                "inspect", "--help", "help", "version", "self"};
    if (quiet.count(sub) && written.empty()) {
      c.kind = CommandKind::NoOp;
      c.reason = exe + " " + sub + " only prints";
      return;
    }
    if (sub == "config"sv) {
      c.kind = CommandKind::Cheap;
      c.high = 2 * kTarEntry + 512;
      c.reason = exe + " config writes a small configuration file";
      c.source = "tar format";
      return;
    }
  }
  if (exe == "curl"sv || exe == "wget"sv || exe == "aria2c"sv) {
    c.kind = CommandKind::Unknown;
    for (std::size_t i = 1; i < a.size(); ++i) {
      if (isUrl(a[i]) || starts(a[i], "bootstrap.pypa.io/")) c.urls.push_back(a[i]);  // curl and wget take a bare host too
      if ((a[i] == "-o"sv || a[i] == "--output"sv || a[i] == "-O"sv || a[i] == "--output-document"sv) && i + 1 < a.size() &&
          !(exe == "curl"sv && a[i] == "-O"sv)) {
        if (a[i + 1] != "-"sv) c.paths.push_back(a[i + 1]);
        ++i;
      }
    }
    const bool piped = cmd.op == "|"sv;
    // get-pip.py: a published file of known size. Piped into python, it is run and not kept (what it
    // installs is the pip install of that command); saved, it is a file of that size.
    if (c.urls.size() == 1 && written.empty())
      if (const KnownDownload* known = getPipDownload(c.urls[0])) {
        const bool intoPython = piped && toStdout(exe, a) && c.paths.empty() && k + 1 < cmds.size() && !cmds[k + 1].argv.empty() &&
                                starts(base(cmds[k + 1].argv[0]), "python");
        const bool stdoutOnly = exe == "curl"sv && toStdout(exe, a) && c.paths.empty();
        if (intoPython || (!piped && !stdoutOnly)) {
          if (c.paths.empty()) c.paths.push_back(base(std::string(known->path)));  // wget / curl -O: its name, here
          c.source = kGetPipSource;
          const std::string size = std::to_string(known->bytes) + " bytes";
          if (intoPython) {
            c.paths.clear();
            c.kind = CommandKind::NoOp;
            c.reason = "downloads " + c.urls[0] + " (" + size + ") into `" + base(cmds[k + 1].argv[0]) +
                       "`, which runs it: the script is not kept (the pip it installs is counted with that command)";
            return;
          }
          c.kind = CommandKind::Cheap;
          c.writesPaths = true;
          c.low = c.mid = known->bytes;
          c.high = known->bytes + kTarEntry + 511;
          c.reason = "downloads " + c.urls[0] + " to " + c.paths[0] + ": " + size + " (pip's bootstrap script)";
          return;
        }
      }
    // Into a command that reads it and keeps only what it writes itself (`curl -fsSL KEY | gpg
    // --dearmor -o FILE`, `| apt-key add -`, `| sha256sum -c`): the download is never a file here.
    if (piped && c.paths.empty() && written.empty() && toStdout(exe, a) && k + 1 < cmds.size() && !cmds[k + 1].argv.empty()) {
      static const std::set<std::string, std::less<>> consumers = {
          "gpg", "gpg2", "apt-key", "sha256sum", "sha512sum", "sha1sum", "md5sum", "grep", "jq", "head", "wc", "base64"};
      const std::string next = base(cmds[k + 1].argv[0]);
      if (consumers.count(next)) {
        c.kind = CommandKind::NoOp;
        c.reason = "downloads " + (c.urls.empty() ? std::string("a URL") : joinWords(c.urls, 0)) + " into `" + next +
                   "`, which reads it: the download itself is not kept (what `" + next + "` writes is counted with it)";
        c.source = "what the command does";
        return;
      }
    }
    c.reason = "downloads " + (c.urls.empty() ? std::string("a URL") : joinWords(c.urls, 0)) +
               (piped ? " and pipes it into the next command (an installer script, an archive)" : "") +
               ": the size of what is fetched is not known before building";
    return;
  }
  if (exe == "git"sv) {
    c.kind = CommandKind::Unknown;
    for (std::size_t i = 1; i < a.size(); ++i)
      if (isUrl(a[i])) c.urls.push_back(a[i]);
    if (sub == "config"sv) {
      c.kind = CommandKind::Cheap;
      c.high = 3 * kTarEntry;
      c.reason = "git config writes a small configuration file";
      c.source = "tar format";
      return;
    }
    c.reason = sub == "clone"sv ? "git clone " + joinWords(c.urls, 0) + ": the repository's size is not known before building"
                              : "git " + sub + ": changes the working tree, not modelled";
    return;
  }
  static const std::set<std::string> node = {"npm", "npx", "yarn", "pnpm", "node", "bun", "corepack", "bower"};
  // `npm config set KEY VALUE` (also `npm set`, `yarn config set`, `pnpm config set`): one line in
  // the user's config file (~/.npmrc, ~/.yarnrc).
  if ((exe == "npm"sv || exe == "yarn"sv || exe == "pnpm"sv) && a.size() >= 3 &&
      ((sub == "config"sv && (a[2] == "set"sv || a[2] == "delete"sv)) || sub == "set"sv)) {
    const std::size_t from = sub == "set"sv ? 2 : 3;
    const std::uint64_t line = joinWords(a, from).size() + 1;
    c.kind = CommandKind::Cheap;
    c.paths = {exe == "yarn"sv ? "~/.yarnrc" : "~/.npmrc"};
    c.low = 0;
    c.mid = line;
    c.high = line + 2 * kTarEntry + 511;  // the file and its folder, with the file's earlier lines
    c.reason = "writes one setting (" + std::to_string(line) + " bytes) to " + c.paths[0];
    c.source = "the command's own text; tar header per path and 512-byte padding for the high end";
    return;
  }
  // `npm version` / `yarn --version`-like queries: `npm version` alone prints the versions, and so do
  // `npm ls`, `npm view`, `npm config get|list`; with an argument
  // `npm version` rewrites package.json (not modelled).
  if ((exe == "npm"sv || exe == "pnpm"sv || exe == "yarn"sv) && written.empty() &&
      ((sub == "version"sv && a.size() == 2) || sub == "ls"sv || sub == "list"sv || sub == "view"sv || sub == "info"sv ||
       (sub == "config"sv && a.size() >= 3 && (a[2] == "get"sv || a[2] == "list"sv || a[2] == "ls"sv)))) {
    c.kind = CommandKind::NoOp;
    c.reason = exe + " " + sub + " prints only";
    c.source = "what the command does";
    return;
  }
  if (node.count(exe)) {
    c.kind = CommandKind::Unknown;
    c.reason = exe + " " + sub + ": node packages / a front-end build (node_modules and build output are not catalogued)";
    return;
  }
  static const std::set<std::string> builders = {"make", "cmake", "ninja", "meson", "gcc", "g++", "cc", "c++", "clang",
                                                 "cargo", "rustc", "go", "javac", "mvn", "gradle", "autoreconf",
                                                 "configure", "scons", "bazel", "dotnet", "maturin"};
  if (builders.count(exe)) {
    c.kind = CommandKind::Unknown;
    c.reason = exe + ": compiles or builds from source; what it installs is not modelled";
    return;
  }
  static const std::set<std::string> unpack = {"tar", "unzip", "gunzip", "gzip", "xz", "bunzip2", "7z", "zstd", "unxz"};
  if (unpack.count(exe)) {
    c.kind = CommandKind::Unknown;
    for (std::size_t i = 1; i + 1 < a.size(); ++i)
      if (a[i] == "-C"sv || a[i] == "--directory"sv || a[i] == "-d"sv) c.paths.push_back(a[i + 1]);
    c.reason = exe + ": unpacks an archive (usually one just downloaded): its size is not known";
    return;
  }
  if (exe == "sh"sv || exe == "bash"sv || exe == "ash"sv || exe == "dash"sv || exe == "zsh"sv) {
    c.kind = CommandKind::Unknown;
    auto p = operands(a, 1, {"-c", "-o"});
    if (hasFlag(a, 1, 'c', "")) c.reason = exe + " -c: an inline script, not analysed";
    // -s: the script comes from the input, the operands are its arguments (`curl … | sh -s -- -y`).
    else if (p.empty() || p[0] == "-"sv || readsInput(a)) c.reason = exe + " reads a script from its input (often a downloaded installer): not modelled";
    else c.reason = "runs the project script " + p[0] + ": what it writes is not modelled";
    return;
  }
  if ((exe == "django-admin"sv || exe == "manage.py"sv) && a.size() > 1 && djangoCommand(a, 1, c)) return;
  if (starts(a[0], "./") || starts(a[0], "/") || ends(exe, ".sh") || ends(exe, ".py")) {
    c.kind = CommandKind::Unknown;
    if ((exe == "manage.py"sv || exe == "django-admin"sv) && a.size() > 1 && a[1][0] != '-')
      c.reason = "runs Django's management command `" + a[1] + "` (" + a[0] + "): what it writes is not modelled";
    else
      c.reason = "runs the script " + a[0] + ": what it writes is not modelled";
    return;
  }
  if (exe == "msgfmt"sv) {
    // msgfmt [-o OUT] FILE.po...: one .mo from the named catalogues.
    c.kind = CommandKind::CompileMessages;
    c.paths = operands(a, 1, {"-o", "--output-file", "-D", "--directory", "-l", "--locale", "-d", "-r", "--resource"});
    for (std::size_t i = 1; i + 1 < a.size(); ++i)
      if (a[i] == "-o"sv || a[i] == "--output-file"sv) c.destination = a[i + 1];
    c.reason = "msgfmt compiles " + (c.paths.empty() ? std::string("message catalogues") : joinWords(c.paths, 0)) + " into a .mo file";
    return;
  }
  if (exe == "pybabel"sv && sub == "compile"sv) {
    // pybabel compile -d DIR [-i FILE]: every DIR/*/LC_MESSAGES/*.po (or the one named) into a .mo beside it.
    c.kind = CommandKind::CompileMessages;
    for (std::size_t i = 2; i + 1 < a.size(); ++i) {
      if (a[i] == "-d"sv || a[i] == "--directory"sv || a[i] == "-i"sv || a[i] == "--input-file"sv) c.paths.push_back(a[i + 1]);
      else if (starts(a[i], "--directory=")) c.paths.push_back(a[i].substr(12));
    }
    c.reason = "pybabel compile turns the .po catalogues under " + (c.paths.empty() ? std::string("the working directory") : joinWords(c.paths, 0)) +
               " into .mo files beside them";
    return;
  }
  if ((exe == "apt-get"sv || exe == "apt"sv) && sub == "check"sv && written.empty()) {
    c.kind = CommandKind::NoOp;
    c.reason = "apt-get check verifies the installed packages' dependencies: nothing is written";
    c.source = "apt-get check measured with scripts/measure-cheap-commands.sh: no file changed";
    return;
  }
  if (exe == "apt-mark"sv && starts(sub, "show") && written.empty()) {
    c.kind = CommandKind::NoOp;
    c.reason = "apt-mark " + sub + " prints only";
    c.source = "what the command does";
    return;
  }
  if (exe == "apt-mark"sv && aptMark(sub, c)) return;
  if (exe == "gpg"sv || exe == "gpg2"sv) {
    if (gpg(a, written, c)) return;
  }
  if (exe == "apt-key"sv && (sub == "add"sv || sub == "adv"sv)) {
    c.kind = CommandKind::Cheap;
    c.paths = {"/etc/apt/trusted.gpg"};
    c.low = kKeyringLow;
    c.mid = kGpgDearmor.content;
    c.high = kKeyringHigh + 2 * kTarEntry + 511;
    c.reason = "apt-key " + sub + " adds a key to /etc/apt/trusted.gpg (the key's size is not known: the range of the keyrings Debian ships)";
    c.source = kKeyringSource;
    return;
  }
  if (exe == "locale-gen"sv || (exe == "dpkg-reconfigure"sv && std::find(a.begin() + 1, a.end(), "locales") != a.end())) {
    std::size_t named = 0;
    if (exe == "locale-gen"sv)
      for (std::size_t i = 1; i < a.size(); ++i) named += a[i][0] != '-' ? 1 : 0;
    const std::uint64_t more = named > 1 ? named - 1 : 0;
    c.kind = CommandKind::Cheap;
    c.paths = {"/usr/lib/locale/locale-archive"};
    c.low = 0;
    c.mid = kLocaleGenOne.content + more * kLocaleGenEach;
    c.high = kLocaleGenOne.tar + more * kLocaleGenEach + kTarEntry;
    c.reason = std::string(exe == "locale-gen"sv ? "locale-gen" : "dpkg-reconfigure locales (runs locale-gen)") +
               " compiles the enabled locales into /usr/lib/locale/locale-archive: about 3.1 MB for one UTF-8 locale, ~181 KB "
               "for each further one (nothing when none is enabled: Debian's locale-gen builds what /etc/locale.gen enables "
               "and ignores its arguments; Ubuntu's builds the locales it is given)";
    c.source = "measured with scripts/measure-cheap-commands.sh in a bookworm minbase root with locales installed (en_US.UTF-8: "
               "3,058,357 bytes; with de_DE.UTF-8 and fr_FR.UTF-8: 3,421,025)";
    return;
  }
  if (exe == "localedef"sv && !hasFlag(a, 1, 0, "--list-archive") && !hasFlag(a, 1, 0, "--delete-from-archive")) {
    // localedef -i en_US -f UTF-8 en_US.UTF-8: one locale compiled into the archive (what locale-gen runs per locale).
    c.kind = CommandKind::Cheap;
    c.paths = {"/usr/lib/locale/locale-archive"};
    c.low = kLocaleGenEach;
    c.mid = kLocaleGenOne.content;
    c.high = kLocaleGenOne.tar + kTarEntry;
    c.reason = "localedef compiles one locale into /usr/lib/locale/locale-archive: about 3.1 MB for the first UTF-8 locale, "
               "~181 KB when others are there already";
    c.source = "measured with scripts/measure-cheap-commands.sh: locale-gen (which runs localedef per locale) in a bookworm "
               "minbase root with locales installed, en_US.UTF-8: 3,058,357 bytes";
    return;
  }
  if (exe == "update-alternatives"sv) {
    std::string action;
    for (std::size_t i = 1; i < a.size() && action.empty(); ++i)
      if (starts(a[i], "--") && a[i] != "--quiet"sv && a[i] != "--force"sv && !starts(a[i], "--altdir") && !starts(a[i], "--admindir") &&
          !starts(a[i], "--log") && a[i] != "--verbose"sv && a[i] != "--skip-auto"sv)
        action = a[i];
    if ((action == "--display"sv || action == "--query"sv || action == "--list"sv || action == "--get-selections"sv) && written.empty()) {
      c.kind = CommandKind::NoOp;
      c.reason = "update-alternatives " + action + " prints only";
      c.source = "what the command does";
      return;
    }
    if (action == "--install"sv) {
      setMeasure(c, kAlternativesInstall,
                 "update-alternatives --install makes a link, its /etc/alternatives entry and a state file under "
                 "/var/lib/dpkg/alternatives (and logs it)");
      c.paths = {"/etc/alternatives", "/var/lib/dpkg/alternatives"};
      return;
    }
    if (action == "--set"sv || action == "--auto"sv || action == "--remove"sv || action == "--remove-all"sv || action == "--config"sv) {
      setMeasure(c, kAlternativesSet, "update-alternatives " + action + " rewrites the alternative's state file (and logs it)");
      c.paths = {"/var/lib/dpkg/alternatives"};
      return;
    }
  }
  if (exe == "update-locale"sv) {
    c.kind = CommandKind::Cheap;
    c.paths = {"/etc/default/locale"};
    c.low = c.mid = joinWords(a, 1).size() + 1;
    c.high = c.mid + 2 * kTarEntry + 511;
    c.reason = "update-locale writes its settings to /etc/default/locale";
    c.source = "the command's own text; echo LANG=C.UTF-8 > /etc/default/locale measured 2 entries, 2,560 bytes as a tar";
    return;
  }
  if (exe == "gpgconf"sv && (sub == "--kill"sv || sub == "--list-dirs"sv || sub == "--list-components"sv) && written.empty()) {
    c.kind = CommandKind::NoOp;
    c.reason = "gpgconf " + sub + " stops gpg's agents or prints its settings; nothing is written to the image";
    c.source = "what the command does";
    return;
  }
  if (exe == "openssl"sv && sub == "rand"sv) {
    // openssl rand [-hex|-base64] [-out FILE] NUM: NUM random bytes, printed raw, as hex (two
    // characters a byte and a newline) or as base64 (4 characters per 3 bytes, a newline after
    // every 64 and at the end). Printed only unless -out or a redirection names a file.
    std::vector<std::string> out = written;
    bool hex = false, b64 = false;
    std::optional<std::uint64_t> n;
    for (std::size_t i = 2; i < a.size(); ++i) {
      if (a[i] == "-hex"sv) hex = true;
      else if (a[i] == "-base64"sv) b64 = true;
      else if (a[i] == "-out"sv && i + 1 < a.size()) out.push_back(a[++i]);
      else if (!a[i].empty() && a[i].find_first_not_of("0123456789") == std::string::npos && a[i].size() < 10) n = std::stoull(a[i]);
    }
    if (out.empty()) {
      c.kind = CommandKind::NoOp;
      c.reason = "openssl rand prints random bytes; nothing is written to the image";
      c.source = "what the command does";
      return;
    }
    if (n) {
      std::uint64_t bytes = *n;
      if (hex) bytes = 2 * *n + 1;
      else if (b64) {
        const std::uint64_t chars = (*n + 2) / 3 * 4;
        bytes = chars + (chars + 63) / 64;
      }
      c.kind = CommandKind::Cheap;
      c.paths = out;
      c.writesPaths = true;
      c.low = c.mid = bytes;
      c.high = bytes + 2 * kTarEntry * out.size() + 511;
      c.reason = "openssl rand writes " + std::to_string(bytes) + " bytes (" + std::to_string(*n) + " random bytes" +
                 (hex ? " as hex" : b64 ? " as base64" : "") + ") to " + joinWords(out, 0);
      c.source = "the output format: hex two characters a byte and a newline, base64 4 characters per 3 bytes with a "
                 "newline every 64; tar header per path and 512-byte padding for the high end";
      return;
    }
  }
  if (exe == "truncate"sv) {
    // truncate -s 0 FILES: each file of an earlier layer is replaced by an empty copy here (a tar
    // entry, no content): the old content stays in the earlier layer.
    auto p = operands(a, 1, {"-s", "--size", "-r", "--reference"});
    c.kind = CommandKind::Cheap;
    c.paths = p;
    c.high = kTarEntry * (p.size() + 1);
    c.reason = "truncate empties the named files: an empty copy of each in this layer (a tar entry), while an earlier "
               "layer keeps their old content (frees nothing)";
    c.source = "truncate --size 0 measured with scripts/measure-cheap-commands.sh: a tar entry per file and its folder, no content";
    bool sizeZero = false;
    for (std::size_t i = 1; i < a.size(); ++i)
      if (((a[i] == "-s"sv || a[i] == "--size"sv) && i + 1 < a.size() && a[i + 1] == "0"sv) || a[i] == "--size=0"sv ||
          a[i] == "-s0"sv)
        sizeZero = true;
    if (!sizeZero) {  // a size other than 0 keeps (or pads to) that much of each file
      c.kind = CommandKind::Unknown;
      c.reason = "truncate to a size other than 0: what each file keeps is not modelled";
    }
    return;
  }
  if ((exe == "setcap"sv) && a.size() >= 3) {
    // setcap CAPS FILE...: a capability is an extended attribute; a metadata change copies the file up whole.
    auto p = operands(a, 1, {"-v"});
    if (!p.empty()) p.erase(p.begin());  // the capabilities
    c.kind = CommandKind::Cheap;
    c.paths = p;
    c.addPathSizes = true;
    c.high = kTarEntry * p.size();
    c.reason = "setcap sets a capability (an extended attribute) on the named programs: each is copied whole into this "
               "layer unless this RUN wrote it";
    c.source = "overlay filesystems copy a file up to the new layer on any metadata change; the layer diff then holds it";
    return;
  }
  if ((exe == "apt-get"sv || exe == "apt"sv) && sub == "download"sv) {
    c.kind = CommandKind::DebDownload;
    c.paths = operands(a, 2, {"-o", "-c", "-t"});
    c.reason = "apt-get download saves the .deb files of " + joinWords(c.paths, 0) + " in the working directory (nothing is installed)";
    return;
  }
  const bool dpkgExtract = exe == "dpkg"sv && (sub == "-x"sv || sub == "--extract"sv || sub == "-X"sv || sub == "--vextract"sv);
  const bool debExtract = exe == "dpkg-deb"sv && (sub == "-x"sv || sub == "--extract"sv || sub == "-R"sv || sub == "--raw-extract"sv);
  if ((dpkgExtract || debExtract) && a.size() >= 4) {
    c.kind = CommandKind::DebExtract;
    c.paths = {a[2]};
    c.destination = a[3];
    c.reason = exe + " " + sub + " unpacks " + a[2] + " into " + a[3] + " (its files, without installing it)";
    return;
  }
  if (exe == "dpkg"sv && (sub == "-i"sv || sub == "--install"sv)) {
    c.kind = CommandKind::Unknown;
    c.reason = "dpkg -i installs a local .deb: not catalogued";
    return;
  }
  static const std::set<std::string, std::less<>> dpkgQueries = {
      "--print-architecture", "--print-foreign-architectures", "-l", "--list", "-s", "--status", "-L", "--listfiles",
      "-S", "--search", "-p", "--print-avail", "--compare-versions", "--get-selections", "-C", "--audit", "--version"};
  if ((exe == "dpkg"sv && dpkgQueries.count(sub)) || exe == "dpkg-query"sv) {
    c.kind = CommandKind::NoOp;
    c.reason = "dpkg query: prints only (or answers by its exit status)";
    if (!files.empty()) {
      c.kind = CommandKind::Cheap;
      c.paths = files;
      c.reason = "dpkg query with its output written to " + joinWords(files, 0) + ": a small text file";
      c.high = kTarEntry * 2 * files.size();
    }
    return;
  }
  // uv's read-only commands: they find, list or show, and write nothing (uv python find answers
  // with a path; uv pip freeze lists what is installed).
  if (exe == "uv"sv && files.empty()) {
    const std::string third = a.size() > 2 ? a[2] : std::string();
    const bool query = (sub == "python"sv && (third == "find"sv || third == "list"sv || third == "dir"sv)) ||
                       (sub == "pip"sv && (third == "list"sv || third == "freeze"sv || third == "show"sv ||
                                           third == "check"sv || third == "tree"sv)) ||
                       (sub == "cache"sv && third == "dir"sv) || (sub == "tool"sv && (third == "dir"sv || third == "list"sv)) ||
                       sub == "tree"sv || sub == "--version"sv || sub == "-V"sv || (sub == "version"sv && a.size() == 2);
    if (query) {
      c.kind = CommandKind::NoOp;
      c.reason = "`uv " + sub + (third.empty() || sub == "tree"sv ? "" : " " + third) + "` finds, lists or shows: nothing is written to the image";
      c.source = "what the command does";
      return;
    }
  }
  c.kind = CommandKind::Unknown;
  c.reason = "`" + exe + "` is not modelled: what it writes is not known";
}

}  // namespace

std::set<std::string> shellFunctions(std::string_view script) {
  std::set<std::string> out;
  const auto isName = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-'; };
  const auto skipBlanks = [&](std::size_t i) {
    while (i < script.size() && (script[i] == ' ' || script[i] == '\t')) ++i;
    return i;
  };
  // name() {   /   name () {
  for (std::size_t at = script.find("()"); at != std::string_view::npos; at = script.find("()", at + 2)) {
    if (std::size_t after = skipBlanks(at + 2); after >= script.size() || script[after] != '{') continue;
    std::size_t e = at;
    while (e > 0 && (script[e - 1] == ' ' || script[e - 1] == '\t')) --e;
    std::size_t b = e;
    while (b > 0 && isName(script[b - 1])) --b;
    if (b < e && !std::isdigit(static_cast<unsigned char>(script[b]))) out.insert(std::string(script.substr(b, e - b)));
  }
  // function name {   /   function name() {
  for (std::size_t at = script.find("function "); at != std::string_view::npos; at = script.find("function ", at + 9)) {
    if (at > 0 && isName(script[at - 1])) continue;
    const std::size_t b = skipBlanks(at + 9);
    std::size_t e = b;
    while (e < script.size() && isName(script[e])) ++e;
    if (e > b) out.insert(std::string(script.substr(b, e - b)));
  }
  return out;
}

std::vector<CommandCost> classifyCommands(const std::vector<dockerfile::ShellCommand>& commands,
                                          const std::vector<dockerfile::PackageOp>& ops,
                                          const std::set<std::string>& functions) {
  std::vector<CommandCost> out;
  out.reserve(commands.size());
  std::set<int> withOps;
  for (const auto& op : ops) withOps.insert(op.commandIndex);
  for (std::size_t k = 0; k < commands.size(); ++k) {
    const auto& cmd = commands[k];
    CommandCost c;
    c.commandIndex = cmd.index >= 0 ? cmd.index : static_cast<int>(k);
    c.conditional = cmd.conditional;
    c.condition = cmd.condition;
    // The command as said in reasons: without leading VAR=value assignments (`DEBUG=False
    // SECRET_KEY=x ./manage.py compress` is `./manage.py compress`, which a shortened text keeps).
    std::size_t first = 0;
    while (first + 1 < cmd.argv.size() && isAssignment(cmd.argv[first])) ++first;
    for (std::size_t i = first; i < cmd.argv.size(); ++i) {
      if (i > first) c.text += ' ';
      c.text += cmd.argv[i];
    }
    if (withOps.count(c.commandIndex)) {
      c.kind = CommandKind::Package;
      c.reason = "a package operation (sized by the package catalogues)";
      c.paths = fileRedirects(cmd);
    } else if (!functions.empty() && !cmd.argv.empty() && functions.count(cmd.argv[0]) && fileRedirects(cmd).empty()) {
      // The definition and each call: the body's commands are estimated once, where it is defined.
      c.kind = CommandKind::NoOp;
      c.reason = "`" + cmd.argv[0] + "` is a shell function this RUN defines: its commands are estimated where it is defined";
      c.source = "what the command does";
    } else {
      classifyOne(commands, k, c);
    }
    if (c.kind == CommandKind::RecursiveRewrite || c.kind == CommandKind::Copy) c.addPathSizes = true;
    out.push_back(std::move(c));
  }
  return out;
}

std::map<std::string, std::string> environmentAt(const dockerfile::Model& model, int stageIndex, std::size_t stepIndex) {
  std::map<std::string, std::string> env;
  if (stageIndex < 0 || static_cast<std::size_t>(stageIndex) >= model.stages.size()) return env;
  const auto& st = model.stages[static_cast<std::size_t>(stageIndex)];
  if (st.baseStage >= 0 && st.baseStage < stageIndex) env = model.stages[static_cast<std::size_t>(st.baseStage)].env;
  for (std::size_t i = 0; i < st.steps.size() && i < stepIndex; ++i)
    if (st.steps[i].kind == dockerfile::Kind::Env)
      for (const auto& kv : st.steps[i].keyValues()) env[kv.key] = kv.value;
  return env;
}

dockerfile::ShellVars shellVarsAt(const dockerfile::Model& model, int stageIndex, std::size_t stepIndex,
                                  const std::string& arch, const std::map<std::string, std::string>& buildArgs) {
  dockerfile::ShellVars v;
  v.arch = arch;
  if (stageIndex < 0 || static_cast<std::size_t>(stageIndex) >= model.stages.size()) return v;
  const auto& st = model.stages[static_cast<std::size_t>(stageIndex)];
  const std::string a = arch.empty() ? std::string("amd64") : arch;
  const std::map<std::string, std::string> automatic = {
      {"TARGETARCH", a}, {"TARGETPLATFORM", "linux/" + a}, {"TARGETOS", "linux"}, {"TARGETVARIANT", ""}};
  // Undeclared automatic platform ARGs are empty inside RUN (BuildKit defines them globally only).
  for (const auto& [k, _] : automatic) v.vars[k] = "";
  for (const char* k : {"BUILDARCH", "BUILDPLATFORM", "BUILDOS", "BUILDVARIANT"}) v.vars[k] = "";
  std::map<std::string, std::string> globals;
  for (const auto& g : model.globalArgs)
    if (g.hasValue) globals[g.key] = g.value;
  for (std::size_t i = 0; i < st.steps.size() && i < stepIndex; ++i) {
    if (st.steps[i].kind != dockerfile::Kind::Arg) continue;
    for (const auto& kv : st.steps[i].keyValues()) {
      if (auto b = buildArgs.find(kv.key); b != buildArgs.end()) v.vars[kv.key] = b->second;
      else if (auto au = automatic.find(kv.key); au != automatic.end() && !kv.hasValue) v.vars[kv.key] = au->second;
      else if (kv.key.rfind("BUILD", 0) == 0 && !kv.hasValue &&
               (kv.key == "BUILDARCH"sv || kv.key == "BUILDPLATFORM"sv || kv.key == "BUILDOS"sv || kv.key == "BUILDVARIANT"sv))
        v.vars.erase(kv.key);  // the build machine's platform: not known here
      else if (!kv.hasValue && globals.count(kv.key)) v.vars[kv.key] = globals[kv.key];
      else if (kv.hasValue) v.vars[kv.key] = kv.value;
      else v.vars[kv.key] = "";  // declared without a value and not given: empty
    }
  }
  for (const auto& [k, val] : environmentAt(model, stageIndex, stepIndex))
    if (val.find('$') == std::string::npos) v.vars[k] = val;
    else v.vars.erase(k);  // refers to the base image's config (e.g. $PATH): not known here
  return v;
}

StageScope::StageScope(const dockerfile::Model& model, int stageIndex, const std::string& arch,
                       const std::map<std::string, std::string>& buildArgs)
    : model_(model), stage_(stageIndex), arch_(arch), buildArgs_(buildArgs) {
  const std::string a = arch.empty() ? std::string("amd64") : arch;
  automatic_ = {{"TARGETARCH", a}, {"TARGETPLATFORM", "linux/" + a}, {"TARGETOS", "linux"}, {"TARGETVARIANT", ""}};
  for (const auto& g : model.globalArgs)
    if (g.hasValue) globals_[g.key] = g.value;
  reset();
}

namespace {

bool isRootUser(const std::string& spec) {
  const std::string u = spec.substr(0, spec.find(':'));
  return u == "root"sv || u == "0"sv;
}

// An official image of Docker Hub whose default user is root (python, debian, ubuntu, alpine).
bool isOfficialBase(std::string image) {
  for (const char* prefix : {"docker.io/library/", "docker.io/", "index.docker.io/library/", "library/"})
    if (image.rfind(prefix, 0) == 0) image = image.substr(std::string_view(prefix).size());
  const std::string repo = image.substr(0, image.find_first_of(":@"));
  return repo == "python"sv || repo == "debian"sv || repo == "ubuntu"sv || repo == "alpine"sv;
}

}  // namespace

void StageScope::reset() {
  next_ = 0;
  env_.clear();
  argVars_ = dockerfile::ShellVars{};
  argVars_.arch = arch_;
  envVars_ = dockerfile::ShellVars{};
  envVars_.arch = arch_;
  envVars_.parent = &argVars_;
  if (stage_ < 0 || static_cast<std::size_t>(stage_) >= model_.stages.size()) return;
  for (const auto& [k, _] : automatic_) argVars_.vars[k] = "";
  for (const char* k : {"BUILDARCH", "BUILDPLATFORM", "BUILDOS", "BUILDVARIANT"}) argVars_.vars[k] = "";
  const auto& st = model_.stages[static_cast<std::size_t>(stage_)];
  auto setEnv = [this](const std::string& k, const std::string& val) {
    env_[k] = val;
    if (val.find('$') == std::string::npos) {
      envVars_.vars[k] = val;
      envVars_.unset.erase(k);
    } else {  // refers to the base image's config (e.g. $PATH): not known here
      envVars_.vars.erase(k);
      envVars_.unset.insert(k);
    }
  };
  if (st.baseStage >= 0 && st.baseStage < stage_)
    for (const auto& [k, v] : model_.stages[static_cast<std::size_t>(st.baseStage)].env) setEnv(k, v);
  // Who the RUNs start as: the last USER up the FROM chain, else the base image's (root for the
  // official images; not known for another one).
  userIsRoot_ = false;
  for (int at = st.baseStage, hops = 0; hops <= static_cast<int>(model_.stages.size()); ++hops) {
    const auto& base = at >= 0 && at < stage_ ? model_.stages[static_cast<std::size_t>(at)] : st;
    if (at >= 0 && at < stage_) {
      const dockerfile::Step* last = nullptr;
      for (const auto& step : base.steps)
        if (step.kind == dockerfile::Kind::User && !step.args().empty()) last = &step;
      if (last) {
        userIsRoot_ = isRootUser(last->args()[0]);
        break;
      }
      at = base.baseStage;
      if (at < 0) {
        userIsRoot_ = isOfficialBase(base.baseImage);
        break;
      }
      continue;
    }
    userIsRoot_ = isOfficialBase(st.baseImage);
    break;
  }
}

void StageScope::advanceTo(std::size_t stepIndex) {
  if (stage_ < 0 || static_cast<std::size_t>(stage_) >= model_.stages.size()) return;
  if (stepIndex < next_) reset();
  const auto& st = model_.stages[static_cast<std::size_t>(stage_)];
  auto& v = argVars_.vars;
  for (; next_ < st.steps.size() && next_ < stepIndex; ++next_) {
    const auto& step = st.steps[next_];
    if (step.kind == dockerfile::Kind::Env) {
      for (const auto& kv : step.keyValues()) {
        env_[kv.key] = kv.value;
        if (kv.value.find('$') == std::string::npos) {
          envVars_.vars[kv.key] = kv.value;
          envVars_.unset.erase(kv.key);
        } else {
          envVars_.vars.erase(kv.key);
          envVars_.unset.insert(kv.key);
        }
      }
      continue;
    }
    if (step.kind == dockerfile::Kind::User && !step.args().empty()) {
      userIsRoot_ = isRootUser(step.args()[0]);
      continue;
    }
    if (step.kind != dockerfile::Kind::Arg) continue;
    for (const auto& kv : step.keyValues()) {
      if (auto b = buildArgs_.find(kv.key); b != buildArgs_.end()) v[kv.key] = b->second;
      else if (auto au = automatic_.find(kv.key); au != automatic_.end() && !kv.hasValue) v[kv.key] = au->second;
      else if (kv.key.rfind("BUILD", 0) == 0 && !kv.hasValue &&
               (kv.key == "BUILDARCH"sv || kv.key == "BUILDPLATFORM"sv || kv.key == "BUILDOS"sv || kv.key == "BUILDVARIANT"sv))
        v.erase(kv.key);  // the build machine's platform: not known here
      else if (!kv.hasValue && globals_.count(kv.key)) v[kv.key] = globals_[kv.key];
      else if (kv.hasValue) v[kv.key] = kv.value;
      else v[kv.key] = "";  // declared without a value and not given: empty
    }
  }
}

namespace {

bool blankOutsideSubstitutions(const std::string& w) {
  int depth = 0;
  bool tick = false;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const char ch = w[i];
    if (ch == '`') tick = !tick;
    else if (ch == '$' && i + 1 < w.size() && w[i + 1] == '(') {
      ++depth;
      ++i;
    } else if (ch == '(' && depth > 0) ++depth;
    else if (ch == ')' && depth > 0) --depth;
    else if (!tick && depth == 0 && std::isspace(static_cast<unsigned char>(ch))) return true;
  }
  return false;
}

// The script of `sh -c SCRIPT` / `bash -ec SCRIPT` (and dash, ash), or false when the command is
// not a shell given an inline script.
bool inlineScriptOf(const dockerfile::ShellCommand& c, const std::string*& script) {
  const auto& a = c.argv;
  if (a.size() < 3) return false;
  const std::string exe = base(a[0]);
  if (exe != "sh"sv && exe != "bash"sv && exe != "dash"sv && exe != "ash"sv) return false;
  for (std::size_t i = 1; i + 1 < a.size(); ++i) {
    const std::string& w = a[i];
    if (w.size() < 2 || w[0] != '-' || w == "--"sv) return false;  // a script file: not inline
    if ((w == "-o"sv || w == "+o"sv) && i + 2 < a.size()) {
      ++i;
      continue;
    }
    if (w[1] != '-' && w.back() == 'c' &&
        std::all_of(w.begin() + 1, w.end(), [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)) != 0; })) {
      script = &a[i + 1];
      return true;
    }
  }
  return false;
}

// `sh -c 'SCRIPT'` runs SCRIPT's commands: they take its place in the list (the branches they
// sit in decided with the values known here; conditional when the shell itself may not run), so
// that the packages it installs and the files it writes are estimated as if written in the RUN
// (full-stack-fastapi-template's `bash -c "if [ $INSTALL_DEV == 'true' ] ; then poetry install
// …; else poetry install --only main …; fi"`). New commands get indices after the RUN's own.
// Nested shells are opened up to four deep. The list itself when no command is such a shell.
dockerfile::ShellCommands inlineShellScripts(const dockerfile::ShellCommands& cmds, const dockerfile::ShellVars& vars) {
  const std::string* script = nullptr;
  if (std::none_of(cmds.begin(), cmds.end(), [&](const dockerfile::ShellCommand& c) { return inlineScriptOf(c, script); }))
    return cmds;
  std::vector<dockerfile::ShellCommand> list(cmds.begin(), cmds.end());
  int next = 0;
  for (std::size_t k = 0; k < list.size(); ++k) {
    if (list[k].index < 0) list[k].index = static_cast<int>(k);
    next = std::max(next, list[k].index + 1);
  }
  for (int level = 0; level < 4; ++level) {
    std::vector<dockerfile::ShellCommand> out;
    bool opened = false;
    for (auto& c : list) {
      if (!inlineScriptOf(c, script)) {
        out.push_back(std::move(c));
        continue;
      }
      auto inner = dockerfile::splitShell(*script);
      if (std::any_of(inner.begin(), inner.end(), [](const dockerfile::ShellCommand& x) { return !x.guards.empty(); }))
        inner = dockerfile::selectBranches(inner, vars);
      for (auto& x : inner) {
        x.index = next++;
        x.depth += c.depth + 1;
        x.guards.clear();  // decided above (or left conditional)
        if (c.conditional) {
          x.conditional = true;
          if (x.condition.empty()) x.condition = c.condition;
        }
        out.push_back(std::move(x));
      }
      opened = true;
    }
    list = std::move(out);
    if (!opened) break;
  }
  return dockerfile::ShellCommands(std::move(list));
}

// The commands with the words the shell expands from variables known here: the stage's ARG and
// ENV values, and what the RUN itself assigned before (`RUN_DEPS="libpq5 procps" && apt-get
// install $RUN_DEPS`; `export`; `unset`). An expansion splits at blanks (the install idiom is
// unquoted: a quoted list would reach apt as one name). A word with anything unknown in it stays
// as written (a package tool's `dynamic` word). The list itself when no word has a '$'.
dockerfile::ShellCommands expandKnown(const dockerfile::ShellCommands& cmds, const dockerfile::ShellVars& outer,
                                      const std::vector<dockerfile::KeyValue>& globalArgs, const std::string& rootHome) {
  const auto tilde = [](const std::string& w) { return w == "~"sv || w.rfind("~/", 0) == 0; };
  const bool any = std::any_of(cmds.begin(), cmds.end(), [&](const dockerfile::ShellCommand& c) {
    return std::any_of(c.argv.begin(), c.argv.end(), [&](const std::string& w) { return w.find_first_of("$`") != std::string::npos || tilde(w); });
  });
  if (!any) return cmds;
  dockerfile::ShellVars local;
  local.parent = &outer;
  local.arch = outer.arch;
  // HOME when the image does not set it: root's, where the RUN surely runs as root.
  if (!outer.find("HOME") && !rootHome.empty()) local.vars["HOME"] = rootHome;
  // An ARG declared before the first FROM and not again in this stage is not in the RUN's
  // environment (BuildKit): the shell expands it to nothing.
  for (const auto& g : globalArgs)
    if (!outer.find(g.key)) local.vars[g.key] = "";
  auto assign = [&local](const std::string& w) {
    const auto eq = w.find('=');
    const std::string name = w.substr(0, eq);
    if (auto v = dockerfile::evaluateWord(w.substr(eq + 1), local)) {
      local.vars[name] = *v;
      local.unset.erase(name);
    } else {
      local.vars.erase(name);
      local.unset.insert(name);
    }
  };
  std::vector<dockerfile::ShellCommand> out(cmds.begin(), cmds.end());
  for (auto& c : out) {
    if (c.argv.empty()) continue;
    if (std::all_of(c.argv.begin(), c.argv.end(), isAssignment)) {
      for (const auto& w : c.argv) assign(w);
      continue;
    }
    if (c.argv[0] == "export"sv || c.argv[0] == "unset"sv) {
      for (std::size_t i = 1; i < c.argv.size(); ++i) {
        if (c.argv[0] == "export"sv && isAssignment(c.argv[i])) assign(c.argv[i]);
        else if (c.argv[0] == "unset"sv && c.argv[i][0] != '-') {
          local.vars.erase(c.argv[i]);
          local.unset.insert(c.argv[i]);
        }
      }
      continue;
    }
    std::vector<std::string> words;
    words.reserve(c.argv.size());
    for (const auto& word : c.argv) {
      // ~ and ~/… are the home folder (tilde expansion comes before the variables').
      const std::string* home = tilde(word) ? local.find("HOME") : nullptr;
      const std::string w = home ? *home + word.substr(1) : word;
      const auto v = w.find_first_of("$`") == std::string::npos ? (home ? std::optional<std::string>(w) : std::nullopt)
                                                                : dockerfile::evaluateWord(w, local);
      if (!v) {
        words.push_back(w);
        continue;
      }
      // A word with a blank of its own (outside `…` and $(…)) was quoted ("Radicale[${EXTRAS}] @
      // https://…"): one word.
      if (blankOutsideSubstitutions(w)) {
        words.push_back(*v);
        continue;
      }
      std::size_t i = 0;
      while (i < v->size()) {  // split at blanks; nothing left of an empty value
        while (i < v->size() && std::isspace(static_cast<unsigned char>((*v)[i]))) ++i;
        std::size_t j = i;
        while (j < v->size() && !std::isspace(static_cast<unsigned char>((*v)[j]))) ++j;
        if (j > i) words.push_back(v->substr(i, j - i));
        i = j;
      }
    }
    c.argv = std::move(words);
  }
  return dockerfile::ShellCommands(std::move(out));
}

}  // namespace

RunAnalysis analyseRun(const dockerfile::Model& model, int stageIndex, std::size_t stepIndex, StageScope& scope) {
  RunAnalysis r;
  if (stageIndex < 0 || static_cast<std::size_t>(stageIndex) >= model.stages.size()) return r;
  const auto& st = model.stages[static_cast<std::size_t>(stageIndex)];
  if (stepIndex >= st.steps.size() || st.steps[stepIndex].kind != dockerfile::Kind::Run) return r;
  scope.advanceTo(stepIndex);
  const auto& all = st.steps[stepIndex].commands();
  // Without a guard every command runs, unconditionally, as splitShell marked it: the list is
  // shared, not evaluated and copied.
  const bool branches = std::any_of(all.begin(), all.end(), [](const dockerfile::ShellCommand& c) { return !c.guards.empty(); });
  if (branches) r.commands = dockerfile::selectBranchesShared(all, scope.vars());
  else r.commands = all;
  r.commands = inlineShellScripts(r.commands, scope.vars());
  r.commands = expandKnown(r.commands, scope.vars(), model.globalArgs, scope.rootHome());
  r.operations = dockerfile::recogniseOperations(r.commands, scope.env());
  r.costs = classifyCommands(r.commands, r.operations, shellFunctions(st.steps[stepIndex].script()));
  return r;
}

RunAnalysis analyseRun(const dockerfile::Model& model, int stageIndex, std::size_t stepIndex, const std::string& arch,
                       const std::map<std::string, std::string>& buildArgs) {
  StageScope scope(model, stageIndex, arch, buildArgs);
  return analyseRun(model, stageIndex, stepIndex, scope);
}

}  // namespace slimbench::estimate
