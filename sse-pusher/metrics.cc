#include "sse-pusher/metrics.h"

#include <cstdio>

namespace papo::pusher {
namespace {

void Header(std::string& out, const std::string& name, const char* type, const std::string& help) {
  out += "# HELP " + name + " " + help + "\n";
  out += "# TYPE " + name + " " + type + "\n";
}

void Counter(std::string& out, const char* name, const char* help, uint64_t value) {
  std::string full = std::string("papo_pusher_") + name;
  Header(out, full, "counter", help);
  out += full + " " + std::to_string(value) + "\n";
}

void Gauge(std::string& out, const char* name, const char* help, int64_t value) {
  std::string full = std::string("papo_pusher_") + name;
  Header(out, full, "gauge", help);
  out += full + " " + std::to_string(value) + "\n";
}

std::string FormatDouble(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

}  // namespace

void LatencyHistogram::Observe(double seconds) {
  for (size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) {
      ++buckets_[i];
      break;
    }
  }
  ++count_;
  sum_ += seconds;
}

void LatencyHistogram::Render(std::string& out, const std::string& name, const std::string& help) const {
  Header(out, name, "histogram", help);
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += buckets_[i];
    out += name + "_bucket{le=\"" + FormatDouble(kBounds[i]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  out += name + "_bucket{le=\"+Inf\"} " + std::to_string(count_) + "\n";
  out += name + "_sum " + FormatDouble(sum_) + "\n";
  out += name + "_count " + std::to_string(count_) + "\n";
}

std::string PusherMetrics::RenderPrometheus(const PusherGauges& gauges) const {
  std::string out;
  out.reserve(8192);
  Gauge(out, "connections", "Open SSE streams.", gauges.connections);
  Gauge(out, "rooms_active", "Rooms with at least one stream on this process.", gauges.rooms_active);
  Gauge(out, "redis_channels", "Redis channels subscribed or being subscribed.", gauges.topics);
  Gauge(out, "redis_connected", "1 when both Redis connections are up.", gauges.redis_connected ? 1 : 0);
  Gauge(out, "draining", "1 while shutting down.", gauges.draining ? 1 : 0);
  Gauge(out, "stream_limit_fallback", "1 while CHAT_MAX_STREAMS_PER_USER is counted per process (Redis down).",
        gauges.stream_limit_fallback ? 1 : 0);
  Counter(out, "connections_accepted_total", "Sockets accepted.", connections_accepted);
  Counter(out, "streams_opened_total", "SSE streams started.", streams_opened);
  Counter(out, "streams_closed_total", "SSE streams ended.", streams_closed);
  Counter(out, "http_requests_total", "HTTP requests parsed.", http_requests);
  Counter(out, "http_rejected_total", "Requests answered with an error status.", http_rejected);
  Counter(out, "events_received_total", "Notifications received from Redis.", events_received);
  Counter(out, "messages_duplicate_total", "Messages dropped because their seq was already delivered.",
          messages_duplicate);
  Counter(out, "messages_reordered_total", "Messages held until an earlier seq arrived.", messages_reordered);
  Counter(out, "frames_sent_total", "Deliveries: frames (or batches) handed to a subscriber.", frames_sent);
  Counter(out, "fanout_batches_total", "Fan-out passes: batches of events sent to a room's subscribers.",
          fanout_batches);
  Counter(out, "bytes_sent_total", "Bytes written to subscriber sockets.", bytes_sent);
  Counter(out, "heartbeats_sent_total", "Heartbeat comments sent.", heartbeats_sent);
  Counter(out, "slow_client_drops_total", "Subscribers disconnected for not keeping up.", slow_client_drops);
  Counter(out, "typing_dropped_total", "Typing events dropped from slow subscribers' backlogs.", typing_dropped);
  Counter(out, "backfills_total", "Streams resumed after a seq (Last-Event-ID or desde).", backfills);
  Counter(out, "backfill_frames_total", "Messages sent from the recent cache or timeline.", backfill_frames);
  Counter(out, "cache_fetches_total", "Reads of a room's recent cache in Redis.", cache_fetches);
  Counter(out, "resyncs_total", "ressincronizar events sent.", resyncs);
  Counter(out, "gaps_skipped_total", "Seq gaps given up after the reorder window and the cache.", gaps_skipped);
  Counter(out, "redis_reconnects_total", "Redis connections re-established.", redis_reconnects);
  Counter(out, "cluster_resubscribes_total",
          "Redis Cluster: sharded channels subscribed again after their node was lost or their slot moved.",
          cluster_resubscribes);
  Counter(out, "presence_updates_total", "Presence scripts run.", presence_updates);
  Counter(out, "room_limit_rejections_total", "Streams refused over CHAT_MAX_CONNECTIONS_PER_ROOM.",
          room_limit_rejections);
  Counter(out, "stream_limit_rejections_total", "Streams refused over CHAT_MAX_STREAMS_PER_USER.",
          stream_limit_rejections);
  Counter(out, "stream_limit_local_decisions_total",
          "CHAT_MAX_STREAMS_PER_USER checks answered in-process because Redis did not answer.",
          stream_limit_local_decisions);
  Counter(out, "secret_rejections_total", "Streams refused without the right PAPO_PUSHER_SECRET.", secret_rejections);
  fanout_latency.Render(out, "papo_pusher_fanout_latency_seconds",
                        "From a notification read from Redis to its bytes handed to every subscriber.");
  return out;
}

}  // namespace papo::pusher
