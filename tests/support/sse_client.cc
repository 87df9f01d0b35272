#include "tests/support/sse_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include "tests/support/net.h"

namespace papo::testing {

std::unique_ptr<SseClient> SseClient::Open(UniqueFd fd, const std::string& target, const HeaderList& headers,
                                           std::chrono::milliseconds timeout, int receive_buffer) {
  std::unique_ptr<SseClient> client(new SseClient(std::move(fd)));
  if (!client->fd_.valid()) return client;
  if (receive_buffer > 0) {
    ::setsockopt(client->fd_.get(), SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  }
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  if (!WriteAll(client->fd_.get(), request)) return client;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  size_t body_start = 0;
  while (!ParseResponseHead(client->raw_, client->head_, body_start)) {
    if (!client->Fill(deadline)) return client;
  }
  client->raw_.erase(0, body_start);
  std::string encoding = client->head_.Header("transfer-encoding");
  client->chunked_ = encoding.find("chunked") != std::string::npos;
  client->DecodeTransfer();
  return client;
}

bool SseClient::Fill(std::chrono::steady_clock::time_point deadline) {
  if (!fd_.valid() || ended_) return false;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  pollfd entry{fd_.get(), POLLIN, 0};
  if (::poll(&entry, 1, static_cast<int>(left.count())) <= 0) return false;
  char buffer[65536];
  ssize_t n = ::recv(fd_.get(), buffer, sizeof buffer, 0);
  if (n <= 0) {
    ended_ = true;
    return false;
  }
  raw_.append(buffer, static_cast<size_t>(n));
  return true;
}

// Moves complete chunks (or everything, when not chunked) into stream_.
bool SseClient::DecodeTransfer() {
  if (!chunked_) {
    stream_ += raw_;
    raw_.clear();
    return true;
  }
  while (true) {
    size_t line_end = raw_.find("\r\n");
    if (line_end == std::string::npos) return true;
    size_t size = std::strtoul(raw_.c_str(), nullptr, 16);
    if (size == 0) {
      ended_ = true;
      raw_.clear();
      return true;
    }
    if (raw_.size() < line_end + 2 + size + 2) return true;
    stream_.append(raw_, line_end + 2, size);
    raw_.erase(0, line_end + 2 + size + 2);
  }
}

std::optional<SseEvent> SseClient::ParseEvent() {
  while (true) {
    size_t end = stream_.find_first_of("\r\n");
    if (end == std::string::npos) return std::nullopt;
    std::string line = stream_.substr(0, end);
    size_t skip = end + 1;
    if (stream_[end] == '\r' && end + 1 < stream_.size() && stream_[end + 1] == '\n') skip = end + 2;
    stream_.erase(0, skip);
    if (line.empty()) {
      if (!pending_has_data_) {
        pending_ = SseEvent{};
        continue;
      }
      SseEvent event = std::move(pending_);
      pending_ = SseEvent{};
      pending_has_data_ = false;
      if (!event.data.empty() && event.data.back() == '\n') event.data.pop_back();
      return event;
    }
    if (line[0] == ':') {
      comments_.push_back(line.size() > 1 && line[1] == ' ' ? line.substr(2) : line.substr(1));
      continue;
    }
    auto colon = line.find(':');
    std::string field = line.substr(0, colon);
    std::string value = colon == std::string::npos ? std::string() : line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    if (field == "data") {
      pending_.data += value + "\n";
      pending_has_data_ = true;
    } else if (field == "event") {
      pending_.event = value;
    } else if (field == "id") {
      pending_.id = value;
    } else if (field == "retry") {
      retry_ = std::atoi(value.c_str());
    }
  }
}

std::optional<SseEvent> SseClient::Next(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto event = ParseEvent()) return event;
    if (!Fill(deadline)) return std::nullopt;
    DecodeTransfer();
  }
}

std::optional<SseEvent> SseClient::NextOf(const std::string& event, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto next = Next(left);
    if (!next) return std::nullopt;
    if (next->event == event) return next;
  }
}

bool SseClient::WaitEnded(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ended_) {
    if (!Fill(deadline) && !ended_) return false;
    DecodeTransfer();
  }
  return true;
}

std::string SseClient::ReadRaw(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Fill(deadline)) DecodeTransfer();
  DecodeTransfer();
  return stream_;
}

}  // namespace papo::testing
