// SseClient: an EventSource-like reader for tests. Sends the GET, parses the
// response head, then yields events one by one (comments are kept apart, as
// heartbeats), decoding chunked transfer when nginx uses it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/unique_fd.h"
#include "tests/support/http_client.h"

namespace papo::testing {

struct SseEvent {
  std::string event;  // "" for the default (message) event
  std::string id;
  std::string data;
};

class SseClient final {
 public:
  // Connects through `fd` (already connected), sends GET `target` with
  // `headers`, and waits up to `timeout` for the response head. When
  // `receive_buffer` > 0 the socket's SO_RCVBUF is set to it first (a small
  // one makes a client that stops reading fill up quickly).
  static std::unique_ptr<SseClient> Open(UniqueFd fd, const std::string& target, const HeaderList& headers,
                                         std::chrono::milliseconds timeout = std::chrono::milliseconds(10000),
                                         int receive_buffer = 0);

  int status() const { return head_.status; }
  const HttpResponse& head() const { return head_; }
  // The next event, or nullopt on timeout or when the stream ended.
  std::optional<SseEvent> Next(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  // The next event named `event` ("" = messages), skipping others.
  std::optional<SseEvent> NextOf(const std::string& event,
                                 std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  // Comment lines received so far (without the leading ':').
  const std::vector<std::string>& comments() const { return comments_; }
  std::optional<int> retry() const { return retry_; }
  // True once the server closed the stream.
  bool ended() const { return ended_; }
  // Waits until the server closes (true) or `timeout` passes.
  bool WaitEnded(std::chrono::milliseconds timeout);
  // Reads whatever is there within `timeout`, then returns what is buffered
  // but not yet parsed into events (for body checks on error answers).
  std::string ReadRaw(std::chrono::milliseconds timeout);
  int fd() const { return fd_.get(); }
  void Close() { fd_.Reset(); }

 private:
  explicit SseClient(UniqueFd fd) : fd_(std::move(fd)) {}
  bool Fill(std::chrono::steady_clock::time_point deadline);
  bool DecodeTransfer();
  std::optional<SseEvent> ParseEvent();

  UniqueFd fd_;
  HttpResponse head_;
  bool chunked_ = false;
  bool ended_ = false;
  std::string raw_;      // bytes as received
  std::string stream_;   // body bytes after transfer decoding
  std::vector<std::string> comments_;
  std::optional<int> retry_;
  SseEvent pending_;
  bool pending_has_data_ = false;
};

}  // namespace papo::testing
