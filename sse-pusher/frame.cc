#include "sse-pusher/frame.h"

#include <cstring>
#include <new>

namespace papo::pusher {

Frame* Frame::Allocate(size_t size, FrameKind kind, int64_t seq) {
  // Header and bytes in one allocation: one cache miss to reach both.
  void* memory = ::operator new(sizeof(Frame) + size);
  return new (memory) Frame(static_cast<uint32_t>(size), kind, seq);
}

void Frame::Release() {
  if (--refs_ != 0) return;
  this->~Frame();
  ::operator delete(static_cast<void*>(this));
}

FrameRef Frame::Make(std::string_view bytes, FrameKind kind, int64_t seq) {
  Frame* frame = Allocate(bytes.size(), kind, seq);
  if (!bytes.empty()) std::memcpy(frame->mutable_data(), bytes.data(), bytes.size());
  return FrameRef(frame);
}

FrameRef Frame::Concat(std::span<const FrameRef> frames) {
  if (frames.size() == 1) return frames[0];
  size_t total = 0;
  bool all_ephemeral = true;
  int64_t last_seq = 0;
  for (const FrameRef& part : frames) {
    total += part->size();
    all_ephemeral = all_ephemeral && part->kind() == FrameKind::kEphemeral;
    if (part->kind() == FrameKind::kMessage) last_seq = part->seq();
  }
  Frame* frame = Allocate(total, all_ephemeral ? FrameKind::kEphemeral : FrameKind::kControl, last_seq);
  char* out = frame->mutable_data();
  for (const FrameRef& part : frames) {
    std::memcpy(out, part->data(), part->size());
    out += part->size();
  }
  return FrameRef(frame);
}

}  // namespace papo::pusher
