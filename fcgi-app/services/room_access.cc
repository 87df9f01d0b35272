#include "fcgi-app/services/room_access.h"

namespace papo {

Result<Room> CheckRoomAccess(RoomRepository& rooms, int64_t sala_id, int64_t usuario_id) {
  auto room = rooms.Find(sala_id);
  if (!room.ok()) return room.status();
  if (!room->has_value() || !(*room)->ativa) return Status::NotFound("Sala não encontrada.");
  if ((*room)->privada) {
    auto member = rooms.IsMember(sala_id, usuario_id);
    if (!member.ok()) return member.status();
    if (!*member) return Status::PermissionDenied("Esta sala é privada: você não é membro dela.");
  }
  return std::move(**room);
}

}  // namespace papo
