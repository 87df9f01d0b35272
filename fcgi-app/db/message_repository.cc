#include "fcgi-app/db/message_repository.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "fcgi-app/db/postgres/pg_database.h"

namespace papo {
namespace {

constexpr std::string_view kMessageSelect =
    "SELECT m.id, m.sala_id, m.seq, m.usuario_id, m.mensagem, m.data_envio, u.nome, m.editada_em, m.excluida "
    "FROM chat_mensagem m JOIN usuario u ON u.id = m.usuario_id ";

ChatMessage ReadMessage(const Statement& s) {
  ChatMessage message;
  message.id = s.ColumnInt64(0);
  message.sala_id = s.ColumnInt64(1);
  message.seq = s.ColumnInt64(2);
  message.usuario_id = s.ColumnInt64(3);
  message.mensagem = s.ColumnText(4);
  message.data_envio_ms = s.ColumnInt64(5);
  message.usuario_nome = s.ColumnText(6);
  message.editada_em_ms = s.ColumnIsNull(7) ? 0 : s.ColumnInt64(7);
  message.excluida = s.ColumnInt64(8) != 0;
  if (message.excluida) message.mensagem.clear();
  return message;
}

}  // namespace

Result<std::optional<ChatMessage>> MessageRepository::FindByClientId(int64_t usuario_id,
                                                                     std::string_view client_id) {
  static const std::string sql = std::string(kMessageSelect) + "WHERE m.usuario_id = ?1 AND m.client_id = ?2";
  auto statement = db_.Cached(sql);
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, usuario_id).Bind(2, client_id);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<ChatMessage>();
  return std::optional<ChatMessage>(ReadMessage(*scope));
}

Result<InsertedMessage> MessageRepository::Insert(const NewMessage& input) {
  return std::move(InsertBatch({&input}).front());
}

std::vector<Result<InsertedMessage>> MessageRepository::InsertBatch(const std::vector<const NewMessage*>& messages) {
  auto fail_all = [&](const Status& status) { return std::vector<Result<InsertedMessage>>(messages.size(), status); };
  // Rooms are taken in id order: a room's seq is a row lock held until
  // COMMIT, and two writers (two processes, or hosts on PostgreSQL) that
  // lock rooms in the same order never wait on each other in a cycle.
  std::vector<size_t> order(messages.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return messages[a]->sala_id < messages[b]->sala_id; });
  if (db_.backend() == Backend::kPostgres) return InsertBatchOnPostgres(messages, order);
  std::vector<std::optional<Result<InsertedMessage>>> stored(messages.size());
  WriteTransaction transaction(db_);
  if (Status begun = transaction.Begin(); !begun.ok()) return fail_all(begun);
  for (size_t index : order) {
    if (Status status = db_.Exec("SAVEPOINT mensagem"); !status.ok()) return fail_all(status);
    auto inserted = InsertInTransaction(*messages[index]);
    if (inserted.ok()) {
      if (Status status = db_.Exec("RELEASE mensagem"); !status.ok()) return fail_all(status);
    } else {
      if (Status status = db_.Exec("ROLLBACK TO mensagem; RELEASE mensagem"); !status.ok()) return fail_all(status);
      inserted = AfterFailedInsert(*messages[index], inserted.status());
    }
    stored[index].emplace(std::move(inserted));
  }
  if (Status committed = transaction.Commit(); !committed.ok()) return fail_all(committed);
  std::vector<Result<InsertedMessage>> results;
  results.reserve(messages.size());
  for (auto& result : stored) results.push_back(std::move(*result));
  return results;
}

