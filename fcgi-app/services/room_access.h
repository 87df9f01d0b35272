// The access rule every room route shares: the room exists and is active
// (else NotFound), and a private room needs membership (else
// PermissionDenied). Sending checks the same rule inside the write itself
// (MessageRepository::Insert) and answers with these same texts.
#pragma once

#include "fcgi-app/db/room_repository.h"

namespace papo {

inline constexpr std::string_view kRoomNotFoundText = "Sala não encontrada.";
inline constexpr std::string_view kPrivateRoomText = "Esta sala é privada: você não é membro dela.";
// An archived room is read-only (DESIGN §9): sending, editing, deleting,
// reacting and typing there are refused (403) with this text.
inline constexpr std::string_view kArchivedRoomText =
    "Esta sala está arquivada: não é possível enviar mensagens.";

Result<Room> CheckRoomAccess(RoomRepository& rooms, int64_t sala_id, int64_t usuario_id);

}  // namespace papo
