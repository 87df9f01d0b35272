#include "bench/loadgen/delivery_tracker.h"

#include <gtest/gtest.h>

namespace papo::bench {
namespace {

SseDelivery Delivery(uint32_t room, uint32_t k, uint64_t id, uint64_t sent_ns = 0) {
  SseDelivery d;
  d.marker = {room, k, sent_ns};
  d.has_id = true;
  d.id_major = id;
  return d;
}

TEST(DeliveryTrackerTest, MessagesAreSpreadOverRooms) {
  EXPECT_EQ(DeliveryTracker::MessagesPerRoom(10, 3), (std::vector<uint32_t>{4, 3, 3}));
  EXPECT_EQ(DeliveryTracker::MessagesPerRoom(2, 4), (std::vector<uint32_t>{1, 1, 0, 0}));
}

TEST(DeliveryTrackerTest, ExpectedCountsEstablishedSubscribersOnce) {
  DeliveryTracker tracker({5, 3});
  uint32_t a = tracker.AddSubscriber(0);
  uint32_t b = tracker.AddSubscriber(1);
  tracker.AddSubscriber(1);  // never established: not expected
  tracker.Expect(a);
  tracker.Expect(b);
  tracker.Expect(b);
  EXPECT_EQ(tracker.counts().expected, 8u);
}

TEST(DeliveryTrackerTest, CountsDuplicatesOrderAndStrays) {
  DeliveryTracker tracker({4, 4});
  uint32_t s = tracker.AddSubscriber(0);
  tracker.Expect(s);
  tracker.Record(s, Delivery(0, 0, 1), 10);
  tracker.Record(s, Delivery(0, 2, 3), 20);
  tracker.Record(s, Delivery(0, 1, 2), 30);  // older id after a newer one
  tracker.Record(s, Delivery(0, 2, 3), 40);  // again
  tracker.Record(s, Delivery(1, 3, 4), 50);  // another room
  tracker.Record(s, Delivery(0, 9, 9), 60);  // k the room was never sent
  const DeliveryCounts& c = tracker.counts();
  EXPECT_EQ(c.unique, 3u);
  EXPECT_EQ(c.duplicates, 1u);
  EXPECT_EQ(c.out_of_order, 1u);
  EXPECT_EQ(c.wrong_room, 1u);
  EXPECT_EQ(c.unexpected, 1u);
  EXPECT_EQ(c.expected - c.unique, 1u);  // k = 3 never came
  EXPECT_EQ(c.first_ns, 10u);
  EXPECT_EQ(c.last_ns, 30u);
}

TEST(DeliveryTrackerTest, OrderFollowsServerIdsNotK) {
  // Two concurrent posts may be committed in the other order: seq decides.
  DeliveryTracker tracker({2});
  uint32_t s = tracker.AddSubscriber(0);
  tracker.Expect(s);
  tracker.Record(s, Delivery(0, 1, 1), 1);
  tracker.Record(s, Delivery(0, 0, 2), 2);
  EXPECT_EQ(tracker.counts().out_of_order, 0u);
  EXPECT_EQ(tracker.counts().unique, 2u);
}

TEST(DeliveryTrackerTest, NchanIdsCompareTimeThenTag) {
  DeliveryTracker tracker({3});
  uint32_t s = tracker.AddSubscriber(0);
  auto at = [](uint32_t k, uint64_t time, uint64_t tag) {
    SseDelivery d = Delivery(0, k, time);
    d.id_minor = tag;
    return d;
  };
  tracker.Record(s, at(0, 100, 0), 1);
  tracker.Record(s, at(1, 100, 1), 2);
  tracker.Record(s, at(2, 100, 0), 3);
  EXPECT_EQ(tracker.counts().out_of_order, 1u);
}

TEST(DeliveryTrackerTest, SubscribersHaveTheirOwnBits) {
  DeliveryTracker tracker({70});
  uint32_t a = tracker.AddSubscriber(0);
  uint32_t b = tracker.AddSubscriber(0);
  tracker.Record(a, Delivery(0, 69, 70), 1);
  tracker.Record(b, Delivery(0, 69, 70), 1);
  tracker.Record(b, Delivery(0, 0, 1), 1);
  EXPECT_EQ(tracker.counts().unique, 3u);
  EXPECT_EQ(tracker.counts().duplicates, 0u);
}

TEST(DeliveryTrackerTest, LatencyIsReceiveMinusSend) {
  DeliveryTracker tracker({1});
  uint32_t s = tracker.AddSubscriber(0);
  tracker.Record(s, Delivery(0, 0, 1, 1000), 3500);
  EXPECT_EQ(tracker.latency().count(), 1u);
  EXPECT_EQ(tracker.latency().max(), 2500u);
}

}  // namespace
}  // namespace papo::bench
