// CHAT_MAX_STREAMS_PER_USER (DESIGN §11): one user's open streams, room and
// list, counted over every pusher in Redis; over the cap the new stream
// gets 503 + Retry-After with a pt-BR body before any SSE byte, others
// still get in, a killed pusher's streams stop counting once their expiry
// passes, and with Redis down each pusher still caps its own streams.
#include "tests/integration/pusher_fixture.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

constexpr int64_t kAna = 1;
constexpr int64_t kBia = 2;

std::map<std::string, std::string> CapOf(int cap, std::map<std::string, std::string> env = {}) {
  env["CHAT_MAX_STREAMS_PER_USER"] = std::to_string(cap);
  return env;
}

// A refusal over the cap, as the browser sees it.
void ExpectOverTheCap(SseClient& refused, int cap) {
  EXPECT_EQ(refused.status(), 503);
  EXPECT_EQ(refused.head().Header("retry-after"), "10");
  EXPECT_EQ(refused.head().Header("content-type"), "application/json; charset=utf-8");
  std::string body = refused.ReadRaw(1000ms);
  EXPECT_NE(body.find("\"success\":false"), std::string::npos) << body;
  EXPECT_NE(body.find("Você já tem " + std::to_string(cap) + " conexões abertas"), std::string::npos) << body;
  EXPECT_EQ(body.find("event:"), std::string::npos) << "no SSE frame before the refusal";
}

int64_t Counter(const PusherProcess& pusher, const std::string& name) {
  std::string metrics = pusher.Get("/metrics").body;
  std::string prefix = "\npapo_pusher_" + name + " ";
  size_t at = metrics.find(prefix);
  return at == std::string::npos ? -1 : std::stoll(metrics.substr(at + prefix.size()));
}

size_t Occurrences(const std::string& text, const std::string& word) {
  size_t count = 0;
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++count;
  return count;
}

class PusherStreamLimitTest : public ::testing::Test {
 protected:
  TempDir dir_;
  RedisServer redis_{dir_.path()};
  std::unique_ptr<RedisClient> redis_client_ = redis_.Client();
};

TEST_F(PusherStreamLimitTest, TheCapCountsOneUsersStreamsOnEveryPusher) {
  PusherProcess a(dir_, "a", redis_, CapOf(3));
  PusherProcess b(dir_, "b", redis_, CapOf(3));
  std::vector<std::unique_ptr<SseClient>> ana;
  ana.push_back(a.Stream("sala_id=1", UserHeaders(kAna)));
  ana.push_back(a.Stream("lista=1", UserHeaders(kAna)));  // list streams count too
  ana.push_back(b.Stream("sala_id=2", UserHeaders(kAna)));
  for (auto& stream : ana) ASSERT_EQ(stream->status(), 200) << a.Log() << b.Log();

  auto fourth_on_b = b.Stream("sala_id=9", UserHeaders(kAna));
  ExpectOverTheCap(*fourth_on_b, 3);
  auto fourth_on_a = a.Stream("sala_id=3", UserHeaders(kAna));
  EXPECT_EQ(fourth_on_a->status(), 503);
  EXPECT_EQ(Counter(b, "stream_limit_rejections_total"), 1);
  EXPECT_EQ(Counter(a, "stream_limit_rejections_total"), 1);
  EXPECT_EQ(Counter(a, "stream_limit_local_decisions_total"), 0);

  // Someone else is not affected, on either pusher.
  auto bia = b.Stream("sala_id=9", UserHeaders(kBia));
  EXPECT_EQ(bia->status(), 200);
  // Ana's refused stream never joined room 9: only Bia is online there.
  auto presence = bia->NextOf("presenca");
  ASSERT_TRUE(presence.has_value());
  EXPECT_NE(presence->data.find("\"usuarios_online\":1,"), std::string::npos) << presence->data;

  // Closing one of Ana's frees a slot, wherever she opens the next one.
  ana[2]->Close();
  EXPECT_TRUE(Eventually([&] {
    auto again = a.Stream("sala_id=3", UserHeaders(kAna));
    if (again->status() != 200) return false;
    ana[2] = std::move(again);
    return true;
  })) << b.Log();
  EXPECT_EQ(a.Stream("sala_id=4", UserHeaders(kAna))->status(), 503);
  auto members = redis_client_->Command({"ZCARD", UserStreamsKey(kAna)});
  ASSERT_TRUE(members.ok());
  EXPECT_EQ((*members)->integer, 3);
}

