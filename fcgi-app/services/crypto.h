// Secrets with libsodium: random tokens, token hashes, argon2id passwords.
// REQUIRES: sodium_init() succeeded (main does it before any thread).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace papo {

// `bytes` random bytes as URL-safe base64 without padding.
std::string RandomToken(size_t bytes = 32);

// Lower-case hex SHA-256 (what `sessao.token_hash` stores).
std::string Sha256Hex(std::string_view text);

// argon2id via crypto_pwhash_str with the INTERACTIVE limits.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view hash, std::string_view password);

// Spends the time of a verification against a fixed hash, so a login for an
// unknown e-mail takes as long as one with a wrong password.
void VerifyAgainstDummy(std::string_view password);

// Constant-time comparison of two tokens (CSRF).
bool TokensEqual(std::string_view a, std::string_view b);

}  // namespace papo
