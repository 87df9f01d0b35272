// A full disk on SQLite is a 503 with Retry-After for the client, not a 500:
// it stored nothing and passes when space is freed (the chaos suite fills
// the database's tmpfs and saw 500s before). PRAGMA max_page_count makes
// SQLite answer SQLITE_FULL exactly as a full file system does.
#include <gtest/gtest.h>

#include <string>

#include "fcgi-app/db/sqlite/sqlite_database.h"
#include "fcgi-app/http/error_responses.h"
#include "tests/support/temp_dir.h"

namespace papo {
namespace {

int64_t Count(Database& db) {
  auto statement = db.Cached("SELECT count(*) FROM nota");
  EXPECT_TRUE(statement.ok());
  StatementScope scope(**statement);
  auto row = scope->Step();
  EXPECT_TRUE(row.ok() && *row);
  return scope->ColumnInt64(0);
}

TEST(SqliteFullDiskTest, AFullDatabaseIsUnavailableAndKeepsNothingOfTheWrite) {
  papo::testing::TempDir dir;
  auto db = SqliteDatabase::Open(dir.File("cheio.db"), 1000, "full");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("CREATE TABLE nota(texto TEXT NOT NULL)").ok());
  ASSERT_TRUE((*db)->Exec("INSERT INTO nota VALUES ('antes')").ok());
  // No page beyond the ones the file has now.
  ASSERT_TRUE((*db)->Exec("PRAGMA max_page_count=2").ok());

  {
    WriteTransaction transaction(**db);
    ASSERT_TRUE(transaction.Begin().ok());
    Status full = (*db)->Exec("INSERT INTO nota SELECT printf('%.5000c', 'x') FROM nota");
    ASSERT_FALSE(full.ok());
    EXPECT_EQ(full.code(), Status::Code::kUnavailable) << full.ToString();
    EXPECT_EQ(HttpStatusFor(full), 503);
  }  // rolled back
  EXPECT_EQ(Count(**db), 1);
}

}  // namespace
}  // namespace papo
