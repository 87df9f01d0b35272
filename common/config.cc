#include "common/config.h"

#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <string_view>

namespace papo {
namespace {

Status Bad(std::string_view variable, std::string_view reason) {
  std::string message(variable);
  message += ": ";
  message += reason;
  return Status::InvalidArgument(std::move(message));
}

Result<int> ParseInt(std::string_view text, std::string_view variable, int min, int max) {
  int value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return Bad(variable, "expected an integer, got '" + std::string(text) + "'");
  }
  if (value < min || value > max) {
    return Bad(variable, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

// Reads an integer variable into `out` when set; leaves the default otherwise.
Status ReadInt(const std::function<const char*(const char*)>& get, const char* variable, int min,
               int max, int& out) {
  const char* raw = get(variable);
  if (raw == nullptr) return Status::Ok();
  auto parsed = ParseInt(raw, variable, min, max);
  if (!parsed.ok()) return parsed.status();
  out = *parsed;
  return Status::Ok();
}

Status ReadString(const std::function<const char*(const char*)>& get, const char* variable,
                  std::string& out) {
  const char* raw = get(variable);
  if (raw == nullptr) return Status::Ok();
  if (*raw == '\0') return Bad(variable, "must not be empty");
  out = raw;
  return Status::Ok();
}

Status ReadChoice(const std::function<const char*(const char*)>& get, const char* variable,
                  std::initializer_list<std::string_view> choices, std::string& out) {
  const char* raw = get(variable);
  if (raw == nullptr) return Status::Ok();
  for (auto choice : choices) {
    if (choice == raw) {
      out = raw;
      return Status::Ok();
    }
  }
  std::string allowed;
  for (auto choice : choices) {
    if (!allowed.empty()) allowed += ", ";
    allowed += choice;
  }
  return Bad(variable, "must be one of " + allowed + ", got '" + std::string(raw) + "'");
}

Status ReadBool(const std::function<const char*(const char*)>& get, const char* variable, bool& out) {
  const char* raw = get(variable);
  if (raw == nullptr) return Status::Ok();
  std::string_view text(raw);
  if (text == "1" || text == "true" || text == "yes") {
    out = true;
  } else if (text == "0" || text == "false" || text == "no") {
    out = false;
  } else {
    return Bad(variable, "expected 1 or 0, got '" + std::string(text) + "'");
  }
  return Status::Ok();
}

}  // namespace

// TZ names a zone file (America/Sao_Paulo, :UTC, /etc/localtime) or is a
// POSIX rule ("BRT3"). glibc quietly falls back to UTC for a name it cannot
// find, which would shift every time on every page: refuse it at start.
Status CheckTimeZone(const std::function<const char*(const char*)>& get) {
  const char* raw = get("TZ");
  if (raw == nullptr) return Status::Ok();
  std::string_view zone = raw;
  if (zone.starts_with(':')) zone.remove_prefix(1);
  if (zone.empty()) return Bad("TZ", "empty");
  std::string path(zone);
  if (!zone.starts_with('/')) {
    const char* dir = get("TZDIR");
    path = std::string(dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo") + "/" + path;
  }
  if (zone.find("..") == std::string_view::npos && ::access(path.c_str(), R_OK) == 0) return Status::Ok();
  // A POSIX rule: a name of 3+ letters (or <...>) followed by an offset.
  size_t i = 0;
  if (zone[0] == '<') {
    i = zone.find('>');
    i = i == std::string_view::npos ? zone.size() : i + 1;
  } else {
    while (i < zone.size() && std::isalpha(static_cast<unsigned char>(zone[i]))) ++i;
    if (i < 3) i = zone.size();
  }
  if (i < zone.size() && (std::isdigit(static_cast<unsigned char>(zone[i])) || zone[i] == '+' || zone[i] == '-')) {
    return Status::Ok();
  }
  return Bad("TZ", "unknown time zone '" + std::string(raw) + "' (no " + path + ")");
}

namespace {

// Removes "[user]:password@" from the front of `rest`; the password ("" if
// none). Redis 6 ACL user names are not used: the password is requirepass.
std::string TakePassword(std::string_view& rest) {
  auto at = rest.rfind('@');
  if (at == std::string_view::npos) return {};
  auto credentials = rest.substr(0, at);
  rest.remove_prefix(at + 1);
  auto colon = credentials.find(':');
  return std::string(colon == std::string_view::npos ? credentials : credentials.substr(colon + 1));
}

// "h1:26379,h2:26379" -> seeds; every entry needs host and port.
Status ParseSeeds(std::string_view list, std::vector<RedisHostPort>& seeds) {
  while (!list.empty()) {
    auto comma = list.find(',');
    auto entry = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    auto colon = entry.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Bad("PAPO_REDIS_URL", "'" + std::string(entry) + "' is not host:port");
    }
    auto port = ParseInt(entry.substr(colon + 1), "PAPO_REDIS_URL", 1, 65535);
    if (!port.ok()) return port.status();
    seeds.push_back({std::string(entry.substr(0, colon)), *port});
  }
  if (seeds.empty()) return Bad("PAPO_REDIS_URL", "needs at least one host:port");
  return Status::Ok();
}

}  // namespace

// redis-sentinel://[:password@]h1:26379,h2:26379/<master>[?db=N]
// redis-cluster://[:password@]h1:7000,h2:7001
// The password is the data nodes' (requirepass); sentinels are asked
// without one.
Result<RedisAddress> ParseRedisTopologyUrl(std::string_view rest) {
  RedisAddress address;
  const bool sentinel = rest.starts_with("redis-sentinel://");
  address.mode = sentinel ? RedisMode::kSentinel : RedisMode::kCluster;
  rest.remove_prefix(sentinel ? 17 : 16);
  address.password = TakePassword(rest);
  auto slash = rest.find('/');
  PAPO_RETURN_IF_ERROR(ParseSeeds(rest.substr(0, slash), address.seeds));
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  std::string_view query;
  if (auto q = path.find('?'); q != std::string_view::npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  if (!sentinel) {
    if (!path.empty() || !query.empty()) {
      return Bad("PAPO_REDIS_URL", "redis-cluster:// takes only host:port pairs (a cluster has one database)");
    }
    return address;
  }
  if (path.empty()) return Bad("PAPO_REDIS_URL", "redis-sentinel:// needs the master's name: redis-sentinel://h:26379/<master>");
  address.master_name = std::string(path);
  if (!query.empty()) {
    if (!query.starts_with("db=")) return Bad("PAPO_REDIS_URL", "only ?db=N is understood after the master's name");
    auto db = ParseInt(query.substr(3), "PAPO_REDIS_URL", 0, 1000);
    if (!db.ok()) return db.status();
    address.database = *db;
  }
  address.host.clear();
  address.port = 0;
  return address;
}

Result<RedisAddress> ParseRedisUrl(const std::string& url) {
  RedisAddress address;
  std::string_view rest(url);
  const auto bad = [&](std::string_view why) { return Bad("PAPO_REDIS_URL", why); };
  if (rest.starts_with("unix://")) {
    rest.remove_prefix(7);
    auto query = rest.find('?');
    address.unix_path = std::string(rest.substr(0, query));
    if (address.unix_path.empty() || address.unix_path[0] != '/') return bad("unix:// needs an absolute path");
    if (query != std::string_view::npos) {
      auto params = rest.substr(query + 1);
      if (!params.starts_with("db=")) return bad("only ?db=N is understood after a unix path");
      auto db = ParseInt(params.substr(3), "PAPO_REDIS_URL", 0, 1000);
      if (!db.ok()) return db.status();
      address.database = *db;
    }
    return address;
  }
  if (rest.starts_with("redis-sentinel://") || rest.starts_with("redis-cluster://")) {
    return ParseRedisTopologyUrl(rest);
  }
  if (!rest.starts_with("redis://")) return bad("must start with redis://, unix://, redis-sentinel:// or redis-cluster://");
  rest.remove_prefix(8);
  address.password = TakePassword(rest);
  auto slash = rest.find('/');
  auto host_port = rest.substr(0, slash);
  if (slash != std::string_view::npos && slash + 1 < rest.size()) {
    auto db = ParseInt(rest.substr(slash + 1), "PAPO_REDIS_URL", 0, 1000);
    if (!db.ok()) return db.status();
    address.database = *db;
  }
  auto colon = host_port.rfind(':');
  if (colon != std::string_view::npos) {
    auto port = ParseInt(host_port.substr(colon + 1), "PAPO_REDIS_URL", 1, 65535);
    if (!port.ok()) return port.status();
    address.port = *port;
    host_port = host_port.substr(0, colon);
  }
  if (host_port.empty()) return bad("missing host");
  address.host = std::string(host_port);
  return address;
}

Result<Config> Config::Load(const std::function<const char*(const char*)>& get) {
  Config c;
  PAPO_RETURN_IF_ERROR(ReadString(get, "PAPO_DB", c.db_path));
  PAPO_RETURN_IF_ERROR(ReadString(get, "PAPO_REDIS_URL", c.redis_url));
  PAPO_RETURN_IF_ERROR(ReadString(get, "PAPO_FCGI_LISTEN", c.fcgi_listen));
  PAPO_RETURN_IF_ERROR(ReadString(get, "PAPO_PUSHER_LISTEN", c.pusher_listen));
  if (const char* raw = get("PAPO_PUSHER_METRICS_LISTEN"); raw != nullptr) c.pusher_metrics_listen = raw;
  if (const char* raw = get("PAPO_PUSHER_ID"); raw != nullptr) c.pusher_id = raw;
  PAPO_RETURN_IF_ERROR(ReadInt(get, "PAPO_WORKER_THREADS", 1, 256, c.worker_threads));
  PAPO_RETURN_IF_ERROR(ReadBool(get, "PAPO_COOKIE_SECURE", c.cookie_secure));
  PAPO_RETURN_IF_ERROR(ReadChoice(get, "PAPO_DB_SYNCHRONOUS", {"full", "normal"}, c.db_synchronous));
  PAPO_RETURN_IF_ERROR(ReadChoice(get, "PAPO_LOG_LEVEL", {"debug", "info", "warn", "error"}, c.log_level));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "PAPO_SESSION_DAYS", 1, 3650, c.session_days));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "CHAT_MAX_CONNECTIONS_PER_ROOM", 1, 10'000'000, c.max_connections_per_room));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "CHAT_MESSAGE_MAX_LENGTH", 1, 100'000, c.message_max_length));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "CHAT_HISTORY_LIMIT", 1, 1000, c.history_limit));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "CHAT_SSE_TIMEOUT", 1, 30 * 86400, c.sse_timeout_seconds));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "CHAT_SSE_HEARTBEAT", 1, 3600, c.sse_heartbeat_seconds));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "CHAT_RATE_LIMIT", 0, 1'000'000, c.rate_limit));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "CHAT_CACHE_SIZE", 1, 1'000'000, c.cache_size));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "CHAT_LOGIN_RATE_LIMIT", 0, 1'000'000, c.login_rate_limit));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "CHAT_IP_RATE_LIMIT", 0, 1'000'000, c.ip_rate_limit));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "CHAT_ROOMS_PER_HOUR", 0, 1'000'000, c.rooms_per_hour));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "CHAT_INVITES_PER_HOUR", 0, 1'000'000, c.invites_per_hour));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "CHAT_MAX_STREAMS_PER_USER", 0, 1'000'000, c.max_streams_per_user));
  PAPO_RETURN_IF_ERROR(ReadInt(get, "PAPO_MAX_PASSWORD_HASHES", 1, 256, c.max_password_hashes));
  PAPO_RETURN_IF_ERROR(CheckTimeZone(get));
  auto redis = ParseRedisUrl(c.redis_url);
  if (!redis.ok()) return redis.status();
  c.redis = std::move(redis).value();
  return c;
}

Result<Config> Config::FromEnvironment() {
  return Load([](const char* name) -> const char* { return std::getenv(name); });
}

}  // namespace papo
