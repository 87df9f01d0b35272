// Helpers of the load generator's tests: a temporary directory, free
// loopback ports, and real servers (nginx with Nchan, redis-server) started
// on them and stopped by PID. A server whose binary or module is missing
// makes the test skip, never fail.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace papo::bench::testing {

class TempDir final {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A port that was free on 127.0.0.1 a moment ago.
int FreePort();

// Waits until 127.0.0.1:port accepts connections; false after timeout_ms.
bool WaitForPort(int port, int timeout_ms);

// A child process, killed (SIGTERM, then SIGKILL) and reaped on destruction.
class ChildProcess final {
 public:
  ChildProcess() = default;
  ~ChildProcess() { Stop(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Runs argv[0] (a path) with argv; stdout/stderr go to `log_path`.
  bool Spawn(const std::vector<std::string>& argv, const std::string& log_path);
  // Adopts a pid forked by the caller.
  void Adopt(pid_t pid) { pid_ = pid; }
  void Stop();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// nginx + Nchan from bench/nchan/nchan.conf.in, memory store.
struct NchanServer {
  ChildProcess process;
  int port = 0;
};
// Empty string when started; otherwise why the test should skip.
std::string StartNchan(const TempDir& dir, int workers, NchanServer& server);

struct RedisTestServer {
  ChildProcess process;
  int port = 0;
};
std::string StartRedis(const TempDir& dir, RedisTestServer& server);

}  // namespace papo::bench::testing
