// RedisPresenceReader: reads the presence ZSETs the pushers maintain
// (common/bus/names.h), skipping entries whose expiry has passed.
#pragma once

#include "common/redis_client.h"
#include "fcgi-app/services/presence_reader.h"

namespace papo {

class RedisPresenceReader final : public PresenceReader {
 public:
  explicit RedisPresenceReader(RedisClient& client) : client_(client) {}
  std::vector<OnlineUser> Online(int64_t sala_id) override;
  std::map<int64_t, int> Counts(const std::vector<int64_t>& salas) override;
  ListPresence ForList(const std::vector<int64_t>& salas, const std::vector<int64_t>& usuarios) override;

 private:
  RedisClient& client_;
};

}  // namespace papo
