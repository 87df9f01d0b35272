#include "common/chat_message.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/json_writer.h"
#include "common/time_format.h"

namespace papo {

std::string ChatMessageToJson(const ChatMessage& message) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  WriteChatMessage(writer, message);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void WriteChatMessage(JsonWriter& writer, const ChatMessage& message) {
  writer.StartObject();
  writer.Key("id");
  writer.Int64(message.id);
  writer.Key("sala_id");
  writer.Int64(message.sala_id);
  writer.Key("seq");
  writer.Int64(message.seq);
  writer.Key("usuario_id");
  writer.Int64(message.usuario_id);
  writer.Key("mensagem");
  WriteString(writer, message.mensagem);
  writer.Key("data_envio");
  WriteString(writer, FormatIso8601(message.data_envio_ms));
  writer.Key("lida");
  writer.Bool(message.lida);
  writer.Key("usuario_nome");
  WriteString(writer, message.usuario_nome);
  writer.EndObject();
}

}  // namespace papo
