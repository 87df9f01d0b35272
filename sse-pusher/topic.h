// Topic: one Redis channel as seen by this process: the local streams
// subscribed to it and the frames waiting to be fanned out to them.
//
// Fan-out is batched: events read from Redis in one wakeup are queued, and
// the before-sleep hook flushes each dirty topic once, at once or, when the
// topic is busy, after a short window (FlushDueUs, RoomHub::Flush). A batch
// of several frames is concatenated once, so every subscriber costs one
// send(2) per batch, whatever its size; the frame is shared, never copied
// per subscriber (STYLE §7.8).
//
// Membership is O(1) both ways: the topic's list holds (connection, slot in
// the connection's TopicSlot list) and the slot holds the index in the
// topic's list, fixed up on swap-removal.
// Thread-compatible (loop thread only).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sse-pusher/connection.h"
#include "sse-pusher/frame.h"
#include "sse-pusher/metrics.h"

namespace papo::pusher {

class Room;

class Topic final {
 public:
  enum class Kind : uint8_t {
    kRoom,  // papo:sala:{id}
    kList,  // papo:lista, papo:lista:{id}
    kUser,  // papo:usuario:{id}
  };
  struct Subscriber {
    Connection* connection;
    uint32_t slot;  // index into connection->topic_slots()
  };

  Topic(std::string channel, Kind kind, int64_t id);
  ~Topic();
  Topic(const Topic&) = delete;
  Topic& operator=(const Topic&) = delete;

  const std::string& channel() const { return channel_; }
  Kind kind() const { return kind_; }
  int64_t id() const { return id_; }

  void Add(Connection& connection);
  // Removes the membership connection->topic_slots()[slot] (which must point
  // here). The slot itself is left for the caller to drop.
  void Remove(Connection& connection, uint32_t slot);
  bool Contains(const Connection& connection) const;
  // The subscriber at `index` now sits at `slot` of its connection's
  // topic_slots() (the connection moved it).
  void MoveSlot(uint32_t index, uint32_t slot) { subscribers_[index].slot = slot; }
  size_t size() const { return subscribers_.size(); }
  const std::vector<Subscriber>& subscribers() const { return subscribers_; }

  // Queues `frame` for the next Flush. Returns true when the topic was not
  // dirty before (the caller lists it for flushing). `received_us`: when the
  // event was read from Redis (monotonic µs), for the latency histogram.
  bool Queue(FrameRef frame, int64_t received_us);
  bool dirty() const { return !batch_.empty(); }
  // When the queued batch should go out (monotonic µs; REQUIRES dirty()).
  // At once (the time its first event was queued) when the topic had not
  // flushed for `window_us` before that event, or once the batch holds
  // `enough` events; otherwise `window_us` after its first event. So a busy
  // topic sends about once per window or per `enough` events, whichever
  // comes first, and a quiet one is never delayed. window_us <= 0: at once.
  int64_t FlushDueUs(int64_t window_us, size_t enough) const;
  // Whether `frame` waits in the current batch.
  bool Queued(const FrameRef& frame) const;

  // Sends the batch to every receiving subscriber. Message frames a
  // subscriber already has (seq <= its last_seq) are filtered out for it;
  // its last_seq advances to the batch's last message.
  void Flush(PusherMetrics& metrics);

  Room* room() const { return room_.get(); }
  void set_room(std::unique_ptr<Room> room);

  // Unsubscribe bookkeeping (RoomHub): when the topic became empty, and
  // whether its channel is being released.
  int64_t idle_since_ms = 0;
  bool releasing = false;

 private:
  void SendFiltered(Connection& connection) const;

  std::string channel_;
  Kind kind_;
  int64_t id_;
  std::vector<Subscriber> subscribers_;
  std::vector<FrameRef> batch_;
  int64_t batch_received_us_ = 0;
  int64_t dirty_since_us_ = 0;  // when the batch got its first frame
  int64_t last_flush_us_ = 0;   // when the last flush started (0: never)
  std::unique_ptr<Room> room_;
};

// Monotonic microseconds (fan-out latency).
int64_t MonotonicMicros();

}  // namespace papo::pusher
