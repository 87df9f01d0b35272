// papo-pusher on a real Redis Cluster (3 primaries + 3 replicas, started by
// the test, stopped by PID): a room stream gets every message, once and in
// order, across a slot migration (the old owner pushes `sunsubscribe`) and
// a primary's failover (its connection lost, a replica promoted): the
// pusher subscribes the channel again where it lives now and catches up
// from the room's cache by seq. Messages are published as papo-app's
// script does (cache, then SPUBLISH), on the slot's primary.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/bus/cluster_slots.h"
#include "common/bus/names.h"
#include "common/log.h"
#include "common/redis_client.h"
#include "tests/integration/pusher_fixture.h"
#include "tests/support/redis_cluster.h"

namespace papo::testing {
namespace {

using Clock = std::chrono::steady_clock;

// One papo-pusher process on the cluster.
class ClusterPusher final {
 public:
  ClusterPusher(const TempDir& dir, const RedisCluster& cluster, const std::string& name,
                std::map<std::string, std::string> extra = {})
      : socket_(dir.File(name + ".sock")), log_(dir.File(name + ".log")) {
    std::map<std::string, std::string> env = {{"PAPO_REDIS_URL", cluster.url()},
                                              {"PAPO_PUSHER_LISTEN", socket_},
                                              {"PAPO_PUSHER_ID", name},
                                              {"PAPO_LOG_LEVEL", "info"},
                                              {"PAPO_PUSHER_DRAIN_MS", "200"}};
    for (auto& [key, value] : extra) env[key] = value;
    process_ = Process({PusherBinary()}, env, log_);
    if (!WaitForUnixSocket(socket_)) ADD_FAILURE() << "papo-pusher did not start:\n" << Log();
  }
  std::unique_ptr<SseClient> Stream(const std::string& query, const HeaderList& headers) const {
    return SseClient::Open(ConnectUnix(socket_), "/chat/stream?" + query, headers, 10000ms);
  }
  HttpResponse Get(const std::string& target) const { return HttpCallUnix(socket_, "GET", target); }
  std::string Log() const { return ReadFile(log_); }

