// The access rule every room route shares: the room exists and is active
// (else NotFound), and a private room needs membership (else PermissionDenied).
#pragma once

#include "fcgi-app/db/room_repository.h"

namespace papo {

Result<Room> CheckRoomAccess(RoomRepository& rooms, int64_t sala_id, int64_t usuario_id);
// The same rule for a sender, who also learns in that one query whether
// `client_id` (may be empty) names a message they sent before.
Result<RoomForUser> CheckSendAccess(RoomRepository& rooms, int64_t sala_id, int64_t usuario_id,
                                    std::string_view client_id);

}  // namespace papo