// On SQLite a statement per step and a savepoint per message cost little (no
// round trips); on PostgreSQL each would be a round trip to the server, so
// the batch goes as arrays to papo_gravar_mensagem, in room order, in one
// statement: its own transaction, one COMMIT for the batch.
std::vector<Result<InsertedMessage>> MessageRepository::InsertBatchOnPostgres(
    const std::vector<const NewMessage*>& messages, const std::vector<size_t>& order) {
  std::vector<std::optional<std::string>> salas, usuarios, textos, datas, client_ids;
  for (size_t index : order) {
    const NewMessage& message = *messages[index];
    salas.emplace_back(std::to_string(message.sala_id));
    usuarios.emplace_back(std::to_string(message.usuario_id));
    textos.emplace_back(message.mensagem);
    datas.emplace_back(std::to_string(message.data_envio));
    client_ids.emplace_back(message.client_id.empty() ? std::nullopt : std::optional<std::string>(message.client_id));
  }
  auto fail_all = [&](const Status& status) { return std::vector<Result<InsertedMessage>>(messages.size(), status); };
  auto statement = db_.Cached(
      "SELECT r.o_resultado, r.o_id, r.o_seq, r.o_privada FROM unnest(?1::bigint[], ?2::bigint[], ?3::text[], ?4::bigint[], "
      "?5::text[]) WITH ORDINALITY AS m(sala_id, usuario_id, mensagem, data_envio, client_id, n) "
      "CROSS JOIN LATERAL papo_gravar_mensagem(m.sala_id, m.usuario_id, m.mensagem, m.data_envio, m.client_id) r "
      "ORDER BY m.n");
  if (!statement.ok()) return fail_all(statement.status());
  std::vector<std::optional<Result<InsertedMessage>>> stored(messages.size());
  std::vector<size_t> repeated;
  {
    StatementScope scope(**statement);
    scope->Bind(1, PgArrayLiteral(salas)).Bind(2, PgArrayLiteral(usuarios)).Bind(3, PgArrayLiteral(textos));
    scope->Bind(4, PgArrayLiteral(datas)).Bind(5, PgArrayLiteral(client_ids));
    for (size_t index : order) {
      auto row = scope->Step();
      if (!row.ok()) return fail_all(row.status());
      if (!*row) return fail_all(Status::Internal("papo_gravar_mensagem answered fewer rows than messages"));
      std::string outcome = scope->ColumnText(0);
      if (outcome == "sala_inexistente") {
        stored[index].emplace(Status::NotFound("sala não encontrada"));
      } else if (outcome == "sem_acesso") {
        stored[index].emplace(Status::PermissionDenied("sala privada"));
      } else if (outcome == "arquivada") {
        stored[index].emplace(Status::PermissionDenied(std::string(kArchivedRoomRefusal)));
      } else if (outcome == "repetida") {
        repeated.push_back(index);
      } else {
        stored[index].emplace(InsertedMessage{StoredMessage(*messages[index], scope->ColumnInt64(1),
                                                            scope->ColumnInt64(2)),
                                              true, scope->ColumnInt64(3) != 0});
      }
    }
  }
  // A repeat is rare (a resend that raced its first copy): read it whole.
  for (size_t index : repeated) {
    stored[index].emplace(AfterFailedInsert(*messages[index], Status::Conflict("client_id repetido")));
  }
  std::vector<Result<InsertedMessage>> results;
  results.reserve(messages.size());
  for (auto& result : stored) results.push_back(std::move(*result));
  return results;
}

// The same client_id sent twice at once to two processes (or hosts): both
// looked it up before either committed, and the second insert met the
// UNIQUE(usuario_id, client_id) of the first. That first message is the
// answer, as for any repeat.
Result<InsertedMessage> MessageRepository::AfterFailedInsert(const NewMessage& message, const Status& failure) {
  if (failure.code() != Status::Code::kConflict || message.client_id.empty()) return failure;
  auto existing = FindByClientId(message.usuario_id, message.client_id);
  if (!existing.ok()) return existing.status();
  if (!existing->has_value()) return failure;
  return InsertedMessage{std::move(**existing), false};
}

