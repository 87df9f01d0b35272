// RoomHub's routing, with the Redis edge replaced: a recording
// ChannelSubscriptions that confirms SUBSCRIBEs on demand, notifications
// injected as the subscriber would deliver them, the cache in memory.
#include "sse-pusher/room_hub.h"

#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <string>

#include "common/redis_names.h"
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

class RoomHubTest : public ::testing::Test, public ConnectionOwner {
 protected:
  RoomHubTest() {
    hub_.SetSubscriptions(&subscriptions_);
    loop_->AddBeforeSleep([this] { hub_.Flush(); });
  }
  ~RoomHubTest() override {
    for (auto& stream : streams_) hub_.Leave(*stream.connection);
  }
  void OnRequest(Connection&, const HttpRequest&) override {}
  void OnClosing(Connection&) override {}

  struct Stream {
    std::unique_ptr<Connection> connection;
    UniqueFd peer;
    std::unique_ptr<test::PeerStream> reader;
  };
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
  static StreamRequest List(int64_t user, std::vector<int64_t> privadas = {}) {
    StreamRequest request;
    request.kind = StreamRequest::Kind::kList;
    request.usuario_id = user;
    request.salas_privadas = std::move(privadas);
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

TEST_F(RoomHubTest, CoalescingGathersEventsIntoOneSendPerSubscriber) {
  options_.coalesce_ms = 20;
  Stream& room = Open(Room(1, 10, 0));
  for (int64_t seq = 1; seq <= 3; ++seq) {
    cache_.messages[seq] = "{}";
    Notify(RoomChannel(1), EventKind::kMessage, 1, seq, false, "{}");
  }
  uint64_t sent_before = metrics_.frames_sent;
  EXPECT_EQ(room.reader->Summary(), Strings{});  // held for the window
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
  while (std::chrono::steady_clock::now() < until && metrics_.frames_sent == sent_before) loop_->RunOnce(5);
  EXPECT_EQ(metrics_.frames_sent - sent_before, 1u);
  EXPECT_EQ(room.reader->Summary(), (Strings{"1", "2", "3"}));
}

}  // namespace
}  // namespace papo::pusher
