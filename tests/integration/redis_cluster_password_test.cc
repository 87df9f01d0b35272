// A password-protected Redis Cluster (deploy/README: requirepass and
// masterauth on every node, PAPO_REDIS_URL=redis-cluster://:SENHA@h1:7000,…):
// the nodes refuse a client without it, and the whole stack works with it.
#include <gtest/gtest.h>

#include "tests/integration/redis_password_stack.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {
namespace {

constexpr char kPassword[] = "senha-do-cluster";

TEST(RedisClusterPasswordTest, TheStackWorksOnAClusterThatRequiresAPassword) {
  TempDir dir;
  RedisCluster cluster(dir.path(), {.primaries = 3, .replicas_per_primary = 1, .password = kPassword});
  ASSERT_TRUE(cluster.url().starts_with(std::string("redis-cluster://:") + kPassword + "@")) << cluster.url();
  ASSERT_NO_FATAL_FAILURE(ExpectNodesRequire(cluster.ports(), kPassword));
  ASSERT_NO_FATAL_FAILURE(ExpectTheStackWorksOn(cluster.url()));
}

}  // namespace
}  // namespace papo::testing
