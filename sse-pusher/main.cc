// papo-pusher: holds the browsers' EventSource streams and fans Redis
// notifications out to them (DESIGN §4). Configuration: common/config.h
// and sse-pusher/pusher_options.h; logs: key=value lines on stderr.
#include <signal.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>

#include "common/config.h"
#include "common/log.h"
#include "sse-pusher/event_loop.h"
#include "sse-pusher/pusher_options.h"
#include "sse-pusher/pusher_server.h"
#include "sse-pusher/signal_watcher.h"

namespace {

// Every stream is a descriptor: use all the process may have.
void RaiseOpenFileLimit() {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int Fail(const papo::Status& status) {
  std::fprintf(stderr, "papo-pusher: %s\n", status.message().c_str());
  return 2;
}

}  // namespace

int main() {
  using namespace papo;
  using namespace papo::pusher;
  SetLogComponent("papo-pusher");
  auto config = Config::FromEnvironment();
  if (!config.ok()) return Fail(config.status());
  auto options = PusherOptions::Load(*config, [](const char* name) -> const char* { return std::getenv(name); });
  if (!options.ok()) return Fail(options.status());
  LogLevel level = LogLevel::kInfo;
  if (ParseLogLevel(config->log_level, level)) SetLogLevel(level);
  RaiseOpenFileLimit();
  if (Status blocked = SignalWatcher::BlockSignals(); !blocked.ok()) return Fail(blocked);

  auto loop = EventLoop::Create();
  if (!loop.ok()) return Fail(loop.status());
  PusherServer server(**loop, *options);
  if (Status started = server.Start(); !started.ok()) return Fail(started);
  auto signals = SignalWatcher::Create(**loop, [&server](int signal_number) {
    if (signal_number == SIGHUP) return;  // logs go to stderr: nothing to reopen
    if (server.draining()) {
      server.StopNow();  // a second SIGTERM/SIGINT: do not wait any longer
    } else {
      server.BeginDrain();
    }
  });
  if (!signals.ok()) return Fail(signals.status());

  Log(LogLevel::kInfo, "pusher_started")
      .Kv("listen", server.listen_address())
      .Kv("pusher_id", options->pusher_id)
      .Kv("metrics_listen", options->metrics_listen);
  (*loop)->Run();
  Log(LogLevel::kInfo, "pusher_stopped");
  return 0;
}
