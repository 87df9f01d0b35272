// Listener: a listening socket watched by the loop; accepts in batches and
// hands each new socket (non-blocking, close-on-exec) to a callback.
//
// Addresses (PAPO_PUSHER_LISTEN, PAPO_PUSHER_METRICS_LISTEN): a value
// starting with '/' is a unix socket path; otherwise host:port, and the
// host must be loopback (127.0.0.0/8, ::1, localhost): the pusher trusts
// the X-Papo-* headers, so only nginx on this machine may reach it (and on
// TCP, which every local user reaches, only with PAPO_PUSHER_SECRET:
// pusher_secret.h). TCP
// listeners set SO_REUSEPORT, so several pushers can share one port (the
// kernel spreads connections); with unix sockets each process has its own
// path and nginx lists them all in the upstream.
//
// When the process runs out of descriptors (EMFILE) accepting pauses for
// 100 ms instead of spinning on a level-triggered listener.
// Thread-compatible (loop thread only).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/unique_fd.h"
#include "sse-pusher/event_loop.h"

namespace papo::pusher {

struct ListenAddress {
  bool is_unix = false;
  std::string path;   // is_unix
  std::string host;   // otherwise
  int port = 0;       // 0: any free port (tests)
};

// InvalidArgument for a malformed or non-loopback address.
Result<ListenAddress> ParseListenAddress(std::string_view text);

class Listener final : public IoHandler {
 public:
  using AcceptCallback = std::function<void(UniqueFd socket)>;

  // Binds and listens. A stale unix socket file is replaced; one another
  // process still listens on is not (Unavailable).
  static Result<std::unique_ptr<Listener>> Open(EventLoop& loop, std::string_view address, int unix_mode,
                                                AcceptCallback on_accept);
  // Stops listening; a unix socket file is removed.
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  void OnReadable() override;
  void OnWritable() override {}

  // "unix:/path" or "host:port" (with the port actually bound).
  const std::string& bound_address() const { return bound_address_; }
  int port() const { return address_.port; }

 private:
  Listener(EventLoop& loop, ListenAddress address, UniqueFd fd, AcceptCallback on_accept);
  void PauseAccepting();

  EventLoop& loop_;
  ListenAddress address_;
  UniqueFd fd_;
  AcceptCallback on_accept_;
  std::string bound_address_;
  EventLoop::TimerId resume_timer_ = 0;
};

}  // namespace papo::pusher
