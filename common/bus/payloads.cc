#include "common/bus/payloads.h"

#include <rapidjson/document.h>

#include <functional>

#include "common/time_format.h"

namespace papo {
namespace {

std::string Finish(const rapidjson::StringBuffer& buffer) { return std::string(buffer.GetString(), buffer.GetSize()); }

// {"usuario_id":…,"usuario_nome":…, <rest>}: the shape of every per-user event.
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
  return Finish(buffer);
}

RoomEvent EphemeralEvent(EventKind kind, int64_t sala_id, std::string json) {
  RoomEvent event;
  event.kind = kind;
  event.sala_id = sala_id;
  event.json = std::move(json);
  return event;
}

// The decoders accept exactly the object their builder writes: an object
// whose named members have the named types (extra members are tolerated,
// so that a newer writer does not break an older reader).
std::optional<rapidjson::Document> ParseObject(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject()) return std::nullopt;
  return document;
}

bool GetInt(const rapidjson::Value& object, const char* name, int64_t& out) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsInt64()) return false;
  out = it->value.GetInt64();
  return true;
}

bool GetString(const rapidjson::Value& object, const char* name, std::string& out) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return false;
  out.assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

bool GetBool(const rapidjson::Value& object, const char* name, bool& out) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsBool()) return false;
  out = it->value.GetBool();
  return true;
}

}  // namespace

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
  return EphemeralEvent(EventKind::kTyping, sala_id, UserEventJson(usuario_id, nome, [&](JsonWriter& writer) {
                          writer.Key("digitando");
                          writer.Bool(digitando);
                        }));
}

void WriteReadPosition(JsonWriter& writer, int64_t usuario_id, std::string_view nome, int64_t ultimo_seq_lido) {
  writer.StartObject();
  writer.Key("usuario_id");
  writer.Int64(usuario_id);
  writer.Key("usuario_nome");
  WriteString(writer, nome);
  writer.Key("ultimo_seq_lido");
  writer.Int64(ultimo_seq_lido);
  writer.EndObject();
}

RoomEvent ReadEvent(int64_t sala_id, int64_t usuario_id, std::string_view nome, int64_t ultimo_seq_lido) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  WriteReadPosition(writer, usuario_id, nome, ultimo_seq_lido);
  return EphemeralEvent(EventKind::kRead, sala_id, Finish(buffer));
}

void WriteOnlineUser(JsonWriter& writer, int64_t id, std::string_view nome) {
  writer.StartObject();
  writer.Key("id");
  writer.Int64(id);
  writer.Key("nome");
  WriteString(writer, nome);
  writer.EndObject();
}

RoomEvent RoomAnnouncedEvent(const RoomFields& room, std::vector<int64_t> recipients) {
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
  WriteString(writer, FormatIso8601(room.criado_em_ms));
  writer.EndObject();
  RoomEvent event;
  event.kind = EventKind::kRoom;
  event.sala_id = room.id;
  event.privada = room.privada;
  event.json = Finish(buffer);
  event.recipients = std::move(recipients);
  return event;
}

std::string ResyncJson(int64_t apos_seq) { return "{\"apos_seq\":" + std::to_string(apos_seq) + "}"; }

std::string SessionEndedPayload(std::string_view session_id) { return std::string(session_id); }

std::optional<PresencePayload> DecodePresence(std::string_view json) {
  auto document = ParseObject(json);
  if (!document) return std::nullopt;
  PresencePayload out;
  if (!GetInt(*document, "usuarios_online", out.usuarios_online)) return std::nullopt;
  auto users = document->FindMember("usuarios");
  if (users == document->MemberEnd() || !users->value.IsArray()) return std::nullopt;
  for (const auto& user : users->value.GetArray()) {
    OnlineUser entry;
    if (!user.IsObject() || !GetInt(user, "id", entry.id) || !GetString(user, "nome", entry.nome)) return std::nullopt;
    out.usuarios.push_back(std::move(entry));
  }
  return out;
}

std::optional<ActivityPayload> DecodeActivity(std::string_view json) {
  auto document = ParseObject(json);
  if (!document) return std::nullopt;
  ActivityPayload out;
  if (!GetInt(*document, "sala_id", out.sala_id) || !GetInt(*document, "seq", out.seq) ||
      !GetInt(*document, "usuarios_online", out.usuarios_online)) {
    return std::nullopt;
  }
  auto data_envio = document->FindMember("data_envio");
  if (data_envio == document->MemberEnd()) return std::nullopt;
  if (data_envio->value.IsNull()) return out;
  if (!data_envio->value.IsString()) return std::nullopt;
  // Assigned through a named string: g++ 12's -Wmaybe-uninitialized misreads
  // an emplace into the optional member in the sanitized build.
  std::string text(data_envio->value.GetString(), data_envio->value.GetStringLength());
  out.data_envio = std::move(text);
  return out;
}

std::optional<UserEventPayload> DecodeTyping(std::string_view json) {
  auto document = ParseObject(json);
  UserEventPayload out;
  if (!document || !GetInt(*document, "usuario_id", out.usuario_id) ||
      !GetString(*document, "usuario_nome", out.usuario_nome) || !GetBool(*document, "digitando", out.digitando)) {
    return std::nullopt;
  }
  return out;
}

std::optional<UserEventPayload> DecodeRead(std::string_view json) {
  auto document = ParseObject(json);
  UserEventPayload out;
  if (!document || !GetInt(*document, "usuario_id", out.usuario_id) ||
      !GetString(*document, "usuario_nome", out.usuario_nome) ||
      !GetInt(*document, "ultimo_seq_lido", out.ultimo_seq_lido)) {
    return std::nullopt;
  }
  return out;
}

std::optional<RoomFields> DecodeRoom(std::string_view json) {
  auto document = ParseObject(json);
  RoomFields out;
  std::string criado_em;
  if (!document || !GetInt(*document, "id", out.id) || !GetString(*document, "nome", out.nome) ||
      !GetString(*document, "descricao", out.descricao) || !GetBool(*document, "privada", out.privada) ||
      !GetInt(*document, "ultimo_seq", out.ultimo_seq) || !GetString(*document, "criado_em", criado_em)) {
    return std::nullopt;
  }
  return out;
}

std::optional<ChatMessage> DecodeMessage(std::string_view json) {
  auto document = ParseObject(json);
  ChatMessage out;
  std::string data_envio;
  if (!document || !GetInt(*document, "id", out.id) || !GetInt(*document, "sala_id", out.sala_id) ||
      !GetInt(*document, "seq", out.seq) || !GetInt(*document, "usuario_id", out.usuario_id) ||
      !GetString(*document, "mensagem", out.mensagem) || !GetString(*document, "data_envio", data_envio) ||
      !GetBool(*document, "lida", out.lida) || !GetString(*document, "usuario_nome", out.usuario_nome)) {
    return std::nullopt;
  }
  return out;
}

std::optional<int64_t> DecodeResync(std::string_view json) {
  auto document = ParseObject(json);
  int64_t apos_seq = 0;
  if (!document || !GetInt(*document, "apos_seq", apos_seq)) return std::nullopt;
  return apos_seq;
}

}  // namespace papo
