#include "fcgi-app/db/copy_to_postgres.h"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <memory>
#include <string_view>

#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/postgres/pg_database.h"
#include "fcgi-app/db/sqlite/sqlite_database.h"

namespace papo {
namespace {

constexpr int64_t kProgressEvery = 50'000;
constexpr size_t kCopyChunkBytes = 1 << 20;
constexpr int kSqliteBusyTimeoutMs = 10'000;
constexpr int kSeedRooms = 3;

// Every table, in an order that satisfies the foreign keys. The columns
// are those of both schemas at their newest versions; `checks` are
// aggregates computed alike by both engines, compared after the copy.
struct Table {
  const char* name;
  const char* columns;
  const char* key;     // ORDER BY: the primary key
  bool identity;       // `id` is an identity column on PostgreSQL
  const char* checks;  // after COUNT(*)
};

constexpr Table kTables[] = {
    {"usuario", "id, nome, email, senha_hash, criado_em", "id", true,
     "COALESCE(SUM(id), 0), COALESCE(MAX(id), 0)"},
    {"sala",
     "id, nome, nome_chave, descricao, privada, ativa, criado_por, criado_em, ultimo_seq, arquivada, direta, "
     "ultima_atividade",
     "id", true,
     "COALESCE(SUM(id), 0), COALESCE(MAX(id), 0), COALESCE(SUM(ultimo_seq), 0), COALESCE(SUM(arquivada), 0), "
     "COALESCE(SUM(direta), 0)"},
    {"sala_membro", "sala_id, usuario_id, papel", "sala_id, usuario_id", false,
     "COALESCE(SUM(sala_id), 0), COALESCE(SUM(usuario_id), 0), COUNT(*) FILTER (WHERE papel = 'dono')"},
    {"conversa_direta", "usuario_menor, usuario_maior, sala_id", "usuario_menor, usuario_maior", false,
     "COALESCE(SUM(usuario_menor), 0), COALESCE(SUM(usuario_maior), 0), COALESCE(SUM(sala_id), 0)"},
    {"sessao", "token_hash, usuario_id, csrf_token, criado_em, expira_em", "token_hash", false,
     "COALESCE(SUM(usuario_id), 0)"},
    {"chat_mensagem", "id, sala_id, seq, usuario_id, mensagem, data_envio, client_id, editada_em, excluida", "id", true,
     "COALESCE(SUM(id), 0), COALESCE(MAX(id), 0), COALESCE(SUM(seq), 0), COALESCE(SUM(LENGTH(mensagem)), 0), "
     "COALESCE(SUM(excluida), 0), COALESCE(SUM(editada_em), 0)"},
    {"reacao", "mensagem_id, usuario_id, emoji, criado_em", "mensagem_id, usuario_id, emoji", false,
     "COALESCE(SUM(mensagem_id), 0), COALESCE(SUM(usuario_id), 0), COALESCE(SUM(LENGTH(emoji)), 0)"},
    {"mencao", "mensagem_id, usuario_id, sala_id, seq", "mensagem_id, usuario_id", false,
     "COALESCE(SUM(mensagem_id), 0), COALESCE(SUM(usuario_id), 0), COALESCE(SUM(seq), 0)"},
    {"leitura", "sala_id, usuario_id, ultimo_seq_lido", "sala_id, usuario_id", false,
     "COALESCE(SUM(ultimo_seq_lido), 0)"},
};

// Per room: id, ultimo_seq, newest seq, message count.
constexpr const char* kRoomSeqsSql =
    "SELECT s.id, s.ultimo_seq, COALESCE(MAX(m.seq), 0), COUNT(m.id) FROM sala s "
    "LEFT JOIN chat_mensagem m ON m.sala_id = s.id GROUP BY s.id, s.ultimo_seq ORDER BY s.id";

using Row = std::vector<std::string>;

struct Snapshot {
  std::vector<Row> tables;  // per kTables entry: COUNT(*), then its checks
  std::vector<Row> rooms;   // kRoomSeqsSql
};

// The number of items in a comma-separated SQL list (commas inside
// parentheses belong to an item).
int ColumnCount(std::string_view list) {
  int count = 1;
  int depth = 0;
  for (char c : list) {
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    count += c == ',' && depth == 0;
  }
  return count;
}

bool Contains(std::string_view list, std::string_view column) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (item.starts_with(' ')) item.remove_prefix(1);
    if (item == column) return true;
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return false;
}

Status WithContext(const Status& status, const std::string& context) {
  return Status(status.code(), context + ": " + status.message());
}

std::string Joined(const Row& row) {
  std::string text;
  for (const auto& value : row) text += (text.empty() ? "" : "/") + value;
  return text;
}

std::string Seconds(std::chrono::steady_clock::duration elapsed) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", std::chrono::duration<double>(elapsed).count());
  return text;
}

