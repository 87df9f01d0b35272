// Process: a server the test starts (fork + exec) and stops by its PID —
// never by name — with stdout and stderr going to a log file.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace papo::testing {

// How the child runs, besides its argv and environment.
struct ProcessOptions {
  struct User {
    uid_t uid;
    gid_t gid;
  };
  // Run as this user and group: the child drops to them (setgroups, setgid,
  // setuid) and changes to "/" before exec, so the PID the test holds is the
  // server's own (no su in between). REQUIRES: the test runs as root.
  std::optional<User> run_as;
  // Sent to the child by the kernel when the thread that started it exits
  // (PR_SET_PDEATHSIG), so a test binary killed by a timeout leaves no server
  // behind. 0: none. REQUIRES: that thread outlives the Process (e.g. main).
  int parent_death_signal = 0;
};

class Process final {
 public:
  Process() = default;
  // Starts argv[0] (a path) with the current environment plus `env`.
  Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
          const std::string& log_path, const ProcessOptions& options = {});
  ~Process();  // Stop()
  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  // `signal` (SIGTERM; PostgreSQL's fast shutdown is SIGINT), wait up to
  // `grace`, then SIGKILL. Returns the exit status (as waitpid gives it), or
  // -1 when nothing was running or it had to be killed.
  int Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000), int signal = SIGTERM);
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
