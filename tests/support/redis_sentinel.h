// RedisSentinel: a real Sentinel topology for tests — one master, one
// replica and three sentinels (quorum 2), all redis-server processes on
// free 127.0.0.1 ports in the test's directory, without persistence,
// stopped by PID. The sentinels judge a node down after 1 s and may retry
// a failover after 2 s, so a failover takes a few seconds.
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <memory>
#include <string>

#include "common/config.h"
#include "common/redis_client.h"
#include "tests/support/process.h"

namespace papo::testing {

class RedisSentinel final {
 public:
  // Starts every process and returns once the master has its replica in
  // sync and every sentinel knows the replica and the two other sentinels
  // (so a failover can be agreed on). Throws std::runtime_error otherwise.
  // A non-empty `password`: requirepass and masterauth on master and
  // replica, `sentinel auth-pass` on the sentinels (which themselves take
  // none), and url() carries it as redis-sentinel://:<password>@….
  explicit RedisSentinel(const std::string& dir, std::string master_name = "papo", std::string password = "");
  ~RedisSentinel();
  RedisSentinel(const RedisSentinel&) = delete;
  RedisSentinel& operator=(const RedisSentinel&) = delete;

  // redis-sentinel://127.0.0.1:<s1>,127.0.0.1:<s2>,127.0.0.1:<s3>/<master>?db=N
  std::string url(int database = 0) const;
  // The data nodes' ports (master first, as started).
  const std::array<int, 2>& node_ports() const { return node_ports_; }
  RedisAddress address(int database = 0) const;
  const std::string& master_name() const { return master_name_; }
  // A new synchronous client that finds the master through the sentinels.
  std::unique_ptr<RedisClient> Client() const;

  // The port of the node the sentinels name and that says it is the master
  // (-1 when there is none now).
  int MasterPort() const;
  pid_t MasterPid() const;
  // kill -9 of the master's process (found by its port, killed by PID).
  // Returns the port it had.
  int KillMaster();
  // SIGSTOP of the master's process: a host that froze or was cut off (its
  // connections stay open and nothing answers on them). Returns its port.
  int FreezeMaster();
  // Waits until a node other than the one on `old_master_port` is master
  // and named so by the sentinels. False after `timeout`.
  bool WaitForFailover(int old_master_port, std::chrono::milliseconds timeout = std::chrono::milliseconds(30000));
  // Stops every process (sentinels first, so none starts a failover).
  void Stop();

 private:
  void WaitReady();
  std::string dir_;
  std::string master_name_;
  std::string password_;
  std::array<int, 2> node_ports_{};
  std::array<Process, 2> nodes_;
  std::array<int, 3> sentinel_ports_{};
  std::array<Process, 3> sentinels_;
};

}  // namespace papo::testing
