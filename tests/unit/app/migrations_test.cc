#include "fcgi-app/db/migrations.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
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

std::string TextOf(SqliteDb& db, const std::string& sql) {
  auto statement = db.Cached(sql);
  EXPECT_TRUE(statement.ok());
  StatementScope scope(**statement);
  auto row = scope->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return scope->ColumnIsNull(0) ? "NULL" : scope->ColumnText(0);
}

TEST(MigrationsTest, SeedRoomsGetFoldedNameKeys) {
  testing::TempDir dir;
  auto db = SqliteDb::Open(dir.File("papo.db"), 5000, "normal");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(ApplyMigrations(**db).ok());
  EXPECT_EQ(CountRows(**db, "SELECT COUNT(*) FROM sala WHERE nome_chave IS NULL"), 0);
  EXPECT_EQ(TextOf(**db, "SELECT nome_chave FROM sala WHERE nome = 'Suporte Técnico'"), "suporte técnico");
}

// A database an older papo-app (schema 1, NOCASE only) filled with rooms
// that collide beyond ASCII: both stay, the later gets "<key>#<id>", and the
// UNIQUE index on the key exists and holds from then on.
TEST(MigrationsTest, CollidingRoomsFromSchemaOneAreKeptAndTheKeyIndexIsBuilt) {
  testing::TempDir dir;
  auto db = SqliteDb::Open(dir.File("papo.db"), 5000, "normal");
  ASSERT_TRUE(db.ok());
  auto old_version = ApplyMigrations(**db, 1);
  ASSERT_TRUE(old_version.ok()) << old_version.status().ToString();
  ASSERT_EQ(*old_version, 1);
  ASSERT_TRUE((*db)->Exec("INSERT INTO sala (id, nome, criado_em) VALUES (10, 'SUPORTE TÉCNICO', 1);"
                          "INSERT INTO sala (id, nome, criado_em) VALUES (11, 'ééé', 1);"
                          "INSERT INTO sala (id, nome, criado_em) VALUES (12, 'ÉÉÉ', 1);")
                  .ok());
  auto version = ApplyMigrations(**db);
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, LatestSchemaVersion());
  EXPECT_EQ(CountRows(**db, "SELECT COUNT(*) FROM sala"), 6);
  EXPECT_EQ(TextOf(**db, "SELECT nome_chave FROM sala WHERE nome = 'Suporte Técnico'"), "suporte técnico");
  EXPECT_EQ(TextOf(**db, "SELECT nome_chave FROM sala WHERE id = 10"), "suporte técnico#10");
  EXPECT_EQ(TextOf(**db, "SELECT nome_chave FROM sala WHERE id = 11"), "ééé");
  EXPECT_EQ(TextOf(**db, "SELECT nome_chave FROM sala WHERE id = 12"), "ééé#12");
  EXPECT_EQ(CountRows(**db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'sala_por_nome_chave'"
                            " AND sql LIKE 'CREATE UNIQUE INDEX%'"),
            1);
  EXPECT_FALSE((*db)->Exec("INSERT INTO sala (nome, nome_chave, criado_em) VALUES ('Ééé!', 'ééé', 1)").ok());
}

}  // namespace
}  // namespace papo
