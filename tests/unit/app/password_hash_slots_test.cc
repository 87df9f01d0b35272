#include "fcgi-app/services/password_hash_slots.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace papo {
namespace {

using std::chrono::milliseconds;

TEST(PasswordHashSlotsTest, GivesUpToItsSlotsAtOnce) {
  PasswordHashSlots slots(2, 2);
  auto first = slots.Acquire(milliseconds(0));
  auto second = slots.Acquire(milliseconds(0));
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(slots.free_slots(), 0);
  EXPECT_FALSE(slots.Acquire(milliseconds(0)).has_value());
}

TEST(PasswordHashSlotsTest, ASlotIsFreedWhenItsHolderEnds) {
  PasswordHashSlots slots(1, 1);
  {
    auto held = slots.Acquire(milliseconds(0));
    ASSERT_TRUE(held.has_value());
    auto moved = std::move(held);  // the moved-from Slot frees nothing
    EXPECT_EQ(slots.free_slots(), 0);
  }
  EXPECT_EQ(slots.free_slots(), 1);
  EXPECT_TRUE(slots.Acquire(milliseconds(0)).has_value());
}

TEST(PasswordHashSlotsTest, AWaiterGetsTheSlotWhenItIsFreed) {
  PasswordHashSlots slots(1, 1);
  auto held = slots.Acquire(milliseconds(0));
  ASSERT_TRUE(held.has_value());
  std::atomic<bool> got{false};
  std::thread waiter([&] { got = slots.Acquire(milliseconds(5000)).has_value(); });
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_FALSE(got.load());
  held.reset();
  waiter.join();
  EXPECT_TRUE(got.load());
}

TEST(PasswordHashSlotsTest, AWaiterGivesUpAfterItsWait) {
  PasswordHashSlots slots(1, 1);
  auto held = slots.Acquire(milliseconds(0));
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(slots.Acquire(milliseconds(100)).has_value());
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(100));
}

TEST(PasswordHashSlotsTest, BeyondMaxWaitingTheAnswerIsImmediate) {
  PasswordHashSlots slots(1, 1);
  auto held = slots.Acquire(milliseconds(0));
  ASSERT_TRUE(held.has_value());
  std::atomic<bool> got{false};
  std::thread waiter([&] { got = slots.Acquire(milliseconds(5000)).has_value(); });
  std::this_thread::sleep_for(milliseconds(50));  // the waiter is waiting
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(slots.Acquire(milliseconds(5000)).has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1000));
  held.reset();
  waiter.join();
  EXPECT_TRUE(got.load());
}

TEST(PasswordHashSlotsTest, NeverMoreHoldersThanSlots) {
  PasswordHashSlots slots(3, 12);  // every thread may wait
  std::atomic<int> holding{0};
  std::atomic<int> most{0};
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto slot = slots.Acquire(milliseconds(10'000));
        if (!slot) continue;
        int now = ++holding;
        for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        --holding;
        ++done;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(done.load(), 12 * 20);
  EXPECT_LE(most.load(), 3);
  EXPECT_EQ(slots.free_slots(), 3);
}

}  // namespace
}  // namespace papo
