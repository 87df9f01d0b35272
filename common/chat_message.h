// ChatMessage: the message object of DESIGN §3, the same on pages, in JSON
// responses, in the Redis cache and on the SSE stream.
#pragma once

#include <cstdint>
#include <string>

namespace papo {

struct ChatMessage {
  int64_t id = 0;
  int64_t sala_id = 0;
  int64_t seq = 0;
  int64_t usuario_id = 0;
  std::string mensagem;
  int64_t data_envio_ms = 0;  // epoch milliseconds; shown as ISO-8601 (time_format.h)
  bool lida = false;          // for the reader: the message is at or below their read position
  std::string usuario_nome;  // never the author's e-mail: DESIGN §3 sends it to no one
};

// {"id":..,"sala_id":..,"seq":..,"usuario_id":..,"mensagem":"..","data_envio":"..",
//  "lida":false,"usuario_nome":".."}
// The output is a pure function of the fields (publishers rely on it to make
// a republished message byte-identical in the cache).
std::string ChatMessageToJson(const ChatMessage& message);

}  // namespace papo
