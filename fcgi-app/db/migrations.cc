#include "fcgi-app/db/migrations.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "common/embedded_file.h"
#include "common/log.h"

namespace papo {

const std::vector<EmbeddedFile>& SqlMigrationFiles();  // generated from sql/*.sql

namespace {

// Migration files are named NNN_description.sql; NNN is the version they bring.
int VersionOf(const EmbeddedFile& file) {
  int version = 0;
  std::from_chars(file.name.data(), file.name.data() + file.name.size(), version);
  return version;
}

std::vector<const EmbeddedFile*> OrderedMigrations() {
  std::vector<const EmbeddedFile*> files;
  for (const auto& file : SqlMigrationFiles()) files.push_back(&file);
  std::sort(files.begin(), files.end(), [](auto* a, auto* b) { return VersionOf(*a) < VersionOf(*b); });
  return files;
}

Result<int> ReadUserVersion(SqliteDb& db) {
  auto statement = db.Cached("PRAGMA user_version");
  if (!statement.ok()) return statement.status();
  StatementScope scope(**statement);
  auto row = scope->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(scope->ColumnInt64(0));
}

}  // namespace

int LatestSchemaVersion() {
  int latest = 0;
  for (const auto& file : SqlMigrationFiles()) latest = std::max(latest, VersionOf(file));
  return latest;
}

Result<int> ApplyMigrations(SqliteDb& db) {
  int version = 0;
  for (const EmbeddedFile* file : OrderedMigrations()) {
    int target = VersionOf(*file);
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
    PAPO_RETURN_IF_ERROR(db.Exec("PRAGMA user_version = " + std::to_string(target)));
    PAPO_RETURN_IF_ERROR(transaction.Commit());
    version = target;
    Log(LogLevel::kInfo, "schema_migrated").Kv("version", target).Kv("file", std::string(file->name));
  }
  if (version > LatestSchemaVersion()) {
    return Status::Internal("database schema " + std::to_string(version) + " is newer than this papo-app");
  }
  return version;
}

}  // namespace papo
