#include "fcgi-app/db/user_repository.h"

namespace papo {

Result<int64_t> UserRepository::Create(std::string_view nome, std::string_view email,
                                       std::string_view senha_hash, int64_t now_ms) {
  auto statement = db_.Cached(
      "INSERT INTO usuario (nome, email, senha_hash, criado_em) VALUES (?1, ?2, ?3, ?4) RETURNING id");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, nome).Bind(2, email).Bind(3, senha_hash).Bind(4, now_ms);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  return scope->ColumnInt64(0);
}

Result<std::optional<User>> UserRepository::FindOne(std::string_view sql,
                                                    const std::function<void(Statement&)>& bind) {
  auto statement = db_.Cached(sql);
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  bind(*scope);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<User>();
  User user;
  user.id = scope->ColumnInt64(0);
  user.nome = scope->ColumnText(1);
  user.email = scope->ColumnText(2);
  user.senha_hash = scope->ColumnText(3);
  user.criado_em = scope->ColumnInt64(4);
  return std::optional<User>(std::move(user));
}

Result<std::optional<User>> UserRepository::FindByEmail(std::string_view email) {
  return FindOne("SELECT id, nome, email, senha_hash, criado_em FROM usuario WHERE email = ?1",
                 [&](Statement& s) { s.Bind(1, email); });
}

Result<std::optional<User>> UserRepository::FindById(int64_t id) {
  return FindOne("SELECT id, nome, email, senha_hash, criado_em FROM usuario WHERE id = ?1",
                 [&](Statement& s) { s.Bind(1, id); });
}

}  // namespace papo
