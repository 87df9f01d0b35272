// The room's ordering and backfill seam, end to end through real sockets:
// streams are Connections over socketpairs, and the recent cache is an
// in-memory MessageCache (the one I/O edge replaced, memory_cache.h).
#include "sse-pusher/room.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/bus/names.h"
#include "common/chat_message.h"
#include "common/sse_frame.h"
#include "tests/unit/pusher/memory_cache.h"
#include "tests/unit/pusher/test_peer.h"

namespace papo::pusher {
namespace {

using Strings = std::vector<std::string>;

}  // namespace

namespace test {
// The delivery reports a room makes, in order.
class RecordingReporter final : public DeliveryReporter {
 public:
  void Report(const std::vector<StatusChange>& delivered, bool /*privada*/) override {
    reports.insert(reports.end(), delivered.begin(), delivered.end());
    ++calls;
  }
  int calls = 0;
  std::vector<StatusChange> reports;
};
}  // namespace test

namespace {

class RoomTest : public ::testing::Test, public ConnectionOwner {
 protected:
  RoomTest() {
    options_.timeline_capacity = 4;
    options_.reorder_window_ms = 30;
    loop_->AddBeforeSleep([this] {
      for (Topic* topic : dirty_) topic->Flush(metrics_);
      dirty_.clear();
    });
  }
  ~RoomTest() override {
    for (auto& stream : streams_) {
      room_->Leave(*stream.connection);
      topic_.Remove(*stream.connection, 0);
      stream.connection->topic_slots().clear();
    }
  }

  void OnRequest(Connection&, const HttpRequest&) override {}
  void OnClosing(Connection&) override {}

  using Stream = test::TestStream;

  // Caches `seqs` as the app does (before publishing them).
  void Cache(std::initializer_list<int64_t> seqs) {
    for (int64_t seq : seqs) cache_.messages[seq] = Json(seq);
  }
  static std::string Json(int64_t seq) { return "{\"seq\":" + std::to_string(seq) + "}"; }
  void Publish(int64_t seq) {
    room_->OnMessage(seq, Json(seq), 0);
    Spin();
  }
  void Subscribe() {
    room_->OnSubscribed();
    Spin();
  }
  // Runs the loop until nothing is left to do right now.
  void Spin() {
    for (int i = 0; i < 5; ++i) loop_->RunOnce(0);
  }
  // Runs the loop (timers included) for about `ms`.
  void RunFor(int ms) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < until) loop_->RunOnce(5);
  }

  Stream& Join(std::optional<int64_t> after, int64_t user = 1) {
    auto [ours, peer] = test::SocketPair();
    Stream stream;
    stream.connection = std::make_unique<Connection>(context_, std::move(ours), false);
    stream.connection->BeginStream(Connection::Kind::kRoomStream, Frame::Make("", FrameKind::kControl), user, 1u << 30);
    stream.reader = std::make_unique<test::PeerStream>(peer.get());
    stream.peer = std::move(peer);
    topic_.Add(*stream.connection);
    room_->Join(*stream.connection, after, "Ana", false);
    streams_.push_back(std::move(stream));
    Spin();
    return streams_.back();
  }

  std::unique_ptr<EventLoop> loop_ = std::move(EventLoop::Create()).value();
  PusherMetrics metrics_;
  PusherOptions options_;
  ConnectionContext context_{*loop_, metrics_, options_, *this, HttpLimits{}};
  test::MemoryCache cache_{*loop_};
  std::vector<Topic*> dirty_;
  test::RecordingReporter reporter_;
  RoomContext room_context_{*loop_, cache_, nullptr, &reporter_, metrics_, options_, dirty_};
  Topic topic_{"papo:sala:1", Topic::Kind::kRoom, 1};
  std::unique_ptr<Room> room_ = std::make_unique<Room>(room_context_, topic_, 1);
  std::deque<Stream> streams_;  // stable references across Join()
};

