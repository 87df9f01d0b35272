#include "fcgi-app/db/mention_repository.h"

#include <algorithm>

namespace papo {

// A public room's authors are read among its newest 1,000 messages (the
// (sala_id, seq) index bounds the scan): a room of a million messages must
// not be read whole for each "@". Older authors still count once the page
// has recorded their read position.
Result<std::vector<MentionCandidate>> MentionRepository::Members(int64_t sala_id, bool privada) {
  auto statement = db_.Cached(
      privada ? "SELECT u.id, u.nome FROM sala_membro sm JOIN usuario u ON u.id = sm.usuario_id "
                "WHERE sm.sala_id = ?1 ORDER BY u.nome, u.id"
              : "SELECT u.id, u.nome FROM usuario u WHERE u.id IN (SELECT l.usuario_id FROM leitura l "
                "WHERE l.sala_id = ?1 UNION SELECT m.usuario_id FROM chat_mensagem m WHERE m.sala_id = ?1 AND m.seq > "
                "(SELECT s.ultimo_seq FROM sala s WHERE s.id = ?1) - 1000) "
                "ORDER BY u.nome, u.id");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, sala_id);
  std::vector<MentionCandidate> members;
  while (true) {
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return members;
    members.push_back({scope->ColumnInt64(0), scope->ColumnText(1)});
  }
}

Result<std::vector<int64_t>> MentionRepository::Stored(int64_t mensagem_id) {
  auto statement = db_.Cached("SELECT usuario_id FROM mencao WHERE mensagem_id = ?1 ORDER BY usuario_id");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, mensagem_id);
  std::vector<int64_t> ids;
  while (true) {
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return ids;
    ids.push_back(scope->ColumnInt64(0));
  }
}

Result<std::vector<int64_t>> MentionRepository::Replace(int64_t mensagem_id, int64_t sala_id, int64_t seq,
                                                        const std::vector<int64_t>& usuario_ids) {
  WriteTransaction transaction(db_);
  PAPO_RETURN_IF_ERROR(transaction.Begin());
  auto before = Stored(mensagem_id);
  if (!before.ok()) return before.status();
  std::vector<int64_t> wanted = usuario_ids;
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<int64_t> added;
  std::set_difference(wanted.begin(), wanted.end(), before->begin(), before->end(), std::back_inserter(added));
  std::vector<int64_t> removed;
  std::set_difference(before->begin(), before->end(), wanted.begin(), wanted.end(), std::back_inserter(removed));
  if (!removed.empty()) {
    auto statement = db_.Cached("DELETE FROM mencao WHERE mensagem_id = ?1 AND usuario_id = ?2");
    if (!statement.ok()) return statement.status();
    for (int64_t usuario_id : removed) {
      StatementScope scope(**statement);
      PAPO_RETURN_IF_ERROR(scope->Bind(1, mensagem_id).Bind(2, usuario_id).Run());
    }
  }
  if (!added.empty()) {
    auto statement = db_.Cached("INSERT INTO mencao (mensagem_id, usuario_id, sala_id, seq) VALUES (?1, ?2, ?3, ?4)");
    if (!statement.ok()) return statement.status();
    for (int64_t usuario_id : added) {
      StatementScope scope(**statement);
      PAPO_RETURN_IF_ERROR(scope->Bind(1, mensagem_id).Bind(2, usuario_id).Bind(3, sala_id).Bind(4, seq).Run());
    }
  }
  PAPO_RETURN_IF_ERROR(transaction.Commit());
  return added;
}

Result<std::map<int64_t, int64_t>> MentionRepository::UnreadCounts(int64_t usuario_id) {
  auto statement = db_.Cached(
      "SELECT n.sala_id, COUNT(*) FROM mencao n "
      "JOIN chat_mensagem m ON m.id = n.mensagem_id "
      "LEFT JOIN leitura l ON l.sala_id = n.sala_id AND l.usuario_id = n.usuario_id "
      "WHERE n.usuario_id = ?1 AND n.seq > COALESCE(l.ultimo_seq_lido, 0) AND m.excluida = 0 "
      "GROUP BY n.sala_id");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, usuario_id);
  std::map<int64_t, int64_t> counts;
  while (true) {
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return counts;
    counts[scope->ColumnInt64(0)] = scope->ColumnInt64(1);
  }
}

}  // namespace papo
