// ClusterCommander: the pusher's commands on a Redis Cluster. Each command
// goes to the primary serving its key's slot (the first key of an EVAL, the
// key of every other command the pusher sends), over one ShardConnection
// per node; a command without a key goes to any primary.
//
// -MOVED records the new owner in the shared ClusterTopology and sends the
// command there (at most kMaxRedirects times); -ASK sends ASKING and the
// command to the importing node, this once. Any other error reaches the
// caller as it is (the presence and stream-limit scripts are sent as EVAL
// with their body, so there is no NOSCRIPT to recover from). A node's
// connection lost fails its pending commands (nullptr, as RedisCommander
// does) and makes the topology re-read until every primary's connection is
// up again (a failover promotes a replica: the map then names it).
//
// A script touching several keys must keep them in one slot (a cluster
// refuses CROSSSLOT): StreamLimiter groups its refresh by slot.
// Thread-compatible (loop thread only).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sse-pusher/cluster_topology.h"
#include "sse-pusher/shard_connection.h"

namespace papo::pusher {

class ClusterCommander final {
 public:
  using Callback = std::function<void(const redisReply* reply)>;
  static constexpr int kMaxRedirects = 5;

  // `on_connected` runs whenever a node's connection is (again) ready.
  ClusterCommander(EventLoop& loop, PusherMetrics& metrics, ClusterTopology& topology, int connect_timeout_ms,
                   std::function<void()> on_connected);
  ~ClusterCommander();
  ClusterCommander(const ClusterCommander&) = delete;
  ClusterCommander& operator=(const ClusterCommander&) = delete;

  // Reads the map and connects to every primary.
  void Start();
  void Stop();
  // Every primary of the map has a ready connection.
  bool connected() const;
  size_t pending() const;

  // As RedisCommander::Command: `done` runs once, with the reply or nullptr.
  void Command(const std::vector<std::string>& argv, Callback done);

  // The slot `argv` must run on; nullopt for a command without a key.
  static std::optional<uint16_t> SlotOf(const std::vector<std::string>& argv);

 private:
  using Argv = std::shared_ptr<const std::vector<std::string>>;
  void Send(Argv argv, std::optional<uint16_t> slot, Callback done, int redirects);
  void SendTo(ShardConnection& connection, Argv argv, std::optional<uint16_t> slot, Callback done, int redirects,
              bool asking);
  ShardConnection& Connection(const ClusterNode& node);
  void ScheduleRepair();
  void Repair();

  EventLoop& loop_;
  PusherMetrics& metrics_;
  ClusterTopology& topology_;
  int connect_timeout_ms_;
  std::function<void()> on_connected_;
  bool started_ = false;
  EventLoop::TimerId repair_timer_ = 0;
  std::map<std::string, std::unique_ptr<ShardConnection>> nodes_;  // by "host:port"
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace papo::pusher
