// RedisPrivateRoomIndex: the user's private room ids as the SET
// PrivateRoomsKey(user) (common/bus/names.h), rewritten from the database
// on every list stream's authorization, so a Redis restart loses nothing
// that the next stream does not rebuild. One per worker thread (its
// RedisClient's).
#pragma once

#include "common/redis_client.h"
#include "fcgi-app/services/private_room_index.h"

namespace papo {

class RedisPrivateRoomIndex final : public PrivateRoomIndex {
 public:
  explicit RedisPrivateRoomIndex(RedisClient& client) : client_(client) {}
  Status Store(int64_t usuario_id, const std::vector<int64_t>& sala_ids) override;
  Status Add(const std::vector<int64_t>& usuario_ids, int64_t sala_id) override;
  Status Remove(int64_t usuario_id, int64_t sala_id) override;

 private:
  RedisClient& client_;
};

}  // namespace papo
