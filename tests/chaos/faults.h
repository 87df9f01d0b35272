// The faults the chaos suite injects, one after another while traffic
// flows: each is a signal to one process (the supervisor restarts what
// died), an nginx reload, a pusher frozen for a few seconds, or the
// database's disk full for a few seconds.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "tests/chaos/chaos_stack.h"

namespace papo::chaos {

enum class FaultKind {
  kPusherKill,      // kill -9 of a pusher
  kAppKill,         // kill -9 of a papo-app, with posts in flight
  kPusherTerm,      // SIGTERM of a pusher: it drains, exits, is restarted
  kRedisRestart,    // SIGTERM of redis-server, restarted
  kRedisKill,       // kill -9 of redis-server, restarted (AOF everysec)
  kNginxReload,     // SIGHUP to nginx's master
  kPusherFreeze,    // SIGSTOP of a pusher, SIGCONT a few seconds later
  kDiskFull,        // the database's tmpfs filled, emptied a few seconds later
};

const std::vector<FaultKind>& AllFaultKinds();
const char* FaultName(FaultKind kind);

struct Fault {
  FaultKind kind;
  int target = 0;  // which papo-app or pusher
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point end;  // healthy again: restarted, resumed, disk freed
  bool ok = true;                              // false: the process was not back in time
  int in_flight = 0;                           // posts unanswered when a papo-app was killed
};

struct InjectorOptions {
  std::chrono::milliseconds gap{6000};    // quiet time between two faults
  std::chrono::milliseconds hold{3000};   // how long a freeze or a full disk lasts
  std::string disk_dir;                   // "" = no disk-full fault (PostgreSQL)
};

class Injector final {
 public:
  Injector(ChaosStack& stack, InjectorOptions options) : stack_(stack), options_(std::move(options)) {}
  // Injects faults in AllFaultKinds() order, cycling, until `stop`. The
  // first comes after one gap.
  void Run(const std::atomic<bool>& stop);
  const std::vector<Fault>& faults() const { return faults_; }

 private:
  Fault Inject(FaultKind kind, int target);
  bool Restarted(Role role, int index, int seen);

  ChaosStack& stack_;
  InjectorOptions options_;
  std::vector<Fault> faults_;
};

// Fills the filesystem of `dir` with a file until it says ENOSPC; removes
// the file when destroyed.
class DiskFiller final {
 public:
  explicit DiskFiller(std::string dir);
  ~DiskFiller();
  DiskFiller(const DiskFiller&) = delete;
  DiskFiller& operator=(const DiskFiller&) = delete;
  bool full() const { return full_; }

 private:
  std::string path_;
  bool full_ = false;
};

}  // namespace papo::chaos
