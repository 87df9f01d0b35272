// `papo-app --copy-to <postgresql URI>` (DESIGN §7): moves an installation
// from the SQLite tier to PostgreSQL, keeping every id, seq, session,
// membership and read position, so cookies stay valid and clients resume
// their streams where they were.
//
// The workers that use the SQLite file must be stopped first. That cannot
// be verified (a worker on another host may hold the file open); the copy
// reads inside one SQLite read transaction, so what it copies is one
// consistent snapshot, but messages written after it began are not copied.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace papo {

struct CopyReport {
  std::vector<std::pair<std::string, int64_t>> rows;  // per table, in copy order
  double seconds = 0;
};

// Copies the SQLite database at `sqlite_path` into the PostgreSQL database
// at `uri`:
//  - the source must exist (it is never created); its migrations are applied
//    first, bringing an older file to the newest schema;
//  - the target gets its migrations, then, in one transaction holding the
//    migrations' advisory lock and an EXCLUSIVE lock on every table: it must
//    be empty (no rows but the seed rooms of a fresh schema, which are
//    replaced), every table is copied with its ids (COPY … FROM STDIN),
//    identity sequences are moved past the largest id, and the target's
//    counts, id sums and per-room seqs must equal the source's before COMMIT.
// Any failure rolls the target back to what it was.
//
// Progress goes to `progress`: a line per table, one every 50,000 rows and
// the totals. Errors: NotFound (no source file); Conflict (the target is not
// empty: the message names each table and its row count); Unavailable (a
// server that cannot be reached or a lock not granted); Internal (a column
// this papo-app does not know, a row the target refuses, a verification that
// found a difference). The message says which step failed.
Result<CopyReport> CopyToPostgres(const std::string& sqlite_path, const std::string& uri, std::ostream& progress);

}  // namespace papo
