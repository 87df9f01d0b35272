// Nothing accepted is lost when Redis goes away: the message is stored,
// the sender gets success, and it is published once Redis is back — with
// no hole left in a room's recent cache. The rate limit holds while Redis
// is down or refuses writes (counted per process meanwhile).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "common/bus/names.h"
#include "tests/support/rate_window.h"
#include "tests/support/redis_subscriber.h"
#include "tests/support/stack.h"
#include "tests/support/temp_dir.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

int Occurrences(const std::string& text, const std::string& what) {
  int count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++count;
  return count;
}

std::string AppLog(const Stack& stack) { return ReadFile(stack.dir() + "/app-0.log"); }

void ExpectFourthMessageRefused(const WebUser& user) {
  WaitForEarlyInRateWindow();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(user.Send(1, "m" + std::to_string(i)).status, 200);
  auto refused = user.Send(1, "uma a mais");
  EXPECT_EQ(refused.status, 429) << refused.body;
  int retry_after = std::atoi(refused.Header("retry-after").c_str());
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 10);
}

// The seqs of room 1's recent cache, ascending.
std::vector<int64_t> CachedSeqs(RedisServer& redis) {
  std::vector<int64_t> seqs;
  auto cached = redis.Client()->Command({"ZRANGEBYSCORE", RecentCacheKey(1), "-inf", "+inf", "WITHSCORES"});
  if (!cached.ok()) return seqs;
  for (size_t i = 1; i < (*cached)->elements; i += 2) seqs.push_back(std::atoll((*cached)->element[i]->str));
  return seqs;
}

std::vector<int64_t> OneTo(int64_t n) {
  std::vector<int64_t> seqs;
  for (int64_t seq = 1; seq <= n; ++seq) seqs.push_back(seq);
  return seqs;
}

