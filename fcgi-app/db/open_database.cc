#include "fcgi-app/db/open_database.h"

#include "fcgi-app/db/postgres/pg_database.h"
#include "fcgi-app/db/sqlite/sqlite_database.h"

namespace papo {
namespace {

// How long an SQLite writer waits for another process's transaction.
constexpr int kBusyTimeoutMs = 10'000;

}  // namespace

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& target, const std::string& sqlite_synchronous) {
  if (IsPostgresUri(target)) {
    auto db = PgDatabase::Open(target);
    if (!db.ok()) return db.status();
    return std::unique_ptr<Database>(std::move(db).value());
  }
  auto db = SqliteDatabase::Open(target, kBusyTimeoutMs, sqlite_synchronous);
  if (!db.ok()) return db.status();
  return std::unique_ptr<Database>(std::move(db).value());
}

Result<std::unique_ptr<Database>> OpenDatabase(const Config& config) {
  return OpenDatabase(config.db_path, config.db_synchronous);
}

std::string RedactedDatabaseTarget(const std::string& uri) {
  if (!IsPostgresUri(uri)) return uri;
  std::string target = uri;
  for (size_t at = target.find("password="); at != std::string::npos; at = target.find("password=", at + 1)) {
    size_t value = at + 9;
    size_t end = target.find('&', value);
    target.replace(value, (end == std::string::npos ? target.size() : end) - value, "***");
  }
  size_t authority = target.find("://") + 3;
  size_t at = target.find('@', authority);
  size_t slash = target.find('/', authority);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return target;
  size_t colon = target.find(':', authority);
  if (colon == std::string::npos || colon > at) return target;
  return target.substr(0, colon + 1) + "***" + target.substr(at);
}

}  // namespace papo
