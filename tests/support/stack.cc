#include "tests/support/stack.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "tests/support/net.h"
#include "tests/support/paths.h"

namespace papo::testing {

Backend BackendFromEnvironment() {
  const char* value = std::getenv("PAPO_TEST_DB");
  std::string name = value != nullptr ? value : "";
  if (name.empty() || name == "sqlite") return Backend::kSqlite;
  if (name == "postgres") return Backend::kPostgres;
  throw std::invalid_argument("PAPO_TEST_DB=" + name + ": expected sqlite or postgres");
}

std::string FreshAppDatabase(const TempDir& dir, Backend backend) {
  if (backend == Backend::kPostgres) return PgServer::Shared().FreshDatabase();
  return dir.File("papo.db");
}

Stack::Stack(StackOptions options) : options_(std::move(options)) {
  if (options_.backend == Backend::kPostgres && options_.database_uri.empty()) pg_ = std::make_unique<PgServer>();
  if (options_.redis_url.empty()) redis_ = std::make_unique<RedisServer>(dir_.path());
  apps_.resize(options_.app_processes);
  for (int i = 0; i < options_.app_processes; ++i) StartApp(i);
  pushers_.resize(options_.pushers);
  for (int i = 0; i < options_.pushers; ++i) StartPusher(i);
  NginxOptions nginx;
  nginx.run_dir = dir_.path();
  nginx.worker_processes = options_.nginx_workers;
  for (int i = 0; i < options_.app_processes; ++i) nginx.app_sockets.push_back(AppSocket(i));
  for (int i = 0; i < options_.pushers; ++i) nginx.pusher_sockets.push_back(PusherSocket(i));
  auto env = BaseEnv();
  nginx.ip_rate_limit = std::stoi(env.at("CHAT_IP_RATE_LIMIT"));
  if (env.count("CHAT_MAX_STREAMS_PER_USER")) nginx.max_streams_per_user = std::stoi(env.at("CHAT_MAX_STREAMS_PER_USER"));
  nginx_ = std::make_unique<NginxServer>(nginx);
}

Stack::~Stack() {
  nginx_.reset();
  for (auto& pusher : pushers_) pusher.Stop();
  for (auto& app : apps_) app.Stop();
  redis_.reset();
  pg_.reset();
}

RedisServer& Stack::redis() {
  if (!redis_) throw std::logic_error("Stack::redis(): this Stack uses an external Redis (" + options_.redis_url + ")");
  return *redis_;
}

std::string Stack::redis_url() const { return redis_ ? redis_->url() : options_.redis_url; }

std::string Stack::db_uri() const {
  if (!options_.database_uri.empty()) return options_.database_uri;
  if (pg_) return pg_->Uri();
  return db_path();
}

std::string Stack::AppSocket(int index) const { return dir_.File("app-" + std::to_string(index) + ".sock"); }
std::string Stack::PusherSocket(int index) const { return dir_.File("pusher-" + std::to_string(index) + ".sock"); }

std::map<std::string, std::string> Stack::BaseEnv() const {
  std::map<std::string, std::string> env = {
      {"PAPO_DB", db_uri()},
      {"PAPO_REDIS_URL", redis_url()},
      {"PAPO_LOG_LEVEL", "info"},
      {"CHAT_IP_RATE_LIMIT", "0"},
  };
  for (const auto& [name, value] : options_.env) env[name] = value;
  return env;
}

void Stack::StartApp(int index) {
  auto env = BaseEnv();
  env["PAPO_FCGI_LISTEN"] = AppSocket(index);
  env["PAPO_WORKER_THREADS"] = std::to_string(options_.app_threads);
  apps_.at(index) = Process({AppBinary()}, env, dir_.File("app-" + std::to_string(index) + ".log"));
  if (!WaitForUnixSocket(AppSocket(index))) throw std::runtime_error("papo-app did not start:\n" + Logs());
}

void Stack::StartPusher(int index) {
  if (PusherBinary().empty()) throw std::runtime_error("papo-pusher is not built");
  auto env = BaseEnv();
  env["PAPO_PUSHER_LISTEN"] = PusherSocket(index);
  env["PAPO_PUSHER_ID"] = "pusher-" + std::to_string(index);
  // A pusher drains its streams over PAPO_PUSHER_DRAIN_MS on SIGTERM; keep
  // that well inside Process::Stop's grace period.
  if (!env.count("PAPO_PUSHER_DRAIN_MS")) env["PAPO_PUSHER_DRAIN_MS"] = "200";
  pushers_.at(index) = Process({PusherBinary()}, env, dir_.File("pusher-" + std::to_string(index) + ".log"));
  if (!WaitForUnixSocket(PusherSocket(index))) throw std::runtime_error("papo-pusher did not start:\n" + Logs());
}

std::string Stack::Logs() const {
  std::string out;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    if (entry.path().extension() != ".log") continue;
    std::string text = ReadFile(entry.path());
    if (text.size() > 4000) text = "…" + text.substr(text.size() - 4000);
    out += "==> " + entry.path().filename().string() + " <==\n" + text + "\n";
  }
  std::string nginx_errors = ReadFile(dir_.File("logs/nginx-error.log"));
  if (!nginx_errors.empty()) out += "==> nginx-error.log <==\n" + nginx_errors.substr(nginx_errors.size() > 4000 ? nginx_errors.size() - 4000 : 0);
  if (pg_) out += pg_->Logs();
  return out;
}

}  // namespace papo::testing
