// RedisCommander: the process's connection for ordinary commands (cache
// reads, presence scripts, health pings), beside the subscriber.
//
// Replies arrive in command order on a non-subscribed connection, so the
// callbacks wait in a FIFO: no per-command allocation for bookkeeping
// beyond the std::function itself. Every callback runs exactly once: with
// the reply, or with nullptr when the command could not complete
// (not connected, connection lost, commander destroyed). A reply is only
// valid during its callback (hiredis frees it afterwards).
// Thread-compatible (loop thread only).
#pragma once

#include <hiredis/async.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sse-pusher/cluster_commander.h"
#include "sse-pusher/redis_connection.h"

namespace papo::pusher {

class RedisCommander final {
 public:
  using Callback = std::function<void(const redisReply* reply)>;

  RedisCommander(EventLoop& loop, PusherMetrics& metrics, const RedisAddress& address, int connect_timeout_ms,
                 std::function<void()> on_connected);
  // Redis Cluster: every command goes to its key slot's primary
  // (ClusterCommander); `topology` must outlive the commander.
  RedisCommander(EventLoop& loop, PusherMetrics& metrics, ClusterTopology& topology, int connect_timeout_ms,
                 std::function<void()> on_connected);
  ~RedisCommander();
  RedisCommander(const RedisCommander&) = delete;
  RedisCommander& operator=(const RedisCommander&) = delete;

  void Start() {
    if (cluster_) return cluster_->Start();
    connection_.Start();
  }
  void Stop() {
    if (cluster_) return cluster_->Stop();
    connection_.Stop();
  }
  bool connected() const { return cluster_ ? cluster_->connected() : connection_.connected(); }
  // Sentinel mode: see RedisConnection::FollowMaster.
  void FollowMaster(const RedisHostPort& master) { connection_.FollowMaster(master); }
  size_t pending() const { return cluster_ ? cluster_->pending() : callbacks_.size(); }

  // Sends `argv` (binary safe). When not connected, `done(nullptr)` runs at
  // the end of the loop iteration (never re-entrantly from here).
  void Command(const std::vector<std::string>& argv, Callback done);

 private:
  void HandleReply(const redisReply* reply);
  static void OnReply(redisAsyncContext* context, void* reply, void* privdata) noexcept;

  EventLoop& loop_;
  std::deque<Callback> callbacks_;
  bool destroying_ = false;
  std::unique_ptr<ClusterCommander> cluster_;  // cluster mode only; then connection_ stays unused
  RedisConnection connection_;  // last: destroyed first
};

}  // namespace papo::pusher
