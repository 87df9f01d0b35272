#include "sse-pusher/signal_watcher.h"

#include <signal.h>
#include <sys/signalfd.h>

#include <cerrno>

#include "common/log.h"

namespace papo::pusher {
namespace {

sigset_t WatchedSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

Status SignalWatcher::BlockSignals() {
  sigset_t set = WatchedSignals();
  if (int error = pthread_sigmask(SIG_BLOCK, &set, nullptr); error != 0) {
    return Status::FromErrno("pthread_sigmask", error);
  }
  // Writes use MSG_NOSIGNAL; this also covers anything that does not.
  signal(SIGPIPE, SIG_IGN);
  return Status::Ok();
}

Result<std::unique_ptr<SignalWatcher>> SignalWatcher::Create(EventLoop& loop, Handler handler) {
  sigset_t set = WatchedSignals();
  int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return Status::FromErrno("signalfd", errno);
  std::unique_ptr<SignalWatcher> watcher(new SignalWatcher(loop, UniqueFd(fd), std::move(handler)));
  PAPO_RETURN_IF_ERROR(loop.Watch(fd, EventLoop::kReadable, watcher.get()));
  return watcher;
}

SignalWatcher::~SignalWatcher() { loop_.Unwatch(fd_.get()); }

void SignalWatcher::OnReadable() {
  struct signalfd_siginfo info;
  while (read(fd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    Log(LogLevel::kInfo, "pusher_signal").Kv("signal", static_cast<int64_t>(info.ssi_signo));
    handler_(static_cast<int>(info.ssi_signo));
  }
}

}  // namespace papo::pusher
