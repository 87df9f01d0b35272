#include "sse-pusher/sharded_subscriber.h"

#include "common/bus/names.h"
#include "common/log.h"

namespace papo::pusher {
namespace {

std::string_view Text(const redisReply* reply) {
  if (reply == nullptr || (reply->type != REDIS_REPLY_STRING && reply->type != REDIS_REPLY_STATUS &&
                           reply->type != REDIS_REPLY_ERROR)) {
    return {};
  }
  return {reply->str, reply->len};
}

}  // namespace

ShardedSubscriber::ShardedSubscriber(EventLoop& loop, PusherMetrics& metrics, ClusterTopology& topology,
                                     int connect_timeout_ms, std::vector<std::string> permanent_channels,
                                     RedisSubscriber::Listener& listener)
    : loop_(loop),
      metrics_(metrics),
      topology_(topology),
      connect_timeout_ms_(connect_timeout_ms),
      permanent_channels_(std::move(permanent_channels)),
      listener_(listener) {}

ShardedSubscriber::~ShardedSubscriber() {
  *alive_ = false;
  loop_.Cancel(repair_timer_);
  nodes_.clear();
  classic_.reset();
}

void ShardedSubscriber::Start() {
  started_ = true;
  topology_.Refresh();
  std::vector<ClusterNode> primaries = topology_.map().Primaries();
  if (!primaries.empty()) {
    StartClassic(primaries.front());
  } else if (!topology_.address().seeds.empty()) {
    const RedisHostPort& seed = topology_.address().seeds.front();
    StartClassic(ClusterNode{seed.host, seed.port});
  }
  for (auto& [name, channel] : channels_) {
    if (channel.wanted && channel.state == State::kIdle) TrySubscribe(name, channel);
  }
  ScheduleRepair();
}

void ShardedSubscriber::Stop() {
  started_ = false;
  loop_.Cancel(repair_timer_);
  repair_timer_ = 0;
  if (classic_ != nullptr) classic_->Stop();
  for (auto& [name, connection] : nodes_) connection->Stop();
}

bool ShardedSubscriber::connected() const {
  if (classic_ == nullptr || !classic_->connected()) return false;
  for (const auto& [name, channel] : channels_) {
    if (!channel.wanted || channel.node.empty()) continue;
    auto it = nodes_.find(channel.node);
    if (it == nodes_.end() || !it->second->connected()) return false;
  }
  return true;
}

void ShardedSubscriber::StartClassic(const ClusterNode& node) {
  classic_node_ = node.Name();
  classic_ = std::make_unique<RedisSubscriber>(loop_, metrics_, topology_.NodeAddress(node), connect_timeout_ms_,
                                               permanent_channels_, *this);
  for (const std::string& channel : classic_wanted_) classic_->Want(channel);
  classic_->Start();
}

ShardConnection& ShardedSubscriber::Node(const ClusterNode& node) {
  std::string name = node.Name();
  std::unique_ptr<ShardConnection>& slot = nodes_[name];
  if (slot == nullptr) {
    ShardConnection::Handlers handlers;
    handlers.connected = [this, name] { HandleNodeConnected(name); };
    handlers.lost = [this, name] { HandleNodeLost(name); };
    handlers.push = [this, name](const redisReply& push) { HandlePush(name, push); };
    handlers.unsolicited = [this, name](const redisReply& reply) { HandleError(name, reply); };
    slot = std::make_unique<ShardConnection>(loop_, metrics_, RedisHostPort{node.host, node.port},
                                             topology_.address().password, "shard subscriber " + name,
                                             connect_timeout_ms_, /*pubsub=*/true, std::move(handlers));
    if (started_) slot->Start();
  }
  return *slot;
}

void ShardedSubscriber::Want(const std::string& channel) {
  if (!IsShardedChannel(channel)) {
    classic_wanted_.insert(channel);
    classic_releasing_.erase(channel);
    if (classic_ != nullptr) classic_->Want(channel);
    return;
  }
  auto it = channels_.try_emplace(channel).first;
  it->second.wanted = true;
  if (it->second.state == State::kIdle) TrySubscribe(it->first, it->second);
}

void ShardedSubscriber::Release(const std::string& channel) {
  if (!IsShardedChannel(channel)) {
    if (classic_wanted_.erase(channel) == 0) return;
    classic_releasing_.insert(channel);
    if (classic_ != nullptr) classic_->Release(channel);
    return;
  }
  auto it = channels_.find(channel);
  if (it == channels_.end()) return;
  it->second.wanted = false;
  switch (it->second.state) {
    case State::kIdle:
      channels_.erase(it);
      listener_.OnUnsubscribed(channel);
      return;
    case State::kSubscribed: {
      auto node = nodes_.find(it->second.node);
      if (node != nodes_.end() && node->second->Send({"SUNSUBSCRIBE", it->first})) {
        it->second.state = State::kUnsubscribing;
        return;
      }
      // Its node's connection is down: nothing left to unsubscribe.
      channels_.erase(it);
      listener_.OnUnsubscribed(channel);
      return;
    }
    case State::kSubscribing:  // unsubscribed when the SSUBSCRIBE's answer arrives
    case State::kUnsubscribing:
      return;
  }
}

bool ShardedSubscriber::IsSubscribed(const std::string& channel) const {
  auto it = channels_.find(channel);
  return it != channels_.end() && it->second.state == State::kSubscribed;
}

std::string ShardedSubscriber::NodeOf(const std::string& channel) const {
  auto it = channels_.find(channel);
  return it == channels_.end() ? std::string() : it->second.node;
}

void ShardedSubscriber::TrySubscribe(const std::string& name, Channel& channel) {
  if (!started_) return;
  const ClusterNode* node = topology_.NodeFor(KeySlot(name));
  if (node == nullptr) return ScheduleRepair();
  ShardConnection& connection = Node(*node);
  channel.node = node->Name();
  // Not connected yet: HandleNodeConnected sends it.
  if (connection.Send({"SSUBSCRIBE", name})) channel.state = State::kSubscribing;
}

void ShardedSubscriber::HandleNodeConnected(const std::string& node) {
  for (auto& [name, channel] : channels_) {
    if (channel.wanted && channel.state == State::kIdle && channel.node == node) TrySubscribe(name, channel);
  }
}

void ShardedSubscriber::Dropped(std::unordered_map<std::string, Channel>::iterator it) {
  if (it->second.wanted) {
    it->second.state = State::kIdle;
    ScheduleRepair();
    return;
  }
  std::string released = it->first;
  channels_.erase(it);
  listener_.OnUnsubscribed(released);
}

void ShardedSubscriber::HandleNodeLost(const std::string& node) {
  std::vector<std::string> affected;
  for (auto& [name, channel] : channels_) {
    if (channel.node == node && channel.state != State::kIdle) affected.push_back(name);
  }
  Log(LogLevel::kWarn, "pusher_cluster_node_lost").Kv("node", node).Kv("channels", static_cast<uint64_t>(affected.size()));
  for (const std::string& name : affected) {
    auto it = channels_.find(name);
    if (it != channels_.end()) Dropped(it);
  }
  ScheduleRepair();
}

void ShardedSubscriber::HandlePush(const std::string& node, const redisReply& push) {
  std::string_view kind = Text(push.element[0]);
  std::string_view name = Text(push.element[1]);
  if (kind == "smessage" || kind == "message") {
    ++metrics_.events_received;
    listener_.OnMessage(name, Text(push.element[2]));
    return;
  }
  if (kind != "ssubscribe" && kind != "sunsubscribe") return;
  auto it = channels_.find(std::string(name));
  bool ours = it != channels_.end() && it->second.node == node;
  if (kind == "ssubscribe") {
    auto connection = nodes_.find(node);
    if (!ours || !it->second.wanted) {
      // Released meanwhile, or sent to a node it no longer lives on.
      if (connection != nodes_.end()) connection->second->Send({"SUNSUBSCRIBE", std::string(name)});
      if (ours) it->second.state = State::kUnsubscribing;
      return;
    }
    Channel& channel = it->second;
    channel.state = State::kSubscribed;
    if (channel.was_subscribed) {
      ++resubscribes_;
      ++metrics_.cluster_resubscribes;
    }
    channel.was_subscribed = true;
    listener_.OnSubscribed(it->first);
    return;
  }
  // sunsubscribe
  if (!ours) return;
  if (it->second.state == State::kUnsubscribing) {
    if (it->second.wanted) {
      it->second.state = State::kIdle;
      TrySubscribe(it->first, it->second);
      return;
    }
    std::string released = it->first;
    channels_.erase(it);
    listener_.OnUnsubscribed(released);
    return;
  }
  // Not asked for: the server dropped us because the slot moved (a
  // migration or a failover); it is subscribed again where it lives now.
  Log(LogLevel::kInfo, "pusher_cluster_channel_moved").Kv("channel", name).Kv("node", node);
  Dropped(it);
}

void ShardedSubscriber::HandleError(const std::string& node, const redisReply& reply) {
  if (reply.type != REDIS_REPLY_ERROR) return;
  std::string_view error = Text(&reply);
  auto redirect = ParseRedirect(error);
  if (redirect && !redirect->ask) {
    ClusterNode target = redirect->node;
    if (target.host.empty()) target.host = node.substr(0, node.rfind(':'));
    topology_.Assign(redirect->slot, target);
  }
  Log(LogLevel::kInfo, "pusher_cluster_subscribe_refused").Kv("node", node).Kv("error", error);
  // The answer names no channel: every (un)subscription still in flight on
  // that node for that slot (for any slot, when it names none) starts over;
  // a confirmation that arrives later is still taken (HandlePush).
  std::vector<std::string> affected;
  for (auto& [name, channel] : channels_) {
    if (channel.node != node) continue;
    if (channel.state != State::kSubscribing && channel.state != State::kUnsubscribing) continue;
    if (redirect && KeySlot(name) != redirect->slot) continue;
    affected.push_back(name);
  }
  for (const std::string& name : affected) {
    auto it = channels_.find(name);
    if (it == channels_.end()) continue;
    Dropped(it);
    // MOVED named the owner: no need to wait for the repair.
    if (redirect && !redirect->ask) {
      it = channels_.find(name);
      if (it != channels_.end() && it->second.wanted) TrySubscribe(it->first, it->second);
    }
  }
  ScheduleRepair();
}

void ShardedSubscriber::OnSubscribed(const std::string& channel) { listener_.OnSubscribed(channel); }

void ShardedSubscriber::OnUnsubscribed(const std::string& channel) {
  classic_releasing_.erase(channel);
  listener_.OnUnsubscribed(channel);
}

void ShardedSubscriber::OnMessage(std::string_view channel, std::string_view payload) {
  listener_.OnMessage(channel, payload);
}

void ShardedSubscriber::OnConnectionLost() {
  // Only classic channels were on it (the public list, sessions, control):
  // no room to resynchronise, and the rooms on other nodes are still live.
  ScheduleRepair();
}

void ShardedSubscriber::ScheduleRepair() {
  if (!started_ || repair_timer_ != 0) return;
  // The first repair after a quiet spell runs at once (a slot move, a node
  // lost); while it does not succeed, every kRepairEveryMs.
  repair_timer_ = loop_.RunAfter(repairing_ ? kRepairEveryMs : kFirstRepairMs, [this] { Repair(); });
}

// A timer, never inside a connection's callback: connections may be freed here.
void ShardedSubscriber::Repair() {
  repair_timer_ = 0;
  if (!started_) return;
  topology_.Refresh();
  std::vector<ClusterNode> primaries = topology_.map().Primaries();
  auto is_primary = [&primaries](const std::string& name) {
    for (const ClusterNode& node : primaries) {
      if (node.Name() == name) return true;
    }
    return false;
  };
  bool pending = false;
  if (classic_ != nullptr && !classic_->connected()) {
    pending = true;
    if (!primaries.empty() && !is_primary(classic_node_)) {
      // Its node is gone for good (a killed primary after its failover).
      Log(LogLevel::kInfo, "pusher_cluster_classic_moved").Kv("from", classic_node_).Kv("to", primaries.front().Name());
      classic_.reset();
      std::set<std::string> released;
      released.swap(classic_releasing_);
      for (const std::string& channel : released) listener_.OnUnsubscribed(channel);
      StartClassic(primaries.front());
    }
  }
  for (auto& [name, channel] : channels_) {
    if (!channel.wanted || channel.state == State::kSubscribed) continue;
    pending = true;
    if (channel.state == State::kIdle) TrySubscribe(name, channel);
  }
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    if (!is_primary(it->first) && !it->second->connected()) {
      it = nodes_.erase(it);  // no channel is in flight on a connection that is down
    } else {
      ++it;
    }
  }
  repairing_ = pending;
  if (pending) ScheduleRepair();
}

}  // namespace papo::pusher
