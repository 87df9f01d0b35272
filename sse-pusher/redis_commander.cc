#include "sse-pusher/redis_commander.h"

#include <string_view>

#include "common/log.h"
#include "common/redis_argv.h"

namespace papo::pusher {

RedisCommander::RedisCommander(EventLoop& loop, PusherMetrics& metrics, const RedisAddress& address,
                               int connect_timeout_ms, std::function<void()> on_connected)
    : loop_(loop),
      connection_(loop, metrics, address, "commands", connect_timeout_ms, /*select_database=*/true,
                  {std::move(on_connected), nullptr}) {}

RedisCommander::RedisCommander(EventLoop& loop, PusherMetrics& metrics, ClusterTopology& topology,
                               int connect_timeout_ms, std::function<void()> on_connected)
    : loop_(loop),
      cluster_(std::make_unique<ClusterCommander>(loop, metrics, topology, connect_timeout_ms,
                                                  std::move(on_connected))),
      connection_(loop, metrics, topology.address(), "commands", connect_timeout_ms, /*select_database=*/false,
                  {}) {}

RedisCommander::~RedisCommander() {
  // The owners of pending callbacks may already be gone: drop them before
  // hiredis reports the pending commands as failed.
  destroying_ = true;
  callbacks_.clear();
}

void RedisCommander::Command(const std::vector<std::string>& argv, Callback done) {
  if (cluster_) return cluster_->Command(argv, std::move(done));
  redisAsyncContext* context = connection_.context();
  if (context != nullptr) {
    RedisArgv args(argv);
    if (redisAsyncCommandArgv(context, &RedisCommander::OnReply, this, args.count(), args.data(), args.lengths()) ==
        REDIS_OK) {
      callbacks_.push_back(std::move(done));
      return;
    }
  }
  loop_.Defer([done = std::move(done)] { done(nullptr); });
}

void RedisCommander::HandleReply(const redisReply* reply) {
  if (destroying_ || callbacks_.empty()) return;
  if (reply != nullptr && reply->type != REDIS_REPLY_ERROR) connection_.MarkHealthy();
  // Sentinel mode: a demoted master refuses writes; the sentinels name the
  // master now (the command itself fails, as on any lost connection).
  if (reply != nullptr && reply->type == REDIS_REPLY_ERROR &&
      std::string_view(reply->str, reply->len).starts_with("READONLY")) {
    connection_.FollowMaster({});
  }
  Callback callback = std::move(callbacks_.front());
  callbacks_.pop_front();
  callback(reply);
}

void RedisCommander::OnReply(redisAsyncContext* /*context*/, void* reply, void* privdata) noexcept {
  try {
    static_cast<RedisCommander*>(privdata)->HandleReply(static_cast<const redisReply*>(reply));
  } catch (const std::exception& error) {
    Log(LogLevel::kError, "pusher_redis_callback_exception").Kv("callback", "command").Kv("error", error.what());
  } catch (...) {
    Log(LogLevel::kError, "pusher_redis_callback_exception").Kv("callback", "command");
  }
}

}  // namespace papo::pusher
