// PusherServer: papo-pusher's process-level object. It owns the listeners,
// every connection, the Redis connections and the RoomHub, routes requests
//
//   GET /chat/stream   SSE stream (room or list), DESIGN §4
//   GET /chat/health   {"status":"healthy","total_connections":N,"rooms_active":N}
//                      (503 + "unhealthy" while Redis is unreachable)
//   GET /metrics       Prometheus text (also on PAPO_PUSHER_METRICS_LISTEN)
//
// and runs the once-a-second sweep (heartbeats, deadlines, stalled
// backlogs, presence refresh, idle channels): one timer for all
// connections instead of one per connection (uSockets sweep).
//
// Logout: papo-app publishes the session's id on papo:sessoes; the server
// hears it on the subscriber (a permanent channel) and closes that
// session's streams (SessionStreams). Every other notification goes to the
// RoomHub.
//
// SIGTERM (BeginDrain): stop accepting, then close the streams spread over
// drain_ms so the browsers' reconnects do not arrive as one storm, remove
// this process's presence, stop the loop.
//
// Thread-compatible: everything runs on the loop thread.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "sse-pusher/connection.h"
#include "sse-pusher/event_loop.h"
#include "sse-pusher/listener.h"
#include "sse-pusher/message_cache.h"
#include "sse-pusher/metrics.h"
#include "sse-pusher/presence.h"
#include "sse-pusher/pusher_options.h"
#include "sse-pusher/cluster_topology.h"
#include "sse-pusher/redis_commander.h"
#include "sse-pusher/redis_subscriber.h"
#include "sse-pusher/room_hub.h"
#include "sse-pusher/sharded_subscriber.h"
#include "sse-pusher/sentinel_watcher.h"
#include "sse-pusher/session_streams.h"
#include "sse-pusher/stream_limiter.h"
#include "sse-pusher/stream_request.h"

namespace papo::pusher {

class PusherServer final : public ConnectionOwner, public RedisSubscriber::Listener {
 public:
  // `loop` must outlive the server.
  PusherServer(EventLoop& loop, PusherOptions options);
  ~PusherServer();
  PusherServer(const PusherServer&) = delete;
  PusherServer& operator=(const PusherServer&) = delete;

  // Listens and connects to Redis. IOError/InvalidArgument/Unavailable when
  // a listen address cannot be used.
  Status Start();
  // Graceful stop (SIGTERM); the loop stops when it is done.
  void BeginDrain();
  // Stops the loop at once (a second SIGTERM).
  void StopNow();

  const std::string& listen_address() const;
  const PusherMetrics& metrics() const { return metrics_; }
  size_t stream_count() const { return stream_count_; }
  size_t connection_count() const { return connections_.size(); }
  bool draining() const { return draining_; }
  bool redis_connected() const;
  RoomHub& hub() { return hub_; }

  void OnRequest(Connection& connection, const HttpRequest& request) override;
  void OnClosing(Connection& connection) override;

  // RedisSubscriber::Listener: papo:sessoes here, the rest to the hub.
  void OnSubscribed(const std::string& channel) override { hub_.OnSubscribed(channel); }
  void OnUnsubscribed(const std::string& channel) override { hub_.OnUnsubscribed(channel); }
  void OnMessage(std::string_view channel, std::string_view payload) override;
  void OnConnectionLost() override { hub_.OnConnectionLost(); }

 private:
  void Adopt(UniqueFd socket, bool metrics_only);
  void HandleStream(Connection& connection, const HttpRequest& request);
  // The checks that hold at any moment (draining, session, room cap):
  // true when `connection` was refused. `counted`: the stream holds a
  // CHAT_MAX_STREAMS_PER_USER slot, given back when it is refused.
  bool Refused(Connection& connection, const StreamRequest& stream, bool counted);
  // Refused(), then the stream itself.
  void StartStream(Connection& connection, const StreamRequest& stream, bool counted);
  // The answer to the per-user cap's check for a waiting connection.
  void Decided(Connection* connection, uint64_t wait_id, const StreamRequest& stream, bool allowed);
  // head_only: a HEAD request, answered with the GET's head and no body.
  void HandleHealth(Connection& connection, bool head_only);
  void HandleMetrics(Connection& connection, bool head_only);
  void Reject(Connection& connection, int status, std::string_view extra_headers = {});
  void Reap();
  // The commands connection is (again) ready: rooms and the stream limiter
  // resume what waited for it.
  void OnCommandsConnected();
  void Sweep();
  void DrainStep();
  void FinishDrain();
  PusherGauges Gauges() const;

  EventLoop& loop_;
  PusherOptions options_;
  PusherMetrics metrics_;
  ConnectionContext connection_context_;
  // Redis Cluster only (null otherwise): the slot map the commander and
  // the sharded subscriber share; before them, which use it.
  std::unique_ptr<ClusterTopology> cluster_topology_;
  std::unique_ptr<RedisCommander> commander_;
  RedisMessageCache cache_;
  PresenceWriter presence_;
  RedisDeliveryReporter delivery_;
  RoomHub hub_;
  SessionStreams sessions_;
  StreamLimiter stream_limiter_;
  // Connections waiting for the per-user cap's answer, by the id of their
  // wait (a freed connection's address may be reused by a new one).
  std::unordered_map<Connection*, uint64_t> waiting_;
  uint64_t next_wait_id_ = 0;
  const std::string sessions_channel_;
  // Exactly one of the two: the sharded one on a Redis Cluster.
  std::unique_ptr<RedisSubscriber> subscriber_;
  std::unique_ptr<ShardedSubscriber> sharded_subscriber_;
  // Sentinel mode only (null otherwise); after the connections it moves.
  std::unique_ptr<SentinelWatcher> sentinel_watcher_;
  std::unique_ptr<::papo::pusher::Listener> listener_;  // qualified: RedisSubscriber::Listener is a base
  std::unique_ptr<::papo::pusher::Listener> metrics_listener_;
  std::string listen_address_;
  std::vector<std::unique_ptr<Connection>> connections_;  // Connection::index() is the position
  std::vector<Connection*> closing_;
  size_t stream_count_ = 0;
  FrameRef heartbeat_;
  FrameRef stream_head_;
  EventLoop::TimerId sweep_timer_ = 0;
  bool draining_ = false;
  bool drain_finishing_ = false;
  int64_t drain_started_ms_ = 0;
  size_t drain_initial_streams_ = 0;
  size_t drain_closed_ = 0;
  EventLoop::TimerId drain_timer_ = 0;
};

}  // namespace papo::pusher
