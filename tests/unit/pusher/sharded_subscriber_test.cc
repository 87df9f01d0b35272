// ShardedSubscriber and ClusterCommander on a real Redis Cluster (redis-server
// processes started by the test, stopped by PID): each sharded channel on
// the primary of its slot, classic ones anywhere, and both following a slot
// migration (the server's sunsubscribe, MOVED, ASK) and a primary's failover.
#include "sse-pusher/sharded_subscriber.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/bus/cluster_slots.h"
#include "common/bus/names.h"
#include "common/log.h"
#include "sse-pusher/cluster_commander.h"
#include "tests/unit/pusher/run_loop_until.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/temp_dir.h"

namespace papo::pusher {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string Text(const redisReply* reply) {
  if (reply == nullptr || reply->str == nullptr) return {};
  return std::string(reply->str, reply->len);
}

class Recorder final : public RedisSubscriber::Listener {
 public:
  void OnSubscribed(const std::string& channel) override { ++subscribed[channel]; }
  void OnUnsubscribed(const std::string& channel) override { ++unsubscribed[channel]; }
  void OnMessage(std::string_view channel, std::string_view payload) override {
    messages.emplace_back(std::string(channel), std::string(payload));
  }
  void OnConnectionLost() override { ++lost; }

  std::map<std::string, int> subscribed;
  std::map<std::string, int> unsubscribed;
  std::vector<std::pair<std::string, std::string>> messages;
  int lost = 0;
};

class ClusterPusherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = EventLoop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = std::move(loop).value();
  }

  bool RunUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = 15000ms) {
    return test::RunLoopUntil(*loop_, done, limit);
  }

  bool Received(const std::string& channel, const std::string& payload) const {
    for (const auto& [c, p] : recorder_.messages) {
      if (c == channel && p == payload) return true;
    }
    return false;
  }

  testing::TempDir dir_;
  std::unique_ptr<EventLoop> loop_;
  PusherMetrics metrics_;
  Recorder recorder_;
};

TEST_F(ClusterPusherTest, ChannelsFollowAMigrationAndAFailover) {
  testing::RedisCluster cluster(dir_.path());
  ClusterTopology topology(*loop_, cluster.address(), 200);
  ShardedSubscriber subscriber(*loop_, metrics_, topology, 1000, {"papo:pusher:t", SessionsChannel()}, recorder_);
  subscriber.Start();
  const std::string room = RoomChannel(7);
  const std::string user = UserChannel(9);
  const std::string list = PublicListChannel();
  uint16_t slot = KeySlot(room);
  subscriber.Want(room);
  subscriber.Want(user);
  subscriber.Want(list);
  ASSERT_TRUE(RunUntil([&] {
    return recorder_.subscribed[room] == 1 && recorder_.subscribed[user] == 1 && recorder_.subscribed[list] == 1;
  }));
  int owner = cluster.PrimaryOf(slot);
  EXPECT_EQ(subscriber.NodeOf(room), "127.0.0.1:" + std::to_string(owner));
  ASSERT_TRUE(cluster.NodeCommand(owner, {"SPUBLISH", room, "um"}));
  ASSERT_TRUE(cluster.NodeCommand(cluster.PrimaryOf(KeySlot(user)), {"SPUBLISH", user, "oi"}));
  ASSERT_TRUE(cluster.NodeCommand(cluster.ports().back(), {"PUBLISH", list, "lista"}));
  ASSERT_TRUE(RunUntil([&] { return Received(room, "um") && Received(user, "oi") && Received(list, "lista"); }));
  EXPECT_TRUE(subscriber.connected());

  // A migration: the old owner pushes sunsubscribe, the channel is
  // subscribed on the new one and the listener hears OnSubscribed again.
  int target = 0;
  for (int port : cluster.Primaries()) {
    if (port != owner) target = port;
  }
  cluster.MigrateSlot(slot, target);
  auto moved_at = Clock::now();
  ASSERT_TRUE(RunUntil([&] { return recorder_.subscribed[room] == 2; }));
  auto resumed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - moved_at).count();
  Log(LogLevel::kInfo, "test_resubscribed_after_migration").Kv("ms", static_cast<int64_t>(resumed_ms));
  EXPECT_EQ(subscriber.NodeOf(room), "127.0.0.1:" + std::to_string(target));
  ASSERT_TRUE(cluster.NodeCommand(target, {"SPUBLISH", room, "dois"}));
  ASSERT_TRUE(RunUntil([&] { return Received(room, "dois"); }));

  // A failover: the primary of the slot is killed, its replica promoted.
  cluster.KillPrimaryOf(slot);
  auto killed_at = Clock::now();
  int promoted = cluster.WaitForFailover(slot);
  auto failover_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killed_at).count();
  ASSERT_TRUE(RunUntil([&] { return recorder_.subscribed[room] == 3; }));
  auto failover_resumed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killed_at).count();
  Log(LogLevel::kInfo, "test_resubscribed_after_failover")
      .Kv("failover_ms", static_cast<int64_t>(failover_ms))
      .Kv("resubscribed_ms", static_cast<int64_t>(failover_resumed_ms));
  EXPECT_EQ(subscriber.NodeOf(room), "127.0.0.1:" + std::to_string(promoted));
  ASSERT_TRUE(cluster.NodeCommand(promoted, {"SPUBLISH", room, "tres"}));
  ASSERT_TRUE(RunUntil([&] { return Received(room, "tres"); }));
  ASSERT_TRUE(cluster.NodeCommand(promoted, {"PUBLISH", list, "lista 2"}));
  ASSERT_TRUE(RunUntil([&] { return Received(list, "lista 2"); }));
  EXPECT_GE(subscriber.resubscribes(), 2u);
  EXPECT_EQ(metrics_.cluster_resubscribes, subscriber.resubscribes());
  EXPECT_EQ(recorder_.lost, 0);  // channels leave one node at a time
  ASSERT_TRUE(RunUntil([&] { return subscriber.connected(); }));

  subscriber.Release(room);
  ASSERT_TRUE(RunUntil([&] { return recorder_.unsubscribed[room] == 1; }));
  EXPECT_FALSE(subscriber.IsSubscribed(room));
}

