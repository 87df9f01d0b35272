// Schema migrations (sql/NNN_*.sql, compiled in) applied by PRAGMA
// user_version. Safe when many workers start at once: each migration runs
// in a BEGIN IMMEDIATE transaction that re-reads user_version first. A
// migration may have a C++ step (data SQL cannot compute, such as folded
// keys), run after its SQL inside that same transaction.
#pragma once

#include "common/sqlite_db.h"

namespace papo {

// Brings the database to the newest schema. Returns the version reached.
Result<int> ApplyMigrations(SqliteDb& db);
// Stops at schema `up_to` (tests: a database as an older papo-app left it).
Result<int> ApplyMigrations(SqliteDb& db, int up_to);

// The number of migrations compiled in (the newest schema version).
int LatestSchemaVersion();

}  // namespace papo
