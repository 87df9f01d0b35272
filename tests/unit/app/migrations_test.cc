#include "fcgi-app/db/migrations.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"

namespace papo {
namespace {

int CountRows(SqliteDb& db, const char* sql) {
  auto statement = db.Cached(sql);
  EXPECT_TRUE(statement.ok());
  StatementScope scope(**statement);
  auto row = scope->Step();
  EXPECT_TRUE(row.ok() && *row);
  return static_cast<int>(scope->ColumnInt64(0));
}

TEST(MigrationsTest, FreshDatabaseGetsSchemaAndSeedRooms) {
  testing::TempDir dir;
  auto db = SqliteDb::Open(dir.File("papo.db"), 5000, "normal");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto version = ApplyMigrations(**db);
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, LatestSchemaVersion());
  EXPECT_EQ(CountRows(**db, "SELECT COUNT(*) FROM sala"), 3);
  EXPECT_EQ(CountRows(**db, "SELECT COUNT(*) FROM sala WHERE nome IN ('Sala Geral','Suporte Técnico','Vendas')"), 3);
}

TEST(MigrationsTest, ApplyingTwiceChangesNothing) {
  testing::TempDir dir;
  auto db = SqliteDb::Open(dir.File("papo.db"), 5000, "normal");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrations(**db).ok());
  ASSERT_TRUE(ApplyMigrations(**db).ok());
  EXPECT_EQ(CountRows(**db, "SELECT COUNT(*) FROM sala"), 3);
}

TEST(MigrationsTest, ManyWorkersStartingAtOnceMigrateOnce) {
  testing::TempDir dir;
  std::string path = dir.File("papo.db");
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 8; ++i) {
    workers.emplace_back([&] {
      auto db = SqliteDb::Open(path, 10000, "full");
      if (!db.ok() || !ApplyMigrations(**db).ok()) ++failures;
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(failures.load(), 0);
  auto db = SqliteDb::Open(path, 5000, "full");
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(CountRows(**db, "SELECT COUNT(*) FROM sala"), 3);
  EXPECT_EQ(CountRows(**db, "PRAGMA user_version"), LatestSchemaVersion());
}

TEST(MigrationsTest, SeedRoomsAreNotRecreatedOnLaterStarts) {
  testing::TempDir dir;
  auto db = SqliteDb::Open(dir.File("papo.db"), 5000, "normal");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrations(**db).ok());
  ASSERT_TRUE((*db)->Exec("DELETE FROM sala WHERE nome <> 'Vendas'").ok());
  ASSERT_TRUE(ApplyMigrations(**db).ok());
  EXPECT_EQ(CountRows(**db, "SELECT COUNT(*) FROM sala"), 1);
}

TEST(MigrationsTest, ForeignKeysAreEnforced) {
  testing::TempDir dir;
  auto db = SqliteDb::Open(dir.File("papo.db"), 5000, "normal");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrations(**db).ok());
  EXPECT_FALSE((*db)->Exec("INSERT INTO sala_membro (sala_id, usuario_id) VALUES (1, 424242)").ok());
}

}  // namespace
}  // namespace papo
