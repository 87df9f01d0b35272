// A password-protected Redis Cluster (deploy/README: requirepass and
// masterauth on every node, PAPO_REDIS_URL=redis-cluster://:SENHA@h1:7000,…):
// the nodes refuse a client without it, and the whole stack works with it,
// across a primary killed and its replica promoted.
#include <gtest/gtest.h>

#include "common/bus/cluster_slots.h"
#include "common/bus/names.h"
#include "tests/integration/redis_password_stack.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {
namespace {

constexpr char kPassword[] = "senha-do-cluster";

TEST(RedisClusterPasswordTest, TheStackWorksOnAClusterThatRequiresAPasswordAcrossAFailover) {
  TempDir dir;
  RedisCluster cluster(dir.path(), {.primaries = 3, .replicas_per_primary = 1, .password = kPassword});
  ASSERT_TRUE(cluster.url().starts_with(std::string("redis-cluster://:") + kPassword + "@")) << cluster.url();
  ASSERT_NO_FATAL_FAILURE(ExpectNodesRequire(cluster.ports(), kPassword));
  // The replica that takes over authenticated to its primary (masterauth),
  // and papo's clients authenticate to it once the slot map moved there.
  const uint16_t slot = KeySlot(RoomChannel(1));
  ASSERT_NO_FATAL_FAILURE(ExpectTheStackWorksOn(cluster.url(), [&] {
    const int killed = cluster.KillPrimaryOf(slot);
    EXPECT_NE(cluster.WaitForFailover(slot), killed);
  }));
}

}  // namespace
}  // namespace papo::testing
