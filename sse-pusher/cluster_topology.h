// ClusterTopology: the pusher's one view of a Redis Cluster's slot map,
// shared by ShardedSubscriber and ClusterCommander (both learn from MOVED
// answers and ask for a refresh when a node's connection is lost).
//
// Refresh() asks CLUSTER SLOTS synchronously, in the loop (FetchSlotMap):
// it runs only on a topology change (a node lost, a MOVED, a server's
// sunsubscribe after a slot move), at most once per kMinRefreshGapMs, and
// with a short per-node timeout, so a dead node stalls the loop for at most
// that timeout per node tried (a refused connection costs nothing).
// Thread-compatible (loop thread only).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/bus/cluster_slots.h"
#include "common/config.h"
#include "sse-pusher/event_loop.h"

namespace papo::pusher {

class ClusterTopology final {
 public:
  static constexpr int64_t kMinRefreshGapMs = 100;

  // `address`: mode kCluster, its seeds and password. `loop` must outlive this.
  ClusterTopology(EventLoop& loop, const RedisAddress& address, int timeout_ms);

  // Re-reads the map (unless one was read less than kMinRefreshGapMs ago);
  // true when the map is usable (it keeps the old one if no node answered).
  bool Refresh();
  const SlotMap& map() const { return map_; }
  // The primary serving `slot` now, or nullptr.
  const ClusterNode* NodeFor(uint16_t slot) const { return map_.NodeFor(slot); }
  void Assign(uint16_t slot, const ClusterNode& node) { map_.Assign(slot, node); }
  const RedisAddress& address() const { return address_; }
  // An address for one node (kSingle, database 0, the cluster's password).
  RedisAddress NodeAddress(const ClusterNode& node) const;
  uint64_t refreshes() const { return refreshes_; }

 private:
  EventLoop& loop_;
  RedisAddress address_;
  int timeout_ms_;
  SlotMap map_;
  int64_t refreshed_ms_ = -kMinRefreshGapMs;
  uint64_t refreshes_ = 0;
};

}  // namespace papo::pusher
