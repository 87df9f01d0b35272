#include "tests/support/redis_server.h"

#include <stdexcept>

#include "tests/support/net.h"

namespace papo::testing {

RedisServer::RedisServer(const std::string& dir) : dir_(dir), port_(FreePort()) { Start(); }

void RedisServer::Start() {
  process_ = Process({"/usr/bin/redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                      "--appendonly", "no", "--dir", dir_, "--daemonize", "no", "--loglevel", "warning"},
                     {}, dir_ + "/redis.log");
  if (!WaitForTcp(port_)) throw std::runtime_error("redis-server did not start; see " + dir_ + "/redis.log");
}

void RedisServer::Stop() { process_.Stop(); }

void RedisServer::Kill() { process_.Kill(); }

std::unique_ptr<RedisClient> RedisServer::Client() const {
  RedisAddress address;
  address.host = "127.0.0.1";
  address.port = port_;
  return std::make_unique<RedisClient>(address, 2000, 0);
}

}  // namespace papo::testing
