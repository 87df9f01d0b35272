// RedisClient: a synchronous hiredis connection that reconnects by itself.
//
// Used by papo-app threads (publishing, rate limits, presence reads). When
// Redis is down, calls fail fast with Unavailable: after a failed connect
// (or a command that timed out) no new connect is tried for
// `retry_interval_ms`, so requests are not slowed by a timeout each. A
// connection that went stale (Redis restarted since it was last used: the
// server closed or reset it) is not such a failure: the call is sent again
// at once on a new connection. Thread-compatible: one instance per thread.
// On a Redis Cluster (redis-cluster://) the same calls are routed by slot,
// with one connection per node needed (common/redis_cluster_router.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/redis_handle.h"
#include "common/result.h"

namespace papo {

class RedisClusterRouter;

class RedisClient final {
 public:
  explicit RedisClient(RedisAddress address, int timeout_ms = 500, int retry_interval_ms = 1000);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Sends every command in one write and reads every reply (one round trip).
  // Each command is a vector of arguments (binary safe). On a connection
  // found stale the commands are sent once more on a new connection (so
  // they must be safe to repeat: a stale connection has usually not run
  // them, but may have). On any other connection error the context is
  // dropped and Unavailable returned. Replies that are
  // Redis errors are returned as they are (type REDIS_REPLY_ERROR).
  Result<std::vector<RedisReplyPtr>> Pipeline(const std::vector<std::vector<std::string>>& commands);

  // One command; a REDIS_REPLY_ERROR reply becomes Status::Internal.
  Result<RedisReplyPtr> Command(const std::vector<std::string>& command);

  // EVALSHA of `script`; loads it (SCRIPT LOAD) the first time and again
  // after Redis forgot it (NOSCRIPT, e.g. after a restart). A Redis error
  // reply becomes Status::Internal.
  Result<RedisReplyPtr> Eval(const std::string& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args);

  // For a subscriber (after SUBSCRIBE through Command): waits, with no
  // timeout, for the next message pushed on the connection. Unavailable
  // when the connection ends; the client is then done (its socket stays
  // open until it is destroyed, so socket_fd() names no other file).
  Result<RedisReplyPtr> NextPush();
  // The connection's socket (-1 when not connected), so that another thread
  // can end a NextPush that waits (shutdown(2)); the owner's thread alone
  // may close it.
  int socket_fd() const;

  bool connected() const;
  // The deployment form (one server, Sentinel, Cluster): the bus picks
  // PUBLISH or SPUBLISH by it (common/bus/names.h PublishVerb).
  RedisMode mode() const { return address_.mode; }
  // The next command connects at once, without the pause after a failure
  // (for a message that must not wait: a logout's announcement).
  void RetryNow();

 private:
  Status EnsureConnected();
  // One attempt; `stale` says the connection, used before this call, was
  // closed or reset by the server (worth a new connection at once).
  Result<std::vector<RedisReplyPtr>> PipelineOnce(const std::vector<std::vector<std::string>>& commands,
                                                  bool& stale);
  // Drops the connection; `pause` starts the retry interval.
  void Drop(const char* why, bool pause);

  RedisAddress address_;
  int timeout_ms_;
  int retry_interval_ms_;
  int64_t next_attempt_ms_ = 0;
  RedisContextPtr context_;
  std::map<std::string, std::string, std::less<>> script_shas_;  // script text -> SHA-1
  // redis-cluster:// (kCluster): every call is routed by slot through it
  // (common/redis_cluster_router.h); the members above stay unused.
  std::unique_ptr<RedisClusterRouter> router_;
};

}  // namespace papo
