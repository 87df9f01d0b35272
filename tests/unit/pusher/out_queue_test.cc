#include "sse-pusher/out_queue.h"

#include <gtest/gtest.h>

#include <string>

namespace papo::pusher {
namespace {

std::string Gathered(const OutQueue& queue, int max_iov = 64, size_t max_bytes = 1 << 20) {
  struct iovec iov[64];
  int count = queue.Gather(iov, max_iov, max_bytes);
  std::string out;
  for (int i = 0; i < count; ++i) out.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
  return out;
}

TEST(OutQueueTest, GathersFromThePartlyWrittenHead) {
  OutQueue queue;
  queue.Push(Frame::Make("hello", FrameKind::kControl), 2);
  queue.Push(Frame::Make("world", FrameKind::kControl));
  EXPECT_EQ(Gathered(queue), "lloworld");
  EXPECT_EQ(queue.bytes(), 8 + 2 * OutQueue::kEntryOverhead);
}

TEST(OutQueueTest, ConsumeAcrossFrames) {
  OutQueue queue;
  queue.Push(Frame::Make("abc", FrameKind::kControl));
  queue.Push(Frame::Make("def", FrameKind::kControl));
  queue.Consume(4);
  EXPECT_EQ(Gathered(queue), "ef");
  EXPECT_EQ(queue.frames(), 1u);
  queue.Consume(2);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(OutQueueTest, GatherRespectsEntryAndByteBudgets) {
  OutQueue queue;
  for (int i = 0; i < 10; ++i) queue.Push(Frame::Make("0123456789", FrameKind::kControl));
  EXPECT_EQ(Gathered(queue, 3).size(), 30u);
  EXPECT_EQ(Gathered(queue, 64, 25).size(), 20u);
  EXPECT_EQ(Gathered(queue, 64, 1).size(), 10u);  // always at least one entry
}

TEST(OutQueueTest, DropEphemeralKeepsMessagesAndAPartlyWrittenHead) {
  OutQueue queue;
  queue.Push(Frame::Make("T1", FrameKind::kEphemeral), 1);
  queue.Push(Frame::Make("M1", FrameKind::kMessage, 1));
  queue.Push(Frame::Make("T2", FrameKind::kEphemeral));
  queue.Push(Frame::Make("M2", FrameKind::kMessage, 2));
  queue.Push(Frame::Make("T3", FrameKind::kEphemeral));
  EXPECT_EQ(queue.DropEphemeral(), 2u);
  EXPECT_EQ(Gathered(queue), "1M1M2");
  EXPECT_EQ(queue.bytes(), 5 + 3 * OutQueue::kEntryOverhead);
}

TEST(OutQueueTest, ManyConsumesCompactWithoutLosingOrder) {
  OutQueue queue;
  for (int i = 0; i < 200; ++i) queue.Push(Frame::Make(std::to_string(i % 10), FrameKind::kControl));
  for (int i = 0; i < 150; ++i) queue.Consume(1);
  std::string rest = Gathered(queue);
  ASSERT_EQ(rest.size(), 50u);
  EXPECT_EQ(rest.substr(0, 3), "012");
  queue.Push(Frame::Make("x", FrameKind::kControl));
  EXPECT_EQ(queue.frames(), 51u);
}

TEST(OutQueueTest, PushAfterDrainStartsFresh) {
  OutQueue queue;
  queue.Push(Frame::Make("ab", FrameKind::kControl), 1);
  queue.Consume(1);
  ASSERT_TRUE(queue.empty());
  queue.Push(Frame::Make("cd", FrameKind::kControl), 1);
  EXPECT_EQ(Gathered(queue), "d");
}

}  // namespace
}  // namespace papo::pusher
