// Config: every setting of papo-app and papo-pusher, read from the
// environment (DESIGN §5). Each variable has a default that works for one
// machine; a bad value is an InvalidArgument naming the variable, and the
// binaries refuse to start with it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace papo {

// How papo reaches Redis (DESIGN §8): one server, a master found through
// Sentinel, or a Redis Cluster.
enum class RedisMode { kSingle, kSentinel, kCluster };

struct RedisHostPort {
  std::string host;
  int port = 0;
};

struct RedisAddress {
  RedisMode mode = RedisMode::kSingle;
  // kSingle: the server. kSentinel: the master last resolved (filled in by
  // whoever asks the sentinels). kCluster: unused (see seeds).
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_path;   // set for redis+unix:// or unix:// URLs
  std::string password;
  int database = 0;        // always 0 in a cluster (Redis Cluster has one)
  // kSentinel: the sentinels; kCluster: the seed nodes (any of them will do
  // to learn the topology).
  std::vector<RedisHostPort> seeds;
  std::string master_name;  // kSentinel: the name the sentinels monitor
};

struct Config {
  std::string db_path = "papo.db";                       // PAPO_DB
  std::string redis_url = "redis://127.0.0.1:6379/0";    // PAPO_REDIS_URL
  RedisAddress redis;                                     // parsed from redis_url
  std::string fcgi_listen = "127.0.0.1:9000";            // PAPO_FCGI_LISTEN
  std::string pusher_listen = "/run/papo/pusher.sock";   // PAPO_PUSHER_LISTEN (host:port needs PAPO_PUSHER_SECRET)
  std::string pusher_metrics_listen;                      // PAPO_PUSHER_METRICS_LISTEN ("" = /metrics on pusher_listen)
  std::string pusher_id;                                  // PAPO_PUSHER_ID ("" = host:pid)
  int worker_threads = 16;                                // PAPO_WORKER_THREADS (group commit batches grow with it)
  bool cookie_secure = false;                             // PAPO_COOKIE_SECURE
  std::string db_synchronous = "full";                    // PAPO_DB_SYNCHRONOUS (full|normal)
  std::string log_level = "info";                         // PAPO_LOG_LEVEL (debug|info|warn|error)
  int max_connections_per_room = 10000;                   // CHAT_MAX_CONNECTIONS_PER_ROOM (per pusher process)
  int message_max_length = 1000;                          // CHAT_MESSAGE_MAX_LENGTH (code points)
  int history_limit = 100;                                // CHAT_HISTORY_LIMIT
  int sse_timeout_seconds = 86400;                        // CHAT_SSE_TIMEOUT
  int sse_heartbeat_seconds = 15;                         // CHAT_SSE_HEARTBEAT
  int rate_limit = 30;                                    // CHAT_RATE_LIMIT (messages per user per 10 s; 0 = off)
  int cache_size = 500;                                   // CHAT_CACHE_SIZE (messages per room in Redis)
  // Abuse limits (DESIGN §11); each 0 = off.
  int login_rate_limit = 10;                              // CHAT_LOGIN_RATE_LIMIT (failed logins per e-mail per 15 min)
  int ip_rate_limit = 30;                                 // CHAT_IP_RATE_LIMIT (login + cadastro attempts per client address per min)
  int rooms_per_hour = 20;                                // CHAT_ROOMS_PER_HOUR (rooms one user creates per hour)
  int invites_per_hour = 60;                              // CHAT_INVITES_PER_HOUR (members one user adds to private rooms per hour)
  int max_streams_per_user = 20;                          // CHAT_MAX_STREAMS_PER_USER (open streams per user, all pushers)
  int max_password_hashes = 2;                            // PAPO_MAX_PASSWORD_HASHES (argon2id hashes running at once per process)
  int session_days = 30;                                  // PAPO_SESSION_DAYS

  // Reads the environment through `get` (getenv in production, a map in
  // tests). Returns InvalidArgument("VARIABLE: reason") for a bad value.
  static Result<Config> Load(const std::function<const char*(const char*)>& get);
  static Result<Config> FromEnvironment();
};

// Parses redis://[:password@]host[:port][/db] and unix:///path[?db=N].
Result<RedisAddress> ParseRedisUrl(const std::string& url);
// The redis-sentinel:// and redis-cluster:// forms (ParseRedisUrl calls it).
Result<RedisAddress> ParseRedisTopologyUrl(std::string_view url);

}  // namespace papo
