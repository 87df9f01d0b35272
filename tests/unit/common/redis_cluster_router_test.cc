// RedisClient on a real Redis Cluster (3 primaries + 3 replicas): routing by
// slot, pipelines split and put back in order, MOVED, ASK, NOSCRIPT on
// another node, a killed primary, classic and sharded pub/sub.
#include "common/redis_cluster_router.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "common/bus/cluster_slots.h"
#include "common/bus/names.h"
#include "common/log.h"
#include "common/redis_client.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/temp_dir.h"

namespace papo {
namespace {

using Clock = std::chrono::steady_clock;

std::string Text(const redisReply* reply) { return std::string(reply->str, reply->len); }

TEST(CommandRoutingKeyTest, KeysOfTheCommandsPapoSends) {
  using Cmd = std::vector<std::string>;
  EXPECT_EQ(CommandRoutingKey(Cmd{"EVALSHA", "abc", "2", "papo:{sala:7}", "papo:{sala:7}:recentes", "x"}),
            "papo:{sala:7}");
  EXPECT_EQ(CommandRoutingKey(Cmd{"eval", "return 1", "1", "k"}), "k");
  EXPECT_EQ(CommandRoutingKey(Cmd{"SPUBLISH", "papo:{sala:7}", "payload"}), "papo:{sala:7}");
  EXPECT_EQ(CommandRoutingKey(Cmd{"ZADD", "papo:{sala:7}:presenca", "1", "m"}), "papo:{sala:7}:presenca");
  EXPECT_EQ(CommandRoutingKey(Cmd{"zrangebyscore", "z", "0", "+inf"}), "z");
  EXPECT_EQ(CommandRoutingKey(Cmd{"INCRBY", "papo:limite:x:1:2", "1"}), "papo:limite:x:1:2");
  EXPECT_EQ(CommandRoutingKey(Cmd{"PUBSUB", "SHARDNUMSUB", "papo:{sala:7}"}), "papo:{sala:7}");
}

TEST(CommandRoutingKeyTest, CommandsAnyNodeAnswers) {
  using Cmd = std::vector<std::string>;
  EXPECT_FALSE(CommandRoutingKey(Cmd{"PUBLISH", "papo:lista", "x"}).has_value());
  EXPECT_FALSE(CommandRoutingKey(Cmd{"SUBSCRIBE", "papo:sessoes"}).has_value());
  EXPECT_FALSE(CommandRoutingKey(Cmd{"PING"}).has_value());
  EXPECT_FALSE(CommandRoutingKey(Cmd{"SCRIPT", "LOAD", "return 1"}).has_value());
  EXPECT_FALSE(CommandRoutingKey(Cmd{"multi"}).has_value());
  EXPECT_FALSE(CommandRoutingKey(Cmd{"EXEC"}).has_value());
  EXPECT_FALSE(CommandRoutingKey(Cmd{"PUBSUB", "NUMSUB", "papo:lista"}).has_value());
  EXPECT_FALSE(CommandRoutingKey(Cmd{"EVALSHA", "abc", "0"}).has_value());
  EXPECT_FALSE(CommandRoutingKey(Cmd{"EVALSHA", "abc", "x", "k"}).has_value());
  EXPECT_FALSE(CommandRoutingKey(Cmd{}).has_value());
}

// The rooms 1..N, one key each, until every primary holds some.
std::vector<int64_t> RoomsOnEveryPrimary(const SlotMap& map) {
  std::vector<int64_t> rooms;
  std::set<int> ports;
  for (int64_t room = 1; ports.size() < map.Primaries().size() || rooms.size() < 12; ++room) {
    rooms.push_back(room);
    ports.insert(map.NodeFor(KeySlot(RecentCacheKey(room)))->port);
  }
  return rooms;
}

class RedisClusterRouterTest : public ::testing::Test {
 protected:
  RedisClusterRouterTest() : cluster_(dir_.path()) {}

  std::unique_ptr<RedisClient> Client(int retry_interval_ms = 1000) const {
    return std::make_unique<RedisClient>(cluster_.address(), 500, retry_interval_ms);
  }
  // GET straight from the node the cluster says owns the key.
  std::string GetOnOwner(const std::string& key) const {
    auto reply = cluster_.NodeCommand(cluster_.PrimaryOf(KeySlot(key)), {"GET", key});
    return reply && reply->type == REDIS_REPLY_STRING ? Text(reply.get()) : "(none)";
  }

