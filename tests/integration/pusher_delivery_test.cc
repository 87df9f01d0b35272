// Live delivery through papo-pusher: every subscriber gets every message of
// its room exactly once and in seq order, even when publishers race, repeat
// themselves or lose a PUBLISH (the cache fills the gap, or ressincronizar).
#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "tests/integration/pusher_fixture.h"

namespace papo::testing {
namespace {

class PusherDeliveryTest : public ::testing::Test {
 protected:
  TempDir dir_;
  RedisServer redis_{dir_.path()};
  TestPublisher publisher_{redis_};
};

TEST_F(PusherDeliveryTest, TwoSubscribersEachReceiveEveryMessageOnceInOrder) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto ana = pusher.Stream("sala_id=1&desde=0", UserHeaders(1));
  auto bia = pusher.Stream("sala_id=1&desde=0", UserHeaders(2));
  auto other_room = pusher.Stream("sala_id=2&desde=0", UserHeaders(3));
  for (int64_t seq = 1; seq <= 5; ++seq) ASSERT_TRUE(publisher_.Message(1, seq).ok());
  EXPECT_EQ(ReadSeqs(*ana, 5), Range(1, 5));
  EXPECT_EQ(ReadSeqs(*bia, 5), Range(1, 5));
  EXPECT_FALSE(ana->NextOf("", 300ms).has_value());  // nothing more, no duplicate
  EXPECT_FALSE(other_room->NextOf("", 300ms).has_value());
}

TEST_F(PusherDeliveryTest, MessageEventCarriesTheMessageJsonAndItsSeqAsId) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=4&desde=0", UserHeaders(1));
  ASSERT_TRUE(publisher_.Message(4, 1).ok());
  auto event = stream->NextOf("");
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->id, "1");
  EXPECT_EQ(event->data, MessageJson(4, 1));
}

TEST_F(PusherDeliveryTest, FourConcurrentPublishersRacingAndRepeatingArriveInSeqOrder) {
  PusherProcess pusher(dir_, "p0", redis_);
  std::vector<std::unique_ptr<SseClient>> streams;
  for (int i = 1; i <= 3; ++i) streams.push_back(pusher.Stream("sala_id=1&desde=0", UserHeaders(i)));
  auto redis = redis_.Client();
  ASSERT_TRUE(WaitSubscribed(*redis, RoomChannel(1)));
  // Each worker takes the next seq (its "commit") and publishes it after a
  // random pause, so PUBLISH order differs from seq order; some republish.
  std::atomic<int64_t> next_seq{1};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      TestPublisher publisher(redis_);
      std::mt19937 random(static_cast<unsigned>(w));
      for (int64_t seq = next_seq++; seq <= 200; seq = next_seq++) {
        std::this_thread::sleep_for(std::chrono::microseconds(random() % 2000));
        EXPECT_TRUE(publisher.Message(1, seq).ok());
        if (random() % 10 == 0) {
          EXPECT_TRUE(publisher.Message(1, seq).ok());  // a duplicate publish
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  for (auto& stream : streams) {
    EXPECT_EQ(ReadSeqs(*stream, 200, 20000ms), Range(1, 200));
    EXPECT_FALSE(stream->NextOf("", 300ms).has_value());
  }
}

TEST_F(PusherDeliveryTest, PublishThatNeverArrivesIsFilledFromTheCache) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=1&desde=0", UserHeaders(1));
  ASSERT_TRUE(publisher_.Message(1, 1).ok());
  ASSERT_EQ(ReadSeqs(*stream, 1), Range(1, 1));
  // Seq 2 reaches the cache but its PUBLISH is lost (e.g. the worker died).
  ASSERT_TRUE(publisher_.client().Command({"ZADD", RecentCacheKey(1), "2", MessageJson(1, 2)}).ok());
  ASSERT_TRUE(publisher_.Message(1, 3).ok());
  EXPECT_EQ(ReadSeqs(*stream, 2), Range(2, 3));
}

TEST_F(PusherDeliveryTest, GapNobodyCanFillIsAnnouncedWithRessincronizar) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=1&desde=0", UserHeaders(1));
  ASSERT_TRUE(publisher_.Message(1, 1).ok());
  ASSERT_EQ(ReadSeqs(*stream, 1), Range(1, 1));
  ASSERT_TRUE(publisher_.Message(1, 3).ok());  // 2 was never cached nor published
  auto resync = stream->Next();
  while (resync && resync->event == "presenca") resync = stream->Next();
  ASSERT_TRUE(resync.has_value());
  EXPECT_EQ(resync->event, "ressincronizar");
  EXPECT_EQ(resync->data, "{\"apos_seq\":1}");
  EXPECT_EQ(ReadSeqs(*stream, 1), Range(3, 3));
  ASSERT_TRUE(publisher_.Message(1, 2).ok());  // too late: dropped, never out of order
  ASSERT_TRUE(publisher_.Message(1, 4).ok());
  EXPECT_EQ(ReadSeqs(*stream, 1), Range(4, 4));
}

TEST_F(PusherDeliveryTest, TypingReadAndPresenceEventsAreForwardedByName) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=1", UserHeaders(1));
  auto redis = redis_.Client();
  ASSERT_TRUE(WaitSubscribed(*redis, RoomChannel(1)));
  ASSERT_TRUE(stream->NextOf("presenca").has_value());  // its own arrival
  std::string typing = "{\"usuario_id\":2,\"usuario_nome\":\"Bia\",\"digitando\":true}";
  std::string read = "{\"usuario_id\":2,\"ultimo_seq_lido\":9}";
  ASSERT_TRUE(publisher_.Event(EventKind::kTyping, 1, typing).ok());
  ASSERT_TRUE(publisher_.Event(EventKind::kRead, 1, read).ok());
  auto next_not_presence = [&] {
    auto event = stream->Next();
    while (event && event->event == "presenca") event = stream->Next();
    return event;
  };
  auto first = next_not_presence();
  auto second = next_not_presence();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->event, "digitando");
  EXPECT_EQ(first->data, typing);
  EXPECT_TRUE(first->id.empty());
  EXPECT_EQ(second->event, "leitura");
  EXPECT_EQ(second->data, read);
}

TEST_F(PusherDeliveryTest, MultiLineDataIsFramedLineByLine) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=1", UserHeaders(1));
  auto redis = redis_.Client();
  ASSERT_TRUE(WaitSubscribed(*redis, RoomChannel(1)));
  // The stream is live once its own arrival is announced; an ephemeral event
  // published before that may rightly never reach it.
  ASSERT_TRUE(stream->NextOf("presenca").has_value());
  ASSERT_TRUE(publisher_.Event(EventKind::kTyping, 1, "{\n\"a\":1\r\n}").ok());
  auto event = stream->NextOf("digitando");
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->data, "{\n\"a\":1\n}");
}

}  // namespace
}  // namespace papo::testing
