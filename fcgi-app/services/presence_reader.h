// PresenceReader: who is online in a room, as the pushers record it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/bus/payloads.h"  // OnlineUser

namespace papo {

class PresenceReader {
 public:
  virtual ~PresenceReader() = default;
  // Distinct users with a live stream in the room, ordered by name. Empty
  // when presence cannot be read (pages still render).
  virtual std::vector<OnlineUser> Online(int64_t sala_id) = 0;
  // Online counts for many rooms at once (one round trip).
  virtual std::map<int64_t, int> Counts(const std::vector<int64_t>& salas) = 0;
};

}  // namespace papo