  testing::TempDir dir_;
  testing::RedisCluster cluster_;
};

TEST_F(RedisClusterRouterTest, APipelineSpreadOverEveryPrimaryKeepsItsOrder) {
  auto client = Client();
  auto map = FetchSlotMap(cluster_.address().seeds, "", 1000);
  ASSERT_TRUE(map.ok());
  auto rooms = RoomsOnEveryPrimary(*map);
  std::vector<std::vector<std::string>> commands;
  for (int64_t room : rooms) {
    commands.push_back({"SET", RecentCacheKey(room), "v" + std::to_string(room)});
    commands.push_back({"PUBLISH", PublicListChannel(), "x"});
    commands.push_back({"INCRBY", PresenceKey(room), std::to_string(room)});
  }
  auto replies = client->Pipeline(commands);
  ASSERT_TRUE(replies.ok()) << replies.status().message();
  ASSERT_EQ(replies->size(), commands.size());
  for (size_t i = 0; i < rooms.size(); ++i) {
    EXPECT_EQ((*replies)[3 * i]->type, REDIS_REPLY_STATUS);
    EXPECT_EQ((*replies)[3 * i + 1]->type, REDIS_REPLY_INTEGER);
    ASSERT_EQ((*replies)[3 * i + 2]->type, REDIS_REPLY_INTEGER);
    EXPECT_EQ((*replies)[3 * i + 2]->integer, rooms[i]);  // its own key's reply, not a neighbour's
    EXPECT_EQ(GetOnOwner(RecentCacheKey(rooms[i])), "v" + std::to_string(rooms[i]));
  }
  auto read = client->Command({"GET", RecentCacheKey(rooms.back())});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(Text(read->get()), "v" + std::to_string(rooms.back()));
}

TEST_F(RedisClusterRouterTest, ATransactionRunsWholeOnItsKeysNode) {
  auto client = Client();
  const std::string key = PrivateRoomsKey(42);
  auto replies = client->Pipeline({{"MULTI"}, {"DEL", key}, {"SADD", key, "0", "5", "9"}, {"EXPIRE", key, "600"},
                                   {"EXEC"}, {"SCARD", key}});
  ASSERT_TRUE(replies.ok()) << replies.status().message();
  ASSERT_EQ(replies->size(), 6u);
  ASSERT_EQ((*replies)[4]->type, REDIS_REPLY_ARRAY) << Text((*replies)[4].get());
  EXPECT_EQ((*replies)[4]->elements, 3u);
  EXPECT_EQ((*replies)[5]->integer, 3);
}

TEST_F(RedisClusterRouterTest, EvalLoadsTheScriptOnTheNodeOfItsKeys) {
  auto client = Client();
  const std::string script = "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', KEYS[2])";
  auto map = FetchSlotMap(cluster_.address().seeds, "", 1000);
  ASSERT_TRUE(map.ok());
  auto rooms = RoomsOnEveryPrimary(*map);
  for (int64_t room : rooms) {
    auto reply = client->Eval(script, {RecentCacheKey(room), PresenceKey(room)}, {"x"});
    ASSERT_TRUE(reply.ok()) << room << ": " << reply.status().message();
    EXPECT_EQ((*reply)->integer, 1);
  }
  // A node that forgot its scripts (a restart, a promoted replica) gets it again.
  for (int port : cluster_.Primaries()) cluster_.NodeCommand(port, {"SCRIPT", "FLUSH"});
  for (int64_t room : rooms) {
    auto reply = client->Eval(script, {RecentCacheKey(room), PresenceKey(room)}, {"y"});
    ASSERT_TRUE(reply.ok()) << reply.status().message();
    EXPECT_EQ((*reply)->integer, 2);
    EXPECT_EQ(GetOnOwner(RecentCacheKey(room)), "y");
  }
  auto error = client->Eval("return redis.call('NOSUCHCOMMAND')", {RecentCacheKey(1)}, {});
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.status().code(), Status::Code::kInternal);
}

TEST_F(RedisClusterRouterTest, AMovedSlotIsFollowed) {
  auto client = Client();
  const std::string key = RecentCacheKey(7);
  const uint16_t slot = KeySlot(key);
  ASSERT_TRUE(client->Command({"SET", key, "before"}).ok());
  const int from = cluster_.PrimaryOf(slot);
  int to = 0;
  for (int port : cluster_.Primaries()) {
    if (port != from) to = port;
  }
  cluster_.MigrateSlot(slot, to);
  // The client still believes `from`: MOVED takes it to `to`.
  auto read = client->Command({"GET", key});
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(Text(read->get()), "before");
  auto write = client->Pipeline({{"SET", key, "after"}, {"GET", key}});
  ASSERT_TRUE(write.ok());
  EXPECT_EQ(Text((*write)[1].get()), "after");
  auto on_target = cluster_.NodeCommand(to, {"GET", key});
  ASSERT_NE(on_target, nullptr);
  EXPECT_EQ(Text(on_target.get()), "after");
}

TEST_F(RedisClusterRouterTest, AKeyAlreadyMovedDuringAMigrationIsAskedFor) {
  auto client = Client();
  const std::string key = RecentCacheKey(8);
  const uint16_t slot = KeySlot(key);
  ASSERT_TRUE(client->Command({"SET", key, "moving"}).ok());
  const int from = cluster_.PrimaryOf(slot);
  int to = 0;
  for (int port : cluster_.Primaries()) {
    if (port != from) to = port;
  }
  cluster_.BeginMigration(slot, to);
  cluster_.MoveKeys(slot, to);
  // `from` still owns the slot but no longer has the key: ASK, then ASKING + GET on `to`.
  auto direct = cluster_.NodeCommand(from, {"GET", key});
  ASSERT_NE(direct, nullptr);
  ASSERT_EQ(direct->type, REDIS_REPLY_ERROR);
  ASSERT_TRUE(Text(direct.get()).starts_with("ASK ")) << Text(direct.get());
  auto read = client->Command({"GET", key});
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(Text(read->get()), "moving");
  // A new key of that slot is created on the importing node.
  auto script = client->Eval("return redis.call('SET', KEYS[1], ARGV[1])", {PresenceKey(8)}, {"p"});
  EXPECT_TRUE(script.ok()) << script.status().message();
  cluster_.EndMigration(slot, to);
  auto after = client->Command({"GET", PresenceKey(8)});
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(Text(after->get()), "p");
}

TEST_F(RedisClusterRouterTest, AKilledPrimarysSlotsComeBackOnItsReplica) {
  auto client = Client(200);
  const std::string key = RecentCacheKey(9);
  const uint16_t slot = KeySlot(key);
  // WAIT (keyless, so it rides with the SET to the same node): the replica
  // has the key before its primary dies.
  auto written = client->Pipeline({{"SET", key, "kept"}, {"WAIT", "1", "2000"}});
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_EQ((*written)[1]->integer, 1);
  const int killed = cluster_.KillPrimaryOf(slot);
  const auto killed_at = Clock::now();
  // Until a replica takes over, calls fail with Unavailable (none hangs).
  auto during = client->Command({"GET", key});
  ASSERT_FALSE(during.ok());
  EXPECT_EQ(during.status().code(), Status::Code::kUnavailable);
  Result<RedisReplyPtr> read = Status::Unavailable("not yet");
  while (!read.ok() && Clock::now() - killed_at < std::chrono::seconds(20)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    read = client->Command({"GET", key});
  }
  const auto resumed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killed_at).count();
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(Text(read->get()), "kept");
  EXPECT_NE(cluster_.PrimaryOf(slot), killed);
  Log(LogLevel::kInfo, "cluster_failover_resumed").Kv("ms", resumed_ms);
  // Other slots answered all along, and still do.
  auto other = client->Pipeline({{"SET", RecentCacheKey(10), "a"}, {"SET", RecentCacheKey(11), "b"}});
  EXPECT_TRUE(other.ok());
}

