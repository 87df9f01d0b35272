// Logout ends the session's streams (DESIGN §4): papo-app publishes the
// session's stream id (X-Papo-Session-Id) on papo:sessoes and every pusher
// closes that session's streams, and only those.
#include "tests/integration/pusher_fixture.h"

namespace papo::testing {
namespace {

HeaderList SessionHeaders(int64_t usuario_id, const std::string& session_id) {
  return UserHeaders(usuario_id, "", {{"X-Papo-Session-Id", session_id}});
}

class PusherSessionTest : public ::testing::Test {
 protected:
  void EndSession(const std::string& session_id) {
    ASSERT_TRUE(redis_client_->Command({"PUBLISH", SessionsChannel(), session_id}).ok());
  }

  TempDir dir_;
  RedisServer redis_{dir_.path()};
  TestPublisher publisher_{redis_};
  std::unique_ptr<RedisClient> redis_client_ = redis_.Client();
};

TEST_F(PusherSessionTest, EndedSessionLosesItsStreamsOnEveryPusherAndNoOtherStream) {
  PusherProcess a(dir_, "a", redis_);
  PusherProcess b(dir_, "b", redis_);
  ASSERT_TRUE(WaitSubscribed(*redis_client_, SessionsChannel(), 2));
  auto room_on_a = a.Stream("sala_id=1", SessionHeaders(1, "sessao1"));
  auto list_on_b = b.Stream("lista=1", SessionHeaders(1, "sessao1"));
  auto other_login = a.Stream("sala_id=1", SessionHeaders(1, "sessao2"));  // same user, another browser
  auto no_session = a.Stream("sala_id=1", UserHeaders(2));
  for (SseClient* stream : {room_on_a.get(), list_on_b.get(), other_login.get(), no_session.get()}) {
    ASSERT_EQ(stream->status(), 200);
  }
  ASSERT_TRUE(WaitSubscribed(*redis_client_, RoomChannel(1)));
  EndSession("sessao1");
  EXPECT_TRUE(room_on_a->WaitEnded(5000ms)) << a.Log();
  EXPECT_TRUE(list_on_b->WaitEnded(5000ms)) << b.Log();
  ASSERT_TRUE(publisher_.Message(1, 1).ok());
  EXPECT_EQ(ReadSeqs(*other_login, 1), Range(1, 1));
  EXPECT_EQ(ReadSeqs(*no_session, 1), Range(1, 1));
  EXPECT_FALSE(other_login->ended());
  // Authorized by nginx just before the logout but arriving after the
  // notice: refused rather than kept until the session's expiry.
  EXPECT_EQ(a.Get("/chat/stream?sala_id=1", SessionHeaders(1, "sessao1")).status, 401);
  std::string metrics = a.Get("/metrics").body;
  EXPECT_NE(metrics.find("papo_pusher_connections 2\n"), std::string::npos) << metrics;
}

TEST_F(PusherSessionTest, SessionsChannelIsSubscribedAgainAfterRedisRestarts) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=1", SessionHeaders(1, "sessao1"));
  ASSERT_EQ(stream->status(), 200);
  redis_.Stop();
  redis_.Start();
  redis_client_ = redis_.Client();
  ASSERT_TRUE(WaitSubscribed(*redis_client_, SessionsChannel())) << pusher.Log();
  EndSession("sessao1");
  EXPECT_TRUE(stream->WaitEnded(5000ms)) << pusher.Log();
}

TEST_F(PusherSessionTest, MalformedSessionIdIsRefused) {
  PusherProcess pusher(dir_, "p0", redis_);
  EXPECT_EQ(pusher.Get("/chat/stream?sala_id=1", SessionHeaders(1, "a;b")).status, 400);
}

}  // namespace
}  // namespace papo::testing
