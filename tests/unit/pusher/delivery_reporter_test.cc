// The pusher's delivery reports against a real redis-server: the first
// report of a message sets its bit and publishes `status`, later ones of
// the same message change nothing; reports go as EVALSHA once the script is
// loaded, and a Redis that forgot it (SCRIPT FLUSH, a restart) still gets
// every report (NOSCRIPT, then EVAL).
#include "sse-pusher/delivery_reporter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>

#include "common/bus/names.h"
#include "common/config.h"
#include "sse-pusher/event_loop.h"
#include "sse-pusher/metrics.h"
#include "sse-pusher/redis_commander.h"
#include "tests/unit/pusher/run_loop_until.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace papo::pusher {
namespace {

using namespace std::chrono_literals;

class DeliveryReporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = EventLoop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = std::move(loop).value();
    RedisAddress address;
    address.port = redis_.port();
    commander_ = std::make_unique<RedisCommander>(*loop_, metrics_, address, 1000, [] {});
    commander_->Start();
    ASSERT_TRUE(RunUntil([&] { return commander_->connected(); }));
    reporter_ = std::make_unique<RedisDeliveryReporter>(*commander_, RedisMode::kSingle, 50);
  }
  void TearDown() override {
    reporter_.reset();
    commander_.reset();
  }

  bool RunUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = 10000ms) {
    return test::RunLoopUntil(*loop_, done, limit);
  }
  int64_t Integer(const std::vector<std::string>& command) {
    auto reply = client_->Command(command);
    return reply.ok() && (*reply)->type == REDIS_REPLY_INTEGER ? (*reply)->integer : -1;
  }
  std::string Info() {
    auto calls = client_->Command({"INFO", "all"});
    return calls.ok() ? std::string((*calls)->str, (*calls)->len) : "";
  }
  void Report(int64_t seq) {
    reporter_->Report({{4, 100 + seq, seq, 3, MessageStatus::kDelivered}}, false);
    ASSERT_TRUE(RunUntil([&] { return Integer({"GETBIT", DeliveredKey(4), std::to_string(seq)}) == 1; }))
        << "seq " << seq << "\n" << Info();
  }

  testing::TempDir dir_;
  testing::RedisServer redis_{dir_.path()};
  std::unique_ptr<RedisClient> client_ = redis_.Client();
  std::unique_ptr<EventLoop> loop_;
  PusherMetrics metrics_;
  std::unique_ptr<RedisCommander> commander_;
  std::unique_ptr<RedisDeliveryReporter> reporter_;
};

TEST_F(DeliveryReporterTest, EveryMessageIsLoggedOnceWhateverTheScriptCache) {
  Report(1);  // EVAL, and SCRIPT LOAD for the next ones
  ASSERT_TRUE(RunUntil([&] { return commander_->pending() == 0; }));
  Report(2);  // EVALSHA
  Report(2);  // again: nothing new
  ASSERT_TRUE(RunUntil([&] { return commander_->pending() == 0; }));
  ASSERT_TRUE(client_->Command({"SCRIPT", "FLUSH"}).ok());
  Report(3);  // NOSCRIPT, then EVAL
  ASSERT_TRUE(RunUntil([&] { return commander_->pending() == 0; }));
  EXPECT_EQ(Integer({"ZCARD", ChangeLogKey(4)}), 3);
  auto calls = client_->Command({"INFO", "commandstats"});
  ASSERT_TRUE(calls.ok());
  std::string stats((*calls)->str, (*calls)->len);
  EXPECT_NE(stats.find("cmdstat_evalsha:calls=3,"), std::string::npos) << stats;  // 2, 2 again, 3 (NOSCRIPT)
  EXPECT_NE(stats.find("cmdstat_eval:calls=2,"), std::string::npos) << stats;     // 1, and 3 after NOSCRIPT
}

}  // namespace
}  // namespace papo::pusher
