#include "sse-pusher/topic.h"

#include <ctime>

#include "sse-pusher/room.h"

namespace papo::pusher {

int64_t MonotonicMicros() {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
}

Topic::Topic(std::string channel, Kind kind, int64_t id) : channel_(std::move(channel)), kind_(kind), id_(id) {}

Topic::~Topic() = default;

void Topic::set_room(std::unique_ptr<Room> room) { room_ = std::move(room); }

void Topic::Add(Connection& connection) {
  auto& slots = connection.topic_slots();
  subscribers_.push_back({&connection, static_cast<uint32_t>(slots.size())});
  slots.push_back({this, static_cast<uint32_t>(subscribers_.size() - 1)});
}

void Topic::Remove(Connection& connection, uint32_t slot) {
  uint32_t index = connection.topic_slots()[slot].index;
  Subscriber last = subscribers_.back();
  subscribers_[index] = last;
  last.connection->topic_slots()[last.slot].index = index;
  subscribers_.pop_back();
}

bool Topic::Contains(const Connection& connection) const {
  for (const Subscriber& subscriber : subscribers_) {
    if (subscriber.connection == &connection) return true;
  }
  return false;
}

bool Topic::Queue(FrameRef frame, int64_t received_us) {
  bool was_clean = batch_.empty();
  if (was_clean) {
    batch_received_us_ = received_us;
    dirty_since_us_ = received_us != 0 ? received_us : MonotonicMicros();
  }
  batch_.push_back(std::move(frame));
  return was_clean;
}

bool Topic::Queued(const FrameRef& frame) const {
  for (const FrameRef& queued : batch_) {
    if (queued.get() == frame.get()) return true;
  }
  return false;
}

int64_t Topic::FlushDueUs(int64_t window_us, size_t enough) const {
  if (window_us <= 0 || last_flush_us_ == 0 || dirty_since_us_ - last_flush_us_ >= window_us) return dirty_since_us_;
  if (batch_.size() >= enough) return dirty_since_us_;
  return dirty_since_us_ + window_us;
}

void Topic::Flush(PusherMetrics& metrics) {
  if (batch_.empty()) return;
  last_flush_us_ = MonotonicMicros();
  ++metrics.fanout_batches;
  int64_t first_seq = 0;
  int64_t last_seq = 0;
  for (const FrameRef& frame : batch_) {
    if (frame->kind() != FrameKind::kMessage) continue;
    if (first_seq == 0) first_seq = frame->seq();
    last_seq = frame->seq();
  }
  FrameRef combined = Frame::Concat(batch_);
  // Send() never changes subscribers_: a connection that fails is only
  // marked closed and removed at the end of the iteration.
  for (const Subscriber& subscriber : subscribers_) {
    Connection& connection = *subscriber.connection;
    if (!connection.receiving()) continue;
    if (first_seq != 0 && connection.last_seq() >= first_seq) {
      SendFiltered(connection);
    } else {
      connection.Send(combined);
    }
    if (last_seq > connection.last_seq()) connection.set_last_seq(last_seq);
  }
  if (batch_received_us_ != 0) {
    metrics.fanout_latency.Observe(static_cast<double>(MonotonicMicros() - batch_received_us_) / 1e6);
  }
  batch_.clear();
}

void Topic::SendFiltered(Connection& connection) const {
  // Rare: a stream that resumed ahead of this process (its Last-Event-ID
  // is newer than what the room had released when it joined).
  std::vector<FrameRef> frames;
  for (const FrameRef& frame : batch_) {
    if (frame->kind() == FrameKind::kMessage && frame->seq() <= connection.last_seq()) continue;
    frames.push_back(frame);
  }
  connection.SendMany(frames, false);
}

}  // namespace papo::pusher
