#include "fcgi-app/db/postgres/pg_database.h"

#include <poll.h>

#include <charconv>

#include "common/log.h"

namespace papo {
namespace {

// Between two attempts to reach a server that is down, requests fail at
// once instead of each waiting for a connect.
constexpr std::chrono::milliseconds kReconnectPause{250};

// libpq prints NOTICE messages ("relation already exists, skipping") on
// stderr by default; papo logs them at debug level, one line each.
void OnNotice(void* /*arg*/, const PGresult* result) noexcept {
  try {
    std::string message = PQresultErrorMessage(result);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    Log(LogLevel::kDebug, "postgres_notice").Kv("message", message);
  } catch (...) {
  }
}

std::string TrimmedError(const char* text) {
  std::string message = text != nullptr ? text : "";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

bool ResultOk(const PGresult* result) {
  if (result == nullptr) return false;
  ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

}  // namespace

bool IsPostgresUri(std::string_view target) {
  return target.starts_with("postgresql://") || target.starts_with("postgres://");
}

std::string ToPostgresParameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;  // ' or " while inside a literal or a quoted identifier
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      c = '$';
    }
    out += c;
  }
  return out;
}

std::string PgArrayLiteral(const std::vector<std::optional<std::string>>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    if (!item) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (char c : *item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

Statement& PgStatement::Bind(int index, int64_t value) {
  Slot(index) = std::to_string(value);
  return *this;
}

Statement& PgStatement::Bind(int index, std::string_view text) {
  Slot(index) = std::string(text);
  return *this;
}

Statement& PgStatement::BindNull(int index) {
  Slot(index).reset();
  return *this;
}

std::optional<std::string>& PgStatement::Slot(int index) {
  if (static_cast<size_t>(index) > parameters_.size()) parameters_.resize(static_cast<size_t>(index));
  return parameters_[static_cast<size_t>(index - 1)];
}

Result<bool> PgStatement::Step() {
  if (!result_) {
    PAPO_RETURN_IF_ERROR(owner_.Prepare(*this));
    std::vector<const char*> values;
    values.reserve(parameters_.size());
    for (const auto& parameter : parameters_) values.push_back(parameter ? parameter->c_str() : nullptr);
    result_.reset(PQexecPrepared(owner_.conn_, name_.c_str(), static_cast<int>(values.size()), values.data(),
                                 nullptr, nullptr, 0));
    if (!ResultOk(result_.get())) {
      Status status = owner_.ErrorStatus(result_.get(), sql_);
      result_.reset();
      return status;
    }
    row_ = -1;
    rows_ = PQntuples(result_.get());
  }
  ++row_;
  return row_ < rows_;
}

void PgStatement::Reset() {
  result_.reset();
  parameters_.clear();
  row_ = -1;
  rows_ = 0;
}

int64_t PgStatement::ColumnInt64(int column) const {
  const char* text = PQgetvalue(result_.get(), row_, column);
  int64_t value = 0;
  std::from_chars(text, text + PQgetlength(result_.get(), row_, column), value);
  return value;
}

std::string PgStatement::ColumnText(int column) const {
  return std::string(PQgetvalue(result_.get(), row_, column),
                     static_cast<size_t>(PQgetlength(result_.get(), row_, column)));
}

bool PgStatement::ColumnIsNull(int column) const { return PQgetisnull(result_.get(), row_, column) != 0; }

Result<std::unique_ptr<PgDatabase>> PgDatabase::Open(const std::string& uri) {
  // Later keywords win: the URI's own settings override these defaults.
  const char* keywords[] = {"connect_timeout", "application_name", "client_encoding", "dbname", nullptr};
  const char* values[] = {"5", "papo-app", "UTF8", uri.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Status::Unavailable("postgres: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    Status status = Status::Unavailable("postgres: " + TrimmedError(PQerrorMessage(conn)));
    PQfinish(conn);
    return status;
  }
  PQsetNoticeReceiver(conn, &OnNotice, nullptr);
  return std::unique_ptr<PgDatabase>(new PgDatabase(conn));
}

PgDatabase::~PgDatabase() {
  statements_.clear();
  PQfinish(conn_);
}

Status PgDatabase::ErrorStatus(const PGresult* result, std::string_view context) const {
  std::string message = "postgres: ";
  message += context.substr(0, 120);
  message += ": ";
  message += TrimmedError(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
  if (result == nullptr || PQstatus(conn_) != CONNECTION_OK) return Status::Unavailable(std::move(message));
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string_view sqlstate = state != nullptr ? state : "";
  if (sqlstate.starts_with("23")) return Status::Conflict(std::move(message));
  if (sqlstate.starts_with("08") || sqlstate.starts_with("53") || sqlstate.starts_with("57P") ||
      sqlstate == "40001" || sqlstate == "40P01") {
    return Status::Unavailable(std::move(message));
  }
  return Status::Internal(std::move(message));
}

Status PgDatabase::EnsureConnected() {
  if (in_transaction_) return Status::Ok();
  if (PQstatus(conn_) == CONNECTION_OK) {
    // An idle connection has nothing to read. Something readable means the
    // server closed it or is telling why it will (a restart sends FATAL
    // 57P01): take it in, so the status below is the truth.
    // libpq notices the end of the stream only on a read that finds
    // nothing, so read until the socket is quiet or the connection is known
    // to be gone.
    for (int reads = 0; reads < 4 && PQstatus(conn_) == CONNECTION_OK; ++reads) {
      struct pollfd socket = {PQsocket(conn_), POLLIN, 0};
      if (::poll(&socket, 1, 0) <= 0) break;
      if (PQconsumeInput(conn_) == 0) break;
    }
    if (PQstatus(conn_) == CONNECTION_OK) return Status::Ok();
  }
  auto now = std::chrono::steady_clock::now();
  if (now - last_reconnect_attempt_ < kReconnectPause) {
    return Status::Unavailable("postgres: connection lost: " + TrimmedError(PQerrorMessage(conn_)));
  }
  last_reconnect_attempt_ = now;
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    Status status = Status::Unavailable("postgres: reconnect failed: " + TrimmedError(PQerrorMessage(conn_)));
    Log(LogLevel::kWarn, "db_reconnect_failed").Kv("error", status.message());
    return status;
  }
  ++generation_;  // server-side prepared statements died with the old session
  Log(LogLevel::kInfo, "db_reconnected");
  return Status::Ok();
}

Status PgDatabase::Prepare(PgStatement& statement) {
  if (statement.prepared_in_ == generation_) return Status::Ok();
  PgResult result(PQprepare(conn_, statement.name_.c_str(), statement.sql_.c_str(), 0, nullptr));
  if (!ResultOk(result.get())) return ErrorStatus(result.get(), "prepare " + statement.sql_);
  statement.prepared_in_ = generation_;
  return Status::Ok();
}

Result<Statement*> PgDatabase::Cached(std::string_view sql) {
  PAPO_RETURN_IF_ERROR(EnsureConnected());
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second.get();
  std::string name = "papo_" + std::to_string(statements_.size() + 1);
  auto statement = std::make_unique<PgStatement>(*this, std::move(name), ToPostgresParameters(sql));
  PgStatement* pointer = statement.get();
  statements_.emplace(std::string(sql), std::move(statement));
  return pointer;
}

Result<PgResult> PgDatabase::Query(std::string_view sql) {
  PAPO_RETURN_IF_ERROR(EnsureConnected());
  std::string text(sql);
  PgResult result(PQexec(conn_, text.c_str()));
  if (!ResultOk(result.get())) return ErrorStatus(result.get(), text);
  return result;
}

Status PgDatabase::Exec(std::string_view sql) {
  auto result = Query(sql);
  return result.ok() ? Status::Ok() : result.status();
}

Status PgDatabase::BeginWrite() {
  PAPO_RETURN_IF_ERROR(Exec("BEGIN"));
  in_transaction_ = true;
  return Status::Ok();
}

Status PgDatabase::Commit() {
  // Straight on this connection, never through EnsureConnected: COMMIT sent
  // on a new session would answer "COMMIT" for a transaction that is gone.
  PgResult result(PQexec(conn_, "COMMIT"));
  in_transaction_ = false;
  if (!ResultOk(result.get())) return ErrorStatus(result.get(), "COMMIT");
  if (std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
    return Status::Internal("postgres: the transaction failed and was rolled back");
  }
  return Status::Ok();
}

void PgDatabase::Rollback() {
  in_transaction_ = false;
  if (PQstatus(conn_) != CONNECTION_OK) return;  // the server ended it with the connection
  PgResult result(PQexec(conn_, "ROLLBACK"));
  if (!ResultOk(result.get())) {
    Log(LogLevel::kError, "postgres_rollback_failed").Kv("error", TrimmedError(PQerrorMessage(conn_)));
  }
}

}  // namespace papo
