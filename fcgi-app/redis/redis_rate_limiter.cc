#include "fcgi-app/redis/redis_rate_limiter.h"

#include "common/log.h"
#include "common/redis_names.h"
#include "common/time_format.h"

namespace papo {

RateDecision RedisRateLimiter::Hit(std::string_view scope, int64_t usuario_id, int limit, int window_seconds) {
  if (limit <= 0) return {};
  int64_t now_ms = NowMillis();
  int64_t window = now_ms / (int64_t{window_seconds} * 1000);
  std::string key = RateLimitKey(scope, usuario_id, window);
  // INCR and EXPIRE in one round trip; the key outlives its window a little
  // so a clock skew between hosts does not reset a counter early.
  auto replies = client_.Pipeline({{"INCR", key}, {"EXPIRE", key, std::to_string(window_seconds * 2)}});
  if (!replies.ok()) return Fallback(scope, usuario_id, limit, window_seconds, replies.status().message());
  const redisReply* count = (*replies)[0].get();
  if (count->type != REDIS_REPLY_INTEGER) {
    std::string error = count->type == REDIS_REPLY_ERROR ? std::string(count->str, count->len) : "INCR: not an integer";
    return Fallback(scope, usuario_id, limit, window_seconds, error);
  }
  if (fallback_.EndEpisode()) Log(LogLevel::kInfo, "rate_limit_redis_back");
  if (count->integer <= limit) return {};
  int64_t window_end_ms = (window + 1) * int64_t{window_seconds} * 1000;
  int retry_after = static_cast<int>((window_end_ms - now_ms + 999) / 1000);
  return {false, retry_after < 1 ? 1 : retry_after};
}

// Logged once per episode (per process), not per request: an outage would
// otherwise write a line for every message sent.
RateDecision RedisRateLimiter::Fallback(std::string_view scope, int64_t usuario_id, int limit, int window_seconds,
                                        const std::string& error) {
  if (fallback_.StartEpisode()) {
    Log(LogLevel::kWarn, "rate_limit_fallback").Kv("scope", scope).Kv("error", error);
  }
  return fallback_.Hit(scope, usuario_id, limit, window_seconds);
}

}  // namespace papo
