#include "fcgi-app/db/session_repository.h"

namespace papo {

Status SessionRepository::Create(std::string_view token_hash, int64_t usuario_id, std::string_view csrf_token,
                                 int64_t now_ms, int64_t expira_em_ms) {
  auto statement = db_.Cached(
      "INSERT INTO sessao (token_hash, usuario_id, csrf_token, criado_em, expira_em) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, token_hash).Bind(2, usuario_id).Bind(3, csrf_token).Bind(4, now_ms).Bind(5, expira_em_ms);
  return scope->Run();
}

Result<std::optional<Session>> SessionRepository::FindLive(std::string_view token_hash, int64_t now_ms) {
  auto statement = db_.Cached(
      "SELECT s.usuario_id, u.nome, u.email, s.csrf_token, s.expira_em FROM sessao s "
      "JOIN usuario u ON u.id = s.usuario_id WHERE s.token_hash = ?1 AND s.expira_em > ?2");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, token_hash).Bind(2, now_ms);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Session>();
  Session session;
  session.usuario_id = scope->ColumnInt64(0);
  session.nome = scope->ColumnText(1);
  session.email = scope->ColumnText(2);
  session.csrf_token = scope->ColumnText(3);
  session.expira_em = scope->ColumnInt64(4);
  session.token_hash = std::string(token_hash);
  return std::optional<Session>(std::move(session));
}

Status SessionRepository::Delete(std::string_view token_hash) {
  auto statement = db_.Cached("DELETE FROM sessao WHERE token_hash = ?1");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, token_hash);
  return scope->Run();
}

Status SessionRepository::DeleteExpired(int64_t now_ms) {
  auto statement = db_.Cached("DELETE FROM sessao WHERE expira_em <= ?1");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, now_ms);
  return scope->Run();
}

}  // namespace papo
