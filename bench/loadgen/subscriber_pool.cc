#include "bench/loadgen/subscriber_pool.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "bench/loadgen/bench_marker.h"
#include "bench/loadgen/endpoint.h"
#include "bench/loadgen/http_response_head.h"

namespace papo::bench {
namespace {

constexpr size_t kReadSize = 256 * 1024;
constexpr size_t kMaxLine = 256 * 1024;     // an SSE line longer than this is an error
constexpr size_t kMaxHead = 16 * 1024;
constexpr uint64_t kControlTag = ~uint64_t{0};
constexpr uint64_t kProgressIntervalNs = 100'000'000;
constexpr uint64_t kBusyRetryNs = 10'000'000;   // unix socket accept queue full
constexpr int kMaxEvents = 512;

double SelfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

}  // namespace

SubscriberPool::SubscriberPool(const LoadgenOptions& options, int worker_index, int workers,
                               int control_fd)
    : options_(options),
      control_fd_(control_fd),
      buffer_(kReadSize + kMaxLine),
      tracker_(DeliveryTracker::MessagesPerRoom(options.messages,
                                                static_cast<uint32_t>(options.rooms.size()))) {
  auto rooms = static_cast<uint32_t>(options.rooms.size());
  auto targets = static_cast<uint32_t>(options.targets.size());
  for (uint32_t s = static_cast<uint32_t>(worker_index); s < options.subscribers;
       s += static_cast<uint32_t>(workers)) {
    Slot slot;
    slot.global_index = s;
    slot.room_index = s % rooms;
    slot.target = static_cast<uint16_t>(s % targets);
    slot.source = static_cast<uint16_t>((s / targets) % static_cast<uint32_t>(options.sources));
    slot.track = tracker_.AddSubscriber(slot.room_index);
    slots_.push_back(std::move(slot));
  }
  for (uint32_t i = 0; i < slots_.size(); ++i) queued_.push_back(i);
}

SubscriberPool::~SubscriberPool() {
  for (auto& slot : slots_) {
    if (slot.fd >= 0) close(slot.fd);
  }
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

int SubscriberPool::Run() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  epoll_event control{};
  control.events = EPOLLIN;
  control.data.u64 = kControlTag;
  if (epoll_fd_ < 0 || epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, control_fd_, &control) != 0) return 1;
  now_ns_ = MonotonicNs();
  StartQueued(now_ns_);
  CheckResolved();
  epoll_event events[kMaxEvents];
  while (!stopping_) {
    int n = epoll_wait(epoll_fd_, events, kMaxEvents, TimeoutMs(MonotonicNs()));
    if (n < 0 && errno != EINTR) return 1;
    now_ns_ = MonotonicNs();
    for (int i = 0; i < n; ++i) {
      if (events[i].data.u64 == kControlTag) {
        if (!OnControl()) stopping_ = true;
        continue;
      }
      OnEvent(static_cast<uint32_t>(events[i].data.u64), events[i].events);
    }
    RunDueRetries(now_ns_);
    StartQueued(now_ns_);
    CheckResolved();
    ReportProgress(now_ns_, false);
  }
  report_.deliveries = tracker_.counts();
  report_.latency.Merge(tracker_.latency());
  report_.cpu_s = SelfCpuSeconds();
  return WriteLine(control_fd_, report_.ToLine()) ? 0 : 1;
}

int SubscriberPool::TimeoutMs(uint64_t now) const {
  uint64_t due = next_progress_ns_;
  if (!retries_.empty()) due = std::min(due, retries_.front().first);
  if (due <= now) return 0;
  return static_cast<int>(std::min<uint64_t>((due - now) / 1'000'000 + 1, 100));
}

void SubscriberPool::SetState(Slot& slot, State state) {
  auto connecting = [](State s) { return s == State::kConnecting || s == State::kSending || s == State::kHead; };
  in_flight_ += static_cast<int>(connecting(state)) - static_cast<int>(connecting(slot.state));
  slot.state = state;
}

