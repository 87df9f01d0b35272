#include "fcgi-app/services/room_access.h"

namespace papo {

Result<RoomForUser> CheckSendAccess(RoomRepository& rooms, int64_t sala_id, int64_t usuario_id,
                                    std::string_view client_id) {
  auto found = rooms.FindForUser(sala_id, usuario_id, client_id);
  if (!found.ok()) return found.status();
  if (!found->has_value() || !(*found)->room.ativa) return Status::NotFound("Sala não encontrada.");
  if ((*found)->room.privada && !(*found)->member) {
    return Status::PermissionDenied("Esta sala é privada: você não é membro dela.");
  }
  return std::move(**found);
}

Result<Room> CheckRoomAccess(RoomRepository& rooms, int64_t sala_id, int64_t usuario_id) {
  auto access = CheckSendAccess(rooms, sala_id, usuario_id, {});
  if (!access.ok()) return access.status();
  return std::move(access->room);
}

}  // namespace papo
