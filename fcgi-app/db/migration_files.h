// The migration files of one backend, in version order (migrations.h).
// Internal to fcgi-app/db.
#pragma once

#include <vector>

#include "common/embedded_file.h"
#include "fcgi-app/db/database.h"

namespace papo {

// Files are named NNN_description.sql; NNN is the version they bring.
int MigrationVersion(const EmbeddedFile& file);
std::vector<const EmbeddedFile*> OrderedMigrations(Backend backend);

// Per backend, with the same contract as ApplyMigrations(db, up_to).
Result<int> ApplySqliteMigrations(Database& db, int up_to);
Result<int> ApplyPostgresMigrations(Database& db, int up_to);

}  // namespace papo
