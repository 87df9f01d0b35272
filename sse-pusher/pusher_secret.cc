#include "sse-pusher/pusher_secret.h"

#include <sodium.h>

#include <array>
#include <string>

namespace papo::pusher {
namespace {

constexpr size_t kMinSecretLength = 16;
constexpr size_t kMaxSecretLength = 256;

bool IsSecretChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '~' || c == '+' || c == '/' || c == '=' || c == '-';
}

using Digest = std::array<unsigned char, crypto_generichash_BYTES>;

// Hashing first gives both sides one length, so the comparison cannot
// leak the secret's length either.
Digest Hash(std::string_view text) {
  Digest digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     nullptr, 0);
  return digest;
}

}  // namespace

Status ValidatePusherSecret(std::string_view secret) {
  if (secret.size() < kMinSecretLength || secret.size() > kMaxSecretLength) {
    return Status::InvalidArgument("PAPO_PUSHER_SECRET: expected 16 to 256 characters (e.g. `openssl rand -hex 32`), got " +
                                   std::to_string(secret.size()));
  }
  for (char c : secret) {
    if (!IsSecretChar(c)) {
      return Status::InvalidArgument("PAPO_PUSHER_SECRET: only letters, digits and . _ ~ + / = - are allowed");
    }
  }
  return Status::Ok();
}

bool PusherSecretMatches(std::string_view expected, std::optional<std::string_view> presented) {
  if (!presented) return false;
  Digest want = Hash(expected);
  Digest got = Hash(*presented);
  return sodium_memcmp(want.data(), got.data(), want.size()) == 0;
}

}  // namespace papo::pusher
