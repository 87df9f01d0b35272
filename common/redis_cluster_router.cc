#include "common/redis_cluster_router.h"

#include <sys/time.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <limits>
#include <chrono>
#include <memory>
#include <thread>

#include "common/log.h"
#include "common/redis_argv.h"
#include "common/time_format.h"

namespace papo {
namespace {

// Redirects a call follows before giving up (a slot moving twice while a
// call runs is already rare).
constexpr int kMaxRounds = 5;
// A failover makes every call ask for a new map; one per 100 ms is enough.
constexpr int64_t kMinRefreshIntervalMs = 100;
// TRYAGAIN (keys of a slot being moved are on both sides) and ASK inside a
// MULTI block: the move ends within moments.
constexpr std::chrono::milliseconds kMigrationPause{20};

std::string Upper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

bool NameIs(const std::string& arg, std::string_view upper_name) {
  return arg.size() == upper_name.size() &&
         std::equal(arg.begin(), arg.end(), upper_name.begin(),
                    [](char a, char b) { return std::toupper(static_cast<unsigned char>(a)) == b; });
}

std::string_view ErrorText(const redisReply* reply) {
  if (reply == nullptr || reply->type != REDIS_REPLY_ERROR) return {};
  return {reply->str, reply->len};
}

constexpr std::array<std::string_view, 40> kKeylessCommands = {
    "PING",     "ECHO",      "PUBLISH", "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "SCRIPT",
    "MULTI",    "EXEC",      "DISCARD", "INFO",      "CLUSTER",     "ASKING",     "AUTH",         "SELECT",
    "TIME",     "DBSIZE",    "FLUSHALL", "FLUSHDB",  "CONFIG",      "CLIENT",     "COMMAND",      "READONLY",
    "READWRITE", "WAIT",     "HELLO",   "RESET",     "QUIT",        "FUNCTION",   "LASTSAVE",     "SAVE",
    "BGSAVE",   "SLOWLOG",   "RANDOMKEY", "KEYS",    "SCAN",        "ROLE",       "LATENCY",      "MONITOR"};

}  // namespace

std::optional<std::string_view> CommandRoutingKey(const std::vector<std::string>& command) {
  if (command.empty()) return std::nullopt;
  const std::string name = Upper(command[0]);
  if (std::find(kKeylessCommands.begin(), kKeylessCommands.end(), name) != kKeylessCommands.end()) {
    return std::nullopt;
  }
  if (name == "EVAL" || name == "EVALSHA" || name == "EVAL_RO" || name == "EVALSHA_RO" || name == "FCALL" ||
      name == "FCALL_RO") {
    if (command.size() < 4) return std::nullopt;
    long long numkeys = 0;
    const std::string& text = command[2];
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), numkeys);
    if (error != std::errc() || end != text.data() + text.size() || numkeys < 1) return std::nullopt;
    return command[3];
  }
  if (name == "PUBSUB") {
    if (command.size() >= 3 && NameIs(command[1], "SHARDNUMSUB")) return command[2];
    return std::nullopt;
  }
  if (command.size() < 2) return std::nullopt;
  return command[1];
}

RedisClusterRouter::RedisClusterRouter(RedisAddress address, int timeout_ms, int retry_interval_ms)
    : address_(std::move(address)), timeout_ms_(timeout_ms), retry_interval_ms_(retry_interval_ms) {}

void RedisClusterRouter::Drop(NodeConnection& connection, const char* why, bool pause) {
  if (connection.context) {
    Log(LogLevel::kWarn, "redis_connection_lost")
        .Kv("node", connection.node.Name())
        .Kv("reason", why)
        .Kv("error", connection.context->err ? connection.context->errstr : "");
  }
  connection.context.reset();
  connection.last_failure_ms = NowMillis();
  if (pause) connection.next_attempt_ms = connection.last_failure_ms + retry_interval_ms_;
  // A node lost may be a primary failed over to its replica.
  refresh_needed_ = true;
}

