#include "sse-pusher/event_loop.h"

#include <cerrno>
#include <ctime>

#include "common/log.h"

namespace papo::pusher {
namespace {

int64_t MonotonicMillis() {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
}

uint32_t EpollEvents(uint32_t interest) {
  uint32_t events = 0;
  if (interest & EventLoop::kReadable) events |= EPOLLIN | EPOLLRDHUP;
  if (interest & EventLoop::kWritable) events |= EPOLLOUT;
  return events;
}

// epoll_event.data carries the fd and the slot's generation, so an event
// fetched before its fd was unwatched (and maybe reused) is recognised.
uint64_t EventData(int fd, uint32_t generation) {
  return (static_cast<uint64_t>(generation) << 32) | static_cast<uint32_t>(fd);
}

}  // namespace

Result<std::unique_ptr<EventLoop>> EventLoop::Create() {
  int fd = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return Status::FromErrno("epoll_create1", errno);
  return std::unique_ptr<EventLoop>(new EventLoop(UniqueFd(fd)));
}

EventLoop::EventLoop(UniqueFd epoll_fd) : epoll_fd_(std::move(epoll_fd)), ready_(512) {
  now_ms_ = MonotonicMillis();
}

EventLoop::~EventLoop() {
  for (size_t i = 0; i < deferred_.size(); ++i) {
    Callback callback = std::move(deferred_[i]);
    callback();
  }
}

int64_t EventLoop::UpdateNow() {
  now_ms_ = MonotonicMillis();
  return now_ms_;
}

Status EventLoop::Watch(int fd, uint32_t interest, IoHandler* handler) {
  if (fd < 0) return Status::InvalidArgument("watch: negative fd");
  if (static_cast<size_t>(fd) >= slots_.size()) slots_.resize(static_cast<size_t>(fd) + 1024);
  Slot& slot = slots_[static_cast<size_t>(fd)];
  struct epoll_event event = {};
  event.events = EpollEvents(interest);
  event.data.u64 = EventData(fd, slot.generation);
  if (epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, fd, &event) != 0) return Status::FromErrno("epoll_ctl add", errno);
  slot.handler = handler;
  slot.interest = interest;
  return Status::Ok();
}

Status EventLoop::SetInterest(int fd, uint32_t interest) {
  if (!watching(fd)) return Status::InvalidArgument("set interest: fd not watched");
  Slot& slot = slots_[static_cast<size_t>(fd)];
  if (slot.interest == interest) return Status::Ok();
  struct epoll_event event = {};
  event.events = EpollEvents(interest);
  event.data.u64 = EventData(fd, slot.generation);
  if (epoll_ctl(epoll_fd_.get(), EPOLL_CTL_MOD, fd, &event) != 0) return Status::FromErrno("epoll_ctl mod", errno);
  slot.interest = interest;
  return Status::Ok();
}

void EventLoop::Unwatch(int fd) {
  if (!watching(fd)) return;
  Slot& slot = slots_[static_cast<size_t>(fd)];
  // Errors are ignored: the fd may already be closed, which removed it.
  epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, fd, nullptr);
  slot.handler = nullptr;
  slot.interest = 0;
  ++slot.generation;
}

bool EventLoop::watching(int fd) const {
  return fd >= 0 && static_cast<size_t>(fd) < slots_.size() && slots_[static_cast<size_t>(fd)].handler != nullptr;
}

EventLoop::TimerId EventLoop::RunAt(int64_t at_ms, Callback callback) {
  TimerId id = next_timer_id_++;
  timers_.emplace(id, Timer{at_ms, std::move(callback)});
  timer_order_.emplace(at_ms, id);
  return id;
}

void EventLoop::Cancel(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  timer_order_.erase({it->second.at_ms, id});
  timers_.erase(it);
}

void EventLoop::Run() {
  while (!stopping_) RunOnce(-1);
}

int EventLoop::WaitTimeout(int max_wait_ms) const {
  if (!deferred_.empty()) return 0;
  int64_t timeout = max_wait_ms;
  if (!timer_order_.empty()) {
    int64_t until_timer = timer_order_.begin()->first - MonotonicMillis();
    if (until_timer < 0) until_timer = 0;
    if (timeout < 0 || until_timer < timeout) timeout = until_timer;
  }
  return static_cast<int>(timeout);
}

void EventLoop::RunOnce(int max_wait_ms) {
  int count = epoll_wait(epoll_fd_.get(), ready_.data(), static_cast<int>(ready_.size()), WaitTimeout(max_wait_ms));
  UpdateNow();
  if (count < 0) {
    if (errno != EINTR) Log(LogLevel::kError, "pusher_epoll_wait_failed").Kv("errno", errno);
    count = 0;
  }
  for (int i = 0; i < count; ++i) Dispatch(ready_[static_cast<size_t>(i)]);
  // A full batch means more may be waiting: fetch more per call next time.
  if (static_cast<size_t>(count) == ready_.size() && ready_.size() < 8192) ready_.resize(ready_.size() * 2);
  RunDueTimers();
  RunHooks();
}

void EventLoop::Dispatch(const struct epoll_event& event) {
  int fd = static_cast<int>(event.data.u64 & 0xffffffffu);
  uint32_t generation = static_cast<uint32_t>(event.data.u64 >> 32);
  // Re-read the slot before each callback: the previous one may have
  // unwatched this fd, or grown slots_ (ae "Refresh in case of resize").
  auto current = [&]() -> Slot* {
    if (static_cast<size_t>(fd) >= slots_.size()) return nullptr;
    Slot* slot = &slots_[static_cast<size_t>(fd)];
    return slot->handler != nullptr && slot->generation == generation ? slot : nullptr;
  };
  Slot* slot = current();
  if (slot == nullptr) return;
  if ((event.events & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) && (slot->interest & kReadable)) {
    slot->handler->OnReadable();
    slot = current();
    if (slot == nullptr) return;
  }
  if ((event.events & (EPOLLOUT | EPOLLERR)) && (slot->interest & kWritable)) slot->handler->OnWritable();
}

void EventLoop::RunDueTimers() {
  // Timers added by a callback for "now" run in the next iteration, so a
  // timer that re-arms itself at 0 ms cannot starve the fds.
  int64_t now = now_ms_;
  std::vector<TimerId> due;
  for (auto it = timer_order_.begin(); it != timer_order_.end() && it->first <= now; ++it) due.push_back(it->second);
  for (TimerId id : due) {
    auto it = timers_.find(id);
    if (it == timers_.end()) continue;  // cancelled by an earlier callback
    Callback callback = std::move(it->second.callback);
    timer_order_.erase({it->second.at_ms, id});
    timers_.erase(it);
    callback();
  }
}

void EventLoop::RunHooks() {
  for (auto& hook : before_sleep_) hook();
  // Deferred calls may defer more; those run in this same pass.
  for (size_t i = 0; i < deferred_.size(); ++i) {
    Callback callback = std::move(deferred_[i]);
    callback();
  }
  deferred_.clear();
}

}  // namespace papo::pusher
