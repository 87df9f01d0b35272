// ShardConnection against real redis-server processes (started by the test
// on free ports, stopped by PID): commands in order, AUTH, sharded pub/sub
// pushes, a server that drops the connection, and a cluster node's -MOVED.
#include "sse-pusher/shard_connection.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "common/bus/cluster_slots.h"
#include "tests/unit/pusher/run_loop_until.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace papo::pusher {
namespace {

using namespace std::chrono_literals;

std::string Text(const redisReply* reply) {
  if (reply == nullptr || reply->str == nullptr) return {};
  return std::string(reply->str, reply->len);
}

class ShardConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = EventLoop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = std::move(loop).value();
  }

  // Runs the loop until `done` holds or 10 s pass; false on timeout.
  bool RunUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = 10000ms) {
    return test::RunLoopUntil(*loop_, done, limit);
  }

  std::unique_ptr<ShardConnection> Connect(int port, std::string password = {}, bool pubsub = false) {
    ShardConnection::Handlers handlers;
    handlers.connected = [this] { ++connects_; };
    handlers.lost = [this] { ++losses_; };
    handlers.push = [this](const redisReply& push) {
      std::vector<std::string> parts;
      for (size_t i = 0; i < push.elements; ++i) parts.push_back(Text(push.element[i]));
      pushes_.push_back(parts);
    };
    handlers.unsolicited = [this](const redisReply& reply) { unsolicited_.push_back(Text(&reply)); };
    auto connection = std::make_unique<ShardConnection>(*loop_, metrics_, RedisHostPort{"127.0.0.1", port},
                                                        std::move(password), "test", 1000, pubsub,
                                                        std::move(handlers));
    connection->Start();
    return connection;
  }

  testing::TempDir dir_;
  std::unique_ptr<EventLoop> loop_;
  PusherMetrics metrics_;
  int connects_ = 0;
  int losses_ = 0;
  std::vector<std::vector<std::string>> pushes_;
  std::vector<std::string> unsolicited_;
};