TEST_F(RedisClusterRouterTest, AClassicSubscriberHearsAPublishFromAnyNode) {
  auto subscriber = Client();
  auto subscribed = subscriber->Command({"SUBSCRIBE", SessionsChannel()});
  ASSERT_TRUE(subscribed.ok()) << subscribed.status().message();
  EXPECT_GE(subscriber->socket_fd(), 0);
  // Published on every primary in turn: the cluster carries classic
  // pub/sub to every node.
  std::vector<int> primaries = cluster_.Primaries();
  for (int port : primaries) {
    auto published = cluster_.NodeCommand(port, {"PUBLISH", SessionsChannel(), std::to_string(port)});
    ASSERT_NE(published, nullptr);
  }
  std::set<std::string> heard;
  for (size_t i = 0; i < primaries.size(); ++i) {
    auto push = subscriber->NextPush();
    ASSERT_TRUE(push.ok()) << push.status().message();
    ASSERT_EQ((*push)->type, REDIS_REPLY_ARRAY);
    ASSERT_EQ((*push)->elements, 3u);
    heard.insert(Text((*push)->element[2]));
  }
  EXPECT_EQ(heard.size(), primaries.size());
  // NUMSUB counts subscribers on every node, wherever they subscribed.
  auto other = Client();
  auto count = other->Command({"PUBSUB", "NUMSUB", SessionsChannel(), "papo:ninguem"});
  ASSERT_TRUE(count.ok()) << count.status().message();
  ASSERT_EQ((*count)->type, REDIS_REPLY_ARRAY);
  ASSERT_EQ((*count)->elements, 4u);
  EXPECT_EQ(Text((*count)->element[0]), SessionsChannel());
  EXPECT_EQ((*count)->element[1]->integer, 1);
  EXPECT_EQ((*count)->element[3]->integer, 0);
}

