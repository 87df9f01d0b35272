#include "fcgi-app/services/republisher.h"

#include <algorithm>
#include <set>

#include "common/log.h"
#include "common/time_format.h"
#include "fcgi-app/services/room_events.h"

namespace papo {

Status Republisher::Reconcile(int64_t sala_id) {
  auto room = rooms_.Find(sala_id);
  if (!room.ok()) return room.status();
  if (!room->has_value()) return Status::Ok();
  return ReconcileRoom(**room);
}

Status Republisher::ReconcileAll() {
  auto rooms = rooms_.RoomsWithMessages();
  if (!rooms.ok()) return rooms.status();
  Status first_error;
  for (const Room& room : *rooms) {
    Status status = ReconcileRoom(room);
    if (!status.ok()) {
      if (status.code() == Status::Code::kUnavailable) return status;  // Redis is down: stop for now
      if (first_error.ok()) first_error = status;
    }
  }
  return first_error;
}

Status Republisher::ReconcileRoom(const Room& room) {
  auto cached = publisher_.CachedUpTo(room.id);
  if (!cached.ok()) return cached.status();
  if (*cached >= room.ultimo_seq) return Status::Ok();
  // Only the newest cache_size messages can live in the cache anyway.
  int64_t after = std::max(*cached, room.ultimo_seq - cache_size_);
  int64_t count = 0;
  while (after < room.ultimo_seq) {
    HistoryQuery query;
    query.sala_id = room.id;
    query.apos_seq = after;
    query.limit = 200;
    auto batch = messages_.History(query);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    for (const ChatMessage& message : *batch) {
      PAPO_RETURN_IF_ERROR(publisher_.Publish(MessageEvent(message, room.privada)));
      after = message.seq;
      ++count;
    }
  }
  republished_ += count;
  Log(LogLevel::kInfo, "republished").Kv("sala_id", room.id).Kv("messages", count).Kv("up_to_seq", after);
  return Status::Ok();
}

void Republisher::Run(int full_interval_ms) {
  std::set<int64_t> retry;
  int64_t next_full_ms = 0;  // reconcile everything right away
  bool failing = false;      // log an outage once, not every second
  while (!queue_.stopped()) {
    auto dirty = queue_.WaitAndTake(std::chrono::milliseconds(1000));
    dirty.insert(retry.begin(), retry.end());
    retry.clear();
    for (int64_t sala_id : dirty) {
      Status status = Reconcile(sala_id);
      if (!status.ok()) retry.insert(sala_id);
    }
    int64_t now = NowMillis();
    if (now >= next_full_ms) {
      Status status = ReconcileAll();
      if (!status.ok() && !failing) Log(LogLevel::kWarn, "reconcile_failed").Kv("error", status.message());
      if (status.ok() && failing) Log(LogLevel::kInfo, "reconcile_recovered");
      failing = !status.ok();
      next_full_ms = now + (status.ok() ? full_interval_ms : 1000);
    }
  }
}

}  // namespace papo
