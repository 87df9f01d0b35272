// AuthService: accounts and sessions (DESIGN §2 usuario/sessao, §3 login,
// cadastro, logout). The cookie carries a random token; the database keeps
// its SHA-256, so a leaked database does not leak live sessions.
#pragma once

#include <optional>

#include "common/config.h"
#include "common/publisher.h"
#include "fcgi-app/db/session_repository.h"
#include "fcgi-app/db/user_repository.h"
#include "fcgi-app/services/session_cache.h"
#include "fcgi-app/services/validation.h"

namespace papo {

struct NewSession {
  std::string token;  // goes into the papo_session cookie, never stored
  Session session;
};

class AuthService final {
 public:
  // `publisher` announces logouts to the pushers and to every papo-app's
  // `cache` (EndSession); `cache` is the process's.
  AuthService(UserRepository& users, SessionRepository& sessions, Publisher& publisher, SessionCache& cache,
              const Config& config)
      : users_(users), sessions_(sessions), publisher_(publisher), cache_(cache), config_(config) {}

  // Creates the account and its first session. Conflict: e-mail taken.
  Result<NewSession> Register(const RegistrationInput& input);
  // Unauthenticated for an unknown e-mail or a wrong password (same error,
  // same time spent).
  Result<NewSession> Login(const LoginInput& input);
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
  const Config& config_;
};

}  // namespace papo
