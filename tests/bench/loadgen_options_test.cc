#include "bench/loadgen/loadgen_options.h"

#include <gtest/gtest.h>

#include "bench/loadgen/coordinator.h"

namespace papo::bench {
namespace {

Result<LoadgenOptions> Parse(std::vector<std::string_view> args) { return ParseLoadgenOptions(args); }

TEST(LoadgenOptionsTest, RoomLists) {
  auto rooms = ParseRoomList("1-3,7,10-11");
  ASSERT_TRUE(rooms.ok());
  EXPECT_EQ(*rooms, (std::vector<int64_t>{1, 2, 3, 7, 10, 11}));
  EXPECT_FALSE(ParseRoomList("0").ok());
  EXPECT_FALSE(ParseRoomList("5-3").ok());
  EXPECT_FALSE(ParseRoomList("a").ok());
}

TEST(LoadgenOptionsTest, ServerGroups) {
  auto group = ParseServerGroup("nginx=12,13+");
  ASSERT_TRUE(group.ok());
  EXPECT_EQ(group->name, "nginx");
  EXPECT_EQ(group->pids, (std::vector<pid_t>{12, 13}));
  EXPECT_TRUE(group->with_children);
  EXPECT_FALSE(ParseServerGroup("nginx=").ok());
  EXPECT_FALSE(ParseServerGroup("=12").ok());
  EXPECT_FALSE(ParseServerGroup("nginx=x").ok());
}

TEST(LoadgenOptionsTest, TemplatesExpand) {
  EXPECT_EQ(ExpandTemplate("/chat/stream?sala_id={room}", 42, 7), "/chat/stream?sala_id=42");
  EXPECT_EQ(ExpandTemplate("X-Papo-User-Id: {sub}", 1, 7), "X-Papo-User-Id: 7");
  EXPECT_EQ(ExpandTemplate("X-Papo-User-Id: {user}", 1, 7), "X-Papo-User-Id: 8");
  EXPECT_EQ(ExpandTemplate("{other}", 1, 7), "{other}");
  std::string expires = ExpandTemplate("{expires}", 1, 1);
  EXPECT_GT(std::stoll(expires), 1'700'000'000);
}

TEST(LoadgenOptionsTest, FullCommandLine) {
  auto o = Parse({"--target", "127.0.0.1:8080", "--target=unix:/tmp/p.sock", "--subscribers", "10",
                  "--rooms", "1-5", "--publish", "nchan", "--publish-target", "127.0.0.1:8081",
                  "--messages", "100", "--rate", "50.5", "--header", "X-A: {sub}", "--server", "x=1"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->targets.size(), 2u);
  EXPECT_TRUE(o->targets[1].is_unix);
  EXPECT_EQ(o->subscribers, 10u);
  EXPECT_EQ(o->rooms.size(), 5u);
  EXPECT_EQ(o->publish, PublishMode::kNchan);
  EXPECT_EQ(o->publish_path, "/pub?id={room}");
  EXPECT_DOUBLE_EQ(o->rate, 50.5);
  EXPECT_EQ(o->headers, (std::vector<std::string>{"X-A: {sub}"}));
}

TEST(LoadgenOptionsTest, PapoPublishPathDefault) {
  auto o = Parse({"--publish", "papo", "--publish-target", "127.0.0.1:1", "--messages", "1"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->publish_path, "/chat/enviar");
}

TEST(LoadgenOptionsTest, Errors) {
  EXPECT_FALSE(Parse({"--bogus", "1"}).ok());
  EXPECT_FALSE(Parse({"--subscribers"}).ok());
  EXPECT_FALSE(Parse({"--subscribers", "-1", "--target", "127.0.0.1:1"}).ok());
  EXPECT_FALSE(Parse({"--subscribers", "5"}).ok());  // no target
  EXPECT_FALSE(Parse({"--publish", "kafka"}).ok());
  EXPECT_FALSE(Parse({"--publish", "redis", "--messages", "5"}).ok());  // no publish target
  EXPECT_FALSE(Parse({"--target", "localhost:80"}).ok());               // IPv4 literals only
  EXPECT_FALSE(Parse({"--target", "127.0.0.1:70000"}).ok());
}

TEST(LoadgenOptionsTest, AutomaticProcessesAndSources) {
  auto o = Parse({"--target", "127.0.0.1:1", "--subscribers", "50000"});
  ASSERT_TRUE(o.ok());
  ResolveAutomatic(*o);
  EXPECT_EQ(o->processes, 4);  // 15,000 per process
  EXPECT_EQ(o->sources, 2);    // at most 25,000 per source address and target
  auto two = Parse({"--target", "127.0.0.1:1", "--target", "127.0.0.1:2", "--subscribers", "50000"});
  ASSERT_TRUE(two.ok());
  ResolveAutomatic(*two);
  EXPECT_EQ(two->sources, 1);
}

}  // namespace
}  // namespace papo::bench
