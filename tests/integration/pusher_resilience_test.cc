// Failure stories: a reader that stops reading, Redis restarting under the
// pusher, the pusher killed and restarted. Nothing a client asks to resume
// is lost; a slow client never slows the others (Redis obuf-limits.tcl).
#include <thread>

#include "tests/integration/pusher_fixture.h"

namespace papo::testing {
namespace {

class PusherResilienceTest : public ::testing::Test {
 protected:
  TempDir dir_;
  RedisServer redis_{dir_.path()};
  TestPublisher publisher_{redis_};
};

TEST_F(PusherResilienceTest, ReaderThatStopsReadingIsDroppedWhileAnotherReceivesEverything) {
  PusherProcess pusher(dir_, "p0", redis_);  // the default bound: 1 MiB
  auto stuck = pusher.Stream("sala_id=1&desde=0", UserHeaders(1), /*receive_buffer=*/4096);
  auto reader = pusher.Stream("sala_id=1&desde=0", UserHeaders(2));
  ASSERT_EQ(stuck->status(), 200);
  // ~4 MB of messages, far more than the kernel buffers plus the bound,
  // published while the healthy reader reads.
  std::thread producer([&] {
    TestPublisher big(redis_);
    std::string padding(4000, 'x');
    for (int64_t seq = 1; seq <= 1000; ++seq) {
      RoomEvent event;
      event.kind = EventKind::kMessage;
      event.sala_id = 1;
      event.seq = seq;
      event.json = "{\"seq\":" + std::to_string(seq) + ",\"mensagem\":\"" + padding + "\"}";
      event.data_envio = "2026-11-22T10:00:00.000-03:00";
      EXPECT_TRUE(RedisPublisher(big.client(), 1000).Publish(event).ok());
      // A chat's pace (still ~8 MB/s), which the healthy reader keeps up with.
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  });
  EXPECT_EQ(ReadSeqs(*reader, 1000, 30000ms), Range(1, 1000));
  producer.join();
  EXPECT_TRUE(stuck->WaitEnded(10000ms)) << "the stuck reader should have been disconnected";
  HttpResponse metrics = pusher.Get("/metrics");
  EXPECT_NE(metrics.body.find("papo_pusher_slow_client_drops_total 1\n"), std::string::npos) << metrics.body;
  EXPECT_NE(pusher.Log().find("pusher_slow_client_dropped"), std::string::npos);
}

TEST_F(PusherResilienceTest, RedisRestartMidStreamLosesNothing) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=1&desde=0", UserHeaders(1));
  for (int64_t seq = 1; seq <= 10; ++seq) ASSERT_TRUE(publisher_.Message(1, seq).ok());
  ASSERT_EQ(ReadSeqs(*stream, 10), Range(1, 10));
  redis_.Stop();
  redis_.Start();  // same port, empty: the cache is gone too
  // Published as soon as Redis is back, before the pusher resubscribed:
  // the PUBLISH reaches nobody, the cache has them.
  TestPublisher after_restart(redis_);
  ASSERT_TRUE(Eventually([&] { return after_restart.Message(1, 11).ok(); }));
  for (int64_t seq = 12; seq <= 15; ++seq) ASSERT_TRUE(after_restart.Message(1, seq).ok());
  auto redis = redis_.Client();
  ASSERT_TRUE(WaitSubscribed(*redis, RoomChannel(1)));
  for (int64_t seq = 16; seq <= 20; ++seq) ASSERT_TRUE(after_restart.Message(1, seq).ok());
  EXPECT_EQ(ReadSeqs(*stream, 10, 15000ms), Range(11, 20));
  EXPECT_FALSE(stream->NextOf("", 300ms).has_value());
  // One reconnect per connection to the restarted server: the subscriber
  // and the commands. A cluster (PAPO_TEST_REDIS=cluster, every node
  // restarted) has more: the commands' on every primary, a sharded
  // subscriber's per node in use, the classic subscriber's.
  std::string metrics = pusher.Get("/metrics").body;
  const std::string name = "\npapo_pusher_redis_reconnects_total ";  // the sample, not its # HELP
  size_t at = metrics.find(name);
  ASSERT_NE(at, std::string::npos) << metrics;
  int64_t reconnects = std::stoll(metrics.substr(at + name.size()));
  const char* form = std::getenv("PAPO_TEST_REDIS");
  if (form != nullptr && std::string_view(form) == "cluster") {
    EXPECT_GE(reconnects, 3) << metrics;
  } else {
    EXPECT_EQ(reconnects, 2) << metrics;
  }
}

TEST_F(PusherResilienceTest, StreamsOpenedWhileRedisIsDownCatchUpWhenItReturns) {
  for (int64_t seq = 1; seq <= 5; ++seq) ASSERT_TRUE(publisher_.Message(1, seq).ok());
  PusherProcess pusher(dir_, "p0", redis_);
  redis_.Stop();
  ASSERT_TRUE(Eventually([&] { return pusher.Get("/chat/health").status == 503; }));
  auto stream = pusher.Stream("sala_id=1&desde=2", UserHeaders(1));
  ASSERT_EQ(stream->status(), 200);  // held open; served once Redis is back
  redis_.Start();
  TestPublisher after_restart(redis_);
  ASSERT_TRUE(Eventually([&] { return after_restart.Message(1, 3).ok(); }));
  for (int64_t seq = 4; seq <= 6; ++seq) ASSERT_TRUE(after_restart.Message(1, seq).ok());
  EXPECT_EQ(ReadSeqs(*stream, 4, 15000ms), Range(3, 6));
}

TEST_F(PusherResilienceTest, PusherKilledAndRestartedLosesNothingForClientsThatResume) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=1&desde=0", UserHeaders(1));
  for (int64_t seq = 1; seq <= 10; ++seq) ASSERT_TRUE(publisher_.Message(1, seq).ok());
  std::vector<int64_t> seen = ReadSeqs(*stream, 10);
  ASSERT_EQ(seen, Range(1, 10));
  pusher.Kill();
  EXPECT_TRUE(stream->WaitEnded(5000ms));
  for (int64_t seq = 11; seq <= 20; ++seq) ASSERT_TRUE(publisher_.Message(1, seq).ok());
  pusher.Start();  // the stale socket file is replaced
  auto resumed = pusher.Stream("sala_id=1&desde=0", UserHeaders(1, "", {{"Last-Event-ID", "10"}}));
  ASSERT_EQ(resumed->status(), 200);
  for (int64_t seq = 21; seq <= 25; ++seq) ASSERT_TRUE(publisher_.Message(1, seq).ok());
  EXPECT_EQ(ReadSeqs(*resumed, 15), Range(11, 25));
  EXPECT_FALSE(resumed->NextOf("", 300ms).has_value());
}

TEST_F(PusherResilienceTest, RedisThatAcceptsConnectionsButRefusesCommandsIsRetriedWithBackoff) {
  // requirepass without the pusher knowing it: every connect succeeds and
  // the subscriber's SUBSCRIBE is answered NOAUTH, which drops it.
  int port = FreePort();
  Process locked({"/usr/bin/redis-server", "--port", std::to_string(port), "--bind", "127.0.0.1", "--save", "",
                  "--appendonly", "no", "--dir", dir_.path(), "--daemonize", "no", "--requirepass", "segredo"},
                 {}, dir_.File("locked-redis.log"));
  ASSERT_TRUE(WaitForTcp(port));
  PusherProcess pusher(dir_, "p0", redis_, {{"PAPO_REDIS_URL", "redis://127.0.0.1:" + std::to_string(port) + "/0"}});
  std::this_thread::sleep_for(4000ms);
  std::string log = pusher.Log();
  size_t losses = 0;
  for (size_t at = log.find("pusher_redis_connection_lost"); at != std::string::npos;
       at = log.find("pusher_redis_connection_lost", at + 1)) {
    ++losses;
  }
  // Backoff 100, 200, 400, 800, 1600 ms (±12%): 5 or 6 attempts in 4 s.
  // Resetting it on every connect retried every ~100 ms: ~40.
  EXPECT_GE(losses, 2u) << log;
  EXPECT_LE(losses, 8u) << log;
  EXPECT_EQ(pusher.Get("/chat/health").status, 503);
}

}  // namespace
}  // namespace papo::testing
