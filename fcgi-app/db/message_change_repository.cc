#include "fcgi-app/db/message_change_repository.h"

namespace papo {

Result<std::optional<MessageTarget>> MessageChangeRepository::FindTarget(int64_t mensagem_id, int64_t reader_id) {
  auto statement = db_.Cached(
      "SELECT m.id, m.sala_id, m.seq, m.usuario_id, m.excluida, s.privada, s.ativa, "
      "COALESCE((SELECT d.usuario_id FROM sala_membro d WHERE d.sala_id = s.id AND d.papel = 'dono' ORDER BY d.usuario_id LIMIT 1), 0), "
      "CASE WHEN EXISTS (SELECT 1 FROM sala_membro sm WHERE sm.sala_id = s.id AND sm.usuario_id = ?2) "
      "THEN 1 ELSE 0 END, s.arquivada FROM chat_mensagem m JOIN sala s ON s.id = m.sala_id WHERE m.id = ?1");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, mensagem_id).Bind(2, reader_id);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<MessageTarget>();
  MessageTarget target;
  target.id = scope->ColumnInt64(0);
  target.sala_id = scope->ColumnInt64(1);
  target.seq = scope->ColumnInt64(2);
  target.autor_id = scope->ColumnInt64(3);
  target.excluida = scope->ColumnInt64(4) != 0;
  target.privada = scope->ColumnInt64(5) != 0;
  target.ativa = scope->ColumnInt64(6) != 0;
  target.dono_id = scope->ColumnInt64(7);
  target.member = scope->ColumnInt64(8) != 0;
  target.arquivada = scope->ColumnInt64(9) != 0;
  return std::optional<MessageTarget>(target);
}

// A no-op UPDATE rather than SELECT … FOR UPDATE: both engines run it, and
// on PostgreSQL it takes the row lock a concurrent deletion also takes
// (an insert into reacao only takes a key-share lock, which would not wait).
Result<std::optional<std::pair<int64_t, bool>>> MessageChangeRepository::LockMessage(int64_t mensagem_id) {
  auto statement = db_.Cached("UPDATE chat_mensagem SET excluida = excluida WHERE id = ?1 RETURNING sala_id, excluida");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, mensagem_id);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::pair<int64_t, bool>>();
  std::pair<int64_t, bool> found{scope->ColumnInt64(0), scope->ColumnInt64(1) != 0};
  PAPO_RETURN_IF_ERROR(scope->Run());
  return std::optional<std::pair<int64_t, bool>>(found);
}

Result<ChangedMessage> MessageChangeRepository::Finish(WriteTransaction& transaction, int64_t mensagem_id,
                                                       int64_t sala_id, int64_t reader_id, bool changed) {
  ChangedMessage result;
  result.changed = changed;
  {
    auto statement = db_.Cached("SELECT ultimo_seq FROM sala WHERE id = ?1");
    if (!statement.ok()) return statement.status();
    StatementScope scope(**statement);
    scope->Bind(1, sala_id);
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("sala não encontrada");
    result.position = scope->ColumnInt64(0);
  }
  auto message = messages_.Find(mensagem_id, reader_id);
  if (!message.ok()) return message.status();
  if (!message->has_value()) return Status::NotFound("mensagem não encontrada");
  result.message = std::move(**message);
  PAPO_RETURN_IF_ERROR(transaction.Commit());
  return result;
}

Result<ChangedMessage> MessageChangeRepository::Edit(int64_t mensagem_id, std::string_view mensagem, int64_t now_ms,
                                                     int64_t reader_id) {
  WriteTransaction transaction(db_);
  PAPO_RETURN_IF_ERROR(transaction.Begin());
  auto locked = LockMessage(mensagem_id);
  if (!locked.ok()) return locked.status();
  if (!locked->has_value()) return Status::NotFound("mensagem não encontrada");
  if ((*locked)->second) return Status::Conflict("mensagem excluída");
  {
    auto statement = db_.Cached("UPDATE chat_mensagem SET mensagem = ?2, editada_em = ?3 WHERE id = ?1");
    if (!statement.ok()) return statement.status();
    StatementScope scope(**statement);
    scope->Bind(1, mensagem_id).Bind(2, mensagem).Bind(3, now_ms);
    PAPO_RETURN_IF_ERROR(scope->Run());
  }
  return Finish(transaction, mensagem_id, (*locked)->first, reader_id, true);
}

Result<ChangedMessage> MessageChangeRepository::Delete(int64_t mensagem_id, int64_t reader_id) {
  WriteTransaction transaction(db_);
  PAPO_RETURN_IF_ERROR(transaction.Begin());
  auto locked = LockMessage(mensagem_id);
  if (!locked.ok()) return locked.status();
  if (!locked->has_value()) return Status::NotFound("mensagem não encontrada");
  bool changed = !(*locked)->second;
  if (changed) {
    for (std::string_view sql : {"UPDATE chat_mensagem SET mensagem = '', excluida = 1 WHERE id = ?1",
                                 "DELETE FROM reacao WHERE mensagem_id = ?1", "DELETE FROM mencao WHERE mensagem_id = ?1"}) {
      auto statement = db_.Cached(sql);
      if (!statement.ok()) return statement.status();
      StatementScope scope(**statement);
      scope->Bind(1, mensagem_id);
      PAPO_RETURN_IF_ERROR(scope->Run());
    }
  }
  return Finish(transaction, mensagem_id, (*locked)->first, reader_id, changed);
}

Result<ChangedMessage> MessageChangeRepository::React(int64_t mensagem_id, int64_t usuario_id, std::string_view emoji,
                                                      bool ativo, int64_t now_ms) {
  WriteTransaction transaction(db_);
  PAPO_RETURN_IF_ERROR(transaction.Begin());
  auto locked = LockMessage(mensagem_id);
  if (!locked.ok()) return locked.status();
  if (!locked->has_value()) return Status::NotFound("mensagem não encontrada");
  if ((*locked)->second) return Status::Conflict("mensagem excluída");
  bool changed = false;
  {
    auto statement = db_.Cached(
        ativo ? "INSERT INTO reacao (mensagem_id, usuario_id, emoji, criado_em) VALUES (?1, ?2, ?3, ?4) "
                "ON CONFLICT (mensagem_id, usuario_id, emoji) DO NOTHING RETURNING mensagem_id"
              : "DELETE FROM reacao WHERE mensagem_id = ?1 AND usuario_id = ?2 AND emoji = ?3 RETURNING mensagem_id");
    if (!statement.ok()) return statement.status();
    StatementScope scope(**statement);
    scope->Bind(1, mensagem_id).Bind(2, usuario_id).Bind(3, emoji);
    if (ativo) scope->Bind(4, now_ms);
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    changed = *row;
    PAPO_RETURN_IF_ERROR(scope->Run());
  }
  int64_t total = 0;
  {
    auto statement = db_.Cached("SELECT COUNT(*) FROM reacao WHERE mensagem_id = ?1 AND emoji = ?2");
    if (!statement.ok()) return statement.status();
    StatementScope scope(**statement);
    scope->Bind(1, mensagem_id).Bind(2, emoji);
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    total = scope->ColumnInt64(0);
  }
  auto result = Finish(transaction, mensagem_id, (*locked)->first, usuario_id, changed);
  if (result.ok()) result->total = total;
  return result;
}

}  // namespace papo