Result<std::vector<Row>> QueryRows(Database& db, const std::string& sql, int columns) {
  auto statement = db.Cached(sql);
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  std::vector<Row> rows;
  while (true) {
    auto step = scope->Step();
    if (!step.ok()) return step.status();
    if (!*step) return rows;
    Row& row = rows.emplace_back();
    for (int i = 0; i < columns; ++i) row.push_back(scope->ColumnIsNull(i) ? "NULL" : scope->ColumnText(i));
  }
}

Result<Snapshot> TakeSnapshot(Database& db) {
  Snapshot snapshot;
  for (const Table& table : kTables) {
    auto rows = QueryRows(db, std::string("SELECT COUNT(*), ") + table.checks + " FROM " + table.name,
                          1 + ColumnCount(table.checks));
    if (!rows.ok()) return rows.status();
    snapshot.tables.push_back(std::move(rows->front()));
  }
  auto rooms = QueryRows(db, kRoomSeqsSql, 4);
  if (!rooms.ok()) return rooms.status();
  snapshot.rooms = std::move(rooms).value();
  return snapshot;
}

// Every column of every table is one this copy knows: a column a later
// migration adds must be added to kTables, never dropped silently.
Status CheckColumns(Database& db, const std::string& side) {
  const std::string sql = db.backend() == Backend::kSqlite
                              ? "SELECT name FROM pragma_table_info(?1)"
                              : "SELECT column_name FROM information_schema.columns "
                                "WHERE table_schema = current_schema() AND table_name = ?1"
                                // The search vector is computed by its trigger on every row
                                // copied (sql/postgres/004_busca.sql); generated columns too.
                                " AND is_generated = 'NEVER'"
                                " AND NOT (table_name = 'chat_mensagem' AND column_name = 'busca')";
  for (const Table& table : kTables) {
    auto statement = db.Cached(sql);
    if (!statement.ok()) return statement.status();
    StatementScope scope(**statement);
    scope->Bind(1, std::string_view(table.name));
    while (true) {
      auto row = scope->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      std::string column = scope->ColumnText(0);
      if (!Contains(table.columns, column)) {
        return Status::Internal(side + " table " + table.name + " has a column this papo-app cannot copy: " +
                                column);
      }
    }
  }
  return Status::Ok();
}

// The source: the file must exist, SqliteDatabase::Open would create it.
Result<std::unique_ptr<SqliteDatabase>> OpenSource(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return Status::FromErrno("SQLite database " + path, errno);
  if (!S_ISREG(info.st_mode)) return Status::InvalidArgument("SQLite database " + path + ": not a regular file");
  auto db = SqliteDatabase::Open(path, kSqliteBusyTimeoutMs, "normal");
  if (!db.ok()) return WithContext(db.status(), "SQLite database " + path);
  auto version = ApplyMigrations(**db);
  if (!version.ok()) return WithContext(version.status(), "SQLite migrations");
  PAPO_RETURN_IF_ERROR(CheckColumns(**db, "source"));
  return db;
}

// A read transaction on the source: every query sees one snapshot.
class SqliteReadTransaction final {
 public:
  explicit SqliteReadTransaction(Database& db) : db_(db) {}
  ~SqliteReadTransaction() {
    if (open_) (void)db_.Exec("ROLLBACK");  // it wrote nothing
  }
  SqliteReadTransaction(const SqliteReadTransaction&) = delete;
  SqliteReadTransaction& operator=(const SqliteReadTransaction&) = delete;
  Status Begin() {
    PAPO_RETURN_IF_ERROR(db_.Exec("BEGIN"));
    open_ = true;
    return Status::Ok();
  }

 private:
  Database& db_;
  bool open_ = false;
};

// REQUIRES: a transaction is open on `target`. Waits at most 10 s for
// papo-app workers (or another copy) that use the tables.
Status LockTarget(PgDatabase& target) {
  PAPO_RETURN_IF_ERROR(target.Exec("SET LOCAL lock_timeout = '10s'"));
  Status locked = target.Exec("SELECT pg_advisory_xact_lock(1885433967)");  // the migrations' lock
  if (locked.ok()) {
    locked = target.Exec(
        "LOCK TABLE usuario, sessao, sala, sala_membro, conversa_direta, chat_mensagem, reacao, mencao, leitura "
        "IN EXCLUSIVE MODE");
  }
  if (!locked.ok()) return WithContext(locked, "the target is in use (stop its papo-app workers)");
  return Status::Ok();
}

