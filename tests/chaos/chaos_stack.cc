#include "tests/chaos/chaos_stack.h"

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <stdexcept>

#include "tests/support/net.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace papo::chaos {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kApp: return "papo-app";
    case Role::kPusher: return "papo-pusher";
    case Role::kRedis: return "redis-server";
    case Role::kNginx: return "nginx";
  }
  return "?";
}

namespace {
// Sent by the kernel to a server when the supervisor thread that started it
// ends.
constexpr int kParentDeath = SIGKILL;
// nginx's master must take its workers with it: a fast shutdown, not SIGKILL.
constexpr int kNginxParentDeath = SIGTERM;
}  // namespace

ChaosStack::ChaosStack(ChaosStackOptions options) : options_(std::move(options)), redis_port_(testing::FreePort()) {
  if (options_.postgres) pg_ = std::make_unique<testing::PgServer>();
  apps_.resize(options_.apps);
  pushers_.resize(options_.pushers);
  std::promise<std::string> started;
  supervising_ = true;
  supervisor_ = std::thread([this, &started] {
    std::string error;
    try {
      StartAll();
    } catch (const std::exception& failure) {
      error = failure.what();
    }
    started.set_value(error);
    if (error.empty()) Supervise();
  });
  std::string error = started.get_future().get();
  if (!error.empty()) {
    StopSupervisor();
    throw std::runtime_error(error);
  }
}

void ChaosStack::StartAll() {
  std::lock_guard lock(mutex_);
  Start(Role::kRedis, 0);
  // One papo-app at a time: the first one creates the schema.
  for (int i = 0; i < options_.apps; ++i) Start(Role::kApp, i);
  for (int i = 0; i < options_.pushers; ++i) Start(Role::kPusher, i);
  testing::NginxOptions nginx;
  nginx.run_dir = options_.run_dir;
  nginx.parent_death_signal = kNginxParentDeath;
  for (int i = 0; i < options_.apps; ++i) nginx.app_sockets.push_back(options_.run_dir + "/app-" + std::to_string(i) + ".sock");
  for (int i = 0; i < options_.pushers; ++i) nginx.pusher_sockets.push_back(options_.run_dir + "/pusher-" + std::to_string(i) + ".sock");
  nginx_ = std::make_unique<testing::NginxServer>(nginx);
}

ChaosStack::~ChaosStack() {
  StopSupervisor();
  // Already gone with the supervisor thread; this reaps them.
  nginx_.reset();
  for (auto& pusher : pushers_) pusher.process.Stop();
  for (auto& app : apps_) app.process.Stop();
  redis_.process.Stop();
  pg_.reset();
}

std::string ChaosStack::db_uri() const { return pg_ ? pg_->Uri() : options_.db_dir + "/papo.db"; }

int ChaosStack::count(Role role) const {
  switch (role) {
    case Role::kApp: return options_.apps;
    case Role::kPusher: return options_.pushers;
    default: return 1;
  }
}

std::map<std::string, std::string> ChaosStack::Env() const {
  std::map<std::string, std::string> env = {
      {"PAPO_DB", db_uri()},
      {"PAPO_REDIS_URL", "redis://127.0.0.1:" + std::to_string(redis_port_) + "/0"},
      {"PAPO_LOG_LEVEL", "info"},
  };
  for (const auto& [name, value] : options_.env) env[name] = value;
  return env;
}

ChaosStack::Slot& ChaosStack::slot(Role role, int index) {
  switch (role) {
    case Role::kApp: return apps_.at(index);
    case Role::kPusher: return pushers_.at(index);
    default: return redis_;
  }
}

