// Builders of the RoomEvents papo-app publishes (DESIGN §4 payloads).
#pragma once

#include <vector>

#include "common/chat_message.h"
#include "common/bus/event.h"
#include "fcgi-app/db/models.h"

namespace papo {

// The message as every subscriber sees it (lida=false: it is new to them).
RoomEvent MessageEvent(const ChatMessage& message, bool privada);
// digitando {usuario_id, usuario_nome, digitando}
RoomEvent TypingEvent(int64_t sala_id, int64_t usuario_id, std::string_view nome, bool digitando);
// leitura {usuario_id, usuario_nome, ultimo_seq_lido}
RoomEvent ReadEvent(int64_t sala_id, int64_t usuario_id, std::string_view nome, int64_t ultimo_seq_lido);
// sala {id, nome, descricao, privada, ...}: a room appeared (or a member was
// added to a private one); `recipients` are told when the room is private.
RoomEvent RoomEventFor(const Room& room, std::vector<int64_t> recipients);

}  // namespace papo