TEST_F(ShardConnectionTest, RepliesArriveInCommandOrder) {
  testing::RedisServer redis(dir_.path());
  auto connection = Connect(redis.port());
  // Sent before the connect completed: queued and sent once it did.
  std::vector<long long> seen;
  for (int i = 0; i < 200; ++i) {
    connection->Command({"INCR", "contador"}, [&seen](const redisReply* reply) {
      seen.push_back(reply != nullptr && reply->type == REDIS_REPLY_INTEGER ? reply->integer : -1);
    });
  }
  std::string big(300'000, 'x');  // larger than one write or read
  std::string echoed;
  connection->Command({"SET", "grande", big}, [](const redisReply*) {});
  connection->Command({"GET", "grande"}, [&echoed](const redisReply* reply) { echoed = Text(reply); });
  ASSERT_TRUE(RunUntil([&] { return connection->pending() == 0 && seen.size() == 200; }));
  EXPECT_EQ(connects_, 1);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(seen[static_cast<size_t>(i)], i + 1);
  EXPECT_EQ(echoed, big);
}

TEST_F(ShardConnectionTest, AuthenticatesWithThePasswordAndRetriesAWrongOne) {
  testing::RedisServer redis(dir_.path());
  ASSERT_TRUE(redis.Client()->Command({"CONFIG", "SET", "requirepass", "segredo"}).ok());
  auto wrong = Connect(redis.port(), "errada");
  bool refused = false;
  wrong->Command({"PING"}, [&refused](const redisReply* reply) {
    refused = reply == nullptr || reply->type == REDIS_REPLY_ERROR;
  });
  ASSERT_TRUE(RunUntil([&] { return refused; }));
  loop_->RunOnce(50);
  EXPECT_FALSE(wrong->connected());
  EXPECT_EQ(connects_, 0);
  wrong.reset();

  auto right = Connect(redis.port(), "segredo");
  std::string pong;
  right->Command({"PING"}, [&pong](const redisReply* reply) { pong = Text(reply); });
  ASSERT_TRUE(RunUntil([&] { return !pong.empty(); }));
  EXPECT_EQ(pong, "PONG");
  EXPECT_TRUE(right->connected());
  EXPECT_EQ(connects_, 1);
}

TEST_F(ShardConnectionTest, ShardedMessagesArriveAsPushes) {
  testing::RedisServer redis(dir_.path());
  auto subscriber = Connect(redis.port(), {}, /*pubsub=*/true);
  ASSERT_TRUE(RunUntil([&] { return subscriber->connected(); }));
  ASSERT_TRUE(subscriber->Send({"SSUBSCRIBE", "papo:{sala:7}"}));
  ASSERT_TRUE(RunUntil([&] { return !pushes_.empty(); }));
  EXPECT_EQ(pushes_[0], (std::vector<std::string>{"ssubscribe", "papo:{sala:7}", ""}));
  auto client = redis.Client();
  ASSERT_TRUE(client->Command({"SPUBLISH", "papo:{sala:7}", "um"}).ok());
  ASSERT_TRUE(client->Command({"SPUBLISH", "papo:{sala:7}", "dois"}).ok());
  ASSERT_TRUE(RunUntil([&] { return pushes_.size() == 3; }));
  EXPECT_EQ(pushes_[1], (std::vector<std::string>{"smessage", "papo:{sala:7}", "um"}));
  EXPECT_EQ(pushes_[2], (std::vector<std::string>{"smessage", "papo:{sala:7}", "dois"}));
  ASSERT_TRUE(subscriber->Send({"SUNSUBSCRIBE", "papo:{sala:7}"}));
  ASSERT_TRUE(RunUntil([&] { return pushes_.size() == 4; }));
  EXPECT_EQ(pushes_[3][0], "sunsubscribe");
  EXPECT_TRUE(unsolicited_.empty());
}

TEST_F(ShardConnectionTest, AServerThatClosesFailsThePendingAndReconnects) {
  testing::RedisServer redis(dir_.path());
  auto connection = Connect(redis.port());
  ASSERT_TRUE(RunUntil([&] { return connection->connected(); }));
  // BLPOP keeps the reply pending while the server drops every client.
  bool failed = false;
  connection->Command({"BLPOP", "nada", "0"}, [&failed](const redisReply* reply) { failed = reply == nullptr; });
  loop_->RunOnce(50);
  ASSERT_TRUE(redis.Client()->Command({"CLIENT", "KILL", "TYPE", "normal"}).ok());
  ASSERT_TRUE(RunUntil([&] { return failed && losses_ == 1; }));
  ASSERT_TRUE(RunUntil([&] { return connection->connected(); }));
  EXPECT_EQ(connects_, 2);
  EXPECT_EQ(metrics_.redis_reconnects, 1u);

  // A server that is gone: commands fail, then it comes back on its port.
  redis.Kill();
  ASSERT_TRUE(RunUntil([&] { return losses_ == 2; }));
  bool refused = false;
  connection->Command({"PING"}, [&refused](const redisReply* reply) { refused = reply == nullptr; });
  ASSERT_TRUE(RunUntil([&] { return refused; }));
  redis.Start();
  ASSERT_TRUE(RunUntil([&] { return connection->connected(); }, 15000ms));
  std::string pong;
  connection->Command({"PING"}, [&pong](const redisReply* reply) { pong = Text(reply); });
  ASSERT_TRUE(RunUntil([&] { return !pong.empty(); }));
  EXPECT_EQ(pong, "PONG");
}

TEST_F(ShardConnectionTest, AClusterNodeAnswersMovedForASlotItDoesNotServe) {
  testing::RedisCluster cluster(dir_.path(), {.primaries = 3, .replicas_per_primary = 0});
  const std::string key = "papo:{sala:7}:recentes";
  uint16_t slot = KeySlot(key);
  int owner = cluster.PrimaryOf(slot);
  int other = 0;
  for (int port : cluster.Primaries()) {
    if (port != owner) other = port;
  }
  ASSERT_NE(other, 0);
  auto connection = Connect(other);
  std::string error;
  connection->Command({"ZCARD", key}, [&error](const redisReply* reply) { error = Text(reply); });
  ASSERT_TRUE(RunUntil([&] { return !error.empty(); }));
  auto redirect = ParseRedirect(error);
  ASSERT_TRUE(redirect.has_value()) << error;
  EXPECT_FALSE(redirect->ask);
  EXPECT_EQ(redirect->slot, slot);
  EXPECT_EQ(redirect->node.port, owner);

  // On a pub/sub connection the refused SSUBSCRIBE is an unsolicited error.
  auto subscriber = Connect(other, {}, /*pubsub=*/true);
  ASSERT_TRUE(RunUntil([&] { return subscriber->connected(); }));
  ASSERT_TRUE(subscriber->Send({"SSUBSCRIBE", "papo:{sala:7}"}));
  ASSERT_TRUE(RunUntil([&] { return !unsolicited_.empty(); }));
  EXPECT_TRUE(unsolicited_[0].starts_with("MOVED ")) << unsolicited_[0];
  EXPECT_TRUE(pushes_.empty());
}

}  // namespace
}  // namespace papo::pusher
