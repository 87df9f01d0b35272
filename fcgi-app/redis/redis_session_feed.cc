#include "fcgi-app/redis/redis_session_feed.h"

#include <sys/socket.h>

#include <chrono>
#include <optional>
#include <thread>
#include <string_view>

#include "common/log.h"
#include "common/redis_client.h"
#include "common/redis_sentinel.h"
#include "common/bus/names.h"

namespace papo {
namespace {

constexpr std::chrono::milliseconds kRetryPause{1000};
constexpr std::chrono::milliseconds kMasterCheckInterval{1000};

// A pushed ["message", channel, payload]: the payload, else "".
std::string_view MessagePayload(const redisReply& reply) {
  if (reply.type != REDIS_REPLY_ARRAY || reply.elements != 3) return {};
  const redisReply* kind = reply.element[0];
  const redisReply* payload = reply.element[2];
  if (kind->type != REDIS_REPLY_STRING || std::string_view(kind->str, kind->len) != "message") return {};
  if (payload->type != REDIS_REPLY_STRING) return {};
  return std::string_view(payload->str, payload->len);
}

}  // namespace

void RedisSessionFeed::Run() {
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    RedisAddress address = address_;
    std::optional<RedisHostPort> pinned;
    if (address_.mode == RedisMode::kSentinel) {
      // Pinned to the master the sentinels name now, so that WatchMaster
      // can tell when they name another. (When they name none, the
      // client's own resolve fails too, and this is tried again later.)
      auto master = ResolveSentinelMaster(address_);
      if (master.ok()) {
        address.mode = RedisMode::kSingle;
        address.host = master->host;
        address.port = master->port;
        pinned = *master;
      }
    }
    RedisClient client(address, 1000, 0);
    auto subscribed = client.Command({"SUBSCRIBE", SessionsChannel()});
    if (subscribed.ok()) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        reading_fd_ = client.socket_fd();
      }
      std::thread watcher;
      if (pinned) watcher = std::thread([this, master = *pinned] { WatchMaster(master); });
      cache_.SetInSync(true);
      Log(LogLevel::kInfo, "session_cache_in_sync");
      while (true) {
        auto push = client.NextPush();
        if (!push.ok()) break;
        std::string_view stream_id = MessagePayload(**push);
        if (!stream_id.empty()) cache_.ForgetAnnounced(stream_id);
      }
      cache_.SetInSync(false);
      Log(LogLevel::kInfo, "session_cache_out_of_sync");
      {
        std::lock_guard lock(mutex_);
        reading_fd_ = -1;  // ends the watcher
      }
      wake_.notify_all();
      if (watcher.joinable()) watcher.join();
    }
    std::unique_lock lock(mutex_);
    reading_fd_ = -1;  // before `client` closes it: Stop() never touches a reused fd
    wake_.wait_for(lock, kRetryPause, [this] { return stopping_; });
  }
}

void RedisSessionFeed::WatchMaster(const RedisHostPort& master) {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait_for(lock, kMasterCheckInterval, [this] { return stopping_ || reading_fd_ < 0; });
    if (stopping_ || reading_fd_ < 0) return;
    lock.unlock();
    auto now = ResolveSentinelMaster(address_);
    lock.lock();
    if (!now.ok() || (now->host == master.host && now->port == master.port)) continue;
    if (stopping_ || reading_fd_ < 0) return;
    Log(LogLevel::kInfo, "session_feed_master_moved")
        .Kv("from", master.host + ":" + std::to_string(master.port))
        .Kv("to", now->host + ":" + std::to_string(now->port));
    ::shutdown(reading_fd_, SHUT_RDWR);  // Run() subscribes again, on the new master
    return;
  }
}

void RedisSessionFeed::Stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  if (reading_fd_ >= 0) ::shutdown(reading_fd_, SHUT_RDWR);
  wake_.notify_all();
}

}  // namespace papo
