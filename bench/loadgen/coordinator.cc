#include "bench/loadgen/coordinator.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "bench/loadgen/bench_marker.h"
#include "bench/loadgen/subscriber_pool.h"
#include "common/time_format.h"

namespace papo::bench {
namespace {

constexpr uint64_t kPublisherTag = uint64_t{1} << 32;
constexpr uint32_t kMaxPerSource = 25000;

struct Worker {
  pid_t pid = -1;
  int fd = -1;
  std::string in;
  bool connected = false;
  bool final = false;
  uint64_t established = 0;
  uint64_t failed = 0;
  uint64_t expected = 0;
  uint64_t unique = 0;
};

double Seconds(uint64_t from_ns, uint64_t to_ns) {
  return to_ns > from_ns ? static_cast<double>(to_ns - from_ns) / 1e9 : 0.0;
}

double ChildrenCpuSeconds() {
  rusage self{};
  rusage children{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(self.ru_utime) + seconds(self.ru_stime) + seconds(children.ru_utime) +
         seconds(children.ru_stime);
}

class Run final {
 public:
  explicit Run(RunResult& result) : result_(result), options_(result.options) {}
  ~Run();

  Status Execute();

 private:
  Status ForkWorkers();
  // Waits up to timeout_ms for events and handles them.
  void Poll(int timeout_ms);
  void OnWorkerLine(Worker& worker, std::string_view line);
  bool AllConnected() const;
  uint64_t Unique() const;
  uint64_t Expected() const;
  void WaitUntil(uint64_t deadline_ns);
  void Publish();
  void StopWorkers();

  RunResult& result_;
  const LoadgenOptions& options_;
  std::vector<Worker> workers_;
  std::unique_ptr<Publisher> publisher_;
  int epoll_fd_ = -1;
};

Run::~Run() {
  for (auto& worker : workers_) {
    if (worker.fd >= 0) close(worker.fd);
    if (worker.pid > 0) {
      kill(worker.pid, SIGKILL);
      waitpid(worker.pid, nullptr, 0);
    }
  }
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

Status Run::ForkWorkers() {
  std::fflush(stdout);
  std::fflush(stderr);
  workers_.resize(static_cast<size_t>(options_.processes));
  for (int i = 0; i < options_.processes; ++i) {
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return Status::FromErrno("socketpair", errno);
    pid_t pid = fork();
    if (pid < 0) return Status::FromErrno("fork", errno);
    if (pid == 0) {
      close(pair[0]);
      for (int j = 0; j < i; ++j) close(workers_[static_cast<size_t>(j)].fd);
      fcntl(pair[1], F_SETFL, O_NONBLOCK);
      int code = 1;
      {
        SubscriberPool pool(options_, i, options_.processes, pair[1]);
        code = pool.Run();
      }
      _exit(code);
    }
    close(pair[1]);
    fcntl(pair[0], F_SETFL, O_NONBLOCK);
    workers_[static_cast<size_t>(i)].pid = pid;
    workers_[static_cast<size_t>(i)].fd = pair[0];
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = static_cast<uint64_t>(i);
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, pair[0], &event);
  }
  return Status::Ok();
}

void Run::OnWorkerLine(Worker& worker, std::string_view line) {
  unsigned long long a = 0;
  unsigned long long b = 0;
  unsigned long long c = 0;
  std::string text(line);
  if (std::sscanf(text.c_str(), "connected %llu %llu %llu", &a, &b, &c) == 3) {
    worker.connected = true;
    worker.established = a;
    worker.failed = b;
    worker.expected = c;
  } else if (std::sscanf(text.c_str(), "progress %llu %llu", &a, &b) == 2) {
    worker.unique = a;
  } else if (line.substr(0, 6) == "final ") {
    worker.final = true;
    if (!result_.subscribers.MergeLine(line)) std::fprintf(stderr, "papo-loadgen: bad worker report\n");
  }
}

void Run::Poll(int timeout_ms) {
  epoll_event events[64];
  int n = epoll_wait(epoll_fd_, events, 64, std::max(timeout_ms, 0));
  for (int i = 0; i < n; ++i) {
    uint64_t tag = events[i].data.u64;
    if (tag >= kPublisherTag) {
      publisher_->OnEvent(static_cast<uint32_t>(tag - kPublisherTag), events[i].events);
      continue;
    }
    Worker& worker = workers_[tag];
    bool open = ReadAvailable(worker.fd, worker.in);
    size_t start = 0;
    for (size_t lf; (lf = worker.in.find('\n', start)) != std::string::npos; start = lf + 1) {
      OnWorkerLine(worker, std::string_view(worker.in).substr(start, lf - start));
    }
    worker.in.erase(0, start);
    if (!open) {
      epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, worker.fd, nullptr);
      worker.final = true;  // died: nothing more will come
    }
  }
}

bool Run::AllConnected() const {
  return std::all_of(workers_.begin(), workers_.end(), [](const Worker& w) { return w.connected || w.final; });
}

uint64_t Run::Unique() const {
  uint64_t sum = 0;
  for (const auto& w : workers_) sum += w.unique;
  return sum;
}

uint64_t Run::Expected() const {
  uint64_t sum = 0;
  for (const auto& w : workers_) sum += w.expected;
  return sum;
}

void Run::WaitUntil(uint64_t deadline_ns) {
  for (uint64_t now = MonotonicNs(); now < deadline_ns; now = MonotonicNs()) {
    Poll(static_cast<int>((deadline_ns - now) / 1'000'000 + 1));
  }
}

void Run::Publish() {
  uint64_t last_change = MonotonicNs();
  uint64_t last_seen = 0;
  auto stall_ns = static_cast<uint64_t>(options_.drain_timeout_s * 1e9);
  // Publishing: stops when done, or when neither the publisher nor the
  // subscribers moved for the drain timeout (a dead server).
  while (!publisher_->done()) {
    uint64_t now = MonotonicNs();
    publisher_->Pump(now);
    const PublishStats& s = publisher_->stats();
    uint64_t seen = s.sent + s.accepted + s.failed + Unique();
    if (seen != last_seen) {
      last_seen = seen;
      last_change = now;
    } else if (now - last_change > stall_ns) {
      break;
    }
    uint64_t due = publisher_->NextDueNs();
    int timeout = 50;
    // A message still due after Pump() waits for a connection: poll briefly.
    if (due != 0) timeout = due <= now ? 1 : static_cast<int>(std::min<uint64_t>((due - now) / 1'000'000, 50));
    Poll(timeout);
  }
  // Draining: until everything expected arrived or nothing moves.
  uint64_t last_unique = Unique();
  last_change = MonotonicNs();
  while (Unique() < Expected() && MonotonicNs() - last_change < stall_ns) {
    Poll(50);
    if (Unique() != last_unique) {
      last_unique = Unique();
      last_change = MonotonicNs();
    }
  }
  result_.drained = Unique() >= Expected();
}

void Run::StopWorkers() {
  for (auto& worker : workers_) {
    if (!worker.final) WriteLine(worker.fd, "stop");
  }
  uint64_t deadline = MonotonicNs() + 60'000'000'000ull;
  while (MonotonicNs() < deadline &&
         !std::all_of(workers_.begin(), workers_.end(), [](const Worker& w) { return w.final; })) {
    Poll(100);
  }
  for (auto& worker : workers_) {
    close(worker.fd);
    worker.fd = -1;
    waitpid(worker.pid, nullptr, 0);
    worker.pid = -1;
  }
}

Status Run::Execute() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) return Status::FromErrno("epoll_create1", errno);
  double cpu_before = ChildrenCpuSeconds();
  result_.servers[kBeforeConnect] = SampleGroups(options_.servers);
  uint64_t connect_start = MonotonicNs();
  PAPO_RETURN_IF_ERROR(ForkWorkers());
  auto connect_deadline = connect_start + static_cast<uint64_t>(options_.connect_timeout_s * 1e9);
  while (!AllConnected() && MonotonicNs() < connect_deadline) Poll(100);
  result_.connect_complete = AllConnected();
  result_.connect_s = Seconds(connect_start, MonotonicNs());
  WaitUntil(MonotonicNs() + static_cast<uint64_t>(options_.settle_ms) * 1'000'000);
  result_.servers[kConnected] = SampleGroups(options_.servers);
  uint64_t hold_start = MonotonicNs();
  WaitUntil(hold_start + static_cast<uint64_t>(options_.hold_s * 1e9));
  result_.hold_s = Seconds(hold_start, MonotonicNs());
  result_.servers[kHeld] = SampleGroups(options_.servers);
  if (result_.connect_complete && options_.publish != PublishMode::kNone && options_.messages > 0) {
    publisher_ = Publisher::Create(options_);
    uint64_t start = MonotonicNs();
    PAPO_RETURN_IF_ERROR(publisher_->Start(epoll_fd_, kPublisherTag, start));
    Publish();
    result_.published = true;
    result_.publish = publisher_->stats();
  }
  result_.servers[kPublished] = SampleGroups(options_.servers);
  StopWorkers();
  const auto& s = result_.publish;
  result_.publish_s = Seconds(s.first_sent_ns, s.last_answer_ns);
  result_.delivery_s = Seconds(s.first_sent_ns, result_.subscribers.deliveries.last_ns);
  result_.loadgen_cpu_s = ChildrenCpuSeconds() - cpu_before;
  return Status::Ok();
}

}  // namespace

void ResolveAutomatic(LoadgenOptions& options) {
  if (options.processes <= 0) {
    options.processes = static_cast<int>(
        (options.subscribers + static_cast<uint32_t>(options.per_process) - 1) /
        static_cast<uint32_t>(options.per_process));
  }
  if (options.subscribers > 0) options.processes = std::max(options.processes, 1);
  if (options.sources <= 0) {
    uint32_t targets = std::max<uint32_t>(static_cast<uint32_t>(options.targets.size()), 1);
    uint32_t per_target = (options.subscribers + targets - 1) / targets;
    options.sources = static_cast<int>(std::max<uint32_t>(1, (per_target + kMaxPerSource - 1) / kMaxPerSource));
  }
}

Result<RunResult> RunLoadgen(LoadgenOptions options) {
  RaiseFileLimit();
  InitTimeZone();
  signal(SIGPIPE, SIG_IGN);
  RunResult result;
  ResolveAutomatic(options);
  result.options = std::move(options);
  {
    Run run(result);
    PAPO_RETURN_IF_ERROR(run.Execute());
  }
  return result;
}

}  // namespace papo::bench
