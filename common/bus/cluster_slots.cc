#include "common/bus/cluster_slots.h"

#include <sys/time.h>

#include <algorithm>
#include <charconv>

#include "common/redis_handle.h"

namespace papo {
namespace {

constexpr std::array<uint16_t, 256> MakeCrc16Table() {
  std::array<uint16_t, 256> table{};
  for (int byte = 0; byte < 256; ++byte) {
    uint16_t crc = static_cast<uint16_t>(byte << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021) : static_cast<uint16_t>(crc << 1);
    }
    table[byte] = crc;
  }
  return table;
}

constexpr std::array<uint16_t, 256> kCrc16Table = MakeCrc16Table();

std::string_view ReplyText(const redisReply* reply) { return {reply->str, reply->len}; }

// A node entry of CLUSTER SLOTS: [ip, port, id, ...]. nullopt when its
// address is unknown ("?", a node still handshaking) or malformed.
std::optional<ClusterNode> ReadNode(const redisReply* entry) {
  if (entry->type != REDIS_REPLY_ARRAY || entry->elements < 2) return std::nullopt;
  const redisReply* ip = entry->element[0];
  const redisReply* port = entry->element[1];
  if (ip->type != REDIS_REPLY_STRING || port->type != REDIS_REPLY_INTEGER) return std::nullopt;
  if (ReplyText(ip) == "?" || port->integer <= 0 || port->integer > 65535) return std::nullopt;
  return ClusterNode{std::string(ReplyText(ip)), static_cast<int>(port->integer)};
}

bool ValidSlot(long long value) { return value >= 0 && value < kClusterSlots; }

// One synchronous CLUSTER SLOTS; `error` says why there is no map.
std::optional<SlotMap> AskNode(const RedisHostPort& node, const std::string& password, int timeout_ms,
                               std::string& error) {
  struct timeval timeout = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  RedisContextPtr context(redisConnectWithTimeout(node.host.c_str(), node.port, timeout));
  if (!context || context->err) {
    error = context ? context->errstr : "out of memory";
    return std::nullopt;
  }
  redisSetTimeout(context.get(), timeout);
  if (!password.empty()) {
    RedisReplyPtr auth(static_cast<redisReply*>(redisCommand(context.get(), "AUTH %b", password.data(),
                                                             password.size())));
    if (!auth || auth->type == REDIS_REPLY_ERROR) {
      error = auth ? std::string(ReplyText(auth.get())) : context->errstr;
      return std::nullopt;
    }
  }
  RedisReplyPtr reply(static_cast<redisReply*>(redisCommand(context.get(), "CLUSTER SLOTS")));
  if (!reply) {
    error = context->errstr;
    return std::nullopt;
  }
  auto map = SlotMap::FromClusterSlots(reply.get());
  if (!map.ok()) {
    error = map.status().message();
    return std::nullopt;
  }
  if (map->empty()) {
    error = "no slots assigned";
    return std::nullopt;
  }
  map->FillEmptyHosts(node.host);
  return std::move(map).value();
}

}  // namespace

uint16_t Crc16(std::string_view data) {
  uint16_t crc = 0;
  for (unsigned char byte : data) {
    crc = static_cast<uint16_t>((crc << 8) ^ kCrc16Table[((crc >> 8) ^ byte) & 0xff]);
  }
  return crc;
}

uint16_t KeySlot(std::string_view key) {
  auto open = key.find('{');
  if (open != std::string_view::npos) {
    auto close = key.find('}', open + 1);
    // "{}" (empty tag) or no '}' at all: the whole key is hashed.
    if (close != std::string_view::npos && close > open + 1) key = key.substr(open + 1, close - open - 1);
  }
  return Crc16(key) & (kClusterSlots - 1);
}

SlotMap::SlotMap() { owner_.fill(-1); }

int SlotMap::IndexOf(const ClusterNode& node) {
  auto found = std::find(nodes_.begin(), nodes_.end(), node);
  if (found != nodes_.end()) return static_cast<int>(found - nodes_.begin());
  nodes_.push_back(node);
  return static_cast<int>(nodes_.size() - 1);
}

