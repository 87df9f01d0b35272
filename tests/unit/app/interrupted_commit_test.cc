// A writer killed inside COMMIT (issue 14, item 11), with real SQLite files
// and real processes: a child process commits through a VFS that ends it
// after the commit's frames are in the WAL and before the wal-index
// publishes them. What papo decided (fcgi-app/db/sqlite/wal_tail.h): while
// another process has the database open, such a commit is discarded by the
// sweep; the control test shows what the sweep prevents (the commit
// surfacing at the next full restart).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "fcgi-app/db/sqlite/sqlite_database.h"
#include "fcgi-app/db/sqlite/wal_tail.h"
#include "tests/support/stack.h"
#include "tests/support/temp_dir.h"
#include "tests/support/web_user.h"
#include "tests/unit/app/crash_in_commit_vfs.h"

namespace papo {
namespace {

using papo::testing::TempDir;

constexpr int kCrashed = 77;

std::unique_ptr<SqliteDatabase> OpenDb(const std::string& path) {
  auto db = SqliteDatabase::Open(path, 5000, "full");
  EXPECT_TRUE(db.ok()) << db.status().message();
  return db.ok() ? std::move(db).value() : nullptr;
}

int64_t CountText(Database& db, const std::string& text) {
  auto statement = db.Cached("SELECT count(*) FROM nota WHERE texto = ?1");
  EXPECT_TRUE(statement.ok());
  StatementScope scope(**statement);
  scope->Bind(1, text);
  auto row = scope->Step();
  EXPECT_TRUE(row.ok() && *row);
  return scope->ColumnInt64(0);
}

void Insert(Database& db, const std::string& text) {
  auto statement = db.Cached("INSERT INTO nota(texto) VALUES (?1)");
  ASSERT_TRUE(statement.ok());
  StatementScope scope(**statement);
  scope->Bind(1, text);
  ASSERT_TRUE(scope->Step().ok());
}

// What a start after every process was killed finds: the database and its
// WAL as they are now, without the wal-index (shared memory dies with its
// processes' mappings in effect: the first opener rebuilds it from the WAL).
// A copy, so the running connections are left alone.
int64_t QueryAfterEveryProcessWasKilled(const TempDir& dir, const std::string& path, const std::string& sql,
                                        const std::string& text) {
  namespace fs = std::filesystem;
  const std::string copy = dir.File("reiniciado.db");
  fs::copy_file(path, copy, fs::copy_options::overwrite_existing);
  fs::copy_file(path + "-wal", copy + "-wal", fs::copy_options::overwrite_existing);
  fs::remove(copy + "-shm");
  auto restarted = OpenDb(copy);
  if (restarted == nullptr) return -1;
  int64_t count = -1;
  {
    auto statement = restarted->Cached(sql);
    EXPECT_TRUE(statement.ok());
    StatementScope scope(**statement);
    scope->Bind(1, text);
    auto row = scope->Step();
    if (row.ok() && *row) count = scope->ColumnInt64(0);
  }
  restarted.reset();
  fs::remove(copy);
  fs::remove(copy + "-wal");
  fs::remove(copy + "-shm");
  return count;
}

int64_t CountAfterEveryProcessWasKilled(const TempDir& dir, const std::string& path, const std::string& text) {
  return QueryAfterEveryProcessWasKilled(dir, path, "SELECT count(*) FROM nota WHERE texto = ?1", text);
}

// Forks a process that inserts `text` in its own connection and is killed
// inside that INSERT's COMMIT; returns its exit status. The child waits for
// `go` so the parent can open its connections first (SQLite connections must
// not cross a fork, so the child is forked before any exists).
class CrashingWriter {
 public:
  CrashingWriter(std::string path, std::string text) : CrashingWriter(path, "INSERT INTO nota(texto) VALUES ('" + text + "')", 0) {}
  CrashingWriter(std::string path, std::string sql, int) {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    pid_ = fork();
    if (pid_ == 0) {
      close(fds[1]);
      char byte;
      if (read(fds[0], &byte, 1) != 1) _exit(2);
      const char* vfs = papo::testing::RegisterCrashInCommitVfs();
      sqlite3* db = nullptr;
      if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, vfs) != SQLITE_OK) _exit(3);
      sqlite3_busy_timeout(db, 5000);
      if (sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) != SQLITE_OK) _exit(4);
      papo::testing::ArmCrashInCommit(kCrashed);
      sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
      _exit(5);  // the commit returned: the VFS never fired
    }
    close(fds[0]);
    go_ = fds[1];
  }
  ~CrashingWriter() {
    if (go_ >= 0) close(go_);
    if (pid_ > 0 && !waited_) waitpid(pid_, nullptr, 0);
  }
  int Run() {
    EXPECT_EQ(write(go_, "x", 1), 1);
    int status = 0;
    EXPECT_EQ(waitpid(pid_, &status, 0), pid_);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int go_ = -1;
  bool waited_ = false;
};

class InterruptedCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("papo.db");
    auto db = OpenDb(path_);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->Exec("CREATE TABLE nota(id INTEGER PRIMARY KEY, texto TEXT NOT NULL)").ok());
    ASSERT_TRUE(db->Exec("PRAGMA user_version=7").ok());
    Insert(*db, "antes");
  }

  // Another papo-app process (this one) stays up while a writer is killed
  // inside its COMMIT of "orfa"; returns that peer's connection.
  std::unique_ptr<SqliteDatabase> KillACommitWhileAPeerRuns() {
    CrashingWriter child(path_, "orfa");
    auto peer = OpenDb(path_);
    EXPECT_NE(peer, nullptr);
    if (peer == nullptr) return nullptr;
    EXPECT_EQ(CountText(*peer, "antes"), 1);
    EXPECT_EQ(child.Run(), kCrashed);
    return peer;
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(InterruptedCommitTest, ACommitKilledWhileAPeerRunsIsDiscardedForGood) {
  auto peer = KillACommitWhileAPeerRuns();
  ASSERT_NE(peer, nullptr);

  // The frames are in the WAL, past the index: nobody sees the row.
  auto tail = ReadWalTail(path_);
  ASSERT_TRUE(tail.ok()) << tail.status().message();
  EXPECT_TRUE(tail->frames_past_index);
  EXPECT_EQ(CountText(*peer, "orfa"), 0);

  auto swept = peer->SweepInterruptedCommit();
  ASSERT_TRUE(swept.ok()) << swept.status().message();
  EXPECT_TRUE(*swept);
  auto again = peer->SweepInterruptedCommit();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);  // nothing left past the index

  // Every process is killed; the next start rebuilds the index from the WAL.
  EXPECT_EQ(CountAfterEveryProcessWasKilled(dir_, path_, "orfa"), 0);
  EXPECT_EQ(CountAfterEveryProcessWasKilled(dir_, path_, "antes"), 1);
  // The sweep's write changed nothing: the schema version is the same.
  auto version = peer->Cached("PRAGMA user_version");
  ASSERT_TRUE(version.ok());
  StatementScope scope(**version);
  ASSERT_TRUE(*scope->Step());
  EXPECT_EQ(scope->ColumnInt64(0), 7);
}

// The control: without the sweep, the same kill leaves a message that
// appears at the next full restart — the late surprise the sweep removes.
TEST_F(InterruptedCommitTest, WithoutTheSweepTheKilledCommitSurfacesAtTheNextFullRestart) {
  auto peer = KillACommitWhileAPeerRuns();
  ASSERT_NE(peer, nullptr);
  EXPECT_EQ(CountText(*peer, "orfa"), 0);
  EXPECT_EQ(CountAfterEveryProcessWasKilled(dir_, path_, "orfa"), 1);
}

// Also when the WAL already holds frames (the dead commit is not the
// first of its generation).
TEST_F(InterruptedCommitTest, ACommitKilledAfterOthersInTheSameWalIsDiscardedToo) {
  CrashingWriter child(path_, "orfa");
  auto peer = OpenDb(path_);
  ASSERT_NE(peer, nullptr);
  for (int i = 0; i < 5; ++i) Insert(*peer, "cedo" + std::to_string(i));
  auto before = ReadWalTail(path_);
  ASSERT_TRUE(before.ok());
  EXPECT_GT(before->indexed_frames, 0u);
  EXPECT_FALSE(before->frames_past_index);
  ASSERT_EQ(child.Run(), kCrashed);
  EXPECT_EQ(CountAfterEveryProcessWasKilled(dir_, path_, "orfa"), 1);  // the hazard is there
  auto swept = peer->SweepInterruptedCommit();
  ASSERT_TRUE(swept.ok());
  EXPECT_TRUE(*swept);
  EXPECT_EQ(CountAfterEveryProcessWasKilled(dir_, path_, "orfa"), 0);
  EXPECT_EQ(CountAfterEveryProcessWasKilled(dir_, path_, "cedo4"), 1);
}

