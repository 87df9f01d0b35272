// RepublishQueue: rooms whose latest messages may be missing from Redis
// (a publish failed after COMMIT). Shared by every thread of a papo-app
// process; the Republisher drains it. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>

namespace papo {

class RepublishQueue final {
 public:
  void MarkDirty(int64_t sala_id);
  // Waits up to `timeout` for dirty rooms (or Stop) and takes them all.
  std::set<int64_t> WaitAndTake(std::chrono::milliseconds timeout);
  void Stop();
  bool stopped() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::set<int64_t> dirty_;
  bool stopped_ = false;
};

}  // namespace papo
