// papo_chaos: the chaos suite (issue 14). Runs the real stack (2 papo-app,
// 2 pushers, Redis with an append-only file, nginx, the SQLite file on a
// small tmpfs) under a supervisor that restarts whatever dies; room-page
// clients and posters keep traffic flowing while faults are injected one
// after another; then it checks that nothing acknowledged was lost or stored
// twice and that every client ended with every seq of its room once and in
// order, and reports how long clients took to catch up after each fault.
// Usually started by tests/chaos/run; exit status 0 = pass, 1 = a check
// failed, 2 = the run could not be set up.
#include <sys/mount.h>
#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/chaos/chaos_stack.h"
#include "tests/chaos/faults.h"
#include "tests/chaos/poster.h"
#include "tests/chaos/room_client.h"
#include "tests/chaos/verdict.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_dir.h"
#include "tests/support/web_user.h"

namespace papo::chaos {
namespace {

struct Options {
  int seconds = 90;  // traffic (faults stop a little before it ends)
  int clients = 30;
  int posters = 4;
  int readers = 6;  // users the clients log in as
  int post_pause_ms = 120;
  bool postgres = false;
  std::string dir;  // "" = a TempDir
  std::string tmpfs_size = "64m";
};

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr,
               "papo_chaos: %s\nusage: papo_chaos [--seconds N] [--clients N] [--posters N] [--postgres] "
               "[--dir DIR] [--tmpfs-size SIZE]\n",
               why);
  std::exit(2);
}

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(("missing value for " + arg).c_str());
      return argv[++i];
    };
    if (arg == "--seconds") options.seconds = std::stoi(value());
    else if (arg == "--clients") options.clients = std::stoi(value());
    else if (arg == "--posters") options.posters = std::stoi(value());
    else if (arg == "--postgres") options.postgres = true;
    else if (arg == "--dir") options.dir = value();
    else if (arg == "--tmpfs-size") options.tmpfs_size = value();
    else Usage(("unknown argument " + arg).c_str());
  }
  if (options.seconds < 20 || options.clients < 1 || options.posters < 1) Usage("bad numbers");
  return options;
}

// The SQLite file's own small filesystem, unmounted when the run ends (also
// on failure: tests/chaos/run unmounts it too if this process is killed).
class Tmpfs final {
 public:
  Tmpfs(const std::string& dir, const std::string& size) : dir_(dir) {
    std::filesystem::create_directories(dir);
    std::string data = "size=" + size + ",mode=0755";
    if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, data.c_str()) != 0) {
      throw std::runtime_error("cannot mount a tmpfs on " + dir + " (" + std::strerror(errno) +
                               "): the disk-full fault needs root or CAP_SYS_ADMIN; the chaos suite does not run "
                               "without it");
    }
  }
  ~Tmpfs() {
    if (::umount2(dir_.c_str(), 0) != 0) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;

 private:
  std::string dir_;
};

// Threads that are told to stop and joined however Run ends: an exception
// must not meet a joinable std::thread (std::terminate would leave the
// tmpfs mounted).
class Crew final {
 public:
  Crew() = default;
  ~Crew() { Stop(); }
  Crew(const Crew&) = delete;
  Crew& operator=(const Crew&) = delete;
  const std::atomic<bool>& stopping() const { return stop_; }
  template <typename Body>
  void Add(Body body) {
    threads_.emplace_back(std::move(body));
  }
  void Stop() {
    stop_ = true;
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

testing::WebUser NewUser(int port, const std::string& name) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    testing::WebUser user(port);
    auto response = user.Register(name, testing::UniqueEmail("chaos-" + name));
    if (response.status == 303 && user.id() > 0 && !user.csrf().empty()) return user;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  throw std::runtime_error("could not register user " + name);
}

int Run(const Options& options) {
  std::unique_ptr<testing::TempDir> temp;
  std::string base = options.dir;
  if (base.empty()) {
    temp = std::make_unique<testing::TempDir>();
    base = temp->path();
  }
  std::string run_dir = base + "/run";
  std::string db_dir = base + "/db";
  std::filesystem::create_directories(run_dir);
  std::unique_ptr<Tmpfs> tmpfs;
  if (!options.postgres) tmpfs = std::make_unique<Tmpfs>(db_dir, options.tmpfs_size);

  ChaosStackOptions stack_options;
  stack_options.run_dir = run_dir;
  stack_options.db_dir = db_dir;
  stack_options.postgres = options.postgres;
  // No limit of DESIGN §11 stands between the suite's few users and its
  // traffic: the suite is about faults, not abuse.
  stack_options.env = {{"CHAT_RATE_LIMIT", "0"},         {"CHAT_IP_RATE_LIMIT", "0"},
                       {"CHAT_ROOMS_PER_HOUR", "0"},     {"CHAT_MAX_STREAMS_PER_USER", "0"},
                       {"CHAT_LOGIN_RATE_LIMIT", "0"},   {"CHAT_MAX_CONNECTIONS_PER_ROOM", "10000"}};
  std::fprintf(stderr, "chaos: starting the stack under %s\n", base.c_str());
  ChaosStack stack(stack_options);
  int port = stack.port();

  std::vector<int64_t> rooms;
  testing::WebUser first = NewUser(port, "leitor0");
  for (int64_t sala = 1; sala <= 3; ++sala) {
    if (first.Get("/chat/mensagens?sala_id=" + std::to_string(sala) + "&limit=1").status == 200) rooms.push_back(sala);
  }
  if (rooms.empty()) throw std::runtime_error("no seed room answers /chat/mensagens");
  std::vector<testing::WebUser> readers = {first};
  for (int i = 1; i < options.readers; ++i) readers.push_back(NewUser(port, "leitor" + std::to_string(i)));

  // Each Crew is declared after what its threads use, so it is joined first.
  std::vector<std::unique_ptr<RoomClient>> clients;
  Crew client_crew;
  for (int i = 0; i < options.clients; ++i) {
    clients.push_back(std::make_unique<RoomClient>(port, readers[i % readers.size()].cookie(), rooms[i % rooms.size()]));
    client_crew.Add([&, client = clients.back().get()] { client->Run(client_crew.stopping()); });
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));

