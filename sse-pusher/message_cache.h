// MessageCache: the backfill seam. A room reads its recent messages
// through this interface; RedisMessageCache reads the ZSET
// papo:sala:{id}:recentes (score = seq, member = the message JSON, written
// by papo-app in the same Lua script that publishes the message). Tests
// substitute an in-memory cache at this edge.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"

namespace papo::pusher {

class RedisCommander;

struct CachedMessage {
  int64_t seq;
  std::string json;
};

// One entry of a room's change log (ChangeLogKey): its envelope, logged at
// `position` (the room's newest seq when the change committed).
struct LoggedChange {
  double position;
  std::string envelope;
};

class MessageCache {
 public:
  // Entries in ascending seq. Unavailable when the cache cannot be read.
  using Callback = std::function<void(Result<std::vector<CachedMessage>>)>;

  virtual ~MessageCache() = default;
  // Messages with seq > after_seq, at most `limit`, ascending
  // (ZRANGEBYSCORE key (after +inf LIMIT 0 limit).
  virtual void FetchAfter(int64_t sala_id, int64_t after_seq, int limit, Callback done) = 0;
  // The newest `count` messages, ascending.
  virtual void FetchNewest(int64_t sala_id, int count, Callback done) = 0;
  // Changes logged at position >= from, oldest first, at most `limit`.
  using ChangesCallback = std::function<void(Result<std::vector<LoggedChange>>)>;
  virtual void FetchChanges(int64_t sala_id, int64_t from, int limit, ChangesCallback done) = 0;
};

class RedisMessageCache final : public MessageCache {
 public:
  // `commander` must outlive the cache.
  explicit RedisMessageCache(RedisCommander& commander) : commander_(commander) {}

  void FetchAfter(int64_t sala_id, int64_t after_seq, int limit, Callback done) override;
  void FetchNewest(int64_t sala_id, int count, Callback done) override;
  void FetchChanges(int64_t sala_id, int64_t from, int limit, ChangesCallback done) override;

 private:
  RedisCommander& commander_;
};

}  // namespace papo::pusher