TEST_F(RoomTest, ResumeCoveredByTheTimelineNeedsNoCacheRead) {
  Cache({1, 2, 3, 4, 5});
  Subscribe();
  ASSERT_TRUE(room_->synced());
  int fetches = cache_.fetches;
  Stream& stream = Join(2);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"3", "4", "5"}));
  EXPECT_EQ(cache_.fetches, fetches);
  EXPECT_EQ(metrics_.backfill_frames, 3u);
}

TEST_F(RoomTest, ResumeOlderThanTheTimelineReadsTheCache) {
  Cache({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  Subscribe();  // timeline: newest 4 (7..10)
  Stream& stream = Join(2);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"3", "4", "5", "6", "7", "8", "9", "10"}));
}

TEST_F(RoomTest, ResumeTheCacheNoLongerHoldsGetsRessincronizarFirst) {
  Cache({6, 7, 8, 9, 10});  // 1..5 already trimmed
  Subscribe();
  Stream& stream = Join(2);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"ressincronizar:{\"apos_seq\":2}", "6", "7", "8", "9", "10"}));
  EXPECT_EQ(metrics_.resyncs, 1u);
}

TEST_F(RoomTest, LiveMessagesDuringTheCacheReadAreNeitherLostNorRepeated) {
  Cache({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  Subscribe();
  Stream& live = Join(std::nullopt, 2);
  cache_.hold_answers = true;
  Stream& resuming = Join(2);
  // Published while the read is in flight: one before Redis ran the read
  // (so it is in the answer too), one after.
  Cache({11});
  Publish(11);
  cache_.ReleaseAnswers();
  Spin();
  Cache({12});
  Publish(12);
  EXPECT_EQ(resuming.reader->Summary(), (Strings{"3", "4", "5", "6", "7", "8", "9", "10", "11", "12"}));
  EXPECT_EQ(live.reader->Summary(), (Strings{"11", "12"}));
}

TEST_F(RoomTest, AnswerOlderThanALiveMessageDoesNotDuplicateIt) {
  Cache({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  Subscribe();
  cache_.hold_answers = true;
  Stream& resuming = Join(2);  // the read sees 1..10 only
  Cache({11});
  Publish(11);                 // arrives live before the answer
  cache_.ReleaseAnswers();
  Spin();
  EXPECT_EQ(resuming.reader->Summary(), (Strings{"3", "4", "5", "6", "7", "8", "9", "10", "11"}));
}

TEST_F(RoomTest, LiveOnlyStreamStartsAtTheNextMessage) {
  Cache({1, 2, 3});
  Subscribe();
  Stream& stream = Join(std::nullopt);
  Cache({4});
  Publish(4);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"4"}));
}

TEST_F(RoomTest, OutOfOrderPublishesAreDeliveredInOrder) {
  Cache({1});
  Subscribe();
  Stream& stream = Join(1);
  Cache({2, 3, 4});
  Publish(3);
  Publish(4);
  EXPECT_EQ(stream.reader->Summary(), Strings{});
  Publish(2);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"2", "3", "4"}));
  EXPECT_EQ(metrics_.messages_reordered, 2u);
}

TEST_F(RoomTest, RepublishedMessagesAreDeliveredOnce) {
  Cache({1});
  Subscribe();
  Stream& stream = Join(1);
  Cache({2});
  Publish(2);
  Publish(2);
  Publish(1);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"2"}));
  EXPECT_EQ(metrics_.messages_duplicate, 2u);
}

TEST_F(RoomTest, GapIsFilledFromTheCacheAfterTheReorderWindow) {
  Cache({1});
  Subscribe();
  Stream& stream = Join(1);
  Cache({2, 3});
  Publish(3);  // 2 was cached but its PUBLISH never reached us
  RunFor(100);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"2", "3"}));
  EXPECT_EQ(metrics_.gaps_skipped, 0u);
}

TEST_F(RoomTest, GapNobodyCanFillBecomesRessincronizar) {
  Cache({1});
  Subscribe();
  Stream& stream = Join(1);
  Cache({3});
  Publish(3);  // 2 is nowhere
  RunFor(100);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"ressincronizar:{\"apos_seq\":1}", "3"}));
  EXPECT_EQ(metrics_.gaps_skipped, 1u);
  // A late copy of 2 is a duplicate now.
  Publish(2);
  Cache({4});
  Publish(4);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"4"}));
}