Status RedisClusterRouter::EnsureMap() {
  if (!refresh_needed_ && !map_.empty()) return Status::Ok();
  const int64_t now = NowMillis();
  if (now < next_refresh_ms_) {
    return map_.empty() ? Status::Unavailable("redis cluster: no slot map (waiting to retry)") : Status::Ok();
  }
  // Nodes known to answer first; those in their pause after a failure next;
  // the configured seeds last.
  std::vector<RedisHostPort> candidates;
  std::vector<RedisHostPort> paused;
  for (const auto& node : map_.KnownNodes()) {
    auto found = connections_.find(node.Name());
    bool is_paused = found != connections_.end() && !found->second.context && now < found->second.next_attempt_ms;
    (is_paused ? paused : candidates).push_back({node.host, node.port});
  }
  candidates.insert(candidates.end(), paused.begin(), paused.end());
  candidates.insert(candidates.end(), address_.seeds.begin(), address_.seeds.end());
  auto fresh = FetchSlotMap(candidates, address_.password, timeout_ms_);
  if (!fresh.ok()) {
    next_refresh_ms_ = now + retry_interval_ms_;
    if (map_.empty()) return fresh.status();
    return Status::Ok();  // the old map still names live nodes, perhaps
  }
  std::vector<ClusterNode> before = map_.Primaries();
  map_ = std::move(fresh).value();
  refresh_needed_ = false;
  next_refresh_ms_ = now + std::min<int64_t>(kMinRefreshIntervalMs, retry_interval_ms_);
  std::vector<ClusterNode> after = map_.Primaries();
  if (before != after) {
    std::string primaries;
    for (const auto& node : after) primaries += (primaries.empty() ? "" : ",") + node.Name();
    Log(LogLevel::kInfo, "redis_cluster_topology").Kv("primaries", primaries);
  }
  return Status::Ok();
}

std::vector<RedisClusterRouter::Unit> RedisClusterRouter::SplitUnits(
    const std::vector<std::vector<std::string>>& commands) const {
  std::vector<Unit> units;
  for (size_t i = 0; i < commands.size();) {
    Unit unit;
    unit.begin = i;
    if (!commands[i].empty() && NameIs(commands[i][0], "MULTI")) {
      size_t end = i + 1;
      while (end < commands.size() &&
             !(!commands[end].empty() && (NameIs(commands[end][0], "EXEC") || NameIs(commands[end][0], "DISCARD")))) {
        ++end;
      }
      unit.end = std::min(end + 1, commands.size());
    } else {
      unit.end = i + 1;
    }
    for (size_t j = unit.begin; j < unit.end && !unit.slot; ++j) {
      if (auto key = CommandRoutingKey(commands[j])) unit.slot = KeySlot(*key);
    }
    units.push_back(std::move(unit));
    i = units.back().end;
  }
  return units;
}

RedisClusterRouter::NodeConnection& RedisClusterRouter::ConnectionFor(const ClusterNode& node) {
  auto [it, added] = connections_.try_emplace(node.Name());
  if (added) it->second.node = node;
  return it->second;
}

Status RedisClusterRouter::Target(std::vector<Unit>& units) {
  for (auto& unit : units) {
    if (!unit.slot) continue;
    const ClusterNode* node = map_.NodeFor(*unit.slot);
    if (node == nullptr) {
      refresh_needed_ = true;
      return Status::Unavailable("redis cluster: no node serves slot " + std::to_string(*unit.slot));
    }
    unit.target = *node;
  }
  // Keyless commands ride along with a neighbour (no extra connection);
  // alone, they go to a primary already connected, else one that never
  // failed, else the one whose last failure is oldest and whose pause is
  // over (after RetryNow every pause is over: the logout announcement sent
  // again at once must not go back to the node that just failed).
  const int64_t now = NowMillis();
  std::optional<ClusterNode> fallback;
  int64_t best = -1;  // higher is better
  for (const auto& node : map_.Primaries()) {
    auto found = connections_.find(node.Name());
    int64_t score;
    if (found == connections_.end() || (!found->second.context && found->second.last_failure_ms == 0)) {
      score = std::numeric_limits<int64_t>::max() - 1;
    } else if (found->second.context) {
      score = std::numeric_limits<int64_t>::max();
    } else if (now >= found->second.next_attempt_ms) {
      score = std::numeric_limits<int64_t>::max() - 2 - found->second.last_failure_ms;
    } else {
      continue;
    }
    if (score > best) {
      best = score;
      fallback = node;
    }
  }
  for (size_t i = 0; i < units.size(); ++i) {
    if (units[i].slot) continue;
    const Unit* neighbour = nullptr;
    for (size_t j = i; j-- > 0 && !neighbour;) {
      if (units[j].slot) neighbour = &units[j];
    }
    for (size_t j = i + 1; j < units.size() && !neighbour; ++j) {
      if (units[j].slot) neighbour = &units[j];
    }
    if (neighbour != nullptr) {
      units[i].target = neighbour->target;
    } else if (fallback) {
      units[i].target = *fallback;
    } else {
      refresh_needed_ = true;
      return Status::Unavailable("redis cluster: no primary is reachable");
    }
  }
  return Status::Ok();
}

