// AuthService: accounts and sessions (DESIGN §2 usuario/sessao, §3 login,
// cadastro, logout). The cookie carries a random token; the database keeps
// its SHA-256, so a leaked database does not leak live sessions.
#pragma once

#include <optional>

#include "common/config.h"
#include "common/publisher.h"
#include "fcgi-app/db/session_repository.h"
#include "fcgi-app/db/user_repository.h"
#include "fcgi-app/services/login_limits.h"
#include "fcgi-app/services/session_cache.h"
#include "fcgi-app/services/validation.h"

namespace papo {

struct NewSession {
  std::string token;  // goes into the papo_session cookie, never stored
  Session session;
};

// A login or cadastro that passed its limits has a session; one turned
// away before any password work (LoginLimits) has a refusal instead.
struct AuthOutcome {
  std::optional<NewSession> created;
  AuthRefusal refusal;  // when !created
};

class AuthService final {
 public:
  // `publisher` announces logouts to the pushers and to every papo-app's
  // `cache` (EndSession); `cache` is the process's.
  // `limiter` is the thread's, `hash_slots` the process's (LoginLimits).
  AuthService(UserRepository& users, SessionRepository& sessions, Publisher& publisher, SessionCache& cache,
              RateLimiter& limiter, PasswordHashSlots& hash_slots, const Config& config)
      : users_(users),
        sessions_(sessions),
        publisher_(publisher),
        cache_(cache),
        limits_(limiter, hash_slots, config),
        config_(config) {}

  // Counts a login or cadastro attempt from `client_address` (per-address
  // limit); a refusal when it is over. Call before Login/Register.
  std::optional<AuthRefusal> CountAttempt(std::string_view client_address) {
    return limits_.CountAttempt(client_address);
  }
  // Creates the account and its first session, or refuses (every hash slot
  // busy). Conflict: e-mail taken.
  Result<AuthOutcome> Register(const RegistrationInput& input);
  // A session, or a refusal (the e-mail's failed logins used up, every hash
  // slot busy). Unauthenticated for an unknown e-mail or a wrong password
  // (same error, same time spent, same count against the e-mail).
  Result<AuthOutcome> Login(const LoginInput& input);
  // The live session for a cookie token, if any (from the process's cache
  // when it holds it, else from the database).
  Result<std::optional<Session>> Authenticate(std::string_view token);
  // Deletes the session, then tells the pushers to close its streams.
  Status Logout(const Session& session);

  // The session's id for its streams (X-Papo-Session-Id, papo:sessoes): a
  // hash of the stored token hash, so it is stable for the session, says
  // nothing about the cookie, and is no key to the database row either.
  static std::string StreamSessionId(const Session& session);

 private:
  Result<NewSession> StartSession(const User& user);

  UserRepository& users_;
  SessionRepository& sessions_;
  Publisher& publisher_;
  SessionCache& cache_;
  LoginLimits limits_;
  const Config& config_;
};

}  // namespace papo
