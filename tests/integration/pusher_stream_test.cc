// papo-pusher's HTTP surface, talked to directly on its unix socket with
// the headers nginx adds (DESIGN §4): stream head, refusals, health,
// metrics, room limit, heartbeats, stream lifetime, SIGTERM.
#include <signal.h>
#include <sys/wait.h>

#include "tests/integration/pusher_fixture.h"

namespace papo::testing {
namespace {

class PusherStreamTest : public ::testing::Test {
 protected:
  TempDir dir_;
  RedisServer redis_{dir_.path()};
};

TEST_F(PusherStreamTest, StreamAnswersWithEventStreamHeadRetryAndAComment) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto stream = pusher.Stream("sala_id=1", UserHeaders(7));
  ASSERT_EQ(stream->status(), 200);
  EXPECT_EQ(stream->head().Header("content-type"), "text/event-stream");
  EXPECT_EQ(stream->head().Header("cache-control"), "no-cache");
  EXPECT_EQ(stream->head().Header("x-accel-buffering"), "no");
  EXPECT_FALSE(stream->NextOf("", 300ms).has_value());  // no message yet
  EXPECT_EQ(stream->retry().value_or(0), 3000);
  EXPECT_FALSE(stream->comments().empty());
}

TEST_F(PusherStreamTest, WithoutTheUserHeadersTheStreamIsRefused) {
  PusherProcess pusher(dir_, "p0", redis_);
  HttpResponse response = pusher.Get("/chat/stream?sala_id=1");
  EXPECT_EQ(response.status, 401);
  response = pusher.Get("/chat/stream?sala_id=1", {{"X-Papo-User-Id", "7"}});
  EXPECT_EQ(response.status, 401);
}

TEST_F(PusherStreamTest, ExpiredSessionIsRefused) {
  PusherProcess pusher(dir_, "p0", redis_);
  HeaderList headers = {{"X-Papo-User-Id", "7"}, {"X-Papo-User-Name", "Ana"}, {"X-Papo-Session-Expires", "1000"}};
  EXPECT_EQ(pusher.Get("/chat/stream?sala_id=1", headers).status, 401);
}

TEST_F(PusherStreamTest, MalformedRequestsAreRefused) {
  PusherProcess pusher(dir_, "p0", redis_);
  EXPECT_EQ(pusher.Get("/chat/stream?sala_id=abc", UserHeaders(7)).status, 400);
  EXPECT_EQ(pusher.Get("/chat/stream", UserHeaders(7)).status, 400);
  HttpResponse missing = pusher.Get("/nada");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "{\"success\":false,\"erro\":\"Recurso não encontrado.\"}");
  EXPECT_EQ(HttpCallUnix(pusher.socket(), "POST", "/chat/stream?sala_id=1", UserHeaders(7)).status, 405);
  UniqueFd raw = ConnectUnix(pusher.socket());
  ASSERT_TRUE(WriteAll(raw.get(), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(10000, 'a') + "\r\n\r\n"));
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = read(raw.get(), buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<size_t>(n));
  EXPECT_EQ(answer.rfind("HTTP/1.1 431 ", 0), 0u) << answer;
}

TEST_F(PusherStreamTest, HealthCountsStreamsAndRooms) {
  PusherProcess pusher(dir_, "p0", redis_);
  auto a = pusher.Stream("sala_id=1", UserHeaders(1));
  auto b = pusher.Stream("sala_id=1", UserHeaders(2));
  auto c = pusher.Stream("sala_id=2", UserHeaders(3));
  auto list = pusher.Stream("lista=1", UserHeaders(4));
  ASSERT_EQ(c->status(), 200);
  HttpResponse health = pusher.Get("/chat/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.Header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(health.body, "{\"status\":\"healthy\",\"total_connections\":4,\"rooms_active\":2}");
  // HEAD (uptime checkers): the same head, no body; a stream stays GET only.
  HttpResponse head = HttpCallUnix(pusher.socket(), "HEAD", "/chat/health");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), std::to_string(health.body.size()));
  EXPECT_TRUE(head.body.empty()) << head.body;
  EXPECT_EQ(HttpCallUnix(pusher.socket(), "HEAD", "/metrics").status, 200);
  HttpResponse post = HttpCallUnix(pusher.socket(), "POST", "/chat/health");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("allow"), "GET, HEAD");
  HttpResponse head_stream = HttpCallUnix(pusher.socket(), "HEAD", "/chat/stream?sala_id=1", UserHeaders(5));
  EXPECT_EQ(head_stream.status, 405);
  EXPECT_EQ(head_stream.Header("allow"), "GET");
}

TEST_F(PusherStreamTest, HealthIs503WhileRedisIsDown) {
  PusherProcess pusher(dir_, "p0", redis_);
  ASSERT_TRUE(Eventually([&] { return pusher.Get("/chat/health").status == 200; }));
  redis_.Stop();
  ASSERT_TRUE(Eventually([&] { return pusher.Get("/chat/health").status == 503; }));
  EXPECT_NE(pusher.Get("/chat/health").body.find("\"status\":\"unhealthy\""), std::string::npos);
  redis_.Start();
  EXPECT_TRUE(Eventually([&] { return pusher.Get("/chat/health").status == 200; }));
}

