#include "common/bus/payloads.h"

#include <rapidjson/document.h>

#include <charconv>
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

// The message as every subscriber sees it: new to them (lida=false), with
// nobody's own reactions marked (minha is the reader's, and readers differ).
ChatMessage AsPublished(const ChatMessage& message) {
  ChatMessage published = message;
  published.lida = false;
  for (Reaction& reaction : published.reacoes) reaction.minha = false;
  return published;
}

// A change's event: its data, and the message as it now stands for the cache.
RoomEvent ChangeEvent(EventKind kind, const ChatMessage& current, bool privada, int64_t position, std::string json) {
  RoomEvent event;
  event.kind = kind;
  event.sala_id = current.sala_id;
  event.seq = current.seq;
  event.privada = privada;
  event.position = position;
  event.json = std::move(json);
  event.current_message = ChatMessageToJson(AsPublished(current));
  return event;
}

// {"id":…,"sala_id":…,"seq":…, <rest>} or with `id_key` "mensagem_id".
std::string MessageRefJson(const char* id_key, int64_t id, int64_t sala_id, int64_t seq,
                           const std::function<void(JsonWriter&)>& rest) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key(id_key);
  writer.Int64(id);
  writer.Key("sala_id");
  writer.Int64(sala_id);
  writer.Key("seq");
  writer.Int64(seq);
  rest(writer);
  writer.EndObject();
  return Finish(buffer);
}

bool GetRef(const rapidjson::Value& object, const char* id_key, int64_t& id, int64_t& sala_id, int64_t& seq) {
  return GetInt(object, id_key, id) && GetInt(object, "sala_id", sala_id) && GetInt(object, "seq", seq);
}

bool GetIds(const rapidjson::Value& object, const char* name, std::vector<int64_t>& out) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsArray()) return false;
  for (const auto& id : it->value.GetArray()) {
    if (!id.IsInt64()) return false;
    out.push_back(id.GetInt64());
  }
  return true;
}

}  // namespace

RoomEvent MessageEditedEvent(const ChatMessage& current, bool privada, int64_t position) {
  std::string json = MessageRefJson("id", current.id, current.sala_id, current.seq, [&](JsonWriter& writer) {
    writer.Key("mensagem");
    WriteString(writer, current.mensagem);
    writer.Key("editada_em");
    WriteString(writer, FormatIso8601(current.editada_em_ms));
    writer.Key("mencoes");
    writer.StartArray();
    for (int64_t id : current.mencoes) writer.Int64(id);
    writer.EndArray();
  });
  return ChangeEvent(EventKind::kEdited, current, privada, position, std::move(json));
}

RoomEvent MessageDeletedEvent(const ChatMessage& current, bool privada, int64_t position) {
  std::string json = MessageRefJson("id", current.id, current.sala_id, current.seq, [](JsonWriter&) {});
  return ChangeEvent(EventKind::kDeleted, current, privada, position, std::move(json));
}

RoomEvent ReactionEvent(const ChatMessage& current, bool privada, int64_t position, const ReactionChange& change) {
  std::string json = MessageRefJson("mensagem_id", current.id, current.sala_id, current.seq, [&](JsonWriter& writer) {
    writer.Key("emoji");
    WriteString(writer, change.emoji);
    writer.Key("total");
    writer.Int64(change.total);
    writer.Key("usuario_id");
    writer.Int64(change.usuario_id);
    writer.Key("ativo");
    writer.Bool(change.ativo);
  });
  return ChangeEvent(EventKind::kReaction, current, privada, position, std::move(json));
}

RoomEvent StatusEvent(const StatusChange& change, bool privada, int64_t position) {
  RoomEvent event;
  event.kind = EventKind::kStatus;
  event.sala_id = change.sala_id;
  event.seq = change.seq;
  event.privada = privada;
  event.position = position;
  event.json = MessageRefJson("mensagem_id", change.mensagem_id, change.sala_id, change.seq, [&](JsonWriter& writer) {
    writer.Key("usuario_id");
    writer.Int64(change.autor_id);
    writer.Key("status");
    WriteString(writer, MessageStatusName(change.status));
  });
  return event;
}

