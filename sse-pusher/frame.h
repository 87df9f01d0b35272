// Frame: the SSE bytes of one event, built once and shared by every
// subscriber that receives it (STYLE §7.8, uWS TopicTree / Pushpin
// BufferList). A FrameRef is an intrusive, single-threaded reference: the
// pusher runs one event loop per process, so the count is a plain integer
// and copying a reference costs one increment, never an allocation.
//
// Thread-compatible: a Frame and its references stay on the loop thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

namespace papo::pusher {

enum class FrameKind : uint8_t {
  kMessage,    // `mensagem`: carries a seq, never dropped
  kEphemeral,  // `digitando`: the first thing a slow subscriber loses
  kControl,    // everything else (presenca, leitura, list events, comments)
};

class FrameRef;

class Frame final {
 public:
  // Copies `bytes` into a new frame. `seq` is the message seq (0 otherwise).
  static FrameRef Make(std::string_view bytes, FrameKind kind, int64_t seq = 0);
  // One frame holding the bytes of `frames` back to back, so a batch costs
  // every subscriber one send(2). Kind: kEphemeral only if all parts are.
  static FrameRef Concat(std::span<const FrameRef> frames);

  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;

  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
  size_t size() const { return size_; }
  std::string_view bytes() const { return {data(), size_}; }
  FrameKind kind() const { return kind_; }
  int64_t seq() const { return seq_; }

 private:
  friend class FrameRef;
  Frame(uint32_t size, FrameKind kind, int64_t seq) : size_(size), kind_(kind), seq_(seq) {}
  ~Frame() = default;
  char* mutable_data() { return reinterpret_cast<char*>(this + 1); }
  static Frame* Allocate(size_t size, FrameKind kind, int64_t seq);
  void Release();

  uint32_t refs_ = 1;
  uint32_t size_;
  FrameKind kind_;
  int64_t seq_;
};

class FrameRef final {
 public:
  FrameRef() = default;
  FrameRef(const FrameRef& other) : frame_(other.frame_) {
    if (frame_ != nullptr) ++frame_->refs_;
  }
  FrameRef(FrameRef&& other) noexcept : frame_(std::exchange(other.frame_, nullptr)) {}
  FrameRef& operator=(FrameRef other) noexcept {
    std::swap(frame_, other.frame_);
    return *this;
  }
  ~FrameRef() {
    if (frame_ != nullptr) frame_->Release();
  }

  const Frame* get() const { return frame_; }
  const Frame* operator->() const { return frame_; }
  const Frame& operator*() const { return *frame_; }
  explicit operator bool() const { return frame_ != nullptr; }
  // How many references exist (tests and assertions).
  uint32_t use_count() const { return frame_ == nullptr ? 0 : frame_->refs_; }

 private:
  friend class Frame;
  explicit FrameRef(Frame* adopted) : frame_(adopted) {}
  Frame* frame_ = nullptr;
};

}  // namespace papo::pusher