TEST_F(PusherStreamTest, MetricsOnTheMainAndTheMetricsListener) {
  int port = FreePort();
  PusherProcess pusher(dir_, "p0", redis_, {{"PAPO_PUSHER_METRICS_LISTEN", "127.0.0.1:" + std::to_string(port)}});
  ASSERT_TRUE(WaitForTcp(port));
  auto stream = pusher.Stream("sala_id=1", UserHeaders(1));
  HttpResponse metrics = pusher.Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("papo_pusher_connections 1\n"), std::string::npos) << metrics.body;
  HttpResponse separate = HttpCall(port, "GET", "/metrics");
  EXPECT_EQ(separate.status, 200);
  EXPECT_NE(separate.body.find("papo_pusher_fanout_latency_seconds_bucket"), std::string::npos);
  // The metrics listener serves no streams.
  EXPECT_EQ(HttpCall(port, "GET", "/chat/stream?sala_id=1", UserHeaders(1)).status, 404);
}

TEST_F(PusherStreamTest, OverTheRoomLimitIs503WithRetryAfter) {
  PusherProcess pusher(dir_, "p0", redis_, {{"CHAT_MAX_CONNECTIONS_PER_ROOM", "2"}});
  auto a = pusher.Stream("sala_id=1", UserHeaders(1));
  auto b = pusher.Stream("sala_id=1", UserHeaders(2));
  ASSERT_EQ(b->status(), 200);
  HttpResponse third = pusher.Get("/chat/stream?sala_id=1", UserHeaders(3));
  EXPECT_EQ(third.status, 503);
  EXPECT_FALSE(third.Header("retry-after").empty());
  EXPECT_EQ(pusher.Stream("sala_id=2", UserHeaders(3))->status(), 200);  // other rooms are not affected
  a.reset();  // a slot frees up once the pusher notices
  EXPECT_TRUE(Eventually([&] { return pusher.Stream("sala_id=1", UserHeaders(4))->status() == 200; }));
}

TEST_F(PusherStreamTest, HeartbeatArrivesOnAnIdleStream) {
  PusherProcess pusher(dir_, "p0", redis_, {{"CHAT_SSE_HEARTBEAT", "1"}});
  auto stream = pusher.Stream("sala_id=1", UserHeaders(1));
  size_t first_comments = stream->comments().size();
  EXPECT_FALSE(stream->NextOf("", 3500ms).has_value());  // reads (and skips presenca) meanwhile
  EXPECT_GE(stream->comments().size(), first_comments + 1);
}

TEST_F(PusherStreamTest, StreamEndsWhenTheSessionExpires) {
  PusherProcess pusher(dir_, "p0", redis_);
  HeaderList headers = {{"X-Papo-User-Id", "7"},
                        {"X-Papo-User-Name", "Ana"},
                        {"X-Papo-Session-Expires", std::to_string(std::time(nullptr) + 2)}};
  auto stream = pusher.Stream("sala_id=1", headers);
  ASSERT_EQ(stream->status(), 200);
  EXPECT_TRUE(stream->WaitEnded(6000ms));
}

TEST_F(PusherStreamTest, StreamEndsAfterChatSseTimeout) {
  PusherProcess pusher(dir_, "p0", redis_, {{"CHAT_SSE_TIMEOUT", "1"}});
  auto stream = pusher.Stream("sala_id=1", UserHeaders(1));
  ASSERT_EQ(stream->status(), 200);
  EXPECT_TRUE(stream->WaitEnded(5000ms));
}

TEST_F(PusherStreamTest, SigtermClosesEveryStreamRemovesPresenceAndExits) {
  PusherProcess pusher(dir_, "p0", redis_, {{"PAPO_PUSHER_DRAIN_MS", "500"}});
  std::vector<std::unique_ptr<SseClient>> streams;
  for (int i = 1; i <= 10; ++i) streams.push_back(pusher.Stream("sala_id=3", UserHeaders(i)));
  auto redis = redis_.Client();
  ASSERT_TRUE(Eventually([&] {
    auto count = redis->Command({"ZCARD", PresenceKey(3)});
    return count.ok() && (*count)->integer == 10;
  }));
  pusher.process().Signal(SIGTERM);
  for (auto& stream : streams) EXPECT_TRUE(stream->WaitEnded(5000ms));
  int status = pusher.process().WaitExit(5000ms);
  ASSERT_NE(status, -1);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << pusher.Log();
  auto count = redis->Command({"ZCARD", PresenceKey(3)});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ((*count)->integer, 0);
  EXPECT_FALSE(std::filesystem::exists(pusher.socket()));
}

TEST_F(PusherStreamTest, BadSettingStopsTheStartWithItsName) {
  Process pusher({PusherBinary()}, {{"PAPO_PUSHER_LISTEN", "0.0.0.0:9100"}, {"PAPO_REDIS_URL", redis_.url()}},
                 dir_.File("bad.log"));
  int status = pusher.WaitExit(5000ms);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
  EXPECT_NE(ReadFile(dir_.File("bad.log")).find("PAPO_PUSHER_LISTEN"), std::string::npos);
  Process other({PusherBinary()}, {{"PAPO_PUSHER_REORDER_MS", "soon"}}, dir_.File("bad2.log"));
  status = other.WaitExit(5000ms);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
  EXPECT_NE(ReadFile(dir_.File("bad2.log")).find("PAPO_PUSHER_REORDER_MS"), std::string::npos);
}

}  // namespace
}  // namespace papo::testing
