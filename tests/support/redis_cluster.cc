#include "tests/support/redis_cluster.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "common/bus/cluster_slots.h"
#include "tests/support/net.h"
#include "tests/support/redis_node.h"

namespace papo::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kFormTimeout = std::chrono::seconds(30);

std::string Text(const redisReply* reply) { return std::string(reply->str, reply->len); }

// Polls `done` every 50 ms until it holds; throws `what` after `timeout`.
template <typename Predicate>
void WaitFor(Predicate done, const std::string& what, std::chrono::milliseconds timeout = kFormTimeout) {
  const auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > deadline) throw std::runtime_error("redis cluster: " + what);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

RedisCluster::RedisCluster(const std::string& dir, RedisClusterOptions options) : dir_(dir), options_(options) {
  const int count = options_.primaries * (1 + options_.replicas_per_primary);
  for (int i = 0; i < count; ++i) {
    auto node = std::make_unique<Node>();
    node->port = FreePort();
    node->bus_port = FreePort();
    node->dir = dir_ + "/redis-cluster-" + std::to_string(node->port);
    ::mkdir(node->dir.c_str(), 0700);
    StartNode(*node);
    nodes_.push_back(std::move(node));
  }
  Form();
}

RedisCluster::~RedisCluster() {
  // SIGTERM to all first, so the nodes shut down together, then reap each.
  for (auto& node : nodes_) {
    if (node->alive) node->process.Signal(SIGTERM);
  }
  for (auto& node : nodes_) node->process.Stop();
}

void RedisCluster::Stop() {
  for (auto& node : nodes_) {
    if (node->alive) node->process.Signal(SIGTERM);
  }
  for (auto& node : nodes_) {
    node->process.Stop();
    node->alive = false;
  }
}

void RedisCluster::Kill() {
  for (auto& node : nodes_) {
    node->process.Kill();
    node->alive = false;
  }
}

void RedisCluster::Start() {
  for (auto& node : nodes_) {
    if (!node->alive) StartNode(*node);
  }
  WaitUntilOk();
}

bool RedisCluster::running() const {
  return std::any_of(nodes_.begin(), nodes_.end(), [](const auto& node) { return node->alive; });
}

pid_t RedisCluster::pid(int port) const {
  const Node& node = NodeOn(port);
  return node.alive ? node.process.pid() : -1;
}

std::unique_ptr<RedisClient> RedisCluster::Client() const {
  return std::make_unique<RedisClient>(address(), 2000, 0);
}

void RedisCluster::StartNode(Node& node) {
  // repl-diskless-sync-delay 0: a replica's first sync starts at once (the
  // default waits 5 s for more replicas); repl-ping-replica-period 1: CLUSTER
  // SLOTS lists a replica only once its replication offset moved, which on
  // an idle primary takes a ping (10 s by default). The cluster bus port is
  // a free port of its own: port + 10000 (the default) may be taken, or past
  // 65535.
  std::vector<std::string> argv = {
      "/usr/bin/redis-server", "--port", std::to_string(node.port), "--bind", "127.0.0.1",
      "--cluster-enabled", "yes", "--cluster-config-file", node.dir + "/nodes.conf",
      "--cluster-port", std::to_string(node.bus_port), "--cluster-announce-ip", "127.0.0.1",
      "--cluster-node-timeout", std::to_string(options_.node_timeout_ms), "--save", "",
      "--appendonly", "no", "--repl-diskless-sync-delay", "0",
      "--repl-ping-replica-period", "1", "--dir", node.dir, "--daemonize", "no",
      "--loglevel", "notice"};
  if (!options_.password.empty()) {
    argv.insert(argv.end(), {"--requirepass", options_.password, "--masterauth", options_.password});
  }
  node.process = Process(argv, {}, node.dir + "/redis.log");
  if (!WaitForTcp(node.port)) {
    throw std::runtime_error("redis cluster node did not start; see " + node.dir + "/redis.log");
  }
  node.alive = true;
}

RedisReplyPtr RedisCluster::NodeCommand(int port, const std::vector<std::string>& command) const {
  return NodeReply(port, command, std::chrono::seconds(2), options_.password);
}

std::string RedisCluster::Require(int port, const std::vector<std::string>& command) const {
  auto reply = NodeCommand(port, command);
  std::string what = command.empty() ? "" : command[0] + (command.size() > 1 ? " " + command[1] : "");
  if (!reply) throw std::runtime_error("redis cluster: node " + std::to_string(port) + " did not answer " + what);
  if (reply->type == REDIS_REPLY_ERROR) {
    throw std::runtime_error("redis cluster: node " + std::to_string(port) + " refused " + what + ": " +
                             Text(reply.get()));
  }
  return reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_STATUS ? Text(reply.get()) : "";
}

