// ChaosStack: the real papo stack for the chaos suite — redis-server with an
// append-only file, N papo-app processes, M papo-pusher processes and nginx
// with the project's config — plus a supervisor thread that restarts any of
// them that died, as systemd's Restart=always would. The SQLite database
// lives on a small tmpfs of its own (so the suite can fill that disk); with
// PostgreSQL the database is a PgServer the supervisor leaves alone.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/nginx_server.h"
#include "tests/support/pg_server.h"
#include "tests/support/process.h"

namespace papo::chaos {

enum class Role { kApp, kPusher, kRedis, kNginx };

struct ChaosStackOptions {
  std::string run_dir;  // logs, sockets, Redis's AOF, nginx's files
  std::string db_dir;   // the tmpfs that holds the SQLite file
  bool postgres = false;
  int apps = 2;
  int pushers = 2;
  // Extra environment for papo-app and papo-pusher.
  std::map<std::string, std::string> env;
};

class ChaosStack final {
 public:
  // Starts everything, then supervises; throws on failure. Every process is
  // started by the supervisor thread with PR_SET_PDEATHSIG, so none outlives
  // it: not even when papo_chaos itself is killed (Ctrl-C, a CI timeout).
  explicit ChaosStack(ChaosStackOptions options);
  ~ChaosStack();  // stops the supervisor: every process goes with it
  ChaosStack(const ChaosStack&) = delete;
  ChaosStack& operator=(const ChaosStack&) = delete;

  int port() const { return nginx_->port(); }
  std::string db_uri() const;
  bool postgres() const { return options_.postgres; }
  int count(Role role) const;

  // Ends supervision (and so every process).
  void StopSupervisor();
  // Sends `signal` to the process now running as (role, index); false when
  // none runs. Safe while the supervisor runs.
  bool Signal(Role role, int index, int signal);
  // How many times the supervisor restarted (role, index).
  int restarts(Role role, int index);
  // Waits until the supervisor restarted (role, index) more than `seen` times.
  bool WaitRestart(Role role, int index, int seen, int timeout_ms);
  // The tail of every log, for failure messages.
  std::string Logs() const;

 private:
  struct Slot {
    testing::Process process;
    int restarts = 0;
  };
  Slot& slot(Role role, int index);
  void Start(Role role, int index);  // REQUIRES: mutex_ held
  void StartAll();  // REQUIRES: on the supervisor thread
  void Supervise();
  std::map<std::string, std::string> Env() const;

  ChaosStackOptions options_;
  int redis_port_;
  std::unique_ptr<testing::PgServer> pg_;
  std::vector<Slot> apps_;
  std::vector<Slot> pushers_;
  Slot redis_;
  std::unique_ptr<testing::NginxServer> nginx_;
  int nginx_restarts_ = 0;

  std::mutex mutex_;
  std::atomic<bool> supervising_{false};
  std::thread supervisor_;
};

const char* RoleName(Role role);

}  // namespace papo::chaos
