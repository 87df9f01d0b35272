// A failover under load (issue 15, DESIGN §8): the whole stack (nginx,
// papo-app, papo-pusher) on a Sentinel topology; posters send over HTTP
// while fifty streams listen to the room; the master is killed (-9). Every
// message papo acknowledged (200 from /chat/enviar) reaches every stream
// exactly once, in seq order: publishes that fail during the switch go to
// papo-app's republisher, which publishes them from the database once the
// sentinels promoted the replica; the pusher follows the master the
// sentinels announce and catches up from the cache by seq.
//
// The pusher's reorder window is 2 s here (PAPO_PUSHER_REORDER_MS, as
// deploy/README recommends with Sentinel): a message published right after
// the switch may overtake one the republisher brings back (it retries every
// second); within the window the stream waits for it instead of being told
// to resynchronise.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <thread>

#include "tests/integration/failover_load.h"
#include "tests/integration/pusher_fixture.h"
#include "tests/support/redis_sentinel.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

using Clock = FailoverLoad::Clock;

constexpr int64_t kGeral = 1;  // "Sala Geral", seeded at first start

int64_t SeqOf(const HttpResponse& sent) {
  rapidjson::Document json;
  json.Parse(sent.body.c_str());
  return json.IsObject() && json.HasMember("seq") ? json["seq"].GetInt64() : -1;
}

class RedisSentinelFailoverTest : public ::testing::Test {
 protected:
  TempDir dir_;
  RedisSentinel topology_{dir_.path()};
};

TEST_F(RedisSentinelFailoverTest, EveryAcknowledgedMessageReachesEveryStreamOnceInOrderAcrossAKilledMaster) {
  Stack stack(FailoverLoadStackOptions(topology_.url()));
  // 4 posters, 5 readers with 10 streams each; ~40 messages a second in
  // all: the few seconds of the switch stay well inside the room's cache
  // (CHAT_CACHE_SIZE, 500), the window the republisher restores; a longer
  // outage is told to the streams with ressincronizar instead (by design).
  FailoverLoad load(stack, {.room = kGeral, .posters = 4, .readers = 5, .streams_per_reader = 10, .pace = 100ms});
  ASSERT_NO_FATAL_FAILURE(load.Start());

  std::this_thread::sleep_for(1500ms);
  const auto killed_at = Clock::now();
  const int old_port = topology_.KillMaster();
  ASSERT_TRUE(topology_.WaitForFailover(old_port)) << stack.Logs();
  const auto promoted_at = Clock::now();
  std::this_thread::sleep_for(3000ms);  // posting goes on on the new master
  ASSERT_NO_FATAL_FAILURE(load.Stop());

  // The resume time: from the kill to the first message sent after it
  // reaching a stream (the first stream, and the last one).
  const FailoverLoadResult result = load.Verify(killed_at);
  const int64_t promotion_ms = std::chrono::duration_cast<std::chrono::milliseconds>(promoted_at - killed_at).count();
  const std::string app_logs = load.AppLogs();
  const std::string pusher_log = ReadFile(stack.dir() + "/pusher-0.log");
  std::printf("sentinel failover: %zu acknowledged messages (newest seq %lld), %d refused, %zu publishes deferred "
              "to the republisher; sentinels named the new master %lld ms after the kill; streams resumed %lld ms "
              "(first) to %lld ms (last) after the kill\n",
              result.acknowledged, static_cast<long long>(result.newest), result.refused, result.deferred,
              static_cast<long long>(promotion_ms), static_cast<long long>(result.first_resume_ms),
              static_cast<long long>(result.last_resume_ms));
  // The switch took long enough for publishes to fail: they were
  // acknowledged all the same and reached the streams through the
  // republisher (the path under test, not a lucky gap-free switch).
  EXPECT_GT(result.deferred, 0u);
  EXPECT_NE(app_logs.find("event=republished"), std::string::npos);
  EXPECT_NE(pusher_log.find("event=pusher_sentinel_switch_master"), std::string::npos)
      << "the pusher did not hear +switch-master";
  EXPECT_GE(result.first_resume_ms, 0) << "no stream received anything after the kill";
}

// A master whose host froze (SIGSTOP: connections stay open, nothing
// answers, no failover of the sentinels closes them) is left by everyone:
// papo-app's commands time out and ask the sentinels again, its session
// feed sees the sentinels name another master, the pusher hears
// +switch-master and drops its connections without waiting for replies.
TEST_F(RedisSentinelFailoverTest, AFrozenMasterIsLeftForTheNewOneByPapoAppAndThePusher) {
  StackOptions options;
  options.redis_url = topology_.url();
  options.env = {{"CHAT_RATE_LIMIT", "0"}, {"PAPO_PUSHER_REORDER_MS", "2000"}};
  Stack stack(options);
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  auto stream = ana.Stream("sala_id=1&desde=0");
  ASSERT_EQ(stream->status(), 200);
  ASSERT_EQ(ana.Send(kGeral, "antes").status, 200);
  EXPECT_EQ(ReadSeqs(*stream, 1), Range(1, 1));

  const int old_port = topology_.FreezeMaster();
  ASSERT_TRUE(topology_.WaitForFailover(old_port)) << stack.Logs();
  std::vector<int64_t> acked;
  for (int i = 0; i < 20; ++i) {
    HttpResponse sent = ana.Send(kGeral, "depois " + std::to_string(i));
    if (sent.status == 200) acked.push_back(SeqOf(sent));
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_FALSE(acked.empty());
  std::vector<int64_t> got = ReadSeqs(*stream, acked.size(), 20000ms);
  EXPECT_EQ(got, acked) << stack.Logs();

  const std::string app_log = ReadFile(stack.dir() + "/app-0.log");
  const size_t moved = app_log.find("event=session_feed_master_moved");
  EXPECT_NE(moved, std::string::npos) << "the session feed stayed on the frozen master";
  if (moved != std::string::npos) {
    EXPECT_NE(app_log.find("event=session_cache_in_sync", moved), std::string::npos)
        << "the session feed did not subscribe again";
  }
  const std::string pusher_log = ReadFile(stack.dir() + "/pusher-0.log");
  const size_t switched = pusher_log.find("event=pusher_sentinel_switch_master");
  ASSERT_NE(switched, std::string::npos);
  EXPECT_NE(pusher_log.find("event=pusher_redis_connected connection=commands", switched), std::string::npos);
  EXPECT_NE(pusher_log.find("event=pusher_redis_connected connection=subscriber", switched), std::string::npos);
}

}  // namespace
}  // namespace papo::testing
