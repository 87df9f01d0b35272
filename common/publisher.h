// Publisher: how services hand committed events to the bus. Handlers and
// services see only this interface; RedisPublisher is the implementation.
//
// Thread-compatible: each papo-app worker thread owns its own Publisher.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/bus/event.h"

namespace papo {

class Publisher {
 public:
  virtual ~Publisher() = default;

  // Publishes `event` (for kMessage: also stores it in the room's recent
  // cache, in the same round trip). Unavailable when the bus cannot be
  // reached: the caller keeps the event's room for a later republish.
  virtual Status Publish(const RoomEvent& event) = 0;

  // The seqs in [from_seq, to_seq] that the room's recent cache lacks,
  // ascending (the republisher's check for holes, not just the tail).
  virtual Result<std::vector<int64_t>> MissingFromCache(int64_t sala_id, int64_t from_seq, int64_t to_seq) = 0;

  // Tells every pusher that the login session whose stream id is
  // `session_id` (X-Papo-Session-Id) ended: they close its streams.
  // Unavailable when the bus cannot be reached (not retried: the caller
  // decides what a missed notice costs).
  virtual Status EndSession(std::string_view session_id) = 0;
};

}  // namespace papo
