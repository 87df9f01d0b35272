// SessionRepository: the `sessao` table. Tokens arrive already hashed.
#pragma once

#include <optional>

#include "fcgi-app/db/database.h"
#include "fcgi-app/db/models.h"

namespace papo {

class SessionRepository final {
 public:
  explicit SessionRepository(Database& db) : db_(db) {}

  Status Create(std::string_view token_hash, int64_t usuario_id, std::string_view csrf_token, int64_t now_ms,
                int64_t expira_em_ms);
  // The session with `token_hash` that has not expired at `now_ms`.
  Result<std::optional<Session>> FindLive(std::string_view token_hash, int64_t now_ms);
  Status Delete(std::string_view token_hash);
  Status DeleteExpired(int64_t now_ms);

 private:
  Database& db_;
};

}  // namespace papo
