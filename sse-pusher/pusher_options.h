// PusherOptions: everything papo-pusher is tuned by. The shared settings
// come from common/config.h (PAPO_PUSHER_LISTEN, CHAT_*, PAPO_REDIS_URL...);
// a few knobs only the pusher has are read from PAPO_PUSHER_* variables
// here, each with a default that works for one machine:
//
//   PAPO_PUSHER_MAX_BACKLOG_BYTES  unwritten bytes a subscriber may hold (1 MiB)
//   PAPO_PUSHER_STALL_SECONDS      a backlog that does not move for this long is dropped (30)
//   PAPO_PUSHER_REORDER_MS         how long a room waits for a missing seq (150)
//   PAPO_PUSHER_DRAIN_MS           SIGTERM spreads stream closes over this time (5000)
//   PAPO_PUSHER_SOCKET_MODE        octal mode of a unix listen socket (0660)
//   PAPO_PUSHER_SECRET             REQUIRED when PAPO_PUSHER_LISTEN is host:port:
//                                  every stream must carry it in
//                                  X-Papo-Pusher-Secret (nginx sets it;
//                                  pusher_secret.h). There is no opt-out: a
//                                  pusher that needs none listens on a unix
//                                  socket. Ignored (allowed, unused) on a socket.
//   PAPO_PUSHER_PRESENCE_TTL_MS    a crashed pusher's users vanish after this (30000);
//                                  presence is refreshed every third of it
//   PAPO_PUSHER_COALESCE_MS        a busy room's events are gathered for at
//                                  most this long into one send per subscriber
//                                  (25; 0: every batch goes out in the loop
//                                  iteration that read it)
//   PAPO_PUSHER_COALESCE_US_PER_STREAM  the window grows with the room: this
//                                  many µs per local stream, up to COALESCE_MS
//                                  (25: 1,000 streams -> 25 ms, 10 -> 0.25 ms)
//   PAPO_PUSHER_COALESCE_EVENTS    a held batch goes out as soon as it has this
//                                  many events (3)
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "common/config.h"
#include "common/result.h"

namespace papo::pusher {

struct PusherOptions {
  std::string listen = "/run/papo/pusher.sock";
  std::string secret;                      // "" = none (unix socket only)
  std::string metrics_listen;              // "" = /metrics only on `listen`
  std::string pusher_id;                   // never empty, no ':' (presence members)
  RedisAddress redis;

  int max_connections_per_room = 10000;
  int max_streams_per_user = 20;           // every pusher together; 0 = no cap (stream_limiter.h)
  int heartbeat_seconds = 15;
  int stream_timeout_seconds = 86400;
  int retry_ms = 3000;                     // the SSE `retry:` sent first

  size_t max_backlog_bytes = 1 << 20;
  int stall_seconds = 30;
  int reorder_window_ms = 150;
  size_t timeline_capacity = 256;          // recent frames kept per room for resumes
  int cache_fetch_limit = 1000;            // entries per cache read
  int change_log_size = 500;               // CHAT_CACHE_SIZE: a room's change log, as papo-app bounds it
  int channel_linger_ms = 10'000;          // keep an unused room subscribed (resumes, no churn)
  int request_timeout_seconds = 60;        // to send a complete request (nginx: client_header_timeout)
  int presence_ttl_ms = 30'000;            // a crashed pusher's users vanish after this
  int presence_refresh_ms = 10'000;
  int presence_min_interval_ms = 250;      // joins within it are published together
  int presence_max_names = 50;             // `usuarios` is capped; the count is not
  int drain_ms = 5000;
  // Adaptive coalescing (RoomHub::Flush): a topic that flushed less than
  // its window ago holds new events until the window has passed or
  // coalesce_events have arrived, window = min(coalesce_ms, streams ×
  // coalesce_us_per_stream). A quiet room is never delayed.
  int coalesce_ms = 25;
  int coalesce_us_per_stream = 25;
  int coalesce_events = 3;
  int socket_mode = 0660;
  int redis_connect_timeout_ms = 2000;

  // Reads the pusher-only variables through `get` on top of `config`.
  // Returns InvalidArgument("VARIABLE: reason") for a bad value, a bad
  // PAPO_PUSHER_LISTEN, or a TCP listen address without PAPO_PUSHER_SECRET.
  static Result<PusherOptions> Load(const Config& config, const std::function<const char*(const char*)>& get);
};

}  // namespace papo::pusher
