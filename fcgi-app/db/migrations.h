// Schema migrations (sql/NNN_*.sql, compiled in) applied by PRAGMA
// user_version. Safe when many workers start at once: each migration runs
// in a BEGIN IMMEDIATE transaction that re-reads user_version first.
#pragma once

#include "common/sqlite_db.h"

namespace papo {

// Brings the database to the newest schema. Returns the version reached.
Result<int> ApplyMigrations(SqliteDb& db);

// The number of migrations compiled in (the newest schema version).
int LatestSchemaVersion();

}  // namespace papo
