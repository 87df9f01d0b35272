// DeliveryTracker: what every subscriber of one process received, checked
// against what was published.
//
// Messages are spread over rooms by the publisher (message i goes to room
// index i % rooms, as its k = i / rooms), so each subscriber knows exactly
// which k it must receive. A per-subscriber bitset over k finds
// duplicates; what is never set is lost. Order is judged on the server's
// ids (papo's seq, Nchan's "<time>:<tag>"), not on k, because concurrent
// publishers may legitimately commit a room's messages in another order
// than they were sent. Record() never allocates. Thread-compatible.
#pragma once

#include <cstdint>
#include <vector>

#include "bench/loadgen/latency_histogram.h"
#include "bench/loadgen/sse_scanner.h"

namespace papo::bench {

struct DeliveryCounts {
  uint64_t expected = 0;      // sum of the room's messages over established subscribers
  uint64_t unique = 0;        // distinct expected messages received
  uint64_t duplicates = 0;    // a message received again by the same subscriber
  uint64_t out_of_order = 0;  // a new message whose server id is not above the last one
  uint64_t wrong_room = 0;    // a message of another room
  uint64_t unexpected = 0;    // k beyond what the room was sent (stale data)
  uint64_t first_ns = 0;      // receive time of the first and last delivery
  uint64_t last_ns = 0;
};

class DeliveryTracker final {
 public:
  // messages_per_room[r]: how many messages room index r is sent.
  explicit DeliveryTracker(std::vector<uint32_t> messages_per_room);

  // Registers a subscriber of room index `room_index` and returns its handle.
  // Allocates; call before the event loop starts.
  uint32_t AddSubscriber(uint32_t room_index);

  // The subscriber's first stream is established: its room's messages are
  // now expected. Later calls (reconnections) change nothing.
  void Expect(uint32_t subscriber);

  void Record(uint32_t subscriber, const SseDelivery& delivery, uint64_t now_ns);

  const DeliveryCounts& counts() const { return counts_; }
  const LatencyHistogram& latency() const { return latency_; }

  static std::vector<uint32_t> MessagesPerRoom(uint32_t messages, uint32_t rooms);

 private:
  struct Subscriber {
    uint32_t room_index = 0;
    uint32_t bit_offset = 0;  // into bits_, in bits
    uint64_t last_major = 0;
    uint64_t last_minor = 0;
    bool has_last = false;
    bool expected = false;
  };

  std::vector<uint32_t> messages_per_room_;
  std::vector<Subscriber> subscribers_;
  std::vector<uint64_t> bits_;
  uint64_t bit_count_ = 0;
  DeliveryCounts counts_;
  LatencyHistogram latency_;
};

}  // namespace papo::bench