RoomEvent MentionEvent(const ChatMessage& message, bool privada, std::vector<int64_t> mentioned) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("sala_id");
  writer.Int64(message.sala_id);
  writer.Key("mensagem_id");
  writer.Int64(message.id);
  writer.Key("seq");
  writer.Int64(message.seq);
  writer.Key("autor");
  WriteString(writer, message.usuario_nome);
  writer.Key("autor_id");
  writer.Int64(message.usuario_id);
  writer.Key("mensagem");
  WriteString(writer, message.mensagem);
  writer.EndObject();
  RoomEvent event;
  event.kind = EventKind::kMention;
  event.sala_id = message.sala_id;
  event.seq = message.seq;
  event.privada = privada;
  event.json = Finish(buffer);
  event.recipients = std::move(mentioned);
  return event;
}

RoomEvent MessageEvent(const ChatMessage& message, bool privada) {
  RoomEvent event;
  event.kind = EventKind::kMessage;
  event.sala_id = message.sala_id;
  event.seq = message.seq;
  event.privada = privada;
  event.json = ChatMessageToJson(AsPublished(message));
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

namespace {

// The fields `sala` and `sala_atualizada` share: id, nome, descricao, privada.
void WriteRoomIdentity(JsonWriter& writer, const RoomFields& room) {
  writer.Key("id");
  writer.Int64(room.id);
  writer.Key("nome");
  WriteString(writer, room.nome);
  writer.Key("descricao");
  WriteString(writer, room.descricao);
  writer.Key("privada");
  writer.Bool(room.privada);
}

RoomEvent RoomEventOf(EventKind kind, const RoomFields& room, rapidjson::StringBuffer& buffer) {
  RoomEvent event;
  event.kind = kind;
  event.sala_id = room.id;
  event.privada = room.privada;
  event.json = Finish(buffer);
  return event;
}

}  // namespace

RoomEvent RoomUpdatedEvent(const RoomFields& room) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  WriteRoomIdentity(writer, room);
  writer.Key("arquivada");
  writer.Bool(room.arquivada);
  writer.EndObject();
  return RoomEventOf(EventKind::kRoomUpdated, room, buffer);
}

RoomEvent RoomRemovedEvent(int64_t sala_id, int64_t usuario_id, bool privada) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("sala_id");
  writer.Int64(sala_id);
  writer.Key("usuario_id");
  writer.Int64(usuario_id);
  writer.EndObject();
  RoomEvent event;
  event.kind = EventKind::kRoomRemoved;
  event.sala_id = sala_id;
  event.privada = privada;
  event.json = Finish(buffer);
  event.recipients = {usuario_id};
  return event;
}

RoomEvent RoomAnnouncedEvent(const RoomFields& room, std::vector<int64_t> recipients) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  WriteRoomIdentity(writer, room);
  writer.Key("ultimo_seq");
  writer.Int64(room.ultimo_seq);
  writer.Key("criado_em");
  WriteString(writer, FormatIso8601(room.criado_em_ms));
  writer.Key("arquivada");
  writer.Bool(room.arquivada);
  writer.Key("direta");
  writer.Bool(room.direta);
  writer.Key("direta_com");
  writer.Int64(room.direta_com);
  writer.EndObject();
  RoomEvent event = RoomEventOf(EventKind::kRoom, room, buffer);
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
      !GetInt(*document, "ultimo_seq", out.ultimo_seq) || !GetString(*document, "criado_em", criado_em) ||
      !GetBool(*document, "arquivada", out.arquivada) || !GetBool(*document, "direta", out.direta) ||
      !GetInt(*document, "direta_com", out.direta_com)) {
    return std::nullopt;
  }
  return out;
}

std::optional<RoomFields> DecodeRoomUpdated(std::string_view json) {
  auto document = ParseObject(json);
  RoomFields out;
  if (!document || !GetInt(*document, "id", out.id) || !GetString(*document, "nome", out.nome) ||
      !GetString(*document, "descricao", out.descricao) || !GetBool(*document, "privada", out.privada) ||
      !GetBool(*document, "arquivada", out.arquivada)) {
    return std::nullopt;
  }
  return out;
}

