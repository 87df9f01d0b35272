// RedisConnection: one hiredis async connection that keeps itself up.
//
// Connects (TCP or unix socket), sends AUTH/SELECT first when configured,
// and on loss reconnects with exponential backoff (100 ms doubling to 5 s,
// with jitter so many pushers do not return in step). The backoff starts
// over only once the connection proved healthy: its owner saw a command
// succeed (MarkHealthy) or it stayed up 10 s. Merely connecting is not
// enough: a server that refuses every command would otherwise be retried
// every 100 ms. hiredis 0.14.1 has no
// timer hook, so the connect timeout is our own loop timer (STYLE §7.10).
//
// With a redis-sentinel:// address the master is asked of the sentinels
// before every connect (common/redis_sentinel.h), and FollowMaster moves
// the connection to a master a sentinel announced.
//
// hiredis owns and frees the context: after a disconnect it is already
// gone when `lost` runs, and every pending reply callback has been called
// with a null reply. Thread-compatible (loop thread only).
#pragma once

#include <hiredis/async.h>

#include <cstdint>
#include <functional>
#include <string>

#include "common/config.h"
#include "sse-pusher/event_loop.h"
#include "sse-pusher/metrics.h"

namespace papo::pusher {

class RedisConnection final {
 public:
  struct Handlers {
    std::function<void()> connected;  // context() is usable
    std::function<void()> lost;       // context() is null again
  };

  // `select_database`: send SELECT (the subscriber needs none: channels
  // are global). `loop` and `metrics` must outlive the connection.
  RedisConnection(EventLoop& loop, PusherMetrics& metrics, RedisAddress address, std::string name,
                  int connect_timeout_ms, bool select_database, Handlers handlers);
  // Frees the context without reconnecting; pending callbacks get null.
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  void Start();
  // Disconnects for good (pending replies are still read first).
  void Stop();

  // The context while connected; null otherwise.
  redisAsyncContext* context() const { return connected_ ? context_ : nullptr; }
  bool connected() const { return connected_; }
  // A command succeeded on this connection: the next loss reconnects at
  // the shortest delay again.
  void MarkHealthy() { failures_ = 0; }
  // Sentinel mode: the master is now `master` (a sentinel's +switch-master,
  // or a READONLY reply: `master` empty = ask the sentinels). Unless the
  // connection is already on it (or connecting to it), it is dropped and
  // made again at once, without backoff. Nothing in single mode.
  void FollowMaster(const RedisHostPort& master);

 private:
  void Connect();
  // Sentinel mode: points address_ at the master; false (logged) when the
  // sentinels name none that confirms it.
  bool ResolveMaster();
  void ScheduleReconnect();
  void OnConnectTimeout();
  void HandleConnect(int status);
  void HandleDisconnect();

  static void OnConnect(const redisAsyncContext* context, int status) noexcept;
  static void OnDisconnect(const redisAsyncContext* context, int status) noexcept;
  static void OnSetupReply(redisAsyncContext* context, void* reply, void* privdata) noexcept;

  EventLoop& loop_;
  PusherMetrics& metrics_;
  RedisAddress address_;
  std::string name_;
  int connect_timeout_ms_;
  bool select_database_;
  Handlers handlers_;
  redisAsyncContext* context_ = nullptr;
  bool connected_ = false;
  bool stopped_ = false;
  bool ever_connected_ = false;
  int failures_ = 0;
  bool following_ = false;  // FollowMaster disconnected: reconnect at once
  int64_t connected_since_ms_ = 0;
  EventLoop::TimerId timer_ = 0;  // connect timeout or reconnect
};

}  // namespace papo::pusher
