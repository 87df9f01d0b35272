// RoomSequencer: puts one room's `mensagem` frames in seq order, without
// gaps or duplicates, and keeps the most recent ones (the timeline) so that
// a reconnecting subscriber is served from memory.
//
// State: every seq <= horizon() has been released (or given up); the
// timeline holds the frames of seqs (base(), horizon()], contiguous;
// pending holds frames that arrived ahead of a gap. Workers may publish out
// of order or twice (a republish after Redis returns): a seq <= horizon is
// a duplicate, a seq beyond horizon + 1 waits in pending until the gap is
// filled (live or from the cache) or the room gives up on it (SkipGap).
//
// Until Initialize() the horizon is unknown; an arrival then defines it
// (seq - 1), which rooms avoid by holding live messages until their first
// cache snapshot arrived.
//
// Pure logic, no I/O; thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <vector>

#include "sse-pusher/frame.h"

namespace papo::pusher {

class RoomSequencer final {
 public:
  enum class Arrival { kReleased, kHeld, kDuplicate };

  // Keeps at most `timeline_capacity` frames after Trim().
  explicit RoomSequencer(size_t timeline_capacity) : capacity_(timeline_capacity) {}
  RoomSequencer(const RoomSequencer&) = delete;
  RoomSequencer& operator=(const RoomSequencer&) = delete;

  // Starts from a snapshot of the newest cached messages (ascending seq,
  // possibly with holes): the first entry defines the horizon, the others
  // arrive in order (entries after a hole are held). An empty snapshot means
  // the room has no messages: horizon 0. Released frames are appended to
  // `released`.
  void Initialize(std::span<const FrameRef> snapshot, std::vector<FrameRef>& released);

  // A message frame arrived (live, or from the cache). Appends to `released`
  // every frame that became deliverable, in seq order.
  Arrival Arrive(FrameRef frame, std::vector<FrameRef>& released);

  // Gives up on the missing seqs before the first held frame: the horizon
  // jumps to first_pending() - 1 and the held frames that follow are
  // released. The timeline restarts empty at the new horizon (it must stay
  // contiguous). Returns the new base. REQUIRES: has_gap().
  int64_t SkipGap(std::vector<FrameRef>& released);

  // Older cached frames (ascending): those that continue the timeline
  // downward from base() without a hole are prepended.
  void ExtendBack(std::span<const FrameRef> older);

  // Whether the timeline holds every frame after `after_seq`.
  bool Covers(int64_t after_seq) const { return known_ && after_seq >= base_; }
  // Appends the timeline frames with seq > after_seq. REQUIRES: Covers().
  void CopyAfter(int64_t after_seq, std::vector<FrameRef>& out) const;

  // Drops the oldest timeline frames beyond the capacity.
  void Trim();

  bool known() const { return known_; }
  int64_t horizon() const { return horizon_; }
  int64_t base() const { return base_; }
  bool has_gap() const { return !pending_.empty(); }
  int64_t first_pending() const { return pending_.empty() ? 0 : pending_.begin()->first; }
  size_t pending_count() const { return pending_.size(); }
  size_t timeline_size() const { return timeline_.size(); }

 private:
  void Append(FrameRef frame, std::vector<FrameRef>& released);
  void ReleaseContiguous(std::vector<FrameRef>& released);

  size_t capacity_;
  bool known_ = false;
  int64_t base_ = 0;
  int64_t horizon_ = 0;
  std::deque<FrameRef> timeline_;          // seqs base_+1 .. horizon_
  std::map<int64_t, FrameRef> pending_;    // seqs > horizon_ + 1
};

}  // namespace papo::pusher
