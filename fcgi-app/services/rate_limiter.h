// RateLimiter: counts actions per user in fixed windows, shared by every
// papo-app process (RedisRateLimiter keeps the counters in Redis; while it
// cannot, LocalRateLimiter counts per process).
#pragma once

#include <cstdint>
#include <string_view>

namespace papo {

struct RateDecision {
  bool allowed = true;
  int retry_after_seconds = 0;  // when !allowed: until the window ends
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Counts one action of `scope` ("mensagem", "digitando") for the user and
  // says whether it is within `limit` per `window_seconds`. limit 0 = no
  // limit. When the shared counters cannot be reached the limit still holds,
  // counted in this process (LocalRateLimiter).
  virtual RateDecision Hit(std::string_view scope, int64_t usuario_id, int limit, int window_seconds) = 0;
};

}  // namespace papo
