#pragma once
// SHA-256 for verifying image blob digests while they stream past (no OpenSSL
// dependency). Uses the x86 SHA extensions when the CPU has them.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace slimbench::image {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t len);
  // Finishes and returns the 64-character lowercase hex digest.
  std::string hexDigest();

  // Tests turn the SHA-extension path off to check the portable one.
  static void setAcceleration(bool on);
  static bool accelerated();

  static std::string hex(std::string_view data) {
    Sha256 h;
    h.update(data.data(), data.size());
    return h.hexDigest();
  }

 private:
  void blocks(const std::uint8_t* p, std::size_t n);
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buf_{};
  std::size_t bufLen_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace slimbench::image
