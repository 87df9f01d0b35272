#include "fcgi-app/services/local_rate_limiter.h"

#include <iterator>

#include "common/time_format.h"

namespace papo {

RateDecision LocalRateLimiter::Hit(std::string_view scope, std::string_view key, int cost, int limit,
                                   int window_seconds) {
  return HitAt(scope, key, limit, window_seconds, NowMillis(), cost);
}

RateDecision LocalRateLimiter::Peek(std::string_view scope, std::string_view key, int limit, int window_seconds) {
  return PeekAt(scope, key, limit, window_seconds, NowMillis());
}

RateDecision LocalRateLimiter::HitAt(std::string_view scope, std::string_view key, int limit, int window_seconds,
                                     int64_t now_ms, int cost) {
  return Decide(scope, key, limit, window_seconds, now_ms, cost < 1 ? 1 : cost);
}

RateDecision LocalRateLimiter::PeekAt(std::string_view scope, std::string_view key, int limit, int window_seconds,
                                      int64_t now_ms) {
  return Decide(scope, key, limit, window_seconds, now_ms, 0);
}

// The windows are the Redis limiter's (now / window), so a key's window
// ends at the same instant whichever of the two counts it. A Hit is refused
// once the count passes the limit; a Peek once the count has reached it
// (the next Hit would be refused).
RateDecision LocalRateLimiter::Decide(std::string_view scope, std::string_view key, int limit, int window_seconds,
                                      int64_t now_ms, int cost) {
  if (limit <= 0 || window_seconds <= 0) return {};
  const int64_t window_ms = int64_t{window_seconds} * 1000;
  const int64_t window_end_ms = (now_ms / window_ms + 1) * window_ms;
  std::lock_guard lock(mutex_);
  SweepLocked(now_ms);
  int64_t count = 0;
  if (cost > 0) {
    Counter& counter = counters_[{std::string(scope), std::string(key)}];
    if (counter.window_end_ms != window_end_ms) counter = Counter{window_end_ms, 0};
    count = counter.count += cost;
  } else {
    // A Peek adds no entry: reading must not grow the map.
    auto it = counters_.find(std::pair<std::string, std::string>(scope, key));
    if (it != counters_.end() && it->second.window_end_ms == window_end_ms) count = it->second.count + 1;
  }
  if (count <= limit) return {};
  int retry_after = static_cast<int>((window_end_ms - now_ms + 999) / 1000);
  return {false, retry_after < 1 ? 1 : retry_after};
}

// Counters of ended windows are forgotten about once a second, so the map
// holds only the keys active in the current windows.
void LocalRateLimiter::SweepLocked(int64_t now_ms) {
  if (now_ms < next_sweep_ms_) return;
  next_sweep_ms_ = now_ms + 1000;
  for (auto it = counters_.begin(); it != counters_.end();) {
    it = it->second.window_end_ms <= now_ms ? counters_.erase(it) : std::next(it);
  }
}

bool LocalRateLimiter::StartEpisode() { return !in_episode_.exchange(true); }

// Called for every request Redis counted: a load, and a write only once.
bool LocalRateLimiter::EndEpisode() { return in_episode_.load() && in_episode_.exchange(false); }

bool LocalRateLimiter::in_episode() const { return in_episode_.load(); }

size_t LocalRateLimiter::size() const {
  std::lock_guard lock(mutex_);
  return counters_.size();
}

}  // namespace papo
