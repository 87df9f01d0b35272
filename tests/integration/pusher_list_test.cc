// The list stream (?lista=1): `sala` and `atividade` of every room the user
// may see, and nothing about a private room reaches a non-member.
#include "tests/integration/pusher_fixture.h"

namespace papo::testing {
namespace {

class PusherListTest : public ::testing::Test {
 protected:
  TempDir dir_;
  RedisServer redis_{dir_.path()};
  TestPublisher publisher_{redis_};
  std::unique_ptr<RedisClient> redis_client_ = redis_.Client();
};

TEST_F(PusherListTest, PublicRoomsActivityAndNewRoomsReachEveryListStream) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto ana = pusher.Stream("lista=1", UserHeaders(1));
  auto bia = pusher.Stream("lista=1", UserHeaders(2));
  ASSERT_TRUE(WaitSubscribed(*redis_client_, PublicListChannel()));
  std::string room = "{\"id\":4,\"nome\":\"Nova\",\"descricao\":\"\",\"privada\":false}";
  ASSERT_TRUE(publisher_.Event(EventKind::kRoom, 4, room).ok());
  ASSERT_TRUE(publisher_.Message(4, 1).ok());  // the script also publishes atividade
  for (auto* stream : {ana.get(), bia.get()}) {
    auto created = stream->NextOf("sala");
    ASSERT_TRUE(created.has_value());
    EXPECT_EQ(created->data, room);
    auto activity = stream->NextOf("atividade");
    ASSERT_TRUE(activity.has_value());
    EXPECT_NE(activity->data.find("\"sala_id\":4,\"seq\":1,"), std::string::npos) << activity->data;
  }
}

TEST_F(PusherListTest, PrivateRoomActivityReachesMembersOnly) {
  PusherProcess pusher(dir_, "p0", redis_);
  // What papo-app stores when it authorizes user 1's list stream.
  ASSERT_TRUE(redis_client_->Command({"SADD", PrivateRoomsKey(1), "0", "3", "7"}).ok());
  auto member = pusher.Stream("lista=1", UserHeaders(1));
  auto outsider = pusher.Stream("lista=1", UserHeaders(2));
  ASSERT_TRUE(WaitSubscribed(*redis_client_, PrivateListChannel(7)));
  ASSERT_TRUE(publisher_.Message(7, 1, /*privada=*/true).ok());
  auto activity = member->NextOf("atividade");
  ASSERT_TRUE(activity.has_value());
  EXPECT_NE(activity->data.find("\"sala_id\":7"), std::string::npos);
  EXPECT_FALSE(outsider->NextOf("atividade", 1000ms).has_value());
}

// The pusher reads a list stream's private rooms from Redis only: a header
// naming a room (forged past nginx, which never forwards it) gives nothing.
TEST_F(PusherListTest, APrivateRoomsHeaderGivesNothing) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto forger = pusher.Stream("lista=1", UserHeaders(2, "", {{"X-Papo-Salas-Privadas", "7"}}));
  ASSERT_TRUE(WaitSubscribed(*redis_client_, UserChannel(2)));
  ASSERT_TRUE(publisher_.Message(7, 1, /*privada=*/true).ok());
  EXPECT_FALSE(forger->NextOf("atividade", 1000ms).has_value());
}

TEST_F(PusherListTest, GainingAPrivateRoomStartsItsActivityOnTheOpenListStream) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("lista=1", UserHeaders(5));
  auto outsider = pusher.Stream("lista=1", UserHeaders(6));
  ASSERT_TRUE(WaitSubscribed(*redis_client_, UserChannel(5)));
  std::string room = "{\"id\":9,\"nome\":\"Segredo\",\"privada\":true}";
  ASSERT_TRUE(publisher_.Event(EventKind::kRoom, 9, room, /*privada=*/true, {5}).ok());
  auto created = stream->NextOf("sala");
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->data, room);
  ASSERT_TRUE(WaitSubscribed(*redis_client_, PrivateListChannel(9)));
  ASSERT_TRUE(publisher_.Message(9, 1, /*privada=*/true).ok());
  auto activity = stream->NextOf("atividade");
  ASSERT_TRUE(activity.has_value());
  EXPECT_NE(activity->data.find("\"sala_id\":9"), std::string::npos);
  EXPECT_FALSE(outsider->NextOf("sala", 500ms).has_value());
  EXPECT_FALSE(outsider->NextOf("atividade", 500ms).has_value());
}

TEST_F(PusherListTest, IdleChannelsAreReleasedAfterTheLastStreamLeaves) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=3", UserHeaders(1));
  ASSERT_TRUE(WaitSubscribed(*redis_client_, RoomChannel(3)));
  stream.reset();
  // Released after the linger (10 s): PUBSUB (SHARD)NUMSUB goes back to 0.
  EXPECT_TRUE(Eventually([&] { return SubscriberCount(*redis_client_, RoomChannel(3)) == 0; }, 20000ms));
}

}  // namespace
}  // namespace papo::testing
