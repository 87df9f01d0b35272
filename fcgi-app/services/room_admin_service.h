// RoomAdminService: a room's owner renames, redescribes and archives it;
// members of a private room leave it, and its owner removes them
// (DESIGN §9 `POST /chat/sala/{id}/editar`, `/arquivar`, `/sair`,
// `/membros/{usuario_id}/remover`; README "Salas: dono, arquivo e saída").
//
// Who may do what:
// - Renaming and archiving: the owner only (sala_membro.papel 'dono').
//   Seed rooms have no owner and direct messages are no one's to rename:
//   both refuse everyone (PermissionDenied).
// - Leaving: a member of a private room that is not a direct message; the
//   owner cannot leave (they archive the room instead), and a public room
//   has no membership to end (InvalidArgument for both).
// - Removing: the owner, of a member of their private room.
// Every change counts against the user's 'alteracao' rate limit
// (CHAT_RATE_LIMIT per 10 s, shared with message edits and reactions).
#pragma once

#include <vector>

#include "common/config.h"
#include "common/publisher.h"
#include "fcgi-app/db/models.h"
#include "fcgi-app/db/room_admin_repository.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/services/private_room_index.h"
#include "fcgi-app/services/rate_limiter.h"

namespace papo {

struct RoomEditInput {
  std::string nome;
  std::string descricao;
};

class RoomAdminService final {
 public:
  RoomAdminService(RoomAdminRepository& admin, RoomRepository& rooms, Publisher& publisher,
                   PrivateRoomIndex& private_rooms, RateLimiter& limiter, const Config& config)
      : admin_(admin), rooms_(rooms), publisher_(publisher), private_rooms_(private_rooms), limiter_(limiter),
        config_(config) {}

  // The room as it stands after the change. NotFound (unknown room),
  // PermissionDenied (not the owner, a seed room, a direct message, a
  // private room the user is not in), Conflict (edit: the name is taken),
  // ResourceExhausted (rate limit; the wait in `retry_after_seconds`).
  Result<Room> Edit(const Session& session, int64_t sala_id, const RoomEditInput& input, int& retry_after_seconds);
  Result<Room> Archive(const Session& session, int64_t sala_id, bool arquivada, int& retry_after_seconds);
  // The session's user leaves the room. NotFound, PermissionDenied (not a
  // member, a direct message), InvalidArgument (a public room, the owner).
  Status Leave(const Session& session, int64_t sala_id, int& retry_after_seconds);
  // The owner removes `usuario_id`. NotFound (unknown room, or they are not
  // a member), PermissionDenied (not the owner, a direct message),
  // InvalidArgument (a public room, the owner themself).
  Status RemoveMember(const Session& session, int64_t sala_id, int64_t usuario_id, int& retry_after_seconds);
  // The members of a private room, for its page (names only). REQUIRES:
  // the caller checked the session's access to the room.
  Result<std::vector<RoomMemberName>> Members(int64_t sala_id);

 private:
  Status Throttle(const Session& session, int& retry_after_seconds);
  // The room, when the session's user owns it and it may be changed.
  Result<RoomForUser> Owned(const Session& session, int64_t sala_id, std::string_view refusal);
  // Reads the room back and tells the list streams (`sala`) and the room's
  // streams (`sala_atualizada`).
  Result<Room> Announce(int64_t sala_id);
  // After the membership of `usuario_id` ended: the index, then
  // `sala_removida` (their list streams and their streams of the room).
  void AnnounceRemoval(int64_t sala_id, int64_t usuario_id);

  RoomAdminRepository& admin_;
  RoomRepository& rooms_;
  Publisher& publisher_;
  PrivateRoomIndex& private_rooms_;
  RateLimiter& limiter_;
  const Config& config_;
};

}  // namespace papo
