// HttpPublisher: publishes over HTTP/1.1 keep-alive connections, one
// request in flight per connection (--publish-concurrency connections).
//
//   papo:  POST /chat/enviar, form sala_id + mensagem + client_id, with the
//          session cookie and CSRF token given as --publish-header; success
//          is a 2xx answer whose JSON says "success":true.
//   nchan: POST /pub?id={room} with the message JSON as body; success is 2xx.
//
// A connection the server closes is reopened; the message it carried
// counts as failed (never resent, so it shows up as lost).
#pragma once

#include <string>
#include <vector>

#include "bench/loadgen/publisher.h"

namespace papo::bench {

class HttpPublisher final : public Publisher {
 public:
  explicit HttpPublisher(const LoadgenOptions& options);
  ~HttpPublisher() override;

  Status Start(int epoll_fd, uint64_t tag_base, uint64_t now_ns) override;
  void OnEvent(uint32_t connection, uint32_t events) override;
  void Pump(uint64_t now_ns) override;

 private:
  enum class State { kClosed, kConnecting, kIdle, kBusy };
  struct Connection {
    int fd = -1;
    State state = State::kClosed;
    bool connected = false;
    std::string out;
    size_t out_offset = 0;
    std::string in;
    uint64_t sent_ns = 0;
  };

  Status Open(uint32_t index);
  void Close(uint32_t index, bool failed_request);
  void Flush(uint32_t index);
  void Read(uint32_t index);
  // True when `in` holds a whole response; then answers it.
  bool TryComplete(uint32_t index, bool eof);
  std::string BuildRequest(const Planned& planned, uint64_t now_ns) const;
  void Watch(uint32_t index, bool want_write);

  std::vector<Connection> connections_;
  int epoll_fd_ = -1;
  uint64_t tag_base_ = 0;
  std::string run_tag_;
};

}  // namespace papo::bench
