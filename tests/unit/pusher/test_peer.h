// Helpers for the pusher's unit tests: the far end of a socketpair that a
// Connection writes to, read without blocking and split into SSE events.
#pragma once

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/unique_fd.h"
#include "sse-pusher/connection.h"

namespace papo::pusher::test {

struct PeerEvent {
  std::string event;  // "" = default (mensagem)
  std::string id;
  std::string data;
};

// A connected pair of non-blocking unix stream sockets: {ours, peer}.
inline std::pair<UniqueFd, UniqueFd> SocketPair() {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0) return {};
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Everything readable now (never blocks).
inline std::string ReadAvailable(int fd) {
  std::string out;
  char buffer[65536];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

// Accumulates bytes and yields complete SSE events (comments dropped).
class PeerStream {
 public:
  explicit PeerStream(int fd) : fd_(fd) {}

  std::vector<PeerEvent> Events() {
    buffer_ += ReadAvailable(fd_);
    std::vector<PeerEvent> events;
    size_t end;
    while ((end = buffer_.find("\n\n")) != std::string::npos) {
      std::string block = buffer_.substr(0, end + 1);
      buffer_.erase(0, end + 2);
      PeerEvent event;
      bool has_field = false;
      size_t start = 0;
      while (start < block.size()) {
        size_t newline = block.find('\n', start);
        std::string line = block.substr(start, newline - start);
        start = newline + 1;
        if (line.rfind("event: ", 0) == 0) event.event = line.substr(7), has_field = true;
        if (line.rfind("id: ", 0) == 0) event.id = line.substr(4), has_field = true;
        if (line.rfind("data: ", 0) == 0) event.data += line.substr(6), has_field = true;
      }
      if (has_field && (!event.data.empty() || !event.id.empty())) events.push_back(event);
    }
    return events;
  }

  // The ids of default events, and the other events as "name:data".
  std::vector<std::string> Summary() {
    std::vector<std::string> out;
    for (const PeerEvent& event : Events()) out.push_back(event.event.empty() ? event.id : event.event + ":" + event.data);
    return out;
  }

 private:
  int fd_;
  std::string buffer_;
};

// A pusher Connection under test, the peer end of its socket pair, and
// the "browser" reading that end.
struct TestStream {
  std::unique_ptr<Connection> connection;
  UniqueFd peer;
  std::unique_ptr<PeerStream> reader;
};

}  // namespace papo::pusher::test
