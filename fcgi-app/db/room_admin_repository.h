// RoomAdminRepository: what a room's owner and members change about the
// room itself (DESIGN §9): its name and description, its archived flag,
// and the end of a membership (leaving, or being removed by the owner).
#pragma once

#include <string>
#include <vector>

#include "fcgi-app/db/database.h"

namespace papo {

// A member of a private room as its page lists them: the name only, never
// the e-mail (members see each other's names, nothing else).
struct RoomMemberName {
  int64_t usuario_id = 0;
  std::string nome;
  bool dono = false;
};

class RoomAdminRepository final {
 public:
  explicit RoomAdminRepository(Database& db) : db_(db) {}

  // Renames and redescribes room `sala_id`. Conflict when another room
  // already has the name, compared by FoldCase (nome_chave), as Create does;
  // NotFound when the room does not exist.
  Status Update(int64_t sala_id, const std::string& nome, const std::string& descricao);
  // Sets sala.arquivada. NotFound when the room does not exist.
  Status SetArchived(int64_t sala_id, bool arquivada);
  // Ends the membership of `usuario_id` ('membro' only: an owner's row is
  // never deleted here) in one transaction with what it kept there: the
  // read position (leitura) and the mentions (mencao) of that user in that
  // room, so a later invitation starts afresh. false when they were not a
  // member: nothing changed.
  Result<bool> RemoveMember(int64_t sala_id, int64_t usuario_id);
  // The room's members (owner included) ordered by name, then id.
  Result<std::vector<RoomMemberName>> Members(int64_t sala_id);

 private:
  Database& db_;
};

}  // namespace papo
