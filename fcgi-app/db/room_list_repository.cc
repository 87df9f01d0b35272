#include "fcgi-app/db/room_list_repository.h"

namespace papo {

// One row per visible room, each cheap: the newest message's time is one
// (sala_id, seq) index probe at s.ultimo_seq, membership one sala_membro
// primary-key probe, a direct message's name one conversa_direta probe.
// No unread counts here (those cost a range scan per room).
Result<std::vector<RoomListEntry>> RoomListRepository::Ordered(int64_t usuario_id) {
  static const std::string sql =
      "SELECT s.id, s.direta, s.arquivada,"
      " CASE WHEN s.direta = 1 THEN COALESCE((SELECT u.nome FROM conversa_direta cd JOIN usuario u"
      "   ON u.id = CASE WHEN cd.usuario_menor = ?1 THEN cd.usuario_maior ELSE cd.usuario_menor END"
      "   WHERE cd.sala_id = s.id), '') ELSE s.nome END,"
      " COALESCE((SELECT m.data_envio FROM chat_mensagem m WHERE m.sala_id = s.id AND m.seq = s.ultimo_seq),"
      "   s.criado_em) AS atividade"
      " FROM sala s"
      " WHERE s.ativa = 1 AND (s.privada = 0 OR EXISTS"
      "   (SELECT 1 FROM sala_membro sm WHERE sm.sala_id = s.id AND sm.usuario_id = ?1))"
      " ORDER BY atividade DESC, s.id DESC";
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
