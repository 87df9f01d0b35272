#include "sse-pusher/private_rooms.h"

#include <charconv>
#include <string>

#include "common/bus/names.h"
#include "sse-pusher/redis_commander.h"

namespace papo::pusher {

Result<std::vector<int64_t>> ParsePrivateRooms(const redisReply* reply) {
  if (reply == nullptr) return Status::Unavailable("redis: no connection");
  if (reply->type == REDIS_REPLY_ERROR) return Status::Unavailable("redis: " + std::string(reply->str, reply->len));
  if (reply->type != REDIS_REPLY_ARRAY) return Status::Internal("redis: unexpected reply to SMEMBERS");
  std::vector<int64_t> ids;
  ids.reserve(reply->elements);
  bool written = false;
  for (size_t i = 0; i < reply->elements; ++i) {
    const redisReply* member = reply->element[i];
    if (member->type != REDIS_REPLY_STRING) continue;
    std::string_view text(member->str, member->len);
    if (text == kPrivateRoomsWritten) {
      written = true;
      continue;
    }
    int64_t id = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error == std::errc() && end == text.data() + text.size() && id > 0) ids.push_back(id);
  }
  // Ids without the marker were added since the set expired (a room gained
  // later): true, just not all of them.
  if (!written && ids.empty()) return Status::NotFound("no private rooms stored for the user");
  return ids;
}

void RedisPrivateRooms::Fetch(int64_t usuario_id, Callback done) {
  commander_.Command({"SMEMBERS", PrivateRoomsKey(usuario_id)},
                     [done = std::move(done)](const redisReply* reply) { done(ParsePrivateRooms(reply)); });
}

}  // namespace papo::pusher
