// RoomHub's routing, with the Redis edge replaced: a recording
// ChannelSubscriptions that confirms SUBSCRIBEs on demand, notifications
// injected as the subscriber would deliver them, the cache in memory.
#include "sse-pusher/room_hub.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "common/bus/names.h"
#include "tests/unit/pusher/memory_cache.h"
#include "tests/unit/pusher/test_peer.h"

namespace papo::pusher {
namespace {

using Strings = std::vector<std::string>;

class RecordingSubscriptions final : public ChannelSubscriptions {
 public:
  void Want(const std::string& channel) override { wanted.insert(channel); }
  void Release(const std::string& channel) override {
    wanted.erase(channel);
    released.push_back(channel);
  }
  std::set<std::string> wanted;
  Strings released;
};

// The private rooms papo-app stored per user, answered like Redis: later,
// at the end of the loop iteration.
class MemoryPrivateRooms final : public PrivateRoomSource {
 public:
  explicit MemoryPrivateRooms(EventLoop& loop) : loop_(loop) {}
  void Fetch(int64_t usuario_id, Callback done) override {
    ++fetches;
    Result<std::vector<int64_t>> answer = failure.ok() ? Result<std::vector<int64_t>>(stored[usuario_id])
                                                       : Result<std::vector<int64_t>>(failure);
    loop_.Defer([answer = std::move(answer), done = std::move(done)]() mutable { done(std::move(answer)); });
  }
  std::map<int64_t, std::vector<int64_t>> stored;
  Status failure = Status::Ok();
  int fetches = 0;

 private:
  EventLoop& loop_;
};

class RoomHubTest : public ::testing::Test, public ConnectionOwner {
 protected:
  RoomHubTest() {
    hub_.SetSubscriptions(&subscriptions_);
    auto rooms = std::make_unique<MemoryPrivateRooms>(*loop_);
    private_rooms_ = rooms.get();
    hub_.SetPrivateRooms(std::move(rooms));
    loop_->AddBeforeSleep([this] { hub_.Flush(); });
  }
  ~RoomHubTest() override {
    for (auto& stream : streams_) hub_.Leave(*stream.connection);
  }
  void OnRequest(Connection&, const HttpRequest&) override {}
  void OnClosing(Connection&) override {}

  using Stream = test::TestStream;
  Stream& Open(const StreamRequest& request) {
    auto [ours, peer] = test::SocketPair();
    Stream stream;
    stream.connection = std::make_unique<Connection>(context_, std::move(ours), false);
    stream.connection->BeginStream(request.kind == StreamRequest::Kind::kRoom ? Connection::Kind::kRoomStream
                                                                              : Connection::Kind::kListStream,
                                   Frame::Make("", FrameKind::kControl), request.usuario_id, 1u << 30);
    stream.reader = std::make_unique<test::PeerStream>(peer.get());
    stream.peer = std::move(peer);
    if (request.kind == StreamRequest::Kind::kRoom) {
      hub_.JoinRoom(*stream.connection, request);
    } else {
      hub_.JoinList(*stream.connection, request);
    }
    streams_.push_back(std::move(stream));
    Spin();  // the private rooms' answer
    ConfirmSubscriptions();
    return streams_.back();
  }
  static StreamRequest Room(int64_t sala, int64_t user, std::optional<int64_t> after = std::nullopt) {
    StreamRequest request;
    request.kind = StreamRequest::Kind::kRoom;
    request.sala_id = sala;
    request.usuario_id = user;
    request.usuario_nome = "U" + std::to_string(user);
    request.after_seq = after;
    return request;
  }
  // A list stream of `user`, whose private rooms papo-app stored as `privadas`.
  StreamRequest List(int64_t user, std::vector<int64_t> privadas = {}) {
    private_rooms_->stored[user] = std::move(privadas);
    StreamRequest request;
    request.kind = StreamRequest::Kind::kList;
    request.usuario_id = user;
    return request;
  }
  // Plays Redis: every wanted channel is subscribed now.
  void ConfirmSubscriptions() {
    for (const std::string& channel : subscriptions_.wanted) {
      if (confirmed_.insert(channel).second) hub_.OnSubscribed(channel);
    }
    Spin();
  }
  void Notify(const std::string& channel, EventKind kind, int64_t sala, int64_t seq, bool privada,
              const std::string& json) {
    hub_.OnMessage(channel, EncodeEnvelope(kind, sala, seq, privada, json));
    Spin();
  }
  void Spin() {
    for (int i = 0; i < 5; ++i) loop_->RunOnce(0);
  }

