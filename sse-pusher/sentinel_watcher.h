// SentinelWatcher: hears a failover the moment a sentinel announces it.
//
// With a redis-sentinel:// address the pusher's connections would find the
// new master by themselves (they ask the sentinels before every
// reconnect), but only at their next backoff step, and a master demoted
// while still up keeps their connections open. So the watcher keeps a
// subscription to `+switch-master` on every sentinel (each its own
// RedisConnection, reconnecting with backoff) and, when the master it
// announces is ours, tells `on_switch` the new address at once. Every
// sentinel announces the same switch: `on_switch` must be idempotent
// (RedisConnection::FollowMaster is). Thread-compatible (loop thread only).
#pragma once

#include <hiredis/async.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/config.h"
#include "sse-pusher/event_loop.h"
#include "sse-pusher/metrics.h"
#include "sse-pusher/redis_connection.h"

namespace papo::pusher {

class SentinelWatcher final {
 public:
  using OnSwitch = std::function<void(const RedisHostPort& master)>;

  // REQUIRES: address.mode == RedisMode::kSentinel. `loop` and `metrics`
  // must outlive the watcher.
  SentinelWatcher(EventLoop& loop, PusherMetrics& metrics, const RedisAddress& address, int connect_timeout_ms,
                  OnSwitch on_switch);
  ~SentinelWatcher();
  SentinelWatcher(const SentinelWatcher&) = delete;
  SentinelWatcher& operator=(const SentinelWatcher&) = delete;

  void Start();
  void Stop();

 private:
  void Subscribe(RedisConnection& connection);
  void HandleMessage(const redisReply* reply);
  static void OnMessage(redisAsyncContext* context, void* reply, void* privdata) noexcept;

  std::string master_name_;
  OnSwitch on_switch_;
  std::vector<std::unique_ptr<RedisConnection>> connections_;  // one per sentinel
};

}  // namespace papo::pusher
