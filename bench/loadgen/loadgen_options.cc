#include "bench/loadgen/loadgen_options.h"

#include <charconv>
#include <ctime>
#include <functional>
#include <map>

namespace papo::bench {
namespace {

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
}

Status Bad(std::string_view flag, std::string_view value) {
  return Status::InvalidArgument("bad value for " + std::string(flag) + ": '" + std::string(value) + "'");
}

Result<PublishMode> ParseMode(std::string_view text) {
  if (text == "none") return PublishMode::kNone;
  if (text == "papo") return PublishMode::kPapo;
  if (text == "redis") return PublishMode::kRedis;
  if (text == "redis-cluster") return PublishMode::kRedisCluster;
  if (text == "nchan") return PublishMode::kNchan;
  return Status::InvalidArgument("--publish wants none, papo, redis, redis-cluster or nchan");
}

using Setter = std::function<Status(std::string_view)>;

template <typename T>
Setter Number(T& field, std::string_view flag, T minimum) {
  return [&field, flag, minimum](std::string_view v) {
    T value{};
    if (!ParseNumber(v, value) || value < minimum) return Bad(flag, v);
    field = value;
    return Status::Ok();
  };
}

std::map<std::string_view, Setter> Setters(LoadgenOptions& o, bool& publish_target_set) {
  std::map<std::string_view, Setter> s;
  s["--target"] = [&o](std::string_view v) -> Status {
    auto endpoint = ParseEndpoint(v);
    if (!endpoint.ok()) return endpoint.status();
    o.targets.push_back(std::move(endpoint.value()));
    return Status::Ok();
  };
  s["--path"] = [&o](std::string_view v) { o.path = std::string(v); return Status::Ok(); };
  s["--header"] = [&o](std::string_view v) { o.headers.emplace_back(v); return Status::Ok(); };
  s["--subscribers"] = Number(o.subscribers, "--subscribers", 0u);
  s["--rooms"] = [&o](std::string_view v) -> Status {
    auto rooms = ParseRoomList(v);
    if (!rooms.ok()) return rooms.status();
    o.rooms = std::move(rooms.value());
    return Status::Ok();
  };
  s["--processes"] = Number(o.processes, "--processes", 0);
  s["--per-process"] = Number(o.per_process, "--per-process", 1);
  s["--sources"] = Number(o.sources, "--sources", 0);
  s["--connect-concurrency"] = Number(o.connect_concurrency, "--connect-concurrency", 1);
  s["--connect-timeout"] = Number(o.connect_timeout_s, "--connect-timeout", 0.0);
  s["--reconnect-delay-ms"] = Number(o.reconnect_delay_ms, "--reconnect-delay-ms", 0);
  s["--publish"] = [&o](std::string_view v) -> Status {
    auto mode = ParseMode(v);
    if (!mode.ok()) return mode.status();
    o.publish = mode.value();
    return Status::Ok();
  };
  s["--publish-target"] = [&o, &publish_target_set](std::string_view v) -> Status {
    auto endpoint = ParseEndpoint(v);
    if (!endpoint.ok()) return endpoint.status();
    o.publish_target = std::move(endpoint.value());
    publish_target_set = true;
    return Status::Ok();
  };
  s["--publish-path"] = [&o](std::string_view v) { o.publish_path = std::string(v); return Status::Ok(); };
  s["--publish-header"] = [&o](std::string_view v) { o.publish_headers.emplace_back(v); return Status::Ok(); };
  s["--messages"] = Number(o.messages, "--messages", 0u);
  s["--rate"] = Number(o.rate, "--rate", 0.0);
  s["--publish-concurrency"] = Number(o.publish_concurrency, "--publish-concurrency", 1);
  s["--message-bytes"] = Number(o.message_bytes, "--message-bytes", 1);
  s["--cache-size"] = Number(o.cache_size, "--cache-size", 1);
  s["--settle-ms"] = Number(o.settle_ms, "--settle-ms", 0);
  s["--hold"] = Number(o.hold_s, "--hold", 0.0);
  s["--drain-timeout"] = Number(o.drain_timeout_s, "--drain-timeout", 0.0);
  s["--server"] = [&o](std::string_view v) -> Status {
    auto group = ParseServerGroup(v);
    if (!group.ok()) return group.status();
    o.servers.push_back(std::move(group.value()));
    return Status::Ok();
  };
  s["--label"] = [&o](std::string_view v) { o.label = std::string(v); return Status::Ok(); };
  return s;
}

Status Validate(LoadgenOptions& o, bool publish_target_set) {
  if (o.subscribers > 0 && o.targets.empty()) return Status::InvalidArgument("--target is required");
  if (o.rooms.empty()) return Status::InvalidArgument("--rooms is empty");
  if (o.publish != PublishMode::kNone && o.messages > 0 && !publish_target_set) {
    return Status::InvalidArgument("--publish-target is required");
  }
  if (o.publish_path.empty()) {
    o.publish_path = o.publish == PublishMode::kNchan ? "/pub?id={room}" : "/chat/enviar";
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<int64_t>> ParseRoomList(std::string_view text) {
  std::vector<int64_t> rooms;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    auto dash = item.find('-', 1);
    int64_t first = 0;
    int64_t last = 0;
    bool ok = dash == std::string_view::npos
                  ? ParseNumber(item, first) && (last = first, true)
                  : ParseNumber(item.substr(0, dash), first) && ParseNumber(item.substr(dash + 1), last);
    if (!ok || first <= 0 || last < first || last - first > 10'000'000) return Bad("--rooms", item);
    for (int64_t room = first; room <= last; ++room) rooms.push_back(room);
  }
  return rooms;
}

Result<ServerGroup> ParseServerGroup(std::string_view text) {
  ServerGroup group;
  auto equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) return Bad("--server", text);
  group.name = std::string(text.substr(0, equals));
  std::string_view pids = text.substr(equals + 1);
  if (!pids.empty() && pids.back() == '+') {
    group.with_children = true;
    pids.remove_suffix(1);
  }
  while (!pids.empty()) {
    auto comma = pids.find(',');
    pid_t pid = 0;
    if (!ParseNumber(pids.substr(0, comma), pid) || pid <= 0) return Bad("--server", text);
    group.pids.push_back(pid);
    pids = comma == std::string_view::npos ? std::string_view() : pids.substr(comma + 1);
  }
  if (group.pids.empty()) return Bad("--server", text);
  return group;
}

std::string ExpandTemplate(std::string_view text, int64_t room, uint32_t subscriber) {
  std::string out;
  out.reserve(text.size() + 16);
  while (!text.empty()) {
    auto open = text.find('{');
    out.append(text.substr(0, open));
    if (open == std::string_view::npos) break;
    text.remove_prefix(open);
    if (text.substr(0, 6) == "{room}") {
      out += std::to_string(room);
      text.remove_prefix(6);
    } else if (text.substr(0, 5) == "{sub}") {
      out += std::to_string(subscriber);
      text.remove_prefix(5);
    } else if (text.substr(0, 6) == "{user}") {
      out += std::to_string(uint64_t{subscriber} + 1);
      text.remove_prefix(6);
    } else if (text.substr(0, 9) == "{expires}") {
      out += std::to_string(std::time(nullptr) + 86400);
      text.remove_prefix(9);
    } else {
      out += '{';
      text.remove_prefix(1);
    }
  }
  return out;
}

Result<LoadgenOptions> ParseLoadgenOptions(const std::vector<std::string_view>& args) {
  LoadgenOptions options;
  bool publish_target_set = false;
  auto setters = Setters(options, publish_target_set);
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view flag = args[i];
    std::string_view value;
    auto equals = flag.find('=');
    bool inline_value = flag.substr(0, 2) == "--" && equals != std::string_view::npos;
    if (inline_value) {
      value = flag.substr(equals + 1);
      flag = flag.substr(0, equals);
    }
    auto setter = setters.find(flag);
    if (setter == setters.end()) return Status::InvalidArgument("unknown flag " + std::string(flag));
    if (!inline_value) {
      if (i + 1 >= args.size()) return Status::InvalidArgument(std::string(flag) + " needs a value");
      value = args[++i];
    }
    PAPO_RETURN_IF_ERROR(setter->second(value));
  }
  PAPO_RETURN_IF_ERROR(Validate(options, publish_target_set));
  return options;
}