TEST_F(ClusterPusherTest, ClassicChannelsMoveWhenTheirNodeIsKilled) {
  testing::RedisCluster cluster(dir_.path());
  ClusterTopology topology(*loop_, cluster.address(), 200);
  ShardedSubscriber subscriber(*loop_, metrics_, topology, 1000, {"papo:pusher:t", SessionsChannel()}, recorder_);
  subscriber.Start();
  const std::string list = PublicListChannel();
  subscriber.Want(list);
  ASSERT_TRUE(RunUntil([&] { return recorder_.subscribed[list] == 1 && subscriber.connected(); }));
  std::string classic = subscriber.classic_node();
  int port = std::stoi(classic.substr(classic.rfind(':') + 1));
  // A slot that node serves, to kill it as its primary.
  uint16_t slot = 0;
  while (slot < kClusterSlots - 512 && cluster.PrimaryOf(slot) != port) slot = static_cast<uint16_t>(slot + 512);
  ASSERT_EQ(cluster.PrimaryOf(slot), port);
  cluster.KillPrimaryOf(slot);
  int promoted = cluster.WaitForFailover(slot);
  ASSERT_TRUE(RunUntil([&] { return recorder_.subscribed[list] == 2; }));
  EXPECT_NE(subscriber.classic_node(), classic);
  EXPECT_TRUE(RunUntil([&] { return subscriber.connected(); }));
  // The permanent channels came along: a logout published anywhere arrives.
  ASSERT_TRUE(cluster.NodeCommand(promoted, {"PUBLISH", SessionsChannel(), "sessao"}));
  ASSERT_TRUE(cluster.NodeCommand(promoted, {"PUBLISH", list, "lista"}));
  ASSERT_TRUE(RunUntil([&] { return Received(SessionsChannel(), "sessao") && Received(list, "lista"); }));
  EXPECT_EQ(recorder_.lost, 0);
}

TEST_F(ClusterPusherTest, CommandsGoToTheirSlotAndFollowMovedAndAsk) {
  testing::RedisCluster cluster(dir_.path(), {.primaries = 3, .replicas_per_primary = 0});
  ClusterTopology topology(*loop_, cluster.address(), 200);
  int connects = 0;
  ClusterCommander commander(*loop_, metrics_, topology, 1000, [&connects] { ++connects; });
  commander.Start();
  ASSERT_TRUE(RunUntil([&] { return commander.connected(); }));
  EXPECT_EQ(connects, 3);

  // One key per room, on every primary: each answered where it lives.
  std::map<int64_t, std::string> answers;
  for (int64_t sala = 1; sala <= 20; ++sala) {
    commander.Command({"SET", RecentCacheKey(sala), "sala " + std::to_string(sala)}, [](const redisReply*) {});
    commander.Command({"GET", RecentCacheKey(sala)},
                      [&answers, sala](const redisReply* reply) { answers[sala] = Text(reply); });
  }
  // A script's keys come after numkeys.
  std::string script;
  commander.Command({"EVAL", "return redis.call('GET', KEYS[1])", "1", RecentCacheKey(3)},
                    [&script](const redisReply* reply) { script = Text(reply); });
  ASSERT_TRUE(RunUntil([&] { return answers.size() == 20 && !script.empty(); }));
  for (int64_t sala = 1; sala <= 20; ++sala) EXPECT_EQ(answers[sala], "sala " + std::to_string(sala));
  EXPECT_EQ(script, "sala 3");
  EXPECT_EQ(ClusterCommander::SlotOf({"EVAL", "x", "1", RecentCacheKey(3)}), KeySlot(RecentCacheKey(3)));
  EXPECT_EQ(ClusterCommander::SlotOf({"EVAL", "x", "0"}), std::nullopt);
  EXPECT_EQ(ClusterCommander::SlotOf({"PING"}), std::nullopt);

  // The slot moves behind the commander's back: MOVED, then the new owner.
  const std::string key = RecentCacheKey(3);
  uint16_t slot = KeySlot(key);
  int owner = cluster.PrimaryOf(slot);
  int target = 0;
  for (int port : cluster.Primaries()) {
    if (port != owner) target = port;
  }
  cluster.MigrateSlot(slot, target);
  std::string after_move;
  commander.Command({"GET", key}, [&after_move](const redisReply* reply) { after_move = Text(reply); });
  ASSERT_TRUE(RunUntil([&] { return !after_move.empty(); }));
  EXPECT_EQ(after_move, "sala 3");
  EXPECT_EQ(topology.NodeFor(slot)->port, target);

  // Mid-migration, a key already moved is answered with ASK by the old owner.
  cluster.BeginMigration(slot, owner);
  cluster.MoveKeys(slot, owner);
  std::string asked;
  commander.Command({"GET", key}, [&asked](const redisReply* reply) { asked = Text(reply); });
  ASSERT_TRUE(RunUntil([&] { return !asked.empty(); }));
  EXPECT_EQ(asked, "sala 3");
  cluster.EndMigration(slot, owner);
}

}  // namespace
}  // namespace papo::pusher