void SubscriberPool::StartQueued(uint64_t now) {
  while (!queued_.empty() && in_flight_ < options_.connect_concurrency) {
    uint32_t index = queued_.front();
    queued_.pop_front();
    Start(index, now);
  }
}

std::string SubscriberPool::BuildRequest(const Slot& slot) const {
  const Endpoint& target = options_.targets[slot.target];
  int64_t room = options_.rooms[slot.room_index];
  std::string request = "GET " + ExpandTemplate(options_.path, room, slot.global_index) + " HTTP/1.1\r\n";
  request += "Host: " + target.host_header + "\r\n";
  request += "Accept: text/event-stream\r\nCache-Control: no-cache\r\n";
  std::string_view last_id = slot.scanner.last_event_id();
  if (!last_id.empty()) {
    request += "Last-Event-ID: ";
    request += last_id;
    request += "\r\n";
  }
  for (const auto& header : options_.headers) {
    request += ExpandTemplate(header, room, slot.global_index);
    request += "\r\n";
  }
  request += "\r\n";
  return request;
}

void SubscriberPool::Start(uint32_t index, uint64_t now) {
  Slot& slot = slots_[index];
  in_addr_t source = options_.sources > 1 ? LoopbackSource(slot.source) : 0;
  auto fd = StartConnect(options_.targets[slot.target], source);
  if (!fd.ok()) {
    if (fd.status().code() == Status::Code::kUnavailable) {
      SetState(slot, State::kWaiting);
      retries_.emplace_back(now + kBusyRetryNs, index);
      return;
    }
    SetState(slot, State::kConnecting);  // so Lost() counts it as a failed attempt
    Lost(slot, index);
    return;
  }
  slot.fd = fd.value();
  slot.pending = BuildRequest(slot);
  slot.request_offset = 0;
  slot.chunked = false;
  slot.decoder.Reset();
  epoll_event event{};
  event.events = EPOLLOUT;
  event.data.u64 = index;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, slot.fd, &event);
  SetState(slot, State::kConnecting);
}

void SubscriberPool::OnEvent(uint32_t index, uint32_t events) {
  Slot& slot = slots_[index];
  if (slot.fd < 0) return;  // closed earlier in this batch
  if (slot.state == State::kConnecting || slot.state == State::kSending) {
    if (events & (EPOLLERR | EPOLLHUP)) {
      Lost(slot, index);
      return;
    }
    if (events & EPOLLOUT) OnWritable(slot, index);
    return;
  }
  OnReadable(slot, index);
}

void SubscriberPool::OnWritable(Slot& slot, uint32_t index) {
  if (slot.state == State::kConnecting) {
    if (ConnectError(slot.fd) != 0) {
      Lost(slot, index);
      return;
    }
    SetState(slot, State::kSending);
  }
  while (slot.request_offset < slot.pending.size()) {
    ssize_t n = write(slot.fd, slot.pending.data() + slot.request_offset,
                      slot.pending.size() - slot.request_offset);
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) {
      Lost(slot, index);
      return;
    }
    slot.request_offset += static_cast<uint32_t>(n);
  }
  slot.pending.clear();
  SetState(slot, State::kHead);
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP;
  event.data.u64 = index;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, slot.fd, &event);
}

void SubscriberPool::OnReadable(Slot& slot, uint32_t index) {
  char* buffer = buffer_.data();
  size_t have = slot.pending.size();
  if (have) std::memcpy(buffer, slot.pending.data(), have);
  slot.pending.clear();
  ssize_t n = read(slot.fd, buffer + have, kReadSize);
  if (n < 0 && errno == EAGAIN) {
    slot.pending.assign(buffer, have);
    return;
  }
  if (n <= 0) {
    Lost(slot, index);
    return;
  }
  now_ns_ = MonotonicNs();
  ++report_.reads;
  report_.bytes += static_cast<uint64_t>(n);
  if (slot.state == State::kHead) {
    OnHead(slot, index, buffer, have + static_cast<size_t>(n));
  } else {
    OnBody(slot, index, buffer, have, static_cast<size_t>(n));
  }
}

