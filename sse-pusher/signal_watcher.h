// SignalWatcher: delivers SIGTERM, SIGINT and SIGHUP through a signalfd
// watched by the event loop, so signal handling is ordinary loop code (no
// async-signal-safety puzzles).
//
// REQUIRES: the signals are blocked in every thread (BlockSignals() before
// any thread starts), otherwise the default action still kills the process.
#pragma once

#include <functional>
#include <memory>

#include "common/result.h"
#include "common/unique_fd.h"
#include "sse-pusher/event_loop.h"

namespace papo::pusher {

class SignalWatcher final : public IoHandler {
 public:
  using Handler = std::function<void(int signal_number)>;

  // Blocks SIGTERM, SIGINT, SIGHUP for the calling thread (and the threads
  // it starts later) and ignores SIGPIPE.
  static Status BlockSignals();

  // `loop` must outlive the watcher.
  static Result<std::unique_ptr<SignalWatcher>> Create(EventLoop& loop, Handler handler);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  void OnReadable() override;
  void OnWritable() override {}

 private:
  SignalWatcher(EventLoop& loop, UniqueFd fd, Handler handler)
      : loop_(loop), fd_(std::move(fd)), handler_(std::move(handler)) {}

  EventLoop& loop_;
  UniqueFd fd_;
  Handler handler_;
};

}  // namespace papo::pusher
