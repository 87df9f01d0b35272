// PrivateRoomSource: the private rooms a list stream follows (DESIGN §4).
// papo-app stores them when nginx's auth_request authorizes the stream
// (fcgi-app/redis/redis_private_room_index.h); RoomHub reads them as the
// stream opens. Rooms gained later arrive on the user's channel. Tests
// substitute an in-memory source at this edge.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <hiredis/hiredis.h>

#include "common/result.h"

namespace papo::pusher {

class RedisCommander;

class PrivateRoomSource {
 public:
  // The ids (any order); Unavailable when they cannot be read, NotFound
  // when nothing is stored for the user (never authorized, expired, or
  // Redis restarted since papo-app wrote it).
  using Callback = std::function<void(Result<std::vector<int64_t>>)>;

  virtual ~PrivateRoomSource() = default;
  // `done` runs exactly once, never re-entrantly from here.
  virtual void Fetch(int64_t usuario_id, Callback done) = 0;
};

// SMEMBERS PrivateRoomsKey(user) on the process's command connection.
class RedisPrivateRooms final : public PrivateRoomSource {
 public:
  // `commander` must outlive this.
  explicit RedisPrivateRooms(RedisCommander& commander) : commander_(commander) {}
  void Fetch(int64_t usuario_id, Callback done) override;

 private:
  RedisCommander& commander_;
};

// An SMEMBERS reply as ids (without the written-marker); exposed for tests.
Result<std::vector<int64_t>> ParsePrivateRooms(const redisReply* reply);

}  // namespace papo::pusher