Status RedisClusterRouter::Connect(NodeConnection& connection) {
  if (connection.context) return Status::Ok();
  const int64_t now = NowMillis();
  const std::string name = connection.node.Name();
  if (now < connection.next_attempt_ms) {
    refresh_needed_ = true;
    return Status::Unavailable("redis cluster: node " + name + " unavailable (waiting to retry)");
  }
  struct timeval timeout = {timeout_ms_ / 1000, (timeout_ms_ % 1000) * 1000};
  RedisContextPtr context(redisConnectWithTimeout(connection.node.host.c_str(), connection.node.port, timeout));
  if (!context || context->err) {
    connection.next_attempt_ms = now + retry_interval_ms_;
    connection.last_failure_ms = now;
    refresh_needed_ = true;
    return Status::Unavailable("redis connect " + name + ": " + (context ? context->errstr : "out of memory"));
  }
  redisSetTimeout(context.get(), timeout);
  if (!address_.password.empty()) {
    RedisReplyPtr auth(static_cast<redisReply*>(
        redisCommand(context.get(), "AUTH %b", address_.password.data(), address_.password.size())));
    if (!auth || auth->type == REDIS_REPLY_ERROR) {
      connection.next_attempt_ms = now + retry_interval_ms_;
      connection.last_failure_ms = now;
      std::string error = auth ? std::string(ErrorText(auth.get())) : context->errstr;
      return Status::Unavailable("redis " + name + ": " + error);
    }
  }
  connection.context = std::move(context);
  Log(LogLevel::kInfo, "redis_connected").Kv("host", name);
  return Status::Ok();
}

Result<std::optional<RedisClusterRouter::Unit>> RedisClusterRouter::CheckRedirects(
    const Unit& unit, const std::vector<RedisReplyPtr>& replies) {
  const bool block = unit.end - unit.begin > 1;
  for (size_t i = unit.begin; i < unit.end; ++i) {
    std::string_view error = ErrorText(replies[i].get());
    if (error.empty()) continue;
    if (error.starts_with("CLUSTERDOWN")) {
      refresh_needed_ = true;
      return Status::Unavailable("redis cluster: " + std::string(error));
    }
    Unit again = unit;
    if (error.starts_with("TRYAGAIN")) {
      std::this_thread::sleep_for(kMigrationPause);
      return std::optional<Unit>(again);
    }
    auto redirect = ParseRedirect(error);
    if (!redirect) continue;
    if (redirect->node.host.empty()) redirect->node.host = unit.target.host;  // "MOVED 1 :7001": the same host
    if (!redirect->ask) {
      map_.Assign(redirect->slot, redirect->node);
      refresh_needed_ = true;  // one slot moved: others may have too
      again.target = redirect->node;
      again.asking = false;
    } else if (!block) {
      again.target = redirect->node;
      again.asking = true;
    } else {
      // ASKING covers one command, not a transaction: wait for the move
      // to end, when the old node answers MOVED.
      std::this_thread::sleep_for(kMigrationPause);
    }
    return std::optional<Unit>(again);
  }
  return std::optional<Unit>();
}

