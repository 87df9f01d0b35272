// Resuming a stream (Last-Event-ID or desde): everything after it from the
// Redis cache, then live, with no gap and no duplicate at the seam, and
// ressincronizar when the cache no longer holds it.
#include <atomic>
#include <thread>

#include "tests/integration/pusher_fixture.h"

namespace papo::testing {
namespace {

class PusherBackfillTest : public ::testing::Test {
 protected:
  TempDir dir_;
  RedisServer redis_{dir_.path()};
  TestPublisher publisher_{redis_};
};

TEST_F(PusherBackfillTest, ReconnectWithLastEventIdGetsExactlyTheMissedMessages) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=1&desde=0", UserHeaders(1));
  for (int64_t seq = 1; seq <= 5; ++seq) ASSERT_TRUE(publisher_.Message(1, seq).ok());
  ASSERT_EQ(ReadSeqs(*stream, 5), Range(1, 5));
  stream.reset();  // the browser loses its connection
  for (int64_t seq = 6; seq <= 9; ++seq) ASSERT_TRUE(publisher_.Message(1, seq).ok());
  // EventSource reconnects to the same URL, adding Last-Event-ID.
  auto resumed = pusher.Stream("sala_id=1&desde=0", UserHeaders(1, "", {{"Last-Event-ID", "5"}}));
  ASSERT_TRUE(publisher_.Message(1, 10).ok());
  EXPECT_EQ(ReadSeqs(*resumed, 5), Range(6, 10));
  EXPECT_FALSE(resumed->NextOf("", 300ms).has_value());
}

TEST_F(PusherBackfillTest, DesdeResumesFromTheCacheOnAColdPusher) {
  for (int64_t seq = 1; seq <= 20; ++seq) ASSERT_TRUE(publisher_.Message(1, seq).ok());
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=1&desde=12", UserHeaders(1));
  EXPECT_EQ(ReadSeqs(*stream, 8), Range(13, 20));
  EXPECT_FALSE(stream->NextOf("", 300ms).has_value());
}

TEST_F(PusherBackfillTest, DeepResumeBeyondTheTimelineStillComesFromTheCache) {
  for (int64_t seq = 1; seq <= 400; ++seq) ASSERT_TRUE(publisher_.Message(1, seq).ok());
  PusherProcess pusher(dir_, "p0", redis_);
  auto warm = pusher.Stream("sala_id=1", UserHeaders(1));  // the room starts from the newest messages
  ASSERT_TRUE(Eventually([&] { return pusher.Get("/chat/health").body.find("\"rooms_active\":1") != std::string::npos; }));
  auto stream = pusher.Stream("sala_id=1&desde=3", UserHeaders(2));
  EXPECT_EQ(ReadSeqs(*stream, 397), Range(4, 400));
}

TEST_F(PusherBackfillTest, ResumeTheCacheNoLongerHoldsGetsRessincronizarThenWhatItHas) {
  TestPublisher small_cache(redis_, /*cache_size=*/10);
  for (int64_t seq = 1; seq <= 30; ++seq) ASSERT_TRUE(small_cache.Message(1, seq).ok());
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=1&desde=5", UserHeaders(1));
  auto first = stream->Next();
  while (first && first->event == "presenca") first = stream->Next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->event, "ressincronizar");
  EXPECT_EQ(first->data, "{\"apos_seq\":5}");
  EXPECT_EQ(ReadSeqs(*stream, 10), Range(21, 30));
}

TEST_F(PusherBackfillTest, ResumingWhileMessagesFlowHasNoGapAndNoDuplicateAtTheSeam) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto first = pusher.Stream("sala_id=1&desde=0", UserHeaders(1));
  std::atomic<int64_t> published{0};
  std::thread producer([&] {
    TestPublisher publisher(redis_);
    for (int64_t seq = 1; seq <= 300; ++seq) {
      EXPECT_TRUE(publisher.Message(1, seq).ok());
      published = seq;
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  });
  // Streams resume at points the producer just passed, while it goes on.
  std::vector<std::pair<int64_t, std::unique_ptr<SseClient>>> resumed;
  for (int64_t point : {20, 90, 160, 230}) {
    while (published < point + 5) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    resumed.emplace_back(point, pusher.Stream("sala_id=1", UserHeaders(2, "", {{"Last-Event-ID", std::to_string(point)}})));
  }
  producer.join();
  EXPECT_EQ(ReadSeqs(*first, 300, 20000ms), Range(1, 300));
  for (auto& [point, stream] : resumed) {
    EXPECT_EQ(ReadSeqs(*stream, static_cast<size_t>(300 - point), 20000ms), Range(point + 1, 300)) << point;
    EXPECT_FALSE(stream->NextOf("", 200ms).has_value());
  }
}

TEST_F(PusherBackfillTest, ResumeAboveTheRoomsNewestSeqGetsRessincronizarThenLiveMessages) {
  // A tab left open across a database reset: its Last-Event-ID (or desde)
  // is far above anything the room has now.
  for (int64_t seq = 1; seq <= 3; ++seq) ASSERT_TRUE(publisher_.Message(1, seq).ok());
  PusherProcess pusher(dir_, "p0", redis_);
  auto by_last_id = pusher.Stream("sala_id=1&desde=0", UserHeaders(1, "", {{"Last-Event-ID", "1000"}}));
  auto by_desde = pusher.Stream("sala_id=1&desde=999", UserHeaders(2));
  for (SseClient* stream : {by_last_id.get(), by_desde.get()}) {
    ASSERT_EQ(stream->status(), 200);
    auto resync = stream->NextOf("ressincronizar");
    ASSERT_TRUE(resync.has_value()) << pusher.Log();
    EXPECT_EQ(resync->data, "{\"apos_seq\":3}");
  }
  ASSERT_TRUE(publisher_.Message(1, 4).ok());
  EXPECT_EQ(ReadSeqs(*by_last_id, 1), Range(4, 4));
  EXPECT_EQ(ReadSeqs(*by_desde, 1), Range(4, 4));
}

TEST_F(PusherBackfillTest, MalformedLastEventIdIsIgnoredAndDesdeApplies) {
  for (int64_t seq = 1; seq <= 5; ++seq) ASSERT_TRUE(publisher_.Message(1, seq).ok());
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=1&desde=3", UserHeaders(1, "", {{"Last-Event-ID", "abc"}}));
  ASSERT_EQ(stream->status(), 200);  // the browser would resend it forever: no 400
  EXPECT_EQ(ReadSeqs(*stream, 2), Range(4, 5));
  EXPECT_EQ(pusher.Get("/chat/stream?sala_id=1&desde=abc", UserHeaders(1)).status, 400);
}

}  // namespace
}  // namespace papo::testing
