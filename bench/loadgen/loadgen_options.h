// LoadgenOptions: one run of papo-loadgen, from its command line
// (`papo-loadgen --help` and bench/README.md list every flag).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bench/loadgen/endpoint.h"
#include "common/result.h"

namespace papo::bench {

enum class PublishMode {
  kNone,   // subscribers only (idle runs)
  kPapo,   // POST /chat/enviar with a session cookie and CSRF token (full path)
  kRedis,  // straight to Redis, as papo-app does after COMMIT (pusher alone)
  kRedisCluster,  // the same on a Redis Cluster: --publish-target is any node
  kNchan,  // POST to Nchan's publisher location (the reference)
};

// Server processes whose CPU time and memory are measured from /proc.
struct ServerGroup {
  std::string name;
  std::vector<pid_t> pids;
  bool with_children = false;  // "pid+": also the pid's children (nginx workers)
};

struct LoadgenOptions {
  // Subscribers.
  std::vector<Endpoint> targets;                      // --target, round robin
  std::string path = "/chat/stream?sala_id={room}";   // --path
  std::vector<std::string> headers;                   // --header "Name: value"
  uint32_t subscribers = 0;                           // --subscribers
  std::vector<int64_t> rooms = {1};                   // --rooms 1-1000 | 1,2,3
  int processes = 0;                                  // --processes (0: as needed)
  int per_process = 15000;                            // --per-process
  int sources = 0;                                    // --sources (0: as needed)
  int connect_concurrency = 256;                      // --connect-concurrency (per process)
  double connect_timeout_s = 120;                     // --connect-timeout
  int reconnect_delay_ms = 200;                       // --reconnect-delay-ms

  // Publisher.
  PublishMode publish = PublishMode::kNone;           // --publish none|papo|redis|nchan
  Endpoint publish_target;                            // --publish-target
  std::string publish_path;                           // --publish-path (default by mode)
  std::vector<std::string> publish_headers;           // --publish-header
  uint32_t messages = 0;                              // --messages
  double rate = 0;                                    // --rate (0: as fast as possible)
  int publish_concurrency = 1;                        // --publish-concurrency
  int message_bytes = 100;                            // --message-bytes
  int cache_size = 500;                               // --cache-size (redis: CHAT_CACHE_SIZE)

  // Phases.
  int settle_ms = 500;                                // --settle-ms
  double hold_s = 0;                                  // --hold
  double drain_timeout_s = 10;                        // --drain-timeout

  // Report.
  std::vector<ServerGroup> servers;                   // --server name=pid[,pid][+]
  std::string label = "run";                          // --label
};

// Parses argv (without argv[0]). InvalidArgument names the bad flag.
Result<LoadgenOptions> ParseLoadgenOptions(const std::vector<std::string_view>& args);

// "1-3,7" -> {1, 2, 3, 7}.
Result<std::vector<int64_t>> ParseRoomList(std::string_view text);

// "nginx=12,13+" -> {"nginx", {12, 13}, with_children}.
Result<ServerGroup> ParseServerGroup(std::string_view text);

// Replaces {room}, {sub}, {user} (sub + 1) and {expires} (now + 1 day, Unix
// seconds) in `text`.
std::string ExpandTemplate(std::string_view text, int64_t room, uint32_t subscriber);

// The usage text of --help.
extern const char kLoadgenUsage[];

}  // namespace papo::bench
