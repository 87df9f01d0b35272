// Presence across pusher processes: the room's ZSET (what papo-app counts
// on its pages), `presenca` on the room stream and `atividade` on the list
// stream when the users change, and the users of a crashed pusher expiring.
#include "rapidjson/document.h"
#include "tests/integration/pusher_fixture.h"

namespace papo::testing {
namespace {

// Distinct users with an unexpired member, counted like papo-app does.
int64_t OnlineUsers(RedisClient& redis, int64_t sala_id) {
  auto time = redis.Command({"TIME"});
  if (!time.ok()) return -1;
  int64_t now_ms = std::stoll((*time)->element[0]->str) * 1000 + std::stoll((*time)->element[1]->str) / 1000;
  auto members = redis.Command({"ZRANGEBYSCORE", PresenceKey(sala_id), std::to_string(now_ms), "+inf"});
  if (!members.ok()) return -1;
  std::set<int64_t> users;
  for (size_t i = 0; i < (*members)->elements; ++i) {
    auto entry = ParsePresenceMember(std::string_view((*members)->element[i]->str, (*members)->element[i]->len));
    if (entry) users.insert(entry->usuario_id);
  }
  return static_cast<int64_t>(users.size());
}

// Reads `presenca` events until one reports `online` users; returns its data.
std::optional<std::string> WaitPresence(SseClient& stream, int online, std::chrono::milliseconds timeout = 10000ms) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string wanted = "\"usuarios_online\":" + std::to_string(online) + ",";
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto event = stream.NextOf("presenca", left);
    if (!event) return std::nullopt;
    if (event->data.find(wanted) != std::string::npos) return event->data;
  }
}

class PusherPresenceTest : public ::testing::Test {
 protected:
  TempDir dir_;
  RedisServer redis_{dir_.path()};
  std::unique_ptr<RedisClient> redis_client_ = redis_.Client();
};

TEST_F(PusherPresenceTest, UsersAreCountedOnceAcrossTwoPushers) {
  PusherProcess a(dir_, "a", redis_);
  PusherProcess b(dir_, "b", redis_);
  auto ana_a = a.Stream("sala_id=5", UserHeaders(1, "Ana"));
  auto bia_a = a.Stream("sala_id=5", UserHeaders(2, "Bia"));
  auto bia_b = b.Stream("sala_id=5", UserHeaders(2, "Bia"));  // a second tab, elsewhere
  auto caio_b = b.Stream("sala_id=5", UserHeaders(3, "Caio"));
  EXPECT_TRUE(Eventually([&] { return OnlineUsers(*redis_client_, 5) == 3; }));
  auto presence = WaitPresence(*ana_a, 3);
  ASSERT_TRUE(presence.has_value());
  rapidjson::Document json;
  json.Parse(presence->c_str());
  ASSERT_TRUE(json.IsObject());
  ASSERT_TRUE(json["usuarios"].IsArray());
  ASSERT_EQ(json["usuarios"].Size(), 3u);
  EXPECT_STREQ(json["usuarios"][0]["nome"].GetString(), "Ana");
  EXPECT_EQ(json["usuarios"][0]["id"].GetInt64(), 1);
  EXPECT_STREQ(json["usuarios"][2]["nome"].GetString(), "Caio");

  caio_b.reset();
  EXPECT_TRUE(WaitPresence(*ana_a, 2).has_value());
  bia_b.reset();  // Bia still has a tab on pusher a
  EXPECT_TRUE(Eventually([&] { return OnlineUsers(*redis_client_, 5) == 2; }));
  EXPECT_FALSE(WaitPresence(*ana_a, 1, 1000ms).has_value());
}

TEST_F(PusherPresenceTest, NamesAreEscapedInThePresenceJson) {
  PusherProcess a(dir_, "a", redis_);
  auto stream = a.Stream("sala_id=5", UserHeaders(1, "Zé \"Aspas\" \\ <b>"));
  auto presence = WaitPresence(*stream, 1);
  ASSERT_TRUE(presence.has_value());
  rapidjson::Document json;
  json.Parse(presence->c_str());
  ASSERT_FALSE(json.HasParseError()) << *presence;
  EXPECT_STREQ(json["usuarios"][0]["nome"].GetString(), "Zé \"Aspas\" \\ <b>");
}

