// Stack: the whole papo deployment for one test — a real redis-server,
// papo-app worker processes, papo-pusher processes and nginx with the
// project's config — on free ports and unix sockets under a TempDir.
// Everything is stopped by PID when the Stack is destroyed.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/nginx_server.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {

struct StackOptions {
  int app_processes = 1;
  int app_threads = 4;
  int pushers = 1;  // 0: no pusher (nginx answers 502 on /chat/stream)
  int nginx_workers = 1;
  // Extra environment for papo-app and papo-pusher (CHAT_*, PAPO_*).
  std::map<std::string, std::string> env;
};

// Options for suites that need no pusher (nginx answers 502 on the stream).
inline StackOptions WithoutPusher(std::map<std::string, std::string> env = {}) {
  StackOptions options;
  options.pushers = 0;
  options.env = std::move(env);
  return options;
}

class Stack final {
 public:
  explicit Stack(StackOptions options = {});
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  int port() const { return nginx_->port(); }  // nginx, 127.0.0.1
  RedisServer& redis() { return *redis_; }
  const std::string& dir() const { return dir_.path(); }
  std::string db_path() const { return dir_.File("papo.db"); }

  std::string AppSocket(int index) const;
  std::string PusherSocket(int index) const;
  Process& app(int index) { return apps_.at(index); }
  Process& pusher(int index) { return pushers_.at(index); }

  void StartApp(int index);
  void StopApp(int index) { apps_.at(index).Stop(); }
  void StartPusher(int index);
  void StopPusher(int index) { pushers_.at(index).Stop(); }
  void KillPusher(int index) { pushers_.at(index).Kill(); }

  // The tail of every server log, for failure messages.
  std::string Logs() const;

 private:
  std::map<std::string, std::string> BaseEnv() const;

  StackOptions options_;
  TempDir dir_;
  std::unique_ptr<RedisServer> redis_;
  std::vector<Process> apps_;
  std::vector<Process> pushers_;
  std::unique_ptr<NginxServer> nginx_;
};

}  // namespace papo::testing
