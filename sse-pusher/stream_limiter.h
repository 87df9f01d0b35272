// StreamLimiter: CHAT_MAX_STREAMS_PER_USER (DESIGN §11), the cap on one
// user's open streams (room and list) over every pusher together, so that
// one account cannot hold a room's CHAT_MAX_CONNECTIONS_PER_ROOM by itself.
//
// The count lives in Redis (common/bus/lua/stream_acquire.lua, stream_refresh.lua): a stream that opens
// asks with one script that checks and adds atomically; a stream that
// closes removes its member; every presence_refresh_ms this process
// rewrites its members (StreamLedger), so a killed pusher's streams stop
// counting after presence_ttl_ms and a restarted Redis gets them back.
//
// Asynchronous: Acquire() returns at once and the answer comes with the
// script's reply; the loop never waits for Redis.
//
// Redis down or erroring: the answer is taken in-process from this
// process's own streams of the user, so the cap still holds per pusher.
// One `stream_limit_fallback` line per episode; `stream_limit_redis_back`
// when a script succeeds again, and then everything is rewritten at once.
//
// Over the cap the newest stream is refused (503) rather than the oldest
// closed: closing the oldest would make a user with more tabs than the cap
// churn forever (each reconnecting tab evicting another one), while a
// refused tab just retries with backoff and gets in when another closes.
//
// Thread-compatible (loop thread only).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "sse-pusher/event_loop.h"
#include "sse-pusher/metrics.h"
#include "sse-pusher/pusher_options.h"
#include "sse-pusher/stream_ledger.h"

namespace papo::pusher {

class RedisCommander;

class StreamLimiter final {
 public:
  // Every reference must outlive the limiter.
  StreamLimiter(EventLoop& loop, RedisCommander& commander, PusherMetrics& metrics, const PusherOptions& options);
  ~StreamLimiter() { *alive_ = false; }
  StreamLimiter(const StreamLimiter&) = delete;
  StreamLimiter& operator=(const StreamLimiter&) = delete;

  // False when CHAT_MAX_STREAMS_PER_USER is 0: nothing is counted.
  bool enabled() const { return options_.max_streams_per_user > 0; }
  // Asks for a slot for a new stream of `usuario_id`. `done(true)`: the
  // stream may open and holds a slot until Release(); `done(false)`: over
  // the cap. `done` runs later, from the loop, never from inside Acquire.
  // REQUIRES: enabled().
  void Acquire(int64_t usuario_id, std::function<void(bool allowed)> done);
  // A stream of `usuario_id` that held a slot closed.
  void Release(int64_t usuario_id);
  // Once a second: rewrites this process's members every presence_refresh_ms.
  void Sweep(int64_t now_ms);
  // The command connection is (back) up: Redis may have restarted.
  void OnRedisConnected() { Refresh(); }

  bool in_fallback() const { return fallback_; }
  const StreamLedger& ledger() const { return ledger_; }

 private:
  void Refresh();
  void Failed(const char* what);
  void Succeeded();

  EventLoop& loop_;
  RedisCommander& commander_;
  PusherMetrics& metrics_;
  const PusherOptions& options_;
  StreamLedger ledger_;
  bool fallback_ = false;
  int64_t refreshed_ms_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for Redis callbacks
};

}  // namespace papo::pusher