TEST_F(PusherPresenceTest, UsersOfACrashedPusherExpire) {
  std::map<std::string, std::string> env = {{"PAPO_PUSHER_PRESENCE_TTL_MS", "1500"}};
  PusherProcess a(dir_, "a", redis_, env);
  PusherProcess b(dir_, "b", redis_, env);
  auto ana = a.Stream("sala_id=5", UserHeaders(1, "Ana"));
  auto bia = b.Stream("sala_id=5", UserHeaders(2, "Bia"));
  ASSERT_TRUE(WaitPresence(*ana, 2).has_value());
  b.Kill();  // no goodbye: its members stay until their expiry passes
  EXPECT_TRUE(WaitPresence(*ana, 1, 8000ms).has_value());
  EXPECT_EQ(OnlineUsers(*redis_client_, 5), 1);
}

TEST_F(PusherPresenceTest, PresenceReachesTheListStreamAsAtividade) {
  PusherProcess a(dir_, "a", redis_);
  auto list = a.Stream("lista=1", UserHeaders(9));
  ASSERT_TRUE(WaitSubscribed(*redis_client_, PublicListChannel()));
  auto room = a.Stream("sala_id=5", UserHeaders(1, "Ana"));
  auto activity = list->NextOf("atividade");
  ASSERT_TRUE(activity.has_value());
  // No message yet: the four fields all the same (DESIGN §4).
  EXPECT_EQ(activity->data, "{\"sala_id\":5,\"seq\":0,\"data_envio\":null,\"usuarios_online\":1}");
}

TEST_F(PusherPresenceTest, AtividadeFromPresenceCarriesTheRoomsNewestSeqAndDataEnvio) {
  TestPublisher publisher(redis_);
  ASSERT_TRUE(publisher.Message(5, 1).ok());
  ASSERT_TRUE(publisher.Message(5, 2).ok());
  PusherProcess a(dir_, "a", redis_);
  auto list = a.Stream("lista=1", UserHeaders(9));
  ASSERT_TRUE(WaitSubscribed(*redis_client_, PublicListChannel()));
  auto room = a.Stream("sala_id=5", UserHeaders(1, "Ana"));  // only presence changes now
  auto activity = list->NextOf("atividade");
  ASSERT_TRUE(activity.has_value());
  rapidjson::Document cached;
  cached.Parse(MessageJson(5, 2).c_str());
  EXPECT_EQ(activity->data, std::string("{\"sala_id\":5,\"seq\":2,\"data_envio\":\"") +
                                cached["data_envio"].GetString() + "\",\"usuarios_online\":1}");
}

TEST_F(PusherPresenceTest, PrivateRoomPresenceGoesToItsOwnListChannelOnly) {
  PusherProcess a(dir_, "a", redis_);
  ASSERT_TRUE(redis_client_->Command({"SADD", PrivateRoomsKey(9), "0", "7"}).ok());  // as papo-app stores it
  auto member = a.Stream("lista=1", UserHeaders(9));
  auto outsider = a.Stream("lista=1", UserHeaders(8));
  ASSERT_TRUE(WaitSubscribed(*redis_client_, PrivateListChannel(7)));
  auto room = a.Stream("sala_id=7", UserHeaders(1, "Ana", {{"X-Papo-Sala-Privada", "1"}}));
  auto activity = member->NextOf("atividade");
  ASSERT_TRUE(activity.has_value());
  EXPECT_EQ(activity->data, "{\"sala_id\":7,\"seq\":0,\"data_envio\":null,\"usuarios_online\":1}");
  EXPECT_FALSE(outsider->NextOf("atividade", 1000ms).has_value());
}

}  // namespace
}  // namespace papo::testing
