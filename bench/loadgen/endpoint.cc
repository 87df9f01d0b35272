#include "bench/loadgen/endpoint.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <sys/un.h>
#include <unistd.h>

#include <charconv>
#include <cstring>

namespace papo::bench {

Result<Endpoint> ParseEndpoint(std::string_view text) {
  Endpoint endpoint;
  endpoint.text = std::string(text);
  if (text.substr(0, 5) == "unix:") {
    std::string_view path = text.substr(5);
    auto* un = reinterpret_cast<sockaddr_un*>(&endpoint.address);
    if (path.empty() || path.size() >= sizeof(un->sun_path)) {
      return Status::InvalidArgument("bad unix socket path: " + std::string(text));
    }
    un->sun_family = AF_UNIX;
    std::memcpy(un->sun_path, path.data(), path.size());
    endpoint.address_length = static_cast<socklen_t>(sizeof(sockaddr_un));
    endpoint.is_unix = true;
    endpoint.host_header = "localhost";
    return endpoint;
  }
  auto colon = text.rfind(':');
  int port = 0;
  if (colon == std::string_view::npos) return Status::InvalidArgument("want host:port: " + endpoint.text);
  std::string host(text.substr(0, colon));
  auto port_text = text.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  auto* in = reinterpret_cast<sockaddr_in*>(&endpoint.address);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port <= 0 || port > 65535 ||
      inet_pton(AF_INET, host.c_str(), &in->sin_addr) != 1) {
    return Status::InvalidArgument("want IPv4:port: " + endpoint.text);
  }
  in->sin_family = AF_INET;
  in->sin_port = htons(static_cast<uint16_t>(port));
  endpoint.address_length = sizeof(sockaddr_in);
  endpoint.host_header = endpoint.text;
  return endpoint;
}

Result<int> StartConnect(const Endpoint& endpoint, in_addr_t source) {
  int family = endpoint.is_unix ? AF_UNIX : AF_INET;
  int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::FromErrno("socket", errno);
  if (!endpoint.is_unix) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (source != 0) {
      // Let connect() pick the port for the full 4-tuple, not bind().
      setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
      sockaddr_in from{};
      from.sin_family = AF_INET;
      from.sin_addr.s_addr = source;
      if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0) {
        int error = errno;
        close(fd);
        return Status::FromErrno("bind source", error);
      }
    }
  }
  if (connect(fd, reinterpret_cast<const sockaddr*>(&endpoint.address), endpoint.address_length) != 0 &&
      errno != EINPROGRESS) {
    int error = errno;
    close(fd);
    // A unix socket answers EAGAIN when its accept queue is full: try later.
    if (error == EAGAIN) return Status::Unavailable("connect " + endpoint.text + ": accept queue full");
    return Status::FromErrno("connect " + endpoint.text, error);
  }
  return fd;
}

int ConnectError(int fd) {
  int error = 0;
  socklen_t length = sizeof(error);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
  return error;
}

in_addr_t LoopbackSource(int n) { return htonl(INADDR_LOOPBACK + static_cast<uint32_t>(n)); }

}  // namespace papo::bench
