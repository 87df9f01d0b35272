#include "tests/support/process.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <thread>

namespace papo::testing {

namespace {

// In the forked child, before exec: says what failed on stderr (the log) and
// exits 126, like a shell that cannot run a program.
[[noreturn]] void ChildFailed(const char* what) {
  const char* reason = std::strerror(errno);
  for (const char* part : {"papo test support: ", what, ": ", reason, "\n"}) {
    ssize_t ignored = ::write(STDERR_FILENO, part, std::strlen(part));
    (void)ignored;
  }
  ::_exit(126);
}

void ApplyOptions(const ProcessOptions& options, pid_t parent) {
  if (options.run_as) {
    // Groups first: after setuid the child could no longer change them.
    if (::setgroups(1, &options.run_as->gid) != 0) ChildFailed("setgroups");
    if (::setgid(options.run_as->gid) != 0) ChildFailed("setgid");
    if (::setuid(options.run_as->uid) != 0) ChildFailed("setuid");
    // The test's working directory may be closed to that user.
    if (::chdir("/") != 0) ChildFailed("chdir /");
  }
  // After setuid: a change of credentials clears the parent-death signal.
  if (options.parent_death_signal != 0) {
    if (::prctl(PR_SET_PDEATHSIG, options.parent_death_signal) != 0) ChildFailed("prctl");
    // The parent may already be gone (then nobody would send the signal).
    if (::getppid() != parent) ::_exit(126);
  }
}

}  // namespace

Process::Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                 const std::string& log_path, const ProcessOptions& options)
    : log_path_(log_path) {
  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open " + log_path);
  pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, STDIN_FILENO);
    for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
    // The test may have blocked signals; a server must start with none.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ApplyOptions(options, parent);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(log_fd);
}

Process::~Process() { Stop(); }

Process::Process(Process&& other) noexcept : pid_(other.pid_), log_path_(std::move(other.log_path_)) {
  other.pid_ = -1;
}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    Stop();
    pid_ = other.pid_;
    log_path_ = std::move(other.log_path_);
    other.pid_ = -1;
  }
  return *this;
}

bool Process::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t result = ::waitpid(pid_, &status, WNOHANG);
  if (result == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

int Process::WaitExit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t result = ::waitpid(pid_, &status, WNOHANG);
    if (result == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

void Process::Signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

int Process::Stop(std::chrono::milliseconds grace, int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = WaitExit(grace);
  if (pid_ > 0) {
    Kill();
    return -1;
  }
  return status;
}

void Process::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace papo::testing
