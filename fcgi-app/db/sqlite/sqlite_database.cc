#include "fcgi-app/db/sqlite/sqlite_database.h"

#include <time.h>

#include "common/log.h"
#include "fcgi-app/db/sqlite/wal_tail.h"

namespace papo {

Statement& SqliteStatement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Statement& SqliteStatement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& SqliteStatement::BindNull(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

Result<bool> SqliteStatement::Step() {
  int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return SqliteDatabase::ErrorStatus(db_, code, sqlite3_sql(statement_));
}

void SqliteStatement::Reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

std::string SqliteStatement::ColumnText(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

Status SqliteDatabase::ErrorStatus(sqlite3* db, int code, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  switch (code & 0xFF) {
    case SQLITE_CONSTRAINT: return Status::Conflict(std::move(message));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    // A full disk stored nothing and passes when the operator frees space:
    // the client gets 503 + Retry-After (and resends with its client_id),
    // like a database that is restarting, not a 500.
    case SQLITE_FULL: return Status::Unavailable(std::move(message));
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR: return Status::IOError(std::move(message));
    default: return Status::Internal(std::move(message));
  }
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path, int busy_timeout_ms,
                                                 const std::string& synchronous) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int code = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (code != SQLITE_OK) {
    Status status = ErrorStatus(raw, code, "open " + path);
    sqlite3_close_v2(raw);
    return status;
  }
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(raw, busy_timeout_ms));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_handler(raw, &SqliteDatabase::BusyHandler, db.get());
  PAPO_RETURN_IF_ERROR(db->EnableWal());
  PAPO_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  PAPO_RETURN_IF_ERROR(db->Exec(synchronous == "normal" ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL"));
  // A page cache per connection large enough for the hot rooms' pages. No
  // mmap: with WAL the mapping is redone as the file grows, and unmapping in
  // a many-threaded process costs a TLB shootdown on every core (measured:
  // POST /chat/enviar 240 µs of papo-app CPU with mmap, 146 µs without).
  PAPO_RETURN_IF_ERROR(db->Exec("PRAGMA cache_size=-16384"));
  return db;
}

// journal_mode=WAL is stored in the file, so only the first process to open
// a new database switches it. That switch needs an exclusive lock and SQLite
// answers SQLITE_BUSY at once (no busy handler) when another process holds
// any lock, as happens when many workers start together on a new file:
// retry until the file is WAL or the busy timeout is spent.
Status SqliteDatabase::EnableWal() {
  int64_t waited_ms = 0;
  while (true) {
    auto mode = Cached("PRAGMA journal_mode");
    if (!mode.ok()) return mode.status();
    std::string current;
    {
      StatementScope scope(**mode);
      auto row = scope->Step();
      if (row.ok() && *row) current = scope->ColumnText(0);
    }
    if (current == "wal") return Status::Ok();
    Status status = Exec("PRAGMA journal_mode=WAL");
    if (status.ok() || status.code() != Status::Code::kUnavailable) return status;
    if (waited_ms >= busy_timeout_ms_) return status;
    struct timespec pause = {0, 5'000'000};
    nanosleep(&pause, nullptr);
    waited_ms += 5;
  }
}

SqliteDatabase::~SqliteDatabase() {
  statements_.clear();  // finalize before closing
  sqlite3_close_v2(db_);
}

// SQLite's own busy handler sleeps in steps of up to 100 ms; with many
// short write transactions from several processes that idles the CPU.
// This one polls at 50-1000 µs so a waiting writer gets the lock soon
// after it is released, and gives up after busy_timeout_ms in total.
int SqliteDatabase::BusyHandler(void* self, int attempts) noexcept {
  auto* db = static_cast<SqliteDatabase*>(self);
  if (attempts == 0) db->busy_waited_us_ = 0;
  if (db->busy_waited_us_ >= int64_t{db->busy_timeout_ms_} * 1000) return 0;
  int64_t sleep_us = attempts < 10 ? 50 : attempts < 100 ? 200 : 1000;
  struct timespec pause = {0, static_cast<long>(sleep_us * 1000)};
  nanosleep(&pause, nullptr);
  db->busy_waited_us_ += sleep_us;
  return 1;
}

Status SqliteDatabase::Exec(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (code != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(code);
    sqlite3_free(error);
    Status status = ErrorStatus(nullptr, code, "exec");
    return Status(status.code(), "exec: " + message);
  }
  return Status::Ok();
}

Result<Statement*> SqliteDatabase::Cached(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second.get();
  sqlite3_stmt* raw = nullptr;
  int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw,
                                nullptr);
  if (code != SQLITE_OK) return ErrorStatus(db_, code, "prepare");
  auto statement = std::make_unique<SqliteStatement>(db_, raw);
  SqliteStatement* pointer = statement.get();
  statements_.emplace(std::string(sql), std::move(statement));
  return pointer;
}

namespace {

std::mutex& ProcessWriteMutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

Status SqliteDatabase::BeginWrite() {
  process_write_lock_ = std::unique_lock<std::mutex>(ProcessWriteMutex());
  Status status = Exec("BEGIN IMMEDIATE");
  if (!status.ok()) process_write_lock_ = {};
  return status;
}

Status SqliteDatabase::Commit() {
  Status status = Exec("COMMIT");
  if (!status.ok() && !sqlite3_get_autocommit(db_)) {
    Rollback();
    return status;
  }
  process_write_lock_ = {};
  return status;
}

void SqliteDatabase::Rollback() {
  Status status = Exec("ROLLBACK");
  if (!status.ok()) Log(LogLevel::kError, "sqlite_rollback_failed").Kv("error", status.message());
  process_write_lock_ = {};
}

Result<bool> SqliteDatabase::SweepInterruptedCommit() {
  const char* file = sqlite3_db_filename(db_, "main");
  if (file == nullptr || *file == '\0') return false;  // in-memory database
  const std::string path(file);
  auto tail = ReadWalTail(path);
  if (!tail.ok() || !tail->frames_past_index) return tail.ok() ? Result<bool>(false) : tail.status();
  // Frames past the index: a writer is inside its commit now, or died
  // there. Holding the write lock tells which: a live writer has finished.
  PAPO_RETURN_IF_ERROR(BeginWrite());
  tail = ReadWalTail(path);
  if (!tail.ok() || !tail->frames_past_index) {
    Rollback();
    return tail.ok() ? Result<bool>(false) : tail.status();
  }
  // Any write appends at the end of the index, over the dead commit's first
  // frame, which breaks the checksum chain of the rest: no recovery can
  // replay it any more. Rewriting user_version with its own value is a
  // write of page 1 that changes nothing.
  int64_t version = 0;
  {
    auto statement = Cached("PRAGMA user_version");
    if (!statement.ok()) {
      Rollback();
      return statement.status();
    }
    StatementScope scope(**statement);
    auto row = scope->Step();
    if (row.ok() && *row) version = scope->ColumnInt64(0);
  }
  Status written = Exec("PRAGMA user_version=" + std::to_string(version));
  if (!written.ok()) {
    Rollback();
    return written;
  }
  PAPO_RETURN_IF_ERROR(Commit());
  Log(LogLevel::kWarn, "interrupted_commit_discarded")
      .Kv("db", path)
      .Kv("indexed_frames", static_cast<int64_t>(tail->indexed_frames));
  return true;
}

}  // namespace papo
