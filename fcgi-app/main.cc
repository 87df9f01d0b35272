// papo-app: the FastCGI worker process (DESIGN §1). Run any number of them;
// each serves PAPO_WORKER_THREADS requests at once. `papo-app --copy-to
// <postgresql URI>` instead copies the SQLite database PAPO_DB into an empty
// PostgreSQL database and exits (DESIGN §7, fcgi-app/db/copy_to_postgres.h).
#include <signal.h>
#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/config.h"
#include "common/log.h"
#include "common/time_format.h"
#include "fcgi-app/db/copy_to_postgres.h"
#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/open_database.h"
#include "fcgi-app/db/postgres/pg_database.h"
#include "fcgi-app/fcgi_server.h"
#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/redis/redis_session_feed.h"
#include "fcgi-app/worker.h"

namespace {

int Fail(const papo::Status& status, const char* what) {
  std::fprintf(stderr, "papo-app: %s: %s\n", what, status.message().c_str());
  papo::Log(papo::LogLevel::kError, "startup_failed").Kv("step", what).Kv("error", status.message());
  return 2;
}

constexpr char kUsage[] =
    "usage: papo-app\n"
    "         serves FastCGI; configured by the environment (PAPO_DB, PAPO_FCGI_LISTEN, ...)\n"
    "       papo-app --copy-to <postgresql URI>\n"
    "         copies the SQLite database PAPO_DB into an empty PostgreSQL database, keeping\n"
    "         every id, seq, session, membership and read position, and verifies the copy.\n"
    "         Stop every papo-app that uses PAPO_DB first: messages sent during the copy\n"
    "         are not copied.\n";

struct Arguments {
  bool help = false;
  std::optional<std::string> copy_to;
};

// false for an argument papo-app does not know, or one given twice.
bool ParseArguments(int argc, char** argv, Arguments& arguments) {
  constexpr std::string_view kCopyTo = "--copy-to";
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    std::optional<std::string> value;
    if (argument == "--help" || argument == "-h") {
      arguments.help = true;
      continue;
    }
    if (argument == kCopyTo && i + 1 < argc) {
      value = argv[++i];
    } else if (argument.starts_with(kCopyTo) && argument.substr(kCopyTo.size()).starts_with('=')) {
      value = std::string(argument.substr(kCopyTo.size() + 1));
    }
    if (!value || value->empty() || arguments.copy_to) return false;
    arguments.copy_to = std::move(value);
  }
  return true;
}

// papo-app --copy-to: 0 when copied and verified, 1 when the copy failed
// (the target is as it was), 2 for a wrong PAPO_DB or URI.
int CopyTo(const papo::Config& config, const std::string& uri) {
  if (papo::IsPostgresUri(config.db_path)) {
    std::fprintf(stderr,
                 "papo-app: --copy-to reads the SQLite file named by PAPO_DB, but PAPO_DB is already a "
                 "PostgreSQL URI (%s)\n",
                 papo::RedactedDatabaseTarget(config.db_path).c_str());
    return 2;
  }
  if (!papo::IsPostgresUri(uri)) {
    std::fprintf(stderr, "papo-app: --copy-to needs a postgresql:// URI, not \"%s\"\n", uri.c_str());
    return 2;
  }
  const std::string target = papo::RedactedDatabaseTarget(uri);
  std::fprintf(stderr, "papo-app: copying %s to %s (the papo-app workers using it must be stopped)\n",
               config.db_path.c_str(), target.c_str());
  auto report = papo::CopyToPostgres(config.db_path, uri, std::cerr);
  if (!report.ok()) {
    std::fprintf(stderr, "papo-app: --copy-to failed, no row was copied: %s\n", report.status().message().c_str());
    papo::Log(papo::LogLevel::kError, "copy_to_failed").Kv("error", report.status().message());
    return 1;
  }
  std::printf("papo-app: copied %s to %s in %.1f s; row counts verified:\n", config.db_path.c_str(),
              target.c_str(), report->seconds);
  for (const auto& [table, rows] : report->rows) {
    std::printf("  %-14s %lld\n", table.c_str(), static_cast<long long>(rows));
  }
  papo::Log(papo::LogLevel::kInfo, "copy_to_done")
      .Kv("db", target)
      .Kv("ms", static_cast<int64_t>(report->seconds * 1000));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  papo::SetLogComponent("papo-app");
  papo::InitTimeZone();
  Arguments arguments;
  if (!ParseArguments(argc, argv, arguments)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (arguments.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  auto config = papo::Config::FromEnvironment();
  if (!config.ok()) return Fail(config.status(), "configuration");
  papo::LogLevel level;
  if (papo::ParseLogLevel(config->log_level, level)) papo::SetLogLevel(level);
  if (arguments.copy_to) return CopyTo(*config, *arguments.copy_to);
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
    // Before serving: a commit a killed predecessor left unpublished is
    // discarded now, not found by some later recovery (db/sqlite/wal_tail.h).
    auto swept = (*db)->SweepInterruptedCommit();
    if (!swept.ok()) return Fail(swept.status(), "PAPO_DB");
  }

  papo::RepublishQueue republish_queue;
  // Sessions looked up lately, kept while the feed follows every logout.
  papo::SessionCache session_cache;
  papo::RedisSessionFeed session_feed(config->redis, session_cache);
  // Counts the rate limits while Redis cannot (down, or answering errors).
  papo::LocalRateLimiter rate_fallback;
  // At most this many argon2id hashes (64 MiB each) at once; a quarter of
  // the worker threads (at least as many) may wait for one, the rest of a
  // flood gets 503 at once and the other threads keep serving pages
  // (DESIGN §11, PasswordHashSlots).
  papo::PasswordHashSlots hash_slots(config->max_password_hashes,
                                     std::max(config->max_password_hashes, config->worker_threads / 4));
  auto writer_db = papo::OpenDatabase(*config);
  if (!writer_db.ok()) return Fail(writer_db.status(), "PAPO_DB");
  papo::MessageWriter writer(std::move(writer_db).value());
  std::vector<std::unique_ptr<papo::Worker>> workers;
  for (int i = 0; i < config->worker_threads; ++i) {
    auto worker = papo::Worker::Create(*config, writer, republish_queue, session_cache, rate_fallback, hash_slots);
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
  std::thread republisher_thread([&republisher] { (*republisher)->Run(); });
  std::thread session_feed_thread([&session_feed] { session_feed.Run(); });
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
  session_feed.Stop();
  session_feed_thread.join();
  papo::Log(papo::LogLevel::kInfo, "app_stopped");
  return 0;
}
