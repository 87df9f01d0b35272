#include "sse-pusher/frame.h"

#include <gtest/gtest.h>

#include <vector>

namespace papo::pusher {
namespace {

TEST(FrameTest, MakeCopiesBytesAndKeepsKindAndSeq) {
  FrameRef frame = Frame::Make("id: 7\ndata: x\n\n", FrameKind::kMessage, 7);
  EXPECT_EQ(frame->bytes(), "id: 7\ndata: x\n\n");
  EXPECT_EQ(frame->kind(), FrameKind::kMessage);
  EXPECT_EQ(frame->seq(), 7);
}

TEST(FrameTest, CopiesShareOneFrame) {
  FrameRef frame = Frame::Make("abc", FrameKind::kControl);
  EXPECT_EQ(frame.use_count(), 1u);
  {
    FrameRef copy = frame;
    std::vector<FrameRef> queue(3, frame);
    EXPECT_EQ(frame.use_count(), 5u);
    EXPECT_EQ(copy.get(), frame.get());
  }
  EXPECT_EQ(frame.use_count(), 1u);
  FrameRef moved = std::move(frame);
  EXPECT_EQ(moved.use_count(), 1u);
  EXPECT_FALSE(frame);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
}

TEST(FrameTest, ConcatJoinsBytesAndKeepsTheLastSeq) {
  std::vector<FrameRef> parts = {Frame::Make("a", FrameKind::kMessage, 3), Frame::Make("bc", FrameKind::kEphemeral),
                                 Frame::Make("d", FrameKind::kMessage, 4)};
  FrameRef joined = Frame::Concat(parts);
  EXPECT_EQ(joined->bytes(), "abcd");
  EXPECT_EQ(joined->kind(), FrameKind::kControl);
  EXPECT_EQ(joined->seq(), 4);
}

TEST(FrameTest, ConcatOfOneFrameIsThatFrame) {
  std::vector<FrameRef> parts = {Frame::Make("only", FrameKind::kControl)};
  EXPECT_EQ(Frame::Concat(parts).get(), parts[0].get());
}

TEST(FrameTest, ConcatOfTypingOnlyStaysEphemeral) {
  std::vector<FrameRef> parts = {Frame::Make("a", FrameKind::kEphemeral), Frame::Make("b", FrameKind::kEphemeral)};
  EXPECT_EQ(Frame::Concat(parts)->kind(), FrameKind::kEphemeral);
}

TEST(FrameTest, EmptyFrameIsAllowed) { EXPECT_EQ(Frame::Make("", FrameKind::kControl)->size(), 0u); }

}  // namespace
}  // namespace papo::pusher