Result<std::vector<RedisClusterRouter::Unit>> RedisClusterRouter::SendRound(
    const std::vector<std::vector<std::string>>& commands, std::vector<Unit> units,
    std::vector<RedisReplyPtr>& replies, bool& used_stale_retry) {
  std::map<std::string, std::vector<size_t>> by_node;  // node -> indexes into units
  for (size_t i = 0; i < units.size(); ++i) by_node[units[i].target.Name()].push_back(i);
  // Connect to every node before writing to any (a failure leaves no
  // replies unread), write to all, then read: one round trip.
  std::map<std::string, bool> reused;
  for (const auto& [name, indexes] : by_node) {
    NodeConnection& connection = ConnectionFor(units[indexes[0]].target);
    reused[name] = connection.context != nullptr;
    PAPO_RETURN_IF_ERROR(Connect(connection));
  }
  for (const auto& [name, indexes] : by_node) {
    NodeConnection& connection = connections_.at(name);
    for (size_t index : indexes) {
      const Unit& unit = units[index];
      if (unit.asking) redisAppendCommand(connection.context.get(), "ASKING");
      for (size_t c = unit.begin; c < unit.end; ++c) {
        const auto& command = commands[c];
        RedisArgv argv(command);
        redisAppendCommandArgv(connection.context.get(), argv.count(), argv.data(), argv.lengths());
        if (!command.empty() && (NameIs(command[0], "SUBSCRIBE") || NameIs(command[0], "PSUBSCRIBE"))) {
          subscriber_ = name;
        }
      }
    }
    int done = 0;
    while (!done && connection.context->err == 0) {
      if (redisBufferWrite(connection.context.get(), &done) != REDIS_OK) break;
    }
  }
  std::vector<Unit> again;
  Status failure = Status::Ok();
  for (const auto& [name, indexes] : by_node) {
    NodeConnection& connection = connections_.at(name);
    bool failed = connection.context->err != 0;
    for (size_t index : indexes) {
      const Unit& unit = units[index];
      const size_t count = (unit.end - unit.begin) + (unit.asking ? 1 : 0);
      for (size_t n = 0; n < count; ++n) {
        void* raw = nullptr;
        if (redisGetReply(connection.context.get(), &raw) != REDIS_OK || raw == nullptr) {
          failed = true;
          break;
        }
        RedisReplyPtr reply(static_cast<redisReply*>(raw));
        if (unit.asking && n == 0) continue;  // ASKING's +OK
        replies[unit.begin + n - (unit.asking ? 1 : 0)] = std::move(reply);
      }
      if (failed) break;
      auto redirected = CheckRedirects(unit, replies);
      if (!redirected.ok()) {
        if (failure.ok()) failure = redirected.status();
      } else if (redirected->has_value()) {
        again.push_back(**redirected);
      }
    }
    if (!failed) continue;
    // As RedisClient: a timeout means a slow or stopped node (pause); EOF or
    // a reset on a connection used before means it was closed since (a
    // restart): a new connection is tried at once, once per call.
    const int error_number = errno;
    const bool timed_out = connection.context->err == REDIS_ERR_IO &&
                           (error_number == EAGAIN || error_number == EWOULDBLOCK || error_number == EINPROGRESS);
    const bool stale = reused[name] && !timed_out && !used_stale_retry &&
                       (connection.context->err == REDIS_ERR_EOF || connection.context->err == REDIS_ERR_IO);
    std::string error = connection.context->errstr;
    Drop(connection, stale ? "stale connection" : "read failed", !stale);
    if (stale) {
      used_stale_retry = true;
      for (size_t index : indexes) again.push_back(units[index]);
    } else if (failure.ok()) {
      failure = Status::Unavailable("redis " + name + ": " + error);
    }
  }
  if (!failure.ok()) return failure;
  return again;
}

Result<std::vector<RedisReplyPtr>> RedisClusterRouter::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  std::vector<RedisReplyPtr> replies(commands.size());
  if (commands.empty()) return replies;
  PAPO_RETURN_IF_ERROR(EnsureMap());
  if (commands.size() == 1 && commands[0].size() >= 2 && NameIs(commands[0][0], "PUBSUB") &&
      NameIs(commands[0][1], "NUMSUB")) {
    auto reply = NumsubEverywhere(commands[0]);
    if (!reply.ok()) return reply.status();
    replies[0] = std::move(reply).value();
    return replies;
  }
  std::vector<Unit> units = SplitUnits(commands);
  PAPO_RETURN_IF_ERROR(Target(units));
  bool used_stale_retry = false;
  for (int round = 0; round < kMaxRounds && !units.empty(); ++round) {
    auto again = SendRound(commands, std::move(units), replies, used_stale_retry);
    if (!again.ok()) return again.status();
    units = std::move(again).value();
  }
  if (!units.empty()) return Status::Unavailable("redis cluster: still redirected after " +
                                                 std::to_string(kMaxRounds) + " tries");
  return replies;
}

