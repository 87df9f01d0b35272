#include "fcgi-app/services/room_events.h"

#include <functional>

#include "common/json_writer.h"
#include "common/time_format.h"

namespace papo {

RoomEvent MessageEvent(const ChatMessage& message, bool privada) {
  RoomEvent event;
  event.kind = EventKind::kMessage;
  event.sala_id = message.sala_id;
  event.seq = message.seq;
  event.privada = privada;
  ChatMessage as_published = message;
  as_published.lida = false;
  event.json = ChatMessageToJson(as_published);
  event.data_envio = FormatIso8601(message.data_envio_ms);
  return event;
}

namespace {

// {"usuario_id":…,"usuario_nome":…, <rest>} — the shape of every per-user event.
std::string UserEventJson(int64_t usuario_id, std::string_view nome, const std::function<void(JsonWriter&)>& rest) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("usuario_id");
  writer.Int64(usuario_id);
  writer.Key("usuario_nome");
  WriteString(writer, nome);
  rest(writer);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

RoomEvent EphemeralEvent(EventKind kind, int64_t sala_id, std::string json) {
  RoomEvent event;
  event.kind = kind;
  event.sala_id = sala_id;
  event.json = std::move(json);
  return event;
}

}  // namespace

RoomEvent TypingEvent(int64_t sala_id, int64_t usuario_id, std::string_view nome, bool digitando) {
  return EphemeralEvent(EventKind::kTyping, sala_id, UserEventJson(usuario_id, nome, [&](JsonWriter& writer) {
                          writer.Key("digitando");
                          writer.Bool(digitando);
                        }));
}

RoomEvent ReadEvent(int64_t sala_id, int64_t usuario_id, std::string_view nome, int64_t ultimo_seq_lido) {
  return EphemeralEvent(EventKind::kRead, sala_id, UserEventJson(usuario_id, nome, [&](JsonWriter& writer) {
                          writer.Key("ultimo_seq_lido");
                          writer.Int64(ultimo_seq_lido);
                        }));
}

RoomEvent RoomEventFor(const Room& room, std::vector<int64_t> recipients) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("id");
  writer.Int64(room.id);
  writer.Key("nome");
  WriteString(writer, room.nome);
  writer.Key("descricao");
  WriteString(writer, room.descricao);
  writer.Key("privada");
  writer.Bool(room.privada);
  writer.Key("ultimo_seq");
  writer.Int64(room.ultimo_seq);
  writer.Key("criado_em");
  WriteString(writer, FormatIso8601(room.criado_em));
  writer.EndObject();
  RoomEvent event;
  event.kind = EventKind::kRoom;
  event.sala_id = room.id;
  event.privada = room.privada;
  event.json.assign(buffer.GetString(), buffer.GetSize());
  event.recipients = std::move(recipients);
  return event;
}

}  // namespace papo
