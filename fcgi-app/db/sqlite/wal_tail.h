// WalTail: reads what SQLite's WAL holds past the end of its index, to find
// a commit that a killed process left behind (issue 14, item 11).
//
// How the hazard arises. A COMMIT in WAL mode (1) appends the transaction's
// frames to `<db>-wal` and, with synchronous=FULL, syncs them, then (2)
// publishes them by advancing `mxFrame` in the wal-index header (`<db>-shm`,
// shared memory). A process killed between (1) and (2) leaves a complete
// commit in the file that no live connection sees. What happens to it next
// depends on timing alone: the next writer appends at mxFrame + 1 and
// overwrites it (gone), but on a quiet database it waits until every
// process has closed the file; then the first one to open it rebuilds the
// index from the WAL and the message appears, seconds or days later, long
// after its sender was told 502 and perhaps resent it.
//
// papo makes the outcome deterministic: such a commit is never
// acknowledged (COMMIT did not return, so no 200 went out), so it is
// discarded. SqliteDatabase::SweepInterruptedCommit writes one frame over
// it, at start-up and every second from the republisher's thread; the
// client's resend with the same client_id stores the message once. (When no
// process survives the kill, SQLite's own recovery at the next start finds
// the commit first and it is stored, before papo-app serves anything; the
// resend then answers with it. Either way the client sees one message.)
//
// The formats read here are SQLite's documented on-disk ones
// (https://sqlite.org/walformat.html, https://sqlite.org/fileformat2.html#walformat):
// the first copy of the wal-index header at offset 0 of `-shm` (native
// byte order), and the 32-byte WAL header and 24-byte frame headers
// (big-endian).
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"

namespace papo {

struct WalTail {
  uint32_t indexed_frames = 0;  // mxFrame: frames live connections see
  // The frame right after them (or the first frame of a WAL generation
  // the index does not know yet) carries the salts of the WAL's header: a
  // writer wrote it and never indexed it. Either a writer is in the middle
  // of a commit right now, or one died there; only a caller holding the
  // write lock can tell the two apart.
  bool frames_past_index = false;
};

// Reads `<db_path>-shm` and `<db_path>-wal`. A database without them (not
// in WAL mode, or no connection yet) has no tail: {0, false}.
Result<WalTail> ReadWalTail(const std::string& db_path);

}  // namespace papo
