#include "fcgi-app/db/migrations.h"

#include <algorithm>
#include <charconv>

#include "fcgi-app/db/migration_files.h"

namespace papo {

const std::vector<EmbeddedFile>& SqliteMigrationFiles();    // generated from sql/sqlite/*.sql
const std::vector<EmbeddedFile>& PostgresMigrationFiles();  // generated from sql/postgres/*.sql

int MigrationVersion(const EmbeddedFile& file) {
  int version = 0;
  std::from_chars(file.name.data(), file.name.data() + file.name.size(), version);
  return version;
}

std::vector<const EmbeddedFile*> OrderedMigrations(Backend backend) {
  std::vector<const EmbeddedFile*> files;
  for (const auto& file : backend == Backend::kSqlite ? SqliteMigrationFiles() : PostgresMigrationFiles()) {
    files.push_back(&file);
  }
  std::sort(files.begin(), files.end(),
            [](auto* a, auto* b) { return MigrationVersion(*a) < MigrationVersion(*b); });
  return files;
}

int LatestSchemaVersion(Backend backend) {
  auto files = OrderedMigrations(backend);
  return files.empty() ? 0 : MigrationVersion(*files.back());
}

Result<int> ApplyMigrations(Database& db) { return ApplyMigrations(db, LatestSchemaVersion(db.backend())); }

Result<int> ApplyMigrations(Database& db, int up_to) {
  auto version = db.backend() == Backend::kSqlite ? ApplySqliteMigrations(db, up_to)
                                                  : ApplyPostgresMigrations(db, up_to);
  if (version.ok() && *version > LatestSchemaVersion(db.backend())) {
    return Status::Internal("database schema " + std::to_string(*version) + " is newer than this papo-app");
  }
  return version;
}

}  // namespace papo
