// RedisServer: a real redis-server on a free 127.0.0.1 port, in the test's
// directory, without persistence; stopped by PID.
#pragma once

#include <memory>
#include <string>

#include "common/redis_client.h"
#include "tests/support/process.h"

namespace papo::testing {

class RedisServer final {
 public:
  // Picks a port and starts. `dir` holds its log.
  explicit RedisServer(const std::string& dir);
  ~RedisServer() { Stop(); }

  void Start();  // on the same port as before
  void Stop();
  void Kill();
  bool running() { return process_.Running(); }
  int port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }
  // A new synchronous client (for assertions and fixtures).
  std::unique_ptr<RedisClient> Client() const;
  pid_t pid() const { return process_.pid(); }

 private:
  std::string dir_;
  int port_;
  Process process_;
};

}  // namespace papo::testing
