// The load generator against the reference it is compared with: NGINX +
// Nchan, on small runs whose counts are known exactly.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bench/loadgen/coordinator.h"
#include "bench_test_support.h"

namespace papo::bench {
namespace {

class LoadgenNchanTest : public ::testing::Test {
 protected:
  void Start(int workers) {
    std::string why = testing::StartNchan(dir_, workers, nchan_);
    ASSERT_TRUE(why.empty()) << why;
  }

  RunResult Run(std::vector<std::string> extra) {
    std::string target = "127.0.0.1:" + std::to_string(nchan_.port);
    std::vector<std::string> args = {"--target", target, "--path", "/sub?id={room}", "--subscribers", "60",
                                     "--rooms", "1-6", "--processes", "2", "--publish", "nchan",
                                     "--publish-target", target, "--messages", "120", "--settle-ms", "200",
                                     "--drain-timeout", "5",
                                     "--server", "nginx=" + std::to_string(nchan_.process.pid()) + "+"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<std::string_view> views(args.begin(), args.end());
    auto options = ParseLoadgenOptions(views);
    EXPECT_TRUE(options.ok()) << options.status().ToString();
    auto result = RunLoadgen(options.value());
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.value();
  }

  static void ExpectExact(const RunResult& r) {
    // 60 subscribers over 6 rooms, 120 messages: 20 per room, 1,200 deliveries.
    EXPECT_EQ(r.subscribers.established, 60u);
    EXPECT_EQ(r.subscribers.failed, 0u);
    EXPECT_EQ(r.publish.accepted, 120u);
    EXPECT_EQ(r.subscribers.deliveries.expected, 1200u);
    EXPECT_EQ(r.subscribers.deliveries.unique, 1200u);
    EXPECT_EQ(r.subscribers.deliveries.duplicates, 0u);
    EXPECT_EQ(r.subscribers.deliveries.out_of_order, 0u);
    EXPECT_EQ(r.subscribers.deliveries.wrong_room, 0u);
    EXPECT_EQ(r.subscribers.disconnects, 0u);
    EXPECT_TRUE(r.drained);
    EXPECT_EQ(r.subscribers.latency.count(), 1200u);
  }

  testing::TempDir dir_;
  testing::NchanServer nchan_;
};

TEST_F(LoadgenNchanTest, FullSpeedCountsAreExact) {
  Start(1);
  RunResult r = Run({});
  ExpectExact(r);
  EXPECT_EQ(r.subscribers.sse.comments, 60u);  // Nchan's ": hi" greeting
  EXPECT_EQ(r.subscribers.sse.named, 0u);
  ASSERT_EQ(r.servers[kConnected].size(), 1u);
  EXPECT_EQ(r.servers[kConnected][0].processes, 2);  // master + worker
  EXPECT_GT(r.servers[kConnected][0].rss_kb, 0u);
}

TEST_F(LoadgenNchanTest, ConcurrentPublishersAtARateAreExact) {
  Start(1);
  ExpectExact(Run({"--rate", "600", "--publish-concurrency", "4"}));
}

TEST_F(LoadgenNchanTest, SeveralNginxWorkersAreExact) {
  Start(2);
  ExpectExact(Run({"--processes", "3"}));
}

}  // namespace
}  // namespace papo::bench
