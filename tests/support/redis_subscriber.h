// RedisSubscriber: a real SUBSCRIBE connection for assertions ("was it
// published on the channel?").
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/redis_handle.h"

namespace papo::testing {

class RedisSubscriber final {
 public:
  RedisSubscriber(int port, const std::string& channel);
  // The next message payload, or nullopt after `timeout`. After a timeout
  // the connection is unusable (hiredis marks it failed).
  std::optional<std::string> Next(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

 private:
  RedisContextPtr context_;
};

}  // namespace papo::testing
