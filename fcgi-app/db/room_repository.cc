#include "fcgi-app/db/room_repository.h"

#include <algorithm>
#include <map>

#include "common/case_fold.h"

namespace papo {
namespace {

// Columns 0-11 of every room query, in this order. With `viewer` (the
// parameter that holds the reading user's id, e.g. "?1") a direct
// message's nome is the other person's name and column 11 their id;
// without one, nome is the stored key and column 11 is 0.
std::string RoomColumns(std::string_view viewer = "") {
  std::string other = "0";
  std::string nome = "s.nome";
  if (!viewer.empty()) {
    std::string v(viewer);
    // The other side of the pair, for a direct message (NULL otherwise).
    other = "(SELECT CASE WHEN cd.usuario_menor = " + v + " THEN cd.usuario_maior ELSE cd.usuario_menor END"
            " FROM conversa_direta cd WHERE cd.sala_id = s.id)";
    nome = "CASE WHEN s.direta = 1 THEN COALESCE((SELECT u.nome FROM usuario u WHERE u.id = " + other +
           "), s.nome) ELSE s.nome END";
    other = "COALESCE(" + other + ", 0)";
  }
  return "s.id, " + nome +
         ", s.descricao, s.privada, s.ativa, COALESCE(s.criado_por, 0), s.criado_em, s.ultimo_seq,"
         " s.arquivada, s.direta, 0, " + other;
}
// The first column after RoomColumns().
constexpr int kAfterRoom = 12;

Room ReadRoom(const Statement& s) {
  Room room;
  room.id = s.ColumnInt64(0);
  room.nome = s.ColumnText(1);
  room.descricao = s.ColumnText(2);
  room.privada = s.ColumnInt64(3) != 0;
  room.ativa = s.ColumnInt64(4) != 0;
  room.criado_por = s.ColumnInt64(5);
  room.criado_em = s.ColumnInt64(6);
  room.ultimo_seq = s.ColumnInt64(7);
  room.arquivada = s.ColumnInt64(8) != 0;
  room.direta = s.ColumnInt64(9) != 0;
  // Column 10 is reserved (0) so kAfterRoom stays put when a field is added.
  room.direta_com = s.ColumnInt64(11);
  return room;
}

// A row of SummarySql(): the room, then its activity and the reader's
// read position and unread count.
RoomSummary ReadSummary(const Statement& s) {
  RoomSummary summary;
  summary.room = ReadRoom(s);
  summary.ultima_atividade = s.ColumnInt64(kAfterRoom);
  summary.ultimo_seq_lido = s.ColumnInt64(kAfterRoom + 1);
  summary.nao_lidas = s.ColumnInt64(kAfterRoom + 2);
  return summary;
}

// The first column of every row, as ids.
Result<std::vector<int64_t>> ReadIds(Statement& statement) {
  std::vector<int64_t> ids;
  while (true) {
    auto row = statement.Step();
    if (!row.ok()) return row.status();
    if (!*row) return ids;
    ids.push_back(statement.ColumnInt64(0));
  }
}

std::string SummarySql(std::string_view where) {
  std::string sql = "SELECT ";
  sql += RoomColumns("?1");
  sql +=
      ", COALESCE((SELECT m.data_envio FROM chat_mensagem m WHERE m.sala_id = s.id AND m.seq = s.ultimo_seq), 0)"
      ", COALESCE(l.ultimo_seq_lido, 0)"
      ", (SELECT COUNT(*) FROM chat_mensagem m WHERE m.sala_id = s.id"
      "   AND m.seq > COALESCE(l.ultimo_seq_lido, 0) AND m.usuario_id <> ?1)"
      " FROM sala s LEFT JOIN leitura l ON l.sala_id = s.id AND l.usuario_id = ?1"
      " WHERE s.ativa = 1 AND (s.privada = 0 OR EXISTS"
      "   (SELECT 1 FROM sala_membro sm WHERE sm.sala_id = s.id AND sm.usuario_id = ?1))";
  sql += where;
  return sql;
}

}  // namespace

Result<std::vector<RoomSummary>> RoomRepository::QuerySummaries(std::string_view sql, int64_t usuario_id,
                                                                std::initializer_list<int64_t> more) {
  auto statement = db_.Cached(sql);
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, usuario_id);
  int index = 2;
  for (int64_t value : more) scope->Bind(index++, value);
  std::vector<RoomSummary> rooms;
  while (true) {
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    rooms.push_back(ReadSummary(*scope));
  }
  return rooms;
}

Result<std::vector<RoomSummary>> RoomRepository::ListVisible(int64_t usuario_id) {
  static const std::string sql = SummarySql(" ORDER BY s.nome_chave, s.id");
  return QuerySummaries(sql, usuario_id, {});
}

Result<std::vector<RoomSummary>> RoomRepository::ListVisiblePage(int64_t usuario_id, int limit, int64_t offset) {
  static const std::string sql = SummarySql(" ORDER BY s.nome_chave, s.id LIMIT ?2 OFFSET ?3");
  return QuerySummaries(sql, usuario_id, {int64_t{limit}, offset});
}