  std::vector<std::unique_ptr<Poster>> posters;
  for (int i = 0; i < options.posters; ++i) {
    posters.push_back(std::make_unique<Poster>(NewUser(port, "autor" + std::to_string(i)), rooms, i, options.post_pause_ms));
  }
  Crew poster_crew;
  auto traffic_start = Clock::now();
  for (auto& poster : posters) poster_crew.Add([&, p = poster.get()] { p->Run(poster_crew.stopping()); });

  InjectorOptions injector_options;
  injector_options.disk_dir = options.postgres ? "" : db_dir;
  Injector injector(stack, injector_options);
  Crew injector_crew;
  injector_crew.Add([&] { injector.Run(injector_crew.stopping()); });

  // Faults stop a few seconds before the traffic, so the last one's
  // catch-up happens under traffic too.
  std::this_thread::sleep_for(std::chrono::seconds(options.seconds - 8));
  injector_crew.Stop();
  auto faults_end = Clock::now();
  std::this_thread::sleep_until(std::max(faults_end + std::chrono::seconds(3), traffic_start + std::chrono::seconds(options.seconds)));
  poster_crew.Stop();
  double traffic_seconds = std::chrono::duration<double>(Clock::now() - traffic_start).count();
  std::fprintf(stderr, "chaos: traffic stopped after %.0f s; settling\n", traffic_seconds);

  RunData data;
  data.rows = ReadStoredRows(stack.db_uri(), options.postgres);
  std::map<int64_t, int64_t> top;
  for (const auto& row : data.rows) top[row.sala_id] = std::max(top[row.sala_id], row.seq);
  // Settle: every client should reach its room's last seq; give up after 30 s.
  auto settle_deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < settle_deadline) {
    bool all = true;
    for (const auto& client : clients) all = all && client->prefix() >= top[client->sala_id()];
    if (all) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  client_crew.Stop();
  stack.StopSupervisor();

  for (const auto& poster : posters) {
    data.acks.insert(data.acks.end(), poster->acks().begin(), poster->acks().end());
    data.post_failures.insert(data.post_failures.end(), poster->failures().begin(), poster->failures().end());
    data.rejected += poster->rejected();
    data.abandoned += poster->abandoned();
  }
  for (const auto& client : clients) data.clients.push_back(client.get());
  data.faults = injector.faults();
  data.traffic_seconds = traffic_seconds;
  data.traffic_start = traffic_start;
  bool ok = Judge(data);
  if (!ok) {
    std::fprintf(stderr, "chaos: logs under %s\n%s\n", run_dir.c_str(), stack.Logs().c_str());
    // The database as the run left it (the tmpfs goes with the run).
    if (!options.postgres) {
      for (const char* suffix : {"", "-wal", "-shm"}) {
        std::error_code ignored;
        std::filesystem::copy_file(db_dir + "/papo.db" + suffix, run_dir + "/papo.db" + suffix, ignored);
      }
    }
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace papo::chaos

int main(int argc, char** argv) {
  auto options = papo::chaos::Parse(argc, argv);
  try {
    return papo::chaos::Run(options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "papo_chaos: %s\n", error.what());
    return 2;
  }
}