Result<SlotMap> SlotMap::FromClusterSlots(const redisReply* reply) {
  if (reply == nullptr) return Status::InvalidArgument("CLUSTER SLOTS: no reply");
  if (reply->type == REDIS_REPLY_ERROR) {
    return Status::InvalidArgument("CLUSTER SLOTS: " + std::string(ReplyText(reply)));
  }
  if (reply->type != REDIS_REPLY_ARRAY) return Status::InvalidArgument("CLUSTER SLOTS: not an array");
  SlotMap map;
  for (size_t i = 0; i < reply->elements; ++i) {
    const redisReply* entry = reply->element[i];
    if (entry->type != REDIS_REPLY_ARRAY || entry->elements < 3 ||
        entry->element[0]->type != REDIS_REPLY_INTEGER || entry->element[1]->type != REDIS_REPLY_INTEGER ||
        !ValidSlot(entry->element[0]->integer) || !ValidSlot(entry->element[1]->integer) ||
        entry->element[0]->integer > entry->element[1]->integer) {
      return Status::InvalidArgument("CLUSTER SLOTS: malformed range " + std::to_string(i));
    }
    auto primary = ReadNode(entry->element[2]);
    if (!primary) continue;  // its primary's address is not known yet: unserved for now
    SlotRange range;
    range.first = static_cast<uint16_t>(entry->element[0]->integer);
    range.last = static_cast<uint16_t>(entry->element[1]->integer);
    range.primary = *primary;
    for (size_t r = 3; r < entry->elements; ++r) {
      if (auto replica = ReadNode(entry->element[r])) range.replicas.push_back(*replica);
    }
    const auto index = static_cast<int16_t>(map.IndexOf(range.primary));
    for (int slot = range.first; slot <= range.last; ++slot) map.owner_[slot] = index;
    map.ranges_.push_back(std::move(range));
  }
  return map;
}

const ClusterNode* SlotMap::NodeFor(uint16_t slot) const {
  if (slot >= kClusterSlots || owner_[slot] < 0) return nullptr;
  return &nodes_[owner_[slot]];
}

std::vector<ClusterNode> SlotMap::Primaries() const { return {nodes_.begin(), nodes_.end()}; }

std::vector<ClusterNode> SlotMap::KnownNodes() const {
  std::vector<ClusterNode> nodes(nodes_.begin(), nodes_.end());
  for (const auto& range : ranges_) {
    for (const auto& replica : range.replicas) {
      if (std::find(nodes.begin(), nodes.end(), replica) == nodes.end()) nodes.push_back(replica);
    }
  }
  return nodes;
}

void SlotMap::Assign(uint16_t slot, const ClusterNode& node) {
  if (slot >= kClusterSlots) return;
  owner_[slot] = static_cast<int16_t>(IndexOf(node));
  ++assigned_;
}

void SlotMap::FillEmptyHosts(const std::string& host) {
  auto fill = [&host](ClusterNode& node) {
    if (node.host.empty()) node.host = host;
  };
  for (auto& node : nodes_) fill(node);
  for (auto& range : ranges_) {
    fill(range.primary);
    for (auto& replica : range.replicas) fill(replica);
  }
}

Result<SlotMap> FetchSlotMap(const std::vector<RedisHostPort>& seeds, const std::string& password,
                             int timeout_ms, const SlotMap* known) {
  // Known nodes first: after a failover the seeds may be the ones that died.
  std::vector<RedisHostPort> candidates;
  auto add = [&candidates](const std::string& host, int port) {
    for (const auto& candidate : candidates) {
      if (candidate.host == host && candidate.port == port) return;
    }
    candidates.push_back({host, port});
  };
  if (known != nullptr) {
    for (const auto& node : known->KnownNodes()) add(node.host, node.port);
  }
  for (const auto& seed : seeds) add(seed.host, seed.port);
  std::string errors;
  for (const auto& candidate : candidates) {
    std::string error;
    if (auto map = AskNode(candidate, password, timeout_ms, error)) return std::move(*map);
    errors += (errors.empty() ? "" : "; ") + candidate.host + ":" + std::to_string(candidate.port) + ": " + error;
  }
  if (candidates.empty()) return Status::Unavailable("redis cluster: no seed nodes");
  return Status::Unavailable("redis cluster: no node answered CLUSTER SLOTS (" + errors + ")");
}

std::optional<Redirect> ParseRedirect(std::string_view error) {
  Redirect redirect;
  if (error.starts_with("MOVED ")) {
    error.remove_prefix(6);
  } else if (error.starts_with("ASK ")) {
    redirect.ask = true;
    error.remove_prefix(4);
  } else {
    return std::nullopt;
  }
  auto space = error.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  unsigned slot = 0;
  auto slot_text = error.substr(0, space);
  auto [slot_end, slot_error] = std::from_chars(slot_text.data(), slot_text.data() + slot_text.size(), slot);
  if (slot_error != std::errc() || slot_end != slot_text.data() + slot_text.size() || slot >= kClusterSlots) {
    return std::nullopt;
  }
  auto address = error.substr(space + 1);
  auto colon = address.rfind(':');  // rfind: an IPv6 host has colons of its own
  if (colon == std::string_view::npos) return std::nullopt;
  int port = 0;
  auto port_text = address.substr(colon + 1);
  auto [port_end, port_error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_error != std::errc() || port_end != port_text.data() + port_text.size() || port <= 0 || port > 65535) {
    return std::nullopt;
  }
  redirect.slot = static_cast<uint16_t>(slot);
  redirect.node = {std::string(address.substr(0, colon)), port};
  return redirect;
}

}  // namespace papo
