// The JSON of every bus event (DESIGN §4), built and read here only: the
// SSE `data:` of each event is exactly what these builders write, and the
// pages embed the same objects through the Write* functions. presenca and
// atividade are built inside Redis, by lua/bus_prelude.lua; the decoders
// here read them (tests/unit/common/bus_round_trip_test.cc runs both).
//
//   mensagem        the message object (chat_message.h), lida=false
//   digitando       {usuario_id, usuario_nome, digitando}
//   leitura         {usuario_id, usuario_nome, ultimo_seq_lido}
//   presenca        {usuarios_online, usuarios:[{id, nome}]}   (Lua)
//   sala            {id, nome, descricao, privada, ultimo_seq, criado_em}
//   atividade       {sala_id, seq, data_envio, usuarios_online} (Lua)
//   ressincronizar  {apos_seq}                                  (pusher)
//   mensagem_editada {id, sala_id, seq, mensagem, editada_em, mencoes}
//   mensagem_excluida {id, sala_id, seq}
//   reacao          {mensagem_id, sala_id, seq, emoji, total, usuario_id, ativo}
//   status          {mensagem_id, sala_id, seq, usuario_id (the author), status}
//   mencao          {sala_id, mensagem_id, seq, autor, autor_id, mensagem}
//   papo:sessoes    not JSON: the ended session's stream id
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bus/event.h"
#include "common/chat_message.h"
#include "common/json_writer.h"

