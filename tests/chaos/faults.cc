#include "tests/chaos/faults.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <thread>

#include "tests/chaos/poster.h"

namespace papo::chaos {

const std::vector<FaultKind>& AllFaultKinds() {
  static const std::vector<FaultKind> kinds = {
      FaultKind::kPusherKill,   FaultKind::kAppKill,     FaultKind::kPusherTerm,   FaultKind::kRedisRestart,
      FaultKind::kRedisKill,    FaultKind::kNginxReload, FaultKind::kPusherFreeze, FaultKind::kDiskFull,
  };
  return kinds;
}

const char* FaultName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kPusherKill: return "pusher kill -9";
    case FaultKind::kAppKill: return "papo-app kill -9";
    case FaultKind::kPusherTerm: return "pusher SIGTERM";
    case FaultKind::kRedisRestart: return "redis restart";
    case FaultKind::kRedisKill: return "redis kill -9";
    case FaultKind::kNginxReload: return "nginx reload";
    case FaultKind::kPusherFreeze: return "pusher SIGSTOP";
    case FaultKind::kDiskFull: return "disk full";
  }
  return "?";
}

DiskFiller::DiskFiller(std::string dir) : path_(std::move(dir) + "/chaos-filler") {
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  static const std::string block(1 << 20, '\0');
  // Big blocks, then small ones for the last pages.
  for (size_t size : {block.size(), size_t{4096}, size_t{1}}) {
    while (true) {
      ssize_t n = ::write(fd, block.data(), size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (errno == ENOSPC) full_ = true;
        break;
      }
    }
  }
  ::close(fd);
}

DiskFiller::~DiskFiller() { ::unlink(path_.c_str()); }

bool Injector::Restarted(Role role, int index, int seen) { return stack_.WaitRestart(role, index, seen, 20000); }

Fault Injector::Inject(FaultKind kind, int target) {
  Fault fault;
  fault.kind = kind;
  fault.target = target;
  fault.start = std::chrono::steady_clock::now();
  auto signal_and_wait = [&](Role role, int index, int signal) {
    int seen = stack_.restarts(role, index);
    fault.ok = stack_.Signal(role, index, signal) && Restarted(role, index, seen);
  };
  switch (kind) {
    case FaultKind::kPusherKill: signal_and_wait(Role::kPusher, target, SIGKILL); break;
    case FaultKind::kAppKill: {
      // With posts in flight: wait (a little) until some are.
      auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      while (PostsInFlight() < 2 && std::chrono::steady_clock::now() < until) std::this_thread::yield();
      fault.in_flight = PostsInFlight();
      fault.start = std::chrono::steady_clock::now();
      signal_and_wait(Role::kApp, target, SIGKILL);
      break;
    }
    case FaultKind::kPusherTerm: signal_and_wait(Role::kPusher, target, SIGTERM); break;
    case FaultKind::kRedisRestart: signal_and_wait(Role::kRedis, 0, SIGTERM); break;
    case FaultKind::kRedisKill: signal_and_wait(Role::kRedis, 0, SIGKILL); break;
    case FaultKind::kNginxReload: fault.ok = stack_.Signal(Role::kNginx, 0, SIGHUP); break;
    case FaultKind::kPusherFreeze:
      fault.ok = stack_.Signal(Role::kPusher, target, SIGSTOP);
      std::this_thread::sleep_for(options_.hold);
      fault.ok = stack_.Signal(Role::kPusher, target, SIGCONT) && fault.ok;
      break;
    case FaultKind::kDiskFull: {
      DiskFiller filler(options_.disk_dir);
      fault.ok = filler.full();
      std::this_thread::sleep_for(options_.hold);
      break;
    }
  }
  fault.end = std::chrono::steady_clock::now();
  if (!fault.ok) std::fprintf(stderr, "chaos: fault '%s' (target %d) did not go as planned\n", FaultName(kind), target);
  return fault;
}

void Injector::Run(const std::atomic<bool>& stop) {
  auto wait = [&] {
    auto until = std::chrono::steady_clock::now() + options_.gap;
    while (!stop && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return !stop;
  };
  if (!wait()) return;
  for (int round = 0;; ++round) {
    for (FaultKind kind : AllFaultKinds()) {
      if (kind == FaultKind::kDiskFull && options_.disk_dir.empty()) continue;
      int count = kind == FaultKind::kAppKill ? stack_.count(Role::kApp) : stack_.count(Role::kPusher);
      std::fprintf(stderr, "chaos: %s (target %d)\n", FaultName(kind), round % count);
      faults_.push_back(Inject(kind, round % count));
      if (!wait()) return;
    }
  }
}

}  // namespace papo::chaos