const char kLoadgenUsage[] = R"(usage: papo-loadgen [flags]
Opens SSE subscribers, publishes marked messages, and reports deliveries,
loss, duplicates, order, end-to-end latency and the servers' CPU and memory.

subscribers
  --target ADDR             127.0.0.1:PORT or unix:/path; repeat to spread (round robin)
  --path TEMPLATE           request path (default /chat/stream?sala_id={room})
  --header 'Name: value'    request header, repeatable ({room} {sub} {user}=sub+1 {expires} expand)
  --subscribers N           how many (subscriber s joins room s % rooms)
  --rooms LIST              room ids, e.g. 1-1000 or 1,2,3 (default 1)
  --processes P             subscriber processes (default: N / --per-process, rounded up)
  --per-process N           subscribers per process when P is automatic (default 15000)
  --sources N               loopback source addresses 127.0.0.1.. (default: as needed)
  --connect-concurrency N   connects in flight per process (default 256)
  --connect-timeout S       give up waiting for subscribers (default 120)
  --reconnect-delay-ms N    EventSource-style reconnection delay (default 200)
publisher
  --publish MODE            none | papo (POST /chat/enviar) | redis (straight to Redis) | nchan
  --publish-target ADDR     nginx for papo/nchan, Redis for redis
  --publish-path TEMPLATE   default /chat/enviar (papo) or /pub?id={room} (nchan)
  --publish-header H        e.g. 'Cookie: papo_session=...', 'X-CSRF-Token: ...'
  --messages M              message i goes to room i % rooms
  --rate R                  messages per second (default 0: as fast as possible)
  --publish-concurrency C   requests in flight (default 1)
  --message-bytes B         message text length (default 100)
  --cache-size N            redis mode: CHAT_CACHE_SIZE of the pusher (default 500)
phases and report
  --settle-ms N             wait after every subscriber is connected (default 500)
  --hold S                  idle seconds before publishing (CPU spent on heartbeats)
  --drain-timeout S         stop waiting when nothing arrives for S seconds (default 10)
  --server NAME=PID[,PID][+]  processes to measure; '+' adds their children
  --label TEXT              name of the run in the report
)";

}  // namespace papo::bench