// Empty: no rows but the seed rooms a fresh schema has (at most three rooms,
// none created by a user, none with a message).
Status CheckTargetEmpty(PgDatabase& target) {
  std::string found;
  for (const char* table :
       {"usuario", "sessao", "sala_membro", "conversa_direta", "chat_mensagem", "reacao", "mencao", "leitura"}) {
    auto rows = QueryRows(target, std::string("SELECT COUNT(*) FROM ") + table, 1);
    if (!rows.ok()) return rows.status();
    const std::string& count = rows->front()[0];
    if (count != "0") found += std::string(found.empty() ? "" : ", ") + "table " + table + " has " + count + " rows";
  }
  auto rooms = QueryRows(target,
                         "SELECT COUNT(*), COUNT(*) FILTER (WHERE criado_por IS NOT NULL OR ultimo_seq <> 0) "
                         "FROM sala",
                         2);
  if (!rooms.ok()) return rooms.status();
  const Row& sala = rooms->front();
  if (std::stoll(sala[0]) > kSeedRooms || sala[1] != "0") {
    found += std::string(found.empty() ? "" : ", ") + "table sala has " + sala[0] + " rows (more than the seed rooms)";
  }
  if (!found.empty()) return Status::Conflict("the target database is not empty: " + found + "; nothing was changed");
  return Status::Ok();
}

// COPY text format: backslash, tab, newline and carriage return escaped;
// NULL is \N.
void AppendCopyField(const Statement& row, int column, std::string& out) {
  if (row.ColumnIsNull(column)) {
    out += "\\N";
    return;
  }
  for (char c : row.ColumnText(column)) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

// Ends a COPY … FROM STDIN (aborting it with `abort_reason` unless null)
// and returns the server's verdict.
Status EndCopy(PgDatabase& target, const char* abort_reason, const std::string& context) {
  PGconn* conn = target.get();
  Status status;
  if (PQputCopyEnd(conn, abort_reason) != 1) status = target.ErrorStatus(nullptr, context);
  while (PGresult* raw = PQgetResult(conn)) {
    PgResult result(raw);
    if (status.ok() && PQresultStatus(raw) != PGRES_COMMAND_OK) status = target.ErrorStatus(raw, context);
  }
  return status;
}

Status SendCopyData(PgDatabase& target, std::string& buffer, const std::string& context) {
  if (buffer.empty()) return Status::Ok();
  if (PQputCopyData(target.get(), buffer.data(), static_cast<int>(buffer.size())) != 1) {
    return target.ErrorStatus(nullptr, context);
  }
  buffer.clear();
  return Status::Ok();
}

// Streams the source rows of `table` into COPY … FROM STDIN.
Status StreamRows(Database& source, PgDatabase& target, const Table& table, int64_t total, std::ostream& progress) {
  auto select = source.Cached(std::string("SELECT ") + table.columns + " FROM " + table.name + " ORDER BY " +
                              table.key);
  if (!select.ok()) return select.status();
  StatementScope scope(**select);
  const int columns = ColumnCount(table.columns);
  const std::string context = std::string("COPY ") + table.name;
  std::string buffer;
  buffer.reserve(kCopyChunkBytes + 64 * 1024);
  for (int64_t copied = 0;;) {
    auto step = scope->Step();
    if (!step.ok()) return WithContext(step.status(), std::string("reading ") + table.name);
    if (!*step) break;
    for (int i = 0; i < columns; ++i) {
      if (i > 0) buffer += '\t';
      AppendCopyField(*scope, i, buffer);
    }
    buffer += '\n';
    if (buffer.size() >= kCopyChunkBytes) PAPO_RETURN_IF_ERROR(SendCopyData(target, buffer, context));
    if (++copied % kProgressEvery == 0) {
      progress << "copy-to: " << table.name << ": " << copied << "/" << total << " rows" << std::endl;
    }
  }
  return SendCopyData(target, buffer, context);
}

Status CopyTable(Database& source, PgDatabase& target, const Table& table, int64_t total, std::ostream& progress) {
  auto started = std::chrono::steady_clock::now();
  progress << "copy-to: " << table.name << ": copying " << total << " rows" << std::endl;
  const std::string sql = std::string("COPY ") + table.name + " (" + table.columns + ") FROM STDIN";
  PgResult begin(PQexec(target.get(), sql.c_str()));
  if (begin == nullptr || PQresultStatus(begin.get()) != PGRES_COPY_IN) return target.ErrorStatus(begin.get(), sql);
  Status streamed = StreamRows(source, target, table, total, progress);
  Status ended = EndCopy(target, streamed.ok() ? nullptr : "papo-app --copy-to stopped", sql);
  PAPO_RETURN_IF_ERROR(streamed);
  PAPO_RETURN_IF_ERROR(ended);
  progress << "copy-to: " << table.name << ": " << total << " rows in "
           << Seconds(std::chrono::steady_clock::now() - started) << std::endl;
  return Status::Ok();
}

// The next id of each identity column is max(id) + 1 (1 for an empty table).
Status SetSequences(PgDatabase& target) {
  for (const Table& table : kTables) {
    if (!table.identity) continue;
    std::string name = table.name;
    PAPO_RETURN_IF_ERROR(target.Exec("SELECT setval(pg_get_serial_sequence('" + name + "', 'id'), "
                                     "COALESCE(MAX(id), 0) + 1, false) FROM " + name));
  }
  return Status::Ok();
}

Status Verify(PgDatabase& target, const Snapshot& source) {
  auto copied = TakeSnapshot(target);
  if (!copied.ok()) return copied.status();
  for (size_t i = 0; i < std::size(kTables); ++i) {
    if (copied->tables[i] != source.tables[i]) {
      return Status::Internal(std::string("verification failed: table ") + kTables[i].name + " COUNT(*)/" +
                              kTables[i].checks + " is " + Joined(copied->tables[i]) + " on the target but " +
                              Joined(source.tables[i]) + " on the source");
    }
  }
  if (copied->rooms != source.rooms) {
    return Status::Internal("verification failed: per-room seqs and message counts differ from the source");
  }
  // A room whose newest message is past ultimo_seq would refuse its next
  // message (UNIQUE(sala_id, seq)). Below it is a gap (messages deleted by
  // hand), which papo-app runs with.
  for (const Row& room : copied->rooms) {
    if (std::stoll(room[2]) > std::stoll(room[1])) {
      return Status::Internal("sala " + room[0] + " has ultimo_seq " + room[1] + " but a message with seq " +
                              room[2] + ": the source is inconsistent");
    }
  }
  return Status::Ok();
}

// REQUIRES: a transaction is open on `target`.
Status CopyInTransaction(Database& source, PgDatabase& target, const Snapshot& snapshot, std::ostream& progress) {
  PAPO_RETURN_IF_ERROR(LockTarget(target));
  PAPO_RETURN_IF_ERROR(CheckTargetEmpty(target));
  PAPO_RETURN_IF_ERROR(target.Exec("DELETE FROM sala"));  // the seed rooms: the source has its own
  for (size_t i = 0; i < std::size(kTables); ++i) {
    PAPO_RETURN_IF_ERROR(CopyTable(source, target, kTables[i], std::stoll(snapshot.tables[i][0]), progress));
  }
  PAPO_RETURN_IF_ERROR(SetSequences(target));
  progress << "copy-to: verifying" << std::endl;
  return Verify(target, snapshot);
}

}  // namespace

