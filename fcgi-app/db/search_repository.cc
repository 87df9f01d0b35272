#include "fcgi-app/db/search_repository.h"

#include <limits>

namespace papo {
namespace {

// What both backends' queries share after the match: the page bound, the
// optional room, no tombstones, and the room rule of CheckRoomAccess
// (room_access.h) for the reader ?1.
constexpr std::string_view kVisibleAndBefore =
    " AND (?4 = 0 OR m.sala_id = ?4) AND m.excluida = 0 AND s.ativa = 1"
    " AND (s.privada = 0 OR EXISTS (SELECT 1 FROM sala_membro sm WHERE sm.sala_id = s.id AND sm.usuario_id = ?1))";

// FTS5 walks the index newest first from the rowid bound (no sort: the
// plan is "SCAN chat_mensagem_busca VIRTUAL TABLE INDEX …:M1<"), joining each
// candidate to its message and room by primary key, until `limit` rows
// pass the room rule.
const std::string& SqliteSql() {
  static const std::string sql =
      "SELECT m.id FROM chat_mensagem_busca JOIN chat_mensagem m ON m.id = chat_mensagem_busca.rowid"
      " JOIN sala s ON s.id = m.sala_id"
      " WHERE chat_mensagem_busca MATCH ?2 AND chat_mensagem_busca.rowid < ?3" +
      std::string(kVisibleAndBefore) + " ORDER BY chat_mensagem_busca.rowid DESC LIMIT ?5";
  return sql;
}

// ?2 is a to_tsquery text of quoted words joined by &.
const std::string& PostgresSql() {
  static const std::string sql =
      "SELECT m.id FROM chat_mensagem m JOIN sala s ON s.id = m.sala_id"
      " WHERE m.busca @@ to_tsquery('papo_busca', ?2) AND m.id < ?3" +
      std::string(kVisibleAndBefore) + " ORDER BY m.id DESC LIMIT ?5";
  return sql;
}

// FTS5: each word a quoted string (no FTS syntax can leak in: words hold
// only letters and digits), side by side = AND.
std::string FtsQuery(const std::vector<std::string>& words) {
  std::string query;
  for (const std::string& word : words) {
    if (!query.empty()) query += ' ';
    query += '"' + word + '"';
  }
  return query;
}

// tsquery: 'word' & 'word'; to_tsquery passes each through papo_busca
// (unaccent, lower case), as the index was built.
std::string TsQuery(const std::vector<std::string>& words) {
  std::string query;
  for (const std::string& word : words) {
    if (!query.empty()) query += " & ";
    query += '\'' + word + '\'';
  }
  return query;
}

}  // namespace

Result<std::vector<int64_t>> SearchRepository::Search(const MessageSearch& search) {
  bool postgres = db_.backend() == Backend::kPostgres;
  auto statement = db_.Cached(postgres ? PostgresSql() : SqliteSql());
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  std::string match = postgres ? TsQuery(search.words) : FtsQuery(search.words);
  int64_t before = search.antes_id > 0 ? search.antes_id : std::numeric_limits<int64_t>::max();
  scope->Bind(1, search.usuario_id).Bind(2, match).Bind(3, before).Bind(4, search.sala_id);
  scope->Bind(5, int64_t{search.limit});
  std::vector<int64_t> ids;
  while (true) {
    auto row = scope->Step();
    if (!row.ok()) return row.status();
    if (!*row) return ids;
    ids.push_back(scope->ColumnInt64(0));
  }
}

}  // namespace papo
