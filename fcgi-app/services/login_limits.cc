#include "fcgi-app/services/login_limits.h"

#include "common/log.h"
#include "fcgi-app/services/crypto.h"

namespace papo {
namespace {

// "40 s" or, from a minute on, "3 min" (rounded up): the page says how long.
std::string WaitText(int seconds) {
  if (seconds < 60) return std::to_string(seconds) + " s";
  return std::to_string((seconds + 59) / 60) + " min";
}

}  // namespace

std::optional<AuthRefusal> LoginLimits::CountAttempt(std::string_view client_address) {
  RateDecision decision =
      limiter_.Hit(kAddressScope, client_address, config_.ip_rate_limit, kAddressWindowSeconds);
  if (decision.allowed) return std::nullopt;
  // Debug only: a flood would otherwise write a line per request.
  Log(LogLevel::kDebug, "login_address_limited").Kv("endereco", client_address);
  return AuthRefusal{Status::Code::kResourceExhausted, decision.retry_after_seconds,
                     "Muitas tentativas de entrada a partir da sua rede. Aguarde " +
                         WaitText(decision.retry_after_seconds) + " e tente de novo."};
}

std::optional<AuthRefusal> LoginLimits::EmailLocked(std::string_view email) {
  RateDecision decision =
      limiter_.Peek(kEmailScope, EmailKey(email), config_.login_rate_limit, kEmailWindowSeconds);
  if (decision.allowed) return std::nullopt;
  return AuthRefusal{Status::Code::kResourceExhausted, decision.retry_after_seconds,
                     "Muitas tentativas de entrada com este e-mail. Aguarde " +
                         WaitText(decision.retry_after_seconds) + " e tente de novo."};
}

void LoginLimits::CountFailedLogin(std::string_view email) {
  // The answer does not matter here: this attempt was already refused with
  // 401; the next one reads the count (EmailLocked) before hashing.
  (void)limiter_.Hit(kEmailScope, EmailKey(email), config_.login_rate_limit, kEmailWindowSeconds);
}

AuthRefusal LoginLimits::Busy() {
  return AuthRefusal{Status::Code::kUnavailable, 2,
                     "Muitas entradas ao mesmo tempo. Tente de novo em alguns segundos."};
}

std::string LoginLimits::EmailKey(std::string_view email) {
  std::string folded(email);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return Sha256Hex(folded);
}

}  // namespace papo
