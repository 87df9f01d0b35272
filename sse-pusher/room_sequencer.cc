#include "sse-pusher/room_sequencer.h"

namespace papo::pusher {

void RoomSequencer::Initialize(std::span<const FrameRef> snapshot, std::vector<FrameRef>& released) {
  known_ = true;
  base_ = horizon_ = snapshot.empty() ? 0 : snapshot.front()->seq() - 1;
  timeline_.clear();
  pending_.clear();
  for (const FrameRef& frame : snapshot) Arrive(frame, released);
}

RoomSequencer::Arrival RoomSequencer::Arrive(FrameRef frame, std::vector<FrameRef>& released) {
  int64_t seq = frame->seq();
  if (!known_) {
    known_ = true;
    base_ = horizon_ = seq - 1;
  }
  if (seq <= horizon_) return Arrival::kDuplicate;
  if (seq > horizon_ + 1) {
    bool inserted = pending_.emplace(seq, std::move(frame)).second;
    return inserted ? Arrival::kHeld : Arrival::kDuplicate;
  }
  Append(std::move(frame), released);
  ReleaseContiguous(released);
  return Arrival::kReleased;
}

int64_t RoomSequencer::SkipGap(std::vector<FrameRef>& released) {
  horizon_ = pending_.begin()->first - 1;
  base_ = horizon_;
  timeline_.clear();
  ReleaseContiguous(released);
  return base_;
}

void RoomSequencer::ExtendBack(std::span<const FrameRef> older) {
  if (!known_) return;
  for (auto it = older.rbegin(); it != older.rend(); ++it) {
    int64_t seq = (*it)->seq();
    if (seq > base_) continue;   // already in the timeline (or pending)
    if (seq < base_) break;      // a hole: what is below cannot be used
    timeline_.push_front(*it);
    --base_;
  }
}

void RoomSequencer::CopyAfter(int64_t after_seq, std::vector<FrameRef>& out) const {
  if (after_seq >= horizon_) return;
  size_t first = static_cast<size_t>(after_seq - base_);
  for (size_t i = first; i < timeline_.size(); ++i) out.push_back(timeline_[i]);
}

void RoomSequencer::Trim() {
  while (timeline_.size() > capacity_) {
    timeline_.pop_front();
    ++base_;
  }
}

void RoomSequencer::Append(FrameRef frame, std::vector<FrameRef>& released) {
  horizon_ = frame->seq();
  released.push_back(frame);
  timeline_.push_back(std::move(frame));
}

void RoomSequencer::ReleaseContiguous(std::vector<FrameRef>& released) {
  while (!pending_.empty() && pending_.begin()->first <= horizon_ + 1) {
    auto node = pending_.extract(pending_.begin());
    if (node.key() == horizon_ + 1) Append(std::move(node.mapped()), released);
  }
}

}  // namespace papo::pusher
