#include "sse-pusher/stream_limiter.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/bus/cluster_slots.h"
#include "common/bus/names.h"
#include "common/bus/scripts.h"
#include "common/log.h"
#include "common/redis_argv.h"
#include "sse-pusher/redis_commander.h"

namespace papo::pusher {
namespace {

// A refresh script touches at most this many users / members: a big
// process's refresh is many short scripts, never one long one that would
// hold Redis (and every other client) for milliseconds. Measured: ~6 µs
// of Redis per user, so a script holds it for ~0.3 ms.
constexpr size_t kRefreshUsers = 50;
constexpr size_t kRefreshMembers = 250;

uint64_t FirstToken() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

bool IsError(const redisReply* reply) { return reply == nullptr || reply->type == REDIS_REPLY_ERROR; }

std::vector<std::vector<LedgerEntry>> SplitBySlot(std::vector<std::vector<LedgerEntry>> batches) {
  std::vector<std::vector<LedgerEntry>> split;
  for (std::vector<LedgerEntry>& batch : batches) {
    std::map<uint16_t, std::vector<LedgerEntry>> by_slot;
    for (LedgerEntry& entry : batch) by_slot[KeySlot(UserStreamsKey(entry.usuario_id))].push_back(std::move(entry));
    for (auto& [slot, group] : by_slot) split.push_back(std::move(group));
  }
  return split;
}

}  // namespace

StreamLimiter::StreamLimiter(EventLoop& loop, RedisCommander& commander, PusherMetrics& metrics,
                             const PusherOptions& options)
    : loop_(loop),
      commander_(commander),
      metrics_(metrics),
      options_(options),
      ledger_(options.pusher_id, FirstToken()) {}

void StreamLimiter::Acquire(int64_t usuario_id, std::function<void(bool)> done) {
  uint64_t token = ledger_.Begin(usuario_id);
  std::vector<std::string> argv =
      ScriptCommand("EVAL", StreamAcquireScript(), {UserStreamsKey(usuario_id)},
                    {ledger_.Member(token), std::to_string(options_.presence_ttl_ms),
                     std::to_string(options_.max_streams_per_user)});
  commander_.Command(argv, [this, alive = alive_, usuario_id, token, done = std::move(done)](const redisReply* reply) {
    if (!*alive) return;
    bool answered = !IsError(reply) && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
                    reply->element[0]->type == REDIS_REPLY_INTEGER;
    bool allowed;
    if (answered) {
      Succeeded();
      allowed = reply->element[0]->integer == 1;
    } else {
      Failed(reply == nullptr ? "unreachable" : "error");
      // This process's own streams of the user: the cap holds per pusher.
      ++metrics_.stream_limit_local_decisions;
      allowed = ledger_.held(usuario_id) < static_cast<size_t>(options_.max_streams_per_user);
    }
    if (allowed) {
      ledger_.Confirm(usuario_id, token);
    } else {
      ledger_.Drop(usuario_id, token);
    }
    done(allowed);
  });
}

void StreamLimiter::Release(int64_t usuario_id) {
  auto token = ledger_.Release(usuario_id);
  if (!token) return;
  commander_.Command({"ZREM", UserStreamsKey(usuario_id), ledger_.Member(*token)},
                     [this, alive = alive_, usuario_id](const redisReply* reply) {
                       if (*alive && IsError(reply)) ledger_.MarkStale(usuario_id);
                     });
}

void StreamLimiter::Sweep(int64_t now_ms) {
  if (now_ms - refreshed_ms_ < options_.presence_refresh_ms) return;
  Refresh();
}

void StreamLimiter::Refresh() {
  refreshed_ms_ = loop_.now_ms();
  if (!enabled() || !commander_.connected()) return;  // the ledger keeps everything for the next one
  std::vector<std::vector<LedgerEntry>> batches = ledger_.RefreshBatches(kRefreshUsers, kRefreshMembers);
  // A cluster refuses a script whose keys live in different slots
  // (CROSSSLOT), and every user's ZSET has a slot of its own (its hash
  // tag): one script per slot there.
  if (options_.redis.mode == RedisMode::kCluster) batches = SplitBySlot(std::move(batches));
  for (auto& batch : batches) {
    std::vector<std::string> argv = {"EVAL", StreamRefreshScript(), std::to_string(batch.size())};
    for (const LedgerEntry& entry : batch) argv.push_back(UserStreamsKey(entry.usuario_id));
    argv.push_back(ledger_.prefix());
    argv.push_back(std::to_string(options_.presence_ttl_ms));
    for (LedgerEntry& entry : batch) {
      argv.push_back(std::to_string(entry.held.size()));
      argv.push_back(std::to_string(entry.pending.size()));
      for (std::string& member : entry.held) argv.push_back(std::move(member));
      for (std::string& member : entry.pending) argv.push_back(std::move(member));
    }
    commander_.Command(argv, [this, alive = alive_](const redisReply* reply) {
      if (!*alive) return;
      if (IsError(reply)) {
        // Lost members come back with the next refresh.
        Failed(reply == nullptr ? "unreachable" : "error");
        refreshed_ms_ = 0;
        return;
      }
      Succeeded();
    });
  }
}

void StreamLimiter::Failed(const char* what) {
  if (fallback_) return;
  fallback_ = true;
  Log(LogLevel::kWarn, "stream_limit_fallback")
      .Kv("reason", what)
      .Kv("limit", options_.max_streams_per_user)
      .Kv("scope", "this_pusher");
}

void StreamLimiter::Succeeded() {
  if (!fallback_) return;
  fallback_ = false;
  Log(LogLevel::kInfo, "stream_limit_redis_back").Kv("users", static_cast<uint64_t>(ledger_.users()));
  // Streams opened meanwhile are not in Redis yet.
  Refresh();
}

}  // namespace papo::pusher
