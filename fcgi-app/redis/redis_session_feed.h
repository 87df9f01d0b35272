// RedisSessionFeed: keeps the process's SessionCache in step with logouts
// in every papo-app (DESIGN §4: a logout ends the session everywhere). It
// SUBSCRIBEs to the session-end channel (common/bus/names.h,
// papo:sessoes: the logged-out session's stream id) on a connection of its
// own; the cache is in sync only while that subscription stands, and each
// announcement forgets its session. Redis down: out of sync, retried every
// second.
//
// With a redis-sentinel:// address the subscription is made on the master
// the sentinels name, and a second thread asks them again every second
// while it stands: when they name another master the read is ended, so
// the feed follows a failover even when the old master's host froze or
// was cut off (a failover made by the sentinels closes our connection
// itself; a frozen host never answers, and the read would wait forever).
//
// Run() is the body of one thread; Stop() may be called from another.
#pragma once

#include <condition_variable>
#include <mutex>

#include "common/config.h"
#include "fcgi-app/services/session_cache.h"

namespace papo {

class RedisSessionFeed final {
 public:
  RedisSessionFeed(RedisAddress address, SessionCache& cache) : address_(std::move(address)), cache_(cache) {}
  RedisSessionFeed(const RedisSessionFeed&) = delete;
  RedisSessionFeed& operator=(const RedisSessionFeed&) = delete;

  // Until Stop(): subscribe, apply announcements, resubscribe after a loss.
  void Run();
  // Ends Run() soon: wakes its wait or its read.
  void Stop();

 private:
  // Sentinel mode, beside a subscription on `master`: see above.
  void WatchMaster(const RedisHostPort& master);

  RedisAddress address_;
  SessionCache& cache_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int reading_fd_ = -1;  // the socket Run() reads, under mutex_
};

}  // namespace papo