TEST_F(PusherStreamLimitTest, ZeroTurnsTheCapOff) {
  PusherProcess a(dir_, "a", redis_, CapOf(0));
  std::vector<std::unique_ptr<SseClient>> streams;
  for (int i = 0; i < 25; ++i) {
    streams.push_back(a.Stream("sala_id=1", UserHeaders(kAna)));
    ASSERT_EQ(streams.back()->status(), 200) << "stream " << i;
  }
  auto members = redis_client_->Command({"EXISTS", UserStreamsKey(kAna)});
  ASSERT_TRUE(members.ok());
  EXPECT_EQ((*members)->integer, 0);  // nothing counted at all
}

TEST_F(PusherStreamLimitTest, AKilledPushersStreamsStopCountingOnceTheyExpire) {
  // Refreshed every second (the sweep), kept 3 s: still counted right
  // after the kill, gone a few seconds later.
  auto env = CapOf(3, {{"PAPO_PUSHER_PRESENCE_TTL_MS", "3000"}});
  PusherProcess a(dir_, "a", redis_, env);
  PusherProcess b(dir_, "b", redis_, env);
  auto on_a = a.Stream("sala_id=1", UserHeaders(kAna));
  auto on_b1 = b.Stream("sala_id=1", UserHeaders(kAna));
  auto on_b2 = b.Stream("lista=1", UserHeaders(kAna));
  ASSERT_EQ(on_b2->status(), 200);
  b.Kill();  // SIGKILL: no release, no goodbye
  EXPECT_EQ(a.Stream("sala_id=2", UserHeaders(kAna))->status(), 503) << "b's streams count until they expire";
  std::vector<std::unique_ptr<SseClient>> after;
  EXPECT_TRUE(Eventually([&] {
    auto stream = a.Stream("sala_id=2", UserHeaders(kAna));
    if (stream->status() == 200) after.push_back(std::move(stream));
    return after.size() == 2;
  }, 15000ms)) << a.Log();
  EXPECT_EQ(a.Stream("sala_id=3", UserHeaders(kAna))->status(), 503);  // 3 on a now
}

TEST_F(PusherStreamLimitTest, WithRedisDownEachPusherStillCapsItsOwnStreams) {
  PusherProcess a(dir_, "a", redis_, CapOf(3));
  PusherProcess b(dir_, "b", redis_, CapOf(3));
  auto before = a.Stream("sala_id=1", UserHeaders(kAna));  // counted in Redis first
  ASSERT_EQ(before->status(), 200);
  redis_.Stop();
  std::vector<std::unique_ptr<SseClient>> on_a, on_b;
  for (int i = 0; i < 2; ++i) {
    on_a.push_back(a.Stream("sala_id=1", UserHeaders(kAna)));
    ASSERT_EQ(on_a.back()->status(), 200) << a.Log();
  }
  auto fourth = a.Stream("sala_id=1", UserHeaders(kAna));
  ExpectOverTheCap(*fourth, 3);
  EXPECT_EQ(a.Stream("sala_id=1", UserHeaders(kAna))->status(), 503);
  for (int i = 0; i < 3; ++i) {
    on_b.push_back(b.Stream("sala_id=1", UserHeaders(kAna)));
    ASSERT_EQ(on_b.back()->status(), 200) << b.Log();
  }
  EXPECT_EQ(b.Stream("sala_id=1", UserHeaders(kAna))->status(), 503);
  EXPECT_EQ(b.Stream("sala_id=1", UserHeaders(kBia))->status(), 200);
  EXPECT_GE(Counter(a, "stream_limit_local_decisions_total"), 4);
  EXPECT_EQ(Counter(a, "stream_limit_fallback"), 1);
  EXPECT_EQ(Occurrences(a.Log(), "stream_limit_fallback"), 1u) << "logged once per episode:\n" << a.Log();

  // Redis returns empty: both pushers write their streams back, and the
  // count is shared again (6 open, over the cap of 3, so refused).
  redis_.Start();
  auto client = redis_.Client();
  EXPECT_TRUE(Eventually([&] {
    auto members = client->Command({"ZCARD", UserStreamsKey(kAna)});
    return members.ok() && (*members)->integer == 6;
  }, 15000ms)) << a.Log() << b.Log();
  EXPECT_TRUE(Eventually([&] {
    auto refused = a.Stream("sala_id=1", UserHeaders(kAna));
    return refused->status() == 503 && Counter(a, "stream_limit_fallback") == 0;
  }));
  EXPECT_NE(a.Log().find("stream_limit_redis_back"), std::string::npos) << a.Log();
}