void RedisCluster::Form() {
  for (auto& node : nodes_) node->id = Require(node->port, {"CLUSTER", "MYID"});
  const int primaries = options_.primaries;
  for (int i = 0; i < primaries; ++i) {
    const int first = i * kClusterSlots / primaries;
    const int last = (i + 1) * kClusterSlots / primaries - 1;
    Require(nodes_[i]->port, {"CLUSTER", "ADDSLOTSRANGE", std::to_string(first), std::to_string(last)});
  }
  for (size_t i = 1; i < nodes_.size(); ++i) {
    // The bus port is given: MEET would assume port + 10000.
    Require(nodes_[i]->port, {"CLUSTER", "MEET", "127.0.0.1", std::to_string(nodes_[0]->port),
                              std::to_string(nodes_[0]->bus_port)});
  }
  // REPLICATE needs the primary's id known to the replica: wait for gossip.
  const size_t count = nodes_.size();
  WaitFor(
      [&] {
        for (const auto& node : nodes_) {
          auto reply = NodeCommand(node->port, {"CLUSTER", "NODES"});
          if (!reply || reply->type != REDIS_REPLY_STRING) return false;
          std::string text = Text(reply.get());
          size_t lines = 0;
          for (char c : text) lines += c == '\n';
          if (lines != count || text.find("handshake") != std::string::npos ||
              text.find("noaddr") != std::string::npos) {
            return false;
          }
        }
        return true;
      },
      "the nodes did not all meet; see " + dir_ + "/redis-cluster-*/redis.log");
  for (size_t i = primaries; i < nodes_.size(); ++i) {
    const auto& primary = *nodes_[(i - primaries) % primaries];
    Require(nodes_[i]->port, {"CLUSTER", "REPLICATE", primary.id});
  }
  // In sync, so that a killed primary's replica may take over.
  WaitFor(
      [&] {
        for (size_t i = primaries; i < nodes_.size(); ++i) {
          auto reply = NodeCommand(nodes_[i]->port, {"INFO", "replication"});
          if (!reply || reply->type != REDIS_REPLY_STRING) return false;
          if (Text(reply.get()).find("master_link_status:up") == std::string::npos) return false;
        }
        return true;
      },
      "the replicas did not sync; see " + dir_ + "/redis-cluster-*/redis.log");
  WaitUntilOk();
  // Every node's CLUSTER SLOTS lists the replicas too (clients read it).
  WaitFor(
      [&] {
        for (const auto& node : nodes_) {
          auto reply = NodeCommand(node->port, {"CLUSTER", "SLOTS"});
          auto map = SlotMap::FromClusterSlots(reply.get());
          if (!map.ok() || map->KnownNodes().size() != count) return false;
        }
        return true;
      },
      "CLUSTER SLOTS does not list every node");
}

void RedisCluster::WaitUntilOk() const {
  WaitFor(
      [&] {
        for (const auto& node : nodes_) {
          if (!node->alive) continue;
          auto reply = NodeCommand(node->port, {"CLUSTER", "INFO"});
          if (!reply || reply->type != REDIS_REPLY_STRING) return false;
          if (Text(reply.get()).find("cluster_state:ok") == std::string::npos) return false;
        }
        return true;
      },
      "cluster_state is not ok on every node; see " + dir_ + "/redis-cluster-*/redis.log");
}

std::string RedisCluster::url() const {
  std::string url = "redis-cluster://";
  if (!options_.password.empty()) url += ":" + options_.password + "@";
  for (size_t i = 0; i < nodes_.size(); ++i) {
    url += (i ? "," : "") + std::string("127.0.0.1:") + std::to_string(nodes_[i]->port);
  }
  return url;
}

RedisAddress RedisCluster::address() const {
  RedisAddress address;
  address.mode = RedisMode::kCluster;
  address.host.clear();
  address.port = 0;
  address.password = options_.password;
  for (const auto& node : nodes_) address.seeds.push_back({"127.0.0.1", node->port});
  return address;
}

std::vector<int> RedisCluster::ports() const {
  std::vector<int> ports;
  for (const auto& node : nodes_) ports.push_back(node->port);
  return ports;
}

const RedisCluster::Node& RedisCluster::NodeOn(int port) const {
  for (const auto& node : nodes_) {
    if (node->port == port) return *node;
  }
  throw std::runtime_error("redis cluster: no node on port " + std::to_string(port));
}

int RedisCluster::AnyLivePort() const {
  for (const auto& node : nodes_) {
    if (node->alive) return node->port;
  }
  throw std::runtime_error("redis cluster: no node is running");
}

