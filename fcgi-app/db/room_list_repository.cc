#include "fcgi-app/db/room_list_repository.h"

namespace papo {

namespace {

// One row per visible room, each cheap: the newest message's time is
// sala.ultima_atividade (kept by a trigger, sql/*/..._lista.sql),
// membership one sala_membro primary-key probe, and with names a direct
// message's name one conversa_direta probe. No unread counts here (those
// cost a range scan per room).

std::string OrderedSql(bool with_names) {
  std::string nome = with_names
                         ? "CASE WHEN s.direta = 1 THEN COALESCE((SELECT u.nome FROM conversa_direta cd JOIN usuario u"
                           "   ON u.id = CASE WHEN cd.usuario_menor = ?1 THEN cd.usuario_maior ELSE cd.usuario_menor END"
                           "   WHERE cd.sala_id = s.id), '') ELSE s.nome END"
                         : "CASE WHEN s.direta = 1 THEN '' ELSE s.nome END";
  return "SELECT s.id, s.direta, s.arquivada, " + nome + ","
         " CASE WHEN s.ultima_atividade > s.criado_em THEN s.ultima_atividade ELSE s.criado_em END AS atividade"
         " FROM sala s"
         " WHERE s.ativa = 1 AND (s.privada = 0 OR EXISTS"
         "   (SELECT 1 FROM sala_membro sm WHERE sm.sala_id = s.id AND sm.usuario_id = ?1))"
         " ORDER BY atividade DESC, s.id DESC";
}

}  // namespace

Result<std::vector<RoomListEntry>> RoomListRepository::Ordered(int64_t usuario_id, bool with_names) {
  static const std::string named_sql = OrderedSql(true);
  static const std::string plain_sql = OrderedSql(false);
  const std::string& sql = with_names ? named_sql : plain_sql;
  auto statement = db_.Cached(sql);
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, usuario_id);
  std::vector<RoomListEntry> rooms;
  while (true) {
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return rooms;
    RoomListEntry entry;
    entry.id = scope->ColumnInt64(0);
    entry.direta = scope->ColumnInt64(1) != 0;
    entry.arquivada = scope->ColumnInt64(2) != 0;
    entry.nome = scope->ColumnText(3);
    entry.atividade = scope->ColumnInt64(4);
    rooms.push_back(std::move(entry));
  }
}

}  // namespace papo
