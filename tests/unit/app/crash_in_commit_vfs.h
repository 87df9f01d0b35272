// A SQLite VFS for tests that kills its process inside COMMIT: it forwards
// everything to the default (unix) VFS, and once armed, the sync of the WAL
// that follows a commit frame — which with synchronous=FULL a commit does
// after appending its frames and before publishing them in the wal-index —
// calls _exit. That is
// the moment a kill -9 of a papo-app writer can fall on (issue 14, item 11).
#pragma once

namespace papo::testing {

// Registers the VFS (not as default) under this name; idempotent.
const char* RegisterCrashInCommitVfs();
// From now on the next WAL sync of this process ends it with `exit_code`.
void ArmCrashInCommit(int exit_code);

}  // namespace papo::testing
