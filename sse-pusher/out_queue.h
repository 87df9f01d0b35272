// OutQueue: the frames a connection could not write yet (its backlog).
//
// A connection allocates one only when a write came back short and frees it
// once drained, so an idle or keeping-up subscriber owns no buffer
// (STYLE §7.8). Frames are shared references; only the offset into the head
// frame is per connection.
//
// bytes() counts unwritten payload plus a per-entry overhead, so a flood of
// tiny frames is charged for the memory it really holds (Redis
// getClientOutputBufferMemoryUsage). Thread-compatible.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <vector>

#include "sse-pusher/frame.h"

namespace papo::pusher {

class OutQueue final {
 public:
  static constexpr size_t kEntryOverhead = sizeof(FrameRef) + 16;

  OutQueue() = default;
  OutQueue(const OutQueue&) = delete;
  OutQueue& operator=(const OutQueue&) = delete;

  // Appends `frame`, of which the first `offset` bytes were already written.
  void Push(FrameRef frame, size_t offset = 0);

  // Fills `iov` from the head with at most `max_iov` entries and about
  // `max_bytes` bytes (whole entries, but always at least one). Returns the
  // number of entries filled.
  int Gather(struct iovec* iov, int max_iov, size_t max_bytes) const;

  // Forgets the first `written` bytes (they reached the socket).
  void Consume(size_t written);

  // Removes every queued ephemeral frame that has not started to be written
  // (a partly written frame must be finished, or the stream breaks).
  // Returns how many frames were dropped.
  size_t DropEphemeral();

  bool empty() const { return head_ == frames_.size(); }
  size_t bytes() const { return bytes_; }
  size_t frames() const { return frames_.size() - head_; }

 private:
  void Compact();

  std::vector<FrameRef> frames_;
  size_t head_ = 0;         // first unwritten entry
  size_t head_offset_ = 0;  // bytes of frames_[head_] already written
  size_t bytes_ = 0;
};

}  // namespace papo::pusher
