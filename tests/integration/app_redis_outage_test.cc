// Nothing accepted is lost when Redis goes away: the message is stored,
// the sender gets success, and it is published once Redis is back.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <thread>

#include "common/redis_names.h"
#include "tests/support/redis_subscriber.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

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

}  // namespace
}  // namespace papo::testing
