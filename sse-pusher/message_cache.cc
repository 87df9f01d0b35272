#include "sse-pusher/message_cache.h"

#include <charconv>

#include "common/bus/names.h"
#include "sse-pusher/redis_commander.h"

namespace papo::pusher {
namespace {

// A WITHSCORES reply: [member, score, member, score, ...].
Result<std::vector<CachedMessage>> ParseEntries(const redisReply* reply) {
  if (reply == nullptr) return Status::Unavailable("redis: no connection");
  if (reply->type == REDIS_REPLY_ERROR) return Status::Internal("redis: " + std::string(reply->str, reply->len));
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements % 2 != 0) return Status::Internal("redis: unexpected reply");
  std::vector<CachedMessage> entries;
  entries.reserve(reply->elements / 2);
  for (size_t i = 0; i + 1 < reply->elements; i += 2) {
    const redisReply* member = reply->element[i];
    const redisReply* score = reply->element[i + 1];
    if (member->type != REDIS_REPLY_STRING || score->type != REDIS_REPLY_STRING) continue;
    int64_t seq = 0;
    auto [end, error] = std::from_chars(score->str, score->str + score->len, seq);
    if (error != std::errc() || end != score->str + score->len || seq <= 0) continue;
    entries.push_back({seq, std::string(member->str, member->len)});
  }
  return entries;
}

Result<std::vector<LoggedChange>> ParseChanges(const redisReply* reply) {
  if (reply == nullptr) return Status::Unavailable("redis: no connection");
  if (reply->type == REDIS_REPLY_ERROR) return Status::Internal("redis: " + std::string(reply->str, reply->len));
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements % 2 != 0) return Status::Internal("redis: unexpected reply");
  std::vector<LoggedChange> changes;
  changes.reserve(reply->elements / 2);
  for (size_t i = 0; i + 1 < reply->elements; i += 2) {
    const redisReply* member = reply->element[i];
    const redisReply* score = reply->element[i + 1];
    if (member->type != REDIS_REPLY_STRING || score->type != REDIS_REPLY_STRING) continue;
    double position = 0;
    auto [end, error] = std::from_chars(score->str, score->str + score->len, position);
    if (error != std::errc() || end != score->str + score->len) continue;
    changes.push_back({position, std::string(member->str, member->len)});
  }
  return changes;
}

}  // namespace

void RedisMessageCache::FetchChanges(int64_t sala_id, int64_t from, int limit, ChangesCallback done) {
  commander_.Command({"ZRANGEBYSCORE", ChangeLogKey(sala_id), std::to_string(from), "+inf", "WITHSCORES", "LIMIT",
                      "0", std::to_string(limit)},
                     [done = std::move(done)](const redisReply* reply) { done(ParseChanges(reply)); });
}

void RedisMessageCache::FetchAfter(int64_t sala_id, int64_t after_seq, int limit, Callback done) {
  commander_.Command({"ZRANGEBYSCORE", RecentCacheKey(sala_id), "(" + std::to_string(after_seq), "+inf",
                      "WITHSCORES", "LIMIT", "0", std::to_string(limit)},
                     [done = std::move(done)](const redisReply* reply) { done(ParseEntries(reply)); });
}

void RedisMessageCache::FetchNewest(int64_t sala_id, int count, Callback done) {
  commander_.Command({"ZRANGE", RecentCacheKey(sala_id), std::to_string(-count), "-1", "WITHSCORES"},
                     [done = std::move(done)](const redisReply* reply) { done(ParseEntries(reply)); });
}

}  // namespace papo::pusher
