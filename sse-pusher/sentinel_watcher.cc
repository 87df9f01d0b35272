#include "sse-pusher/sentinel_watcher.h"

#include <cstdlib>
#include <string_view>

#include "common/log.h"

namespace papo::pusher {
namespace {

// "<name> <old ip> <old port> <new ip> <new port>" split on spaces.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    size_t space = text.find(' ');
    words.push_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return words;
}

}  // namespace

SentinelWatcher::SentinelWatcher(EventLoop& loop, PusherMetrics& metrics, const RedisAddress& address,
                                 int connect_timeout_ms, OnSwitch on_switch)
    : master_name_(address.master_name), on_switch_(std::move(on_switch)) {
  for (const RedisHostPort& sentinel : address.seeds) {
    RedisAddress sentinel_address;  // kSingle; sentinels are asked without a password
    sentinel_address.host = sentinel.host;
    sentinel_address.port = sentinel.port;
    const std::string name = "sentinel " + sentinel.host + ":" + std::to_string(sentinel.port);
    const size_t index = connections_.size();
    auto connection = std::make_unique<RedisConnection>(
        loop, metrics, sentinel_address, name, connect_timeout_ms, /*select_database=*/false,
        RedisConnection::Handlers{[this, index] { Subscribe(*connections_[index]); }, nullptr});
    connections_.push_back(std::move(connection));
  }
}

SentinelWatcher::~SentinelWatcher() {
  // First, while this object is whole: the pending SUBSCRIBE callbacks are
  // called (with null) as the contexts are freed.
  connections_.clear();
}

void SentinelWatcher::Start() {
  for (auto& connection : connections_) connection->Start();
}

void SentinelWatcher::Stop() {
  for (auto& connection : connections_) connection->Stop();
}

void SentinelWatcher::Subscribe(RedisConnection& connection) {
  redisAsyncContext* context = connection.context();
  if (context == nullptr) return;
  redisAsyncCommand(context, &SentinelWatcher::OnMessage, this, "SUBSCRIBE +switch-master");
}

void SentinelWatcher::HandleMessage(const redisReply* reply) {
  // ["subscribe", channel, count] or ["message", channel, payload].
  if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY || reply->elements != 3) return;
  const redisReply* kind = reply->element[0];
  const redisReply* payload = reply->element[2];
  if (kind->type != REDIS_REPLY_STRING || std::string_view(kind->str, kind->len) != "message") return;
  if (payload->type != REDIS_REPLY_STRING) return;
  std::vector<std::string_view> words = Words(std::string_view(payload->str, payload->len));
  if (words.size() != 5 || words[0] != master_name_) return;
  RedisHostPort master;
  master.host = std::string(words[3]);
  master.port = std::atoi(std::string(words[4]).c_str());
  if (master.port <= 0) return;
  Log(LogLevel::kInfo, "pusher_sentinel_switch_master")
      .Kv("master", master_name_)
      .Kv("from", std::string(words[1]) + ":" + std::string(words[2]))
      .Kv("to", master.host + ":" + std::to_string(master.port));
  on_switch_(master);
}

void SentinelWatcher::OnMessage(redisAsyncContext* /*context*/, void* reply, void* privdata) noexcept {
  try {
    static_cast<SentinelWatcher*>(privdata)->HandleMessage(static_cast<const redisReply*>(reply));
  } catch (...) {
    Log(LogLevel::kError, "pusher_redis_callback_exception").Kv("callback", "sentinel");
  }
}

}  // namespace papo::pusher
