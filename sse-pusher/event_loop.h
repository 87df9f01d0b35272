// EventLoop: one epoll instance, the fds it watches, timers and the
// end-of-iteration hooks (Redis ae, STYLE §7.6).
//
// Level-triggered on purpose: a connection may stop writing after its
// per-wakeup budget (64 KiB) and is called again on the next iteration
// without any bookkeeping, and EPOLLOUT is only registered while a backlog
// exists, so a unix-socket peer draining our frames wakes nobody (with
// edge-triggering and EPOLLOUT always registered, every read by nginx would
// wake the pusher).
//
// One iteration: epoll_wait -> fd callbacks -> due timers -> before-sleep
// hooks (fan-out flush) -> deferred calls (connection frees). A fd callback
// may unwatch any fd, including its own: events already fetched for it are
// skipped by a per-fd generation (nginx's instance bit).
//
// Thread-compatible: every method runs on the loop's thread.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace papo::pusher {

class IoHandler {
 public:
  // EPOLLIN, and also EPOLLERR/EPOLLHUP/EPOLLRDHUP: the read path finds the
  // error or the end of stream (ae_epoll).
  virtual void OnReadable() = 0;
  virtual void OnWritable() = 0;

 protected:
  ~IoHandler() = default;
};

class EventLoop final {
 public:
  enum Interest : uint32_t { kNone = 0, kReadable = 1, kWritable = 2 };
  using Callback = std::function<void()>;
  using TimerId = uint64_t;

  static Result<std::unique_ptr<EventLoop>> Create();
  // Runs the deferred calls still queued (they free objects).
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Starts watching `fd` (not yet watched) for `interest`. `handler` must
  // stay alive until Unwatch(fd).
  Status Watch(int fd, uint32_t interest, IoHandler* handler);
  // Changes the interest of a watched fd; no system call when unchanged.
  Status SetInterest(int fd, uint32_t interest);
  // Stops watching `fd` (call before closing it). Pending events are dropped.
  void Unwatch(int fd);
  bool watching(int fd) const;

  // Runs `callback` once at monotonic time `at_ms` (or later).
  TimerId RunAt(int64_t at_ms, Callback callback);
  TimerId RunAfter(int64_t delay_ms, Callback callback) { return RunAt(now_ms_ + delay_ms, std::move(callback)); }
  // Cancels a timer that has not run yet; unknown ids are ignored.
  void Cancel(TimerId id);

  // Runs before every sleep, in registration order.
  void AddBeforeSleep(Callback callback) { before_sleep_.push_back(std::move(callback)); }
  // Runs `callback` at the end of this iteration (after before-sleep hooks).
  // Used to free objects whose callback is still on the stack (STYLE §7.7).
  void Defer(Callback callback) { deferred_.push_back(std::move(callback)); }

  // Iterates until Stop().
  void Run();
  // One iteration, sleeping at most `max_wait_ms` (-1: until an event or timer).
  void RunOnce(int max_wait_ms);
  void Stop() { stopping_ = true; }
  bool stopping() const { return stopping_; }

  // Monotonic milliseconds, refreshed once per iteration (cheap to read).
  int64_t now_ms() const { return now_ms_; }
  // Refreshes now_ms() (for code that measures inside an iteration).
  int64_t UpdateNow();

 private:
  struct Slot {
    IoHandler* handler = nullptr;
    uint32_t generation = 0;
    uint32_t interest = 0;
  };
  struct Timer {
    int64_t at_ms;
    Callback callback;
  };

  explicit EventLoop(UniqueFd epoll_fd);
  int WaitTimeout(int max_wait_ms) const;
  void Dispatch(const struct epoll_event& event);
  void RunDueTimers();
  void RunHooks();

  UniqueFd epoll_fd_;
  std::vector<Slot> slots_;  // indexed by fd
  std::vector<struct epoll_event> ready_;
  std::map<TimerId, Timer> timers_;
  std::set<std::pair<int64_t, TimerId>> timer_order_;
  TimerId next_timer_id_ = 1;
  std::vector<Callback> before_sleep_;
  std::vector<Callback> deferred_;
  int64_t now_ms_ = 0;
  bool stopping_ = false;
};

}  // namespace papo::pusher