// The next ordinary write also buries it (it appends over the same
// frames): after it, no restart brings the row back.
TEST_F(InterruptedCommitTest, TheNextWriteOfAPeerAlsoBuriesIt) {
  auto peer = KillACommitWhileAPeerRuns();
  ASSERT_NE(peer, nullptr);
  Insert(*peer, "depois");
  auto swept = peer->SweepInterruptedCommit();
  ASSERT_TRUE(swept.ok());
  EXPECT_FALSE(*swept);
  EXPECT_EQ(CountAfterEveryProcessWasKilled(dir_, path_, "orfa"), 0);
  EXPECT_EQ(CountAfterEveryProcessWasKilled(dir_, path_, "depois"), 1);
}

// With no process left, SQLite's recovery at the next open finds the
// commit first and it is stored, before papo-app serves anything; the
// sweep then finds nothing to do.
TEST_F(InterruptedCommitTest, WhenNoProcessSurvivesRecoveryStoresItBeforeTheRestartServes) {
  CrashingWriter child(path_, "orfa");
  ASSERT_EQ(child.Run(), kCrashed);
  auto restarted = OpenDb(path_);
  ASSERT_NE(restarted, nullptr);
  EXPECT_EQ(CountText(*restarted, "orfa"), 1);
  auto swept = restarted->SweepInterruptedCommit();
  ASSERT_TRUE(swept.ok());
  EXPECT_FALSE(*swept);
  EXPECT_EQ(CountText(*restarted, "orfa"), 1);
}

// Ordinary traffic from several connections never looks like a dead
// commit once the writers are done, and the sweep writes nothing then.
TEST_F(InterruptedCommitTest, QuietOrBusyDatabasesHaveNothingToSweep) {
  auto a = OpenDb(path_);
  auto b = OpenDb(path_);
  for (int i = 0; i < 50; ++i) Insert(i % 2 == 0 ? *a : *b, "n" + std::to_string(i));
  auto before = ReadWalTail(path_);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->frames_past_index);
  auto swept = a->SweepInterruptedCommit();
  ASSERT_TRUE(swept.ok());
  EXPECT_FALSE(*swept);
  auto after = ReadWalTail(path_);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->indexed_frames, before->indexed_frames);
}

// The wiring, black-box: papo-app processes (two, as deployed) find the
// dead commit on their own within seconds, and keep serving.
TEST(InterruptedCommitStackTest, RunningWorkersDiscardAKilledCommitWithinSeconds) {
  using papo::testing::Stack;
  using papo::testing::StackOptions;
  using papo::testing::WebUser;
  StackOptions options;
  options.backend = papo::testing::Backend::kSqlite;
  options.pushers = 0;
  options.app_processes = 2;
  Stack stack(options);
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", "ana-commit@example.com").status, 303);
  ASSERT_EQ(ana.Send(1, "antes").status, 200);
  CrashingWriter child(stack.db_path(), "UPDATE usuario SET nome = 'Orfa' WHERE email = 'ana-commit@example.com'", 0);
  ASSERT_EQ(child.Run(), kCrashed);
  const std::string count_sql = "SELECT count(*) FROM usuario WHERE nome = ?1";
  TempDir scratch;
  bool swept = false;
  for (int i = 0; i < 100 && !swept; ++i) {
    auto tail = ReadWalTail(stack.db_path());
    ASSERT_TRUE(tail.ok());
    swept = !tail->frames_past_index;
    if (!swept) usleep(50'000);
  }
  EXPECT_TRUE(swept) << "no papo-app process swept the dead commit within 5 s";
  EXPECT_EQ(QueryAfterEveryProcessWasKilled(scratch, stack.db_path(), count_sql, "Orfa"), 0);
  EXPECT_EQ(QueryAfterEveryProcessWasKilled(scratch, stack.db_path(), count_sql, "Ana"), 1);
  EXPECT_EQ(ana.Send(1, "depois").status, 200);
}

TEST_F(InterruptedCommitTest, ADatabaseWithoutWalFilesHasNoTail) {
  auto tail = ReadWalTail(dir_.File("nao-existe.db"));
  ASSERT_TRUE(tail.ok());
  EXPECT_FALSE(tail->frames_past_index);
  EXPECT_EQ(tail->indexed_frames, 0u);
}

}  // namespace
}  // namespace papo
