// Benchmark (not a test): the decode limit of each gzip library on layer blobs.
// Only reads the files, inflates them (every gzip member) and counts the bytes:
// no tar parsing, no hashing. N threads take the blobs one at a time, the way
// slimbench reads layers in parallel.
//   build/tests/bench_decode zlib|isal[+sha256] THREADS BLOB...
// "+sha256" also hashes the compressed and the inflated bytes with OpenSSL (the
// two digests a verified import checks): the limit for a verified import.
// Prints: decoder, threads, compressed bytes, inflated bytes, wall s, cpu s, MB/s (inflated / wall).
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#ifdef SLIMBENCH_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

namespace {

constexpr std::size_t kIn = 1 << 20, kOut = 256 * 1024;
bool gHash = false;

// Both digests of one blob when gHash (compressed in, inflated out).
struct Hashes {
  EVP_MD_CTX* in = nullptr;
  EVP_MD_CTX* out = nullptr;
  Hashes() {
    if (!gHash) return;
    in = EVP_MD_CTX_new();
    out = EVP_MD_CTX_new();
    EVP_DigestInit_ex(in, EVP_sha256(), nullptr);
    EVP_DigestInit_ex(out, EVP_sha256(), nullptr);
  }
  ~Hashes() {
    if (!gHash) return;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_DigestFinal_ex(in, md, &n);
    EVP_DigestFinal_ex(out, md, &n);
    EVP_MD_CTX_free(in);
    EVP_MD_CTX_free(out);
  }
  void compressed(const void* p, std::size_t n) {
    if (gHash && n) EVP_DigestUpdate(in, p, n);
  }
  void inflated(const void* p, std::size_t n) {
    if (gHash && n) EVP_DigestUpdate(out, p, n);
  }
};

// Returns inflated bytes, or -1 on a decode error.
long long inflateZlib(int fd) {
  std::vector<unsigned char> in(kIn), out(kOut);
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  long long total = 0;
  bool ended = false;
  Hashes h;
  for (;;) {
    ssize_t n = read(fd, in.data(), in.size());
    if (n <= 0) break;
    h.compressed(in.data(), std::size_t(n));
    z.next_in = in.data();
    z.avail_in = uInt(n);
    while (z.avail_in > 0) {
      if (ended) {  // another member follows?
        if (z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) {
          inflateReset(&z);
          ended = false;
        } else {
          z.avail_in = 0;
          break;
        }
      }
      z.next_out = out.data();
      z.avail_out = uInt(out.size());
      int r = inflate(&z, Z_NO_FLUSH);
      total += (long long)(out.size() - z.avail_out);
      h.inflated(out.data(), out.size() - z.avail_out);
      if (r == Z_STREAM_END) ended = true;
      else if (r != Z_OK && r != Z_BUF_ERROR) return -1;
    }
  }
  // Flush what zlib still holds.
  for (int r = Z_OK; !ended && r == Z_OK;) {
    z.next_out = out.data();
    z.avail_out = uInt(out.size());
    r = inflate(&z, Z_NO_FLUSH);
    total += (long long)(out.size() - z.avail_out);
    h.inflated(out.data(), out.size() - z.avail_out);
    if (r == Z_STREAM_END) ended = true;
    if (z.avail_out != 0) break;
  }
  inflateEnd(&z);
  return ended ? total : -1;
}

#ifdef SLIMBENCH_HAVE_ISAL
long long inflateIsal(int fd) {
  std::vector<unsigned char> in(kIn), out(kOut);
  inflate_state s;
  isal_inflate_init(&s);
  s.crc_flag = ISAL_GZIP;
  long long total = 0;
  bool ended = false;
  Hashes h;
  for (;;) {
    ssize_t n = read(fd, in.data(), in.size());
    if (n <= 0) break;
    h.compressed(in.data(), std::size_t(n));
    s.next_in = in.data();
    s.avail_in = std::uint32_t(n);
    while (s.avail_in > 0) {
      if (ended) {
        if (s.avail_in >= 2 && s.next_in[0] == 0x1f && s.next_in[1] == 0x8b) {
          isal_inflate_reset(&s);
          s.crc_flag = ISAL_GZIP;
          ended = false;
        } else {
          s.avail_in = 0;
          break;
        }
      }
      s.next_out = out.data();
      s.avail_out = std::uint32_t(out.size());
      if (isal_inflate(&s) < 0) return -1;
      total += (long long)(out.size() - s.avail_out);
      h.inflated(out.data(), out.size() - s.avail_out);
      if (s.block_state == ISAL_BLOCK_FINISH) ended = true;
    }
  }
  while (!ended) {  // output ISA-L still holds
    s.next_out = out.data();
    s.avail_out = std::uint32_t(out.size());
    if (isal_inflate(&s) < 0) return -1;
    std::size_t made = out.size() - s.avail_out;
    total += (long long)made;
    h.inflated(out.data(), made);
    if (s.block_state == ISAL_BLOCK_FINISH) ended = true;
    else if (made == 0) break;
  }
  return ended ? total : -1;
}
#endif

double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_decode zlib|isal[+sha256] THREADS BLOB...\n");
    return 2;
  }
  std::string dec = argv[1];
  if (dec.ends_with("+sha256")) {
    gHash = true;
    dec.resize(dec.size() - 7);
  }
  long long (*fn)(int) = nullptr;
  if (dec == "zlib") fn = inflateZlib;
#ifdef SLIMBENCH_HAVE_ISAL
  if (dec == "isal") fn = inflateIsal;
#endif
  if (!fn) {
    std::fprintf(stderr, "bench_decode: decoder %s is not available in this build\n", dec.c_str());
    return 2;
  }
  int threads = std::max(1, std::atoi(argv[2]));
  std::vector<std::string> files(argv + 3, argv + argc);
  std::atomic<std::size_t> next{0};
  std::atomic<long long> in{0}, out{0};
  std::atomic<bool> failed{false};
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpuSeconds();
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < files.size();) {
      int fd = ::open(files[i].c_str(), O_RDONLY);
      if (fd < 0) {
        std::fprintf(stderr, "bench_decode: cannot open %s\n", files[i].c_str());
        failed = true;
        return;
      }
      long long n = fn(fd);
      in += lseek(fd, 0, SEEK_CUR);
      close(fd);
      if (n < 0) {
        std::fprintf(stderr, "bench_decode: %s: decode error\n", files[i].c_str());
        failed = true;
        return;
      }
      out += n;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double cpu = cpuSeconds() - c0;
  if (gHash) dec += "+sha256";
  std::printf("%s %d %lld %lld %.3f %.3f %.1f\n", dec.c_str(), threads, in.load(), out.load(), wall, cpu,
              double(out.load()) / 1e6 / wall);
  return failed ? 1 : 0;
}