Result<CopyReport> CopyToPostgres(const std::string& sqlite_path, const std::string& uri, std::ostream& progress) {
  auto started = std::chrono::steady_clock::now();
  auto source = OpenSource(sqlite_path);
  if (!source.ok()) return source.status();
  auto target = PgDatabase::Open(uri);
  if (!target.ok()) return target.status();
  auto version = ApplyMigrations(**target);
  if (!version.ok()) return WithContext(version.status(), "PostgreSQL migrations");
  PAPO_RETURN_IF_ERROR(CheckColumns(**target, "target"));

  SqliteReadTransaction read(**source);
  PAPO_RETURN_IF_ERROR(read.Begin());
  auto snapshot = TakeSnapshot(**source);
  if (!snapshot.ok()) return WithContext(snapshot.status(), "reading the source");
  WriteTransaction write(**target);
  PAPO_RETURN_IF_ERROR(write.Begin());
  PAPO_RETURN_IF_ERROR(CopyInTransaction(**source, **target, *snapshot, progress));
  PAPO_RETURN_IF_ERROR(write.Commit());

  CopyReport report;
  int64_t total = 0;
  for (size_t i = 0; i < std::size(kTables); ++i) {
    report.rows.emplace_back(kTables[i].name, std::stoll(snapshot->tables[i][0]));
    total += report.rows.back().second;
  }
  // Fresh statistics, so the first queries on a large copy are planned well.
  if (!(*target)->Exec("ANALYZE usuario, sessao, sala, sala_membro, chat_mensagem, reacao, mencao, leitura").ok()) {
    progress << "copy-to: ANALYZE failed (autovacuum will do it later)" << std::endl;
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  progress << "copy-to: copied and verified " << total << " rows in " << std::size(kTables) << " tables in "
           << Seconds(std::chrono::steady_clock::now() - started) << std::endl;
  return report;
}

}  // namespace papo
