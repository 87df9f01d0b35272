#include "fcgi-app/db/direct_message_repository.h"

#include <algorithm>

namespace papo {

UserPair MakeUserPair(int64_t a, int64_t b) { return {std::min(a, b), std::max(a, b)}; }

std::string DirectRoomKey(const UserPair& pair) {
  return "\x01" "dm:" + std::to_string(pair.menor) + ":" + std::to_string(pair.maior);
}

Result<std::optional<int64_t>> DirectMessageRepository::Find(const UserPair& pair) {
  auto statement =
      db_.Cached("SELECT sala_id FROM conversa_direta WHERE usuario_menor = ?1 AND usuario_maior = ?2");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, pair.menor).Bind(2, pair.maior);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(scope->ColumnInt64(0));
}

Result<DirectRoom> DirectMessageRepository::Create(const UserPair& pair, int64_t criado_por, int64_t criado_em) {
  WriteTransaction transaction(db_);
  PAPO_RETURN_IF_ERROR(transaction.Begin());
  // Looked up again inside the transaction: on SQLite (writers one at a
  // time) a request that lost the race finds the winner's room here.
  auto existing = Find(pair);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return DirectRoom{**existing, false};
  std::string key = DirectRoomKey(pair);
  auto insert = db_.Cached(
      "INSERT INTO sala (nome, nome_chave, descricao, privada, ativa, criado_por, criado_em, ultimo_seq, direta) "
      "VALUES (?1, ?1, '', 1, 1, ?2, ?3, 0, 1) RETURNING id");
  if (!insert.ok()) return insert.status();
  int64_t sala_id = 0;
  {
    StatementScope scope(**insert);
    scope->Bind(1, key).Bind(2, criado_por).Bind(3, criado_em);
    auto row = scope->Step();  // Conflict: nome_chave taken by the pair's room
    if (!row.ok()) return row.status();
    sala_id = scope->ColumnInt64(0);
  }
  // Both people are plain members: a direct message has no owner.
  auto member = db_.Cached("INSERT INTO sala_membro (sala_id, usuario_id, papel) VALUES (?1, ?2, 'membro')");
  if (!member.ok()) return member.status();
  for (int64_t usuario_id : {pair.menor, pair.maior}) {
    StatementScope scope(**member);
    scope->Bind(1, sala_id).Bind(2, usuario_id);
    PAPO_RETURN_IF_ERROR(scope->Run());
  }
  auto link = db_.Cached("INSERT INTO conversa_direta (usuario_menor, usuario_maior, sala_id) VALUES (?1, ?2, ?3)");
  if (!link.ok()) return link.status();
  {
    StatementScope scope(**link);
    scope->Bind(1, pair.menor).Bind(2, pair.maior).Bind(3, sala_id);
    PAPO_RETURN_IF_ERROR(scope->Run());
  }
  PAPO_RETURN_IF_ERROR(transaction.Commit());
  return DirectRoom{sala_id, true};
}

Status DirectMessageRepository::ForEachUserByName(
    const std::function<bool(int64_t id, std::string_view nome)>& visit) {
  auto statement = db_.Cached("SELECT id, nome FROM usuario ORDER BY nome, id");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  while (true) {
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    std::string nome = scope->ColumnText(1);
    if (!visit(scope->ColumnInt64(0), nome)) return Status::Ok();
  }
}

}  // namespace papo
