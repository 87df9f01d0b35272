// ReadWalTail runs inside papo-app, beside the process's own SQLite
// connections. POSIX advisory locks belong to the process and the file: a
// close() of any descriptor of `<db>-shm` drops every lock this process holds
// on it, SQLite's WAL write lock included. The chaos suite (tests/chaos)
// found what follows when the sweep opened and closed the file every second:
// another process took the write lock while this one was writing, the two
// wrote over each other's frames, and acknowledged messages were lost (or
// the database was left malformed). This test holds the write lock in this
// process, reads the tail, and asks a second process for the lock.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "fcgi-app/db/sqlite/sqlite_database.h"
#include "fcgi-app/db/sqlite/wal_tail.h"
#include "tests/support/temp_dir.h"

namespace papo {
namespace {

// In a child forked before this process opened the database (so it carries
// none of SQLite's per-process state for the file): waits for a byte on
// `go`, then tries BEGIN IMMEDIATE without waiting and answers 'B' (busy:
// the lock is held elsewhere, as it should be) or 'W' (it got the lock).
[[noreturn]] void AskForTheWriteLock(const std::string& path, int go, int answer) {
  char byte = 0;
  if (::read(go, &byte, 1) != 1) ::_exit(2);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) ::_exit(3);
  sqlite3_busy_timeout(db, 0);
  int code = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  char result = code == SQLITE_BUSY ? 'B' : 'W';
  if (::write(answer, &result, 1) != 1) ::_exit(4);
  sqlite3_close(db);
  ::_exit(0);
}

TEST(WalTailTest, ReadingTheTailKeepsThisProcessWriteLock) {
  papo::testing::TempDir dir;
  const std::string path = dir.File("papo.db");
  {
    auto setup = SqliteDatabase::Open(path, 1000, "full");
    ASSERT_TRUE(setup.ok()) << setup.status().message();
    ASSERT_TRUE((*setup)->Exec("CREATE TABLE nota(texto TEXT)").ok());
  }
  int go[2], answer[2];
  ASSERT_EQ(::pipe(go), 0);
  ASSERT_EQ(::pipe(answer), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) AskForTheWriteLock(path, go[0], answer[1]);

  auto db = SqliteDatabase::Open(path, 1000, "full");
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE((*db)->BeginWrite().ok());
  ASSERT_TRUE((*db)->Exec("INSERT INTO nota(texto) VALUES ('escrevendo')").ok());
  auto tail = ReadWalTail(path);
  ASSERT_TRUE(tail.ok()) << tail.status().message();

  char byte = 'x', result = 0;
  ASSERT_EQ(::write(go[1], &byte, 1), 1);
  ASSERT_EQ(::read(answer[0], &result, 1), 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_EQ(result, 'B') << "another process took the WAL write lock while this one held it";
  EXPECT_TRUE((*db)->Commit().ok());
  for (int fd : {go[0], go[1], answer[0], answer[1]}) ::close(fd);
}

}  // namespace
}  // namespace papo
