#include "bench/loadgen/http_publisher.h"

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "bench/loadgen/chunked_decoder.h"
#include "bench/loadgen/endpoint.h"
#include "bench/loadgen/http_response_head.h"
#include "common/form.h"

namespace papo::bench {

HttpPublisher::HttpPublisher(const LoadgenOptions& options)
    : Publisher(options), connections_(static_cast<size_t>(options.publish_concurrency)) {
  run_tag_ = "pb" + std::to_string(getpid()) + "t" + std::to_string(MonotonicNs() / 1000000) + "n";
}

HttpPublisher::~HttpPublisher() {
  for (auto& connection : connections_) {
    if (connection.fd >= 0) close(connection.fd);
  }
}

Status HttpPublisher::Start(int epoll_fd, uint64_t tag_base, uint64_t now_ns) {
  epoll_fd_ = epoll_fd;
  tag_base_ = tag_base;
  start_ns_ = now_ns;
  for (uint32_t i = 0; i < connections_.size(); ++i) PAPO_RETURN_IF_ERROR(Open(i));
  return Status::Ok();
}

Status HttpPublisher::Open(uint32_t index) {
  Connection& c = connections_[index];
  auto fd = StartConnect(options_.publish_target, 0);
  if (!fd.ok()) return fd.status();
  c.fd = fd.value();
  c.state = State::kConnecting;
  c.connected = false;
  c.in.clear();
  epoll_event event{};
  event.events = EPOLLOUT;
  event.data.u64 = tag_base_ + index;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c.fd, &event);
  return Status::Ok();
}

void HttpPublisher::Watch(uint32_t index, bool want_write) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP | (want_write ? EPOLLOUT : 0u);
  event.data.u64 = tag_base_ + index;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, connections_[index].fd, &event);
}

void HttpPublisher::Close(uint32_t index, bool failed_request) {
  Connection& c = connections_[index];
  if (c.fd >= 0) close(c.fd);
  c.fd = -1;
  if (failed_request && c.state == State::kBusy) Answered(c.sent_ns, 0, false, "connection lost");
  c.state = State::kClosed;
  c.out.clear();
  c.in.clear();
}

std::string HttpPublisher::BuildRequest(const Planned& planned, uint64_t now_ns) const {
  std::string text = MarkedText(planned, now_ns);
  std::string body;
  const char* type = "application/json";
  if (options_.publish == PublishMode::kPapo) {
    body = "sala_id=" + std::to_string(planned.room) + "&mensagem=" + PercentEncode(text) +
           "&client_id=" + run_tag_ + std::to_string(planned.index);
    type = "application/x-www-form-urlencoded";
  } else {
    body = BenchMessageJson(planned.room, planned.k + 1, text);
  }
  std::string request = "POST " + ExpandTemplate(options_.publish_path, planned.room, planned.index) +
                        " HTTP/1.1\r\nHost: " + options_.publish_target.host_header +
                        "\r\nContent-Type: " + type +
                        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  for (const auto& header : options_.publish_headers) {
    request += ExpandTemplate(header, planned.room, planned.index);
    request += "\r\n";
  }
  request += "\r\n";
  request += body;
  return request;
}

void HttpPublisher::Pump(uint64_t now_ns) {
  for (uint32_t i = 0; i < connections_.size(); ++i) {
    Connection& c = connections_[i];
    if (c.state == State::kClosed && next_ < options_.messages) {
      if (!Open(i).ok()) continue;
    }
    if (c.state != State::kIdle) continue;
    Planned planned{};
    if (!TakeDue(now_ns, planned)) return;
    uint64_t sent = MonotonicNs();
    c.out = BuildRequest(planned, sent);
    c.out_offset = 0;
    c.sent_ns = sent;
    c.state = State::kBusy;
    Flush(i);
  }
}

void HttpPublisher::Flush(uint32_t index) {
  Connection& c = connections_[index];
  while (c.out_offset < c.out.size()) {
    ssize_t n = write(c.fd, c.out.data() + c.out_offset, c.out.size() - c.out_offset);
    if (n < 0 && errno == EAGAIN) {
      Watch(index, true);
      return;
    }
    if (n <= 0) {
      Close(index, true);
      return;
    }
    c.out_offset += static_cast<size_t>(n);
  }
  Watch(index, false);
}

void HttpPublisher::OnEvent(uint32_t index, uint32_t events) {
  Connection& c = connections_[index];
  if (c.fd < 0) return;
  if (c.state == State::kConnecting) {
    if ((events & (EPOLLERR | EPOLLHUP)) || ConnectError(c.fd) != 0) {
      Close(index, false);
      return;
    }
    c.state = State::kIdle;
    Watch(index, false);
    return;
  }
  if ((events & EPOLLOUT) && c.state == State::kBusy && c.out_offset < c.out.size()) Flush(index);
  if (c.fd >= 0 && (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP))) Read(index);
}

void HttpPublisher::Read(uint32_t index) {
  Connection& c = connections_[index];
  char buffer[65536];
  ssize_t n = read(c.fd, buffer, sizeof(buffer));
  if (n < 0 && errno == EAGAIN) return;
  if (n > 0) c.in.append(buffer, static_cast<size_t>(n));
  bool eof = n <= 0;
  if (c.state == State::kBusy && TryComplete(index, eof)) return;
  if (eof) Close(index, true);
}

bool HttpPublisher::TryComplete(uint32_t index, bool eof) {
  Connection& c = connections_[index];
  auto head = ParseResponseHead(c.in);
  if (!head) return false;
  std::string body = c.in.substr(head->size);
  size_t total = 0;
  if (head->chunked) {
    ChunkedDecoder decoder;
    size_t n = decoder.Decode(body.data(), body.size());
    if (!decoder.finished()) return false;
    body.resize(n);
    total = c.in.size();  // one response at a time: the rest is trailer
  } else if (head->content_length >= 0) {
    if (body.size() < static_cast<size_t>(head->content_length)) return false;
    body.resize(static_cast<size_t>(head->content_length));
    total = head->size + body.size();
  } else if (!eof) {
    return false;  // delimited by close
  }
  bool ok = head->status >= 200 && head->status < 300;
  if (ok && options_.publish == PublishMode::kPapo) ok = body.find("\"success\":true") != std::string::npos;
  c.state = State::kIdle;
  Answered(c.sent_ns, head->status, ok, body);
  if (head->close || eof || total == 0) {
    Close(index, false);
  } else {
    c.in.erase(0, total);
  }
  return true;
}

}  // namespace papo::bench
