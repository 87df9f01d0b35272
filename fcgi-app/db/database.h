// Database: one connection to papo's store (DESIGN §2, §7), SQLite by
// default or PostgreSQL when workers span hosts. Repositories speak the
// domain over this interface and never know which backend answers.
//
// SQL given to it is written once, in the subset both engines run: numbered
// parameters `?1`, `?2` (the PostgreSQL backend turns them into `$1`,
// `$2`), `RETURNING`, `ON CONFLICT`, no engine-specific functions. Where the
// engines differ (schema, migrations, the message insert's fast path) the
// backend owns the SQL.
//
// Thread-compatible: one Database per thread. Statements it hands out live
// as long as the Database (a reconnect re-prepares them, it never frees
// them), so a Statement* stays valid across requests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace papo {

enum class Backend { kSqlite, kPostgres };

class Statement {
 public:
  virtual ~Statement() = default;

  // Parameters are 1-based (?1 is index 1).
  virtual Statement& Bind(int index, int64_t value) = 0;
  virtual Statement& Bind(int index, std::string_view text) = 0;
  virtual Statement& BindNull(int index) = 0;

  // Runs the statement on the first call, then moves to the next row.
  // true: a row is available; false: done. Errors: Conflict for a
  // constraint violation, Unavailable when the database is locked, down or
  // the connection was lost (the caller may retry the whole operation).
  virtual Result<bool> Step() = 0;
  // Runs to completion, for statements whose rows are not needed.
  Status Run();
  // Forgets the bindings and the result, ready for the next use.
  virtual void Reset() = 0;

  virtual int64_t ColumnInt64(int column) const = 0;
  virtual std::string ColumnText(int column) const = 0;
  virtual bool ColumnIsNull(int column) const = 0;
};

// Resets a cached statement when the scope ends, so the next user starts
// clean and no read transaction is held open.
class StatementScope final {
 public:
  explicit StatementScope(Statement& statement) : statement_(statement) {}
  ~StatementScope() { statement_.Reset(); }
  StatementScope(const StatementScope&) = delete;
  StatementScope& operator=(const StatementScope&) = delete;
  Statement* operator->() { return &statement_; }
  Statement& operator*() { return statement_; }

 private:
  Statement& statement_;
};

class Database {
 public:
  virtual ~Database() = default;

  virtual Backend backend() const = 0;
  // The statement for `sql`, prepared on first use and kept for this
  // connection's lifetime. Use through a StatementScope.
  virtual Result<Statement*> Cached(std::string_view sql) = 0;
  // Runs statements without parameters (schema, savepoints); several may
  // be separated by semicolons.
  virtual Status Exec(std::string_view sql) = 0;

  // A write transaction. SQLite: BEGIN IMMEDIATE after the process's other
  // writers (no upgrade deadlocks); PostgreSQL: BEGIN (row locks order
  // writers). Use through WriteTransaction.
  virtual Status BeginWrite() = 0;
  virtual Status Commit() = 0;
  // Never fails from the caller's view: a failure is logged, and a lost
  // connection is re-established by the next operation.
  virtual void Rollback() = 0;

  // Discards a commit that a process killed inside COMMIT left where no
  // connection sees it yet, so it can never surface later (SQLite: see
  // db/sqlite/wal_tail.h); true when there was one. PostgreSQL has nothing
  // to do: the server settles a dead client's COMMIT at once.
  virtual Result<bool> SweepInterruptedCommit() { return false; }
};

// BEGIN … COMMIT, rolled back unless Commit() succeeded.
class WriteTransaction final {
 public:
  explicit WriteTransaction(Database& db) : db_(db) {}
  ~WriteTransaction() {
    if (open_) db_.Rollback();
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  Status Begin() {
    PAPO_RETURN_IF_ERROR(db_.BeginWrite());
    open_ = true;
    return Status::Ok();
  }
  Status Commit() {
    open_ = false;  // a failed COMMIT has ended the transaction too
    return db_.Commit();
  }

 private:
  Database& db_;
  bool open_ = false;
};

}  // namespace papo
