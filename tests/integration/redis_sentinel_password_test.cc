// A password-protected Sentinel topology (deploy/README: requirepass and
// masterauth on master and replica, `sentinel auth-pass` on the sentinels,
// PAPO_REDIS_URL=redis-sentinel://:SENHA@h1:26379,…/<master>): the data
// nodes refuse a client without it, the sentinels are asked without one,
// and the whole stack works, across a killed master.
#include <gtest/gtest.h>

#include <vector>

#include "tests/integration/redis_password_stack.h"
#include "tests/support/redis_sentinel.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {
namespace {

constexpr char kPassword[] = "senha-do-sentinel";

TEST(RedisSentinelPasswordTest, TheStackWorksOnASentinelTopologyThatRequiresAPasswordAcrossAFailover) {
  TempDir dir;
  RedisSentinel topology(dir.path(), "papo", kPassword);
  ASSERT_TRUE(topology.url().starts_with(std::string("redis-sentinel://:") + kPassword + "@")) << topology.url();
  ASSERT_NO_FATAL_FAILURE(ExpectNodesRequire({topology.node_ports().begin(), topology.node_ports().end()}, kPassword));
  ASSERT_GT(topology.MasterPort(), 0);  // resolved through the sentinels, the master checked with the password
  // The sentinels promote the replica with their auth-pass, and papo
  // authenticates to the master they name next.
  ASSERT_NO_FATAL_FAILURE(ExpectTheStackWorksOn(topology.url(), [&] {
    const int killed = topology.KillMaster();
    EXPECT_TRUE(topology.WaitForFailover(killed));
  }));
}

}  // namespace
}  // namespace papo::testing
