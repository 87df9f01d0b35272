#include "sse-pusher/pusher_options.h"

#include <unistd.h>

#include <charconv>

#include "sse-pusher/listener.h"
#include "sse-pusher/pusher_secret.h"

namespace papo::pusher {
namespace {

template <typename T>
Status ReadNumber(const std::function<const char*(const char*)>& get, const char* variable, T min, T max,
                  int base, T& out) {
  const char* raw = get(variable);
  if (raw == nullptr) return Status::Ok();
  std::string_view text(raw);
  T value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return Status::InvalidArgument(std::string(variable) + ": expected a number between " + std::to_string(min) +
                                   " and " + std::to_string(max) + ", got '" + std::string(text) + "'");
  }
  out = value;
  return Status::Ok();
}

std::string DefaultPusherId() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "pusher") + "-" + std::to_string(getpid());
}

// A loopback port is open to every local user: only a stream that carries
// the secret nginx was given may use it (DESIGN §11).
Status ReadSecret(const std::function<const char*(const char*)>& get, const std::string& listen, std::string& out) {
  auto address = ParseListenAddress(listen);
  if (!address.ok()) return Status::InvalidArgument("PAPO_PUSHER_LISTEN: " + address.status().message());
  const char* raw = get("PAPO_PUSHER_SECRET");
  if (raw != nullptr && *raw != '\0') {
    PAPO_RETURN_IF_ERROR(ValidatePusherSecret(raw));
    out = raw;
  }
  if (!address->is_unix && out.empty()) {
    return Status::InvalidArgument("PAPO_PUSHER_SECRET: required when PAPO_PUSHER_LISTEN is a TCP address (" + listen +
                                   "): set the same value in nginx (proxy_set_header X-Papo-Pusher-Secret), or "
                                   "listen on a unix socket");
  }
  return Status::Ok();
}

}  // namespace

Result<PusherOptions> PusherOptions::Load(const Config& config, const std::function<const char*(const char*)>& get) {
  PusherOptions options;
  options.listen = config.pusher_listen;
  options.metrics_listen = config.pusher_metrics_listen;
  options.pusher_id = config.pusher_id.empty() ? DefaultPusherId() : config.pusher_id;
  // ':' separates the fields of a presence member (common/bus/names.h).
  for (char& c : options.pusher_id) {
    if (c == ':' || c == ' ') c = '_';
  }
  options.redis = config.redis;
  options.change_log_size = config.cache_size;
  options.max_connections_per_room = config.max_connections_per_room;
  options.max_streams_per_user = config.max_streams_per_user;
  options.heartbeat_seconds = config.sse_heartbeat_seconds;
  options.stream_timeout_seconds = config.sse_timeout_seconds;
  PAPO_RETURN_IF_ERROR(ReadNumber<size_t>(get, "PAPO_PUSHER_MAX_BACKLOG_BYTES", 4096, size_t{1} << 32, 10,
                                          options.max_backlog_bytes));
  PAPO_RETURN_IF_ERROR(ReadNumber(get, "PAPO_PUSHER_STALL_SECONDS", 1, 86400, 10, options.stall_seconds));
  PAPO_RETURN_IF_ERROR(ReadNumber(get, "PAPO_PUSHER_REORDER_MS", 0, 60'000, 10, options.reorder_window_ms));
  PAPO_RETURN_IF_ERROR(ReadNumber(get, "PAPO_PUSHER_DRAIN_MS", 0, 600'000, 10, options.drain_ms));
  PAPO_RETURN_IF_ERROR(ReadNumber(get, "PAPO_PUSHER_SOCKET_MODE", 0, 0777, 8, options.socket_mode));
  PAPO_RETURN_IF_ERROR(ReadNumber(get, "PAPO_PUSHER_PRESENCE_TTL_MS", 1000, 3'600'000, 10, options.presence_ttl_ms));
  options.presence_refresh_ms = options.presence_ttl_ms / 3;
  PAPO_RETURN_IF_ERROR(ReadNumber(get, "PAPO_PUSHER_COALESCE_MS", 0, 1000, 10, options.coalesce_ms));
  PAPO_RETURN_IF_ERROR(
      ReadNumber(get, "PAPO_PUSHER_COALESCE_US_PER_STREAM", 0, 1'000'000, 10, options.coalesce_us_per_stream));
  PAPO_RETURN_IF_ERROR(ReadSecret(get, options.listen, options.secret));
  PAPO_RETURN_IF_ERROR(ReadNumber(get, "PAPO_PUSHER_COALESCE_EVENTS", 1, 1'000'000, 10, options.coalesce_events));
  return options;
}

}  // namespace papo::pusher
