// PresenceReader: who is online in a room, as the pushers record it.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/bus/payloads.h"  // OnlineUser

namespace papo {

// What the room list shows of presence: online counts of its rooms and
// which of the people it names (direct messages) are online.
struct ListPresence {
  std::map<int64_t, int> salas;  // room id -> distinct users with a live stream of it
  std::set<int64_t> usuarios;    // of the people asked for, those with any live stream
};

class PresenceReader {
 public:
  virtual ~PresenceReader() = default;
  // Distinct users with a live stream in the room, ordered by name. Empty
  // when presence cannot be read (pages still render).
  virtual std::vector<OnlineUser> Online(int64_t sala_id) = 0;
  // Online counts for many rooms at once (one round trip).
  virtual std::map<int64_t, int> Counts(const std::vector<int64_t>& salas) = 0;
  // Counts of `salas` and who of `usuarios` has any open stream (a live
  // member of papo:{usuario:N}:conexoes), in one round trip. Empty when
  // presence cannot be read.
  virtual ListPresence ForList(const std::vector<int64_t>& salas, const std::vector<int64_t>& usuarios) = 0;
};

}  // namespace papo
