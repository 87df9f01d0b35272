// The pusher-alone publisher writes what papo-app writes: the message JSON in
// the room cache under its seq, seqs continuing from the cache.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "bench/loadgen/bench_marker.h"
#include "bench/loadgen/coordinator.h"
#include "bench_test_support.h"
#include "common/bus/cluster_slots.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/redis_server.h"
#include "common/redis_client.h"
#include "common/bus/names.h"

namespace papo::bench {
namespace {

RunResult Publish(int port, std::string mode = "redis", std::string rooms = "1-2", int messages = 6) {
  std::string target = "127.0.0.1:" + std::to_string(port);
  std::vector<std::string> args = {"--publish", mode, "--publish-target", target, "--messages", std::to_string(messages),
                                   "--rooms", rooms, "--cache-size", "100", "--settle-ms", "0",
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

// On a cluster each message goes to the primary of its room's slot: the
// rooms below land on all three, and every room's cache holds its
// messages under continuing seqs, read back through the cluster router.
TEST(RedisDirectPublisherTest, PublishesEachRoomOnItsSlotsPrimaryInACluster) {
  testing::TempDir dir;
  papo::testing::RedisCluster cluster(dir.path(), {.primaries = 3, .replicas_per_primary = 0});
  std::set<int> primaries;
  for (int64_t room = 1; room <= 12; ++room) primaries.insert(cluster.PrimaryOf(KeySlot(RecentCacheKey(room))));
  ASSERT_EQ(primaries.size(), 3u) << "rooms 1-12 should span the three primaries";

  EXPECT_EQ(Publish(cluster.ports()[0], "redis-cluster", "1-12", 24).publish.accepted, 24u);
  EXPECT_EQ(Publish(cluster.ports()[1], "redis-cluster", "1-12", 24).publish.accepted, 24u);

  auto client = cluster.Client();
  for (int64_t room = 1; room <= 12; ++room) {
    auto reply = client->Command({"ZRANGE", RecentCacheKey(room), "0", "-1", "WITHSCORES"});
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    ASSERT_EQ((*reply)->elements, 8u) << "room " << room;  // 2 runs x 2 messages, with scores
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(std::string((*reply)->element[2 * i + 1]->str), std::to_string(i + 1));
  }
}

}  // namespace
}  // namespace papo::bench
