// PostgreSQL migrations (migrations.h): one transaction that first takes an
// advisory lock, so workers starting together on many hosts apply each
// migration once and the others wait, then find the schema current.
#include <string>

#include "common/log.h"
#include "fcgi-app/db/migration_files.h"

namespace papo {
namespace {

// pg_advisory_xact_lock key: "papo" in ASCII, held until COMMIT/ROLLBACK.
constexpr std::string_view kLockSql = "SELECT pg_advisory_xact_lock(1885433967)";

Result<int> ReadVersion(Database& db) {
  PAPO_RETURN_IF_ERROR(db.Exec("CREATE TABLE IF NOT EXISTS papo_esquema (versao integer NOT NULL)"));
  auto statement = db.Cached("SELECT COALESCE(MAX(versao), 0) FROM papo_esquema");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(scope->ColumnInt64(0));
}

Status WriteVersion(Database& db, int version) {
  PAPO_RETURN_IF_ERROR(db.Exec("DELETE FROM papo_esquema"));
  auto statement = db.Cached("INSERT INTO papo_esquema (versao) VALUES (?1)");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  scope->Bind(1, int64_t{version});
  return scope->Run();
}

}  // namespace

Result<int> ApplyPostgresMigrations(Database& db, int up_to) {
  WriteTransaction transaction(db);
  PAPO_RETURN_IF_ERROR(transaction.Begin());
  PAPO_RETURN_IF_ERROR(db.Exec(kLockSql));
  auto current = ReadVersion(db);
  if (!current.ok()) return current.status();
  int version = *current;
  for (const EmbeddedFile* file : OrderedMigrations(Backend::kPostgres)) {
    int target = MigrationVersion(*file);
    if (target > up_to) break;
    if (version >= target) continue;
    if (version != target - 1) {
      return Status::Internal("schema version " + std::to_string(version) + " cannot take migration " +
                              std::string(file->name));
    }
    PAPO_RETURN_IF_ERROR(db.Exec(file->contents));
    version = target;
    Log(LogLevel::kInfo, "schema_migrated").Kv("version", target).Kv("file", std::string(file->name));
  }
  if (version != *current) PAPO_RETURN_IF_ERROR(WriteVersion(db, version));
  PAPO_RETURN_IF_ERROR(transaction.Commit());
  return version;
}

}  // namespace papo
