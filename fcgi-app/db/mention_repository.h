// MentionRepository: `mencao` (DESIGN §9 mentions) and the room members a
// message may mention.
#pragma once

#include <map>
#include <vector>

#include "fcgi-app/db/database.h"
#include "fcgi-app/services/mention_finder.h"

namespace papo {

class MentionRepository final {
 public:
  explicit MentionRepository(Database& db) : db_(db) {}

  // Who may be mentioned in the room, by name: a private room's members
  // (sala_membro); for a public room, everyone who has used it (a read
  // position in it or a message sent there). Ids and names only, never
  // e-mails. The public form reads the room's messages' authors through
  // chat_mensagem's (sala_id, seq, usuario_id) index: callers ask only
  // when a text holds "@" or the composer completes a name.
  Result<std::vector<MentionCandidate>> Members(int64_t sala_id, bool privada);

  // Makes `usuario_ids` the mentions of message `mensagem_id` (room
  // `sala_id`, `seq`), replacing what was stored, in one write transaction.
  // Returns the ids not mentioned before (who should be told), ascending.
  Result<std::vector<int64_t>> Replace(int64_t mensagem_id, int64_t sala_id, int64_t seq,
                                       const std::vector<int64_t>& usuario_ids);

  // Per room (sala_id → count, rooms with none left out): the mentions of
  // `usuario_id` beyond their read position there, in messages not deleted.
  // One query for all rooms, over mencao's (usuario_id, sala_id, seq) index.
  Result<std::map<int64_t, int64_t>> UnreadCounts(int64_t usuario_id);

 private:
  Result<std::vector<int64_t>> Stored(int64_t mensagem_id);

  Database& db_;
};

}  // namespace papo
