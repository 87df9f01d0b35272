// Stack: the whole papo deployment for one test — a real redis-server,
// papo-app worker processes, papo-pusher processes and nginx with the
// project's config — on free ports and unix sockets under a TempDir, with
// papo's database in SQLite (a file there) or in PostgreSQL (a PgServer of
// its own, DESIGN §7). Everything is stopped by PID when the Stack is
// destroyed.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/nginx_server.h"
#include "tests/support/pg_server.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {

enum class Backend { kSqlite, kPostgres };

// The backend the integration suites run on: $PAPO_TEST_DB, "sqlite" (the
// default) or "postgres" (ctest runs every suite again as pg.*). Throws
// std::invalid_argument on another value.
Backend BackendFromEnvironment();

struct StackOptions {
  int app_processes = 1;
  int app_threads = 4;
  int pushers = 1;  // 0: no pusher (nginx answers 502 on /chat/stream)
  int nginx_workers = 1;
  // Extra environment for papo-app and papo-pusher (CHAT_*, PAPO_*).
  // CHAT_IP_RATE_LIMIT is 0 unless set here: tests register and log in
  // many users from 127.0.0.1. nginx's per-address limits follow it, as
  // deploy/render-nginx-conf's do.
  std::map<std::string, std::string> env;
  Backend backend = BackendFromEnvironment();
  // Shared servers, for two Stacks ("sites") on one PostgreSQL and one
  // Redis: when set, the Stack starts no server of its own and passes these
  // as PAPO_DB (whatever the backend) and PAPO_REDIS_URL. The caller owns
  // those servers and keeps them running for the Stack's life.
  std::string database_uri = "";  // e.g. PgServer::FreshDatabase(), or another Stack's db_uri()
  std::string redis_url = "";     // e.g. RedisServer::url()
};

// Options for suites that need no pusher (nginx answers 502 on the stream).
// The backend is still BackendFromEnvironment().
inline StackOptions WithoutPusher(std::map<std::string, std::string> env = {}) {
  StackOptions options;
  options.pushers = 0;
  options.env = std::move(env);
  return options;
}

// PAPO_DB for a test that starts papo-app itself, without a Stack: a new
// SQLite file in `dir`, or a fresh database on PgServer::Shared().
std::string FreshAppDatabase(const TempDir& dir, Backend backend = BackendFromEnvironment());

class Stack final {
 public:
  explicit Stack(StackOptions options = {});
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  int port() const { return nginx_->port(); }  // nginx, 127.0.0.1
  // REQUIRES: the Stack runs its own redis-server (no options.redis_url).
  RedisServer& redis();
  std::string redis_url() const;
  const std::string& dir() const { return dir_.path(); }
  // The SQLite file papo-app uses with the SQLite backend (and no
  // options.database_uri).
  std::string db_path() const { return dir_.File("papo.db"); }
  // What papo-app gets as PAPO_DB: db_path(), the Stack's PgServer's Uri(),
  // or options.database_uri.
  std::string db_uri() const;
  Backend backend() const { return options_.backend; }
  // The Stack's own PostgreSQL (for outage tests: Stop, Start, Kill);
  // nullptr with SQLite or with options.database_uri.
  PgServer* pg() { return pg_.get(); }

  std::string AppSocket(int index) const;
  std::string PusherSocket(int index) const;
  Process& app(int index) { return apps_.at(index); }
  Process& pusher(int index) { return pushers_.at(index); }

  void StartApp(int index);
  void StopApp(int index) { apps_.at(index).Stop(); }
  void StartPusher(int index);
  void StopPusher(int index) { pushers_.at(index).Stop(); }
  void KillPusher(int index) { pushers_.at(index).Kill(); }

  // The tail of every server log (PostgreSQL's too), for failure messages.
  std::string Logs() const;

 private:
  std::map<std::string, std::string> BaseEnv() const;

  StackOptions options_;
  TempDir dir_;
  std::unique_ptr<PgServer> pg_;
  std::unique_ptr<RedisServer> redis_;
  std::vector<Process> apps_;
  std::vector<Process> pushers_;
  std::unique_ptr<NginxServer> nginx_;
};

}  // namespace papo::testing
