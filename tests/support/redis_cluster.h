// RedisCluster: a real Redis Cluster of redis-server processes on free
// 127.0.0.1 ports, each node's nodes.conf and log under the test's
// directory, without persistence; every process stopped by its PID.
//
// The constructor returns once the cluster is whole: slots spread evenly
// over the primaries (CLUSTER ADDSLOTSRANGE), every node met (CLUSTER MEET),
// each replica following its primary and in sync, and cluster_state:ok on
// every node. cluster-node-timeout is short (1 s by default), so a killed
// primary's replica takes over within a few seconds.
// Throws std::runtime_error (naming the log to read) when a step does not
// happen within its time. Thread-compatible.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/redis_client.h"
#include "common/redis_handle.h"
#include "tests/support/process.h"

namespace papo::testing {

struct RedisClusterOptions {
  int primaries = 3;
  int replicas_per_primary = 1;  // 3 primaries + 3 replicas by default
  int node_timeout_ms = 1000;
  // Non-empty: requirepass and masterauth on every node (a replica
  // authenticates to its primary); url() and address() carry it, and the
  // fixture's own node commands send AUTH.
  std::string password = "";  // an initializer: g++ 12 -Wmissing-field-initializers on {.primaries = …}
};

class RedisCluster final {
 public:
  explicit RedisCluster(const std::string& dir, RedisClusterOptions options = {});
  ~RedisCluster();  // stops every node by PID
  RedisCluster(const RedisCluster&) = delete;
  RedisCluster& operator=(const RedisCluster&) = delete;

  // Every node at once: SIGTERM (each saves its nodes.conf) or SIGKILL.
  void Stop();
  void Kill();
  // Starts every stopped node again on its ports; they find each other
  // through nodes.conf (empty: no persistence). Waits for cluster_state:ok.
  void Start();
  bool running() const;  // some node runs
  pid_t pid(int port) const;  // the node's on `port` (-1 when stopped)
  // A new synchronous client on the cluster (for assertions and fixtures).
  std::unique_ptr<RedisClient> Client() const;

  // redis-cluster://127.0.0.1:<p1>,127.0.0.1:<p2>,… (every node a seed);
  // redis-cluster://:<password>@… when the options give one.
  std::string url() const;
  RedisAddress address() const;
  // Every node's port (primaries first, as started).
  std::vector<int> ports() const;

  // One command on one node, on a short-lived connection; nullptr when the
  // node does not answer.
  RedisReplyPtr NodeCommand(int port, const std::vector<std::string>& command) const;
  // The port of the primary that serves `slot` now, as a live node sees it
  // (throws when no live node knows one).
  int PrimaryOf(uint16_t slot) const;
  // The live primaries (ports), as the cluster sees them now.
  std::vector<int> Primaries() const;

  // SIGKILLs the primary serving `slot` (by PID) and returns its port. Does
  // not wait for the failover (WaitForFailover does).
  int KillPrimaryOf(uint16_t slot);
  // Waits until a live node is primary for `slot` and every live node says
  // cluster_state:ok; returns the new primary's port.
  int WaitForFailover(uint16_t slot);
  // Moves `slot` with its keys to the primary on `to_port`, as redis-cli
  // --cluster reshard does: SETSLOT IMPORTING / MIGRATING, MIGRATE of every
  // key, then SETSLOT NODE on every primary. Waits until every live node
  // routes the slot there.
  void MigrateSlot(uint16_t slot, int to_port);
  // MigrateSlot's three steps, for a test that acts between them (a key
  // of a slot being moved is answered with ASK once it has gone).
  void BeginMigration(uint16_t slot, int to_port);  // SETSLOT IMPORTING + MIGRATING
  void MoveKeys(uint16_t slot, int to_port);        // MIGRATE of every key in the slot
  void EndMigration(uint16_t slot, int to_port);    // SETSLOT NODE everywhere; waits
  // Waits until every live node says cluster_state:ok and sends `slot` to
  // `port` (CLUSTER SLOTS), or throws.
  void WaitForSlotOwner(uint16_t slot, int port) const;

 private:
  struct Node {
    int port = 0;
    int bus_port = 0;  // cluster-port
    std::string dir;
    Process process;
    bool alive = false;
    std::string id;  // CLUSTER MYID
  };

  void StartNode(Node& node);
  void Form();  // ADDSLOTSRANGE, MEET, REPLICATE, waits until whole
  void WaitUntilOk() const;
  std::string Require(int port, const std::vector<std::string>& command) const;  // text or status reply
  const Node& NodeOn(int port) const;
  int AnyLivePort() const;

  std::string dir_;
  RedisClusterOptions options_;
  std::vector<std::unique_ptr<Node>> nodes_;
};

}  // namespace papo::testing
