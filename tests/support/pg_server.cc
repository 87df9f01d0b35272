#include "tests/support/pg_server.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/support/net.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopTimeout = std::chrono::milliseconds(30000);
constexpr size_t kLogTail = 4000;

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using QueryResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string Env(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// The user initdb and postgres run as: `nobody` when the test is root (the
// server refuses root), otherwise the test's own user.
std::optional<ProcessOptions::User> ServerUser() {
  if (::geteuid() != 0) return std::nullopt;
  const passwd* nobody = ::getpwnam("nobody");
  if (nobody == nullptr) throw std::runtime_error("PgServer: the test runs as root and there is no user nobody");
  return ProcessOptions::User{nobody->pw_uid, nobody->pw_gid};
}

// Every directory above `path` must let `user` through, or the server cannot
// reach its data and socket.
void RequireReachable(const std::filesystem::path& path, const ProcessOptions::User& user) {
  for (auto dir = path; ; dir = dir.parent_path()) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) throw std::runtime_error("PgServer: cannot stat " + dir.string());
    mode_t needed = st.st_uid == user.uid ? S_IXUSR : st.st_gid == user.gid ? S_IXGRP : S_IXOTH;
    if ((st.st_mode & needed) == 0) {
      throw std::runtime_error("PgServer: " + dir.string() + " is closed to user nobody, who runs the test server; " +
                               "set TMPDIR to a directory every user can enter (e.g. /tmp)");
    }
    if (dir == dir.root_path() || !dir.has_parent_path() || dir.parent_path() == dir) break;
  }
}

ProcessOptions ServerProcessOptions() {
  ProcessOptions options;
  options.run_as = ServerUser();
  options.parent_death_signal = SIGINT;  // fast shutdown if the test dies
  return options;
}

// Percent-encodes all but the URI's unreserved characters and '/'.
std::string UriEncoded(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Tail(const std::string& path) {
  std::string text = ReadFile(path);
  if (text.size() > kLogTail) text = "…" + text.substr(text.size() - kLogTail);
  return text;
}

// The processes whose parent is `parent` (from /proc).
std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> children;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ignored)) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string stat = ReadFile(entry.path() / "stat");
    size_t end = stat.rfind(')');
    if (end == std::string::npos) continue;
    std::istringstream fields(stat.substr(end + 1));
    char state = 0;
    pid_t ppid = 0;
    if (fields >> state >> ppid && ppid == parent) children.push_back(std::stoi(name));
  }
  return children;
}

// True once `pid` has exited (a zombie waiting for init counts as gone).
bool Gone(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  size_t end = stat.rfind(')');
  if (end == std::string::npos || end + 2 >= stat.size()) return true;
  char state = stat[end + 2];
  return state == 'Z' || state == 'X';
}

Connection Connect(const std::string& conninfo) {
  Connection connection(PQconnectdb(conninfo.c_str()), &PQfinish);
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    throw std::runtime_error("PgServer: cannot connect: " + std::string(PQerrorMessage(connection.get())));
  }
  return connection;
}

}  // namespace

PgServer::PgServer() : bin_dir_(Env("PAPO_PG_BINDIR", "/usr/lib/postgresql/15/bin")), port_(FreePort()) {
  if (::access((bin_dir_ + "/postgres").c_str(), X_OK) != 0) {
    throw std::runtime_error("PgServer: " + bin_dir_ + "/postgres not found: deploy/setup --tests installs postgresql-15");
  }
  std::string base = Env("TMPDIR", "/tmp");
  auto user = ServerUser();
  if (user) RequireReachable(base, *user);
  std::string pattern = base + "/papo-pg-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("PgServer: mkdtemp failed under " + base);
  dir_ = pattern;
  try {
    // Others may connect (the socket is the only way in; trust authentication).
    ::chmod(dir_.c_str(), 0755);
    if (user && ::chown(dir_.c_str(), user->uid, user->gid) != 0) {
      throw std::runtime_error("PgServer: cannot give " + dir_ + " to user nobody");
    }
    InitDb();
    Start();
    CreateDatabase("papo");
  } catch (...) {
    Stop();
    RemoveDir();
    throw;
  }
}

PgServer::~PgServer() {
  Stop();
  RemoveDir();
}