Result<InsertedMessage> MessageRepository::InsertInTransaction(const NewMessage& input) {
  if (!input.client_id.empty()) {
    auto existing = FindByClientId(input.usuario_id, input.client_id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) return InsertedMessage{std::move(**existing), false};
  }
  int64_t seq = 0;
  int64_t id = 0;
  bool privada = false;
  {
    auto next = db_.Cached(
        "UPDATE sala SET ultimo_seq = ultimo_seq + 1, ultima_atividade = MAX(ultima_atividade, ?3) "
        "WHERE id = ?1 AND ativa = 1 AND arquivada = 0 AND (privada = 0 OR "
        "EXISTS (SELECT 1 FROM sala_membro sm WHERE sm.sala_id = ?1 AND sm.usuario_id = ?2)) RETURNING ultimo_seq, privada");
    if (!next.ok()) return next.status();
    StatementScope scope(**next);
    scope->Bind(1, input.sala_id).Bind(2, input.usuario_id).Bind(3, input.data_envio);
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return RefusalOf(input);
    seq = scope->ColumnInt64(0);
    privada = scope->ColumnInt64(1) != 0;
    PAPO_RETURN_IF_ERROR(scope->Run());  // finish the statement before the next one
  }
  {
    auto insert = db_.Cached(
        "INSERT INTO chat_mensagem (sala_id, seq, usuario_id, mensagem, data_envio, client_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
    if (!insert.ok()) return insert.status();
    StatementScope scope(**insert);
    scope->Bind(1, input.sala_id).Bind(2, seq).Bind(3, input.usuario_id).Bind(4, input.mensagem);
    scope->Bind(5, input.data_envio);
    if (input.client_id.empty()) {
      scope->BindNull(6);
    } else {
      scope->Bind(6, input.client_id);
    }
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    id = scope->ColumnInt64(0);
  }
  return InsertedMessage{StoredMessage(input, id, seq), true, privada};
}

// Why the guarded UPDATE above took no seq: an unknown or inactive room
// (NotFound), a private room the author is not a member of, or an archived
// room (both PermissionDenied, told apart by kArchivedRoomRefusal).
Status MessageRepository::RefusalOf(const NewMessage& message) {
  auto statement = db_.Cached(
      "SELECT s.arquivada, CASE WHEN s.privada = 0 OR EXISTS (SELECT 1 FROM sala_membro sm WHERE sm.sala_id = s.id "
      "AND sm.usuario_id = ?2) THEN 1 ELSE 0 END FROM sala s WHERE s.id = ?1 AND s.ativa = 1");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, message.sala_id).Bind(2, message.usuario_id);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("sala não encontrada");
  bool may_write = scope->ColumnInt64(1) != 0;
  if (may_write && scope->ColumnInt64(0) != 0) return Status::PermissionDenied(std::string(kArchivedRoomRefusal));
  return Status::PermissionDenied("sala privada");
}

ChatMessage MessageRepository::StoredMessage(const NewMessage& input, int64_t id, int64_t seq) {
  ChatMessage message;
  message.id = id;
  message.sala_id = input.sala_id;
  message.seq = seq;
  message.usuario_id = input.usuario_id;
  message.mensagem = input.mensagem;
  message.data_envio_ms = input.data_envio;
  message.usuario_nome = input.usuario_nome;
  return message;
}

Result<std::vector<ChatMessage>> MessageRepository::ReadMessages(Statement& statement, int64_t read_up_to) {
  std::vector<ChatMessage> messages;
  while (true) {
    auto row = statement.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    messages.push_back(ReadMessage(statement));
    messages.back().lida = messages.back().seq <= read_up_to;
  }
  return messages;
}

Result<std::vector<ChatMessage>> MessageRepository::History(const HistoryQuery& query) {
  int64_t read_up_to = 0;
  if (query.reader_id != 0) {
    auto position = ReadPosition(query.sala_id, query.reader_id);
    if (!position.ok()) return position.status();
    read_up_to = *position;
  }
  static const std::string kAfter =
      std::string(kMessageSelect) + "WHERE m.sala_id = ?1 AND m.seq > ?2 ORDER BY m.seq ASC LIMIT ?3";
  static const std::string kBefore =
      std::string(kMessageSelect) + "WHERE m.sala_id = ?1 AND m.seq < ?2 ORDER BY m.seq DESC LIMIT ?3";
  static const std::string kNewest =
      std::string(kMessageSelect) + "WHERE m.sala_id = ?1 ORDER BY m.seq DESC LIMIT ?3 OFFSET ?2";
  const std::string& sql = query.apos_seq >= 0 ? kAfter : query.antes_seq > 0 ? kBefore : kNewest;
  auto statement = db_.Cached(sql);
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  int64_t bound = query.apos_seq >= 0 ? query.apos_seq : query.antes_seq > 0 ? query.antes_seq : query.offset;
  scope->Bind(1, query.sala_id).Bind(2, bound).Bind(3, int64_t{query.limit});
  auto messages = ReadMessages(*scope, read_up_to);
  if (!messages.ok()) return messages.status();
  scope->Reset();  // no statement open while the page's reactions and mentions are read
  if (query.apos_seq < 0) std::reverse(messages->begin(), messages->end());
  PAPO_RETURN_IF_ERROR(AddConversation(*messages, query.sala_id, query.reader_id));
  return messages;
}

