// RedisServer: a real redis-server on a free 127.0.0.1 port, in the test's
// directory, without persistence; stopped by PID.
//
// Or another deployment form of Redis, chosen by PAPO_TEST_REDIS so that
// the same suites run on each (tests/integration/*.cmake registers them
// again with a prefix): "sentinel" starts a RedisSentinel topology (a
// master, a replica, three sentinels), url() is its redis-sentinel:// URL
// and Client() finds the master through the sentinels. "cluster" starts a
// RedisCluster (3 primaries + 3 replicas): url() is its redis-cluster://
// URL, Client() routes by slot, Stop/Start/Kill act on every node.
#pragma once

#include <memory>
#include <string>

#include "common/redis_client.h"
#include "tests/support/process.h"

namespace papo::testing {

class RedisCluster;
class RedisSentinel;

// The form PAPO_TEST_REDIS names: unset, "" or "single" = one server.
// Throws std::runtime_error for a value it does not know.
enum class TestRedisForm { kSingle, kSentinel, kCluster };
TestRedisForm TestRedisFormFromEnvironment();

class RedisServer final {
 public:
  // Picks a port and starts. `dir` holds its log.
  explicit RedisServer(const std::string& dir);
  ~RedisServer();

  // Single form: on the same port as before; cluster form: every node
  // again. Sentinel form: std::logic_error.
  void Start();
  void Stop();  // every process of the form
  // SIGKILL of the server (sentinel form: of the master now).
  void Kill();
  bool running();
  // The server's port (sentinel form: the master's now; cluster form: the
  // first node's, which serves only some slots: see cluster()).
  int port() const;
  std::string url() const;
  // A new synchronous client (for assertions and fixtures).
  std::unique_ptr<RedisClient> Client() const;
  pid_t pid() const;
  // The topology in the sentinel form; null otherwise.
  RedisSentinel* sentinel() const { return sentinel_.get(); }
  // The cluster in the cluster form; null otherwise.
  RedisCluster* cluster() const { return cluster_.get(); }

 private:
  std::string dir_;
  int port_ = 0;
  Process process_;
  std::unique_ptr<RedisSentinel> sentinel_;
  std::unique_ptr<RedisCluster> cluster_;
};

}  // namespace papo::testing
