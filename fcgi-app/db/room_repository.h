// RoomRepository: `sala` and `sala_membro`.
#pragma once

#include <initializer_list>
#include <optional>
#include <vector>

#include "fcgi-app/db/database.h"
#include "fcgi-app/db/models.h"

namespace papo {

class RoomRepository final {
 public:
  explicit RoomRepository(Database& db) : db_(db) {}

  // Active rooms `usuario_id` may see (public, or private and a member),
  // with unread count and last activity, ordered by name.
  Result<std::vector<RoomSummary>> ListVisible(int64_t usuario_id);
  // The same list, `limit` rooms from position `offset` (the list page).
  Result<std::vector<RoomSummary>> ListVisiblePage(int64_t usuario_id, int limit, int64_t offset);
  // The rooms `sala_ids` (at most kMaxSummaries) as the list shows them to
  // `usuario_id`, in the order given; rooms the user may not see are left out.
  static constexpr size_t kMaxSummaries = 50;
  Result<std::vector<RoomSummary>> SummariesOf(int64_t usuario_id, const std::vector<int64_t>& sala_ids);
  // One room as the list shows it to `usuario_id` (nullopt if unknown).
  Result<std::optional<RoomSummary>> Summary(int64_t sala_id, int64_t usuario_id);
  Result<std::optional<Room>> Find(int64_t sala_id);
  // The room and whether `usuario_id` is a member, in one query.
  Result<std::optional<RoomForUser>> FindForUser(int64_t sala_id, int64_t usuario_id);
  // Creates the room; for a private room the creator and `members` join it.
  // Conflict when the name is taken, compared by FoldCase (nome_chave).
  Result<int64_t> Create(const Room& room, const std::vector<int64_t>& members);
  // Adds a member; false when they already were one.
  Result<bool> AddMember(int64_t sala_id, int64_t usuario_id);
  // Makes `usuario_id` the room's owner (sala_membro.papel 'dono').
  Status AddOwner(int64_t sala_id, int64_t usuario_id);
  // Members of a private room (its owner included), ascending. A public
  // room's rows are its owner only.
  Result<std::vector<int64_t>> MemberIds(int64_t sala_id);
  // Ids of the active private rooms `usuario_id` belongs to, ascending
  // (every list stream's authorization reads them all: kept cheap).
  Result<std::vector<int64_t>> PrivateRoomIdsOf(int64_t usuario_id);
  // Active rooms with at least one message: id, privada, ultimo_seq.
  Result<std::vector<Room>> RoomsWithMessages();

 private:
  // Runs `sql` with ?1 = usuario_id and ?2, ?3 … = `more`.
  Result<std::vector<RoomSummary>> QuerySummaries(std::string_view sql, int64_t usuario_id,
                                                  std::initializer_list<int64_t> more);

  Database& db_;
};

}  // namespace papo
