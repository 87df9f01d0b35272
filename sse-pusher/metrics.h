// PusherMetrics: the pusher's counters and its fan-out latency histogram,
// rendered as Prometheus text (names prefixed papo_pusher_, STYLE §7.12).
//
// Plain integers: every update happens on the loop thread, so the hot path
// pays an increment, never an atomic. Thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace papo::pusher {

class LatencyHistogram final {
 public:
  // Upper bounds in seconds (Prometheus `le`), ascending.
  static constexpr std::array<double, 12> kBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                     0.01,   0.025,   0.05,   0.1,   0.25,   1.0};

  void Observe(double seconds);
  // Appends the _bucket/_sum/_count lines of histogram `name`.
  void Render(std::string& out, const std::string& name, const std::string& help) const;

 private:
  std::array<uint64_t, kBounds.size()> buckets_{};
  uint64_t count_ = 0;
  double sum_ = 0;
};

struct PusherGauges {
  int64_t connections = 0;      // open SSE streams
  int64_t rooms_active = 0;     // rooms with at least one local stream
  int64_t topics = 0;           // Redis channels subscribed (or being)
  bool redis_connected = false;
  bool draining = false;
  bool stream_limit_fallback = false;  // CHAT_MAX_STREAMS_PER_USER counted in-process (Redis down)
};

struct PusherMetrics {
  uint64_t connections_accepted = 0;
  uint64_t streams_opened = 0;
  uint64_t streams_closed = 0;
  uint64_t http_requests = 0;
  uint64_t http_rejected = 0;        // 4xx/5xx answers to requests
  uint64_t events_received = 0;      // PUBLISH notifications from Redis
  uint64_t messages_duplicate = 0;   // mensagem seqs seen before
  uint64_t messages_reordered = 0;   // held for a gap
  uint64_t frames_sent = 0;          // deliveries: one frame (or batch) to one subscriber
  uint64_t fanout_batches = 0;       // topic flushes (one send per subscriber each)
  uint64_t bytes_sent = 0;
  uint64_t heartbeats_sent = 0;
  uint64_t slow_client_drops = 0;
  uint64_t typing_dropped = 0;       // ephemeral frames dropped from backlogs
  uint64_t backfills = 0;            // streams resumed after a seq
  uint64_t backfill_frames = 0;
  uint64_t cache_fetches = 0;
  uint64_t resyncs = 0;              // ressincronizar sent
  uint64_t gaps_skipped = 0;
  uint64_t redis_reconnects = 0;
  uint64_t cluster_resubscribes = 0;  // sharded channels subscribed again after a node loss or a slot move
  uint64_t presence_updates = 0;
  uint64_t room_limit_rejections = 0;
  uint64_t stream_limit_rejections = 0;       // streams refused over CHAT_MAX_STREAMS_PER_USER (503)
  uint64_t stream_limit_local_decisions = 0;  // ... decided in-process because Redis did not answer
  uint64_t secret_rejections = 0;    // streams without the right PAPO_PUSHER_SECRET (403)
  LatencyHistogram fanout_latency;   // event received from Redis -> written to every subscriber

  std::string RenderPrometheus(const PusherGauges& gauges) const;
};

}  // namespace papo::pusher
