// RedisSubscriber: a real SUBSCRIBE connection for assertions ("was it
// published on the channel?").
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/redis_handle.h"
#include "tests/support/redis_server.h"

namespace papo::testing {

class RedisSubscriber final {
 public:
  RedisSubscriber(int port, const std::string& channel);
  // On whatever form `redis` runs: on a cluster, a sharded channel
  // (IsShardedChannel) is SSUBSCRIBEd on its slot's primary, where papo
  // SPUBLISHes it; a classic one SUBSCRIBEd on any node.
  RedisSubscriber(const RedisServer& redis, const std::string& channel);
  // The next message payload, or nullopt after `timeout`. After a timeout
  // the connection is unusable (hiredis marks it failed).
  std::optional<std::string> Next(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

 private:
  void Subscribe(int port, const char* verb, const std::string& channel);

  RedisContextPtr context_;
};

}  // namespace papo::testing