 private:
  std::string socket_;
  std::string log_;
  Process process_;
};

bool IsError(const RedisReplyPtr& reply) { return reply == nullptr || reply->type == REDIS_REPLY_ERROR; }

// As papo-app's publish script: the message into the room's cache, then
// SPUBLISH on its channel, on the primary serving the room's slot (retried
// while the cluster has none, during a failover).
void PublishMessage(const RedisCluster& cluster, int64_t sala_id, int64_t seq) {
  std::string json = MessageJson(sala_id, seq);
  bool done = Eventually([&] {
    int port = 0;
    try {
      port = cluster.PrimaryOf(KeySlot(RoomChannel(sala_id)));
    } catch (const std::exception&) {
      return false;
    }
    if (IsError(cluster.NodeCommand(port, {"ZADD", RecentCacheKey(sala_id), std::to_string(seq), json}))) return false;
    return !IsError(cluster.NodeCommand(
        port, {"SPUBLISH", RoomChannel(sala_id), EncodeEnvelope(EventKind::kMessage, sala_id, seq, false, json)}));
  });
  ASSERT_TRUE(done) << "could not publish seq " << seq;
}

// Until the pusher's SSUBSCRIBE of `channel` is live on the node on `port`.
bool ShardSubscribedOn(const RedisCluster& cluster, int port, const std::string& channel) {
  return Eventually([&] {
    RedisReplyPtr reply = cluster.NodeCommand(port, {"PUBSUB", "SHARDNUMSUB", channel});
    return reply != nullptr && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
           reply->element[1]->integer >= 1;
  });
}

int64_t MsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

TEST(PusherClusterTest, RoomStreamLosesNothingAcrossAMigrationAndAFailover) {
  TempDir dir;
  RedisCluster cluster(dir.path());
  ClusterPusher pusher(dir, cluster, "p1");
  const int64_t sala = 7;
  const std::string channel = RoomChannel(sala);
  const uint16_t slot = KeySlot(channel);

  auto stream = pusher.Stream("sala_id=7", UserHeaders(1));
  ASSERT_NE(stream, nullptr);
  int owner = cluster.PrimaryOf(slot);
  ASSERT_TRUE(ShardSubscribedOn(cluster, owner, channel)) << pusher.Log();
  for (int64_t seq = 1; seq <= 5; ++seq) PublishMessage(cluster, sala, seq);
  EXPECT_EQ(ReadSeqs(*stream, 5), Range(1, 5));

  // Migration: published on the new owner at once, while the pusher may
  // still be unsubscribed (those come from the cache).
  int target = 0;
  for (int port : cluster.Primaries()) {
    if (port != owner) target = port;
  }
  cluster.MigrateSlot(slot, target);
  auto moved_at = Clock::now();
  for (int64_t seq = 6; seq <= 10; ++seq) PublishMessage(cluster, sala, seq);
  ASSERT_TRUE(ShardSubscribedOn(cluster, target, channel)) << pusher.Log();
  int64_t migration_resume_ms = MsSince(moved_at);
  EXPECT_EQ(ReadSeqs(*stream, 5), Range(6, 10)) << pusher.Log();

  // Back to the first owner, with messages written (as ASKING allows) on
  // the importing node while the pusher is still subscribed on the old
  // one: they are never heard live, only read from the cache once the
  // move ends (sunsubscribe) and the channel is subscribed there again.
  cluster.BeginMigration(slot, owner);
  cluster.MoveKeys(slot, owner);
  {
    RedisAddress node;
    node.host = "127.0.0.1";
    node.port = owner;
    RedisClient importing(node);
    for (int64_t seq = 11; seq <= 12; ++seq) {
      auto replies = importing.Pipeline({{"ASKING"}, {"ZADD", RecentCacheKey(sala), std::to_string(seq), MessageJson(sala, seq)}});
      ASSERT_TRUE(replies.ok());
      ASSERT_FALSE(IsError((*replies)[1])) << (*replies)[1]->str;
    }
  }
  EXPECT_FALSE(stream->NextOf("", 300ms).has_value());  // not heard live
  cluster.EndMigration(slot, owner);
  ASSERT_TRUE(ShardSubscribedOn(cluster, owner, channel)) << pusher.Log();
  PublishMessage(cluster, sala, 13);
  EXPECT_EQ(ReadSeqs(*stream, 3), Range(11, 13)) << pusher.Log();

  // Failover: the slot's primary is killed, its replica promoted.
  cluster.KillPrimaryOf(slot);
  auto killed_at = Clock::now();
  int promoted = cluster.WaitForFailover(slot);
  int64_t failover_ms = MsSince(killed_at);
  for (int64_t seq = 14; seq <= 18; ++seq) PublishMessage(cluster, sala, seq);
  ASSERT_TRUE(ShardSubscribedOn(cluster, promoted, channel)) << pusher.Log();
  int64_t failover_resume_ms = MsSince(killed_at);
  for (int64_t seq = 19; seq <= 20; ++seq) PublishMessage(cluster, sala, seq);
  EXPECT_EQ(ReadSeqs(*stream, 7), Range(14, 20)) << pusher.Log();
  // Nothing more: no duplicate came after the last one.
  EXPECT_FALSE(stream->NextOf("", 300ms).has_value());

  Log(LogLevel::kInfo, "test_cluster_resume")
      .Kv("migration_resubscribed_ms", migration_resume_ms)
      .Kv("failover_promoted_ms", failover_ms)
      .Kv("failover_resubscribed_ms", failover_resume_ms);
  EXPECT_TRUE(Eventually([&] { return pusher.Get("/chat/health").status == 200; })) << pusher.Log();
  // Two slot moves and a failover: the room's channel was subscribed again
  // three times (the user's and others' slots did not move, or moved too).
  std::string metrics = pusher.Get("/metrics").body;
  const std::string name = "\npapo_pusher_cluster_resubscribes_total ";
  size_t at = metrics.find(name);
  ASSERT_NE(at, std::string::npos) << metrics;
  EXPECT_GE(std::stoll(metrics.substr(at + name.size())), 3) << metrics;
}

TEST(PusherClusterTest, ListStreamHearsThePublicListAndItsUserChannel) {
  TempDir dir;
  RedisCluster cluster(dir.path(), {.primaries = 3, .replicas_per_primary = 0});
  ClusterPusher pusher(dir, cluster, "p1");
  auto stream = pusher.Stream("lista=1", UserHeaders(2));
  ASSERT_NE(stream, nullptr);
  const std::string user = UserChannel(2);
  int user_node = cluster.PrimaryOf(KeySlot(user));
  ASSERT_TRUE(ShardSubscribedOn(cluster, user_node, user)) << pusher.Log();
  // papo:lista is classic pub/sub: subscribed on one node (NUMSUB counts
  // that node's subscribers), a PUBLISH on any node reaches the pusher.
  ASSERT_TRUE(Eventually([&] {
    for (int port : cluster.ports()) {
      RedisReplyPtr reply = cluster.NodeCommand(port, {"PUBSUB", "NUMSUB", PublicListChannel()});
      if (reply != nullptr && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
          reply->element[1]->integer >= 1) {
        return true;
      }
    }
    return false;
  }));
  std::string activity = R"({"sala_id":3,"seq":1,"data_envio":null,"usuarios_online":0})";
  ASSERT_FALSE(IsError(cluster.NodeCommand(cluster.ports().back(),
      {"PUBLISH", PublicListChannel(), EncodeEnvelope(EventKind::kActivity, 3, 1, false, activity)})));
  auto event = stream->NextOf("atividade", 5000ms);
  ASSERT_TRUE(event.has_value()) << pusher.Log();
  EXPECT_EQ(event->data, activity);
  std::string room = R"({"id":4,"nome":"sala nova","privada":true})";
  ASSERT_FALSE(IsError(cluster.NodeCommand(user_node,
      {"SPUBLISH", user, EncodeEnvelope(EventKind::kRoom, 4, 0, true, room)})));
  auto gained = stream->NextOf("sala", 5000ms);
  ASSERT_TRUE(gained.has_value()) << pusher.Log();
  EXPECT_EQ(gained->data, room);
  // The gained private room's list channel is sharded too: on its slot's primary.
  const std::string private_list = PrivateListChannel(4);
  int private_node = cluster.PrimaryOf(KeySlot(private_list));
  ASSERT_TRUE(ShardSubscribedOn(cluster, private_node, private_list)) << pusher.Log();
  std::string private_activity = R"({"sala_id":4,"seq":1,"data_envio":null,"usuarios_online":1})";
  ASSERT_FALSE(IsError(cluster.NodeCommand(private_node,
      {"SPUBLISH", private_list, EncodeEnvelope(EventKind::kActivity, 4, 1, true, private_activity)})));
  auto private_event = stream->NextOf("atividade", 5000ms);
  ASSERT_TRUE(private_event.has_value()) << pusher.Log();
  EXPECT_EQ(private_event->data, private_activity);
}

// CHAT_MAX_STREAMS_PER_USER: each user's ZSET has a slot of its own, and a
// cluster refuses one script over keys of several slots (CROSSSLOT): the
// pusher's periodic refresh of its members goes out once per slot, so
// every user's members stay unexpired and the cap never falls back.
TEST(PusherClusterTest, StreamCountsOfUsersInDifferentSlotsAreAllRefreshed) {
  TempDir dir;
  RedisCluster cluster(dir.path(), {.primaries = 3, .replicas_per_primary = 0});
  // Members expire 1.5 s after their last refresh (every 0.5 s).
  ClusterPusher pusher(dir, cluster, "p1", {{"PAPO_PUSHER_PRESENCE_TTL_MS", "1500"}});
  std::vector<std::unique_ptr<SseClient>> streams;
  std::set<uint16_t> slots;
  for (int64_t usuario = 1; usuario <= 4; ++usuario) {
    slots.insert(KeySlot(UserStreamsKey(usuario)));
    streams.push_back(pusher.Stream("sala_id=1", UserHeaders(usuario)));
    ASSERT_EQ(streams.back()->status(), 200);
  }
  ASSERT_GT(slots.size(), 1u);
  auto live_members = [&](int64_t usuario) -> int64_t {
    std::string key = UserStreamsKey(usuario);
    int port = cluster.PrimaryOf(KeySlot(key));
    RedisReplyPtr now = cluster.NodeCommand(port, {"TIME"});
    if (now == nullptr || now->type != REDIS_REPLY_ARRAY || now->elements != 2) return -1;
    int64_t now_ms = std::stoll(now->element[0]->str) * 1000 + std::stoll(now->element[1]->str) / 1000;
    RedisReplyPtr count = cluster.NodeCommand(port, {"ZCOUNT", key, "(" + std::to_string(now_ms), "+inf"});
    return count != nullptr && count->type == REDIS_REPLY_INTEGER ? count->integer : -1;
  };
  // Three times the members' lifetime: only refreshes keep them.
  std::this_thread::sleep_for(4500ms);
  for (int64_t usuario = 1; usuario <= 4; ++usuario) EXPECT_EQ(live_members(usuario), 1) << "user " << usuario;
  EXPECT_EQ(pusher.Log().find("stream_limit_fallback"), std::string::npos) << pusher.Log();
}

}  // namespace
}  // namespace papo::testing
