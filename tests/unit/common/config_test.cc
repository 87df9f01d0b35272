#include "common/config.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace papo {
namespace {

Result<Config> LoadFrom(const std::map<std::string, std::string>& env) {
  return Config::Load([&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(ConfigTest, DefaultsWorkForOneMachine) {
  auto config = LoadFrom({});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->message_max_length, 1000);
  EXPECT_EQ(config->history_limit, 100);
  EXPECT_EQ(config->sse_timeout_seconds, 86400);
  EXPECT_EQ(config->sse_heartbeat_seconds, 15);
  EXPECT_EQ(config->redis.host, "127.0.0.1");
  EXPECT_EQ(config->redis.port, 6379);
}

TEST(ConfigTest, ReadsEveryVariable) {
  auto config = LoadFrom({{"PAPO_DB", "/tmp/x.db"},
                          {"PAPO_REDIS_URL", "redis://:segredo@10.0.0.5:6380/2"},
                          {"PAPO_WORKER_THREADS", "3"},
                          {"PAPO_COOKIE_SECURE", "1"},
                          {"CHAT_RATE_LIMIT", "5"},
                          {"CHAT_CACHE_SIZE", "50"}});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->db_path, "/tmp/x.db");
  EXPECT_EQ(config->redis.host, "10.0.0.5");
  EXPECT_EQ(config->redis.port, 6380);
  EXPECT_EQ(config->redis.password, "segredo");
  EXPECT_EQ(config->redis.database, 2);
  EXPECT_EQ(config->worker_threads, 3);
  EXPECT_TRUE(config->cookie_secure);
  EXPECT_EQ(config->rate_limit, 5);
  EXPECT_EQ(config->cache_size, 50);
}

TEST(ConfigTest, BadIntegerNamesTheVariable) {
  auto config = LoadFrom({{"CHAT_MESSAGE_MAX_LENGTH", "mil"}});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("CHAT_MESSAGE_MAX_LENGTH"), std::string::npos);
}

// glibc would quietly use UTC for an unknown zone: every time on every page
// shifted. Zone names need their file; POSIX rules need none.
TEST(ConfigTest, UnknownTimeZoneNamesTheVariable) {
  for (const char* good : {"America/Sao_Paulo", ":America/Sao_Paulo", "UTC", "BRT3", "<-03>3", "EST5EDT"}) {
    EXPECT_TRUE(LoadFrom({{"TZ", good}}).ok()) << good;
  }
  for (const char* bad : {"Mars/Olympus", "", ":", "America/../../etc/passwd", "XX"}) {
    auto config = LoadFrom({{"TZ", bad}});
    ASSERT_FALSE(config.ok()) << bad;
    EXPECT_EQ(config.status().message().rfind("TZ", 0), 0u) << config.status().message();
  }
}

TEST(ConfigTest, OutOfRangeNamesTheVariable) {
  auto config = LoadFrom({{"CHAT_SSE_HEARTBEAT", "0"}});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("CHAT_SSE_HEARTBEAT"), std::string::npos);
}

TEST(ConfigTest, BadBooleanNamesTheVariable) {
  auto config = LoadFrom({{"PAPO_COOKIE_SECURE", "talvez"}});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("PAPO_COOKIE_SECURE"), std::string::npos);
}

TEST(ConfigTest, BadRedisUrlNamesTheVariable) {
  auto config = LoadFrom({{"PAPO_REDIS_URL", "http://localhost"}});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("PAPO_REDIS_URL"), std::string::npos);
}

TEST(ConfigTest, UnixSocketRedisUrl) {
  auto address = ParseRedisUrl("unix:///run/redis.sock?db=3");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->unix_path, "/run/redis.sock");
  EXPECT_EQ(address->database, 3);
}

TEST(ConfigTest, TrailingGarbageInIntegerIsRefused) {
  EXPECT_FALSE(LoadFrom({{"CHAT_HISTORY_LIMIT", "10x"}}).ok());
}

}  // namespace
}  // namespace papo
