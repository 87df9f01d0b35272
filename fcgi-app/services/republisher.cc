#include "fcgi-app/services/republisher.h"

#include <algorithm>
#include <set>

#include "common/log.h"
#include "common/time_format.h"
#include "common/bus/payloads.h"

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

// Checks the whole window the cache can hold, not only its newest seq: a
// publish that failed below a later successful one (threads publish in
// parallel; a Redis restart fails some of them) leaves a hole that every
// subscriber of the room would skip and resynchronise over.
Status Republisher::ReconcileRoom(const Room& room) {
  if (room.ultimo_seq <= 0) return Status::Ok();
  int64_t from = std::max<int64_t>(1, room.ultimo_seq - cache_size_ + 1);
  auto missing = publisher_.MissingFromCache(room.id, from, room.ultimo_seq);
  if (!missing.ok()) return missing.status();
  if (missing->empty()) return Status::Ok();
  int64_t count = 0;
  size_t next = 0;  // the oldest missing seq not yet republished
  while (next < missing->size()) {
    // One read per run of consecutive missing seqs (up to 200), oldest first.
    size_t run_end = next + 1;
    while (run_end < missing->size() && run_end - next < 200 && (*missing)[run_end] == (*missing)[run_end - 1] + 1) {
      ++run_end;
    }
    HistoryQuery query;
    query.sala_id = room.id;
    query.apos_seq = (*missing)[next] - 1;
    query.limit = static_cast<int>(run_end - next);
    auto batch = messages_.History(query);
    if (!batch.ok()) return batch.status();
    for (const ChatMessage& message : *batch) {
      if (message.seq > (*missing)[run_end - 1]) break;
      PAPO_RETURN_IF_ERROR(publisher_.Publish(MessageEvent(message, room.privada)));
      ++count;
    }
    next = run_end;
  }
  republished_ += count;
  Log(LogLevel::kInfo, "republished")
      .Kv("sala_id", room.id)
      .Kv("messages", count)
      .Kv("from_seq", missing->front())
      .Kv("up_to_seq", missing->back());
  return Status::Ok();
}

void Republisher::Run(int full_interval_ms, const std::function<void()>& each_second) {
  std::set<int64_t> retry;
  int64_t next_full_ms = 0;  // reconcile everything right away
  int64_t next_tick_ms = 0;
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
    if (each_second && now >= next_tick_ms) {
      each_second();
      next_tick_ms = now + 1000;
    }
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