TEST_F(RoomTest, ResumeAheadOfTheRoomSendsNothingTheClientHas) {
  Cache({1, 2});
  Subscribe();
  Cache({3, 4});             // published: the client saw 3 and 4 through another pusher
  Stream& stream = Join(4);  // before their PUBLISH reached this one
  Cache({5});
  Publish(3);
  Publish(4);
  Publish(5);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"5"}));
  EXPECT_EQ(metrics_.resyncs, 0u);
}

TEST_F(RoomTest, ResumeAheadWhileTheRoomCatchesUpGetsWhatFollowsOnce) {
  Cache({1, 2});
  Subscribe();
  Cache({3, 4});
  cache_.hold_answers = true;
  Stream& stream = Join(3);  // seen elsewhere; the check is in flight
  Publish(3);
  Publish(4);                // released while the stream waits for the check
  cache_.ReleaseAnswers();
  Spin();
  EXPECT_EQ(stream.reader->Summary(), (Strings{"4"}));
}

TEST_F(RoomTest, ResumeBeyondEverySeqTheRoomHasGetsRessincronizarThenLiveMessages) {
  Cache({1, 2, 3});
  Subscribe();
  Stream& stream = Join(1000);  // a tab from before a database reset
  EXPECT_EQ(stream.reader->Summary(), (Strings{"ressincronizar:{\"apos_seq\":3}"}));
  Cache({4});
  Publish(4);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"4"}));
  EXPECT_EQ(metrics_.resyncs, 1u);
}

TEST_F(RoomTest, ResumeBeyondAnEmptyRoomResynchronisesFromZero) {
  cache_.hold_answers = true;
  Subscribe();
  Stream& stream = Join(50);  // joins before the room's first snapshot
  cache_.ReleaseAnswers();    // the snapshot: nothing cached
  Spin();
  cache_.ReleaseAnswers();    // the newest-seq check
  Spin();
  EXPECT_EQ(stream.reader->Summary(), (Strings{"ressincronizar:{\"apos_seq\":0}"}));
  cache_.hold_answers = false;
  Cache({1});
  Publish(1);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"1"}));
}

TEST_F(RoomTest, MessagesBeforeTheFirstSnapshotAreSequencedAfterIt) {
  Cache({1, 2});
  cache_.hold_answers = true;
  Subscribe();
  Stream& stream = Join(2);
  Cache({3, 4});
  Publish(4);
  Publish(3);
  cache_.ReleaseAnswers();
  Spin();
  EXPECT_EQ(stream.reader->Summary(), (Strings{"3", "4"}));
}

TEST_F(RoomTest, AfterAReconnectTheCacheFillsWhatWasPublishedMeanwhile) {
  Cache({1});
  Subscribe();
  Stream& stream = Join(1);
  room_->OnSubscriptionLost();
  Cache({2, 3});  // published while this process was not subscribed
  Subscribe();
  EXPECT_EQ(stream.reader->Summary(), (Strings{"2", "3"}));
}

TEST_F(RoomTest, EmptyRoomStartsAtZero) {
  Subscribe();
  Stream& stream = Join(0);
  Cache({2, 1});
  Publish(2);
  Publish(1);
  EXPECT_EQ(stream.reader->Summary(), (Strings{"1", "2"}));
}

TEST_F(RoomTest, OtherEventsAreForwardedAndTheLastPresenceGreetsNewStreams) {
  Subscribe();
  Stream& first = Join(std::nullopt);
  room_->OnEvent(EventKind::kTyping, "{\"usuario_id\":3}", 0);
  room_->OnEvent(EventKind::kPresence, "{\"usuarios_online\":1}", 0);
  Spin();
  EXPECT_EQ(first.reader->Summary(),
            (Strings{"digitando:{\"usuario_id\":3}", "presenca:{\"usuarios_online\":1}"}));
  Stream& second = Join(std::nullopt);
  EXPECT_EQ(second.reader->Summary(), (Strings{"presenca:{\"usuarios_online\":1}"}));
}

