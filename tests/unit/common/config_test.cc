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

// The abuse limits of DESIGN §11: defaults, 0 = off, and a bad value names
// its variable.
TEST(ConfigTest, AbuseLimitsHaveTheirDefaultsAndZeroTurnsThemOff) {
  auto defaults = LoadFrom({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->login_rate_limit, 10);
  EXPECT_EQ(defaults->ip_rate_limit, 30);
  EXPECT_EQ(defaults->rooms_per_hour, 20);
  EXPECT_EQ(defaults->invites_per_hour, 60);
  EXPECT_EQ(defaults->max_streams_per_user, 20);
  EXPECT_EQ(defaults->max_password_hashes, 2);
  auto off = LoadFrom({{"CHAT_LOGIN_RATE_LIMIT", "0"},
                       {"CHAT_IP_RATE_LIMIT", "0"},
                       {"CHAT_ROOMS_PER_HOUR", "0"},
                       {"CHAT_INVITES_PER_HOUR", "0"},
                       {"CHAT_MAX_STREAMS_PER_USER", "0"},
                       {"PAPO_MAX_PASSWORD_HASHES", "4"}});
  ASSERT_TRUE(off.ok()) << off.status().ToString();
  EXPECT_EQ(off->login_rate_limit, 0);
  EXPECT_EQ(off->ip_rate_limit, 0);
  EXPECT_EQ(off->rooms_per_hour, 0);
  EXPECT_EQ(off->invites_per_hour, 0);
  EXPECT_EQ(off->max_streams_per_user, 0);
  EXPECT_EQ(off->max_password_hashes, 4);
  for (const char* name : {"CHAT_LOGIN_RATE_LIMIT", "CHAT_IP_RATE_LIMIT", "CHAT_ROOMS_PER_HOUR",
                           "CHAT_INVITES_PER_HOUR", "CHAT_MAX_STREAMS_PER_USER", "PAPO_MAX_PASSWORD_HASHES"}) {
    for (const char* bad : {"-1", "muitos"}) {
      auto config = LoadFrom({{name, bad}});
      ASSERT_FALSE(config.ok()) << name << "=" << bad;
      EXPECT_NE(config.status().message().find(name), std::string::npos) << config.status().message();
    }
  }
  // At least one hash must be able to run.
  EXPECT_FALSE(LoadFrom({{"PAPO_MAX_PASSWORD_HASHES", "0"}}).ok());
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

TEST(ConfigTest, SentinelRedisUrl) {
  auto address = ParseRedisUrl("redis-sentinel://:s3cr3t@10.0.0.1:26379,sentinela:26380/papo-master?db=2");
  ASSERT_TRUE(address.ok()) << address.status().message();
  EXPECT_EQ(address->mode, RedisMode::kSentinel);
  ASSERT_EQ(address->seeds.size(), 2u);
  EXPECT_EQ(address->seeds[0].host, "10.0.0.1");
  EXPECT_EQ(address->seeds[0].port, 26379);
  EXPECT_EQ(address->seeds[1].host, "sentinela");
  EXPECT_EQ(address->seeds[1].port, 26380);
  EXPECT_EQ(address->master_name, "papo-master");
  EXPECT_EQ(address->database, 2);
  EXPECT_EQ(address->password, "s3cr3t");
}

TEST(ConfigTest, ClusterRedisUrl) {
  auto address = ParseRedisUrl("redis-cluster://127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002");
  ASSERT_TRUE(address.ok()) << address.status().message();
  EXPECT_EQ(address->mode, RedisMode::kCluster);
  ASSERT_EQ(address->seeds.size(), 3u);
  EXPECT_EQ(address->seeds[2].port, 7002);
  EXPECT_EQ(address->database, 0);
}

TEST(ConfigTest, BadTopologyUrlsAreRefusedWithTheVariable) {
  for (const char* url : {"redis-sentinel://h:26379", "redis-sentinel://h:26379/", "redis-sentinel:///m",
                          "redis-sentinel://h/m", "redis-sentinel://h:0/m", "redis-sentinel://h:26379/m?x=1",
                          "redis-cluster://", "redis-cluster://h:7000/3", "redis-cluster://h:7000,,h:7001"}) {
    auto address = ParseRedisUrl(url);
    ASSERT_FALSE(address.ok()) << url;
    EXPECT_NE(address.status().message().find("PAPO_REDIS_URL"), std::string::npos) << url;
  }
}

TEST(ConfigTest, TrailingGarbageInIntegerIsRefused) {
  EXPECT_FALSE(LoadFrom({{"CHAT_HISTORY_LIMIT", "10x"}}).ok());
}

}  // namespace
}  // namespace papo
