// The delivered bitmap as papo-app reads it, written by the pushers' own
// script (report_delivered.lua) on a real redis-server.
#include "fcgi-app/redis/redis_delivery_ledger.h"

#include <gtest/gtest.h>

#include "common/bus/names.h"
#include "common/bus/scripts.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {
namespace {

class RedisDeliveryLedgerTest : public ::testing::Test {
 protected:
  void Report(int64_t sala_id, int64_t seq) {
    ScriptCall call =
        ReportDeliveredCall(RedisMode::kSingle, {{sala_id, 100 + seq, seq, 3, MessageStatus::kDelivered}}, false, 50);
    auto reply = client_->Eval(ReportDeliveredScript(), call.keys, call.args);
    ASSERT_TRUE(reply.ok()) << reply.status().message();
  }

  TempDir dir_;
  RedisServer redis_{dir_.path()};
  std::unique_ptr<RedisClient> client_ = redis_.Client();
  RedisDeliveryLedger ledger_{*client_};
};

TEST_F(RedisDeliveryLedgerTest, ReadsWhatThePushersReported) {
  Report(4, 2);
  Report(4, 5);
  Report(9, 3);  // another room's
  EXPECT_EQ(ledger_.Delivered(4, {1, 2, 3, 5}), (std::vector<bool>{false, true, false, true}));
  EXPECT_EQ(ledger_.Delivered(9, {2, 3}), (std::vector<bool>{false, true}));
  EXPECT_TRUE(ledger_.Delivered(4, {}).empty());
}

TEST_F(RedisDeliveryLedgerTest, TheRingForgetsHalfARingBehind) {
  Report(4, 7);
  // A report half a ring later clears 7's bit for the seq that reuses it.
  Report(4, 7 + kDeliveredRing / 2);
  EXPECT_EQ(ledger_.Delivered(4, {7 + kDeliveredRing, 7 + kDeliveredRing / 2}), (std::vector<bool>{false, true}));
}

TEST_F(RedisDeliveryLedgerTest, AnUnreachableBusReadsAsNothingDelivered) {
  Report(4, 2);
  redis_.Stop();
  EXPECT_EQ(ledger_.Delivered(4, {2}), (std::vector<bool>{false}));
}

}  // namespace
}  // namespace papo::testing