// A presence from before a user arrived would show them a wrong count
// (e.g. "0 online" right after their previous stream left): a new stream
// gets the last presence only when it lists them, or when its list is cut.
TEST_F(RoomTest, ANewStreamIsNotGreetedByAPresenceThatMissesItsUser) {
  Subscribe();
  Join(std::nullopt, 2);
  room_->OnEvent(EventKind::kPresence, "{\"usuarios_online\":0,\"usuarios\":[]}", 0);
  Spin();
  Stream& ana = Join(std::nullopt, 1);
  EXPECT_EQ(ana.reader->Summary(), Strings{});
  room_->OnEvent(EventKind::kPresence, "{\"usuarios_online\":1,\"usuarios\":[{\"id\":2,\"nome\":\"Bia\"}]}", 0);
  Spin();
  Stream& ana_again = Join(std::nullopt, 1);
  EXPECT_EQ(ana_again.reader->Summary(), Strings{}) << "lists Bia only";
  Stream& bia = Join(std::nullopt, 2);
  EXPECT_EQ(bia.reader->Summary(), (Strings{"presenca:{\"usuarios_online\":1,\"usuarios\":[{\"id\":2,\"nome\":\"Bia\"}]}"}));
  // A crowded room lists only the first names: it cannot tell, so it greets.
  room_->OnEvent(EventKind::kPresence, "{\"usuarios_online\":300,\"usuarios\":[{\"id\":2,\"nome\":\"Bia\"}]}", 0);
  Spin();
  Stream& ana_crowd = Join(std::nullopt, 1);
  EXPECT_EQ(ana_crowd.reader->Summary().size(), 1u);
}

TEST_F(RoomTest, ManyStreamsShareOneFramePerBatch) {
  Cache({1});
  Subscribe();
  for (int i = 0; i < 20; ++i) Join(1, i + 1);
  Cache({2, 3});
  room_->OnMessage(2, Json(2), 0);
  room_->OnMessage(3, Json(3), 0);
  uint64_t before = metrics_.frames_sent;
  Spin();
  EXPECT_EQ(metrics_.frames_sent - before, 20u);  // one send per stream for both messages
  for (auto& stream : streams_) EXPECT_EQ(stream.reader->Summary(), (Strings{"2", "3"}));
}

// ---- changes and delivery status (DESIGN §9) ----

// A change as papo-app logs it: an edit of message `seq` at `position`.
LoggedChange Edit(int64_t seq, double position, std::string text) {
  std::string json = "{\"id\":" + std::to_string(100 + seq) + ",\"sala_id\":1,\"seq\":" + std::to_string(seq) +
                     ",\"mensagem\":\"" + text + "\"}";
  return {position, EncodeEnvelope(EventKind::kEdited, 1, seq, false, json)};
}

std::string EditSummary(const LoggedChange& change) {
  return "mensagem_editada:" + std::string(DecodeEnvelope(change.envelope)->json);
}

TEST_F(RoomTest, AResumeGetsTheChangesMadeSinceItsSeqAfterItsMessages) {
  Cache({1, 2, 3, 4});
  cache_.changes = {Edit(1, 2, "velha"), Edit(2, 3, "antes"), Edit(1, 4, "nova"), Edit(3, 4.000001, "depois")};
  Subscribe();
  Stream& resuming = Join(3);
  Spin();
  EXPECT_EQ(resuming.reader->Summary(),
            (Strings{"4", EditSummary(cache_.changes[1]), EditSummary(cache_.changes[2]), EditSummary(cache_.changes[3])}));
  Stream& live = Join(std::nullopt, 2);
  Spin();
  EXPECT_EQ(live.reader->Summary(), Strings{});  // a new stream's page was read after the changes
  EXPECT_EQ(cache_.change_fetches, 1);
}

