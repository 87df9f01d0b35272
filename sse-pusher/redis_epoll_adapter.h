// RedisEpollAdapter: drives one hiredis async context from our EventLoop,
// the way hiredis' adapters/ae.h and adapters/qt.h drive theirs: five
// idempotent hooks (add/del read, add/del write, cleanup) folded into one
// interest mask, and fd events that only call redisAsyncHandleRead/Write.
//
// Lifetime: created by Attach() and owned by the context. hiredis calls the
// cleanup hook when it frees the context (an error in HandleRead, a
// disconnect, redisAsyncFree); the adapter then stops watching the fd and
// deletes itself at the end of the loop iteration, since the cleanup may
// run inside its own OnReadable (hiredis adapters/poll.h in_tick/deleted).
// Thread-compatible (loop thread only).
#pragma once

#include <hiredis/async.h>

#include "common/status.h"
#include "sse-pusher/event_loop.h"

namespace papo::pusher {

class RedisEpollAdapter final : public IoHandler {
 public:
  // REQUIRES: `context` is freshly connected (redisAsyncConnect) and has no
  // adapter yet; InvalidArgument otherwise.
  static Status Attach(EventLoop& loop, redisAsyncContext* context);

  RedisEpollAdapter(const RedisEpollAdapter&) = delete;
  RedisEpollAdapter& operator=(const RedisEpollAdapter&) = delete;

  void OnReadable() override;
  void OnWritable() override;

 private:
  RedisEpollAdapter(EventLoop& loop, redisAsyncContext* context);
  ~RedisEpollAdapter() = default;

  static void AddRead(void* self) noexcept;
  static void DelRead(void* self) noexcept;
  static void AddWrite(void* self) noexcept;
  static void DelWrite(void* self) noexcept;
  static void Cleanup(void* self) noexcept;
  void Update(bool reading, bool writing);

  EventLoop& loop_;
  redisAsyncContext* context_;  // null once hiredis freed it
  int fd_;
  bool reading_ = false;
  bool writing_ = false;
};

}  // namespace papo::pusher