Result<std::vector<RoomSummary>> RoomRepository::SummariesOf(int64_t usuario_id, const std::vector<int64_t>& sala_ids) {
  // One cached statement with a fixed list of kMaxSummaries parameters
  // (unused ones are 0, no room's id): the list page's rooms in one query.
  static const std::string sql = [] {
    std::string in = " AND s.id IN (";
    for (size_t i = 0; i < kMaxSummaries; ++i) in += (i ? ", ?" : "?") + std::to_string(i + 2);
    return SummarySql(in + ")");
  }();
  std::vector<RoomSummary> ordered;
  for (size_t start = 0; start < sala_ids.size(); start += kMaxSummaries) {
    size_t end = std::min(sala_ids.size(), start + kMaxSummaries);
    auto statement = db_.Cached(sql);
    if (!statement.ok()) return statement.status();
    std::map<int64_t, RoomSummary> found;
    {
      StatementScope scope(**statement);
      scope->Bind(1, usuario_id);
      for (size_t i = 0; i < kMaxSummaries; ++i) {
        scope->Bind(static_cast<int>(i + 2), start + i < end ? sala_ids[start + i] : int64_t{0});
      }
      while (true) {
        auto row = scope->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        RoomSummary summary = ReadSummary(*scope);
        found.emplace(summary.room.id, std::move(summary));
      }
    }
    for (size_t i = start; i < end; ++i) {
      auto it = found.find(sala_ids[i]);
      if (it != found.end()) ordered.push_back(std::move(it->second));
    }
  }
  return ordered;
}

Result<std::optional<RoomSummary>> RoomRepository::Summary(int64_t sala_id, int64_t usuario_id) {
  static const std::string sql = SummarySql(" AND s.id = ?2");
  auto rooms = QuerySummaries(sql, usuario_id, {sala_id});
  if (!rooms.ok()) return rooms.status();
  if (rooms->empty()) return std::optional<RoomSummary>();
  return std::optional<RoomSummary>(std::move(rooms->front()));
}

Result<std::optional<Room>> RoomRepository::Find(int64_t sala_id) {
  static const std::string sql = "SELECT " + RoomColumns() + " FROM sala s WHERE s.id = ?1";
  auto statement = db_.Cached(sql);
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Room>();
  return std::optional<Room>(ReadRoom(*scope));
}

Result<std::optional<RoomForUser>> RoomRepository::FindForUser(int64_t sala_id, int64_t usuario_id) {
  static const std::string sql = "SELECT " + RoomColumns("?2") +
                                 ", (SELECT sm.papel FROM sala_membro sm WHERE sm.sala_id = s.id AND sm.usuario_id = ?2)"
                                 " FROM sala s WHERE s.id = ?1";
  auto statement = db_.Cached(sql);
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id).Bind(2, usuario_id);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<RoomForUser>();
  RoomForUser found;
  found.room = ReadRoom(*scope);
  // NULL (not a member), 'membro' or 'dono'.
  std::string papel = scope->ColumnText(kAfterRoom);
  found.member = !papel.empty();
  found.dono = papel == "dono";
  return std::optional<RoomForUser>(std::move(found));
}

Result<int64_t> RoomRepository::Create(const Room& room, const std::vector<int64_t>& members) {
  WriteTransaction transaction(db_);
  PAPO_RETURN_IF_ERROR(transaction.Begin());
  auto statement = db_.Cached(
      "INSERT INTO sala (nome, nome_chave, descricao, privada, ativa, criado_por, criado_em, ultimo_seq) "
      "VALUES (?1, ?6, ?2, ?3, 1, ?4, ?5, 0) RETURNING id");
  if (!statement.ok()) return statement.status();
  int64_t sala_id = 0;
  {
    StatementScope scope(**statement);
    scope->Bind(1, room.nome).Bind(2, room.descricao).Bind(3, int64_t{room.privada}).Bind(4, room.criado_por);
    scope->Bind(5, room.criado_em).Bind(6, FoldCase(room.nome));  // UNIQUE: Conflict when taken
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    sala_id = scope->ColumnInt64(0);
  }
  // The creator owns every room they create (DESIGN §9); a private room's
  // invited members join it.
  PAPO_RETURN_IF_ERROR(AddOwner(sala_id, room.criado_por));
  if (room.privada) {
    for (int64_t member : members) {
      if (member == room.criado_por) continue;
      auto added = AddMember(sala_id, member);
      if (!added.ok()) return added.status();
    }
  }
  PAPO_RETURN_IF_ERROR(transaction.Commit());
  return sala_id;
}

Result<bool> RoomRepository::AddMember(int64_t sala_id, int64_t usuario_id) {
  auto statement = db_.Cached(
      "INSERT INTO sala_membro (sala_id, usuario_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING RETURNING 1");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id).Bind(2, usuario_id);
  return scope->Step();  // a row only when it was inserted
}

Status RoomRepository::AddOwner(int64_t sala_id, int64_t usuario_id) {
  auto statement = db_.Cached(
      "INSERT INTO sala_membro (sala_id, usuario_id, papel) VALUES (?1, ?2, 'dono') "
      "ON CONFLICT (sala_id, usuario_id) DO UPDATE SET papel = 'dono'");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id).Bind(2, usuario_id);
  return scope->Run();
}

Result<std::vector<int64_t>> RoomRepository::MemberIds(int64_t sala_id) {
  auto statement = db_.Cached("SELECT usuario_id FROM sala_membro WHERE sala_id = ?1 ORDER BY usuario_id");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id);
  return ReadIds(*scope);
}

Result<std::vector<int64_t>> RoomRepository::PrivateRoomIdsOf(int64_t usuario_id) {
  auto statement = db_.Cached(
      "SELECT s.id FROM sala_membro sm JOIN sala s ON s.id = sm.sala_id "
      "WHERE sm.usuario_id = ?1 AND s.privada = 1 AND s.ativa = 1 ORDER BY s.id");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, usuario_id);
  return ReadIds(*scope);
}

Result<std::vector<Room>> RoomRepository::RoomsWithMessages() {
  static const std::string sql =
      "SELECT " + RoomColumns() + " FROM sala s WHERE s.ativa = 1 AND s.ultimo_seq > 0 ORDER BY s.id";
  auto statement = db_.Cached(sql);
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  std::vector<Room> rooms;
  while (true) {
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return rooms;
    rooms.push_back(ReadRoom(*scope));
  }
}

}  // namespace papo
