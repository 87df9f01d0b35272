// RedisPublisher: Publisher over a RedisClient (one per papo-app thread).
#pragma once

#include <string>
#include <vector>

#include "common/publisher.h"
#include "common/redis_client.h"

namespace papo {

class RedisPublisher final : public Publisher {
 public:
  // `client` must outlive the publisher. `cache_size` = CHAT_CACHE_SIZE.
  RedisPublisher(RedisClient& client, int cache_size) : client_(client), cache_size_(cache_size) {}

  Status Publish(const RoomEvent& event) override;
  Result<std::vector<int64_t>> MissingFromCache(int64_t sala_id, int64_t from_seq, int64_t to_seq) override;
  Status EndSession(std::string_view session_id) override;

 private:
  Status PublishMessage(const RoomEvent& event);
  Status PublishChange(const RoomEvent& event);
  // {PUBLISH or SPUBLISH, channel, payload} for this deployment.
  std::vector<std::string> PublishCommand(std::string channel, std::string payload) const;

  RedisClient& client_;
  int cache_size_;
};

}  // namespace papo
