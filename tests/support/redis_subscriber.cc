#include "tests/support/redis_subscriber.h"

#include <stdexcept>

#include "common/bus/cluster_slots.h"
#include "common/bus/names.h"
#include "tests/support/redis_cluster.h"

namespace papo::testing {

RedisSubscriber::RedisSubscriber(int port, const std::string& channel) { Subscribe(port, "SUBSCRIBE", channel); }

RedisSubscriber::RedisSubscriber(const RedisServer& redis, const std::string& channel) {
  RedisCluster* cluster = redis.cluster();
  if (cluster == nullptr) {
    Subscribe(redis.port(), "SUBSCRIBE", channel);
  } else if (IsShardedChannel(channel)) {
    Subscribe(cluster->PrimaryOf(KeySlot(channel)), "SSUBSCRIBE", channel);
  } else {
    Subscribe(cluster->ports().front(), "SUBSCRIBE", channel);
  }
}

void RedisSubscriber::Subscribe(int port, const char* verb, const std::string& channel) {
  context_.reset(redisConnect("127.0.0.1", port));
  if (!context_ || context_->err) throw std::runtime_error("cannot connect to redis");
  RedisReplyPtr reply(static_cast<redisReply*>(redisCommand(context_.get(), "%s %s", verb, channel.c_str())));
  if (!reply || reply->type == REDIS_REPLY_ERROR) throw std::runtime_error(std::string(verb) + " failed");
}

std::optional<std::string> RedisSubscriber::Next(std::chrono::milliseconds timeout) {
  if (!context_ || context_->err) return std::nullopt;
  timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  redisSetTimeout(context_.get(), tv);
  void* raw = nullptr;
  if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) return std::nullopt;
  RedisReplyPtr reply(static_cast<redisReply*>(raw));
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) return std::nullopt;
  return std::string(reply->element[2]->str, reply->element[2]->len);
}

}  // namespace papo::testing
