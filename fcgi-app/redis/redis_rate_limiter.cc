#include "fcgi-app/redis/redis_rate_limiter.h"

#include <cstdlib>

#include "common/log.h"
#include "common/bus/names.h"
#include "common/time_format.h"

namespace papo {
namespace {

RateDecision Refused(int64_t window, int window_seconds, int64_t now_ms) {
  int64_t window_end_ms = (window + 1) * int64_t{window_seconds} * 1000;
  int retry_after = static_cast<int>((window_end_ms - now_ms + 999) / 1000);
  return {false, retry_after < 1 ? 1 : retry_after};
}

}  // namespace

RateDecision RedisRateLimiter::Hit(std::string_view scope, std::string_view key, int cost, int limit,
                                   int window_seconds) {
  if (limit <= 0 || window_seconds <= 0) return {};
  if (cost < 1) cost = 1;
  int64_t now_ms = NowMillis();
  int64_t window = now_ms / (int64_t{window_seconds} * 1000);
  std::string name = RateLimitKey(scope, key, window);
  // INCRBY and EXPIRE in one round trip; the key outlives its window a
  // little so a clock skew between hosts does not reset a counter early.
  auto replies = client_.Pipeline(
      {{"INCRBY", name, std::to_string(cost)}, {"EXPIRE", name, std::to_string(window_seconds * 2)}});
  if (!replies.ok()) return Fallback(scope, key, limit, window_seconds, cost, replies.status().message());
  const redisReply* count = (*replies)[0].get();
  if (count->type != REDIS_REPLY_INTEGER) {
    std::string error =
        count->type == REDIS_REPLY_ERROR ? std::string(count->str, count->len) : "INCRBY: not an integer";
    return Fallback(scope, key, limit, window_seconds, cost, error);
  }
  if (fallback_.EndEpisode()) Log(LogLevel::kInfo, "rate_limit_redis_back");
  if (count->integer <= limit) return {};
  return Refused(window, window_seconds, now_ms);
}

// A GET: refused once the count has reached the limit (the next Hit would
// be refused). Reads never end an outage episode: only a counted write
// proves Redis takes writes again (an OOM Redis still answers GET).
RateDecision RedisRateLimiter::Peek(std::string_view scope, std::string_view key, int limit, int window_seconds) {
  if (limit <= 0 || window_seconds <= 0) return {};
  if (fallback_.in_episode()) return fallback_.Peek(scope, key, limit, window_seconds);
  int64_t now_ms = NowMillis();
  int64_t window = now_ms / (int64_t{window_seconds} * 1000);
  auto reply = client_.Command({"GET", RateLimitKey(scope, key, window)});
  if (!reply.ok()) return Fallback(scope, key, limit, window_seconds, 0, reply.status().message());
  const redisReply* value = reply->get();
  if (value->type == REDIS_REPLY_NIL) return {};
  if (value->type != REDIS_REPLY_STRING) return Fallback(scope, key, limit, window_seconds, 0, "GET: not a string");
  if (std::atoll(std::string(value->str, value->len).c_str()) < limit) return {};
  return Refused(window, window_seconds, now_ms);
}

// Logged once per episode (per process), not per request: an outage would
// otherwise write a line for every message sent.
RateDecision RedisRateLimiter::Fallback(std::string_view scope, std::string_view key, int limit, int window_seconds,
                                        int cost, const std::string& error) {
  if (fallback_.StartEpisode()) {
    Log(LogLevel::kWarn, "rate_limit_fallback").Kv("scope", scope).Kv("error", error);
  }
  return cost > 0 ? fallback_.Hit(scope, key, cost, limit, window_seconds)
                  : fallback_.Peek(scope, key, limit, window_seconds);
}

}  // namespace papo
