#include "bench_test_support.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/support/nginx_server.h"

namespace papo::bench::testing {

void ChildProcess::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string StartNchan(const TempDir& dir, int workers, NchanServer& server) {
  if (access("/usr/sbin/nginx", X_OK) != 0) return "nginx is not installed (deploy/setup --tests)";
  if (access("/usr/lib/nginx/modules/ngx_nchan_module.so", R_OK) != 0) {
    return "libnginx-mod-nchan is not installed (deploy/setup --tests)";
  }
  server.port = FreePort();
  std::string config = papo::testing::RenderNginxConf(papo::testing::ReadFile(PAPO_BENCH_NCHAN_TEMPLATE),
                                                      {{"WORKERS", std::to_string(workers)},
                                                       {"RUN_DIR", dir.path()},
                                                       {"PORT", std::to_string(server.port)},
                                                       {"HEARTBEAT", "15"},
                                                       {"REDIS_UPSTREAM", ""},
                                                       {"REDIS_PASS", ""}});
  std::string path = dir.path() + "/nchan.conf";
  papo::testing::WriteFile(path, config);
  server.process = papo::testing::Process({"/usr/sbin/nginx", "-p", dir.path(), "-c", path}, {},
                                          dir.path() + "/nchan.log");
  if (!papo::testing::WaitForTcp(server.port)) return "nginx did not start (see " + dir.path() + "/nchan.log)";
  return "";
}

}  // namespace papo::bench::testing
