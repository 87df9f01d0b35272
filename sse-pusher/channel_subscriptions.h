// ChannelSubscriptions: where RoomHub asks for Redis channels. Implemented
// by RedisSubscriber; the interface keeps the hub free of hiredis.
#pragma once

#include <string>

namespace papo::pusher {

class ChannelSubscriptions {
 public:
  // Subscribes `channel` (idempotent); the listener hears OnSubscribed.
  virtual void Want(const std::string& channel) = 0;
  // Unsubscribes `channel` (idempotent); the listener hears OnUnsubscribed.
  virtual void Release(const std::string& channel) = 0;

 protected:
  ~ChannelSubscriptions() = default;
};

}  // namespace papo::pusher
