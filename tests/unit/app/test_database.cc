#include "tests/unit/app/test_database.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

#include "fcgi-app/db/open_database.h"
#include "tests/support/pg_server.h"

namespace papo::testing {

bool TestingOnPostgres() {
  const char* backend = std::getenv("PAPO_TEST_DB");
  return backend != nullptr && std::string_view(backend) == "postgres";
}

TestDatabase::TestDatabase()
    : target_(TestingOnPostgres() ? PgServer::Shared().FreshDatabase() : dir_.File("papo.db")) {}

std::unique_ptr<Database> TestDatabase::Open() const {
  auto db = OpenDatabase(target_, "normal");
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

std::string QueryText(Database& db, const std::string& sql) {
  auto statement = db.Cached(sql);
  EXPECT_TRUE(statement.ok()) << statement.status().ToString();
  if (!statement.ok()) return "";
  StatementScope scope(**statement);
  auto row = scope->Step();
  EXPECT_TRUE(row.ok() && *row) << sql << ": " << row.status().ToString();
  if (!row.ok() || !*row) return "";
  return scope->ColumnIsNull(0) ? "NULL" : scope->ColumnText(0);
}

int64_t QueryInt(Database& db, const std::string& sql) {
  std::string text = QueryText(db, sql);
  return text.empty() || text == "NULL" ? 0 : std::stoll(text);
}

}  // namespace papo::testing
