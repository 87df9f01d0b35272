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

// Private rooms listed in the MATCH at most: past this many (one OR term
// each) the index filter costs more than it saves, and the room rule
// after it alone decides.
constexpr int kMaxRoomsInMatch = 200;

// FTS5 walks the index newest first from the rowid bound (no sort: the
// plan is "SCAN chat_mensagem_busca VIRTUAL TABLE INDEX …:M1<"), joining each
// candidate to its message and room by primary key, until `limit` rows
// pass the room rule. The MATCH also requires the acesso column
// (sql/sqlite/005_busca.sql) to be 'publica' or one of the reader's
// private rooms, built from sala_membro in the same statement: a word
// frequent in rooms the reader cannot see is skipped inside the index.
const std::string& SqliteSql() {
  static const std::string sql =
      "SELECT m.id FROM chat_mensagem_busca JOIN chat_mensagem m ON m.id = chat_mensagem_busca.rowid"
      " JOIN sala s ON s.id = m.sala_id"
      " WHERE chat_mensagem_busca MATCH ('mensagem : (' || ?2 || ')' || CASE"
      "   WHEN (SELECT COUNT(*) FROM sala_membro sm WHERE sm.usuario_id = ?1) > " +
      std::to_string(kMaxRoomsInMatch) +
      "   THEN '' ELSE ' AND acesso : (publica' || COALESCE((SELECT group_concat(' OR s' || sm.sala_id, '')"
      "     FROM sala_membro sm JOIN sala p ON p.id = sm.sala_id AND p.privada = 1 WHERE sm.usuario_id = ?1), '')"
      "     || ')' END)"
      " AND chat_mensagem_busca.rowid < ?3" +
      std::string(kVisibleAndBefore) + " ORDER BY chat_mensagem_busca.rowid DESC LIMIT ?5";
  return sql;
}

// Messages the PostgreSQL query first reads newest first before it turns to
// the GIN index (see PostgresSql).
constexpr int kPostgresWindow = 5000;

// The tsquery: ?2 (quoted words joined by &) ANDed with the reader's access
// lexemes (sql/postgres/004_busca.sql), so the GIN index itself leaves out
// rooms the reader cannot see. A scalar subquery, so that it is computed
// once and may serve as the GIN index's search key.
std::string PostgresTsQuery() {
  return "(SELECT CASE WHEN (SELECT COUNT(*) FROM sala_membro sm WHERE sm.usuario_id = ?1) > " +
         std::to_string(kMaxRoomsInMatch) +
         " THEN to_tsquery('papo_busca', ?2)"
         " ELSE to_tsquery('papo_busca', ?2) && ('''#publica''' || COALESCE((SELECT string_agg(' | ''#s' ||"
         " sm.sala_id || '''', '') FROM sala_membro sm JOIN sala p ON p.id = sm.sala_id AND p.privada = 1"
         " WHERE sm.usuario_id = ?1), ''))::tsquery END)";
}

// PostgreSQL's planner cannot know how a word's matches spread over the
// ids: asked for the newest 20 it walks the primary key backwards, which
// for a rare or absent word reads the whole table (0.5 s at 1,000,000
// messages), or it reads the index's every match and sorts them, which for
// a common word is every fifth row (2 s). So the query says which, in two
// parts run in order under one LIMIT (an Append stops once the page is
// full): the newest kPostgresWindow messages below the bound, checked one
// by one (enough for any word with more than ~20 matches among them), then
// the GIN index below that window, sorted, for words too rare to fill a
// page from the window, whose matches are few ("m.id + 0" keeps the primary
// key out of that part: a bitmap of every id below the window costs 0.2 s). Worst case ~kPostgresWindow rows plus ~20 ×
// (messages / kPostgresWindow) matches (bench/README.md, "Search").
const std::string& PostgresSql() {
  static const std::string window = std::to_string(kPostgresWindow);
  static const std::string sql =
      "(SELECT m.id FROM (SELECT id, sala_id, excluida, busca FROM chat_mensagem WHERE id < ?3"
      "   ORDER BY id DESC LIMIT " + window + ") m JOIN sala s ON s.id = m.sala_id"
      "   WHERE m.busca @@ " + PostgresTsQuery() + std::string(kVisibleAndBefore) +
      "   ORDER BY m.id DESC LIMIT ?5)"
      " UNION ALL"
      " (SELECT m.id FROM chat_mensagem m JOIN sala s ON s.id = m.sala_id"
      "   WHERE m.busca @@ " + PostgresTsQuery() +
      "   AND m.id + 0 < (SELECT MIN(w.id) FROM (SELECT id FROM chat_mensagem WHERE id < ?3 ORDER BY id DESC LIMIT " +
      window + ") w)" + std::string(kVisibleAndBefore) +
      "   ORDER BY m.id + 0 DESC LIMIT ?5)"
      " LIMIT ?5";
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
