#include "fcgi-app/services/local_rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace papo {
namespace {

constexpr int64_t kWindowStart = 1'700'000'000'000;  // a multiple of 10 s

TEST(LocalRateLimiterTest, AllowsUpToTheLimitThenRefusesUntilTheWindowEnds) {
  LocalRateLimiter limiter;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.HitAt("mensagem", 7, 3, 10, kWindowStart + i).allowed);
  RateDecision refused = limiter.HitAt("mensagem", 7, 3, 10, kWindowStart + 2'500);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 8);  // 7.5 s left, rounded up
}

TEST(LocalRateLimiterTest, ANewWindowStartsFromZero) {
  LocalRateLimiter limiter;
  for (int i = 0; i < 4; ++i) limiter.HitAt("mensagem", 7, 3, 10, kWindowStart + 9'000);
  EXPECT_FALSE(limiter.HitAt("mensagem", 7, 3, 10, kWindowStart + 9'999).allowed);
  EXPECT_TRUE(limiter.HitAt("mensagem", 7, 3, 10, kWindowStart + 10'000).allowed);
}

TEST(LocalRateLimiterTest, RetryAfterIsAtLeastOneSecond) {
  LocalRateLimiter limiter;
  limiter.HitAt("mensagem", 7, 1, 10, kWindowStart + 9'999);
  RateDecision refused = limiter.HitAt("mensagem", 7, 1, 10, kWindowStart + 9'999);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
}

TEST(LocalRateLimiterTest, CountsPerUserAndPerScope) {
  LocalRateLimiter limiter;
  EXPECT_TRUE(limiter.HitAt("mensagem", 7, 1, 10, kWindowStart).allowed);
  EXPECT_FALSE(limiter.HitAt("mensagem", 7, 1, 10, kWindowStart).allowed);
  EXPECT_TRUE(limiter.HitAt("mensagem", 8, 1, 10, kWindowStart).allowed);
  EXPECT_TRUE(limiter.HitAt("digitando", 7, 1, 10, kWindowStart).allowed);
}

TEST(LocalRateLimiterTest, CountsPerStringKey) {
  LocalRateLimiter limiter;
  EXPECT_TRUE(limiter.HitAt("entrada-ip", "10.0.0.1", 2, 60, kWindowStart).allowed);
  EXPECT_TRUE(limiter.HitAt("entrada-ip", "10.0.0.1", 2, 60, kWindowStart).allowed);
  EXPECT_FALSE(limiter.HitAt("entrada-ip", "10.0.0.1", 2, 60, kWindowStart).allowed);
  EXPECT_TRUE(limiter.HitAt("entrada-ip", "10.0.0.2", 2, 60, kWindowStart).allowed);
  EXPECT_TRUE(limiter.HitAt("login-email", "10.0.0.1", 2, 60, kWindowStart).allowed);
}

// The user-id form is the string form with the id's digits as the key.
TEST(LocalRateLimiterTest, TheUserIdFormSharesTheStringCounter) {
  LocalRateLimiter limiter;
  EXPECT_TRUE(limiter.HitAt("mensagem", 7, 2, 10, kWindowStart).allowed);
  EXPECT_TRUE(limiter.HitAt("mensagem", "7", 2, 10, kWindowStart).allowed);
  EXPECT_FALSE(limiter.HitAt("mensagem", 7, 2, 10, kWindowStart).allowed);
}

// Inviting three people at once counts three, in one step.
TEST(LocalRateLimiterTest, ACostCountsThatManyActionsAtOnce) {
  LocalRateLimiter limiter;
  EXPECT_TRUE(limiter.HitAt("convite", "7", 5, 3600, kWindowStart, 3).allowed);
  EXPECT_FALSE(limiter.HitAt("convite", "7", 5, 3600, kWindowStart, 3).allowed);  // 6 > 5
  EXPECT_FALSE(limiter.HitAt("convite", "7", 5, 3600, kWindowStart).allowed);     // the refused ones counted too
  EXPECT_TRUE(limiter.HitAt("convite", "7", 5, 3600, kWindowStart + 3'600'000, 5).allowed);
}

TEST(LocalRateLimiterTest, PeekRefusesOnceTheLimitIsReachedWithoutCounting) {
  constexpr int64_t kWindowStart = 1'700'100'000'000;  // a multiple of 15 min
  LocalRateLimiter limiter;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.PeekAt("login-email", "abc", 2, 900, kWindowStart).allowed);
  EXPECT_EQ(limiter.size(), 0u);  // reading adds no counter
  limiter.HitAt("login-email", "abc", 2, 900, kWindowStart);
  EXPECT_TRUE(limiter.PeekAt("login-email", "abc", 2, 900, kWindowStart).allowed);
  limiter.HitAt("login-email", "abc", 2, 900, kWindowStart);
  RateDecision refused = limiter.PeekAt("login-email", "abc", 2, 900, kWindowStart + 100'000);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 800);
  EXPECT_TRUE(limiter.PeekAt("login-email", "outro", 2, 900, kWindowStart).allowed);
  // The next window starts from zero.
  EXPECT_TRUE(limiter.PeekAt("login-email", "abc", 2, 900, kWindowStart + 900'000).allowed);
}

TEST(LocalRateLimiterTest, PeekWithLimitZeroAllows) {
  LocalRateLimiter limiter;
  limiter.HitAt("login-email", "abc", 1, 900, kWindowStart);
  EXPECT_TRUE(limiter.PeekAt("login-email", "abc", 0, 900, kWindowStart).allowed);
}

TEST(LocalRateLimiterTest, LimitZeroMeansNoLimit) {
  LocalRateLimiter limiter;
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.HitAt("mensagem", 7, 0, 10, kWindowStart).allowed);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(LocalRateLimiterTest, EndedWindowsAreForgotten) {
  LocalRateLimiter limiter;
  for (int user = 1; user <= 50; ++user) limiter.HitAt("mensagem", user, 3, 10, kWindowStart);
  EXPECT_EQ(limiter.size(), 50u);
  limiter.HitAt("mensagem", 99, 3, 10, kWindowStart + 20'000);
  EXPECT_EQ(limiter.size(), 1u);
}

TEST(LocalRateLimiterTest, AnEpisodeStartsAndEndsOnce) {
  LocalRateLimiter limiter;
  EXPECT_FALSE(limiter.EndEpisode());
  EXPECT_TRUE(limiter.StartEpisode());
  EXPECT_FALSE(limiter.StartEpisode());
  EXPECT_TRUE(limiter.in_episode());
  EXPECT_TRUE(limiter.EndEpisode());
  EXPECT_FALSE(limiter.EndEpisode());
  EXPECT_TRUE(limiter.StartEpisode());  // the next outage is a new episode
}

TEST(LocalRateLimiterTest, ThreadsShareTheCount) {
  LocalRateLimiter limiter;
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) allowed += limiter.HitAt("mensagem", 7, 30, 10, kWindowStart + i).allowed ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 30);
}

}  // namespace
}  // namespace papo