void SubscriberPool::OnHead(Slot& slot, uint32_t index, char* buffer, size_t size) {
  auto head = ParseResponseHead(std::string_view(buffer, size));
  if (!head) {
    if (size > kMaxHead) {
      Lost(slot, index);
    } else {
      slot.pending.assign(buffer, size);
    }
    return;
  }
  if (head->status != 200) {
    ++(head->status >= 500 ? report_.refused_5xx : report_.refused_other);
    Lost(slot, index);
    return;
  }
  slot.chunked = head->chunked;
  bool first = !slot.established;
  SetState(slot, State::kStream);
  slot.established = true;
  if (first) {
    ++report_.established;
    tracker_.Expect(slot.track);
  } else {
    ++report_.reconnects;
  }
  size_t body = size - head->size;
  std::memmove(buffer, buffer + head->size, body);
  OnBody(slot, index, buffer, 0, body);
}

void SubscriberPool::OnBody(Slot& slot, uint32_t index, char* buffer, size_t decoded, size_t raw) {
  if (slot.chunked) {
    raw = slot.decoder.Decode(buffer + decoded, raw);
    if (slot.decoder.failed()) {
      Lost(slot, index);
      return;
    }
  }
  size_t size = decoded + raw;
  uint64_t now = now_ns_;
  size_t consumed = slot.scanner.Scan(buffer, size, report_.sse, [&](const SseDelivery& delivery) {
    tracker_.Record(slot.track, delivery, now);
  });
  if (size - consumed > kMaxLine || slot.decoder.finished()) {
    Lost(slot, index);
    return;
  }
  slot.pending.assign(buffer + consumed, size - consumed);
}

void SubscriberPool::Lost(Slot& slot, uint32_t index) {
  State was = slot.state;
  if (slot.fd >= 0) {
    close(slot.fd);  // also removes it from the epoll set
    slot.fd = -1;
  }
  slot.pending.clear();
  slot.scanner.AbandonEvent();
  if (was == State::kStream) {
    ++report_.disconnects;
  } else if (slot.established) {
    ++report_.reconnect_failures;
  } else {
    ++report_.failed;
    SetState(slot, State::kFailed);  // the browser gives up on a first non-200
    return;
  }
  SetState(slot, State::kWaiting);
  Retry(index, now_ns_ + static_cast<uint64_t>(options_.reconnect_delay_ms) * 1'000'000);
}

void SubscriberPool::Retry(uint32_t index, uint64_t at_ns) { retries_.emplace_back(at_ns, index); }

void SubscriberPool::RunDueRetries(uint64_t now) {
  while (!retries_.empty() && retries_.front().first <= now && in_flight_ < options_.connect_concurrency) {
    uint32_t index = retries_.front().second;
    retries_.pop_front();
    if (slots_[index].state == State::kWaiting) Start(index, now);
  }
}

void SubscriberPool::CheckResolved() {
  if (resolved_sent_ || report_.established + report_.failed < slots_.size()) return;
  resolved_sent_ = true;
  WriteLine(control_fd_, "connected " + std::to_string(report_.established) + " " +
                             std::to_string(report_.failed) + " " +
                             std::to_string(tracker_.counts().expected));
  next_progress_ns_ = now_ns_;
}

void SubscriberPool::ReportProgress(uint64_t now, bool force) {
  if (!resolved_sent_ || (!force && now < next_progress_ns_)) return;
  next_progress_ns_ = now + kProgressIntervalNs;
  const DeliveryCounts& counts = tracker_.counts();
  if (counts.unique == reported_unique_ && counts.duplicates == reported_duplicates_) return;
  reported_unique_ = counts.unique;
  reported_duplicates_ = counts.duplicates;
  WriteLine(control_fd_, "progress " + std::to_string(counts.unique) + " " +
                             std::to_string(counts.duplicates));
}

bool SubscriberPool::OnControl() {
  if (!ReadAvailable(control_fd_, control_in_)) return false;
  return control_in_.find("stop\n") == std::string::npos;
}

}  // namespace papo::bench
