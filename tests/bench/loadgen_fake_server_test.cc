// Whole runs of the load generator against FakeSseServer, whose faults make
// every count known in advance.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bench/loadgen/coordinator.h"
#include "bench_test_support.h"
#include "fake_sse_server.h"

namespace papo::bench {
namespace {

using testing::ChildProcess;
using testing::FakeFaults;

// 12 subscribers over rooms 1-3 (4 each) in 2 processes; 30 messages, 10 per room.
constexpr uint64_t kExpected = 12 * 10;

LoadgenOptions Options(int port, std::vector<std::string> extra = {}) {
  std::string target = "127.0.0.1:" + std::to_string(port);
  std::vector<std::string> args = {"--target", target, "--path", "/sub?id={room}", "--header", "X-Sub: {sub}",
                                   "--subscribers", "12", "--rooms", "1-3", "--processes", "2",
                                   "--publish", "nchan", "--publish-target", target, "--messages", "30",
                                   "--settle-ms", "100", "--drain-timeout", "1", "--reconnect-delay-ms", "20"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<std::string_view> views(args.begin(), args.end());
  auto options = ParseLoadgenOptions(views);
  EXPECT_TRUE(options.ok()) << options.status().ToString();
  return options.value();
}

RunResult RunAgainst(const FakeFaults& faults, std::vector<std::string> extra = {}) {
  int port = 0;
  ChildProcess server;
  server.Adopt(testing::StartFakeSseServer(faults, port));
  auto result = RunLoadgen(Options(port, std::move(extra)));
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.value();
}

uint64_t Lost(const RunResult& r) { return r.subscribers.deliveries.expected - r.subscribers.deliveries.unique; }

TEST(LoadgenFakeServerTest, CleanRunCountsEveryDelivery) {
  RunResult r = RunAgainst(FakeFaults{});
  EXPECT_TRUE(r.connect_complete);
  EXPECT_EQ(r.subscribers.established, 12u);
  EXPECT_EQ(r.subscribers.failed, 0u);
  EXPECT_EQ(r.publish.accepted, 30u);
  EXPECT_EQ(r.subscribers.deliveries.expected, kExpected);
  EXPECT_EQ(r.subscribers.deliveries.unique, kExpected);
  EXPECT_EQ(r.subscribers.deliveries.duplicates, 0u);
  EXPECT_EQ(r.subscribers.deliveries.out_of_order, 0u);
  EXPECT_EQ(r.subscribers.deliveries.wrong_room, 0u);
  EXPECT_TRUE(r.drained);
  EXPECT_EQ(r.subscribers.sse.named, kExpected);          // one presenca per message
  EXPECT_EQ(r.subscribers.sse.comments, 12 + kExpected);  // greeting + one ping per message
  EXPECT_EQ(r.subscribers.latency.count(), kExpected);
}

TEST(LoadgenFakeServerTest, LossDuplicateAndReorderAreCountedExactly) {
  FakeFaults faults;
  faults.chunked = true;
  faults.drop_subscriber = 0;
  faults.drop_k = 2;
  faults.duplicate_subscriber = 4;
  faults.duplicate_k = 1;
  faults.swap_subscriber = 7;
  faults.swap_k = 3;
  RunResult r = RunAgainst(faults);
  EXPECT_EQ(r.subscribers.established, 12u);
  EXPECT_EQ(r.subscribers.deliveries.expected, kExpected);
  EXPECT_EQ(r.subscribers.deliveries.unique, kExpected - 1);
  EXPECT_EQ(Lost(r), 1u);
  EXPECT_EQ(r.subscribers.deliveries.duplicates, 1u);
  EXPECT_EQ(r.subscribers.deliveries.out_of_order, 1u);
  EXPECT_FALSE(r.drained);
  EXPECT_EQ(r.subscribers.sse.named, kExpected);
}

TEST(LoadgenFakeServerTest, ReconnectsWithLastEventIdAndLosesNothing) {
  FakeFaults faults;
  faults.close_subscriber = 5;
  faults.close_k = 4;
  RunResult r = RunAgainst(faults, {"--rate", "300"});
  EXPECT_EQ(r.subscribers.disconnects, 1u);
  EXPECT_EQ(r.subscribers.reconnects, 1u);
  EXPECT_EQ(r.subscribers.deliveries.unique, kExpected);
  EXPECT_EQ(r.subscribers.deliveries.duplicates, 0u);
  EXPECT_EQ(r.subscribers.deliveries.out_of_order, 0u);
  EXPECT_TRUE(r.drained);
}

TEST(LoadgenFakeServerTest, PapoPublisherSendsTheSession) {
  RunResult r = RunAgainst(FakeFaults{}, {"--publish", "papo", "--publish-path", "/chat/enviar",
                                          "--publish-header", "Cookie: papo_session=ok",
                                          "--publish-header", "X-CSRF-Token: ok", "--publish-concurrency", "3"});
  EXPECT_EQ(r.publish.accepted, 30u);
  EXPECT_EQ(r.publish.statuses.at(200), 30u);
  EXPECT_EQ(r.subscribers.deliveries.unique, kExpected);
}

TEST(LoadgenFakeServerTest, RefusedPostsAreFailuresAndTheirMessagesLost) {
  RunResult r = RunAgainst(FakeFaults{}, {"--publish", "papo", "--publish-path", "/chat/enviar"});
  EXPECT_EQ(r.publish.accepted, 0u);
  EXPECT_EQ(r.publish.failed, 30u);
  EXPECT_EQ(r.publish.statuses.at(403), 30u);
  EXPECT_NE(r.publish.first_error.find("403"), std::string::npos);
  EXPECT_EQ(Lost(r), kExpected);
}

TEST(LoadgenFakeServerTest, RateSpacesTheMessages) {
  RunResult r = RunAgainst(FakeFaults{}, {"--rate", "200"});
  // 30 messages at 200/s: the last is due 29/200 s = 145 ms after the schedule starts. publish_s is
  // counted from when the first actually left, which can be a loop tick after the schedule's start,
  // so allow 10 ms of it; an unpaced run takes about 1 ms.
  EXPECT_GE(r.publish_s, 0.135);
  EXPECT_EQ(r.subscribers.deliveries.unique, kExpected);
}

TEST(LoadgenFakeServerTest, RefusedSubscriberFailsAndIsNotExpected) {
  FakeFaults faults;
  faults.refuse_subscriber = 3;
  RunResult r = RunAgainst(faults);
  EXPECT_EQ(r.subscribers.established, 11u);
  EXPECT_EQ(r.subscribers.failed, 1u);
  EXPECT_EQ(r.subscribers.refused_5xx, 1u);
  EXPECT_EQ(r.subscribers.reconnects, 0u);  // a first non-200 is final, as in EventSource
  EXPECT_EQ(r.subscribers.deliveries.expected, kExpected - 10);
  EXPECT_EQ(r.subscribers.deliveries.unique, kExpected - 10);
  EXPECT_TRUE(r.drained);
}

TEST(LoadgenFakeServerTest, UnreachableServerFailsEverySubscriber) {
  int port = testing::FreePort();  // nothing listens there
  LoadgenOptions options = Options(port, {"--publish", "none"});
  auto result = RunLoadgen(options);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->connect_complete);
  EXPECT_EQ(result->subscribers.established, 0u);
  EXPECT_EQ(result->subscribers.failed, 12u);
  EXPECT_FALSE(result->published);
}

}  // namespace
}  // namespace papo::bench
