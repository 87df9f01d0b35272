// ShardedSubscriber: the pusher's subscriptions on a Redis Cluster (DESIGN
// §8). Implements ChannelSubscriptions, as RedisSubscriber does, so RoomHub
// is the same in every mode.
//
//   - A sharded channel (IsShardedChannel: a room, a private list, a user)
//     is SSUBSCRIBEd on the primary serving its slot, through one pub/sub
//     ShardConnection per node (hiredis 0.14.1 cannot do SSUBSCRIBE).
//   - The classic channels (papo:lista and the permanent papo:sessoes,
//     papo:pusher:{id}) go to one RedisSubscriber on any one node: classic
//     pub/sub reaches every node of a cluster. When that node is lost and
//     is no longer a primary after the next map, the subscriber moves to a
//     primary that is.
//
// Each sharded channel walks kIdle -> kSubscribing -> kSubscribed ->
// kUnsubscribing -> kIdle, as in RedisSubscriber, and remembers the node it
// was sent to. It drops back to kIdle (still wanted) when its node's
// connection is lost, when the server pushes `sunsubscribe` because its
// slot moved, or when the SSUBSCRIBE was answered with -MOVED/-ASK/an
// error; a repair timer then re-reads the slot map (ClusterTopology) and
// subscribes it again where it lives now, until every wanted channel is
// subscribed. Every confirmed SSUBSCRIBE, the first or a later one, is
// reported with Listener::OnSubscribed: the room's cue to catch up from
// its cache by seq (Room::OnSubscribed reads after its horizon), so nothing
// published while the channel was away is lost, and the sequencer keeps
// order and drops duplicates. Listener::OnConnectionLost is never called:
// it means "every channel is gone", while here channels leave one node at
// a time (the classic subscriber's losses concern no room).
// Thread-compatible (loop thread only).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "sse-pusher/channel_subscriptions.h"
#include "sse-pusher/cluster_topology.h"
#include "sse-pusher/redis_subscriber.h"
#include "sse-pusher/shard_connection.h"

namespace papo::pusher {

class ShardedSubscriber final : public ChannelSubscriptions, public RedisSubscriber::Listener {
 public:
  static constexpr int64_t kFirstRepairMs = 5;
  static constexpr int64_t kRepairEveryMs = 250;

  // `loop`, `metrics`, `topology` and `listener` must outlive this.
  ShardedSubscriber(EventLoop& loop, PusherMetrics& metrics, ClusterTopology& topology, int connect_timeout_ms,
                    std::vector<std::string> permanent_channels, RedisSubscriber::Listener& listener);
  ~ShardedSubscriber();
  ShardedSubscriber(const ShardedSubscriber&) = delete;
  ShardedSubscriber& operator=(const ShardedSubscriber&) = delete;

  void Start();
  void Stop();
  // The classic subscriber and every node holding wanted channels are up.
  bool connected() const;

  void Want(const std::string& channel) override;
  void Release(const std::string& channel) override;
  bool IsSubscribed(const std::string& channel) const;
  // The node the classic channels are subscribed on ("host:port").
  const std::string& classic_node() const { return classic_node_; }
  // The node a sharded channel was last sent to ("host:port"), empty if none.
  std::string NodeOf(const std::string& channel) const;
  // How many times a sharded channel's SSUBSCRIBE was confirmed again after
  // it had been lost (failover, slot move).
  uint64_t resubscribes() const { return resubscribes_; }

  // RedisSubscriber::Listener, for the classic subscriber only.
  void OnSubscribed(const std::string& channel) override;
  void OnUnsubscribed(const std::string& channel) override;
  void OnMessage(std::string_view channel, std::string_view payload) override;
  void OnConnectionLost() override;

 private:
  enum class State : uint8_t { kIdle, kSubscribing, kSubscribed, kUnsubscribing };
  struct Channel {
    State state = State::kIdle;
    bool wanted = false;
    bool was_subscribed = false;
    std::string node;  // "host:port" of the last SSUBSCRIBE
  };


  void StartClassic(const ClusterNode& node);
  ShardConnection& Node(const ClusterNode& node);
  void TrySubscribe(const std::string& name, Channel& channel);
  void HandlePush(const std::string& node, const redisReply& push);
  void HandleError(const std::string& node, const redisReply& reply);
  void HandleNodeConnected(const std::string& node);
  void HandleNodeLost(const std::string& node);
  // `name` is no longer subscribed on its node: back to kIdle, or gone.
  void Dropped(std::unordered_map<std::string, Channel>::iterator it);
  void ScheduleRepair();
  void Repair();

  EventLoop& loop_;
  PusherMetrics& metrics_;
  ClusterTopology& topology_;
  int connect_timeout_ms_;
  std::vector<std::string> permanent_channels_;
  RedisSubscriber::Listener& listener_;
  bool started_ = false;
  uint64_t resubscribes_ = 0;
  EventLoop::TimerId repair_timer_ = 0;
  bool repairing_ = false;  // the last repair left something to do
  std::unordered_map<std::string, Channel> channels_;  // sharded ones
  std::set<std::string> classic_wanted_;
  std::set<std::string> classic_releasing_;  // released, OnUnsubscribed not yet heard
  std::string classic_node_;
  std::unique_ptr<RedisSubscriber> classic_;
  std::map<std::string, std::unique_ptr<ShardConnection>> nodes_;  // by "host:port"
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace papo::pusher