void ChaosStack::Start(Role role, int index) {
  const std::string& dir = options_.run_dir;
  auto env = Env();
  testing::ProcessOptions process_options;
  process_options.parent_death_signal = kParentDeath;
  switch (role) {
    case Role::kRedis: {
      // AOF fsynced every second: a kill -9 may lose the last second of the
      // cache (the database stays the truth; the republisher repairs holes).
      redis_.process = testing::Process(
          {"/usr/bin/redis-server", "--port", std::to_string(redis_port_), "--bind", "127.0.0.1", "--save", "",
           "--appendonly", "yes", "--appendfsync", "everysec", "--dir", dir, "--daemonize", "no", "--loglevel",
           "warning"},
          {}, dir + "/redis.log", process_options);
      if (!testing::WaitForTcp(redis_port_)) throw std::runtime_error("redis-server did not start:\n" + Logs());
      return;
    }
    case Role::kApp: {
      std::string socket = dir + "/app-" + std::to_string(index) + ".sock";
      env["PAPO_FCGI_LISTEN"] = socket;
      env["PAPO_WORKER_THREADS"] = "4";
      apps_.at(index).process =
          testing::Process({testing::AppBinary()}, env, dir + "/app-" + std::to_string(index) + ".log",
                           process_options);
      if (!testing::WaitForUnixSocket(socket)) throw std::runtime_error("papo-app did not start:\n" + Logs());
      return;
    }
    case Role::kPusher: {
      std::string socket = dir + "/pusher-" + std::to_string(index) + ".sock";
      env["PAPO_PUSHER_LISTEN"] = socket;
      env["PAPO_PUSHER_ID"] = "pusher-" + std::to_string(index);
      if (!env.count("PAPO_PUSHER_DRAIN_MS")) env["PAPO_PUSHER_DRAIN_MS"] = "1000";
      pushers_.at(index).process =
          testing::Process({testing::PusherBinary()}, env, dir + "/pusher-" + std::to_string(index) + ".log",
                           process_options);
      if (!testing::WaitForUnixSocket(socket)) throw std::runtime_error("papo-pusher did not start:\n" + Logs());
      return;
    }
    case Role::kNginx:
      nginx_->Start();
      return;
  }
}

void ChaosStack::StopSupervisor() {
  supervising_ = false;
  if (supervisor_.joinable()) supervisor_.join();
}

void ChaosStack::Supervise() {
  while (supervising_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    std::lock_guard lock(mutex_);
    // Redis first: the others' start-up does not need it, but it is what
    // they all reconnect to.
    try {
      if (!redis_.process.Running()) {
        Start(Role::kRedis, 0);
        ++redis_.restarts;
      }
      for (int i = 0; i < options_.apps; ++i) {
        if (!apps_[i].process.Running()) {
          Start(Role::kApp, i);
          ++apps_[i].restarts;
        }
      }
      for (int i = 0; i < options_.pushers; ++i) {
        if (!pushers_[i].process.Running()) {
          Start(Role::kPusher, i);
          ++pushers_[i].restarts;
        }
      }
      if (!nginx_->running()) {
        nginx_->Start();
        ++nginx_restarts_;
      }
    } catch (const std::exception& error) {
      // systemd would try again: so does the next round.
      std::fprintf(stderr, "chaos: supervisor: %s\n", error.what());
    }
  }
}

bool ChaosStack::Signal(Role role, int index, int signal) {
  std::lock_guard lock(mutex_);
  pid_t pid = role == Role::kNginx ? nginx_->pid() : slot(role, index).process.pid();
  if (pid <= 0) return false;
  return ::kill(pid, signal) == 0;
}

int ChaosStack::restarts(Role role, int index) {
  std::lock_guard lock(mutex_);
  return role == Role::kNginx ? nginx_restarts_ : slot(role, index).restarts;
}

bool ChaosStack::WaitRestart(Role role, int index, int seen, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (restarts(role, index) > seen) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string ChaosStack::Logs() const {
  std::string out;
  for (const auto& entry : std::filesystem::directory_iterator(options_.run_dir)) {
    if (entry.path().extension() != ".log") continue;
    std::string text = testing::ReadFile(entry.path());
    if (text.size() > 3000) text = "…" + text.substr(text.size() - 3000);
    out += "==> " + entry.path().filename().string() + " <==\n" + text + "\n";
  }
  std::string nginx = testing::ReadFile(options_.run_dir + "/logs/nginx-error.log");
  if (nginx.size() > 3000) nginx = "…" + nginx.substr(nginx.size() - 3000);
  out += "==> nginx-error.log <==\n" + nginx;
  if (pg_) out += pg_->Logs();
  return out;
}

}  // namespace papo::chaos
