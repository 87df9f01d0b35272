#include "common/bus/cluster_slots.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <memory>
#include <string>

#include "common/bus/names.h"
#include "common/redis_handle.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/temp_dir.h"

namespace papo {
namespace {

// A reply as hiredis builds it from the bytes a server sent.
RedisReplyPtr ParseResp(const std::string& bytes) {
  std::unique_ptr<redisReader, decltype(&redisReaderFree)> reader(redisReaderCreate(), &redisReaderFree);
  redisReaderFeed(reader.get(), bytes.data(), bytes.size());
  void* reply = nullptr;
  EXPECT_EQ(redisReaderGetReply(reader.get(), &reply), REDIS_OK);
  return RedisReplyPtr(static_cast<redisReply*>(reply));
}

std::string Bulk(const std::string& text) { return "$" + std::to_string(text.size()) + "\r\n" + text + "\r\n"; }

// One node of a Redis 7.0 CLUSTER SLOTS entry: ip, port, id, metadata.
std::string Node(const std::string& ip, int port, const std::string& id) {
  return "*4\r\n" + Bulk(ip) + ":" + std::to_string(port) + "\r\n" + Bulk(id) + "*0\r\n";
}

TEST(ClusterSlotsTest, Crc16OfTheSpecsCheckValue) { EXPECT_EQ(Crc16("123456789"), 0x31C3); }

TEST(ClusterSlotsTest, KeySlotOfKnownKeys) {
  EXPECT_EQ(KeySlot("foo"), 12182);
  EXPECT_EQ(KeySlot("bar"), 5061);
  EXPECT_EQ(KeySlot(""), 0);
}

TEST(ClusterSlotsTest, KeysWithTheSameHashTagShareASlot) {
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("{user1000}.followers"));
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("user1000"));
}

TEST(ClusterSlotsTest, AnEmptyTagHashesTheWholeKey) {
  EXPECT_EQ(KeySlot("foo{}{bar}"), Crc16("foo{}{bar}") % 16384);
  EXPECT_NE(KeySlot("foo{}{bar}"), KeySlot("bar"));
}

TEST(ClusterSlotsTest, TheTagEndsAtTheFirstClosingBrace) {
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), KeySlot("{bar"));
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), Crc16("{bar") % 16384);
  EXPECT_EQ(KeySlot("foo{bar}{zap}"), KeySlot("bar"));
}

TEST(ClusterSlotsTest, AnUnclosedBraceHashesTheWholeKey) {
  EXPECT_EQ(KeySlot("foo{bar"), Crc16("foo{bar") % 16384);
}

TEST(ClusterSlotsTest, ParsesMoved) {
  auto redirect = ParseRedirect("MOVED 3999 127.0.0.1:6381");
  ASSERT_TRUE(redirect.has_value());
  EXPECT_FALSE(redirect->ask);
  EXPECT_EQ(redirect->slot, 3999);
  EXPECT_EQ(redirect->node, (ClusterNode{"127.0.0.1", 6381}));
}

TEST(ClusterSlotsTest, ParsesAsk) {
  auto redirect = ParseRedirect("ASK 16383 10.0.0.2:7002");
  ASSERT_TRUE(redirect.has_value());
  EXPECT_TRUE(redirect->ask);
  EXPECT_EQ(redirect->slot, 16383);
  EXPECT_EQ(redirect->node, (ClusterNode{"10.0.0.2", 7002}));
}

TEST(ClusterSlotsTest, ParsesAnIpv6AndAnEmptyHost) {
  auto v6 = ParseRedirect("MOVED 1 ::1:7000");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->node, (ClusterNode{"::1", 7000}));
  auto empty = ParseRedirect("MOVED 2 :7001");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->node, (ClusterNode{"", 7001}));
}

TEST(ClusterSlotsTest, RefusesOtherErrorsAndMalformedRedirects) {
  EXPECT_FALSE(ParseRedirect("ERR unknown command").has_value());
  EXPECT_FALSE(ParseRedirect("NOSCRIPT No matching script").has_value());
  EXPECT_FALSE(ParseRedirect("MOVED 16384 127.0.0.1:6381").has_value());  // no such slot
  EXPECT_FALSE(ParseRedirect("MOVED x 127.0.0.1:6381").has_value());
  EXPECT_FALSE(ParseRedirect("MOVED 3999").has_value());
  EXPECT_FALSE(ParseRedirect("MOVED 3999 127.0.0.1").has_value());
  EXPECT_FALSE(ParseRedirect("MOVED 3999 127.0.0.1:0").has_value());
  EXPECT_FALSE(ParseRedirect("MOVED 3999 127.0.0.1:70000").has_value());
  EXPECT_FALSE(ParseRedirect("ASK 3999 127.0.0.1:63x").has_value());
}

