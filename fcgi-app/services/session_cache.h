// SessionCache: the live sessions this papo-app process looked up lately,
// so that a request usually costs no database read for its session (on
// PostgreSQL each read is a round trip: bench/README.md finding 10).
//
// A logout anywhere must end the session everywhere at once, so a cached
// session is used only while the cache is in sync: the process is
// subscribed to the bus's session-end channel (papo:sessoes, where every
// logout is announced; RedisSessionFeed), and the cache was empty when that
// subscription began. Out of sync (Redis down, reconnecting) the cache is
// empty and every lookup goes to the database. An entry also lives at most
// kMaxAge (a logout whose announcement was lost) and never past its
// session's expiry.
//
// Thread-safe: shared by the process's request threads and its feed.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fcgi-app/db/models.h"

namespace papo {

class SessionCache final {
 public:
  static constexpr int64_t kMaxAgeMs = 10'000;
  static constexpr size_t kMaxEntries = 100'000;

  // The session for `token_hash` if cached, in sync, younger than kMaxAge
  // and not expired at `now_ms`.
  std::optional<Session> Find(std::string_view token_hash, int64_t now_ms);
  // Taken before a database lookup and given back to Put: a logout that
  // was announced while the lookup ran could otherwise be cached over.
  uint64_t Version() const;
  // Keeps `session` (found in the database at `now_ms`) when in sync and
  // nothing was forgotten since `version`. `stream_id` is its announced id
  // (AuthService::StreamSessionId).
  void Put(const Session& session, std::string_view stream_id, int64_t now_ms, uint64_t version);
  // A logout in this process.
  void Forget(std::string_view token_hash);
  // A logout announced on the bus.
  void ForgetAnnounced(std::string_view stream_id);
  // The feed's state: entering or leaving sync empties the cache.
  void SetInSync(bool in_sync);
  bool in_sync() const;
  size_t size() const;

 private:
  struct Entry {
    Session session;
    std::string stream_id;
    int64_t cached_at_ms = 0;
  };
  void EraseLocked(std::unordered_map<std::string, Entry>::iterator it);

  mutable std::mutex mutex_;
  bool in_sync_ = false;
  uint64_t version_ = 0;  // bumped by every Forget*, SetInSync
  std::unordered_map<std::string, Entry> by_token_hash_;
  std::unordered_map<std::string, std::string> token_hash_by_stream_id_;
};

}  // namespace papo