Result<std::optional<ChatMessage>> MessageRepository::Find(int64_t mensagem_id, int64_t reader_id) {
  static const std::string sql = std::string(kMessageSelect) + "WHERE m.id = ?1";
  std::vector<ChatMessage> found;
  {
    auto statement = db_.Cached(sql);
    if (!statement.ok()) return statement.status();
    StatementScope scope(**statement);
    scope->Bind(1, mensagem_id);
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<ChatMessage>();
    found.push_back(ReadMessage(*scope));
  }
  if (reader_id != 0) {
    auto position = ReadPosition(found.front().sala_id, reader_id);
    if (!position.ok()) return position.status();
    found.front().lida = found.front().seq <= *position;
  }
  PAPO_RETURN_IF_ERROR(AddConversation(found, found.front().sala_id, reader_id));
  return std::optional<ChatMessage>(std::move(found.front()));
}

// One query per kind for the whole page (never one per message): the page
// is a seq range of one room, read through chat_mensagem's (sala_id, seq)
// index and the primary keys of reacao and mencao.
Status MessageRepository::AddConversation(std::vector<ChatMessage>& messages, int64_t sala_id, int64_t reader_id) {
  if (messages.empty()) return Status::Ok();
  int64_t first = messages.front().seq;
  int64_t last = messages.front().seq;
  std::unordered_map<int64_t, ChatMessage*> by_id;
  for (ChatMessage& message : messages) {
    first = std::min(first, message.seq);
    last = std::max(last, message.seq);
    by_id[message.id] = &message;
  }
  {
    auto statement = db_.Cached(
        "SELECT r.mensagem_id, r.emoji, COUNT(*), MAX(CASE WHEN r.usuario_id = ?4 THEN 1 ELSE 0 END), "
        "MIN(r.criado_em) FROM reacao r JOIN chat_mensagem m ON m.id = r.mensagem_id "
        "WHERE m.sala_id = ?1 AND m.seq >= ?2 AND m.seq <= ?3 GROUP BY r.mensagem_id, r.emoji "
        "ORDER BY r.mensagem_id, MIN(r.criado_em), r.emoji");
    if (!statement.ok()) return statement.status();
    StatementScope scope(**statement);
    scope->Bind(1, sala_id).Bind(2, first).Bind(3, last).Bind(4, reader_id);
    while (true) {
      auto row = scope->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      auto found = by_id.find(scope->ColumnInt64(0));
      if (found == by_id.end() || found->second->excluida) continue;
      found->second->reacoes.push_back({scope->ColumnText(1), scope->ColumnInt64(2), scope->ColumnInt64(3) != 0});
    }
  }
  {
    auto statement = db_.Cached(
        "SELECT n.mensagem_id, n.usuario_id FROM mencao n JOIN chat_mensagem m ON m.id = n.mensagem_id "
        "WHERE m.sala_id = ?1 AND m.seq >= ?2 AND m.seq <= ?3 ORDER BY n.mensagem_id, n.usuario_id");
    if (!statement.ok()) return statement.status();
    StatementScope scope(**statement);
    scope->Bind(1, sala_id).Bind(2, first).Bind(3, last);
    while (true) {
      auto row = scope->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      auto found = by_id.find(scope->ColumnInt64(0));
      if (found == by_id.end() || found->second->excluida) continue;
      found->second->mencoes.push_back(scope->ColumnInt64(1));
    }
  }
  if (reader_id == 0) return Status::Ok();
  auto read_by_others = ReadByOthers(sala_id, reader_id);
  if (!read_by_others.ok()) return read_by_others.status();
  FillAuthorStatus(messages, reader_id, *read_by_others, {});
  return Status::Ok();
}

