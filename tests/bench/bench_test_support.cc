#include "bench_test_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace papo::bench::testing {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string FindBinary(const std::vector<std::string>& candidates) {
  for (const auto& path : candidates) {
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

}  // namespace

TempDir::TempDir() {
  char pattern[] = "/tmp/papo-bench-test-XXXXXX";
  path_ = mkdtemp(pattern);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = Loopback(0);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

bool WaitForPort(int port, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = Loopback(port);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    close(fd);
    if (ok) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool ChildProcess::Spawn(const std::vector<std::string>& argv, const std::string& log_path) {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(log, 1);
    dup2(log, 2);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  pid_ = pid;
  return true;
}

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
  std::string nginx = FindBinary({"/usr/sbin/nginx", "/usr/bin/nginx"});
  if (nginx.empty()) return "nginx is not installed";
  if (access("/usr/lib/nginx/modules/ngx_nchan_module.so", R_OK) != 0) return "libnginx-mod-nchan is not installed";
  std::ifstream in(PAPO_BENCH_NCHAN_TEMPLATE);
  std::stringstream text;
  text << in.rdbuf();
  server.port = FreePort();
  std::string config = text.str();
  config = Replace(config, "@WORKERS@", std::to_string(workers));
  config = Replace(config, "@RUN_DIR@", dir.path());
  config = Replace(config, "@PORT@", std::to_string(server.port));
  config = Replace(config, "@HEARTBEAT@", "15");
  config = Replace(config, "@REDIS_UPSTREAM@", "");
  config = Replace(config, "@REDIS_PASS@", "");
  std::string path = dir.path() + "/nchan.conf";
  std::ofstream(path) << config;
  if (!server.process.Spawn({nginx, "-p", dir.path(), "-c", path}, dir.path() + "/nchan.log")) {
    return "fork failed";
  }
  if (!WaitForPort(server.port, 10000)) return "nginx did not start (see " + dir.path() + "/nchan.log)";
  return "";
}

std::string StartRedis(const TempDir& dir, RedisTestServer& server) {
  std::string redis = FindBinary({"/usr/bin/redis-server", "/usr/local/bin/redis-server"});
  if (redis.empty()) return "redis-server is not installed";
  server.port = FreePort();
  if (!server.process.Spawn({redis, "--port", std::to_string(server.port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", dir.path()},
                            dir.path() + "/redis.log")) {
    return "fork failed";
  }
  if (!WaitForPort(server.port, 10000)) return "redis-server did not start";
  return "";
}

}  // namespace papo::bench::testing
