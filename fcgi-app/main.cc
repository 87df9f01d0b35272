// papo-app: the FastCGI worker process (DESIGN §1). Run any number of them;
// each serves PAPO_WORKER_THREADS requests at once.
#include <signal.h>
#include <sodium.h>

#include <cstdio>
#include <thread>
#include <vector>

#include "common/config.h"
#include "common/log.h"
#include "common/time_format.h"
#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/open_database.h"
#include "fcgi-app/fcgi_server.h"
#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/worker.h"

namespace {

int Fail(const papo::Status& status, const char* what) {
  std::fprintf(stderr, "papo-app: %s: %s\n", what, status.message().c_str());
  papo::Log(papo::LogLevel::kError, "startup_failed").Kv("step", what).Kv("error", status.message());
  return 2;
}

}  // namespace

int main() {
  papo::SetLogComponent("papo-app");
  papo::InitTimeZone();
  auto config = papo::Config::FromEnvironment();
  if (!config.ok()) return Fail(config.status(), "configuration");
  papo::LogLevel level;
  if (papo::ParseLogLevel(config->log_level, level)) papo::SetLogLevel(level);
  if (sodium_init() < 0) return Fail(papo::Status::Internal("sodium_init failed"), "libsodium");

  // Signals are taken by sigwait below; every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  {
    auto db = papo::OpenDatabase(*config);
    if (!db.ok()) return Fail(db.status(), "PAPO_DB");
    auto version = papo::ApplyMigrations(**db);
    if (!version.ok()) return Fail(version.status(), "migrations");
  }

  papo::RepublishQueue republish_queue;
  auto writer_db = papo::OpenDatabase(*config);
  if (!writer_db.ok()) return Fail(writer_db.status(), "PAPO_DB");
  papo::MessageWriter writer(std::move(writer_db).value());
  std::vector<std::unique_ptr<papo::Worker>> workers;
  for (int i = 0; i < config->worker_threads; ++i) {
    auto worker = papo::Worker::Create(*config, writer, republish_queue);
    if (!worker.ok()) return Fail(worker.status(), "worker");
    workers.push_back(std::move(worker).value());
  }
  auto republisher = papo::RepublisherWorker::Create(*config, republish_queue);
  if (!republisher.ok()) return Fail(republisher.status(), "republisher");

  auto server = papo::FcgiServer::Listen(config->fcgi_listen);
  if (!server.ok()) return Fail(server.status(), "listen");

  papo::Router router(papo::AppRoutes());
  std::vector<std::thread> threads;
  for (auto& worker : workers) {
    threads.emplace_back([&server, &router, &worker] { (*server)->ServeThread(*worker, router); });
  }
  std::thread republisher_thread([&republisher] { (*republisher)->republisher().Run(); });
  papo::Log(papo::LogLevel::kInfo, "app_started")
      .Kv("listen", config->fcgi_listen)
      .Kv("threads", config->worker_threads)
      .Kv("db", papo::RedactedDatabaseTarget(config->db_path));

  int received = 0;
  sigwait(&signals, &received);
  papo::Log(papo::LogLevel::kInfo, "app_stopping").Kv("signal", received);
  (*server)->Shutdown();
  republish_queue.Stop();
  for (auto& thread : threads) thread.join();
  republisher_thread.join();
  papo::Log(papo::LogLevel::kInfo, "app_stopped");
  return 0;
}
