// The PostgreSQL backend's own behaviour: parameters, errors, commits that
// did not happen, and reconnecting after a server restart.
#include "fcgi-app/db/postgres/pg_database.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "fcgi-app/db/open_database.h"
#include "tests/support/pg_server.h"
#include "tests/unit/app/test_database.h"

namespace papo {
namespace {

TEST(PgParametersTest, NumberedParametersBecomeDollarParameters) {
  EXPECT_EQ(ToPostgresParameters("SELECT ?1, ?2 WHERE a = ?1"), "SELECT $1, $2 WHERE a = $1");
  EXPECT_EQ(ToPostgresParameters("SELECT ?12"), "SELECT $12");
}

TEST(PgParametersTest, QuestionMarksInsideLiteralsAndIdentifiersStay) {
  EXPECT_EQ(ToPostgresParameters("SELECT '?1', \"?2\", ?3"), "SELECT '?1', \"?2\", $3");
  EXPECT_EQ(ToPostgresParameters("SELECT 'it''s ?1', ?2"), "SELECT 'it''s ?1', $2");
  EXPECT_EQ(ToPostgresParameters("SELECT a ? b"), "SELECT a ? b");
}

TEST(PgParametersTest, ArrayLiteralsQuoteEveryItemAndEscapeQuotesAndBackslashes) {
  EXPECT_EQ(PgArrayLiteral({}), "{}");
  EXPECT_EQ(PgArrayLiteral({std::string("1"), std::nullopt, std::string("a,b")}), "{\"1\",NULL,\"a,b\"}");
  EXPECT_EQ(PgArrayLiteral({std::string("x\"y\\z{}")}), "{\"x\\\"y\\\\z{}\"}");
  EXPECT_EQ(PgArrayLiteral({std::string("NULL")}), "{\"NULL\"}");
}

TEST(PgUriTest, OnlyPostgresUrisChooseThePostgresBackend) {
  EXPECT_TRUE(IsPostgresUri("postgresql://papo@db/papo"));
  EXPECT_TRUE(IsPostgresUri("postgres://papo@db/papo"));
  EXPECT_FALSE(IsPostgresUri("/var/lib/papo/papo.db"));
  EXPECT_FALSE(IsPostgresUri("papo.db"));
}

TEST(PgUriTest, LogsNeverShowThePassword) {
  EXPECT_EQ(RedactedDatabaseTarget("postgresql://papo:segredo@db:5432/papo"), "postgresql://papo:***@db:5432/papo");
  EXPECT_EQ(RedactedDatabaseTarget("postgresql://papo@db/papo?password=segredo&sslmode=require"),
            "postgresql://papo@db/papo?password=***&sslmode=require");
  EXPECT_EQ(RedactedDatabaseTarget("postgresql://db/papo"), "postgresql://db/papo");
  EXPECT_EQ(RedactedDatabaseTarget("/srv/papo.db"), "/srv/papo.db");
}

TEST(PostgresDatabaseTest, AnUnreachableServerIsUnavailable) {
  auto db = OpenDatabase("postgresql://papo@/papo?host=/nonexistent-dir&port=1&connect_timeout=1", "full");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Status::Code::kUnavailable) << db.status().ToString();
}

TEST(PostgresDatabaseTest, BindsReadsAndMapsConstraintViolationsToConflict) {
  testing::TestDatabase test_db;
  auto db = test_db.Open();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (id bigint PRIMARY KEY, nome text)").ok());
  auto insert = db->Cached("INSERT INTO t (id, nome) VALUES (?1, ?2) RETURNING id");
  ASSERT_TRUE(insert.ok()) << insert.status().ToString();
  {
    StatementScope scope(**insert);
    scope->Bind(1, int64_t{7}).Bind(2, std::string_view("Olá, 'mundo' ?1"));
    auto row = scope->Step();
    ASSERT_TRUE(row.ok() && *row) << row.status().ToString();
    EXPECT_EQ(scope->ColumnInt64(0), 7);
  }
  {
    StatementScope scope(**insert);
    scope->Bind(1, int64_t{7}).BindNull(2);
    EXPECT_EQ(scope->Step().status().code(), Status::Code::kConflict);
  }
  EXPECT_EQ(testing::QueryText(*db, "SELECT nome FROM t WHERE id = 7"), "Olá, 'mundo' ?1");
}

TEST(PostgresDatabaseTest, ACommitOfAFailedTransactionIsAnError) {
  testing::TestDatabase test_db;
  auto db = test_db.Open();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (id bigint PRIMARY KEY)").ok());
  WriteTransaction transaction(*db);
  ASSERT_TRUE(transaction.Begin().ok());
  ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
  EXPECT_FALSE(db->Exec("INSERT INTO t VALUES (1)").ok());  // the transaction is now aborted
  EXPECT_FALSE(transaction.Commit().ok());
  EXPECT_EQ(testing::QueryInt(*db, "SELECT COUNT(*) FROM t"), 0);
}

TEST(PostgresDatabaseTest, ArrayLiteralsRoundTripThroughTheServer) {
  testing::TestDatabase test_db;
  auto db = test_db.Open();
  std::vector<std::optional<std::string>> items = {std::string("a\"b\\c"), std::nullopt, std::string("{x},\ty\n"),
                                                   std::string("NULL"), std::string("Olá 🎉")};
  auto statement = db->Cached("SELECT t, t IS NULL FROM unnest(?1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n");
  ASSERT_TRUE(statement.ok());
  StatementScope scope(**statement);
  scope->Bind(1, PgArrayLiteral(items));
  for (const auto& item : items) {
    auto row = scope->Step();
    ASSERT_TRUE(row.ok() && *row) << row.status().ToString();
    EXPECT_EQ(scope->ColumnText(1) == "t", !item.has_value());
    if (item) {
      EXPECT_EQ(scope->ColumnText(0), *item);
    }
  }
}

// A server restart between two requests: the connection the worker holds is
// dead, and the next request must not fail because of it.
TEST(PostgresDatabaseTest, AServerRestartBetweenRequestsIsInvisible) {
  testing::PgServer server;
  auto db = OpenDatabase(server.Uri(), "full");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t (id bigint)").ok());
  EXPECT_EQ(testing::QueryInt(**db, "SELECT COUNT(*) FROM t"), 0);
  server.Stop();
  {
    auto down = (*db)->Cached("SELECT 1");  // down: an error, not a hang
    bool failed = !down.ok();
    if (down.ok()) {
      StatementScope scope(**down);
      failed = !scope->Step().ok();
    }
    EXPECT_TRUE(failed);
  }
  server.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // past the reconnect pause
  auto statement = (*db)->Cached("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  StatementScope scope(**statement);
  auto row = scope->Step();
  ASSERT_TRUE(row.ok() && *row) << row.status().ToString();
  EXPECT_EQ(scope->ColumnInt64(0), 0);
}

}  // namespace
}  // namespace papo
