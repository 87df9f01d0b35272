#include "fcgi-app/services/password_hash_slots.h"

namespace papo {

std::optional<PasswordHashSlots::Slot> PasswordHashSlots::Acquire(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (free_ == 0) {
    if (waiting_ >= max_waiting_) return std::nullopt;
    ++waiting_;
    bool freed = freed_.wait_for(lock, wait, [this] { return free_ > 0; });
    --waiting_;
    if (!freed) return std::nullopt;
  }
  --free_;
  return Slot(this);
}

void PasswordHashSlots::Release() {
  {
    std::lock_guard lock(mutex_);
    ++free_;
  }
  freed_.notify_one();
}

int PasswordHashSlots::free_slots() const {
  std::lock_guard lock(mutex_);
  return free_;
}

}  // namespace papo
