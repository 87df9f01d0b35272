// The room page's owner and member parts (DESIGN §9): the "Configurações
// da sala" form for the owner, the archived banner, the member list of a
// private room with the owner's "Remover", and "Sair da sala".
#pragma once

#include <kainjow/mustache.hpp>

#include "fcgi-app/db/models.h"
#include "fcgi-app/services/room_service.h"

namespace papo {

// Sets, in the room page's mustache data: sala.arquivada, dono (the owner
// of a room that has one and is not a direct message), tem_membros and
// membros [{id, nome, dono, removivel}] (a private room that is not a
// direct message), pode_sair (a member of such a room who is not its owner).
void AddRoomAdminData(const Session& session, const RoomPageData& page, kainjow::mustache::data& sala,
                      kainjow::mustache::data& out);

}  // namespace papo
