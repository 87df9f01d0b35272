// RAII for SQLite: SqliteDb owns a connection, SqliteStatement a prepared
// statement. Every SQL statement papo runs is prepared (never formatted).
//
// Thread-compatible: one SqliteDb per thread (SQLite's "multi-thread" mode).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/result.h"

namespace papo {

class SqliteStatement final {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  ~SqliteStatement() { sqlite3_finalize(statement_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters are 1-based, as in SQLite.
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, std::string_view text);
  SqliteStatement& BindNull(int index);

  // true: a row is available; false: done. Errors: Conflict for a
  // constraint violation, Unavailable when the database stayed locked.
  Result<bool> Step();
  // Runs to completion, for statements that return no rows.
  Status Run();
  void Reset();

  int64_t ColumnInt64(int column) const { return sqlite3_column_int64(statement_, column); }
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
};

// Resets a cached statement (and clears its bindings) when the scope ends,
// so the next user starts clean and read transactions are not held open.
class StatementScope final {
 public:
  explicit StatementScope(SqliteStatement& statement) : statement_(statement) {}
  ~StatementScope() { statement_.Reset(); }
  StatementScope(const StatementScope&) = delete;
  StatementScope& operator=(const StatementScope&) = delete;
  SqliteStatement* operator->() { return &statement_; }
  SqliteStatement& operator*() { return statement_; }

 private:
  SqliteStatement& statement_;
};

class SqliteDb final {
 public:
  // Opens (creating) `path` with WAL, foreign keys and a busy handler that
  // waits up to `busy_timeout_ms` for other writers. `synchronous` is
  // "full" or "normal" (PRAGMA synchronous).
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, int busy_timeout_ms,
                                                const std::string& synchronous);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs one or more statements without parameters (schema, pragmas).
  Status Exec(std::string_view sql);
  // The statement for `sql`, prepared on first use and kept for this
  // connection's lifetime. Use through a StatementScope.
  Result<SqliteStatement*> Cached(std::string_view sql);

  int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  sqlite3* get() { return db_; }

  // Maps a SQLite result code to a Status with `context` and the message.
  static Status ErrorStatus(sqlite3* db, int code, std::string_view context);

 private:
  explicit SqliteDb(sqlite3* db, int busy_timeout_ms) : db_(db), busy_timeout_ms_(busy_timeout_ms) {}
  static int BusyHandler(void* self, int attempts) noexcept;
  Status EnableWal();

  sqlite3* db_;
  int busy_timeout_ms_;
  int64_t busy_waited_us_ = 0;
  std::map<std::string, std::unique_ptr<SqliteStatement>, std::less<>> statements_;
};

// BEGIN IMMEDIATE … COMMIT, rolled back unless Commit() succeeded. IMMEDIATE
// takes the write lock up front, so two writers never deadlock upgrading a
// read lock (which SQLite would answer with SQLITE_BUSY at once).
//
// Writers of one process first queue on a process-wide mutex: threads wait
// on a futex and run one after another, instead of polling SQLite's file
// lock from the busy handler. Only writers in other processes meet the
// busy handler.
class WriteTransaction final {
 public:
  explicit WriteTransaction(SqliteDb& db) : db_(db) {}
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  Status Begin();
  Status Commit();

 private:
  SqliteDb& db_;
  std::unique_lock<std::mutex> process_lock_;
  bool open_ = false;
};

}  // namespace papo
