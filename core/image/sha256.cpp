#include "image/sha256.h"

#include <openssl/evp.h>

#include <new>
#include <utility>

namespace slimbench::image {
namespace {

EVP_MD_CTX* fresh() {
  EVP_MD_CTX* c = EVP_MD_CTX_new();
  if (!c || EVP_DigestInit_ex(c, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(c);
    throw std::bad_alloc();
  }
  return c;
}

}  // namespace

Sha256::Sha256() : ctx_(fresh()) {}
Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
Sha256::Sha256(Sha256&& o) noexcept : ctx_(std::exchange(o.ctx_, nullptr)) {}
Sha256& Sha256::operator=(Sha256&& o) noexcept {
  std::swap(ctx_, o.ctx_);
  return *this;
}

void Sha256::update(const void* data, std::size_t len) {
  if (len) EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data, len);
}

std::string Sha256::hexDigest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  auto* c = static_cast<EVP_MD_CTX*>(ctx_);
  EVP_DigestFinal_ex(c, md, &n);
  EVP_DigestInit_ex(c, EVP_sha256(), nullptr);  // ready for reuse, as a fresh object
  static const char* digits = "0123456789abcdef";
  std::string s(std::size_t(n) * 2, '0');
  for (unsigned i = 0; i < n; ++i) {
    s[2 * i] = digits[md[i] >> 4];
    s[2 * i + 1] = digits[md[i] & 15];
  }
  return s;
}

}  // namespace slimbench::image
