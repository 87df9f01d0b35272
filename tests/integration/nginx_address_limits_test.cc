// nginx's limit_conn on /chat/stream per client address (DESIGN §11,
// deploy/README.md "Abuse limits in nginx"): 10 x CHAT_MAX_STREAMS_PER_USER
// streams from one address; the next is refused by nginx before papo-app
// or a pusher sees it, in papo's JSON shape; CHAT_IP_RATE_LIMIT=0 leaves
// the limit out.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

constexpr char kTooMany[] = "Conexões ao vivo demais a partir da sua rede";

// Opens one stream for each of `users` new accounts (one stream each, so
// the pushers' per-user cap never answers).
std::vector<std::unique_ptr<SseClient>> OpenStreams(const Stack& stack, int users) {
  std::vector<std::unique_ptr<SseClient>> streams;
  for (int i = 0; i < users; ++i) {
    WebUser user(stack.port());
    EXPECT_EQ(user.Register("U" + std::to_string(i), UniqueEmail("fluxo")).status, 303);
    streams.push_back(user.Stream("sala_id=1"));
  }
  return streams;
}

TEST(NginxAddressLimitsTest, StreamsBeyondTheAddressLimitAreRefusedByNginx) {
  // 10 streams per address; 30 attempts a minute is room for 11 cadastros.
  StackOptions options;
  options.env = {{"CHAT_IP_RATE_LIMIT", "30"}, {"CHAT_MAX_STREAMS_PER_USER", "1"}};
  Stack stack(options);
  auto streams = OpenStreams(stack, 10);
  for (const auto& stream : streams) ASSERT_EQ(stream->status(), 200);

  WebUser eleventh(stack.port());
  ASSERT_EQ(eleventh.Register("Onze", UniqueEmail("onze")).status, 303);
  auto refused = eleventh.Stream("sala_id=1");
  EXPECT_EQ(refused->status(), 503);
  EXPECT_EQ(refused->head().Header("retry-after"), "10");
  EXPECT_NE(refused->ReadRaw(std::chrono::milliseconds(1000)).find(kTooMany), std::string::npos);

  // A stream that ends gives its place back.
  streams.front()->Close();
  bool reopened = false;
  for (int i = 0; i < 50 && !reopened; ++i) {
    auto again = eleventh.Stream("sala_id=1");
    reopened = again->status() == 200;
    if (!reopened) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(reopened) << stack.Logs();
}

TEST(NginxAddressLimitsTest, IpRateLimitZeroLeavesTheStreamLimitOut) {
  StackOptions options;
  options.env = {{"CHAT_IP_RATE_LIMIT", "0"}, {"CHAT_MAX_STREAMS_PER_USER", "1"}};
  Stack stack(options);
  auto streams = OpenStreams(stack, 12);
  for (const auto& stream : streams) EXPECT_EQ(stream->status(), 200);
}

}  // namespace
}  // namespace papo::testing
