// ResolveSentinelMaster and RedisClient on a real Sentinel topology: the
// master is found, followed through a failover, and a sentinel's answer is
// believed only when the node it names says it is the master.
#include <gtest/gtest.h>

#include "common/redis_client.h"
#include "common/redis_sentinel.h"
#include "tests/support/net.h"
#include "tests/support/redis_sentinel.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {
namespace {

class RedisSentinelTest : public ::testing::Test {
 protected:
  TempDir dir_;
  RedisSentinel topology_{dir_.path()};
};

std::string Get(RedisClient& client, const std::string& key) {
  auto reply = client.Command({"GET", key});
  if (!reply.ok()) return "error: " + reply.status().message();
  return (*reply)->type == REDIS_REPLY_STRING ? std::string((*reply)->str, (*reply)->len) : "(nil)";
}

TEST_F(RedisSentinelTest, ResolvesTheMasterThatSaysSo) {
  auto master = ResolveSentinelMaster(topology_.address());
  ASSERT_TRUE(master.ok()) << master.status().message();
  EXPECT_EQ(master->host, "127.0.0.1");
  EXPECT_EQ(master->port, topology_.MasterPort());
  RedisAddress direct;
  direct.port = master->port;
  RedisClient client(direct, 1000, 0);
  auto role = client.Command({"ROLE"});
  ASSERT_TRUE(role.ok()) << role.status().message();
  EXPECT_EQ(std::string((*role)->element[0]->str), "master");
}

TEST_F(RedisSentinelTest, AfterTheMasterIsKilledTheReplicaIsResolvedAndTheClientFollowsIt) {
  auto client = topology_.Client();
  ASSERT_TRUE(client->Command({"SET", "chave", "antes"}).ok());
  EXPECT_EQ(Get(*client, "chave"), "antes");
  const int old_port = topology_.KillMaster();
  // Until the sentinels agree, the dead master is what they name: the
  // client refuses quickly rather than hang.
  EXPECT_FALSE(client->Command({"SET", "chave", "durante"}).ok());
  // Every sentinel names the dead master: it is tried once, not once per
  // sentinel.
  auto during = ResolveSentinelMaster(topology_.address());
  ASSERT_FALSE(during.ok());
  EXPECT_NE(during.status().message().find("named 127.0.0.1:" + std::to_string(old_port) + " too"),
            std::string::npos)
      << during.status().message();
  ASSERT_TRUE(topology_.WaitForFailover(old_port));
  auto master = ResolveSentinelMaster(topology_.address());
  ASSERT_TRUE(master.ok()) << master.status().message();
  EXPECT_NE(master->port, old_port);
  // The replica had the data; the same client writes on it now.
  auto written = client->Command({"SET", "chave", "depois"});
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_EQ(Get(*client, "chave"), "depois");
}

TEST_F(RedisSentinelTest, AMasterNameNoSentinelMonitorsIsUnavailableAndSaysSo) {
  RedisAddress address = topology_.address();
  address.master_name = "outro";
  auto master = ResolveSentinelMaster(address);
  ASSERT_FALSE(master.ok());
  EXPECT_EQ(master.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(master.status().message().find("does not monitor a master named outro"), std::string::npos)
      << master.status().message();
}

TEST_F(RedisSentinelTest, NoSentinelReachableIsUnavailable) {
  RedisAddress address = topology_.address();
  address.seeds = {{"127.0.0.1", FreePort()}, {"127.0.0.1", FreePort()}};
  auto master = ResolveSentinelMaster(address);
  ASSERT_FALSE(master.ok());
  EXPECT_EQ(master.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(master.status().message().find("connect"), std::string::npos) << master.status().message();
  RedisClient client(address, 500, 0);
  EXPECT_FALSE(client.Command({"PING"}).ok());
}

TEST_F(RedisSentinelTest, ASentinelNamingANodeThatIsNotMasterIsNotBelieved) {
  // One sentinel is told to watch the replica as if it were a master (what
  // a lagging sentinel looks like): its answer fails the ROLE check.
  RedisAddress address = topology_.address();
  const RedisHostPort sentinel = address.seeds.front();
  const int master_port = topology_.MasterPort();
  RedisAddress replica;
  replica.port = -1;
  {
    RedisAddress sentinel_address;
    sentinel_address.port = sentinel.port;
    RedisClient asker(sentinel_address, 1000, 0);
    auto replicas = asker.Command({"SENTINEL", "replicas", topology_.master_name()});
    ASSERT_TRUE(replicas.ok()) << replicas.status().message();
    ASSERT_EQ((*replicas)->elements, 1u);
    // A flat list of field, value pairs; "port" is one field.
    const redisReply* fields = (*replicas)->element[0];
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
      if (std::string(fields->element[i]->str) == "port") replica.port = std::stoi(fields->element[i + 1]->str);
    }
    ASSERT_GT(replica.port, 0);
    ASSERT_NE(replica.port, master_port);
    auto monitored = asker.Command({"SENTINEL", "MONITOR", "atrasado", "127.0.0.1", std::to_string(replica.port), "1"});
    ASSERT_TRUE(monitored.ok()) << monitored.status().message();
  }
  address.seeds = {sentinel};
  address.master_name = "atrasado";
  auto master = ResolveSentinelMaster(address);
  ASSERT_FALSE(master.ok());
  EXPECT_NE(master.status().message().find("ROLE says slave, not master"), std::string::npos)
      << master.status().message();
}

TEST_F(RedisSentinelTest, AWriteRefusedWithReadonlyIsSentAgainOnTheMasterTheSentinelsNameNow) {
  // Sentinel's own failovers close the clients of the nodes they
  // reconfigure; an operator's REPLICAOF does not: the client's open
  // connection to the old master gets READONLY for its next write.
  auto client = topology_.Client();
  ASSERT_TRUE(client->Command({"SET", "chave", "antes"}).ok());
  const int old_port = topology_.MasterPort();
  const RedisAddress address = topology_.address();
  int new_port = -1;
  {
    RedisAddress sentinel_address;
    sentinel_address.port = address.seeds.front().port;
    RedisClient asker(sentinel_address, 1000, 0);
    auto replicas = asker.Command({"SENTINEL", "replicas", topology_.master_name()});
    ASSERT_TRUE(replicas.ok());
    const redisReply* fields = (*replicas)->element[0];
    for (size_t i = 0; i + 1 < fields->elements; i += 2) {
      if (std::string(fields->element[i]->str) == "port") new_port = std::stoi(fields->element[i + 1]->str);
    }
  }
  ASSERT_GT(new_port, 0);
  RedisAddress node;
  node.port = new_port;
  ASSERT_TRUE(RedisClient(node, 1000, 0).Command({"REPLICAOF", "NO", "ONE"}).ok());
  node.port = old_port;
  ASSERT_TRUE(RedisClient(node, 1000, 0).Command({"REPLICAOF", "127.0.0.1", std::to_string(new_port)}).ok());
  // The sentinels are told too (as the operator would).
  for (const auto& sentinel : address.seeds) {
    RedisAddress sentinel_address;
    sentinel_address.port = sentinel.port;
    RedisClient asker(sentinel_address, 1000, 0);
    ASSERT_TRUE(asker.Command({"SENTINEL", "REMOVE", topology_.master_name()}).ok());
    ASSERT_TRUE(asker.Command({"SENTINEL", "MONITOR", topology_.master_name(), "127.0.0.1",
                               std::to_string(new_port), "2"}).ok());
  }
  auto written = client->Command({"SET", "chave", "depois"});
  ASSERT_TRUE(written.ok()) << written.status().message();
  node.port = new_port;
  RedisClient direct(node, 1000, 0);
  EXPECT_EQ(Get(direct, "chave"), "depois");
}

}  // namespace
}  // namespace papo::testing
