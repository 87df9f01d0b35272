#include "fcgi-app/services/room_events.h"

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

RoomEvent TypingEvent(int64_t sala_id, int64_t usuario_id, std::string_view nome, bool digitando) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("usuario_id");
  writer.Int64(usuario_id);
  writer.Key("usuario_nome");
  WriteString(writer, nome);
  writer.Key("digitando");
  writer.Bool(digitando);
  writer.EndObject();
  RoomEvent event;
  event.kind = EventKind::kTyping;
  event.sala_id = sala_id;
  event.json.assign(buffer.GetString(), buffer.GetSize());
  return event;
}

RoomEvent ReadEvent(int64_t sala_id, int64_t usuario_id, std::string_view nome, int64_t ultimo_seq_lido) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("usuario_id");
  writer.Int64(usuario_id);
  writer.Key("usuario_nome");
  WriteString(writer, nome);
  writer.Key("ultimo_seq_lido");
  writer.Int64(ultimo_seq_lido);
  writer.EndObject();
  RoomEvent event;
  event.kind = EventKind::kRead;
  event.sala_id = sala_id;
  event.json.assign(buffer.GetString(), buffer.GetSize());
  return event;
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
