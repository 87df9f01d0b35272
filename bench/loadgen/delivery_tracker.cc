#include "bench/loadgen/delivery_tracker.h"

#include <utility>

namespace papo::bench {

DeliveryTracker::DeliveryTracker(std::vector<uint32_t> messages_per_room)
    : messages_per_room_(std::move(messages_per_room)) {}

std::vector<uint32_t> DeliveryTracker::MessagesPerRoom(uint32_t messages, uint32_t rooms) {
  std::vector<uint32_t> per_room(rooms, rooms ? messages / rooms : 0);
  for (uint32_t r = 0; rooms && r < messages % rooms; ++r) ++per_room[r];
  return per_room;
}

uint32_t DeliveryTracker::AddSubscriber(uint32_t room_index) {
  Subscriber subscriber;
  subscriber.room_index = room_index;
  // Each subscriber's bits start on a word boundary: no sharing, simple math.
  bit_count_ = (bit_count_ + 63) / 64 * 64;
  subscriber.bit_offset = static_cast<uint32_t>(bit_count_);
  bit_count_ += messages_per_room_.at(room_index);
  bits_.resize((bit_count_ + 63) / 64, 0);
  subscribers_.push_back(subscriber);
  return static_cast<uint32_t>(subscribers_.size() - 1);
}

void DeliveryTracker::Expect(uint32_t subscriber) {
  Subscriber& s = subscribers_[subscriber];
  if (s.expected) return;
  s.expected = true;
  counts_.expected += messages_per_room_[s.room_index];
}

void DeliveryTracker::Record(uint32_t subscriber, const SseDelivery& delivery, uint64_t now_ns) {
  Subscriber& s = subscribers_[subscriber];
  if (delivery.marker.room_index != s.room_index) {
    ++counts_.wrong_room;
    return;
  }
  if (delivery.marker.k >= messages_per_room_[s.room_index]) {
    ++counts_.unexpected;
    return;
  }
  uint64_t bit = s.bit_offset + uint64_t{delivery.marker.k};
  uint64_t mask = uint64_t{1} << (bit % 64);
  if (bits_[bit / 64] & mask) {
    ++counts_.duplicates;
    return;
  }
  bits_[bit / 64] |= mask;
  ++counts_.unique;
  if (delivery.has_id) {
    bool after = !s.has_last || delivery.id_major > s.last_major ||
                 (delivery.id_major == s.last_major && delivery.id_minor > s.last_minor);
    if (after) {
      s.last_major = delivery.id_major;
      s.last_minor = delivery.id_minor;
      s.has_last = true;
    } else {
      ++counts_.out_of_order;
    }
  }
  latency_.Record(now_ns > delivery.marker.sent_ns ? now_ns - delivery.marker.sent_ns : 0);
  if (counts_.first_ns == 0) counts_.first_ns = now_ns;
  counts_.last_ns = now_ns;
}

}  // namespace papo::bench