  std::unique_ptr<EventLoop> loop_ = std::move(EventLoop::Create()).value();
  PusherMetrics metrics_;
  PusherOptions options_;
  ConnectionContext context_{*loop_, metrics_, options_, *this, HttpLimits{}};
  test::MemoryCache cache_{*loop_};
  RecordingSubscriptions subscriptions_;
  RoomHub hub_{*loop_, metrics_, options_, cache_, nullptr};
  MemoryPrivateRooms* private_rooms_ = nullptr;  // owned by hub_
  std::set<std::string> confirmed_;
  std::deque<Stream> streams_;
};

TEST_F(RoomHubTest, RoomStreamsGetTheirRoomsMessagesOnly) {
  Stream& one = Open(Room(1, 10, 0));
  Stream& two = Open(Room(2, 11, 0));
  cache_.messages[1] = "{}";
  Notify(RoomChannel(1), EventKind::kMessage, 1, 1, false, "{\"m\":1}");
  EXPECT_EQ(one.reader->Summary(), (Strings{"1"}));
  EXPECT_EQ(two.reader->Summary(), Strings{});
  EXPECT_EQ(hub_.rooms_active(), 2u);
  EXPECT_EQ(hub_.RoomStreams(1), 1u);
}

TEST_F(RoomHubTest, ListStreamsSubscribeThePublicTheirUserAndTheirPrivateChannels) {
  Open(List(5, {7, 7, 9}));
  EXPECT_EQ(subscriptions_.wanted, (std::set<std::string>{PublicListChannel(), UserChannel(5),
                                                          PrivateListChannel(7), PrivateListChannel(9)}));
}

// Thousands of rooms: nothing bounds the set (it used to be a header).
TEST_F(RoomHubTest, AListStreamFollowsEveryStoredPrivateRoom) {
  std::vector<int64_t> many;
  for (int64_t id = 1000; id < 4000; ++id) many.push_back(id);
  Stream& member = Open(List(5, many));
  EXPECT_EQ(subscriptions_.wanted.size(), 3000u + 2u);
  Notify(PrivateListChannel(1000), EventKind::kActivity, 1000, 1, true, "{\"sala_id\":1000}");
  Notify(PrivateListChannel(3999), EventKind::kActivity, 3999, 1, true, "{\"sala_id\":3999}");
  EXPECT_EQ(member.reader->Summary(), (Strings{"atividade:{\"sala_id\":1000}", "atividade:{\"sala_id\":3999}"}));
}

// Read once Redis confirmed the user channel (a room gained before is in
// the set, one gained after arrives on the channel), and again after a
// reconnect: a room gained while Redis was away is followed too.
TEST_F(RoomHubTest, PrivateRoomsAreReadWhenTheUserChannelIsLiveAndAgainAfterAReconnect) {
  Stream& list = Open(List(5, {7}));
  EXPECT_EQ(private_rooms_->fetches, 1);
  private_rooms_->stored[5] = {7, 8};
  hub_.OnConnectionLost();
  confirmed_.clear();
  ConfirmSubscriptions();  // the subscriber subscribes every channel again
  EXPECT_EQ(private_rooms_->fetches, 2);
  ASSERT_TRUE(subscriptions_.wanted.count(PrivateListChannel(8)));
  Notify(PrivateListChannel(8), EventKind::kActivity, 8, 1, true, "{\"sala_id\":8}");
  EXPECT_EQ(list.reader->Summary(), (Strings{"atividade:{\"sala_id\":8}"}));
}

// Every list stream of the user here takes the answer, each channel once.
TEST_F(RoomHubTest, TwoListStreamsOfOneUserEachGetAPrivateRoomsActivityOnce) {
  Stream& laptop = Open(List(5, {7}));
  Stream& phone = Open(List(5, {7}));
  EXPECT_EQ(private_rooms_->fetches, 2);
  Notify(PrivateListChannel(7), EventKind::kActivity, 7, 3, true, "{\"sala_id\":7}");
  EXPECT_EQ(laptop.reader->Summary(), (Strings{"atividade:{\"sala_id\":7}"}));
  EXPECT_EQ(phone.reader->Summary(), (Strings{"atividade:{\"sala_id\":7}"}));
}

// Redis cannot answer: the stream would miss every private room, so it
// ends and the browser's reconnect stores the rooms again.
TEST_F(RoomHubTest, UnreadablePrivateRoomsEndTheUsersListStreamsOnly) {
  Stream& other = Open(List(6));
  private_rooms_->failure = Status::Unavailable("redis: no connection");
  Stream& list = Open(List(5, {7}));
  EXPECT_TRUE(list.connection->closed());
  EXPECT_FALSE(other.connection->closed());
  EXPECT_EQ(subscriptions_.wanted.count(PrivateListChannel(7)), 0u);
}

// Nothing stored for the user (not authorized by papo-app): public rooms only.
TEST_F(RoomHubTest, NoStoredPrivateRoomsLeaveTheStreamOnPublicRooms) {
  private_rooms_->failure = Status::NotFound("no private rooms stored for the user");
  Stream& list = Open(List(5, {7}));
  EXPECT_FALSE(list.connection->closed());
  EXPECT_EQ(subscriptions_.wanted, (std::set<std::string>{PublicListChannel(), UserChannel(5)}));
  Notify(PublicListChannel(), EventKind::kActivity, 1, 4, false, "{\"sala_id\":1}");
  EXPECT_EQ(list.reader->Summary(), (Strings{"atividade:{\"sala_id\":1}"}));
}

TEST_F(RoomHubTest, PrivateActivityReachesMembersOnly) {
  Stream& member = Open(List(5, {7}));
  Stream& outsider = Open(List(6));
  Notify(PrivateListChannel(7), EventKind::kActivity, 7, 3, true, "{\"sala_id\":7}");
  Notify(PublicListChannel(), EventKind::kActivity, 1, 4, false, "{\"sala_id\":1}");
  EXPECT_EQ(member.reader->Summary(), (Strings{"atividade:{\"sala_id\":7}", "atividade:{\"sala_id\":1}"}));
  EXPECT_EQ(outsider.reader->Summary(), (Strings{"atividade:{\"sala_id\":1}"}));
}

TEST_F(RoomHubTest, GainingAPrivateRoomJoinsItsListChannel) {
  Stream& list = Open(List(5));
  Notify(UserChannel(5), EventKind::kRoom, 8, 0, true, "{\"id\":8}");
  EXPECT_TRUE(subscriptions_.wanted.count(PrivateListChannel(8)));
  ConfirmSubscriptions();
  Notify(PrivateListChannel(8), EventKind::kActivity, 8, 1, true, "{\"sala_id\":8}");
  EXPECT_EQ(list.reader->Summary(), (Strings{"sala:{\"id\":8}", "atividade:{\"sala_id\":8}"}));
}

// Leaving (or being removed from) a private room: the user's list streams
// here stop following it and hear so; other members and rooms go on.
TEST_F(RoomHubTest, LosingAPrivateRoomLeavesItsListChannelAndTellsTheList) {
  Stream& leaving = Open(List(5, {7, 9}));
  Stream& staying = Open(List(6, {7}));
  const std::string removal = "{\"sala_id\":7,\"usuario_id\":5}";
  Notify(UserChannel(5), EventKind::kRoomRemoved, 7, 0, true, removal);
  Notify(PrivateListChannel(7), EventKind::kActivity, 7, 3, true, "{\"sala_id\":7}");
  Notify(PrivateListChannel(9), EventKind::kActivity, 9, 1, true, "{\"sala_id\":9}");
  EXPECT_EQ(leaving.reader->Summary(), (Strings{"sala_removida:" + removal, "atividade:{\"sala_id\":9}"}));
  EXPECT_EQ(staying.reader->Summary(), (Strings{"atividade:{\"sala_id\":7}"}));
  EXPECT_FALSE(leaving.connection->closed());
  // The slots the connection kept still work: leaving the hub frees them all.
  hub_.Leave(*leaving.connection);
  EXPECT_EQ(leaving.connection->topic_slots().size(), 0u);
}

// The room's channel tells every pusher: that user's streams of the room
// get sala_removida and end; another user's stream of the room stays.
TEST_F(RoomHubTest, ARemovedUsersRoomStreamsEndAndOthersStay) {
  Stream& laptop = Open(Room(7, 5, 0));
  Stream& phone = Open(Room(7, 5, 0));
  Stream& other = Open(Room(7, 6, 0));
  const std::string removal = "{\"sala_id\":7,\"usuario_id\":5}";
  Notify(RoomChannel(7), EventKind::kRoomRemoved, 7, 0, true, removal);
  EXPECT_TRUE(laptop.connection->closed());
  EXPECT_TRUE(phone.connection->closed());
  EXPECT_EQ(laptop.reader->Summary(), (Strings{"sala_removida:" + removal}));
  EXPECT_FALSE(other.connection->closed());
  EXPECT_EQ(other.reader->Summary(), Strings{});
  cache_.messages[1] = "{}";
  Notify(RoomChannel(7), EventKind::kMessage, 7, 1, true, "{\"m\":1}");
  EXPECT_EQ(other.reader->Summary(), (Strings{"1"}));
}

TEST_F(RoomHubTest, ARoomUpdateReachesEveryStreamOfTheRoom) {
  Stream& one = Open(Room(7, 5, 0));
  Stream& two = Open(Room(7, 6, 0));
  Notify(RoomChannel(7), EventKind::kRoomUpdated, 7, 0, false, "{\"id\":7}");
  EXPECT_EQ(one.reader->Summary(), (Strings{"sala_atualizada:{\"id\":7}"}));
  EXPECT_EQ(two.reader->Summary(), (Strings{"sala_atualizada:{\"id\":7}"}));
}

TEST_F(RoomHubTest, MalformedOrUnknownNotificationsAreIgnored) {
  Stream& room = Open(Room(1, 10, 0));
  hub_.OnMessage(RoomChannel(1), "nonsense");
  hub_.OnMessage(RoomChannel(99), EncodeEnvelope(EventKind::kMessage, 99, 1, false, "{}"));
  hub_.OnMessage(RoomChannel(1), EncodeEnvelope(EventKind::kResync, 1, 0, false, "{}"));
  Spin();
  EXPECT_EQ(room.reader->Summary(), Strings{});
}

TEST_F(RoomHubTest, IdleChannelIsReleasedAfterTheLingerAndTheTopicFreedWhenConfirmed) {
  options_.channel_linger_ms = 1000;
  Open(Room(3, 10));
  hub_.Leave(*streams_.back().connection);
  streams_.back().connection->topic_slots().clear();
  int64_t now = loop_->now_ms();
  hub_.Sweep(now + 500);
  EXPECT_TRUE(subscriptions_.released.empty());
  hub_.Sweep(now + 1000);
  EXPECT_EQ(subscriptions_.released, (Strings{RoomChannel(3)}));
  EXPECT_EQ(hub_.topic_count(), 1u);
  hub_.OnUnsubscribed(RoomChannel(3));
  EXPECT_EQ(hub_.topic_count(), 0u);
  streams_.pop_back();
}

// Runs the loop until `connection`'s count of sends moves, or `limit` passes.
bool RunUntilSent(EventLoop& loop, const PusherMetrics& metrics, uint64_t sent_before,
                  std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until && metrics.frames_sent == sent_before) loop.RunOnce(5);
  return metrics.frames_sent != sent_before;
}

TEST_F(RoomHubTest, BusyRoomGathersItsEventsIntoOneSendPerWindow) {
  options_.coalesce_ms = 500;
  options_.coalesce_us_per_stream = 1'000'000;
  options_.coalesce_events = 100;
  Stream& room = Open(Room(1, 10, 0));
  cache_.messages[1] = "{}";
  Notify(RoomChannel(1), EventKind::kMessage, 1, 1, false, "{}");
  EXPECT_EQ(room.reader->Summary(), (Strings{"1"}));  // the room was quiet: at once
  for (int64_t seq = 2; seq <= 4; ++seq) {
    cache_.messages[seq] = "{}";
    Notify(RoomChannel(1), EventKind::kMessage, 1, seq, false, "{}");
  }
  uint64_t sent_before = metrics_.frames_sent;
  uint64_t batches_before = metrics_.fanout_batches;
  EXPECT_EQ(room.reader->Summary(), Strings{});  // busy: held for the window
  ASSERT_TRUE(RunUntilSent(*loop_, metrics_, sent_before));
  EXPECT_EQ(metrics_.frames_sent - sent_before, 1u);
  EXPECT_EQ(metrics_.fanout_batches - batches_before, 1u);
  EXPECT_EQ(room.reader->Summary(), (Strings{"2", "3", "4"}));
}

TEST_F(RoomHubTest, HeldBatchGoesOutOnceItHasEnoughEvents) {
  options_.coalesce_ms = 500;
  options_.coalesce_us_per_stream = 1'000'000;
  options_.coalesce_events = 2;
  Stream& room = Open(Room(1, 10, 0));
  cache_.messages[1] = "{}";
  Notify(RoomChannel(1), EventKind::kMessage, 1, 1, false, "{}");
  EXPECT_EQ(room.reader->Summary(), (Strings{"1"}));
  cache_.messages[2] = "{}";
  Notify(RoomChannel(1), EventKind::kMessage, 1, 2, false, "{}");
  EXPECT_EQ(room.reader->Summary(), Strings{});  // held
  uint64_t sent_before = metrics_.frames_sent;
  cache_.messages[3] = "{}";
  Notify(RoomChannel(1), EventKind::kMessage, 1, 3, false, "{}");
  EXPECT_EQ(metrics_.frames_sent - sent_before, 1u);  // two events: out without waiting for the window
  EXPECT_EQ(room.reader->Summary(), (Strings{"2", "3"}));
}

TEST_F(RoomHubTest, RoomQuieterThanItsWindowIsNeverHeld) {
  options_.coalesce_ms = 20;
  options_.coalesce_us_per_stream = 1'000'000;
  Stream& room = Open(Room(1, 10, 0));
  for (int64_t seq = 1; seq <= 3; ++seq) {
    cache_.messages[seq] = "{}";
    Notify(RoomChannel(1), EventKind::kMessage, 1, seq, false, "{}");
    EXPECT_EQ(room.reader->Summary(), (Strings{std::to_string(seq)}));
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
  }
}

TEST_F(RoomHubTest, CoalescingWindowIsSizedByTheRoom) {
  // One stream at 10 ms each: a 10 ms window, although up to 1 s is allowed.
  options_.coalesce_ms = 500;
  options_.coalesce_us_per_stream = 10'000;
  Stream& room = Open(Room(1, 10, 0));
  cache_.messages[1] = "{}";
  Notify(RoomChannel(1), EventKind::kMessage, 1, 1, false, "{}");
  EXPECT_EQ(room.reader->Summary(), (Strings{"1"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  cache_.messages[2] = "{}";
  Notify(RoomChannel(1), EventKind::kMessage, 1, 2, false, "{}");
  EXPECT_EQ(room.reader->Summary(), (Strings{"2"}));
}

TEST_F(RoomHubTest, CoalescingOffSendsEachIterationsBatchAtOnce) {
  options_.coalesce_ms = 0;
  Stream& room = Open(Room(1, 10, 0));
  for (int64_t seq = 1; seq <= 3; ++seq) {
    cache_.messages[seq] = "{}";
    Notify(RoomChannel(1), EventKind::kMessage, 1, seq, false, "{}");
    EXPECT_EQ(room.reader->Summary(), (Strings{std::to_string(seq)}));
  }
}

TEST_F(RoomHubTest, StreamJoiningWhileABatchIsHeldGetsEachMessageOnce) {
  options_.coalesce_ms = 500;
  options_.coalesce_us_per_stream = 1'000'000;
  options_.coalesce_events = 100;
  Stream& first = Open(Room(1, 10, 0));
  cache_.messages[1] = "{}";
  Notify(RoomChannel(1), EventKind::kMessage, 1, 1, false, "{}");
  for (int64_t seq = 2; seq <= 3; ++seq) {
    cache_.messages[seq] = "{}";
    Notify(RoomChannel(1), EventKind::kMessage, 1, seq, false, "{}");
  }
  // 2 and 3 wait in the held batch; a stream resuming after 1 and a live
  // one join now.
  Stream& resumed = Open(Room(1, 11, 1));
  Stream& live = Open(Room(1, 12));
  EXPECT_EQ(resumed.reader->Summary(), (Strings{"2", "3"}));  // from the timeline
  cache_.messages[4] = "{}";
  Notify(RoomChannel(1), EventKind::kMessage, 1, 4, false, "{}");
  uint64_t sent_before = metrics_.frames_sent;
  ASSERT_TRUE(RunUntilSent(*loop_, metrics_, sent_before));
  EXPECT_EQ(first.reader->Summary(), (Strings{"1", "2", "3", "4"}));
  EXPECT_EQ(resumed.reader->Summary(), (Strings{"4"}));
  EXPECT_EQ(live.reader->Summary(), (Strings{"4"}));
}

}  // namespace
}  // namespace papo::pusher
