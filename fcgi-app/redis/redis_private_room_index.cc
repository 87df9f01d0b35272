#include "fcgi-app/redis/redis_private_room_index.h"

#include <string>

#include "common/bus/names.h"

namespace papo {
namespace {

// The pusher reads the set right after nginx's auth_request succeeds, so a
// few minutes is ample; the TTL only keeps users who never return from
// leaving their sets behind.
constexpr int kTtlSeconds = 600;
// Members per SADD: a user in many thousands of rooms must not make one
// huge command.
constexpr size_t kChunk = 1000;

}  // namespace

// MULTI/EXEC: two streams of one user authorized at once never leave a
// mix, and the pusher never reads a half-written set. Safe to repeat (the
// client resends a pipeline on a stale connection).
Status RedisPrivateRoomIndex::Store(int64_t usuario_id, const std::vector<int64_t>& sala_ids) {
  std::string key = PrivateRoomsKey(usuario_id);
  std::vector<std::vector<std::string>> commands;
  commands.push_back({"MULTI"});
  commands.push_back({"DEL", key});
  std::vector<std::string> add = {"SADD", key, std::string(kPrivateRoomsWritten)};
  for (int64_t id : sala_ids) {
    add.push_back(std::to_string(id));
    if (add.size() - 2 >= kChunk) {
      commands.push_back(std::move(add));
      add = {"SADD", key};
    }
  }
  if (add.size() > 2) commands.push_back(std::move(add));
  commands.push_back({"EXPIRE", key, std::to_string(kTtlSeconds)});
  commands.push_back({"EXEC"});
  auto replies = client_.Pipeline(commands);
  if (!replies.ok()) return Status::Unavailable("redis: " + replies.status().message());
  const redisReply* exec = replies->back().get();
  if (exec == nullptr || exec->type != REDIS_REPLY_ARRAY) {
    std::string error = exec != nullptr && exec->type == REDIS_REPLY_ERROR ? std::string(exec->str, exec->len)
                                                                             : "EXEC: transaction not run";
    return Status::Unavailable("redis: " + error);
  }
  return Status::Ok();
}

// SADD to sets that may not exist (then one without the written-marker:
// the pusher takes its ids as true, not as all); EXPIRE NX keeps the TTL
// of a set that has one.
Status RedisPrivateRoomIndex::Add(const std::vector<int64_t>& usuario_ids, int64_t sala_id) {
  if (usuario_ids.empty()) return Status::Ok();
  std::vector<std::vector<std::string>> commands;
  std::string id = std::to_string(sala_id);
  for (int64_t usuario_id : usuario_ids) {
    std::string key = PrivateRoomsKey(usuario_id);
    commands.push_back({"SADD", key, id});
    commands.push_back({"EXPIRE", key, std::to_string(kTtlSeconds), "NX"});
  }
  auto replies = client_.Pipeline(commands);
  if (!replies.ok()) return Status::Unavailable("redis: " + replies.status().message());
  for (const auto& reply : *replies) {
    if (reply->type == REDIS_REPLY_ERROR) return Status::Unavailable("redis: " + std::string(reply->str, reply->len));
  }
  return Status::Ok();
}

// SREM: a set that does not exist stays absent (nothing to drop).
Status RedisPrivateRoomIndex::Remove(int64_t usuario_id, int64_t sala_id) {
  auto replies = client_.Pipeline({{"SREM", PrivateRoomsKey(usuario_id), std::to_string(sala_id)}});
  if (!replies.ok()) return Status::Unavailable("redis: " + replies.status().message());
  const redisReply* reply = replies->front().get();
  if (reply != nullptr && reply->type == REDIS_REPLY_ERROR) {
    return Status::Unavailable("redis: " + std::string(reply->str, reply->len));
  }
  return Status::Ok();
}

}  // namespace papo
