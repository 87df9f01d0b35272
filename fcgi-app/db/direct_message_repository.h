// DirectMessageRepository: `conversa_direta`, the one private two-person
// room of each pair of users (DESIGN §9), and the name search behind "Nova
// conversa".
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "fcgi-app/db/database.h"

namespace papo {

// A pair of distinct users, smaller id first (conversa_direta's key).
struct UserPair {
  int64_t menor = 0;
  int64_t maior = 0;
};

// The pair of `a` and `b`. REQUIRES: a != b.
UserPair MakeUserPair(int64_t a, int64_t b);

// The DM room's internal name and nome_chave: "\x01dm:<menor>:<maior>". The
// control character keeps it apart from every name a user may type, and
// sala.nome_chave being UNIQUE makes a second room of the pair a Conflict
// even before conversa_direta's key is checked.
std::string DirectRoomKey(const UserPair& pair);

struct DirectRoom {
  int64_t sala_id = 0;
  bool created = false;  // this call created it
};

class DirectMessageRepository final {
 public:
  explicit DirectMessageRepository(Database& db) : db_(db) {}

  // The pair's room, nullopt if it has none yet.
  Result<std::optional<int64_t>> Find(const UserPair& pair);
  // The pair's room, created (sala direta=1 privada=1, both people in
  // sala_membro as 'membro', the conversa_direta row) in one transaction
  // unless it exists. Conflict: another connection created it between our
  // look-up and our insert (PostgreSQL; SQLite's writers are serialized
  // and see it) — the caller reads it with Find.
  Result<DirectRoom> Create(const UserPair& pair, int64_t criado_por, int64_t criado_em);
  // Every user (id, nome) by name until `visit` returns false: the people
  // finder matches names without case and accents, which neither engine's
  // SQL does alike, so the matching is the caller's.
  Status ForEachUserByName(const std::function<bool(int64_t id, std::string_view nome)>& visit);

 private:
  Database& db_;
};

}  // namespace papo
