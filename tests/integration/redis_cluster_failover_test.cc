// The whole stack (nginx, papo-app, papo-pusher) on a Redis Cluster of 3
// primaries + 3 replicas (issue 15, DESIGN §8), under load: posters send
// over HTTP while fifty streams listen to one room, and the room's slot
// changes hands — its primary killed (-9, its replica promoted after the
// 1 s node timeout) or the slot migrated to another primary (SETSLOT
// IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE). Every message papo
// acknowledged (200 from /chat/enviar) reaches every stream exactly once,
// in seq order: a publish that fails meanwhile goes to papo-app's
// republisher; the pusher subscribes the room's channel again on its new
// node and catches up from the cache by seq. The time from the change to
// the first delivery after it is logged.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <thread>

#include "common/bus/cluster_slots.h"
#include "common/bus/names.h"
#include "tests/integration/failover_load.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/stack.h"

namespace papo::testing {
namespace {

using namespace std::chrono_literals;
using Clock = FailoverLoad::Clock;

constexpr int64_t kGeral = 1;  // "Sala Geral", seeded at first start

int64_t MillisBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

class RedisClusterFailoverTest : public ::testing::Test {
 protected:
  // Runs the load, calls `change` (which moves the room's slot) after
  // 1.5 s of it, posts 3 s more, then checks every stream. `what` names
  // the change in the printed line.
  void UnderLoad(const std::string& what, const std::function<void()>& change) {
    Stack stack(FailoverLoadStackOptions(cluster_.url()));
    // 4 posters, 5 readers with 10 streams each; ~40 messages a second in
    // all: the seconds of the change stay well inside the room's cache
    // (CHAT_CACHE_SIZE, 500).
    FailoverLoad load(stack, {.room = kGeral, .posters = 4, .readers = 5, .streams_per_reader = 10, .pace = 100ms});
    ASSERT_NO_FATAL_FAILURE(load.Start());

    std::this_thread::sleep_for(1500ms);
    const auto changed_at = Clock::now();
    change();
    const auto settled_at = Clock::now();
    std::this_thread::sleep_for(3000ms);  // posting goes on where the slot lives now
    ASSERT_NO_FATAL_FAILURE(load.Stop());

    // The resume time: from the change to the first message sent after it
    // reaching a stream (the first stream, and the last one).
    const FailoverLoadResult result = load.Verify(changed_at);
    std::printf("cluster %s: %zu acknowledged messages (newest seq %lld), %d refused, %zu publishes deferred to "
                "the republisher; the cluster settled %lld ms after the change; streams resumed %lld ms (first) "
                "to %lld ms (last) after it\n",
                what.c_str(), result.acknowledged, static_cast<long long>(result.newest), result.refused,
                result.deferred, static_cast<long long>(MillisBetween(changed_at, settled_at)),
                static_cast<long long>(result.first_resume_ms), static_cast<long long>(result.last_resume_ms));
    EXPECT_GE(result.first_resume_ms, 0) << "no stream received anything after the change";
  }

  TempDir dir_;
  RedisCluster cluster_{dir_.path()};
  const uint16_t slot_ = KeySlot(RoomChannel(kGeral));
};

TEST_F(RedisClusterFailoverTest, EveryAcknowledgedMessageReachesEveryStreamOnceInOrderAcrossAKilledPrimary) {
  int killed = 0;
  int promoted = 0;
  UnderLoad("failover", [&] {
    killed = cluster_.KillPrimaryOf(slot_);
    promoted = cluster_.WaitForFailover(slot_);
  });
  EXPECT_NE(promoted, killed);
}

TEST_F(RedisClusterFailoverTest, EveryAcknowledgedMessageReachesEveryStreamOnceInOrderAcrossASlotMigration) {
  const int from = cluster_.PrimaryOf(slot_);
  int to = 0;
  for (int port : cluster_.Primaries()) {
    if (port != from) to = port;
  }
  // Slowly, as a big reshard would: for 0.5 s the room's keys are still on
  // the old node while new ones go to the new (ASK), then 0.5 s with every
  // key moved (ASK for all of them, SPUBLISH from the new node) before the
  // slot is handed over and the old node ends the pusher's subscription.
  UnderLoad("slot migration", [&] {
    cluster_.BeginMigration(slot_, to);
    std::this_thread::sleep_for(500ms);
    cluster_.MoveKeys(slot_, to);
    std::this_thread::sleep_for(500ms);
    cluster_.EndMigration(slot_, to);
  });
  EXPECT_EQ(cluster_.PrimaryOf(slot_), to);
}

}  // namespace
}  // namespace papo::testing