TEST_F(RoomTest, ALiveChangeDuringTheReplayIsSentAgainAfterIt) {
  Cache({1, 2});
  cache_.changes = {Edit(1, 2, "segunda")};
  Subscribe();
  cache_.hold_answers = true;
  Stream& resuming = Join(2);
  // Logged after the read ran, arriving live before its answer.
  LoggedChange third = Edit(1, 2.5, "terceira");
  room_->OnEvent(EventKind::kEdited, DecodeEnvelope(third.envelope)->json, 0);
  Spin();
  cache_.ReleaseAnswers();
  Spin();
  EXPECT_EQ(resuming.reader->Summary(),
            (Strings{EditSummary(third), EditSummary(cache_.changes[0]), EditSummary(third)}));
}

TEST_F(RoomTest, AStreamThatLeavesDuringTheReplayIsForgotten) {
  Cache({1, 2});
  cache_.changes = {Edit(1, 2, "x")};
  Subscribe();
  cache_.hold_answers = true;
  Join(2);
  Stream& other = Join(1, 2);
  Stream& first = streams_.front();
  room_->Leave(*first.connection);
  topic_.Remove(*first.connection, 0);
  first.connection->topic_slots().clear();
  streams_.pop_front();
  cache_.ReleaseAnswers();
  Spin();
  cache_.ReleaseAnswers();  // the second read, for the stream that attached during the first
  Spin();
  EXPECT_EQ(other.reader->Summary(), (Strings{"2", EditSummary(cache_.changes[0])}));
}

std::string AuthoredJson(int64_t seq, int64_t author) {
  ChatMessage message;
  message.id = 100 + seq;
  message.sala_id = 1;
  message.seq = seq;
  message.usuario_id = author;
  message.mensagem = "oi";
  message.usuario_nome = "Ana";
  return ChatMessageToJson(message);
}

TEST_F(RoomTest, ALiveMessageIsReportedDeliveredOnlyWhenSomeoneElseIsHere) {
  Cache({1});
  Subscribe();
  Join(std::nullopt, 7);  // the author's own tab
  room_->OnMessage(2, AuthoredJson(2, 7), 0);
  Spin();
  EXPECT_TRUE(reporter_.reports.empty());
  Join(std::nullopt, 8);
  room_->OnMessage(3, AuthoredJson(3, 7), 0);
  room_->OnMessage(3, AuthoredJson(3, 7), 0);  // republished: reported once
  Spin();
  ASSERT_EQ(reporter_.reports.size(), 1u);
  EXPECT_EQ(reporter_.reports[0].mensagem_id, 103);
  EXPECT_EQ(reporter_.reports[0].seq, 3);
  EXPECT_EQ(reporter_.reports[0].autor_id, 7);
  EXPECT_EQ(reporter_.reports[0].status, MessageStatus::kDelivered);
  // A burst in one loop pass is one report call.
  room_->OnMessage(4, AuthoredJson(4, 7), 0);
  room_->OnMessage(5, AuthoredJson(5, 7), 0);
  Spin();
  ASSERT_EQ(reporter_.reports.size(), 3u);
  EXPECT_EQ(reporter_.reports[2].seq, 5);
  EXPECT_EQ(reporter_.calls, 2);
}

TEST_F(RoomTest, AStatusReachesOnlyItsAuthorsStreamsLiveAndReplayed) {
  Cache({1, 2});
  RoomEvent status = StatusEvent({1, 102, 2, 7, MessageStatus::kDelivered}, false, 2);
  cache_.changes = {{2, EncodeEnvelope(status.kind, 1, 2, false, status.json)}};
  Subscribe();
  Stream& author = Join(std::nullopt, 7);
  Stream& other = Join(std::nullopt, 8);
  room_->OnEvent(EventKind::kStatus, status.json, 0);
  Spin();
  EXPECT_EQ(author.reader->Summary(), (Strings{"status:" + status.json}));
  EXPECT_EQ(other.reader->Summary(), Strings{});
  Stream& author_resuming = Join(1, 7);
  Stream& other_resuming = Join(1, 8);
  Spin();
  EXPECT_EQ(author_resuming.reader->Summary(), (Strings{"2", "status:" + status.json}));
  EXPECT_EQ(other_resuming.reader->Summary(), (Strings{"2"}));
}

}  // namespace
}  // namespace papo::pusher
