// ChatMessage: the message object of DESIGN §3 and §9, the same on pages,
// in JSON responses, in the Redis cache and on the SSE stream.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace papo {

// One emoji's reactions on a message (DESIGN §9 `reacoes`).
struct Reaction {
  std::string emoji{};
  int64_t total = 0;
  bool minha = false;  // the reader reacted with it (false in what the bus carries: readers differ)
};

// Where a message stands for its author (DESIGN §9 `status`); only moves up.
enum class MessageStatus { kSent, kDelivered, kRead };
std::string_view MessageStatusName(MessageStatus status);  // enviada, entregue, lida
bool ParseMessageStatus(std::string_view name, MessageStatus& status);

struct ChatMessage {
  int64_t id = 0;
  int64_t sala_id = 0;
  int64_t seq = 0;
  int64_t usuario_id = 0;
  std::string mensagem;       // "" once deleted
  int64_t data_envio_ms = 0;  // epoch milliseconds; shown as ISO-8601 (time_format.h)
  bool lida = false;          // for the reader: the message is at or below their read position
  std::string usuario_nome;  // never the author's e-mail: DESIGN §3 sends it to no one
  int64_t editada_em_ms = 0;  // 0: never edited (null on the wire)
  bool excluida = false;      // a tombstone: text, reactions and mentions gone, seq kept
  std::vector<Reaction> reacoes{};  // by first use (the order the page shows them)
  std::vector<int64_t> mencoes{};   // ids of the room members the text mentions
  MessageStatus status = MessageStatus::kSent;
};

// {"id":..,"sala_id":..,"seq":..,"usuario_id":..,"mensagem":"..","data_envio":"..",
//  "lida":false,"usuario_nome":"..","editada_em":null,"excluida":false,
//  "reacoes":[{"emoji":"👍","total":2,"minha":true}],"mencoes":[3],"status":"enviada"}
// The output is a pure function of the fields (publishers rely on it to make
// a republished message byte-identical in the cache).
std::string ChatMessageToJson(const ChatMessage& message);

}  // namespace papo
