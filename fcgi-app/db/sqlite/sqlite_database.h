// The SQLite backend (DESIGN §2, the default): one file on this host, WAL,
// foreign keys on. SqliteDatabase owns a connection, SqliteStatement a
// prepared statement; every statement is prepared (never formatted).
//
// Thread-compatible: one SqliteDatabase per thread (SQLite's multi-thread
// mode).
#pragma once

#include <sqlite3.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "fcgi-app/db/database.h"

namespace papo {

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  ~SqliteStatement() override { sqlite3_finalize(statement_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  Statement& Bind(int index, int64_t value) override;
  Statement& Bind(int index, std::string_view text) override;
  Statement& BindNull(int index) override;
  Result<bool> Step() override;
  void Reset() override;

  int64_t ColumnInt64(int column) const override { return sqlite3_column_int64(statement_, column); }
  std::string ColumnText(int column) const override;
  bool ColumnIsNull(int column) const override { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
};

class SqliteDatabase final : public Database {
 public:
  // Opens (creating) `path` with WAL, foreign keys and a busy handler that
  // waits up to `busy_timeout_ms` for other writers. `synchronous` is
  // "full" or "normal" (PRAGMA synchronous).
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path, int busy_timeout_ms,
                                                      const std::string& synchronous);
  ~SqliteDatabase() override;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Backend backend() const override { return Backend::kSqlite; }
  Result<Statement*> Cached(std::string_view sql) override;
  Status Exec(std::string_view sql) override;
  // Writers of one process first queue on a process-wide mutex: threads
  // wait on a futex and run one after another, instead of polling SQLite's
  // file lock from the busy handler. Only writers in other processes meet
  // the busy handler. BEGIN IMMEDIATE takes the write lock up front, so two
  // writers never deadlock upgrading a read lock.
  Status BeginWrite() override;
  // A COMMIT that fails (SQLITE_BUSY, disk full) leaves SQLite's
  // transaction open: it is rolled back here, so the caller's view is the
  // same as PostgreSQL's (a failed commit stored nothing).
  Status Commit() override;
  void Rollback() override;
  // Cheap when there is nothing to do (two small reads, no lock): called at
  // start-up and every second.
  Result<bool> SweepInterruptedCommit() override;

  // Maps a SQLite result code to a Status with `context` and the message.
  static Status ErrorStatus(sqlite3* db, int code, std::string_view context);

 private:
  explicit SqliteDatabase(sqlite3* db, int busy_timeout_ms) : db_(db), busy_timeout_ms_(busy_timeout_ms) {}
  static int BusyHandler(void* self, int attempts) noexcept;
  Status EnableWal();

  sqlite3* db_;
  int busy_timeout_ms_;
  int64_t busy_waited_us_ = 0;
  std::unique_lock<std::mutex> process_write_lock_;
  std::map<std::string, std::unique_ptr<SqliteStatement>, std::less<>> statements_;
};

}  // namespace papo
