// Endpoint: where a load generator connection goes, "127.0.0.1:8080" or
// "unix:/run/papo/pusher.sock" (papo-pusher listens on either).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <string>
#include <string_view>

#include "common/result.h"

namespace papo::bench {

struct Endpoint {
  sockaddr_storage address{};
  socklen_t address_length = 0;
  bool is_unix = false;
  std::string text;  // as given; also the Host header ("localhost" for unix)
  std::string host_header;
};

Result<Endpoint> ParseEndpoint(std::string_view text);

// Starts a non-blocking connect to `endpoint`, from `source` (an IPv4
// address in network order, 0 for the kernel's choice; ignored for unix
// sockets). Returns the socket, connected or with the connect in progress
// (EPOLLOUT reports the outcome; see ConnectError()). Unavailable means
// "try again later" (a unix socket whose accept queue is full).
Result<int> StartConnect(const Endpoint& endpoint, in_addr_t source);

// The pending error of a non-blocking connect (SO_ERROR), 0 when connected.
int ConnectError(int fd);

// 127.0.0.1 + n: the loopback sources used to spread connections when one
// source would run out of ephemeral ports (~28,000 per destination).
in_addr_t LoopbackSource(int n);

}  // namespace papo::bench