// What a Redis 7.0 node sent for a 3-primary cluster with one replica each.
std::string ThreeShards() {
  return "*3\r\n"
         "*4\r\n:0\r\n:5460\r\n" + Node("127.0.0.1", 7000, "a") + Node("127.0.0.1", 7003, "d") +
         "*4\r\n:5461\r\n:10922\r\n" + Node("127.0.0.1", 7001, "b") + Node("127.0.0.1", 7004, "e") +
         "*4\r\n:10923\r\n:16383\r\n" + Node("127.0.0.1", 7002, "c") + Node("127.0.0.1", 7005, "f");
}

TEST(ClusterSlotsTest, ReadsAClusterSlotsReply) {
  auto reply = ParseResp(ThreeShards());
  auto map = SlotMap::FromClusterSlots(reply.get());
  ASSERT_TRUE(map.ok()) << map.status().message();
  EXPECT_FALSE(map->empty());
  ASSERT_NE(map->NodeFor(0), nullptr);
  EXPECT_EQ(*map->NodeFor(0), (ClusterNode{"127.0.0.1", 7000}));
  EXPECT_EQ(*map->NodeFor(5460), (ClusterNode{"127.0.0.1", 7000}));
  EXPECT_EQ(*map->NodeFor(5461), (ClusterNode{"127.0.0.1", 7001}));
  EXPECT_EQ(*map->NodeFor(KeySlot("foo")), (ClusterNode{"127.0.0.1", 7002}));
  EXPECT_EQ(map->Primaries().size(), 3u);
  EXPECT_EQ(map->KnownNodes().size(), 6u);
  ASSERT_EQ(map->ranges().size(), 3u);
  ASSERT_EQ(map->ranges()[1].replicas.size(), 1u);
  EXPECT_EQ(map->ranges()[1].replicas[0], (ClusterNode{"127.0.0.1", 7004}));
}

TEST(ClusterSlotsTest, UnservedSlotsHaveNoNode) {
  auto reply = ParseResp("*1\r\n*3\r\n:100\r\n:200\r\n" + Node("127.0.0.1", 7000, "a"));
  auto map = SlotMap::FromClusterSlots(reply.get());
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->NodeFor(99), nullptr);
  EXPECT_NE(map->NodeFor(100), nullptr);
  EXPECT_EQ(map->NodeFor(201), nullptr);
}

TEST(ClusterSlotsTest, ANodeOfUnknownAddressIsLeftOut) {
  auto reply = ParseResp("*2\r\n*3\r\n:0\r\n:9\r\n" + Node("?", 7000, "a") + "*3\r\n:10\r\n:19\r\n" +
                         Node("", 7001, "b"));
  auto map = SlotMap::FromClusterSlots(reply.get());
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->NodeFor(5), nullptr);
  map->FillEmptyHosts("10.1.1.1");
  ASSERT_NE(map->NodeFor(15), nullptr);
  EXPECT_EQ(*map->NodeFor(15), (ClusterNode{"10.1.1.1", 7001}));
}

TEST(ClusterSlotsTest, AnEmptyReplyIsAnEmptyMap) {
  auto reply = ParseResp("*0\r\n");
  auto map = SlotMap::FromClusterSlots(reply.get());
  ASSERT_TRUE(map.ok());
  EXPECT_TRUE(map->empty());
}

TEST(ClusterSlotsTest, RefusesRepliesOfAnotherShape) {
  auto error = ParseResp("-ERR This instance has cluster support disabled\r\n");
  auto refused = SlotMap::FromClusterSlots(error.get());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("cluster support disabled"), std::string::npos);
  auto text = ParseResp("+OK\r\n");
  EXPECT_FALSE(SlotMap::FromClusterSlots(text.get()).ok());
  auto reversed = ParseResp("*1\r\n*3\r\n:9\r\n:1\r\n" + Node("127.0.0.1", 7000, "a"));
  EXPECT_FALSE(SlotMap::FromClusterSlots(reversed.get()).ok());
  auto out_of_range = ParseResp("*1\r\n*3\r\n:0\r\n:16384\r\n" + Node("127.0.0.1", 7000, "a"));
  EXPECT_FALSE(SlotMap::FromClusterSlots(out_of_range.get()).ok());
  EXPECT_FALSE(SlotMap::FromClusterSlots(nullptr).ok());
}

TEST(ClusterSlotsTest, AssignRecordsAMovedSlot) {
  auto reply = ParseResp(ThreeShards());
  auto map = SlotMap::FromClusterSlots(reply.get());
  ASSERT_TRUE(map.ok());
  const uint16_t slot = KeySlot("foo");
  map->Assign(slot, {"127.0.0.1", 7009});
  EXPECT_EQ(*map->NodeFor(slot), (ClusterNode{"127.0.0.1", 7009}));
  EXPECT_EQ(*map->NodeFor(slot - 1), (ClusterNode{"127.0.0.1", 7002}));
  EXPECT_EQ(map->Primaries().size(), 4u);
  SlotMap fresh;
  EXPECT_TRUE(fresh.empty());
  fresh.Assign(3, {"127.0.0.1", 7000});
  EXPECT_FALSE(fresh.empty());
}

