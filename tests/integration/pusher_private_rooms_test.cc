// A list stream's private rooms (issue 14 item 3, DESIGN §4): papo-app
// stores them in Redis when it authorizes the stream and the pusher reads
// them there, so there is no bound from a header's size, a member added
// later follows the room live, and a header sent by a client names nothing.
// The whole chain: nginx, papo-app (SQLite, and PostgreSQL as pg.*), Redis,
// the pusher.
#include <string>
#include <vector>

#include "tests/integration/pusher_fixture.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

int64_t RoomIdFrom(const HttpResponse& response) {
  std::string location = response.Header("location");
  return std::stoll(location.substr(location.rfind('/') + 1));
}

// The next `atividade` of room `sala_id` on `stream` (others are skipped).
bool ActivityOf(SseClient& stream, int64_t sala_id, std::chrono::milliseconds timeout = 5000ms) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string wanted = "\"sala_id\":" + std::to_string(sala_id) + ",";
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    auto event = stream.NextOf("atividade", left);
    if (!event) return false;
    if (event->data.find(wanted) != std::string::npos) return true;
  }
}

class PrivateRoomsStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Many rooms from one user: the per-user limits are not what is tested.
    stack_ = std::make_unique<Stack>(StackOptions{
        .env = {{"CHAT_RATE_LIMIT", "0"}, {"CHAT_ROOMS_PER_HOUR", "0"}, {"CHAT_INVITES_PER_HOUR", "0"}}});
    redis_ = stack_->redis().Client();
    ana_email_ = UniqueEmail("ana");
    ana_ = std::make_unique<WebUser>(stack_->port());
    ASSERT_EQ(ana_->Register("Ana", ana_email_).status, 303);
    bruno_ = std::make_unique<WebUser>(stack_->port());
    ASSERT_EQ(bruno_->Register("Bruno", UniqueEmail("bruno")).status, 303);
  }
  int64_t PrivateRoom(const std::string& nome, const std::string& membros = "") {
    auto created = bruno_->Post("/chat/salas", {{"nome", nome + " " + UniqueEmail("s")}, {"privada", "1"},
                                                {"membros", membros}});
    EXPECT_EQ(created.status, 303) << created.body;
    return created.status == 303 ? RoomIdFrom(created) : 0;
  }

  std::unique_ptr<Stack> stack_;
  std::unique_ptr<RedisClient> redis_;
  std::string ana_email_;
  std::unique_ptr<WebUser> ana_;
  std::unique_ptr<WebUser> bruno_;
};

// The header used to carry about 150 rooms (2 KiB): the rest had no live
// activity. Now the oldest and the newest of 600 both arrive.
TEST_F(PrivateRoomsStackTest, AListStreamOfAUserInSixHundredPrivateRoomsFollowsTheOldestAndTheNewest) {
  std::vector<int64_t> rooms;
  for (int i = 0; i < 600; ++i) {
    rooms.push_back(PrivateRoom("Sala " + std::to_string(i), ana_email_));
    ASSERT_NE(rooms.back(), 0);
  }
  auto list = ana_->Stream("lista=1");
  ASSERT_EQ(list->status(), 200) << stack_->Logs();
  ASSERT_TRUE(WaitSubscribed(*redis_, PrivateListChannel(rooms.front()))) << stack_->Logs();
  ASSERT_TRUE(WaitSubscribed(*redis_, PrivateListChannel(rooms.back())));
  ASSERT_EQ(bruno_->Send(rooms.front(), "a mais antiga").status, 200);
  EXPECT_TRUE(ActivityOf(*list, rooms.front()));
  ASSERT_EQ(bruno_->Send(rooms.back(), "a mais nova").status, 200);
  EXPECT_TRUE(ActivityOf(*list, rooms.back()));
}

TEST_F(PrivateRoomsStackTest, AMemberAddedWhileTheListIsOpenGetsTheRoomAndItsActivityLive) {
  auto list = ana_->Stream("lista=1");
  ASSERT_EQ(list->status(), 200);
  ASSERT_TRUE(WaitSubscribed(*redis_, UserChannel(ana_->id())));
  int64_t sala = PrivateRoom("Convite");
  auto added = bruno_->Post("/chat/sala/" + std::to_string(sala) + "/membros", {{"email", ana_email_}});
  ASSERT_EQ(added.status, 303) << added.body;
  // Also in the set the pusher reads, before the event went out.
  auto stored = redis_->Command({"SISMEMBER", PrivateRoomsKey(ana_->id()), std::to_string(sala)});
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ((*stored)->integer, 1);
  auto announced = list->NextOf("sala");
  ASSERT_TRUE(announced.has_value());
  EXPECT_NE(announced->data.find("\"id\":" + std::to_string(sala) + ","), std::string::npos) << announced->data;
  ASSERT_TRUE(WaitSubscribed(*redis_, PrivateListChannel(sala)));
  ASSERT_EQ(bruno_->Send(sala, "bem-vinda").status, 200);
  EXPECT_TRUE(ActivityOf(*list, sala));
}

// A client naming someone else's private room in the header the pusher
// once read: nginx does not forward it and the pusher does not read it.
TEST_F(PrivateRoomsStackTest, AForgedPrivateRoomsHeaderThroughNginxGivesNothing) {
  int64_t secret = PrivateRoom("Segredo");
  auto list = ana_->Stream("lista=1", {{"X-Papo-Salas-Privadas", std::to_string(secret)}});
  ASSERT_EQ(list->status(), 200);
  ASSERT_TRUE(WaitSubscribed(*redis_, UserChannel(ana_->id())));
  ASSERT_EQ(bruno_->Send(secret, "só para membros").status, 200);
  EXPECT_FALSE(ActivityOf(*list, secret, 1500ms));
  EXPECT_EQ(SubscriberCount(*redis_, PrivateListChannel(secret)), 0) << "no stream follows the room";
}

// Redis restarted empty: the next list stream's authorization stores the
// rooms again from the database.
TEST_F(PrivateRoomsStackTest, AfterARedisRestartTheNextListStreamFollowsThePrivateRoomsAgain) {
  int64_t sala = PrivateRoom("Depois", ana_email_);
  stack_->redis().Kill();  // nothing saved
  stack_->redis().Start();
  redis_ = stack_->redis().Client();
  auto keys = redis_->Command({"EXISTS", PrivateRoomsKey(ana_->id())});
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ((*keys)->integer, 0);
  // A stream opened before the pusher is back on Redis ends at once (it
  // could not read the rooms) and the browser reconnects: so does this.
  std::unique_ptr<SseClient> list;
  auto followed = [&] { return SubscriberCount(*redis_, PrivateListChannel(sala)) == 1; };
  ASSERT_TRUE(Eventually([&] {
    list = ana_->Stream("lista=1");
    return list->status() == 200 && Eventually(followed, 2000ms);
  }, 30000ms)) << stack_->Logs();
  ASSERT_TRUE(Eventually([&] { return bruno_->Send(sala, "voltou").status == 200; }));
  EXPECT_TRUE(ActivityOf(*list, sala));
}

}  // namespace
}  // namespace papo::testing
