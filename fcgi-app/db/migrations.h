// Schema migrations, compiled in: sql/sqlite/NNN_*.sql and
// sql/postgres/NNN_*.sql, each backend its own series (NNN is the version a
// file brings). Applied at start-up by every papo-app; safe when many
// workers on many hosts start at once:
//  - SQLite: version in PRAGMA user_version; each migration in a BEGIN
//    IMMEDIATE transaction that re-reads the version first. A migration may
//    have a C++ step (data SQL cannot compute, such as folded keys), run
//    after its SQL in that same transaction.
//  - PostgreSQL: version in the table papo_esquema; one transaction holding
//    an advisory lock applies what is missing (DDL is transactional there).
#pragma once

#include "fcgi-app/db/database.h"

namespace papo {

// Brings the database to the newest schema. Returns the version reached.
Result<int> ApplyMigrations(Database& db);
// Stops at schema `up_to` (tests: a database as an older papo-app left it).
Result<int> ApplyMigrations(Database& db, int up_to);

// The number of migrations compiled in for `backend` (its newest version).
int LatestSchemaVersion(Backend backend);

}  // namespace papo
