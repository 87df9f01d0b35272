// LoginLimits: the abuse limits of login and cadastro (DESIGN §11), so
// that guessing passwords or flooding the forms costs the attacker more
// than papo-app:
//   - per client address: login + cadastro attempts per minute
//     (CHAT_IP_RATE_LIMIT), counted before anything else;
//   - per e-mail: failed logins per 15 minutes (CHAT_LOGIN_RATE_LIMIT).
//     Checked before the password hash and counted only when the password
//     was wrong, for known and unknown e-mails alike (a refusal says
//     nothing about whether the account exists). A successful login does
//     not reset the count: the owner's logins must not give a guesser a
//     fresh budget, so the budget is strictly N failures per window;
//   - per process: at most PAPO_MAX_PASSWORD_HASHES hashes at once; a
//     request waits up to kHashWait for a slot, then gets 503.
// The counters are Redis's (every process and host shares them), the
// process's own while Redis cannot count (RateLimiter).
//
// One per worker thread (inside its AuthService); `limiter` is the
// thread's, `hash_slots` the process's.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/config.h"
#include "common/status.h"
#include "fcgi-app/services/password_hash_slots.h"
#include "fcgi-app/services/rate_limiter.h"

namespace papo {

// A login or cadastro answered before any password work.
struct AuthRefusal {
  Status::Code code = Status::Code::kResourceExhausted;  // 429, or kUnavailable: 503
  int retry_after_seconds = 1;
  std::string message;  // pt-BR, for the form's page
};

class LoginLimits final {
 public:
  static constexpr std::string_view kAddressScope = "entrada-ip";
  static constexpr std::string_view kEmailScope = "login-email";
  static constexpr int kAddressWindowSeconds = 60;
  static constexpr int kEmailWindowSeconds = 15 * 60;
  static constexpr std::chrono::milliseconds kHashWait{2000};

  LoginLimits(RateLimiter& limiter, PasswordHashSlots& hash_slots, const Config& config)
      : limiter_(limiter), hash_slots_(hash_slots), config_(config) {}

  // Counts one login or cadastro attempt from `client_address` (REMOTE_ADDR
  // as nginx passes it); a refusal when the address is over its limit.
  std::optional<AuthRefusal> CountAttempt(std::string_view client_address);
  // A refusal when `email` has used up its failed logins in this window.
  std::optional<AuthRefusal> EmailLocked(std::string_view email);
  void CountFailedLogin(std::string_view email);
  // A hash slot, or nullopt after kHashWait (the caller answers Busy()).
  std::optional<PasswordHashSlots::Slot> HashSlot() { return hash_slots_.Acquire(kHashWait); }
  static AuthRefusal Busy();

  // The e-mail's counter key: SHA-256 hex of the case-folded address, so
  // Redis never holds anyone's e-mail.
  static std::string EmailKey(std::string_view email);

 private:
  RateLimiter& limiter_;
  PasswordHashSlots& hash_slots_;
  const Config& config_;
};

}  // namespace papo
