#include "sse-pusher/out_queue.h"

#include <algorithm>

namespace papo::pusher {

void OutQueue::Push(FrameRef frame, size_t offset) {
  if (empty()) {
    frames_.clear();
    head_ = 0;
    head_offset_ = offset;
  } else if (offset != 0) {
    // Only the head may be partly written; a later partial frame would
    // interleave bytes. Callers never do this; keep the stream intact.
    offset = 0;
  }
  bytes_ += frame->size() - offset + kEntryOverhead;
  frames_.push_back(std::move(frame));
}

int OutQueue::Gather(struct iovec* iov, int max_iov, size_t max_bytes) const {
  int count = 0;
  size_t total = 0;
  for (size_t i = head_; i < frames_.size() && count < max_iov; ++i) {
    size_t skip = i == head_ ? head_offset_ : 0;
    size_t length = frames_[i]->size() - skip;
    if (count > 0 && total + length > max_bytes) break;
    iov[count].iov_base = const_cast<char*>(frames_[i]->data() + skip);
    iov[count].iov_len = length;
    total += length;
    ++count;
  }
  return count;
}

void OutQueue::Consume(size_t written) {
  while (written > 0 && !empty()) {
    size_t remaining = frames_[head_]->size() - head_offset_;
    if (written < remaining) {
      head_offset_ += written;
      bytes_ -= written;
      return;
    }
    written -= remaining;
    bytes_ -= remaining + kEntryOverhead;
    frames_[head_] = FrameRef();
    ++head_;
    head_offset_ = 0;
  }
  Compact();
}

size_t OutQueue::DropEphemeral() {
  if (empty()) return 0;
  // The head stays if it is partly written.
  size_t first = head_offset_ > 0 ? head_ + 1 : head_;
  auto begin = frames_.begin() + static_cast<std::ptrdiff_t>(first);
  auto kept_end = std::stable_partition(begin, frames_.end(), [](const FrameRef& frame) {
    return frame->kind() != FrameKind::kEphemeral;
  });
  size_t dropped = static_cast<size_t>(frames_.end() - kept_end);
  for (auto it = kept_end; it != frames_.end(); ++it) bytes_ -= (*it)->size() + kEntryOverhead;
  frames_.erase(kept_end, frames_.end());
  return dropped;
}

void OutQueue::Compact() {
  if (empty()) {
    frames_.clear();
    head_ = 0;
    head_offset_ = 0;
    bytes_ = 0;
    return;
  }
  // Amortised erase of the written prefix (uWS pendingRemoval).
  if (head_ >= 32 && head_ * 2 >= frames_.size()) {
    frames_.erase(frames_.begin(), frames_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

}  // namespace papo::pusher
