#include "util/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

namespace slimbench {
namespace fs = std::filesystem;

namespace {
Diagnostic err(const std::string& file, std::string msg, int line = 0, int col = 0) {
  Diagnostic d;
  d.severity = Severity::Error;
  d.where.file = file;
  d.where.line = line;
  d.where.column = col;
  d.message = std::move(msg);
  return d;
}

std::string humanBytes(std::uintmax_t n) {
  char buf[64];
  if (n >= 1024u * 1024u) std::snprintf(buf, sizeof buf, "%.1f MiB", double(n) / (1024.0 * 1024.0));
  else if (n >= 1024u) std::snprintf(buf, sizeof buf, "%.1f KiB", double(n) / 1024.0);
  else std::snprintf(buf, sizeof buf, "%ju bytes", n);
  return buf;
}
}  // namespace

std::size_t firstInvalidUtf8(std::string_view s) {
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) { ++i; continue; }
    int len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return i;
    if (i + len > n) return i;
    for (int k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

std::optional<Diagnostic> checkText(std::string_view text, const std::string& name, TextLimits limits) {
  if (text.size() > limits.maxBytes)
    return err(name, "file is " + humanBytes(text.size()) + ", larger than the " + humanBytes(limits.maxBytes) +
                         " limit for a text input; expected a Dockerfile or requirements file");
  if (!limits.rejectBinary) return std::nullopt;
  auto lineCol = [&](std::size_t off) {
    int line = 1, col = 1;
    for (std::size_t i = 0; i < off; ++i) {
      if (text[i] == '\n') { ++line; col = 1; } else { ++col; }
    }
    return std::pair{line, col};
  };
  if (auto z = text.find('\0'); z != std::string_view::npos) {
    auto [l, c] = lineCol(z);
    return err(name, "binary data (a NUL byte) found; expected UTF-8 text", l, c);
  }
  if (auto bad = firstInvalidUtf8(text); bad != std::string_view::npos) {
    auto [l, c] = lineCol(bad);
    return err(name, "invalid UTF-8 byte sequence; expected UTF-8 text", l, c);
  }
  return std::nullopt;
}

Result<std::string> readTextFile(const std::string& path, TextLimits limits) {
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return err(path, "no such file");
  if (fs::is_directory(st)) return err(path, "is a folder; expected a file");
  auto size = fs::file_size(path, ec);
  if (!ec && size > limits.maxBytes)
    return err(path, "file is " + humanBytes(size) + ", larger than the " + humanBytes(limits.maxBytes) +
                         " limit for a text input; expected a Dockerfile or requirements file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return err(path, std::string("cannot open: ") + std::strerror(errno));
  std::string data;
  if (!ec) data.reserve(static_cast<std::size_t>(size));  // one allocation of the file's size, not doubling
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    data.append(buf, static_cast<std::size_t>(in.gcount()));
    if (data.size() > limits.maxBytes)
      return err(path, "file is larger than the " + humanBytes(limits.maxBytes) + " limit for a text input");
  }
  if (auto d = checkText(data, path, limits)) return *d;
  return data;
}

std::optional<Diagnostic> writeFileAtomic(const std::string& path, std::string_view data, bool overwrite) {
  std::error_code ec;
  fs::path target(path);
  if (!overwrite && fs::exists(target, ec))
    return err(path, "file exists; refusing to overwrite it (use --force to replace it)");
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::random_device rd;
  fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(rd()));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return err(path, std::string("cannot create a temporary file beside it: ") + std::strerror(errno));
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    ssize_t w = ::write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      fs::remove(tmp, ec);
      return err(path, std::string("write failed: ") + std::strerror(e));
    }
    p += w;
    left -= static_cast<std::size_t>(w);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int e = errno;
    fs::remove(tmp, ec);
    return err(path, std::string("cannot flush the file: ") + std::strerror(e));
  }
  if (!overwrite) {
    // link() fails if the target appeared meanwhile: never clobber.
    if (::link(tmp.c_str(), target.c_str()) != 0) {
      int e = errno;
      fs::remove(tmp, ec);
      return err(path, e == EEXIST ? "file exists; refusing to overwrite it" : std::string("cannot write: ") + std::strerror(e));
    }
    fs::remove(tmp, ec);
  } else if (::rename(tmp.c_str(), target.c_str()) != 0) {
    int e = errno;
    fs::remove(tmp, ec);
    return err(path, std::string("cannot replace the file: ") + std::strerror(e));
  }
  return std::nullopt;
}

}  // namespace slimbench
