#include "fcgi-app/services/auth_service.h"

#include "common/log.h"
#include "common/time_format.h"
#include "fcgi-app/services/crypto.h"

namespace papo {

Result<NewSession> AuthService::StartSession(const User& user) {
  int64_t now = NowMillis();
  NewSession created;
  created.token = RandomToken();
  created.session.usuario_id = user.id;
  created.session.nome = user.nome;
  created.session.email = user.email;
  created.session.csrf_token = RandomToken();
  created.session.token_hash = Sha256Hex(created.token);
  created.session.expira_em = now + int64_t{config_.session_days} * 86'400'000;
  PAPO_RETURN_IF_ERROR(sessions_.Create(created.session.token_hash, user.id, created.session.csrf_token, now,
                                        created.session.expira_em));
  return created;
}

Result<AuthOutcome> AuthService::Register(const RegistrationInput& input) {
  Result<std::string> hash = Status::Internal("no hash");
  {
    auto slot = limits_.HashSlot();
    if (!slot) return AuthOutcome{std::nullopt, LoginLimits::Busy()};
    hash = HashPassword(input.senha);
  }
  if (!hash.ok()) return hash.status();
  User user;
  user.nome = input.nome;
  user.email = input.email;
  user.criado_em = NowMillis();
  auto id = users_.Create(user.nome, user.email, *hash, user.criado_em);
  if (!id.ok()) return id.status();  // Conflict when the e-mail is taken
  user.id = *id;
  Log(LogLevel::kInfo, "user_registered").Kv("usuario_id", user.id);
  auto created = StartSession(user);
  if (!created.ok()) return created.status();
  return AuthOutcome{std::move(created).value(), {}};
}

// The e-mail's count is read before the hash and counted after a wrong
// password, whether or not the account exists (so a refusal reveals
// nothing). Concurrent guesses that all read the count just below the
// limit each get their hash: the overshoot is bounded by the hash slots.
Result<AuthOutcome> AuthService::Login(const LoginInput& input) {
  if (auto locked = limits_.EmailLocked(input.email)) return AuthOutcome{std::nullopt, std::move(*locked)};
  auto user = users_.FindByEmail(input.email);
  if (!user.ok()) return user.status();
  bool verified = false;
  {
    auto slot = limits_.HashSlot();
    if (!slot) return AuthOutcome{std::nullopt, LoginLimits::Busy()};
    if (!user->has_value()) {
      VerifyAgainstDummy(input.senha);
    } else {
      verified = VerifyPassword((*user)->senha_hash, input.senha);
    }
  }
  if (!verified) {
    limits_.CountFailedLogin(input.email);
    return Status::Unauthenticated("E-mail ou senha incorretos.");
  }
  // Logins are rare next to requests: a good moment to drop dead sessions.
  Status cleanup = sessions_.DeleteExpired(NowMillis());
  if (!cleanup.ok()) Log(LogLevel::kWarn, "session_cleanup_failed").Kv("error", cleanup.message());
  auto created = StartSession(**user);
  if (!created.ok()) return created.status();
  return AuthOutcome{std::move(created).value(), {}};
}

Result<std::optional<Session>> AuthService::Authenticate(std::string_view token) {
  if (token.empty() || token.size() > 128) return std::optional<Session>();
  std::string token_hash = Sha256Hex(token);
  int64_t now = NowMillis();
  if (auto cached = cache_.Find(token_hash, now)) return cached;
  uint64_t version = cache_.Version();
  auto found = sessions_.FindLive(token_hash, now);
  if (found.ok() && found->has_value()) cache_.Put(**found, StreamSessionId(**found), now, version);
  return found;
}

Status AuthService::Logout(const Session& session) {
  PAPO_RETURN_IF_ERROR(sessions_.Delete(session.token_hash));
  cache_.Forget(session.token_hash);
  // Redis down: the logout still succeeds (the session is gone, which is
  // what protects the account). The open streams then end at their next
  // reconnect (auth_request answers 401) or at the session's original
  // expiry; refusing the logout over a notice would be worse. Other
  // papo-app processes' session caches are empty while their feed is cut
  // off from Redis; an announcement lost with Redis up leaves the session
  // in them for at most SessionCache::kMaxAgeMs.
  Status notified = publisher_.EndSession(StreamSessionId(session));
  if (!notified.ok()) {
    Log(LogLevel::kWarn, "logout_not_announced").Kv("usuario_id", session.usuario_id).Kv("error", notified.message());
  }
  return Status::Ok();
}

std::string AuthService::StreamSessionId(const Session& session) {
  // 64 bits: unique enough among live sessions (a collision only costs a
  // stream of the other session one reconnect).
  return Sha256Hex("papo-stream:" + session.token_hash).substr(0, 16);
}

}  // namespace papo