TEST_F(PusherStreamLimitTest, AStreamThatLeavesWhileRedisIsAnsweringGivesItsSlotBack) {
  PusherProcess a(dir_, "a", redis_, CapOf(1));
  // Redis holds every command for a while: the stream waits for its answer.
  ASSERT_TRUE(redis_client_->Command({"CLIENT", "PAUSE", "800"}).ok());
  auto leaving = SseClient::Open(ConnectUnix(a.socket()), "/chat/stream?sala_id=1", UserHeaders(kAna), 200ms);
  EXPECT_EQ(leaving->status(), 0) << "answered before Redis did";
  leaving->Close();  // the browser goes away before the answer
  // Redis said yes to a stream that is gone: its member is removed again,
  // and Ana's one slot is free.
  EXPECT_TRUE(Eventually([&] {
    auto stats = redis_client_->Command({"INFO", "commandstats"});
    auto members = redis_client_->Command({"EXISTS", UserStreamsKey(kAna)});
    return stats.ok() && std::string((*stats)->str, (*stats)->len).find("cmdstat_zrem:calls=1,") != std::string::npos &&
           members.ok() && (*members)->integer == 0;
  })) << a.Log();
  EXPECT_EQ(Counter(a, "streams_opened_total"), 0);
  auto stream = a.Stream("sala_id=1", UserHeaders(kAna));
  EXPECT_EQ(stream->status(), 200) << a.Log();
}

// The whole chain with two pushers behind nginx, users logged in as in a browser.
TEST_F(PusherStreamLimitTest, ThroughNginxTheFourthStreamOfOneUserIsRefused) {
  Stack stack({.pushers = 2, .env = {{"CHAT_MAX_STREAMS_PER_USER", "3"}, {"CHAT_RATE_LIMIT", "0"}}});
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303) << stack.Logs();
  WebUser bia(stack.port());
  ASSERT_EQ(bia.Register("Bia", UniqueEmail("bia")).status, 303);
  std::vector<std::unique_ptr<SseClient>> streams;
  for (const char* query : {"sala_id=1", "lista=1", "sala_id=1"}) {
    streams.push_back(ana.Stream(query));
    ASSERT_EQ(streams.back()->status(), 200) << stack.Logs();
  }
  // least_conn spread them over both pushers.
  for (int p = 0; p < 2; ++p) {
    std::string metrics = HttpCallUnix(stack.PusherSocket(p), "GET", "/metrics").body;
    EXPECT_EQ(metrics.find("papo_pusher_connections 0\n"), std::string::npos) << "pusher " << p;
  }
  auto refused = ana.Stream("sala_id=1");
  ExpectOverTheCap(*refused, 3);
  auto other = bia.Stream("sala_id=1");
  EXPECT_EQ(other->status(), 200);
  streams[0]->Close();
  EXPECT_TRUE(Eventually([&] {
    auto again = ana.Stream("sala_id=1");
    if (again->status() != 200) return false;
    streams[0] = std::move(again);
    return true;
  })) << stack.Logs();
}

}  // namespace
}  // namespace papo::testing
