// FcgiServer: the libfcgi side of papo-app. Opens the listening socket
// (PAPO_FCGI_LISTEN: a unix socket path or host:port), and runs N threads
// that each accept (FCGX_Accept_r), turn the FastCGI parameters into a
// Request, dispatch it and write the Response.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "fcgi-app/http/request.h"
#include "fcgi-app/http/router.h"

namespace papo {

class Worker;

class FcgiServer final {
 public:
  // FCGX_Init + the listening socket. A unix socket path is replaced if a
  // stale one exists and made group-writable (0660) for nginx.
  static Result<std::unique_ptr<FcgiServer>> Listen(const std::string& address);
  ~FcgiServer();
  FcgiServer(const FcgiServer&) = delete;
  FcgiServer& operator=(const FcgiServer&) = delete;

  // Serves on the calling thread until Shutdown(). `worker` belongs to it.
  void ServeThread(Worker& worker, const Router& router);
  // Stops accepting: threads finish their current request and return.
  void Shutdown();

 private:
  FcgiServer(int fd, std::string unix_path) : fd_(fd), unix_path_(std::move(unix_path)) {}
  int fd_;
  std::string unix_path_;
  std::atomic<bool> stopping_{false};
};

// Largest request body papo-app reads (nginx refuses bigger ones first).
inline constexpr size_t kMaxBodyBytes = 1 << 20;

}  // namespace papo
