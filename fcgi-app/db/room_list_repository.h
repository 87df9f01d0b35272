// RoomListRepository: the order of the room list (GET /chat/listar-salas,
// DESIGN §3, §9): every room a user may see, newest activity first, with
// just what sections, the name filter and pagination need. The rows of one
// page are then read whole (RoomRepository::SummariesOf), so unread counts
// are computed for at most a page of rooms, never for all of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fcgi-app/db/database.h"

namespace papo {

struct RoomListEntry {
  int64_t id = 0;
  bool direta = false;
  bool arquivada = false;
  std::string nome;        // as the user sees it: a direct message's is the other person's name ("" unless asked)
  int64_t atividade = 0;   // data_envio of the newest message, else the room's criado_em (ms)
};

class RoomListRepository final {
 public:
  explicit RoomListRepository(Database& db) : db_(db) {}

  // Active rooms `usuario_id` may see (public, or private and a member),
  // archived ones included, by `atividade` descending, then id descending.
  // Without `with_names` a direct message's nome is left "" (the name
  // filter needs it; the unfiltered list spares a look-up per DM).
  Result<std::vector<RoomListEntry>> Ordered(int64_t usuario_id, bool with_names = true);

 private:
  Database& db_;
};

}  // namespace papo
