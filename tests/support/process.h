// Process: a server the test starts (fork + exec) and stops by its PID —
// never by name — with stdout and stderr going to a log file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace papo::testing {

class Process final {
 public:
  Process() = default;
  // Starts argv[0] (a path) with the current environment plus `env`.
  Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
          const std::string& log_path);
  ~Process();  // Stop()
  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit status
  // (as waitpid gives it), or -1 when nothing was running.
  int Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
  // SIGKILL and reap (a crash, as far as peers can tell).
  void Kill();
  void Signal(int signal);
  // Waits for the process to exit by itself; -1 on timeout.
  int WaitExit(std::chrono::milliseconds timeout);
  const std::string& log_path() const { return log_path_; }

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

}  // namespace papo::testing
