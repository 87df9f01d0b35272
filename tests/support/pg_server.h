// PgServer: a throwaway PostgreSQL 15 cluster for tests (DESIGN §7): initdb
// into a fresh directory under $TMPDIR (or /tmp), a postgres server on a unix
// socket in that directory only (no TCP), stopped by PID, the directory
// removed afterwards unless PAPO_KEEP_TEST_DIRS=1.
//
// PostgreSQL refuses to run as root: when the test runs as root (CI), initdb
// and postgres run as the user `nobody`, dropped to in the forked child, so
// pid() is the postmaster's own. The directory is therefore not inside the
// test's TempDir (mode 0700, root): $TMPDIR must be enterable by `nobody`.
//
// The binaries come from /usr/lib/postgresql/15/bin (package postgresql-15,
// `deploy/setup --tests`), or from $PAPO_PG_BINDIR.
//
// Thread safety: Uri() and FreshDatabase() may be called from any thread;
// Start/Stop/Kill from one thread at a time. The thread that starts the
// server (constructor, Start) must outlive it: the server gets SIGINT when
// that thread exits, so a test binary killed by a timeout leaves no server
// behind.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <string>

#include "tests/support/process.h"

namespace papo::testing {

class PgServer final {
 public:
  // initdb (user `papo`, trust authentication, UTF8, C.UTF-8), starts the
  // server, waits until it accepts connections and creates database `papo`.
  // Throws std::runtime_error with the end of the logs when it cannot.
  PgServer();
  ~PgServer();  // Stop(), then removes the directory
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // One cluster per test process, started on first use and stopped (by PID)
  // when the process exits normally. Tests take a FreshDatabase() each.
  static PgServer& Shared();

  // Starts again on the same socket and data (after Stop or Kill) and waits
  // until it accepts connections. A no-op when running.
  void Start();
  // Fast shutdown (SIGINT: open sessions are ended, a checkpoint is written)
  // and waits for it; kills it all after 30 s.
  void Stop();
  // A crash: SIGKILL to the postmaster and to every server process it had
  // started, and waits until they are gone. Start() recovers from the WAL.
  void Kill();
  bool running() { return process_.Running(); }
  pid_t pid() const { return process_.pid(); }

  const std::string& dir() const { return dir_; }  // also the socket directory
  int port() const { return port_; }               // names the socket file only
  // A libpq URI, e.g. postgresql://papo@/papo?host=/tmp/papo-pg-Ab12Cd&port=41234
  std::string Uri(const std::string& database = "papo") const;
  // CREATE DATABASE `name` (owner papo). Throws std::runtime_error on error.
  void CreateDatabase(const std::string& name);
  // A new empty database with a unique name; returns its Uri().
  std::string FreshDatabase();
  // Runs `sql` on `database`; returns the first column of the first row (""
  // when there is none). Throws std::runtime_error on error.
  std::string Query(const std::string& sql, const std::string& database = "papo");

  // The end of the server's log (and initdb's), for failure messages.
  std::string Logs() const;

 private:
  void InitDb();
  bool RunInitDb(const std::string& locale_flag);
  void WaitUntilReady();
  void RemoveStaleSharedMemory();
  void RemoveDir();

  std::string bin_dir_;
  std::string dir_;
  int port_;
  Process process_;
  std::atomic<int> databases_{0};
};

}  // namespace papo::testing
