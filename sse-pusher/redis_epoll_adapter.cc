#include "sse-pusher/redis_epoll_adapter.h"

#include "common/log.h"

namespace papo::pusher {

Status RedisEpollAdapter::Attach(EventLoop& loop, redisAsyncContext* context) {
  if (context == nullptr || context->ev.data != nullptr) return Status::InvalidArgument("redis context already attached");
  auto* adapter = new RedisEpollAdapter(loop, context);
  context->ev.data = adapter;
  context->ev.addRead = &RedisEpollAdapter::AddRead;
  context->ev.delRead = &RedisEpollAdapter::DelRead;
  context->ev.addWrite = &RedisEpollAdapter::AddWrite;
  context->ev.delWrite = &RedisEpollAdapter::DelWrite;
  context->ev.cleanup = &RedisEpollAdapter::Cleanup;
  return Status::Ok();
}

RedisEpollAdapter::RedisEpollAdapter(EventLoop& loop, redisAsyncContext* context)
    : loop_(loop), context_(context), fd_(context->c.fd) {}

void RedisEpollAdapter::OnReadable() {
  if (context_ != nullptr) redisAsyncHandleRead(context_);
}

void RedisEpollAdapter::OnWritable() {
  if (context_ != nullptr) redisAsyncHandleWrite(context_);
}

void RedisEpollAdapter::Update(bool reading, bool writing) {
  if (reading == reading_ && writing == writing_) return;
  uint32_t interest = (reading ? uint32_t{EventLoop::kReadable} : 0u) | (writing ? uint32_t{EventLoop::kWritable} : 0u);
  Status status;
  if (!reading_ && !writing_) {
    status = loop_.Watch(fd_, interest, this);
  } else if (interest == EventLoop::kNone) {
    loop_.Unwatch(fd_);
  } else {
    status = loop_.SetInterest(fd_, interest);
  }
  if (!status.ok()) {
    Log(LogLevel::kError, "pusher_redis_watch_failed").Kv("error", status.ToString());
    return;
  }
  reading_ = reading;
  writing_ = writing;
}

// The hooks are C callbacks: noexcept trampolines that never let an
// exception reach hiredis (STYLE §7.3).
void RedisEpollAdapter::AddRead(void* self) noexcept {
  auto* adapter = static_cast<RedisEpollAdapter*>(self);
  try {
    adapter->Update(true, adapter->writing_);
  } catch (...) {
    Log(LogLevel::kError, "pusher_redis_adapter_exception");
  }
}

void RedisEpollAdapter::DelRead(void* self) noexcept {
  auto* adapter = static_cast<RedisEpollAdapter*>(self);
  try {
    adapter->Update(false, adapter->writing_);
  } catch (...) {
    Log(LogLevel::kError, "pusher_redis_adapter_exception");
  }
}

void RedisEpollAdapter::AddWrite(void* self) noexcept {
  auto* adapter = static_cast<RedisEpollAdapter*>(self);
  try {
    adapter->Update(adapter->reading_, true);
  } catch (...) {
    Log(LogLevel::kError, "pusher_redis_adapter_exception");
  }
}

void RedisEpollAdapter::DelWrite(void* self) noexcept {
  auto* adapter = static_cast<RedisEpollAdapter*>(self);
  try {
    adapter->Update(adapter->reading_, false);
  } catch (...) {
    Log(LogLevel::kError, "pusher_redis_adapter_exception");
  }
}

void RedisEpollAdapter::Cleanup(void* self) noexcept {
  auto* adapter = static_cast<RedisEpollAdapter*>(self);
  try {
    adapter->Update(false, false);
    adapter->context_->ev.data = nullptr;
    adapter->context_ = nullptr;
    adapter->loop_.Defer([adapter] { delete adapter; });
  } catch (...) {
    Log(LogLevel::kError, "pusher_redis_adapter_exception");
  }
}

}  // namespace papo::pusher
