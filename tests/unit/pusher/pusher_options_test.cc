#include "sse-pusher/pusher_options.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace papo::pusher {
namespace {

Result<PusherOptions> Load(const std::map<std::string, std::string>& env, Config config = Config{}) {
  return PusherOptions::Load(config, [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(PusherOptionsTest, SharedSettingsComeFromConfig) {
  Config config;
  config.pusher_listen = "/run/p.sock";
  config.pusher_metrics_listen = "127.0.0.1:9200";
  config.max_connections_per_room = 7;
  config.sse_heartbeat_seconds = 3;
  config.sse_timeout_seconds = 60;
  auto options = Load({}, config);
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->listen, "/run/p.sock");
  EXPECT_EQ(options->metrics_listen, "127.0.0.1:9200");
  EXPECT_EQ(options->max_connections_per_room, 7);
  EXPECT_EQ(options->heartbeat_seconds, 3);
  EXPECT_EQ(options->stream_timeout_seconds, 60);
}

TEST(PusherOptionsTest, PusherIdDefaultsToHostAndPidAndNeverHoldsAColon) {
  auto options = Load({});
  ASSERT_TRUE(options.ok());
  EXPECT_FALSE(options->pusher_id.empty());
  Config config;
  config.pusher_id = "host:1 a";
  options = Load({}, config);
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->pusher_id, "host_1_a");
}

TEST(PusherOptionsTest, PusherOnlyVariablesAreRead) {
  auto options = Load({{"PAPO_PUSHER_MAX_BACKLOG_BYTES", "65536"},
                       {"PAPO_PUSHER_STALL_SECONDS", "5"},
                       {"PAPO_PUSHER_REORDER_MS", "40"},
                       {"PAPO_PUSHER_DRAIN_MS", "0"},
                       {"PAPO_PUSHER_SOCKET_MODE", "0666"},
                       {"PAPO_PUSHER_COALESCE_MS", "0"},
                       {"PAPO_PUSHER_COALESCE_US_PER_STREAM", "7"},
                       {"PAPO_PUSHER_COALESCE_EVENTS", "5"}});
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->coalesce_ms, 0);
  EXPECT_EQ(options->coalesce_us_per_stream, 7);
  EXPECT_EQ(options->coalesce_events, 5);
  EXPECT_EQ(options->max_backlog_bytes, 65536u);
  EXPECT_EQ(options->stall_seconds, 5);
  EXPECT_EQ(options->reorder_window_ms, 40);
  EXPECT_EQ(options->drain_ms, 0);
  EXPECT_EQ(options->socket_mode, 0666);
}

TEST(PusherOptionsTest, BusyRoomsAreCoalescedByDefault) {
  auto options = Load({});
  ASSERT_TRUE(options.ok());
  EXPECT_GT(options->coalesce_ms, 0);
  EXPECT_GT(options->coalesce_us_per_stream, 0);
  EXPECT_GT(options->coalesce_events, 1);
}

TEST(PusherOptionsTest, BadValueNamesTheVariable) {
  for (const auto& [name, value] : std::map<std::string, std::string>{{"PAPO_PUSHER_MAX_BACKLOG_BYTES", "12"},
                                                                     {"PAPO_PUSHER_STALL_SECONDS", "x"},
                                                                     {"PAPO_PUSHER_REORDER_MS", "-1"},
                                                                     {"PAPO_PUSHER_SOCKET_MODE", "999"},
                                                                     {"PAPO_PUSHER_COALESCE_MS", "1001"},
                                                                     {"PAPO_PUSHER_COALESCE_EVENTS", "0"}}) {
    auto options = Load({{name, value}});
    ASSERT_FALSE(options.ok()) << name;
    EXPECT_EQ(options.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(options.status().message().find(name), std::string::npos) << options.status().message();
  }
}

TEST(PusherOptionsTest, TheDefaultListenAddressIsAUnixSocket) {
  auto options = Load({});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->listen, "/run/papo/pusher.sock");
  EXPECT_TRUE(options->secret.empty());
}

TEST(PusherOptionsTest, ATcpAddressWithoutASecretIsRefusedNamingTheVariable) {
  Config config;
  config.pusher_listen = "127.0.0.1:9100";
  auto options = Load({}, config);
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(options.status().message().find("PAPO_PUSHER_SECRET"), std::string::npos) << options.status().message();
  EXPECT_FALSE(Load({{"PAPO_PUSHER_SECRET", ""}}, config).ok());
}

TEST(PusherOptionsTest, ATcpAddressWithASecretIsAccepted) {
  Config config;
  config.pusher_listen = "127.0.0.1:9100";
  auto options = Load({{"PAPO_PUSHER_SECRET", "0123456789abcdef0123"}}, config);
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->secret, "0123456789abcdef0123");
}

TEST(PusherOptionsTest, AWeakSecretIsRefusedEvenOnAUnixSocket) {
  auto options = Load({{"PAPO_PUSHER_SECRET", "abc"}});
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.status().message().find("PAPO_PUSHER_SECRET"), std::string::npos);
}

TEST(PusherOptionsTest, ANonLoopbackAddressIsRefusedNamingTheListenVariable) {
  Config config;
  config.pusher_listen = "0.0.0.0:9100";
  auto options = Load({{"PAPO_PUSHER_SECRET", "0123456789abcdef0123"}}, config);
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.status().message().find("PAPO_PUSHER_LISTEN"), std::string::npos);
}

}  // namespace
}  // namespace papo::pusher
