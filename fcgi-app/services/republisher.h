// Republisher: makes Redis catch up with SQLite. A message is committed
// first and published second; when the publish fails (Redis down) or the
// process dies in between, the room's recent cache lacks the newest seqs.
// The republisher compares each room's cache with the seqs it should hold
// (the newest `cache_size` up to `sala.ultimo_seq`) and publishes what is
// missing — a hole anywhere in that window, not only the tail — oldest
// first, from the database. Publishing is idempotent (the
// cache is keyed by seq, pushers drop seqs they delivered), so several
// worker processes may reconcile the same room at once.
//
// Runs on its own thread with its own database connection and publisher.
#pragma once

#include <atomic>

#include <functional>

#include "common/publisher.h"
#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/services/republish_queue.h"

namespace papo {

class Republisher final {
 public:
  Republisher(RoomRepository& rooms, MessageRepository& messages, Publisher& publisher, RepublishQueue& queue,
              int cache_size)
      : rooms_(rooms), messages_(messages), publisher_(publisher), queue_(queue), cache_size_(cache_size) {}

  // Publishes what the cache of room `sala_id` lacks. Unavailable when
  // Redis cannot be reached (the caller retries later).
  Status Reconcile(int64_t sala_id);
  // Reconcile for every room with messages.
  Status ReconcileAll();
  // Thread body until queue.Stop(): everything at start and every
  // `full_interval_ms`, dirty rooms as they are marked, failed ones again
  // every second; `each_second` (if set) about once a second.
  void Run(int full_interval_ms = 60'000, const std::function<void()>& each_second = {});

  int64_t republished() const { return republished_.load(); }

 private:
  Status ReconcileRoom(const Room& room);

  RoomRepository& rooms_;
  MessageRepository& messages_;
  Publisher& publisher_;
  RepublishQueue& queue_;
  int cache_size_;
  std::atomic<int64_t> republished_{0};
};

}  // namespace papo