// Classic pub/sub is cluster-wide (a PUBLISH reaches every node), but each
// node counts only its own subscribers: the sum over every node answers
// "who hears a PUBLISH on this channel".
Result<RedisReplyPtr> RedisClusterRouter::NumsubEverywhere(const std::vector<std::string>& command) {
  std::vector<long long> totals(command.size() - 2, 0);
  int answered = 0;
  Status last_error = Status::Unavailable("redis cluster: no node known");
  for (const auto& node : map_.KnownNodes()) {
    NodeConnection& connection = ConnectionFor(node);
    // A node that does not answer has no subscriber that hears anything.
    if (Status status = Connect(connection); !status.ok()) {
      last_error = status;
      continue;
    }
    RedisArgv argv(command);
    RedisReplyPtr reply(static_cast<redisReply*>(
        redisCommandArgv(connection.context.get(), argv.count(), argv.data(), argv.lengths())));
    if (!reply) {
      last_error = Status::Unavailable("redis " + node.Name() + ": " + connection.context->errstr);
      Drop(connection, "read failed", true);
      continue;
    }
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 * totals.size()) {
      return Status::Internal("redis " + node.Name() + ": PUBSUB NUMSUB: unexpected reply");
    }
    for (size_t i = 0; i < totals.size(); ++i) totals[i] += reply->element[2 * i + 1]->integer;
    ++answered;
  }
  if (answered == 0) return last_error;
  // The answer in a node's own shape, built by hiredis's reader.
  std::string resp = "*" + std::to_string(2 * totals.size()) + "\r\n";
  for (size_t i = 0; i < totals.size(); ++i) {
    const std::string& channel = command[i + 2];
    resp += "$" + std::to_string(channel.size()) + "\r\n" + channel + "\r\n:" + std::to_string(totals[i]) + "\r\n";
  }
  std::unique_ptr<redisReader, decltype(&redisReaderFree)> reader(redisReaderCreate(), &redisReaderFree);
  void* raw = nullptr;
  if (redisReaderFeed(reader.get(), resp.data(), resp.size()) != REDIS_OK ||
      redisReaderGetReply(reader.get(), &raw) != REDIS_OK || raw == nullptr) {
    return Status::Internal("redis: PUBSUB NUMSUB: could not build the reply");
  }
  return RedisReplyPtr(static_cast<redisReply*>(raw));
}

Result<RedisReplyPtr> RedisClusterRouter::Eval(const std::string& script, const std::vector<std::string>& keys,
                                               const std::vector<std::string>& args) {
  // A script's SHA-1 is the same on every node: learnt once, from any.
  auto sha = script_shas_.find(script);
  if (sha == script_shas_.end()) {
    auto loaded = Pipeline({{"SCRIPT", "LOAD", script}});
    if (!loaded.ok()) return loaded.status();
    const redisReply* reply = loaded->front().get();
    if (reply->type != REDIS_REPLY_STRING) {
      return Status::Internal("redis: SCRIPT LOAD: " + std::string(ErrorText(reply)));
    }
    sha = script_shas_.emplace(script, std::string(reply->str, reply->len)).first;
  }
  auto replies = Pipeline({ScriptCommand("EVALSHA", sha->second, keys, args)});
  if (!replies.ok()) return replies.status();
  RedisReplyPtr reply = std::move(replies->front());
  if (ErrorText(reply.get()).starts_with("NOSCRIPT")) {
    // The node that runs it (which one is the router's business: MOVED and
    // ASK may send it on) has not seen the script: EVAL sends the text,
    // runs it wherever the redirects lead, and leaves it cached there.
    replies = Pipeline({ScriptCommand("EVAL", script, keys, args)});
    if (!replies.ok()) return replies.status();
    reply = std::move(replies->front());
  }
  if (reply->type == REDIS_REPLY_ERROR) return Status::Internal("redis: " + std::string(ErrorText(reply.get())));
  return reply;
}

Result<RedisReplyPtr> RedisClusterRouter::NextPush() {
  auto found = connections_.find(subscriber_);
  if (found == connections_.end() || !found->second.context) return Status::Unavailable("redis: not connected");
  redisContext* context = found->second.context.get();
  struct timeval forever = {0, 0};
  redisSetTimeout(context, forever);
  void* raw = nullptr;
  if (redisGetReply(context, &raw) != REDIS_OK || raw == nullptr) {
    return Status::Unavailable(std::string("redis: subscription ended: ") + context->errstr);
  }
  return RedisReplyPtr(static_cast<redisReply*>(raw));
}

int RedisClusterRouter::socket_fd() const {
  auto found = connections_.find(subscriber_);
  return found != connections_.end() && found->second.context ? found->second.context->fd : -1;
}

bool RedisClusterRouter::connected() const {
  return std::any_of(connections_.begin(), connections_.end(),
                     [](const auto& entry) { return entry.second.context != nullptr; });
}

void RedisClusterRouter::RetryNow() {
  for (auto& [name, connection] : connections_) connection.next_attempt_ms = 0;
  next_refresh_ms_ = 0;
}

}  // namespace papo
