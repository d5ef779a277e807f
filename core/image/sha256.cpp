#include "image/sha256.h"

#include <atomic>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define SLIMBENCH_SHA_NI 1
#endif

namespace slimbench::image {
namespace {

constexpr std::uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

inline std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void blocksPortable(std::uint32_t* s, const std::uint8_t* p, std::size_t n) {
  for (; n > 0; --n, p += 64) {
    std::uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = std::uint32_t(p[4 * i]) << 24 | std::uint32_t(p[4 * i + 1]) << 16 | std::uint32_t(p[4 * i + 2]) << 8 |
             std::uint32_t(p[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
      std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
    for (int i = 0; i < 64; ++i) {
      std::uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
      std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    s[0] += a; s[1] += b; s[2] += c; s[3] += d; s[4] += e; s[5] += f; s[6] += g; s[7] += h;
  }
}

#ifdef SLIMBENCH_SHA_NI
// The SHA extensions keep the state as ABEF/CDGH pairs; four rounds per sha256rnds2 pair.
__attribute__((target("sha,sse4.1,ssse3"))) void blocksShaNi(std::uint32_t* s, const std::uint8_t* p, std::size_t n) {
  const __m128i shuf = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));       // DCBA
  __m128i st1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 4));   // HGFE
  tmp = _mm_shuffle_epi32(tmp, 0xB1);                                         // CDAB
  st1 = _mm_shuffle_epi32(st1, 0x1B);                                         // EFGH
  __m128i st0 = _mm_alignr_epi8(tmp, st1, 8);                                 // ABEF
  st1 = _mm_blend_epi16(st1, tmp, 0xF0);                                      // CDGH
  for (; n > 0; --n, p += 64) {
    const __m128i save0 = st0, save1 = st1;
    __m128i m[4];
    for (int i = 0; i < 4; ++i)
      m[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i)), shuf);
    for (int r = 0; r < 16; ++r) {
      __m128i& cur = m[r & 3];
      __m128i msg = _mm_add_epi32(cur, _mm_loadu_si128(reinterpret_cast<const __m128i*>(K + 4 * r)));
      st1 = _mm_sha256rnds2_epu32(st1, st0, msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      st0 = _mm_sha256rnds2_epu32(st0, st1, msg);
      if (r < 12) {
        // Schedule the words for round group r+4 into the slot just used.
        __m128i next = _mm_sha256msg1_epu32(cur, m[(r + 1) & 3]);
        next = _mm_add_epi32(next, _mm_alignr_epi8(m[(r + 3) & 3], m[(r + 2) & 3], 4));
        cur = _mm_sha256msg2_epu32(next, m[(r + 3) & 3]);
      }
    }
    st0 = _mm_add_epi32(st0, save0);
    st1 = _mm_add_epi32(st1, save1);
  }
  tmp = _mm_shuffle_epi32(st0, 0x1B);                                         // FEBA
  st1 = _mm_shuffle_epi32(st1, 0xB1);                                         // DCHG
  st0 = _mm_blend_epi16(tmp, st1, 0xF0);                                      // DCBA
  st1 = _mm_alignr_epi8(st1, tmp, 8);                                         // ABEF
  _mm_storeu_si128(reinterpret_cast<__m128i*>(s), st0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(s + 4), st1);
}

// CPUID: leaf 7 EBX bit 29 = SHA; leaf 1 ECX bits 19/9 = SSE4.1/SSSE3.
bool haveShaNi() {
  static const bool yes = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    bool sse = (c >> 19 & 1) && (c >> 9 & 1);
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    return sse && (b >> 29 & 1);
  }();
  return yes;
}
#endif

std::atomic<bool> gAccelerate{true};

}  // namespace

void Sha256::setAcceleration(bool on) { gAccelerate = on; }

bool Sha256::accelerated() {
#ifdef SLIMBENCH_SHA_NI
  return gAccelerate && haveShaNi();
#else
  return false;
#endif
}

Sha256::Sha256()
    : state_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19} {}

void Sha256::blocks(const std::uint8_t* p, std::size_t n) {
#ifdef SLIMBENCH_SHA_NI
  if (accelerated()) return blocksShaNi(state_.data(), p, n);
#endif
  blocksPortable(state_.data(), p, n);
}

void Sha256::update(const void* data, std::size_t len) {
  auto p = static_cast<const std::uint8_t*>(data);
  total_ += len;
  if (bufLen_ > 0) {
    std::size_t take = std::min(len, 64 - bufLen_);
    std::memcpy(buf_.data() + bufLen_, p, take);
    bufLen_ += take; p += take; len -= take;
    if (bufLen_ < 64) return;
    blocks(buf_.data(), 1);
    bufLen_ = 0;
  }
  if (len >= 64) {
    blocks(p, len / 64);
    p += len / 64 * 64;
    len %= 64;
  }
  std::memcpy(buf_.data(), p, len);
  bufLen_ = len;
}

std::string Sha256::hexDigest() {
  std::uint64_t bits = total_ * 8;
  std::uint8_t pad[72] = {0x80};
  std::size_t padLen = (bufLen_ < 56 ? 56 - bufLen_ : 120 - bufLen_);
  for (int i = 0; i < 8; ++i) pad[padLen + i] = std::uint8_t(bits >> (56 - 8 * i));
  update(pad, padLen + 8);
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (auto w : state_)
    for (int i = 28; i >= 0; i -= 4) out += digits[(w >> i) & 15];
  return out;
}

}  // namespace slimbench::image
