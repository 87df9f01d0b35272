// RateLimiter: counts actions per key (a user id, a client address, an
// e-mail's hash) in fixed windows, shared by every papo-app process
// (RedisRateLimiter keeps the counters in Redis; while it cannot,
// LocalRateLimiter counts per process).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace papo {

struct RateDecision {
  bool allowed = true;
  int retry_after_seconds = 0;  // when !allowed: until the window ends
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Counts one action of `scope` ("mensagem", "entrada-ip") for `key` and
  // says whether it is within `limit` per `window_seconds`. limit 0 = no
  // limit. When the shared counters cannot be reached the limit still holds,
  // counted in this process (LocalRateLimiter). `key` goes into a Redis key
  // as is: callers hash what Redis should not hold (e-mail addresses).
  // `cost` actions at once (inviting N people is N invitations: one round
  // trip, not N). Refused when the count passes `limit` with them.
  virtual RateDecision Hit(std::string_view scope, std::string_view key, int cost, int limit, int window_seconds) = 0;
  RateDecision Hit(std::string_view scope, std::string_view key, int limit, int window_seconds) {
    return Hit(scope, key, 1, limit, window_seconds);
  }
  // Whether `key` has already used up `limit` in the current window, without
  // counting anything (a login checks this before spending a password hash,
  // and counts only when the password was wrong).
  virtual RateDecision Peek(std::string_view scope, std::string_view key, int limit, int window_seconds) = 0;

  // The per-user form: the key is the user id.
  RateDecision Hit(std::string_view scope, int64_t usuario_id, int limit, int window_seconds) {
    return Hit(scope, std::string_view(std::to_string(usuario_id)), 1, limit, window_seconds);
  }
  RateDecision Hit(std::string_view scope, int64_t usuario_id, int cost, int limit, int window_seconds) {
    return Hit(scope, std::string_view(std::to_string(usuario_id)), cost, limit, window_seconds);
  }
};

}  // namespace papo
