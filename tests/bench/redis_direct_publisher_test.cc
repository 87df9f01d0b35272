// The pusher-alone publisher writes what papo-app writes: the message JSON in
// the room cache under its seq, seqs continuing from the cache.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bench/loadgen/bench_marker.h"
#include "bench/loadgen/coordinator.h"
#include "bench_test_support.h"
#include "tests/support/redis_server.h"
#include "common/redis_client.h"
#include "common/bus/names.h"

namespace papo::bench {
namespace {

RunResult Publish(int port) {
  std::string target = "127.0.0.1:" + std::to_string(port);
  std::vector<std::string> args = {"--publish", "redis", "--publish-target", target, "--messages", "6",
                                   "--rooms", "1-2", "--cache-size", "100", "--settle-ms", "0",
                                   "--drain-timeout", "1", "--publish-concurrency", "4"};
  std::vector<std::string_view> views(args.begin(), args.end());
  auto options = ParseLoadgenOptions(views);
  EXPECT_TRUE(options.ok()) << options.status().ToString();
  auto result = RunLoadgen(options.value());
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.value();
}

TEST(RedisDirectPublisherTest, CachesMessagesUnderContinuingSeqs) {
  testing::TempDir dir;
  papo::testing::RedisServer redis(dir.path());

  EXPECT_EQ(Publish(redis.port()).publish.accepted, 6u);
  EXPECT_EQ(Publish(redis.port()).publish.accepted, 6u);

  RedisAddress address;
  address.port = redis.port();
  RedisClient client(address);
  auto reply = client.Command({"ZRANGE", RecentCacheKey(1), "0", "-1", "WITHSCORES"});
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  ASSERT_EQ((*reply)->elements, 12u);  // 6 messages of room 1, with scores
  for (size_t i = 0; i < 6; ++i) {
    std::string json((*reply)->element[2 * i]->str, (*reply)->element[2 * i]->len);
    std::string score((*reply)->element[2 * i + 1]->str);
    EXPECT_EQ(score, std::to_string(i + 1));
    EXPECT_NE(json.find("\"seq\":" + score + ","), std::string::npos) << json;
    EXPECT_NE(json.find("\"sala_id\":1,"), std::string::npos) << json;
    Marker marker;
    ASSERT_TRUE(FindMarker(json.data(), json.data() + json.size(), marker)) << json;
    EXPECT_EQ(marker.room_index, 0u);
    EXPECT_EQ(marker.k, i % 3);  // each run sends k = 0, 1, 2 to room 1
  }
}

}  // namespace
}  // namespace papo::bench
