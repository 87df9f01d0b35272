// MessageRepository: `chat_mensagem` (with its authors) and `leitura`.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/chat_message.h"
#include "fcgi-app/db/database.h"
#include "fcgi-app/db/message_status.h"
#include "fcgi-app/db/models.h"

namespace papo {

struct NewMessage {
  int64_t sala_id = 0;
  int64_t usuario_id = 0;
  std::string usuario_nome;
  std::string mensagem;
  std::string client_id;  // "" = none
  int64_t data_envio = 0;
};

// The PermissionDenied message of an insert refused because the room is
// archived (read-only, DESIGN §9); any other PermissionDenied is a private
// room the author is not a member of.
inline constexpr std::string_view kArchivedRoomRefusal = "sala arquivada";

struct InsertedMessage {
  ChatMessage message;
  bool created = false;  // false: the client_id was seen before; `message` is the first one
  bool privada = false;  // the room's, when created (a private room's events go to members only)
};

// Which slice of a room's history to read. Results are always oldest first.
struct HistoryQuery {
  int64_t sala_id = 0;
  int limit = 50;
  int64_t offset = 0;    // skip this many of the newest messages
  int64_t antes_seq = 0; // > 0: the newest `limit` messages with seq < antes_seq
  int64_t apos_seq = -1; // >= 0: the oldest `limit` messages with seq > apos_seq
  int64_t reader_id = 0; // sets `lida` for this reader
};

// An author's message, for status changes.
struct AuthorMessage {
  int64_t autor_id = 0;
  int64_t mensagem_id = 0;
  int64_t seq = 0;
};

class MessageRepository final {
 public:
  explicit MessageRepository(Database& db) : db_(db) {}

  // Stores the message with the room's next seq in one transaction. With a
  // client_id seen before for this user, stores nothing and returns the
  // first message. NotFound when the room does not exist or is inactive,
  // PermissionDenied when it is private and the author is not a member:
  // the access rule is checked by the write itself, in the same statement
  // that takes the seq (no round trip before it, no window between them).
  Result<InsertedMessage> Insert(const NewMessage& message);
  // Stores several messages in one transaction (one commit, one fsync): each
  // inside its own savepoint, so one that fails (NotFound, Conflict) leaves
  // the others stored. Results are in the order of `messages`; when the
  // commit itself fails every result is that error.
  std::vector<Result<InsertedMessage>> InsertBatch(const std::vector<const NewMessage*>& messages);
  Result<std::optional<ChatMessage>> FindByClientId(int64_t usuario_id, std::string_view client_id);
  // Messages with their conversation fields (DESIGN §9): editada_em,
  // excluida, reacoes (minha for query.reader_id), mencoes, and for the
  // reader's own messages status (FillAuthorStatus, nothing delivered).
  Result<std::vector<ChatMessage>> History(const HistoryQuery& query);
  // One message, as History gives it to `reader_id` (0: nobody's view, as
  // the bus carries it); nullopt when the id is unknown.
  Result<std::optional<ChatMessage>> Find(int64_t mensagem_id, int64_t reader_id);
  // The furthest read position in the room of anyone but `usuario_id`.
  Result<int64_t> ReadByOthers(int64_t sala_id, int64_t usuario_id);

  // Moves the reader's position forward to `seq` (never back); returns the
  // position now stored.
  Result<int64_t> MarkRead(int64_t sala_id, int64_t usuario_id, int64_t seq);
  Result<int64_t> ReadPosition(int64_t sala_id, int64_t usuario_id);
  Result<int64_t> UnreadCount(int64_t sala_id, int64_t usuario_id);
  // For a reader whose position moved from `from` to `to`: per author
  // other than the reader with messages in (from, to], their newest one
  // there, unless a third user (neither author nor reader) had already
  // read up to it. Ascending by author.
  Result<std::vector<AuthorMessage>> NewlyReadAuthors(int64_t sala_id, int64_t reader_id, int64_t from, int64_t to);
  // Everyone's read position in the room except `except_user`'s.
  Result<std::vector<ReadReceipt>> ReadPositions(int64_t sala_id, int64_t except_user);

 private:
  Result<std::vector<ChatMessage>> ReadMessages(Statement& statement, int64_t read_up_to);
  // Reactions, mentions and status of `messages` (all of room `sala_id`).
  Status AddConversation(std::vector<ChatMessage>& messages, int64_t sala_id, int64_t reader_id);
  // InsertBatch on PostgreSQL: one statement, one round trip for the batch
  // (papo_gravar_mensagem, sql/postgres/001_inicial.sql).
  std::vector<Result<InsertedMessage>> InsertBatchOnPostgres(const std::vector<const NewMessage*>& messages,
                                                            const std::vector<size_t>& order);
  // Why the room took no message: NotFound or PermissionDenied (archived:
  // kArchivedRoomRefusal).
  Status RefusalOf(const NewMessage& message);
  // The message as stored from `input` with its new id and seq.
  static ChatMessage StoredMessage(const NewMessage& input, int64_t id, int64_t seq);
  // A failed insert's answer after its savepoint was rolled back.
  Result<InsertedMessage> AfterFailedInsert(const NewMessage& message, const Status& failure);
  // The body of Insert. REQUIRES: a write transaction is open.
  Result<InsertedMessage> InsertInTransaction(const NewMessage& message);

  Database& db_;
};

}  // namespace papo
