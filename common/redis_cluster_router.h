// RedisClusterRouter: RedisClient's calls on a Redis Cluster (DESIGN §8),
// synchronous, for papo-app's threads (hiredis 0.14.1 has no cluster
// support).
//
// Learns the slot map with CLUSTER SLOTS (FetchSlotMap), keeps one
// connection per node it needed, and sends each command to the primary of
// its key's slot (CommandRoutingKey). A pipeline is split by node, sent to
// every node before any reply is read (one round trip), and its replies put
// back in the caller's order. A MULTI…EXEC block travels whole, to the node
// of its first key. Commands without a key (PUBLISH, SUBSCRIBE, PING,
// SCRIPT LOAD…) go to a neighbour's node, else any primary. PUBSUB NUMSUB
// alone is asked of every node and summed (classic pub/sub is cluster-wide,
// each node counts its own subscribers); PUBSUB SHARDNUMSUB goes to the
// channel's node.
//
// Follows MOVED (records the slot's new node, sends again, refreshes the
// whole map on the next call) and ASK (ASKING + the command on the target,
// once); waits a moment on TRYAGAIN. A node that cannot be reached, or
// CLUSTERDOWN, makes the call fail with Unavailable and the next call
// refresh the map first (a failover promotes a replica elsewhere).
//
// Keeps RedisClient's contract: after a failed connect a node is not tried
// again for `retry_interval_ms` (calls fail fast with Unavailable); a
// connection the server closed since its last use is replaced at once and
// its commands sent again (they must be safe to repeat). Thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bus/cluster_slots.h"
#include "common/config.h"
#include "common/redis_handle.h"
#include "common/result.h"

namespace papo {

// The key (or sharded channel) that decides where `command` goes: EVAL /
// EVALSHA the first key after numkeys, SPUBLISH / SSUBSCRIBE the channel,
// PUBSUB SHARDNUMSUB its first channel, most others argv[1]. nullopt for
// commands any node answers (PUBLISH, SUBSCRIBE, PING, SCRIPT, MULTI, EXEC,
// INFO, CLUSTER…) and for EVAL with no keys.
std::optional<std::string_view> CommandRoutingKey(const std::vector<std::string>& command);

class RedisClusterRouter final {
 public:
  // REQUIRES: address.mode == RedisMode::kCluster with at least one seed.
  RedisClusterRouter(RedisAddress address, int timeout_ms, int retry_interval_ms);
  RedisClusterRouter(const RedisClusterRouter&) = delete;
  RedisClusterRouter& operator=(const RedisClusterRouter&) = delete;

  // As RedisClient::Pipeline: every reply in order (Redis errors included),
  // or Unavailable when a node needed does not answer.
  Result<std::vector<RedisReplyPtr>> Pipeline(const std::vector<std::vector<std::string>>& commands);
  // EVALSHA on the node of keys[0]; EVAL (which caches the script there)
  // when that node does not know it (NOSCRIPT: only another node loaded
  // it, a restart, a promoted replica). A Redis error reply becomes
  // Status::Internal.
  Result<RedisReplyPtr> Eval(const std::string& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args);
  // After a SUBSCRIBE (classic pub/sub reaches every node): the next message
  // pushed on the connection that subscribed. Unavailable when it ends.
  Result<RedisReplyPtr> NextPush();
  int socket_fd() const;  // the subscribed connection's, else -1
  bool connected() const;
  void RetryNow();

  const SlotMap& slot_map() const { return map_; }

 private:
  struct NodeConnection {
    ClusterNode node;
    RedisContextPtr context;
    int64_t next_attempt_ms = 0;
    int64_t last_failure_ms = 0;  // 0: never failed
  };
  // A command, or a MULTI…EXEC block, that goes to one node as a whole.
  struct Unit {
    size_t begin = 0, end = 0;  // into the caller's commands
    std::optional<uint16_t> slot;
    ClusterNode target;
    bool asking = false;
  };

  Status EnsureMap();
  std::vector<Unit> SplitUnits(const std::vector<std::vector<std::string>>& commands) const;
  Status Target(std::vector<Unit>& units);
  NodeConnection& ConnectionFor(const ClusterNode& node);
  Status Connect(NodeConnection& connection);
  // Sends `units` (grouped by node) and reads their replies into `replies`;
  // returns the units to send again (redirected, or on a stale connection).
  Result<std::vector<Unit>> SendRound(const std::vector<std::vector<std::string>>& commands,
                                      std::vector<Unit> units, std::vector<RedisReplyPtr>& replies,
                                      bool& used_stale_retry);
  // Looks at a unit's replies: nullopt when done, else the unit to resend.
  Result<std::optional<Unit>> CheckRedirects(const Unit& unit, const std::vector<RedisReplyPtr>& replies);
  void Drop(NodeConnection& connection, const char* why, bool pause);
  Result<RedisReplyPtr> NumsubEverywhere(const std::vector<std::string>& command);

  RedisAddress address_;
  int timeout_ms_;
  int retry_interval_ms_;
  SlotMap map_;
  bool refresh_needed_ = true;
  int64_t next_refresh_ms_ = 0;
  std::map<std::string, NodeConnection> connections_;  // by "host:port"
  std::string subscriber_;                             // the connection that SUBSCRIBEd
  std::map<std::string, std::string, std::less<>> script_shas_;  // script text -> SHA-1 (same on every node)
};

}  // namespace papo
