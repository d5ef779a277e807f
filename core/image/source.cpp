#include "image/source.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace slimbench::image {
namespace {

constexpr std::size_t kBlock = 256 * 1024;
constexpr std::uint64_t kSmallMember = 256 * 1024;   // kept in memory by the index pass
constexpr std::uint64_t kSmallTotal = 64ull << 20;   // at most this much in total

Diagnostic err(const std::string& where, const std::string& msg) { return errorAt(where, msg); }

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveCloser>;

// Opens the outer archive; null with *error set when it cannot be opened.
ArchivePtr openOuter(const std::string& path, std::string* error) {
  ArchivePtr a(archive_read_new());
  archive_read_support_filter_all(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), kBlock) != ARCHIVE_OK) {
    const char* e = archive_error_string(a.get());
    *error = e ? e : "cannot open";
    return nullptr;
  }
  return a;
}

// Streams one member of the outer tar through libarchive's data blocks.
class TarMemberStream : public BlobStream {
 public:
  explicit TarMemberStream(ArchivePtr a) : a_(std::move(a)) {}
  long read(const void** buf) override {
    std::size_t n = 0;
    la_int64_t off = 0;
    int r = archive_read_data_block(a_.get(), buf, &n, &off);
    if (r == ARCHIVE_EOF) return 0;
    if (r < ARCHIVE_WARN) {
      const char* e = archive_error_string(a_.get());
      error = e ? e : "read error";
      return -1;
    }
    if (std::uint64_t(off) != pos_) {
      error = "sparse member (holes are not expected in an image blob)";
      return -1;
    }
    pos_ += n;
    return long(n);
  }

 private:
  ArchivePtr a_;
  std::uint64_t pos_ = 0;
};

class FileStream : public BlobStream {
 public:
  explicit FileStream(int fd) : fd_(fd), buf_(new char[kBlock]) {}
  ~FileStream() override { ::close(fd_); }
  long read(const void** buf) override {
    for (;;) {
      ssize_t n = ::read(fd_, buf_.get(), kBlock);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error = std::strerror(errno);
        return -1;
      }
      *buf = buf_.get();
      return long(n);
    }
  }

 private:
  int fd_;
  std::unique_ptr<char[]> buf_;
};

}  // namespace

std::string normalizeMemberName(std::string_view name) {
  for (;;) {
    if (name.starts_with("./")) name.remove_prefix(2);
    else if (name.starts_with("/")) name.remove_prefix(1);
    else break;
  }
  return std::string(name);
}

Result<Source> Source::open(const std::string& path, const Limits& limits) {
  namespace fs = std::filesystem;
  Source s;
  s.path_ = path;
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return err(path, "no such file or folder");
  if (fs::is_directory(st)) {
    s.isDir_ = true;
    return s;
  }
  std::string openError;
  ArchivePtr a = openOuter(path, &openError);
  if (!a) return err(path, "expected a tar archive (docker save / OCI archive): " + openError);
  std::uint64_t count = 0, kept = 0;
  archive_entry* e = nullptr;
  for (;;) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      const char* m = archive_error_string(a.get());
      std::string msg = std::string("expected a tar archive (docker save / OCI archive): ") + (m ? m : "read error");
      if (count > 0) msg += " (after " + std::to_string(count) + " members)";
      return err(path, msg);
    }
    if (++count > limits.maxMembers)
      return err(path, "too many members in the archive (over " + std::to_string(limits.maxMembers) + ")");
    if (archive_entry_filetype(e) != AE_IFREG) continue;
    const char* nm = archive_entry_pathname(e);
    if (!nm) continue;
    std::string name = normalizeMemberName(nm);
    la_int64_t sz = archive_entry_size(e);
    if (sz < 0) return err(path + ":" + name, "negative member size");
    if (s.members_.count(name)) return err(path + ":" + name, "the archive holds this member twice");
    s.members_[name] = std::uint64_t(sz);
    bool wanted = std::uint64_t(sz) <= kSmallMember && kept + std::uint64_t(sz) <= kSmallTotal &&
                  (name.ends_with(".json") || name == "oci-layout" || name == "repositories" ||
                   name.starts_with("blobs/"));
    if (wanted) {
      std::string data;
      data.resize(std::size_t(sz));
      la_ssize_t got = archive_read_data(a.get(), data.data(), data.size());
      if (got != la_ssize_t(sz)) {
        const char* m = archive_error_string(a.get());
        return err(path + ":" + name, std::string("truncated member: ") + (m ? m : "short read"));
      }
      kept += data.size();
      s.small_[name] = std::move(data);
    }
  }
  if (count == 0) return err(path, "expected a tar archive (docker save / OCI archive), found no members");
  return s;
}

bool Source::has(const std::string& name) const { return size(name) >= 0; }

std::int64_t Source::size(const std::string& name) const {
  if (!isDir_) {
    auto it = members_.find(name);
    return it == members_.end() ? -1 : std::int64_t(it->second);
  }
  struct stat st {};
  std::string p = path_ + "/" + name;
  if (::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return -1;
  return std::int64_t(st.st_size);
}

Result<std::string> Source::read(const std::string& name, std::size_t maxBytes) const {
  auto sz = size(name);
  if (sz < 0) return err(where(name), "missing: the member is not in the image");
  if (std::uint64_t(sz) > maxBytes)
    return err(where(name), "is " + std::to_string(sz) + " bytes, over the limit of " + std::to_string(maxBytes));
  if (auto it = small_.find(name); it != small_.end()) return it->second;
  auto st = stream(name);
  if (!st) return st.error();
  std::string out;
  for (;;) {
    const void* buf = nullptr;
    long n = (*st)->read(&buf);
    if (n < 0) return err(where(name), "read error: " + (*st)->error);
    if (n == 0) break;
    if (out.size() + std::size_t(n) > maxBytes)
      return err(where(name), "longer than " + std::to_string(maxBytes) + " bytes");
    out.append(static_cast<const char*>(buf), std::size_t(n));
  }
  return out;
}

Result<std::unique_ptr<BlobStream>> Source::stream(const std::string& name) const {
  if (isDir_) {
    std::string p = path_ + "/" + name;
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return err(where(name), std::string("cannot open: ") + std::strerror(errno));
    return std::unique_ptr<BlobStream>(new FileStream(fd));
  }
  std::string openError;
  ArchivePtr a = openOuter(path_, &openError);
  if (!a) return err(where(name), "cannot open: " + openError);
  archive_entry* e = nullptr;
  for (;;) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      const char* m = archive_error_string(a.get());
      return err(where(name), std::string("cannot reach the member: ") + (m ? m : "read error"));
    }
    const char* nm = archive_entry_pathname(e);
    if (nm && archive_entry_filetype(e) == AE_IFREG && normalizeMemberName(nm) == name)
      return std::unique_ptr<BlobStream>(new TarMemberStream(std::move(a)));
  }
  return err(where(name), "missing: the member is not in the archive");
}

}  // namespace slimbench::image
