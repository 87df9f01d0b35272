#include "fcgi-app/db/room_admin_repository.h"

#include "common/case_fold.h"

namespace papo {

Status RoomAdminRepository::Update(int64_t sala_id, const std::string& nome, const std::string& descricao) {
  auto statement = db_.Cached(
      "UPDATE sala SET nome = ?2, nome_chave = ?3, descricao = ?4 WHERE id = ?1 RETURNING id");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  // nome_chave is UNIQUE: a name another room holds is a Conflict.
  scope->Bind(1, sala_id).Bind(2, nome).Bind(3, FoldCase(nome)).Bind(4, descricao);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("sala não encontrada");
  return scope->Run();
}

Status RoomAdminRepository::SetArchived(int64_t sala_id, bool arquivada) {
  auto statement = db_.Cached("UPDATE sala SET arquivada = ?2 WHERE id = ?1 RETURNING id");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id).Bind(2, int64_t{arquivada});
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("sala não encontrada");
  return scope->Run();
}

Result<bool> RoomAdminRepository::RemoveMember(int64_t sala_id, int64_t usuario_id) {
  WriteTransaction transaction(db_);
  PAPO_RETURN_IF_ERROR(transaction.Begin());
  {
    auto statement = db_.Cached(
        "DELETE FROM sala_membro WHERE sala_id = ?1 AND usuario_id = ?2 AND papel = 'membro' RETURNING usuario_id");
    if (!statement.ok()) return statement.status();
    StatementScope scope(**statement);
    scope->Bind(1, sala_id).Bind(2, usuario_id);
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return false;  // the transaction rolls back: nothing was changed
    PAPO_RETURN_IF_ERROR(scope->Run());
  }
  for (std::string_view sql : {"DELETE FROM leitura WHERE sala_id = ?1 AND usuario_id = ?2",
                               "DELETE FROM mencao WHERE sala_id = ?1 AND usuario_id = ?2"}) {
    auto statement = db_.Cached(sql);
    if (!statement.ok()) return statement.status();
    StatementScope scope(**statement);
    scope->Bind(1, sala_id).Bind(2, usuario_id);
    PAPO_RETURN_IF_ERROR(scope->Run());
  }
  PAPO_RETURN_IF_ERROR(transaction.Commit());
  return true;
}

Result<std::vector<RoomMemberName>> RoomAdminRepository::Members(int64_t sala_id) {
  auto statement = db_.Cached(
      "SELECT u.id, u.nome, sm.papel FROM sala_membro sm JOIN usuario u ON u.id = sm.usuario_id "
      "WHERE sm.sala_id = ?1 ORDER BY u.nome, u.id");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id);
  std::vector<RoomMemberName> members;
  while (true) {
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    members.push_back({scope->ColumnInt64(0), scope->ColumnText(1), scope->ColumnText(2) == "dono"});
  }
  return members;
}

}  // namespace papo
