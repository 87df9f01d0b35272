// PrivateRoomIndex: how a list stream's private rooms reach the pusher
// (DESIGN §4). papo-app authorizes the stream and stores the user's private
// room ids where the pusher reads them as the stream opens; rooms the user
// gains later reach the open stream over the bus (`sala` on papo:usuario:{id}).
// Nothing travels in a header, so the set has no size bound, and what a
// client sends cannot add to it.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"

namespace papo {

class PrivateRoomIndex {
 public:
  virtual ~PrivateRoomIndex() = default;
  // Replaces what is stored for the user with `sala_ids` (possibly none).
  // Unavailable when it cannot be stored: the stream must not open, since
  // the pusher would follow none of the user's private rooms.
  virtual Status Store(int64_t usuario_id, const std::vector<int64_t>& sala_ids) = 0;
  // After a commit that made `usuario_ids` members of private room
  // `sala_id`, before its `sala` event is published: a list stream whose
  // pusher reads the set after subscribing to the user's channel then gets
  // the room one way or the other. Best effort (the event still goes out).
  virtual Status Add(const std::vector<int64_t>& usuario_ids, int64_t sala_id) = 0;
  // After a commit that ended the membership of `usuario_id` in private
  // room `sala_id` (they left or were removed), before its `sala_removida`
  // is published: a list stream opening now does not follow the room. Best
  // effort (the set is rewritten from the database by the next stream).
  virtual Status Remove(int64_t usuario_id, int64_t sala_id) = 0;
};

}  // namespace papo
