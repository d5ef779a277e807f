#pragma once
// SHA-256 for verifying image blob digests while they stream past. A thin
// wrapper over OpenSSL's libcrypto (EVP), which picks the SHA-NI / AVX2 code
// paths for the CPU itself: no crypto code is maintained here.
#include <cstddef>
#include <string>
#include <string_view>

namespace slimbench::image {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  Sha256(Sha256&& o) noexcept;
  Sha256& operator=(Sha256&& o) noexcept;

  void update(const void* data, std::size_t len);
  // Finishes and returns the 64-character lowercase hex digest.
  std::string hexDigest();

  static std::string hex(std::string_view data) {
    Sha256 h;
    h.update(data.data(), data.size());
    return h.hexDigest();
  }

 private:
  void* ctx_ = nullptr;  // EVP_MD_CTX
};

}  // namespace slimbench::image
