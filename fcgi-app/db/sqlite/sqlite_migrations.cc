// SQLite migrations (migrations.h): PRAGMA user_version, one BEGIN
// IMMEDIATE transaction per migration that re-reads the version first.
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/case_fold.h"
#include "common/log.h"
#include "fcgi-app/db/migration_files.h"

namespace papo {
namespace {

Result<int> ReadUserVersion(Database& db) {
  auto statement = db.Cached("PRAGMA user_version");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(scope->ColumnInt64(0));
}

// Version 2 (sql/sqlite/002_sala_nome_chave.sql): the folded name key of
// every room that exists, the seed rooms included. Rooms are taken oldest
// first; when two existing rooms already collide ("Suporte Técnico" and
// "SUPORTE TÉCNICO", both let in by NOCASE), both are kept, so that no room,
// its messages and its links disappear: the later one gets "<key>#<id>" so
// the UNIQUE index holds, and a new room still cannot take either name. An
// operator may rename one of them; the log line names them.
Status FillRoomNameKeys(Database& db) {
  std::vector<std::pair<int64_t, std::string>> rooms;
  {
    auto select = db.Cached("SELECT id, nome FROM sala ORDER BY id");
    if (!select.ok()) return select.status();
    StatementScope scope(**select);
    while (true) {
      auto row = scope->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      rooms.emplace_back(scope->ColumnInt64(0), scope->ColumnText(1));
    }
  }
  auto update = db.Cached("UPDATE sala SET nome_chave = ?2 WHERE id = ?1");
  if (!update.ok()) return update.status();
  std::unordered_set<std::string> taken;
  for (const auto& [id, nome] : rooms) {
    std::string key = FoldCase(nome);
    if (taken.count(key)) {
      Log(LogLevel::kWarn, "schema_room_name_collision").Kv("sala_id", id).Kv("nome", nome);
      do key += "#" + std::to_string(id);  // again if a room is really named "<key>#<id>"
      while (taken.count(key));
    }
    taken.insert(key);
    StatementScope scope(**update);
    scope->Bind(1, id).Bind(2, key);
    PAPO_RETURN_IF_ERROR(scope->Run());
  }
  return Status::Ok();
}

// What a migration needs beyond its SQL, run after it in its transaction.
Status AfterMigration(Database& db, int version) {
  if (version == 2) return FillRoomNameKeys(db);
  return Status::Ok();
}

}  // namespace

Result<int> ApplySqliteMigrations(Database& db, int up_to) {
  int version = 0;
  for (const EmbeddedFile* file : OrderedMigrations(Backend::kSqlite)) {
    int target = MigrationVersion(*file);
    if (target > up_to) break;
    WriteTransaction transaction(db);
    PAPO_RETURN_IF_ERROR(transaction.Begin());
    auto current = ReadUserVersion(db);
    if (!current.ok()) return current.status();
    version = *current;
    if (version >= target) continue;  // another worker got here first
    if (version != target - 1) {
      return Status::Internal("schema version " + std::to_string(version) + " cannot take migration " +
                              std::string(file->name));
    }
    PAPO_RETURN_IF_ERROR(db.Exec(file->contents));
    PAPO_RETURN_IF_ERROR(AfterMigration(db, target));
    PAPO_RETURN_IF_ERROR(db.Exec("PRAGMA user_version = " + std::to_string(target)));
    PAPO_RETURN_IF_ERROR(transaction.Commit());
    version = target;
    Log(LogLevel::kInfo, "schema_migrated").Kv("version", target).Kv("file", std::string(file->name));
  }
  if (version == 0) {  // no file taken (up_to 0): still report what the database has
    auto current = ReadUserVersion(db);
    if (!current.ok()) return current.status();
    version = *current;
  }
  return version;
}

}  // namespace papo
