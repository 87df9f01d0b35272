#include "fcgi-app/services/republish_queue.h"

namespace papo {

void RepublishQueue::MarkDirty(int64_t sala_id) {
  {
    std::lock_guard lock(mutex_);
    dirty_.insert(sala_id);
  }
  changed_.notify_one();
}

std::set<int64_t> RepublishQueue::WaitAndTake(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return stopped_ || !dirty_.empty(); });
  std::set<int64_t> taken;
  taken.swap(dirty_);
  return taken;
}

void RepublishQueue::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  changed_.notify_all();
}

bool RepublishQueue::stopped() const {
  std::lock_guard lock(mutex_);
  return stopped_;
}

}  // namespace papo
