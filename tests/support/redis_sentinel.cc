#include "tests/support/redis_sentinel.h"

#include <signal.h>

#include <stdexcept>
#include <thread>

#include "common/redis_sentinel.h"
#include "tests/support/net.h"
#include "tests/support/redis_node.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {
namespace {

using namespace std::chrono_literals;

// An integer field of INFO's "key:value" lines ("" when absent).
std::string InfoField(const std::string& info, const std::string& key) {
  size_t at = info.find("\n" + key + ":");
  if (at == std::string::npos) return "";
  at += key.size() + 2;
  size_t end = info.find_first_of("\r\n", at);
  return info.substr(at, end - at);
}

// The reply of one command on 127.0.0.1:`port`; null when it fails
// (raw hiredis: polled every 50 ms, a RedisClient would log each connect).
RedisReplyPtr Ask(int port, const std::vector<std::string>& command, const std::string& password = "") {
  RedisReplyPtr reply = NodeReply(port, command, 500ms, password);
  if (reply && reply->type == REDIS_REPLY_ERROR) reply.reset();
  return reply;
}

}  // namespace

RedisSentinel::RedisSentinel(const std::string& dir, std::string master_name, std::string password)
    : dir_(dir), master_name_(std::move(master_name)), password_(std::move(password)) {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    node_ports_[i] = FreePort();
    std::vector<std::string> argv = {"/usr/bin/redis-server", "--port", std::to_string(node_ports_[i]), "--bind",
                                     "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir_,
                                     "--dbfilename", "node" + std::to_string(i) + ".rdb", "--daemonize", "no",
                                     "--loglevel", "warning", "--repl-diskless-sync-delay", "0"};
    // No 5 s wait for more replicas before a full sync (the default).
    if (i > 0) argv.insert(argv.end(), {"--replicaof", "127.0.0.1", std::to_string(node_ports_[0])});
    if (!password_.empty()) argv.insert(argv.end(), {"--requirepass", password_, "--masterauth", password_});
    nodes_[i] = Process(argv, {}, dir_ + "/node" + std::to_string(i) + ".log");
    if (!WaitForTcp(node_ports_[i])) throw std::runtime_error("redis node did not start; see " + dir_);
  }
  for (int& port : sentinel_ports_) port = FreePort();
  // Each sentinel is told its own id, the others' and the replica, which it
  // would otherwise learn from hello messages every 2 s: ready at once.
  auto sentinel_id = [](size_t i) { return std::string(40, static_cast<char>('a' + i)); };
  for (size_t i = 0; i < sentinels_.size(); ++i) {
    std::string known = "sentinel myid " + sentinel_id(i) + "\n";
    known += "sentinel known-replica " + master_name_ + " 127.0.0.1 " + std::to_string(node_ports_[1]) + "\n";
    for (size_t j = 0; j < sentinels_.size(); ++j) {
      if (j == i) continue;
      known += "sentinel known-sentinel " + master_name_ + " 127.0.0.1 " + std::to_string(sentinel_ports_[j]) + " " +
               sentinel_id(j) + "\n";
    }
    // The data nodes' password, given after `sentinel monitor` names the master.
    const std::string auth_pass =
        password_.empty() ? "" : "sentinel auth-pass " + master_name_ + " " + password_ + "\n";
    // Sentinel rewrites its configuration file: one writable file each.
    const std::string conf = dir_ + "/sentinel" + std::to_string(i) + ".conf";
    WriteFile(conf, "port " + std::to_string(sentinel_ports_[i]) +
                        "\nbind 127.0.0.1\ndaemonize no\n"
                        "dir " + dir_ + "\n"
                        "sentinel monitor " + master_name_ + " 127.0.0.1 " + std::to_string(node_ports_[0]) +
                        " 2\n" + auth_pass + "sentinel down-after-milliseconds " + master_name_ +
                        " 1000\nsentinel failover-timeout " + master_name_ +
                        " 2000\nsentinel parallel-syncs " + master_name_ + " 1\n" + known);
    sentinels_[i] = Process({"/usr/bin/redis-server", conf, "--sentinel", "--loglevel", "notice"}, {},
                            dir_ + "/sentinel" + std::to_string(i) + ".log");
    if (!WaitForTcp(sentinel_ports_[i])) throw std::runtime_error("sentinel did not start; see " + dir_);
  }
  WaitReady();
}

RedisSentinel::~RedisSentinel() { Stop(); }

void RedisSentinel::Stop() {
  for (auto& sentinel : sentinels_) sentinel.Stop();
  for (auto& node : nodes_) {
    if (node.Running()) node.Signal(SIGCONT);  // a frozen one would ignore SIGTERM
    node.Stop();
  }
}

void RedisSentinel::WaitReady() {
  auto deadline = std::chrono::steady_clock::now() + 30s;
  auto ready = [&] {
    auto info = Ask(node_ports_[1], {"INFO", "replication"}, password_);
    if (!info || InfoField(std::string(info->str, info->len), "master_link_status") != "up") return false;
    for (int port : sentinel_ports_) {
      auto sentinels = Ask(port, {"SENTINEL", "sentinels", master_name_});
      auto replicas = Ask(port, {"SENTINEL", "replicas", master_name_});
      if (!sentinels || sentinels->elements != sentinel_ports_.size() - 1) return false;
      if (!replicas || replicas->elements != nodes_.size() - 1) return false;
    }
    return true;
  };
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("the sentinel topology did not come up in 30 s; see the logs in " + dir_);
    }
    std::this_thread::sleep_for(50ms);
  }
}

std::string RedisSentinel::url(int database) const {
  std::string url = "redis-sentinel://";
  if (!password_.empty()) url += ":" + password_ + "@";
  for (size_t i = 0; i < sentinel_ports_.size(); ++i) {
    url += (i > 0 ? ",127.0.0.1:" : "127.0.0.1:") + std::to_string(sentinel_ports_[i]);
  }
  url += "/" + master_name_;
  if (database != 0) url += "?db=" + std::to_string(database);
  return url;
}

RedisAddress RedisSentinel::address(int database) const {
  auto address = ParseRedisUrl(url(database));
  if (!address.ok()) throw std::logic_error("RedisSentinel::url() does not parse: " + address.status().message());
  return std::move(address).value();
}

std::unique_ptr<RedisClient> RedisSentinel::Client() const {
  return std::make_unique<RedisClient>(address(), 2000, 0);
}

int RedisSentinel::MasterPort() const {
  auto master = ResolveSentinelMaster(address());
  return master.ok() ? master->port : -1;
}

pid_t RedisSentinel::MasterPid() const {
  const int port = MasterPort();
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (node_ports_[i] == port) return nodes_[i].pid();
  }
  return -1;
}

int RedisSentinel::KillMaster() {
  const int port = MasterPort();
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (node_ports_[i] == port) {
      nodes_[i].Kill();
      return port;
    }
  }
  throw std::runtime_error("RedisSentinel::KillMaster: no master now");
}

int RedisSentinel::FreezeMaster() {
  const int port = MasterPort();
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (node_ports_[i] == port) {
      nodes_[i].Signal(SIGSTOP);
      return port;
    }
  }
  throw std::runtime_error("RedisSentinel::FreezeMaster: no master now");
}

bool RedisSentinel::WaitForFailover(int old_master_port, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const int port = MasterPort();
    if (port > 0 && port != old_master_port) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

}  // namespace papo::testing
