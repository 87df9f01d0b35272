// papo-app's life cycle as an operator sees it: a bad setting stops it at
// start with the variable named; SIGTERM stops it cleanly; several workers
// started at once on a new database all come up.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "tests/support/net.h"
#include "tests/support/paths.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/stack.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {
namespace {

TEST(AppStartupTest, BadSettingStopsTheProgramNamingTheVariable) {
  TempDir dir;
  for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"CHAT_RATE_LIMIT", "muitos"}, {"CHAT_MESSAGE_MAX_LENGTH", "0"}, {"PAPO_REDIS_URL", "http://x"},
           {"PAPO_WORKER_THREADS", "-2"}, {"PAPO_COOKIE_SECURE", "sim"}}) {
    std::string log = dir.File(name + ".log");
    Process app({AppBinary()}, {{name, value}, {"PAPO_DB", dir.File("x.db")}, {"PAPO_FCGI_LISTEN", dir.File("a.sock")}},
                log);
    int status = app.WaitExit(std::chrono::milliseconds(5000));
    ASSERT_NE(status, -1) << name << " did not stop the program";
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << name;
    EXPECT_NE(ReadFile(log).find(name), std::string::npos) << ReadFile(log);
  }
}

TEST(AppStartupTest, SigtermStopsCleanlyAndRemovesTheSocket) {
  TempDir dir;
  RedisServer redis(dir.path());
  std::string socket = dir.File("app.sock");
  Process app({AppBinary()}, {{"PAPO_DB", FreshAppDatabase(dir)}, {"PAPO_FCGI_LISTEN", socket},
                              {"PAPO_REDIS_URL", redis.url()}},
              dir.File("app.log"));
  ASSERT_TRUE(WaitForUnixSocket(socket));
  app.Signal(SIGTERM);
  int status = app.WaitExit(std::chrono::milliseconds(5000));
  ASSERT_NE(status, -1) << "papo-app ignored SIGTERM";
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << ReadFile(dir.File("app.log"));
  EXPECT_NE(ReadFile(dir.File("app.log")).find("event=app_stopped"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(socket));
}

TEST(AppStartupTest, ManyWorkersOnANewDatabaseAllStart) {
  TempDir dir;
  RedisServer redis(dir.path());
  std::string database = FreshAppDatabase(dir);
  std::vector<Process> apps;
  for (int i = 0; i < 6; ++i) {
    apps.emplace_back(std::vector<std::string>{AppBinary()},
                      std::map<std::string, std::string>{{"PAPO_DB", database},
                                                         {"PAPO_FCGI_LISTEN", dir.File("app-" + std::to_string(i) + ".sock")},
                                                         {"PAPO_REDIS_URL", redis.url()},
                                                         {"PAPO_WORKER_THREADS", "2"}},
                      dir.File("app-" + std::to_string(i) + ".log"));
  }
  for (int i = 0; i < 6; ++i) {
    EXPECT_TRUE(WaitForUnixSocket(dir.File("app-" + std::to_string(i) + ".sock")))
        << ReadFile(dir.File("app-" + std::to_string(i) + ".log"));
  }
  std::string logs;
  for (int i = 0; i < 6; ++i) logs += ReadFile(dir.File("app-" + std::to_string(i) + ".log"));
  // Each migration ran once, in one of the workers (one line per version).
  std::map<std::string, int> runs;
  for (size_t pos = logs.find("event=schema_migrated version="); pos != std::string::npos;
       pos = logs.find("event=schema_migrated version=", pos + 1)) {
    size_t begin = pos + std::string_view("event=schema_migrated version=").size();
    ++runs[logs.substr(begin, logs.find(' ', begin) - begin)];
  }
  EXPECT_FALSE(runs.empty()) << logs;
  for (const auto& [version, count] : runs) EXPECT_EQ(count, 1) << "version " << version << "\n" << logs;
}

}  // namespace
}  // namespace papo::testing