bool WaitForCache(RedisServer& redis, const std::vector<int64_t>& expected) {
  for (int i = 0; i < 100; ++i) {
    if (CachedSeqs(redis) == expected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(RedisOutageTest, SendSucceedsWhileRedisIsDownAndIsPublishedAfterItReturns) {
  Stack stack(WithoutPusher());
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  ASSERT_EQ(ana.Send(1, "antes da queda").status, 200);

  stack.redis().Stop();
  auto during = ana.Send(1, "durante a queda");
  ASSERT_EQ(during.status, 200) << during.body;
  rapidjson::Document sent;
  sent.Parse(during.body.c_str());
  int64_t seq = sent["seq"].GetInt64();
  // Stored: the history (SQLite) has it while Redis is still down.
  auto history = ana.Get("/chat/mensagens?sala_id=1");
  EXPECT_NE(history.body.find("durante a queda"), std::string::npos);

  stack.redis().Start();  // empty: no persistence
  RedisSubscriber subscriber(stack.redis().port(), RoomChannel(1));
  // The republisher notices within a few seconds and publishes what the
  // cache lacks, oldest first.
  bool published = false;
  auto redis = stack.redis().Client();
  for (int i = 0; i < 100 && !published; ++i) {
    auto cached = redis->Command({"ZRANGEBYSCORE", RecentCacheKey(1), std::to_string(seq), std::to_string(seq)});
    published = cached.ok() && (*cached)->elements == 1;
    if (!published) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(published) << stack.Logs();
  auto cached = redis->Command({"ZRANGEBYSCORE", RecentCacheKey(1), "-inf", "+inf"});
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ((*cached)->elements, static_cast<size_t>(seq));  // the earlier one is back too

  // Sending works again and goes straight out.
  ASSERT_EQ(ana.Send(1, "depois da volta").status, 200);
  bool seen = false;
  for (int i = 0; i < 5 && !seen; ++i) {
    auto payload = subscriber.Next();
    if (!payload) break;
    seen = payload->find("depois da volta") != std::string::npos;
  }
  EXPECT_TRUE(seen);
}

TEST(RedisOutageTest, PagesStillWorkWithoutRedis) {
  Stack stack(WithoutPusher());
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  stack.redis().Stop();
  EXPECT_EQ(ana.Get("/chat/listar-salas").status, 200);
  EXPECT_EQ(ana.Get("/chat/sala/1").status, 200);
  EXPECT_EQ(ana.Post("/chat/digitando", {{"sala_id", "1"}}).status, 204);
}

TEST(RedisOutageTest, LogoutWithoutRedisStillEndsTheSession) {
  Stack stack(WithoutPusher());
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  std::string cookie = ana.cookie();
  stack.redis().Stop();
  // The pushers cannot be told; the session is deleted all the same (its
  // streams end at their next reconnect or the session's expiry).
  EXPECT_EQ(ana.Post("/logout", {}).status, 303);
  WebUser stale(stack.port());
  stale.set_cookie(cookie);
  EXPECT_EQ(stale.Get("/chat/stream?sala_id=1").status, 401);
}


TEST(RedisOutageTest, RateLimitHoldsWhileRedisIsDown) {
  Stack stack(WithoutPusher({{"CHAT_RATE_LIMIT", "3"}}));
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  stack.redis().Stop();
  ExpectFourthMessageRefused(ana);
  // One line for the episode, not one per request.
  EXPECT_EQ(Occurrences(AppLog(stack), "rate_limit_fallback"), 1) << stack.Logs();

  stack.redis().Start();
  bool back = false;
  for (int i = 0; i < 50 && !back; ++i) {
    EXPECT_EQ(ana.Post("/chat/digitando", {{"sala_id", "1"}}).status, 204);
    back = Occurrences(AppLog(stack), "rate_limit_redis_back") == 1;
    if (!back) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(back) << stack.Logs();
}

TEST(RedisOutageTest, RateLimitHoldsWhenRedisRefusesWrites) {
  Stack stack(WithoutPusher({{"CHAT_RATE_LIMIT", "3"}}));
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  // A full Redis that may not evict: every write answers OOM.
  auto redis = stack.redis().Client();
  ASSERT_TRUE(redis->Command({"CONFIG", "SET", "maxmemory-policy", "noeviction"}).ok());
  ASSERT_TRUE(redis->Command({"CONFIG", "SET", "maxmemory", "1"}).ok());
  auto write = redis->Command({"SET", "cheio", "x"});
  ASSERT_FALSE(write.ok());
  ASSERT_NE(write.status().message().find("OOM"), std::string::npos) << write.status().message();

  ExpectFourthMessageRefused(ana);
  std::string log = AppLog(stack);
  EXPECT_EQ(Occurrences(log, "rate_limit_fallback"), 1) << log;
  EXPECT_NE(log.find("OOM"), std::string::npos) << log;
}

// A publish that failed below a later successful one (a Redis restart
// fails some threads' publishes while others succeed) leaves a hole in the
// cache: the republisher fills it, not only the tail, when the room is
// marked dirty.
TEST(RedisOutageTest, RepublisherFillsAHoleBelowTheNewestSeq) {
  Stack stack(WithoutPusher({{"CHAT_RATE_LIMIT", "0"}}));
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  for (int i = 1; i <= 5; ++i) ASSERT_EQ(ana.Send(1, "m" + std::to_string(i)).status, 200);
  ASSERT_EQ(CachedSeqs(stack.redis()), OneTo(5));
  auto redis = stack.redis().Client();
  ASSERT_TRUE(redis->Command({"ZREMRANGEBYSCORE", RecentCacheKey(1), "3", "3"}).ok());  // its publish "failed"
  // Message 6's publish fails too (Redis refuses writes): the room is dirty.
  ASSERT_TRUE(redis->Command({"CONFIG", "SET", "maxmemory-policy", "noeviction"}).ok());
  ASSERT_TRUE(redis->Command({"CONFIG", "SET", "maxmemory", "1"}).ok());
  ASSERT_EQ(ana.Send(1, "m6").status, 200);
  ASSERT_TRUE(redis->Command({"CONFIG", "SET", "maxmemory", "0"}).ok());
  EXPECT_TRUE(WaitForCache(stack.redis(), OneTo(6))) << stack.Logs();
}

// The periodic full pass (here: the one at start) finds holes too.
TEST(RedisOutageTest, RepublisherFillsAHoleOnItsFullPass) {
  Stack stack(WithoutPusher({{"CHAT_RATE_LIMIT", "0"}}));
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  for (int i = 1; i <= 5; ++i) ASSERT_EQ(ana.Send(1, "m" + std::to_string(i)).status, 200);
  auto redis = stack.redis().Client();
  ASSERT_TRUE(redis->Command({"ZREMRANGEBYSCORE", RecentCacheKey(1), "2", "3"}).ok());
  stack.StopApp(0);
  stack.StartApp(0);
  EXPECT_TRUE(WaitForCache(stack.redis(), OneTo(5))) << stack.Logs();
}

// After a Redis restart a thread's connection is stale: its next publish
// goes out at once on a new connection, not after the retry pause (while
// other threads publish newer seqs, which left holes).
TEST(RedisOutageTest, AStaleConnectionPublishesTheNextMessageAtOnce) {
  StackOptions options = WithoutPusher({{"CHAT_RATE_LIMIT", "100"}});
  options.app_threads = 1;  // the same thread sends both
  Stack stack(options);
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  ASSERT_EQ(ana.Send(1, "antes").status, 200);
  stack.redis().Stop();
  stack.redis().Start();
  auto sent = ana.Send(1, "depois do reinício");
  ASSERT_EQ(sent.status, 200) << sent.body;
  rapidjson::Document body;
  body.Parse(sent.body.c_str());
  std::string seq = std::to_string(body["seq"].GetInt64());
  auto cached = stack.redis().Client()->Command({"ZRANGEBYSCORE", RecentCacheKey(1), seq, seq});
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ((*cached)->elements, 1u) << stack.Logs();
  EXPECT_EQ(Occurrences(AppLog(stack), "publish_deferred"), 0) << stack.Logs();
}

}  // namespace
}  // namespace papo::testing
