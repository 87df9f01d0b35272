// DESIGN §11: the pusher accepts streams only from nginx. On a loopback TCP
// port (open to every local user) that means the shared secret nginx sends
// in X-Papo-Pusher-Secret: a direct connection that forges the user headers
// is refused (403 JSON, logged); the same stream through nginx opens; and a
// pusher told to listen on TCP without a secret does not start.
#include <sys/wait.h>

#include <filesystem>

#include "tests/integration/pusher_fixture.h"
#include "tests/support/nginx_server.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

constexpr char kSecret[] = "integration-secret-0123456789abcdef";

// One papo-pusher on 127.0.0.1:<free port> with PAPO_PUSHER_SECRET.
class TcpPusher final {
 public:
  TcpPusher(const TempDir& dir, const std::string& redis_url) : port_(FreePort()), log_(dir.File("tcp-pusher.log")) {
    process_ = Process({PusherBinary()},
                       {{"PAPO_REDIS_URL", redis_url},
                        {"PAPO_PUSHER_LISTEN", "127.0.0.1:" + std::to_string(port_)},
                        {"PAPO_PUSHER_SECRET", kSecret},
                        {"PAPO_PUSHER_ID", "tcp-pusher"},
                        {"PAPO_PUSHER_DRAIN_MS", "200"}},
                       log_);
    if (!WaitForTcp(port_)) ADD_FAILURE() << "papo-pusher did not start:\n" << Log();
  }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string Log() const { return ReadFile(log_); }
  std::unique_ptr<SseClient> Stream(const std::string& query, const HeaderList& headers) const {
    return SseClient::Open(ConnectTcp(port_), "/chat/stream?" + query, headers, 5000ms);
  }

 private:
  int port_;
  std::string log_;
  Process process_;
};

// The headers a local user could forge for a private room.
HeaderList ForgedPrivateRoom(HeaderList extra = {}) {
  return UserHeaders(7, "Intrusa", [&] {
    extra.insert(extra.begin(), {"X-Papo-Sala-Privada", "1"});
    return extra;
  }());
}

class PusherSecretTest : public ::testing::Test {
 protected:
  TempDir dir_;
  RedisServer redis_{dir_.path()};
};

TEST_F(PusherSecretTest, ADirectStreamWithForgedUserHeadersAndNoSecretGets403) {
  TcpPusher pusher(dir_, redis_.url());
  auto stream = pusher.Stream("sala_id=2", ForgedPrivateRoom());
  ASSERT_EQ(stream->status(), 403);
  EXPECT_EQ(stream->head().Header("content-type"), "application/json; charset=utf-8");
  EXPECT_NE(stream->ReadRaw(500ms).find("\"success\":false"), std::string::npos);
  EXPECT_TRUE(Eventually([&] { return pusher.Log().find("pusher_secret_refused") != std::string::npos; }, 2000ms))
      << pusher.Log();
  EXPECT_NE(pusher.Log().find("missing"), std::string::npos);
}

TEST_F(PusherSecretTest, AWrongOrTruncatedSecretGets403) {
  TcpPusher pusher(dir_, redis_.url());
  std::string secret(kSecret);
  for (const std::string& wrong : {secret + "x", secret.substr(0, secret.size() - 1), std::string("x") + secret.substr(1),
                                   std::string()}) {
    auto stream = pusher.Stream("sala_id=2", ForgedPrivateRoom({{"X-Papo-Pusher-Secret", wrong}}));
    EXPECT_EQ(stream->status(), 403) << "'" << wrong << "'";
  }
  EXPECT_NE(pusher.Log().find("reason=wrong"), std::string::npos) << pusher.Log();
}

TEST_F(PusherSecretTest, TheRightSecretOpensTheStream) {
  TcpPusher pusher(dir_, redis_.url());
  auto stream = pusher.Stream("sala_id=1", UserHeaders(7, "", {{"X-Papo-Pusher-Secret", kSecret}}));
  EXPECT_EQ(stream->status(), 200) << pusher.Log();
}

TEST_F(PusherSecretTest, HealthAndMetricsNeedNoSecret) {
  TcpPusher pusher(dir_, redis_.url());
  ASSERT_TRUE(Eventually([&] { return HttpCall(pusher.port(), "GET", "/chat/health").status == 200; }));
  HttpResponse metrics = HttpCall(pusher.port(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  (void)HttpCall(pusher.port(), "GET", "/chat/stream?sala_id=1", UserHeaders(7));
  EXPECT_NE(HttpCall(pusher.port(), "GET", "/metrics").body.find("secret_rejections_total 1"), std::string::npos);
}

TEST_F(PusherSecretTest, OnTcpWithoutASecretThePusherRefusesToStartNamingTheVariable) {
  Process pusher({PusherBinary()},
                 {{"PAPO_PUSHER_LISTEN", "127.0.0.1:" + std::to_string(FreePort())}, {"PAPO_REDIS_URL", redis_.url()}},
                 dir_.File("no-secret.log"));
  int status = pusher.WaitExit(5000ms);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
  EXPECT_NE(ReadFile(dir_.File("no-secret.log")).find("PAPO_PUSHER_SECRET"), std::string::npos)
      << ReadFile(dir_.File("no-secret.log"));
}

// nginx with the rendered template: papo-app authenticates, nginx adds the
// secret, the pusher on TCP streams.
TEST_F(PusherSecretTest, ThroughNginxWithTheSecretTheStreamOpens) {
  Stack stack(WithoutPusher());
  TcpPusher pusher(dir_, stack.redis_url());
  NginxOptions options;
  options.run_dir = dir_.File("nginx");
  std::filesystem::create_directories(options.run_dir);
  options.app_sockets = {stack.AppSocket(0)};
  options.pusher_sockets = {pusher.address()};
  options.pusher_secret = kSecret;
  NginxServer nginx(options);
  WebUser ana(nginx.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("secret")).status, 303);
  auto stream = ana.Stream("sala_id=1&desde=0");
  ASSERT_EQ(stream->status(), 200) << pusher.Log() << nginx.ErrorLog();
  EXPECT_EQ(stream->head().Header("content-type"), "text/event-stream");
  // And the one nginx route a health checker uses needs no secret either.
  EXPECT_TRUE(Eventually([&] { return HttpCall(nginx.port(), "GET", "/chat/health").status == 200; }));
  EXPECT_EQ(pusher.Log().find("pusher_secret_refused"), std::string::npos) << pusher.Log();
}

}  // namespace
}  // namespace papo::testing