std::optional<RoomRemoval> DecodeRoomRemoved(std::string_view json) {
  auto document = ParseObject(json);
  RoomRemoval out;
  if (!document || !GetInt(*document, "sala_id", out.sala_id) || !GetInt(*document, "usuario_id", out.usuario_id)) {
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

namespace {

// Reads `"<key>":<digits>` at `at` (followed by ',' or '}'), moving past it.
bool ReadIntField(std::string_view json, size_t& at, std::string_view key, int64_t& out) {
  std::string_view rest = json.substr(at);
  if (rest.size() < key.size() + 3 || rest[0] != '"' || rest.substr(1, key.size()) != key ||
      rest.substr(key.size() + 1, 2) != "\":") {
    return false;
  }
  size_t digits = key.size() + 3;
  const char* begin = rest.data() + digits;
  const char* end = rest.data() + rest.size();
  auto [stop, error] = std::from_chars(begin, end, out);
  if (error != std::errc() || stop == begin || stop == end || (*stop != ',' && *stop != '}')) return false;
  at += static_cast<size_t>(stop - rest.data()) + 1;
  return true;
}

}  // namespace

std::optional<MessageRef> PeekMessageRef(std::string_view json) {
  MessageRef ref;
  int64_t sala_id = 0;
  size_t at = 1;
  if (json.starts_with('{') && ReadIntField(json, at, "id", ref.id) && ReadIntField(json, at, "sala_id", sala_id) &&
      ReadIntField(json, at, "seq", ref.seq) && ReadIntField(json, at, "usuario_id", ref.usuario_id)) {
    return ref;
  }
  auto message = DecodeMessage(json);
  if (!message) return std::nullopt;
  return MessageRef{message->id, message->seq, message->usuario_id};
}

std::optional<int64_t> DecodeResync(std::string_view json) {
  auto document = ParseObject(json);
  int64_t apos_seq = 0;
  if (!document || !GetInt(*document, "apos_seq", apos_seq)) return std::nullopt;
  return apos_seq;
}

std::optional<EditedPayload> DecodeEdited(std::string_view json) {
  auto document = ParseObject(json);
  EditedPayload out;
  if (!document || !GetRef(*document, "id", out.id, out.sala_id, out.seq) ||
      !GetString(*document, "mensagem", out.mensagem) || !GetString(*document, "editada_em", out.editada_em) ||
      !GetIds(*document, "mencoes", out.mencoes)) {
    return std::nullopt;
  }
  return out;
}

std::optional<DeletedPayload> DecodeDeleted(std::string_view json) {
  auto document = ParseObject(json);
  DeletedPayload out;
  if (!document || !GetRef(*document, "id", out.id, out.sala_id, out.seq)) return std::nullopt;
  return out;
}

std::optional<ReactionPayload> DecodeReaction(std::string_view json) {
  auto document = ParseObject(json);
  ReactionPayload out;
  if (!document || !GetRef(*document, "mensagem_id", out.mensagem_id, out.sala_id, out.seq) ||
      !GetString(*document, "emoji", out.change.emoji) || !GetInt(*document, "total", out.change.total) ||
      !GetInt(*document, "usuario_id", out.change.usuario_id) || !GetBool(*document, "ativo", out.change.ativo)) {
    return std::nullopt;
  }
  return out;
}

std::optional<StatusChange> DecodeStatus(std::string_view json) {
  auto document = ParseObject(json);
  StatusChange out;
  std::string status;
  if (!document || !GetRef(*document, "mensagem_id", out.mensagem_id, out.sala_id, out.seq) ||
      !GetInt(*document, "usuario_id", out.autor_id) || !GetString(*document, "status", status) ||
      !ParseMessageStatus(status, out.status)) {
    return std::nullopt;
  }
  return out;
}

std::optional<MentionPayload> DecodeMention(std::string_view json) {
  auto document = ParseObject(json);
  MentionPayload out;
  if (!document || !GetRef(*document, "mensagem_id", out.mensagem_id, out.sala_id, out.seq) ||
      !GetString(*document, "autor", out.autor) || !GetInt(*document, "autor_id", out.autor_id) ||
      !GetString(*document, "mensagem", out.mensagem)) {
    return std::nullopt;
  }
  return out;
}

}  // namespace papo
