// RedisRateLimiter: fixed-window counters INCR'd in Redis, so the limit is
// per key across every worker process and host. While Redis cannot count
// (unreachable, or an error reply such as OOM under noeviction) the
// process's LocalRateLimiter counts instead: the limit holds, per process.
// One per worker thread (its RedisClient's); `fallback` is the process's.
#pragma once

#include "common/redis_client.h"
#include "fcgi-app/services/local_rate_limiter.h"
#include "fcgi-app/services/rate_limiter.h"

namespace papo {

class RedisRateLimiter final : public RateLimiter {
 public:
  RedisRateLimiter(RedisClient& client, LocalRateLimiter& fallback) : client_(client), fallback_(fallback) {}
  using RateLimiter::Hit;  // one action; the per-user forms
  RateDecision Hit(std::string_view scope, std::string_view key, int cost, int limit, int window_seconds) override;
  RateDecision Peek(std::string_view scope, std::string_view key, int limit, int window_seconds) override;

 private:
  // The fallback's answer (Hit or Peek), after logging the episode's start.
  // `cost` 0: a Peek.
  RateDecision Fallback(std::string_view scope, std::string_view key, int limit, int window_seconds, int cost,
                        const std::string& error);

  RedisClient& client_;
  LocalRateLimiter& fallback_;
};

}  // namespace papo
