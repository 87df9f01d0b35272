#include "fcgi-app/views/json_views.h"

#include "common/json_writer.h"
#include "common/time_format.h"

namespace papo {
namespace {

std::string Finish(const rapidjson::StringBuffer& buffer) { return std::string(buffer.GetString(), buffer.GetSize()); }

}  // namespace

std::string SendSuccessJson(const ChatMessage& message) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("success");
  writer.Bool(true);
  writer.Key("mensagem_id");
  writer.Int64(message.id);
  writer.Key("seq");
  writer.Int64(message.seq);
  writer.Key("data_envio");
  WriteString(writer, FormatIso8601(message.data_envio_ms));
  writer.Key("mensagem");
  WriteChatMessage(writer, message);
  writer.EndObject();
  return Finish(buffer);
}

std::string MessageSuccessJson(const ChatMessage& message) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("success");
  writer.Bool(true);
  writer.Key("mensagem");
  WriteChatMessage(writer, message);
  writer.EndObject();
  return Finish(buffer);
}

std::string MessagesJson(const std::vector<ChatMessage>& messages) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("success");
  writer.Bool(true);
  writer.Key("mensagens");
  writer.StartArray();
  for (const auto& message : messages) WriteChatMessage(writer, message);
  writer.EndArray();
  writer.EndObject();
  return Finish(buffer);
}

namespace {

// {"success":true,"<key>":[{"id":N,"nome":"…"}]}
std::string NamedIdsJson(const char* key, const std::vector<MentionCandidate>& members) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("success");
  writer.Bool(true);
  writer.Key(key);
  writer.StartArray();
  for (const auto& member : members) {
    writer.StartObject();
    writer.Key("id");
    writer.Int64(member.id);
    writer.Key("nome");
    WriteString(writer, member.nome);
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return Finish(buffer);
}

}  // namespace

std::string MembersJson(const std::vector<MentionCandidate>& members) { return NamedIdsJson("membros", members); }

std::string PeopleJson(const std::vector<MentionCandidate>& people) { return NamedIdsJson("pessoas", people); }

std::string DirectRoomJson(int64_t sala_id) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("success");
  writer.Bool(true);
  writer.Key("sala_id");
  writer.Int64(sala_id);
  writer.EndObject();
  return Finish(buffer);
}

std::string ReadSuccessJson(int64_t nao_lidas) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("success");
  writer.Bool(true);
  writer.Key("nao_lidas");
  writer.Int64(nao_lidas);
  writer.EndObject();
  return Finish(buffer);
}

std::string FieldErrorsJson(const FieldErrors& errors) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("success");
  writer.Bool(false);
  writer.Key("erros");
  writer.StartObject();
  for (const auto& [field, message] : errors) {
    WriteString(writer, field);
    WriteString(writer, message);
  }
  writer.EndObject();
  writer.EndObject();
  return Finish(buffer);
}

std::string ErrorJson(std::string_view message) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("success");
  writer.Bool(false);
  writer.Key("erro");
  WriteString(writer, message);
  writer.EndObject();
  return Finish(buffer);
}

}  // namespace papo
