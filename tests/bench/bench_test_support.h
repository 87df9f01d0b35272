// Helpers of the load generator's tests: the shared test support
// (tests/support: TempDir, FreePort, processes by PID, redis-server) plus a
// child adopted from a fork (the scripted fake server) and NGINX + Nchan.
// deploy/setup --tests installs nginx, the Nchan module and redis-server, so
// a missing one fails the test: it is never silently skipped.
#pragma once

#include <sys/types.h>

#include <string>

#include "tests/support/net.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace papo::bench::testing {

using papo::testing::FreePort;
using papo::testing::TempDir;

// A child forked by the caller (not exec'd), killed and reaped on destruction.
class ChildProcess final {
 public:
  ChildProcess() = default;
  ~ChildProcess() { Stop(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void Adopt(pid_t pid) { pid_ = pid; }
  void Stop();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// nginx + Nchan from bench/nchan/nchan.conf.in, memory store.
struct NchanServer {
  papo::testing::Process process;
  int port = 0;
};
// Empty string when started; otherwise what went wrong (the test fails).
std::string StartNchan(const TempDir& dir, int workers, NchanServer& server);

}  // namespace papo::bench::testing
