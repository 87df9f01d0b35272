// RoomEvent: something that happened in a room (or to the room list) that
// papo-app publishes after its transaction committed and papo-pusher turns
// into SSE frames. The JSON payload is already the SSE `data:` of the event.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace papo {

enum class EventKind {
  kMessage,     // SSE default event (onmessage), id: seq; cached for backfill
  kTyping,      // event: digitando
  kRead,        // event: leitura
  kPresence,    // event: presenca
  kRoom,        // event: sala (list stream)
  kActivity,    // event: atividade (list stream)
  kResync,      // event: ressincronizar (made by the pusher, never published)
  // Changes to a stored message (DESIGN §9). Each is also kept in the
  // room's change log, at the room's newest seq when it committed, so a
  // stream resuming after seq S gets every change made since S replayed
  // after its backfill (IsMessageChange).
  kEdited,      // event: mensagem_editada
  kDeleted,     // event: mensagem_excluida
  kReaction,    // event: reacao
  kStatus,      // event: status (for the author's ticks)
  kMention,     // event: mencao (the mentioned user's list stream)
  // Rooms changed by their owner or members (DESIGN §9).
  kRoomUpdated, // event: sala_atualizada (room stream: renamed, archived)
  kRoomRemoved, // event: sala_removida (list stream of the user who left or was
                // removed); on the room channel it tells pushers to end that
                // user's streams of the room (never forwarded there)
};

// Whether `kind` changes a stored message (logged for resumes).
bool IsMessageChange(EventKind kind);

// The SSE event name and the envelope word: "mensagem", "digitando", ...
std::string_view EventKindName(EventKind kind);
bool ParseEventKind(std::string_view name, EventKind& kind);

struct RoomEvent {
  EventKind kind = EventKind::kMessage;
  int64_t sala_id = 0;
  int64_t seq = 0;           // kMessage: the message's seq; otherwise 0
  bool privada = false;      // the room is private (list events go to members only)
  std::string json;          // the SSE data
  std::string data_envio;    // kMessage: ISO-8601 time, for the list's `atividade`
  std::vector<int64_t> recipients;  // kRoom of a private room: the members told of it;
                                    // kMention: the users mentioned;
                                    // kRoomRemoved: the user who lost the room
  // Message changes (IsMessageChange): the room's newest seq when the
  // change committed (where a resume replays it), and the message as it
  // stands now, which replaces its copy in the recent cache ("" keeps it).
  int64_t position = 0;
  std::string current_message;
};

}  // namespace papo
