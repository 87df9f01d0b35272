// LocalRateLimiter: the same fixed-window counters as RedisRateLimiter,
// kept in this process's memory. It is the fallback every limit uses while
// Redis cannot count (unreachable, or answering errors such as OOM), so a
// limit never switches off; the price is that each papo-app process counts
// on its own (N processes let a user through N times the limit).
//
// It also remembers whether the process is in such an episode, so the
// outage is logged once when it starts and once when Redis answers again,
// not per request.
//
// Thread-safe: one per process (constructed in main.cc, like the
// SessionCache), shared by every worker thread's RedisRateLimiter.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "fcgi-app/services/rate_limiter.h"

namespace papo {

class LocalRateLimiter final : public RateLimiter {
 public:
  using RateLimiter::Hit;  // one action; the per-user forms
  RateDecision Hit(std::string_view scope, std::string_view key, int cost, int limit, int window_seconds) override;
  RateDecision Peek(std::string_view scope, std::string_view key, int limit, int window_seconds) override;
  // Hit and Peek at `now_ms` (the clock seam for tests).
  RateDecision HitAt(std::string_view scope, std::string_view key, int limit, int window_seconds, int64_t now_ms,
                     int cost = 1);
  RateDecision HitAt(std::string_view scope, int64_t usuario_id, int limit, int window_seconds, int64_t now_ms) {
    return HitAt(scope, std::string_view(std::to_string(usuario_id)), limit, window_seconds, now_ms);
  }
  RateDecision PeekAt(std::string_view scope, std::string_view key, int limit, int window_seconds, int64_t now_ms);

  // True for the call that starts an episode (the caller logs it).
  bool StartEpisode();
  // True for the call that ends one.
  bool EndEpisode();
  bool in_episode() const;
  size_t size() const;

 private:
  struct Counter {
    int64_t window_end_ms = 0;
    int64_t count = 0;
  };
  void SweepLocked(int64_t now_ms);
  // Counts (count_it) or only reads the key's counter in the window.
  // `cost` 0 is a Peek: nothing is counted.
  RateDecision Decide(std::string_view scope, std::string_view key, int limit, int window_seconds, int64_t now_ms,
                      int cost);

  mutable std::mutex mutex_;
  std::atomic<bool> in_episode_{false};  // read by every request: no lock
  int64_t next_sweep_ms_ = 0;
  std::map<std::pair<std::string, std::string>, Counter, std::less<>> counters_;
};

}  // namespace papo
