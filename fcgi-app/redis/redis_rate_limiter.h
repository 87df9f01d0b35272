// RedisRateLimiter: fixed-window counters INCR'd in Redis, so the limit is
// per user across every worker process and host.
#pragma once

#include "common/redis_client.h"
#include "fcgi-app/services/rate_limiter.h"

namespace papo {

class RedisRateLimiter final : public RateLimiter {
 public:
  explicit RedisRateLimiter(RedisClient& client) : client_(client) {}
  RateDecision Hit(std::string_view scope, int64_t usuario_id, int limit, int window_seconds) override;

 private:
  RedisClient& client_;
};

}  // namespace papo
