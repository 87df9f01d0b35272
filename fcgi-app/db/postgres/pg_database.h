// The PostgreSQL backend (DESIGN §7): papo-app workers on any number of
// hosts share one PostgreSQL 15 server through libpq.
//
// One PgDatabase is one connection, used by one thread (a worker thread, the
// message writer or the republisher): no pool to lock, and a process opens
// PAPO_WORKER_THREADS + 2 connections.
//
// Statements are prepared on the server on first use (text parameters and
// results; PostgreSQL infers the parameter types from the SQL). A server
// restart or a dropped connection is noticed before the next statement that
// starts outside a transaction: the connection is re-established and the
// statements are prepared again on their next use, so only operations in
// flight at that moment fail (Unavailable), never later ones. A statement
// that fails inside a transaction fails the transaction: nothing the caller
// did not see committed is reported as stored.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fcgi-app/db/database.h"

namespace papo {

class PgDatabase;

// Owns a PGresult.
struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

class PgStatement final : public Statement {
 public:
  PgStatement(PgDatabase& owner, std::string name, std::string sql)
      : owner_(owner), name_(std::move(name)), sql_(std::move(sql)) {}
  PgStatement(const PgStatement&) = delete;
  PgStatement& operator=(const PgStatement&) = delete;

  Statement& Bind(int index, int64_t value) override;
  Statement& Bind(int index, std::string_view text) override;
  Statement& BindNull(int index) override;
  Result<bool> Step() override;
  void Reset() override;

  int64_t ColumnInt64(int column) const override;
  std::string ColumnText(int column) const override;
  bool ColumnIsNull(int column) const override;

 private:
  friend class PgDatabase;
  std::optional<std::string>& Slot(int index);

  PgDatabase& owner_;
  std::string name_;
  std::string sql_;            // with $N parameters
  uint64_t prepared_in_ = 0;   // the connection generation it was prepared on (0: never)
  std::vector<std::optional<std::string>> parameters_;
  PgResult result_;
  int row_ = -1;
  int rows_ = 0;
};

class PgDatabase final : public Database {
 public:
  // Connects to `uri` (postgresql://…, any libpq URI; connect_timeout 5 s
  // unless the URI sets it). Unavailable when the server cannot be reached.
  static Result<std::unique_ptr<PgDatabase>> Open(const std::string& uri);
  ~PgDatabase() override;
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;

  Backend backend() const override { return Backend::kPostgres; }
  Result<Statement*> Cached(std::string_view sql) override;
  Status Exec(std::string_view sql) override;
  Status BeginWrite() override;
  // Checks that the server committed: COMMIT of a transaction that had
  // failed answers "ROLLBACK", which is an error here.
  Status Commit() override;
  void Rollback() override;

  // Runs `sql` (no parameters) and returns its result (for COPY and tools).
  Result<PgResult> Query(std::string_view sql);
  PGconn* get() { return conn_; }

  // Maps a failed result (or a lost connection) to a Status: Conflict for
  // integrity violations (SQLSTATE class 23), Unavailable for a lost
  // connection, a server shutting down, too many connections, deadlock or
  // serialization failure; Internal otherwise.
  Status ErrorStatus(const PGresult* result, std::string_view context) const;

 private:
  friend class PgStatement;
  explicit PgDatabase(PGconn* conn) : conn_(conn) {}
  // Outside a transaction: a connection the server closed (restart, idle
  // timeout, failover) is re-established before it is used.
  Status EnsureConnected();
  Status Prepare(PgStatement& statement);

  PGconn* conn_;
  uint64_t generation_ = 1;  // bumped by each reconnect
  bool in_transaction_ = false;
  std::chrono::steady_clock::time_point last_reconnect_attempt_{};
  std::map<std::string, std::unique_ptr<PgStatement>, std::less<>> statements_;
};

// `?1`, `?2` … → `$1`, `$2` … outside quoted strings and identifiers: the
// repositories' SQL is written once for both engines.
std::string ToPostgresParameters(std::string_view sql);

// A PostgreSQL array literal of texts ({"a","b\"c",NULL}), to pass a list
// as one text parameter (cast in the SQL: ?1::text[] or ?1::bigint[]).
std::string PgArrayLiteral(const std::vector<std::optional<std::string>>& items);

// true for the PAPO_DB values that name a PostgreSQL database.
bool IsPostgresUri(std::string_view target);

}  // namespace papo