Result<int64_t> MessageRepository::ReadByOthers(int64_t sala_id, int64_t usuario_id) {
  auto statement = db_.Cached(
      "SELECT COALESCE(MAX(ultimo_seq_lido), 0) FROM leitura WHERE sala_id = ?1 AND usuario_id <> ?2");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id).Bind(2, usuario_id);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  return *row ? scope->ColumnInt64(0) : int64_t{0};
}

Result<int64_t> MessageRepository::MarkRead(int64_t sala_id, int64_t usuario_id, int64_t seq) {
  auto statement = db_.Cached(
      "INSERT INTO leitura (sala_id, usuario_id, ultimo_seq_lido) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (sala_id, usuario_id) DO UPDATE SET ultimo_seq_lido = CASE WHEN excluded.ultimo_seq_lido > "
      "leitura.ultimo_seq_lido THEN excluded.ultimo_seq_lido ELSE leitura.ultimo_seq_lido END "
      "RETURNING ultimo_seq_lido");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id).Bind(2, usuario_id).Bind(3, seq);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  int64_t stored = *row ? scope->ColumnInt64(0) : seq;
  PAPO_RETURN_IF_ERROR(scope->Run());
  return stored;
}

Result<int64_t> MessageRepository::ReadPosition(int64_t sala_id, int64_t usuario_id) {
  auto statement = db_.Cached("SELECT ultimo_seq_lido FROM leitura WHERE sala_id = ?1 AND usuario_id = ?2");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id).Bind(2, usuario_id);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  return *row ? scope->ColumnInt64(0) : int64_t{0};
}

Result<int64_t> MessageRepository::UnreadCount(int64_t sala_id, int64_t usuario_id) {
  auto statement = db_.Cached(
      "SELECT COUNT(*) FROM chat_mensagem WHERE sala_id = ?1 AND usuario_id <> ?2 AND seq > "
      "COALESCE((SELECT ultimo_seq_lido FROM leitura WHERE sala_id = ?1 AND usuario_id = ?2), 0)");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id).Bind(2, usuario_id);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  return scope->ColumnInt64(0);
}

Result<std::vector<AuthorMessage>> MessageRepository::NewlyReadAuthors(int64_t sala_id, int64_t reader_id, int64_t from,
                                                                     int64_t to) {
  auto statement = db_.Cached(
      "SELECT a.usuario_id, m.id, a.seq FROM (SELECT usuario_id, MAX(seq) AS seq FROM chat_mensagem "
      "WHERE sala_id = ?1 AND seq > ?3 AND seq <= ?4 AND usuario_id <> ?2 GROUP BY usuario_id) a "
      "JOIN chat_mensagem m ON m.sala_id = ?1 AND m.seq = a.seq "
      "WHERE NOT EXISTS (SELECT 1 FROM leitura l WHERE l.sala_id = ?1 AND l.usuario_id <> a.usuario_id "
      "AND l.usuario_id <> ?2 AND l.ultimo_seq_lido >= a.seq) ORDER BY a.usuario_id");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id).Bind(2, reader_id).Bind(3, from).Bind(4, to);
  std::vector<AuthorMessage> found;
  while (true) {
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return found;
    found.push_back({scope->ColumnInt64(0), scope->ColumnInt64(1), scope->ColumnInt64(2)});
  }
}

Result<std::vector<ReadReceipt>> MessageRepository::ReadPositions(int64_t sala_id, int64_t except_user) {
  auto statement = db_.Cached(
      "SELECT l.usuario_id, u.nome, l.ultimo_seq_lido FROM leitura l JOIN usuario u ON u.id = l.usuario_id "
      "WHERE l.sala_id = ?1 AND l.usuario_id <> ?2 AND l.ultimo_seq_lido > 0 ORDER BY u.nome");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id).Bind(2, except_user);
  std::vector<ReadReceipt> positions;
  while (true) {
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return positions;
    positions.push_back({scope->ColumnInt64(0), scope->ColumnText(1), scope->ColumnInt64(2)});
  }
}

}  // namespace papo
