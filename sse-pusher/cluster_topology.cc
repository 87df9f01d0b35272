#include "sse-pusher/cluster_topology.h"

#include "common/log.h"

namespace papo::pusher {

ClusterTopology::ClusterTopology(EventLoop& loop, const RedisAddress& address, int timeout_ms)
    : loop_(loop), address_(address), timeout_ms_(timeout_ms) {}

bool ClusterTopology::Refresh() {
  int64_t now = loop_.UpdateNow();
  if (now - refreshed_ms_ < kMinRefreshGapMs) return !map_.empty();
  refreshed_ms_ = now;
  ++refreshes_;
  auto fetched = FetchSlotMap(address_.seeds, address_.password, timeout_ms_, map_.empty() ? nullptr : &map_);
  // The time spent blocked is logged: it is the cost of a synchronous read.
  int64_t spent = loop_.UpdateNow() - now;
  if (!fetched.ok()) {
    Log(LogLevel::kWarn, "pusher_cluster_slots_unreadable").Kv("error", fetched.status().message()).Kv("ms", spent);
    return !map_.empty();
  }
  std::vector<ClusterNode> before = map_.Primaries();
  map_ = std::move(fetched).value();
  std::vector<ClusterNode> primaries = map_.Primaries();
  // Re-read every 250 ms while a failover is pending: said at info level
  // only when the primaries changed.
  std::string names;
  for (const ClusterNode& node : primaries) names += (names.empty() ? "" : ",") + node.Name();
  Log(primaries == before ? LogLevel::kDebug : LogLevel::kInfo, "pusher_cluster_slots")
      .Kv("primaries", names)
      .Kv("ms", spent);
  return true;
}

RedisAddress ClusterTopology::NodeAddress(const ClusterNode& node) const {
  RedisAddress single;
  single.mode = RedisMode::kSingle;
  single.host = node.host;
  single.port = node.port;
  single.password = address_.password;
  single.database = 0;
  return single;
}

}  // namespace papo::pusher
