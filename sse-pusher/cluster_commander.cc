#include "sse-pusher/cluster_commander.h"

#include <cctype>
#include <charconv>

#include "common/log.h"

namespace papo::pusher {
namespace {

constexpr int64_t kRepairEveryMs = 250;

bool NameIs(const std::string& arg, std::string_view upper) {
  if (arg.size() != upper.size()) return false;
  for (size_t i = 0; i < arg.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(arg[i])) != upper[i]) return false;
  }
  return true;
}

std::string_view ErrorText(const redisReply* reply) {
  if (reply == nullptr || reply->type != REDIS_REPLY_ERROR) return {};
  return {reply->str, reply->len};
}

}  // namespace

ClusterCommander::ClusterCommander(EventLoop& loop, PusherMetrics& metrics, ClusterTopology& topology,
                                   int connect_timeout_ms, std::function<void()> on_connected)
    : loop_(loop),
      metrics_(metrics),
      topology_(topology),
      connect_timeout_ms_(connect_timeout_ms),
      on_connected_(std::move(on_connected)) {}

ClusterCommander::~ClusterCommander() {
  *alive_ = false;
  loop_.Cancel(repair_timer_);
  nodes_.clear();
}

std::optional<uint16_t> ClusterCommander::SlotOf(const std::vector<std::string>& argv) {
  if (argv.size() < 2) return std::nullopt;
  if (NameIs(argv[0], "EVAL") || NameIs(argv[0], "EVALSHA")) {
    int keys = 0;
    const std::string& count = argv[2 % argv.size()];
    auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), keys);
    if (argv.size() < 4 || error != std::errc() || keys < 1) return std::nullopt;
    return KeySlot(argv[3]);
  }
  if (NameIs(argv[0], "PING")) return std::nullopt;
  return KeySlot(argv[1]);
}

void ClusterCommander::Start() {
  started_ = true;
  topology_.Refresh();
  for (const ClusterNode& node : topology_.map().Primaries()) Connection(node);
  if (!connected()) ScheduleRepair();
}

void ClusterCommander::Stop() {
  started_ = false;
  loop_.Cancel(repair_timer_);
  repair_timer_ = 0;
  for (auto& [name, connection] : nodes_) connection->Stop();
}

bool ClusterCommander::connected() const {
  std::vector<ClusterNode> primaries = topology_.map().Primaries();
  if (primaries.empty()) return false;
  for (const ClusterNode& node : primaries) {
    auto it = nodes_.find(node.Name());
    if (it == nodes_.end() || !it->second->connected()) return false;
  }
  return true;
}

size_t ClusterCommander::pending() const {
  size_t count = 0;
  for (const auto& [name, connection] : nodes_) count += connection->pending();
  return count;
}

ShardConnection& ClusterCommander::Connection(const ClusterNode& node) {
  std::unique_ptr<ShardConnection>& slot = nodes_[node.Name()];
  if (slot == nullptr) {
    ShardConnection::Handlers handlers;
    handlers.connected = [this] {
      if (on_connected_) on_connected_();
    };
    handlers.lost = [this] { ScheduleRepair(); };
    slot = std::make_unique<ShardConnection>(loop_, metrics_, RedisHostPort{node.host, node.port},
                                             topology_.address().password, "commands " + node.Name(),
                                             connect_timeout_ms_, /*pubsub=*/false, std::move(handlers));
    if (started_) slot->Start();
  }
  return *slot;
}

void ClusterCommander::Command(const std::vector<std::string>& argv, Callback done) {
  Send(std::make_shared<const std::vector<std::string>>(argv), SlotOf(argv), std::move(done), 0);
}

void ClusterCommander::Send(Argv argv, std::optional<uint16_t> slot, Callback done, int redirects) {
  if (!slot) {
    // No key: any primary, a connected one if there is one.
    std::vector<ClusterNode> primaries = topology_.map().Primaries();
    for (const ClusterNode& primary : primaries) {
      auto it = nodes_.find(primary.Name());
      if (it != nodes_.end() && it->second->connected()) {
        return SendTo(*it->second, std::move(argv), slot, std::move(done), redirects, false);
      }
    }
    if (!primaries.empty()) {
      return SendTo(Connection(primaries.front()), std::move(argv), slot, std::move(done), redirects, false);
    }
  } else if (const ClusterNode* node = topology_.NodeFor(*slot)) {
    return SendTo(Connection(*node), std::move(argv), slot, std::move(done), redirects, false);
  }
  // No map yet, or a slot nobody serves: the caller sees Redis as away.
  ScheduleRepair();
  loop_.Defer([done = std::move(done)] { done(nullptr); });
}

void ClusterCommander::SendTo(ShardConnection& connection, Argv argv, std::optional<uint16_t> slot, Callback done,
                              int redirects, bool asking) {
  if (asking) connection.Command({"ASKING"}, [](const redisReply*) {});
  connection.Command(*argv, [this, alive = alive_, argv, slot, redirects,
                             done = std::move(done)](const redisReply* reply) mutable {
    if (!*alive) return;
    if (reply == nullptr) {
      ScheduleRepair();
      return done(nullptr);
    }
    auto redirect = ParseRedirect(ErrorText(reply));
    if (!redirect || redirects >= kMaxRedirects) return done(reply);
    ClusterNode target = redirect->node;
    if (target.host.empty()) target.host = "127.0.0.1";  // "MOVED 1 :6381": the host we asked; ours are IPs
    if (!redirect->ask) {
      topology_.Assign(redirect->slot, target);
      ScheduleRepair();  // a slot moved: others may have too
    }
    // Resent from a fresh loop iteration: we are inside the connection's read loop.
    loop_.Defer([this, alive, argv = std::move(argv), slot, redirects, done = std::move(done), target,
                 ask = redirect->ask]() mutable {
      if (!*alive) return done(nullptr);
      if (ask) return SendTo(Connection(target), std::move(argv), slot, std::move(done), redirects + 1, true);
      Send(std::move(argv), slot, std::move(done), redirects + 1);
    });
  });
}

void ClusterCommander::ScheduleRepair() {
  if (!started_ || repair_timer_ != 0) return;
  repair_timer_ = loop_.RunAfter(kRepairEveryMs, [this] { Repair(); });
}

// A timer, never inside a connection's callback: connections may be freed here.
void ClusterCommander::Repair() {
  repair_timer_ = 0;
  if (!started_) return;
  topology_.Refresh();
  std::vector<ClusterNode> primaries = topology_.map().Primaries();
  for (const ClusterNode& node : primaries) Connection(node);
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    bool primary = false;
    for (const ClusterNode& node : primaries) primary = primary || node.Name() == it->first;
    // A node that is no longer a primary and not reachable (a killed
    // primary after its failover): stop retrying it.
    if (!primary && !it->second->connected()) {
      it->second->Stop();  // its pending commands get nullptr
      it = nodes_.erase(it);
    } else {
      ++it;
    }
  }
  if (!connected()) ScheduleRepair();
}

}  // namespace papo::pusher
