#include "sse-pusher/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "common/log.h"

namespace papo::pusher {
namespace {

constexpr int kAcceptsPerWakeup = 256;
constexpr int64_t kPauseOnExhaustionMs = 100;

bool IsLoopback(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  struct in_addr ipv4;
  std::string text(host);
  return inet_pton(AF_INET, text.c_str(), &ipv4) == 1 && (ntohl(ipv4.s_addr) >> 24) == 127;
}

Result<UniqueFd> OpenUnix(const std::string& path, int mode) {
  struct sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) return Status::InvalidArgument("unix socket path too long: " + path);
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Status::FromErrno("socket", errno);
  struct stat info;
  if (lstat(path.c_str(), &info) == 0) {
    if (!S_ISSOCK(info.st_mode)) return Status::InvalidArgument(path + " exists and is not a socket");
    UniqueFd probe(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (connect(probe.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      return Status::Unavailable(path + " is in use by another process");
    }
    unlink(path.c_str());  // left behind by a process that died
  }
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return Status::FromErrno("bind " + path, errno);
  }
  if (chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) return Status::FromErrno("chmod " + path, errno);
  return fd;
}

Result<UniqueFd> OpenTcp(ListenAddress& address) {
  std::string host = address.host == "localhost" ? "127.0.0.1" : address.host;
  bool ipv6 = host.find(':') != std::string::npos;
  UniqueFd fd(socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Status::FromErrno("socket", errno);
  int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  struct sockaddr_storage storage = {};
  socklen_t length = 0;
  if (ipv6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<uint16_t>(address.port));
    if (inet_pton(AF_INET6, host.c_str(), &in6->sin6_addr) != 1) return Status::InvalidArgument("bad address " + host);
    length = sizeof *in6;
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&storage);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(static_cast<uint16_t>(address.port));
    if (inet_pton(AF_INET, host.c_str(), &in4->sin_addr) != 1) return Status::InvalidArgument("bad address " + host);
    length = sizeof *in4;
  }
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    return Status::FromErrno("bind " + host + ":" + std::to_string(address.port), errno);
  }
  socklen_t bound_length = sizeof storage;
  getsockname(fd.get(), reinterpret_cast<sockaddr*>(&storage), &bound_length);
  address.port = ntohs(ipv6 ? reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port
                            : reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
  return fd;
}

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress address;
  if (text.starts_with("/")) {
    address.is_unix = true;
    address.path = std::string(text);
    return address;
  }
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return Status::InvalidArgument("expected /path or host:port, got '" + std::string(text) + "'");
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  if (host.starts_with("[") && host.ends_with("]")) host = host.substr(1, host.size() - 2);
  auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (port.empty() || error != std::errc() || end != port.data() + port.size() || address.port < 0 ||
      address.port > 65535) {
    return Status::InvalidArgument("bad port in '" + std::string(text) + "'");
  }
  if (!IsLoopback(host)) {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not loopback: the pusher trusts nginx's headers and must not be reachable "
                                   "from other hosts (use a unix socket or 127.0.0.1)");
  }
  address.host = std::string(host);
  return address;
}

Result<std::unique_ptr<Listener>> Listener::Open(EventLoop& loop, std::string_view text, int unix_mode,
                                                 AcceptCallback on_accept) {
  auto parsed = ParseListenAddress(text);
  if (!parsed.ok()) return parsed.status();
  ListenAddress address = std::move(parsed).value();
  auto fd = address.is_unix ? OpenUnix(address.path, unix_mode) : OpenTcp(address);
  if (!fd.ok()) return fd.status();
  if (listen(fd->get(), SOMAXCONN) != 0) return Status::FromErrno("listen", errno);
  std::unique_ptr<Listener> listener(new Listener(loop, std::move(address), std::move(fd).value(), std::move(on_accept)));
  PAPO_RETURN_IF_ERROR(loop.Watch(listener->fd_.get(), EventLoop::kReadable, listener.get()));
  return listener;
}

Listener::Listener(EventLoop& loop, ListenAddress address, UniqueFd fd, AcceptCallback on_accept)
    : loop_(loop), address_(std::move(address)), fd_(std::move(fd)), on_accept_(std::move(on_accept)) {
  bound_address_ = address_.is_unix ? "unix:" + address_.path : address_.host + ":" + std::to_string(address_.port);
}

Listener::~Listener() {
  loop_.Cancel(resume_timer_);
  loop_.Unwatch(fd_.get());
  fd_.Reset();
  if (address_.is_unix) unlink(address_.path.c_str());
}

void Listener::OnReadable() {
  for (int i = 0; i < kAcceptsPerWakeup; ++i) {
    int socket = accept4(fd_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (socket < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) PauseAccepting();
      return;
    }
    if (!address_.is_unix) {
      // Frames are small and must leave at once (no Nagle delay).
      int one = 1;
      setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    on_accept_(UniqueFd(socket));
  }
}

void Listener::PauseAccepting() {
  Log(LogLevel::kWarn, "pusher_accept_paused").Kv("reason", std::strerror(errno)).Kv("listen", bound_address_);
  if (!loop_.SetInterest(fd_.get(), EventLoop::kNone).ok()) return;
  resume_timer_ = loop_.RunAfter(kPauseOnExhaustionMs, [this] {
    resume_timer_ = 0;
    (void)loop_.SetInterest(fd_.get(), EventLoop::kReadable);
  });
}

}  // namespace papo::pusher