void PgServer::RemoveDir() {
  const char* keep = std::getenv("PAPO_KEEP_TEST_DIRS");
  if (keep != nullptr && std::string(keep) == "1") return;
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

PgServer& PgServer::Shared() {
  // A function-local static: built on first use (thread-safe), destroyed —
  // so stopped by PID — when the test binary exits normally.
  static PgServer server;
  return server;
}

void PgServer::InitDb() {
  if (RunInitDb("--locale=C.UTF-8")) return;
  // A system without the C.UTF-8 locale: the server's own C locale.
  std::error_code ignored;
  std::filesystem::remove_all(dir_ + "/data", ignored);
  if (!RunInitDb("--no-locale")) throw std::runtime_error("PgServer: initdb failed:\n" + Logs());
}

bool PgServer::RunInitDb(const std::string& locale_flag) {
  // --no-sync: a throwaway cluster need not survive a power cut.
  Process initdb({bin_dir_ + "/initdb", "-D", dir_ + "/data", "-U", "papo", "--auth=trust", "--encoding=UTF8",
                  locale_flag, "--no-sync"},
                 {}, dir_ + "/initdb.log", ServerProcessOptions());
  int status = initdb.WaitExit(std::chrono::milliseconds(60000));
  return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void PgServer::Start() {
  if (process_.Running()) return;
  process_ = Process({bin_dir_ + "/postgres", "-D", dir_ + "/data", "-k", dir_, "-c", "listen_addresses=", "-p",
                      std::to_string(port_), "-c", "fsync=on", "-c", "max_connections=200"},
                     {}, dir_ + "/postgres.log", ServerProcessOptions());
  WaitUntilReady();
}

void PgServer::WaitUntilReady() {
  const std::string conninfo = Uri("postgres") + "&connect_timeout=2";
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (PQping(conninfo.c_str()) == PQPING_OK) return;
    if (!process_.Running()) throw std::runtime_error("PgServer: postgres exited at start:\n" + Logs());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("PgServer: postgres did not accept connections in 30 s:\n" + Logs());
}

void PgServer::Stop() {
  if (!process_.Running()) return;
  process_.Signal(SIGINT);
  if (process_.WaitExit(kStopTimeout) != -1) return;
  Kill();  // a stuck shutdown: its children too, not the postmaster alone
}

void PgServer::Kill() {
  if (!process_.Running()) return;
  // Stopped, the postmaster forks no new child while we list them.
  process_.Signal(SIGSTOP);
  std::vector<pid_t> children = ChildrenOf(process_.pid());
  for (pid_t child : children) ::kill(child, SIGKILL);
  process_.Kill();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (pid_t child : children) {
    while (!Gone(child) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  RemoveStaleSharedMemory();
}

// A killed postmaster leaves its small System V segment behind (postgres
// would reuse it on restart, but a test may never restart it). Its key and
// id are line 7 of postmaster.pid.
void PgServer::RemoveStaleSharedMemory() {
  std::ifstream pid_file(dir_ + "/data/postmaster.pid");
  std::string line;
  for (int i = 0; i < 7 && std::getline(pid_file, line); ++i) {
  }
  std::istringstream fields(line);
  key_t key = 0;
  int id = -1;
  if (!(fields >> key >> id) || id < 0) return;
  struct shmid_ds info {};
  if (::shmctl(id, IPC_STAT, &info) != 0) return;
  if (info.shm_perm.__key == key && info.shm_nattch == 0) ::shmctl(id, IPC_RMID, nullptr);
}

std::string PgServer::Uri(const std::string& database) const {
  return "postgresql://papo@/" + UriEncoded(database) + "?host=" + UriEncoded(dir_) +
         "&port=" + std::to_string(port_);
}

void PgServer::CreateDatabase(const std::string& name) {
  Connection connection = Connect(Uri("postgres"));
  std::unique_ptr<char, decltype(&PQfreemem)> quoted(
      PQescapeIdentifier(connection.get(), name.c_str(), name.size()), &PQfreemem);
  if (!quoted) throw std::runtime_error("PgServer: bad database name " + name);
  QueryResult result(PQexec(connection.get(), ("CREATE DATABASE " + std::string(quoted.get())).c_str()), &PQclear);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    throw std::runtime_error("PgServer: CREATE DATABASE " + name + ": " + PQerrorMessage(connection.get()));
  }
}

std::string PgServer::FreshDatabase() {
  std::string name = "papo_test_" + std::to_string(++databases_);
  CreateDatabase(name);
  return Uri(name);
}

std::string PgServer::Query(const std::string& sql, const std::string& database) {
  Connection connection = Connect(Uri(database));
  QueryResult result(PQexec(connection.get(), sql.c_str()), &PQclear);
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error("PgServer: " + sql + ": " + PQerrorMessage(connection.get()));
  }
  if (PQntuples(result.get()) == 0 || PQnfields(result.get()) == 0) return "";
  return PQgetvalue(result.get(), 0, 0);
}

std::string PgServer::Logs() const {
  std::string out;
  for (const char* name : {"initdb.log", "postgres.log"}) {
    std::string text = Tail(dir_ + "/" + name);
    if (!text.empty()) out += "==> " + std::string(name) + " (" + dir_ + ") <==\n" + text + "\n";
  }
  return out;
}

}  // namespace papo::testing