namespace papo {

// ---- builders (papo-app publishes these) ----

// The message as every subscriber sees it (lida=false: it is new to them).
RoomEvent MessageEvent(const ChatMessage& message, bool privada);
RoomEvent TypingEvent(int64_t sala_id, int64_t usuario_id, std::string_view nome, bool digitando);
RoomEvent ReadEvent(int64_t sala_id, int64_t usuario_id, std::string_view nome, int64_t ultimo_seq_lido);

// Changes to a stored message (DESIGN §9). `current` is the message as it
// stands after the change (it replaces the cached copy); `position` is the
// room's newest seq when the change committed (RoomEvent::position).
RoomEvent MessageEditedEvent(const ChatMessage& current, bool privada, int64_t position);
RoomEvent MessageDeletedEvent(const ChatMessage& current, bool privada, int64_t position);
struct ReactionChange {
  std::string emoji;
  int64_t total = 0;       // the emoji's count on the message after the change
  int64_t usuario_id = 0;  // who reacted or took it back
  bool ativo = false;      // true: added; false: removed
};
RoomEvent ReactionEvent(const ChatMessage& current, bool privada, int64_t position, const ReactionChange& change);
// The author's message `seq` reached `status`. For kRead, every earlier
// message of the same author has too (read positions only move forward),
// so one event per author and read advance tells it all.
struct StatusChange {
  int64_t sala_id = 0;
  int64_t mensagem_id = 0;
  int64_t seq = 0;
  int64_t autor_id = 0;
  MessageStatus status = MessageStatus::kSent;
};
RoomEvent StatusEvent(const StatusChange& change, bool privada, int64_t position);
// `message` mentions `mentioned` (published on each one's user channel).
RoomEvent MentionEvent(const ChatMessage& message, bool privada, std::vector<int64_t> mentioned);

// What a `sala` event says about a room.
struct RoomFields {
  int64_t id = 0;
  std::string nome;
  std::string descricao;
  bool privada = false;
  int64_t ultimo_seq = 0;
  int64_t criado_em_ms = 0;
  bool arquivada = false;
  bool direta = false;      // a direct message; nome is the other person's
  int64_t direta_com = 0;   // a direct message: the other person's id
};
// The list stream's `sala` {id, nome, descricao, privada, ultimo_seq,
// criado_em, arquivada, direta, direta_com}: a room appeared, changed, or a
// member was added to a private one; `recipients` (user channels) are told
// when the room is private, every list stream otherwise. A direct
// message's is one event per side (each names the other person).
RoomEvent RoomAnnouncedEvent(const RoomFields& room, std::vector<int64_t> recipients);
// The room stream's `sala_atualizada` {id, nome, descricao, privada,
// arquivada}: the owner renamed, redescribed, archived or unarchived it.
RoomEvent RoomUpdatedEvent(const RoomFields& room);
// `sala_removida` {sala_id, usuario_id}: `usuario_id` left or was removed
// from the room. Published on that user's channel (their list streams drop
// the room) and on the room's channel (every pusher ends that user's
// streams of the room at once).
RoomEvent RoomRemovedEvent(int64_t sala_id, int64_t usuario_id, bool privada);

// {"apos_seq":N}: the pusher's ressincronizar.
std::string ResyncJson(int64_t apos_seq);
// papo:sessoes carries the ended session's stream id as it is.
std::string SessionEndedPayload(std::string_view session_id);

// The objects pages embed for their script, identical to the events'.
// leitura's object (also one element of the room page's `leituras`).
void WriteReadPosition(JsonWriter& writer, int64_t usuario_id, std::string_view nome, int64_t ultimo_seq_lido);
// One element of presenca's `usuarios` (and of the room page's `online`).
void WriteOnlineUser(JsonWriter& writer, int64_t id, std::string_view nome);

// ---- decoders (the pusher and the tests read these) ----

struct OnlineUser {
  int64_t id = 0;
  std::string nome;
};
struct PresencePayload {
  int64_t usuarios_online = 0;
  std::vector<OnlineUser> usuarios;  // the first names only in a crowded room
};
std::optional<PresencePayload> DecodePresence(std::string_view json);

struct ActivityPayload {
  int64_t sala_id = 0;
  int64_t seq = 0;
  std::optional<std::string> data_envio;  // null: the room has no cached message
  int64_t usuarios_online = 0;
};
std::optional<ActivityPayload> DecodeActivity(std::string_view json);

struct UserEventPayload {  // digitando and leitura
  int64_t usuario_id = 0;
  std::string usuario_nome;
  bool digitando = false;       // digitando
  int64_t ultimo_seq_lido = 0;  // leitura
};
std::optional<UserEventPayload> DecodeTyping(std::string_view json);
std::optional<UserEventPayload> DecodeRead(std::string_view json);

std::optional<RoomFields> DecodeRoom(std::string_view json);  // criado_em_ms left 0
std::optional<RoomFields> DecodeRoomUpdated(std::string_view json);  // id, nome, descricao, privada, arquivada
struct RoomRemoval {
  int64_t sala_id = 0;
  int64_t usuario_id = 0;
};
std::optional<RoomRemoval> DecodeRoomRemoved(std::string_view json);
std::optional<ChatMessage> DecodeMessage(std::string_view json);  // data_envio_ms left 0
// The message's id, seq and author, read from the fixed start that
// ChatMessageToJson writes ({"id":…,"sala_id":…,"seq":…,"usuario_id":…)
// without parsing the rest: the pusher asks it of every live message.
// Any other shape is parsed whole (DecodeMessage).
struct MessageRef {
  int64_t id = 0;
  int64_t seq = 0;
  int64_t usuario_id = 0;
};
std::optional<MessageRef> PeekMessageRef(std::string_view json);
std::optional<int64_t> DecodeResync(std::string_view json);

struct EditedPayload {
  int64_t id = 0;
  int64_t sala_id = 0;
  int64_t seq = 0;
  std::string mensagem;
  std::string editada_em;
  std::vector<int64_t> mencoes;
};
std::optional<EditedPayload> DecodeEdited(std::string_view json);
struct DeletedPayload {
  int64_t id = 0;
  int64_t sala_id = 0;
  int64_t seq = 0;
};
std::optional<DeletedPayload> DecodeDeleted(std::string_view json);
struct ReactionPayload {
  int64_t mensagem_id = 0;
  int64_t sala_id = 0;
  int64_t seq = 0;
  ReactionChange change;
};
std::optional<ReactionPayload> DecodeReaction(std::string_view json);
std::optional<StatusChange> DecodeStatus(std::string_view json);
struct MentionPayload {
  int64_t sala_id = 0;
  int64_t mensagem_id = 0;
  int64_t seq = 0;
  std::string autor;
  int64_t autor_id = 0;
  std::string mensagem;
};
std::optional<MentionPayload> DecodeMention(std::string_view json);

}  // namespace papo
