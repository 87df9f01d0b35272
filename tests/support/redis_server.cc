#include "tests/support/redis_server.h"

#include <cstdlib>
#include <stdexcept>

#include "tests/support/net.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/redis_sentinel.h"

namespace papo::testing {

TestRedisForm TestRedisFormFromEnvironment() {
  const char* value = std::getenv("PAPO_TEST_REDIS");
  const std::string form = value != nullptr ? value : "";
  if (form.empty() || form == "single") return TestRedisForm::kSingle;
  if (form == "sentinel") return TestRedisForm::kSentinel;
  if (form == "cluster") return TestRedisForm::kCluster;
  throw std::runtime_error("PAPO_TEST_REDIS=" + form + ": expected single, sentinel or cluster");
}

RedisServer::RedisServer(const std::string& dir) : dir_(dir) {
  switch (TestRedisFormFromEnvironment()) {
    case TestRedisForm::kSingle:
      port_ = FreePort();
      Start();
      break;
    case TestRedisForm::kSentinel:
      sentinel_ = std::make_unique<RedisSentinel>(dir_);
      break;
    case TestRedisForm::kCluster:
      cluster_ = std::make_unique<RedisCluster>(dir_);
      break;
  }
}

RedisServer::~RedisServer() { Stop(); }

bool RedisServer::running() {
  if (cluster_) return cluster_->running();
  return sentinel_ ? sentinel_->MasterPort() > 0 : process_.Running();
}

int RedisServer::port() const {
  if (cluster_) return cluster_->ports().front();
  return sentinel_ ? sentinel_->MasterPort() : port_;
}

pid_t RedisServer::pid() const {
  if (cluster_) return cluster_->pid(cluster_->ports().front());
  return sentinel_ ? sentinel_->MasterPid() : process_.pid();
}

std::string RedisServer::url() const {
  if (cluster_) return cluster_->url();
  return sentinel_ ? sentinel_->url() : "redis://127.0.0.1:" + std::to_string(port_) + "/0";
}

void RedisServer::Start() {
  if (cluster_) return cluster_->Start();
  if (sentinel_) throw std::logic_error("RedisServer::Start: a sentinel topology is not restarted");
  process_ = Process({"/usr/bin/redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                      "--appendonly", "no", "--dir", dir_, "--daemonize", "no", "--loglevel", "warning"},
                     {}, dir_ + "/redis.log");
  if (!WaitForTcp(port_)) throw std::runtime_error("redis-server did not start; see " + dir_ + "/redis.log");
}

void RedisServer::Stop() {
  if (cluster_) return cluster_->Stop();
  if (sentinel_) return sentinel_->Stop();
  process_.Stop();
}

void RedisServer::Kill() {
  if (cluster_) return cluster_->Kill();
  if (sentinel_) {
    sentinel_->KillMaster();
    return;
  }
  process_.Kill();
}

std::unique_ptr<RedisClient> RedisServer::Client() const {
  if (cluster_) return cluster_->Client();
  if (sentinel_) return sentinel_->Client();
  RedisAddress address;
  address.host = "127.0.0.1";
  address.port = port_;
  return std::make_unique<RedisClient>(address, 2000, 0);
}

}  // namespace papo::testing