int RedisCluster::PrimaryOf(uint16_t slot) const {
  for (const auto& node : nodes_) {
    if (!node->alive) continue;
    auto reply = NodeCommand(node->port, {"CLUSTER", "SLOTS"});
    auto map = SlotMap::FromClusterSlots(reply.get());
    if (map.ok() && map->NodeFor(slot) != nullptr) return map->NodeFor(slot)->port;
  }
  throw std::runtime_error("redis cluster: no live node knows who serves slot " + std::to_string(slot));
}

std::vector<int> RedisCluster::Primaries() const {
  auto reply = NodeCommand(AnyLivePort(), {"CLUSTER", "SLOTS"});
  auto map = SlotMap::FromClusterSlots(reply.get());
  if (!map.ok()) throw std::runtime_error("redis cluster: CLUSTER SLOTS: " + map.status().message());
  std::vector<int> ports;
  for (const auto& primary : map->Primaries()) ports.push_back(primary.port);
  return ports;
}

int RedisCluster::KillPrimaryOf(uint16_t slot) {
  const int port = PrimaryOf(slot);
  for (auto& node : nodes_) {
    if (node->port == port) {
      node->process.Kill();
      node->alive = false;
    }
  }
  return port;
}

int RedisCluster::WaitForFailover(uint16_t slot) {
  int owner = 0;
  WaitFor(
      [&] {
        try {
          owner = PrimaryOf(slot);
        } catch (const std::runtime_error&) {
          return false;
        }
        return NodeOn(owner).alive;
      },
      "no replica took over slot " + std::to_string(slot) + "; see " + dir_ + "/redis-cluster-*/redis.log");
  WaitForSlotOwner(slot, owner);
  return owner;
}

void RedisCluster::WaitForSlotOwner(uint16_t slot, int port) const {
  WaitUntilOk();
  WaitFor(
      [&] {
        for (const auto& node : nodes_) {
          if (!node->alive) continue;
          auto reply = NodeCommand(node->port, {"CLUSTER", "SLOTS"});
          auto map = SlotMap::FromClusterSlots(reply.get());
          if (!map.ok() || map->NodeFor(slot) == nullptr || map->NodeFor(slot)->port != port) return false;
        }
        return true;
      },
      "not every node sends slot " + std::to_string(slot) + " to port " + std::to_string(port));
}

void RedisCluster::MigrateSlot(uint16_t slot, int to_port) {
  if (PrimaryOf(slot) == to_port) return;
  BeginMigration(slot, to_port);
  MoveKeys(slot, to_port);
  EndMigration(slot, to_port);
}

void RedisCluster::BeginMigration(uint16_t slot, int to_port) {
  const Node& source = NodeOn(PrimaryOf(slot));
  const Node& target = NodeOn(to_port);
  const std::string slot_text = std::to_string(slot);
  Require(target.port, {"CLUSTER", "SETSLOT", slot_text, "IMPORTING", source.id});
  Require(source.port, {"CLUSTER", "SETSLOT", slot_text, "MIGRATING", target.id});
}

void RedisCluster::MoveKeys(uint16_t slot, int to_port) {
  const int from_port = PrimaryOf(slot);
  const std::string slot_text = std::to_string(slot);
  for (;;) {
    auto keys = NodeCommand(from_port, {"CLUSTER", "GETKEYSINSLOT", slot_text, "100"});
    if (!keys || keys->type != REDIS_REPLY_ARRAY) throw std::runtime_error("redis cluster: GETKEYSINSLOT failed");
    if (keys->elements == 0) break;
    std::vector<std::string> migrate = {"MIGRATE", "127.0.0.1", std::to_string(to_port), "", "0", "5000"};
    if (!options_.password.empty()) migrate.insert(migrate.end(), {"AUTH", options_.password});
    migrate.push_back("KEYS");
    for (size_t i = 0; i < keys->elements; ++i) migrate.push_back(Text(keys->element[i]));
    Require(from_port, migrate);
  }
}

void RedisCluster::EndMigration(uint16_t slot, int to_port) {
  const Node& source = NodeOn(PrimaryOf(slot));
  const Node& target = NodeOn(to_port);
  const std::string slot_text = std::to_string(slot);
  // The target first (it bumps its epoch and announces itself), then the
  // source (which stops answering ASK), then every other primary.
  Require(target.port, {"CLUSTER", "SETSLOT", slot_text, "NODE", target.id});
  if (source.port != target.port) Require(source.port, {"CLUSTER", "SETSLOT", slot_text, "NODE", target.id});
  for (int port : Primaries()) {
    if (port != source.port && port != target.port) {
      Require(port, {"CLUSTER", "SETSLOT", slot_text, "NODE", target.id});
    }
  }
  WaitForSlotOwner(slot, target.port);
}

}  // namespace papo::testing
