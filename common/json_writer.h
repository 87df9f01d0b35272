// The JSON writer papo uses everywhere (RapidJSON, UTF-8 in and out).
// RapidJSON escapes only what JSON requires; pages that embed JSON in a
// <script> element pass it through EmbedJsonInHtml().
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

namespace papo {

struct ChatMessage;

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void WriteString(JsonWriter& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

// Writes the message object (chat_message.h) into an open writer.
void WriteChatMessage(JsonWriter& writer, const ChatMessage& message);

// Makes JSON safe inside an HTML <script> element: escapes '<', '>' and '&'
// as \u003c, \u003e, \u0026 (valid JSON, never closes the element).
std::string EmbedJsonInHtml(std::string_view json);

}  // namespace papo
