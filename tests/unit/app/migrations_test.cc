// Migrations on both backends (MigrationsTest, run once per backend), the
// SQLite series' own history (SqliteMigrationsTest) and PostgreSQL's
// version table (PostgresMigrationsTest).
#include "fcgi-app/db/migrations.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common/case_fold.h"
#include "fcgi-app/db/sqlite/sqlite_database.h"
#include "tests/unit/app/test_database.h"

namespace papo {
namespace {

using testing::QueryInt;
using testing::QueryText;

TEST(MigrationsTest, FreshDatabaseGetsSchemaAndSeedRooms) {
  testing::TestDatabase test_db;
  auto db = test_db.Open();
  auto version = ApplyMigrations(*db);
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, LatestSchemaVersion(test_db.backend()));
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM sala"), 3);
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM sala WHERE nome IN ('Sala Geral','Suporte Técnico','Vendas')"), 3);
  EXPECT_EQ(QueryText(*db, "SELECT nome FROM sala ORDER BY id LIMIT 1"), "Sala Geral");
}

TEST(MigrationsTest, ApplyingTwiceChangesNothing) {
  testing::TestDatabase test_db;
  auto db = test_db.Open();
  ASSERT_TRUE(ApplyMigrations(*db).ok());
  auto again = ApplyMigrations(*db);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, LatestSchemaVersion(test_db.backend()));
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM sala"), 3);
}

TEST(MigrationsTest, ManyWorkersStartingAtOnceMigrateOnce) {
  testing::TestDatabase test_db;
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 8; ++i) {
    workers.emplace_back([&] {
      auto db = test_db.Open();
      if (db == nullptr) {
        ++failures;
        return;
      }
      auto version = ApplyMigrations(*db);
      if (!version.ok() || *version != LatestSchemaVersion(test_db.backend())) ++failures;
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(failures.load(), 0);
  auto db = test_db.Open();
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM sala"), 3);
}

TEST(MigrationsTest, SeedRoomsAreNotRecreatedOnLaterStarts) {
  testing::TestDatabase test_db;
  auto db = test_db.Open();
  ASSERT_TRUE(ApplyMigrations(*db).ok());
  ASSERT_TRUE(db->Exec("DELETE FROM sala WHERE nome <> 'Vendas'").ok());
  ASSERT_TRUE(ApplyMigrations(*db).ok());
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM sala"), 1);
}

TEST(MigrationsTest, ForeignKeysAreEnforced) {
  testing::TestDatabase test_db;
  auto db = test_db.Open();
  ASSERT_TRUE(ApplyMigrations(*db).ok());
  Status status = db->Exec("INSERT INTO sala_membro (sala_id, usuario_id) VALUES (1, 424242)");
  EXPECT_EQ(status.code(), Status::Code::kConflict) << status.ToString();
}

// RoomRepository compares names by FoldCase(nome): the seed rooms' keys
// (computed in C++ on SQLite, written in the SQL on PostgreSQL) must be
// exactly that, or "sala geral" could be created beside "Sala Geral".
TEST(MigrationsTest, SeedRoomsGetFoldedNameKeys) {
  testing::TestDatabase test_db;
  auto db = test_db.Open();
  ASSERT_TRUE(ApplyMigrations(*db).ok());
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM sala WHERE nome_chave IS NULL"), 0);
  for (const char* nome : {"Sala Geral", "Suporte Técnico", "Vendas"}) {
    EXPECT_EQ(QueryText(*db, std::string("SELECT nome_chave FROM sala WHERE nome = '") + nome + "'"), FoldCase(nome));
  }
}

TEST(MigrationsTest, RoomNameKeysAreUnique) {
  testing::TestDatabase test_db;
  auto db = test_db.Open();
  ASSERT_TRUE(ApplyMigrations(*db).ok());
  Status status = db->Exec("INSERT INTO sala (nome, nome_chave, criado_em) VALUES ('SALA GERAL', 'sala geral', 1)");
  EXPECT_EQ(status.code(), Status::Code::kConflict) << status.ToString();
}

std::unique_ptr<SqliteDatabase> OpenSqlite(const testing::TempDir& dir) {
  auto db = SqliteDatabase::Open(dir.File("papo.db"), 5000, "normal");
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return std::move(db).value();
}

TEST(SqliteMigrationsTest, VersionIsTheUserVersionPragma) {
  testing::TempDir dir;
  auto db = OpenSqlite(dir);
  ASSERT_TRUE(ApplyMigrations(*db).ok());
  EXPECT_EQ(QueryInt(*db, "PRAGMA user_version"), LatestSchemaVersion(Backend::kSqlite));
}

// A database an older papo-app (schema 1, NOCASE only) filled with rooms
// that collide beyond ASCII: both stay, the later gets "<key>#<id>", and the
// UNIQUE index on the key exists and holds from then on.
TEST(SqliteMigrationsTest, CollidingRoomsFromSchemaOneAreKeptAndTheKeyIndexIsBuilt) {
  testing::TempDir dir;
  auto db = OpenSqlite(dir);
  auto old_version = ApplyMigrations(*db, 1);
  ASSERT_TRUE(old_version.ok()) << old_version.status().ToString();
  ASSERT_EQ(*old_version, 1);
  ASSERT_TRUE(db->Exec("INSERT INTO sala (id, nome, criado_em) VALUES (10, 'SUPORTE TÉCNICO', 1);"
                       "INSERT INTO sala (id, nome, criado_em) VALUES (11, 'ééé', 1);"
                       "INSERT INTO sala (id, nome, criado_em) VALUES (12, 'ÉÉÉ', 1);")
                  .ok());
  auto version = ApplyMigrations(*db);
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, LatestSchemaVersion(Backend::kSqlite));
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM sala"), 6);
  EXPECT_EQ(QueryText(*db, "SELECT nome_chave FROM sala WHERE nome = 'Suporte Técnico'"), "suporte técnico");
  EXPECT_EQ(QueryText(*db, "SELECT nome_chave FROM sala WHERE id = 10"), "suporte técnico#10");
  EXPECT_EQ(QueryText(*db, "SELECT nome_chave FROM sala WHERE id = 11"), "ééé");
  EXPECT_EQ(QueryText(*db, "SELECT nome_chave FROM sala WHERE id = 12"), "ééé#12");
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'sala_por_nome_chave'"
                          " AND sql LIKE 'CREATE UNIQUE INDEX%'"),
            1);
  EXPECT_FALSE(db->Exec("INSERT INTO sala (nome, nome_chave, criado_em) VALUES ('Ééé!', 'ééé', 1)").ok());
}

TEST(PostgresMigrationsTest, VersionIsKeptInItsTable) {
  testing::TestDatabase test_db;
  auto db = test_db.Open();
  ASSERT_EQ(db->backend(), Backend::kPostgres);
  ASSERT_TRUE(ApplyMigrations(*db).ok());
  EXPECT_EQ(QueryInt(*db, "SELECT versao FROM papo_esquema"), LatestSchemaVersion(Backend::kPostgres));
  EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM papo_esquema"), 1);
}

TEST(PostgresMigrationsTest, ADatabaseNewerThanThisPapoAppIsRefused) {
  testing::TestDatabase test_db;
  auto db = test_db.Open();
  ASSERT_TRUE(ApplyMigrations(*db).ok());
  ASSERT_TRUE(db->Exec("UPDATE papo_esquema SET versao = versao + 1").ok());
  auto version = ApplyMigrations(*db);
  ASSERT_FALSE(version.ok());
  EXPECT_NE(version.status().message().find("newer"), std::string::npos) << version.status().ToString();
}

}  // namespace
}  // namespace papo
