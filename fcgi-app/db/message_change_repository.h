// MessageChangeRepository: changes to stored messages (DESIGN §9): edits,
// deletions (tombstones) and reactions. Each change is one write
// transaction that also reads the room's newest seq (the position the
// change's event is replayed at) and the message as it stands afterwards.
#pragma once

#include <optional>
#include <string_view>

#include "common/chat_message.h"
#include "fcgi-app/db/database.h"
#include "fcgi-app/db/message_repository.h"

namespace papo {

// A message with what deciding on a change needs: its room and the
// reader's place in it.
struct MessageTarget {
  int64_t id = 0;
  int64_t sala_id = 0;
  int64_t seq = 0;
  int64_t autor_id = 0;
  bool excluida = false;
  bool privada = false;  // the room's
  bool ativa = true;     // the room's
  int64_t dono_id = 0;   // the room's owner (sala_membro.papel 'dono'), 0 for seed rooms and DMs
  bool member = false;   // the reader belongs to the room (sala_membro)
  bool arquivada = false;  // the room's: read-only (DESIGN §9)
};

// The outcome of a change.
struct ChangedMessage {
  ChatMessage message;   // as it stands now, for the reader (MessageRepository::Find)
  int64_t position = 0;  // the room's ultimo_seq inside the change's transaction
  bool changed = false;  // false: nothing to do (deleted again, a reaction already there or gone)
  int64_t total = 0;     // React: the emoji's count on the message afterwards
};

class MessageChangeRepository final {
 public:
  // `messages` reads the changed message; both use `db`.
  MessageChangeRepository(Database& db, MessageRepository& messages) : db_(db), messages_(messages) {}

  // The message and its room as `reader_id` may use it; nullopt if unknown.
  Result<std::optional<MessageTarget>> FindTarget(int64_t mensagem_id, int64_t reader_id);
  // New text, editada_em = now_ms. NotFound: unknown id; Conflict: deleted.
  Result<ChangedMessage> Edit(int64_t mensagem_id, std::string_view mensagem, int64_t now_ms, int64_t reader_id);
  // The tombstone: text '', excluida 1, its reactions and mentions gone,
  // seq kept. Deleting a tombstone again changes nothing. NotFound: unknown.
  Result<ChangedMessage> Delete(int64_t mensagem_id, int64_t reader_id);
  // Adds (ativo) or takes back `usuario_id`'s `emoji`; adding twice is one
  // reaction. NotFound: unknown id; Conflict: the message is deleted.
  Result<ChangedMessage> React(int64_t mensagem_id, int64_t usuario_id, std::string_view emoji, bool ativo,
                               int64_t now_ms);

 private:
  // Locks the message's row until COMMIT (a reaction and a deletion of the
  // same message never interleave) and returns its sala_id and excluida.
  // REQUIRES: a write transaction is open.
  Result<std::optional<std::pair<int64_t, bool>>> LockMessage(int64_t mensagem_id);
  // The room's ultimo_seq and the message for `reader_id`, then COMMIT.
  Result<ChangedMessage> Finish(WriteTransaction& transaction, int64_t mensagem_id, int64_t sala_id,
                                int64_t reader_id, bool changed);

  Database& db_;
  MessageRepository& messages_;
};

}  // namespace papo
