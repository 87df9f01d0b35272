// UserRepository: the `usuario` table.
#pragma once

#include <functional>
#include <optional>

#include "fcgi-app/db/database.h"
#include "fcgi-app/db/models.h"

namespace papo {

class UserRepository final {
 public:
  explicit UserRepository(Database& db) : db_(db) {}

  // Conflict when the e-mail (case-insensitive) is taken.
  Result<int64_t> Create(std::string_view nome, std::string_view email, std::string_view senha_hash,
                         int64_t now_ms);
  Result<std::optional<User>> FindByEmail(std::string_view email);
  Result<std::optional<User>> FindById(int64_t id);

 private:
  Result<std::optional<User>> FindOne(std::string_view sql, const std::function<void(Statement&)>& bind);

  Database& db_;
};

}  // namespace papo