TEST(ClusterSlotsTest, FetchNamesEveryNodeWhenNoneAnswers) {
  // Port 1 on loopback: nothing listens there (it needs root to bind).
  auto map = FetchSlotMap({{"127.0.0.1", 1}}, "", 200);
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(map.status().message().find("127.0.0.1:1"), std::string::npos);
  auto none = FetchSlotMap({}, "", 200);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Status::Code::kUnavailable);
}

// Against a real cluster: 3 primaries + 3 replicas, started once for the suite.
class ClusterSlotsOnAClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    cluster_ = new testing::RedisCluster(dir_->path());
  }
  static void TearDownTestSuite() {
    delete cluster_;
    delete dir_;
  }
  static long long ServerKeySlot(const std::string& key) {
    auto reply = cluster_->NodeCommand(cluster_->ports()[0], {"CLUSTER", "KEYSLOT", key});
    EXPECT_NE(reply, nullptr);
    EXPECT_EQ(reply->type, REDIS_REPLY_INTEGER);
    return reply->integer;
  }
  static testing::TempDir* dir_;
  static testing::RedisCluster* cluster_;
};
testing::TempDir* ClusterSlotsOnAClusterTest::dir_ = nullptr;
testing::RedisCluster* ClusterSlotsOnAClusterTest::cluster_ = nullptr;

TEST_F(ClusterSlotsOnAClusterTest, KeySlotAgreesWithTheServer) {
  for (const std::string key : {"foo", "bar", "123456789", "{user1000}.following", "foo{}{bar}", "foo{{bar}}zap",
                                "foo{bar", "", "papo:lista", "papo:sessoes", "\xff\x00bin"}) {
    EXPECT_EQ(KeySlot(key), ServerKeySlot(key)) << key;
  }
  for (int64_t id : {1, 7, 42, 99999}) {
    for (const std::string& name : {RoomChannel(id), RecentCacheKey(id), PresenceKey(id), PrivateListChannel(id),
                                    UserChannel(id), UserStreamsKey(id), PrivateRoomsKey(id)}) {
      EXPECT_EQ(KeySlot(name), ServerKeySlot(name)) << name;
    }
  }
}

// One room's channel, cache, presence and private list channel are one slot,
// so one Lua script may touch them all and one node publishes them.
TEST_F(ClusterSlotsOnAClusterTest, ARoomsKeysAndChannelsShareOneSlot) {
  const long long slot = ServerKeySlot(RoomChannel(7));
  EXPECT_EQ(ServerKeySlot(RecentCacheKey(7)), slot);
  EXPECT_EQ(ServerKeySlot(PresenceKey(7)), slot);
  EXPECT_EQ(ServerKeySlot(PrivateListChannel(7)), slot);
  EXPECT_EQ(ServerKeySlot(UserStreamsKey(3)), ServerKeySlot(UserChannel(3)));
  EXPECT_EQ(ServerKeySlot(PrivateRoomsKey(3)), ServerKeySlot(UserChannel(3)));
}

TEST_F(ClusterSlotsOnAClusterTest, ReadsTheServersClusterSlots) {
  auto reply = cluster_->NodeCommand(cluster_->ports()[0], {"CLUSTER", "SLOTS"});
  ASSERT_NE(reply, nullptr);
  auto map = SlotMap::FromClusterSlots(reply.get());
  ASSERT_TRUE(map.ok()) << map.status().message();
  EXPECT_EQ(map->Primaries().size(), 3u);
  EXPECT_EQ(map->KnownNodes().size(), 6u);
  for (uint16_t slot = 0; slot < kClusterSlots; ++slot) {
    ASSERT_NE(map->NodeFor(slot), nullptr) << slot;
  }
  for (const auto& range : map->ranges()) EXPECT_EQ(range.replicas.size(), 1u);
  // The node that serves "foo" takes it without a redirect.
  const ClusterNode* owner = map->NodeFor(KeySlot("foo"));
  auto set = cluster_->NodeCommand(owner->port, {"SET", "foo", "1"});
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->type, REDIS_REPLY_STATUS);
}

TEST_F(ClusterSlotsOnAClusterTest, FetchLearnsTheMapFromAnySeed) {
  auto map = FetchSlotMap({{"127.0.0.1", 1}, {"127.0.0.1", cluster_->ports()[4]}}, "", 1000);
  ASSERT_TRUE(map.ok()) << map.status().message();
  EXPECT_EQ(map->Primaries().size(), 3u);
  const ClusterNode* owner = map->NodeFor(KeySlot("foo"));
  ASSERT_NE(owner, nullptr);
  // A node that does not own the slot answers MOVED to the one the map names.
  for (int port : cluster_->ports()) {
    if (port == owner->port) continue;
    auto reply = cluster_->NodeCommand(port, {"GET", "foo"});
    ASSERT_NE(reply, nullptr);
    ASSERT_EQ(reply->type, REDIS_REPLY_ERROR);
    auto redirect = ParseRedirect(std::string_view(reply->str, reply->len));
    ASSERT_TRUE(redirect.has_value()) << reply->str;
    EXPECT_EQ(redirect->slot, KeySlot("foo"));
    EXPECT_EQ(redirect->node, *owner);
  }
}

}  // namespace
}  // namespace papo
