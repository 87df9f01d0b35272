#include "common/chat_message.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/json_writer.h"
#include "common/time_format.h"

namespace papo {

std::string_view MessageStatusName(MessageStatus status) {
  switch (status) {
    case MessageStatus::kSent: return "enviada";
    case MessageStatus::kDelivered: return "entregue";
    case MessageStatus::kRead: return "lida";
  }
  return "enviada";
}

bool ParseMessageStatus(std::string_view name, MessageStatus& status) {
  for (MessageStatus candidate : {MessageStatus::kSent, MessageStatus::kDelivered, MessageStatus::kRead}) {
    if (MessageStatusName(candidate) == name) {
      status = candidate;
      return true;
    }
  }
  return false;
}

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
  writer.Key("editada_em");
  if (message.editada_em_ms == 0) {
    writer.Null();
  } else {
    WriteString(writer, FormatIso8601(message.editada_em_ms));
  }
  writer.Key("excluida");
  writer.Bool(message.excluida);
  writer.Key("reacoes");
  writer.StartArray();
  for (const Reaction& reaction : message.reacoes) {
    writer.StartObject();
    writer.Key("emoji");
    WriteString(writer, reaction.emoji);
    writer.Key("total");
    writer.Int64(reaction.total);
    writer.Key("minha");
    writer.Bool(reaction.minha);
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("mencoes");
  writer.StartArray();
  for (int64_t id : message.mencoes) writer.Int64(id);
  writer.EndArray();
  writer.Key("status");
  WriteString(writer, MessageStatusName(message.status));
  writer.EndObject();
}

}  // namespace papo