TEST_F(RedisClusterRouterTest, ShardNumsubAsksTheChannelsNode) {
  const std::string channel = RoomChannel(12);
  const int owner = cluster_.PrimaryOf(KeySlot(channel));
  // A sharded subscriber on the owner, on a raw connection.
  struct timeval timeout = {2, 0};
  RedisContextPtr raw(redisConnectWithTimeout("127.0.0.1", owner, timeout));
  ASSERT_TRUE(raw && !raw->err);
  RedisReplyPtr ack(static_cast<redisReply*>(redisCommand(raw.get(), "SSUBSCRIBE %s", channel.c_str())));
  ASSERT_NE(ack, nullptr);
  auto client = Client();
  auto count = client->Command({"PUBSUB", "SHARDNUMSUB", channel});
  ASSERT_TRUE(count.ok()) << count.status().message();
  ASSERT_EQ((*count)->type, REDIS_REPLY_ARRAY);
  ASSERT_EQ((*count)->elements, 2u);
  EXPECT_EQ((*count)->element[1]->integer, 1);
  // And SPUBLISH reaches it through the router.
  auto published = client->Command({"SPUBLISH", channel, "oi"});
  ASSERT_TRUE(published.ok()) << published.status().message();
  EXPECT_EQ((*published)->integer, 1);
}

TEST_F(RedisClusterRouterTest, AWholeClusterRestartedIsFoundAgain) {
  auto client = Client(0);
  ASSERT_TRUE(client->Command({"SET", RecentCacheKey(3), "x"}).ok());
  cluster_.Stop();
  auto down = client->Command({"GET", RecentCacheKey(3)});
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), Status::Code::kUnavailable);
  cluster_.Start();
  // The old connections are stale: replaced at once, no error.
  auto pipeline = client->Pipeline({{"SET", RecentCacheKey(3), "y"}, {"SET", RecentCacheKey(4), "z"}});
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().message();
  auto read = cluster_.Client()->Command({"GET", RecentCacheKey(4)});
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(Text(read->get()), "z");
}

// papo-app's logout announcement (a classic PUBLISH, any node) is sent
// again at once after a failure (RetryNow): it must not go back to the
// node that just failed.
TEST_F(RedisClusterRouterTest, AKeylessCommandSentAgainAfterAFailureGoesToAnotherNode) {
  auto client = Client(60000);
  // CLIENT SETNAME has no key: it goes where a lone PUBLISH goes.
  ASSERT_TRUE(client->Command({"CLIENT", "SETNAME", "anunciante"}).ok());
  int chosen = 0;
  for (int port : cluster_.ports()) {
    auto list = cluster_.NodeCommand(port, {"CLIENT", "LIST"});
    if (list && list->type == REDIS_REPLY_STRING && Text(list.get()).find("name=anunciante") != std::string::npos) {
      chosen = port;
    }
  }
  ASSERT_NE(chosen, 0);
  auto map = FetchSlotMap(cluster_.address().seeds, "", 1000);
  ASSERT_TRUE(map.ok());
  uint16_t slot_of_chosen = 0;
  for (const auto& range : map->ranges()) {
    if (range.primary.port == chosen) slot_of_chosen = range.first;
  }
  ASSERT_EQ(cluster_.KillPrimaryOf(slot_of_chosen), chosen);
  auto failed = client->Command({"PUBLISH", SessionsChannel(), "fim"});
  ASSERT_FALSE(failed.ok());
  client->RetryNow();
  auto again = client->Command({"PUBLISH", SessionsChannel(), "fim"});
  EXPECT_TRUE(again.ok()) << again.status().message();
}

TEST(RedisClusterRouterDownTest, NothingAnsweringFailsFastWithUnavailable) {
  RedisAddress address;
  address.mode = RedisMode::kCluster;
  address.seeds = {{"127.0.0.1", 1}, {"127.0.0.1", 2}};
  RedisClient client(address, 300, 60000);
  auto first = client.Command({"GET", "k"});
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(first.status().message().find("127.0.0.1:2"), std::string::npos) << first.status().message();
  // Within the retry interval, no new attempt: an answer at once.
  auto second = client.Command({"GET", "k"});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("waiting to retry"), std::string::npos) << second.status().message();
  EXPECT_FALSE(client.connected());
  EXPECT_EQ(client.socket_fd(), -1);
}

}  // namespace
}  // namespace papo
