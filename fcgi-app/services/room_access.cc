#include "fcgi-app/services/room_access.h"

namespace papo {

Result<Room> CheckRoomAccess(RoomRepository& rooms, int64_t sala_id, int64_t usuario_id) {
  auto found = rooms.FindForUser(sala_id, usuario_id);
  if (!found.ok()) return found.status();
  if (!found->has_value() || !(*found)->room.ativa) return Status::NotFound(std::string(kRoomNotFoundText));
  if ((*found)->room.privada && !(*found)->member) return Status::PermissionDenied(std::string(kPrivateRoomText));
  return std::move((*found)->room);
}

}  // namespace papo
