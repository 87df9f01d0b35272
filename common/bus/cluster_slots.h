// Redis Cluster slot routing (DESIGN §8), shared by papo-app's router and the
// pusher's sharded subscriber: hiredis 0.14.1 knows nothing of clusters.
//
// A key's slot is CRC16 (XMODEM, as the cluster spec) of its hash tag — the
// text between the first '{' and the next '}' when not empty — or of the
// whole key, mod 16384. papo's bus names put the room or user in a hash tag
// (papo:{sala:7}, papo:{sala:7}:recentes, papo:lista:{sala:7}), so a room's
// keys and channels share one slot and one Lua script may touch them all.
//
// SlotMap is what CLUSTER SLOTS said, plus the MOVED answers seen since
// (Assign). Value type, thread-compatible.
#pragma once

#include <hiredis/hiredis.h>

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.h"
#include "common/result.h"

namespace papo {

inline constexpr uint16_t kClusterSlots = 16384;

// CRC16/XMODEM (poly 0x1021, init 0) of `data`: "123456789" gives 0x31C3.
uint16_t Crc16(std::string_view data);
// The slot of `key` (or of a channel name: sharded pub/sub hashes alike).
uint16_t KeySlot(std::string_view key);

struct ClusterNode {
  std::string host;
  int port = 0;

  std::string Name() const { return host + ":" + std::to_string(port); }
  bool operator==(const ClusterNode&) const = default;
};

struct SlotRange {
  uint16_t first = 0, last = 0;  // inclusive
  ClusterNode primary;
  std::vector<ClusterNode> replicas;
};

class SlotMap final {
 public:
  SlotMap();

  // Reads a CLUSTER SLOTS reply (Redis 7: [first, last, [ip, port, id,
  // metadata], replicas...] per range). A node whose address is unknown
  // ("?") is left out; an empty ip is kept empty (the node that answered;
  // FetchSlotMap fills it in). InvalidArgument for a reply of another shape.
  static Result<SlotMap> FromClusterSlots(const redisReply* reply);

  // The primary serving `slot`, nullptr when no one does. The pointer stays
  // valid until this map is changed, moved or destroyed.
  const ClusterNode* NodeFor(uint16_t slot) const;
  // Every distinct primary (in the order first seen), MOVED targets included.
  std::vector<ClusterNode> Primaries() const;
  // Every node the map knows (primaries, then replicas), without repeats.
  std::vector<ClusterNode> KnownNodes() const;
  // Records a MOVED answer: `slot` is served by `node` until the next refresh.
  void Assign(uint16_t slot, const ClusterNode& node);
  // Replaces every empty host by `host` (a node answers "" for itself).
  void FillEmptyHosts(const std::string& host);
  bool empty() const { return ranges_.empty() && assigned_ == 0; }
  const std::vector<SlotRange>& ranges() const { return ranges_; }

 private:
  int IndexOf(const ClusterNode& node);  // into nodes_, added when new

  std::vector<SlotRange> ranges_;
  std::deque<ClusterNode> nodes_;   // distinct primaries; deque: NodeFor's pointers
  std::array<int16_t, kClusterSlots> owner_;  // index into nodes_, -1: nobody
  int assigned_ = 0;                // slots set by Assign
};

// Asks `CLUSTER SLOTS` of each node of `known` (when given) and then of each
// seed, synchronously, until one answers with a non-empty map. `password`
// (may be empty) is sent with AUTH first. Unavailable, naming every node
// tried, when none answers.
Result<SlotMap> FetchSlotMap(const std::vector<RedisHostPort>& seeds, const std::string& password,
                             int timeout_ms, const SlotMap* known = nullptr);

// A cluster's redirection error: "MOVED 3999 127.0.0.1:6381" (the slot lives
// there now) or "ASK 3999 127.0.0.1:6381" (this once, after ASKING). The
// host may be empty ("MOVED 3999 :6381": the node that answered).
struct Redirect {
  bool ask = false;
  uint16_t slot = 0;
  ClusterNode node;
};
std::optional<Redirect> ParseRedirect(std::string_view error);

}  // namespace papo
