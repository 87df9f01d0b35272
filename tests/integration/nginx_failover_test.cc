// Issue 14 item 10: nginx's failure accounting (max_fails=0 on the unix
// sockets, nginx/papo.conf.template) keeps every papo-app worker and
// papo-pusher in service. A dead one's socket refuses at once and nginx
// passes the request to the next server; a restarted one serves again at
// once. With nginx's default (max_fails=1 fail_timeout=10s) the restarted
// process stayed marked down for up to 10 s after its last refusal, so the
// second half of each test (only the restarted process left) got 502
// "no live upstreams".
#include <gtest/gtest.h>

#include <chrono>

#include "tests/support/http_client.h"
#include "tests/support/stack.h"
#include "tests/support/temp_dir.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kGeral = 1;
constexpr int kRequests = 8;

class NginxFailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StackOptions options;
    options.app_processes = 2;
    options.pushers = 2;
    options.env = {{"CHAT_RATE_LIMIT", "0"}};
    stack_ = std::make_unique<Stack>(options);
    ana_ = std::make_unique<WebUser>(stack_->port());
    ASSERT_EQ(ana_->Register("Ana", UniqueEmail("failover")).status, 303) << stack_->Logs();
  }

  // Pages and posts, each answered by whichever worker is alive.
  void ExpectEveryRequestServed(const std::string& phase) {
    for (int i = 0; i < kRequests; ++i) {
      EXPECT_EQ(HttpCall(stack_->port(), "GET", "/login").status, 200) << phase << " GET " << i;
      HttpResponse sent = ana_->Send(kGeral, phase + " " + std::to_string(i));
      EXPECT_EQ(sent.status, 200) << phase << " POST " << i << ": " << sent.body;
    }
  }

  // New streams, each opened on whichever pusher is alive.
  void ExpectEveryStreamOpens(const std::string& phase) {
    for (int i = 0; i < kRequests / 2; ++i) {
      auto stream = ana_->Stream("sala_id=1");
      EXPECT_EQ(stream->status(), 200) << phase << " stream " << i << ": " << stream->ReadRaw(100ms);
    }
  }

  std::string NginxErrorLog() const { return ReadFile(stack_->dir() + "/logs/nginx-error.log"); }

  std::unique_ptr<Stack> stack_;
  std::unique_ptr<WebUser> ana_;
};

TEST_F(NginxFailoverTest, AKilledWorkerIsPassedOverAndARestartedOneServesAtOnce) {
  stack_->app(0).Kill();
  ExpectEveryRequestServed("worker 0 dead");
  stack_->StartApp(0);
  auto restarted = std::chrono::steady_clock::now();
  // Only the restarted worker is left: nginx must use it at once.
  stack_->app(1).Kill();
  ExpectEveryRequestServed("worker 0 restarted, worker 1 dead");
  EXPECT_LT(std::chrono::steady_clock::now() - restarted, 5s);
  EXPECT_EQ(NginxErrorLog().find("no live upstreams"), std::string::npos) << NginxErrorLog();
}

TEST_F(NginxFailoverTest, AKilledPusherIsPassedOverAndARestartedOneTakesStreamsAtOnce) {
  stack_->KillPusher(0);
  ExpectEveryStreamOpens("pusher 0 dead");
  stack_->StartPusher(0);
  // Only the restarted pusher is left: nginx must send streams to it at once.
  stack_->KillPusher(1);
  ExpectEveryStreamOpens("pusher 0 restarted, pusher 1 dead");
  // And it delivers: the room's messages reach a stream opened on it.
  auto stream = ana_->Stream("sala_id=1&desde=0");
  ASSERT_EQ(stream->status(), 200);
  ASSERT_EQ(ana_->Send(kGeral, "depois do reinício").status, 200);
  EXPECT_TRUE(stream->NextOf("", 5000ms).has_value());
  EXPECT_EQ(NginxErrorLog().find("no live upstreams"), std::string::npos) << NginxErrorLog();
}

}  // namespace
}  // namespace papo::testing
