#include "sse-pusher/room_sequencer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace papo::pusher {
namespace {

FrameRef Message(int64_t seq) { return Frame::Make("id: " + std::to_string(seq) + "\n", FrameKind::kMessage, seq); }

std::vector<FrameRef> Messages(std::initializer_list<int64_t> seqs) {
  std::vector<FrameRef> frames;
  for (int64_t seq : seqs) frames.push_back(Message(seq));
  return frames;
}

std::vector<int64_t> Seqs(const std::vector<FrameRef>& frames) {
  std::vector<int64_t> seqs;
  for (const FrameRef& frame : frames) seqs.push_back(frame->seq());
  return seqs;
}

class RoomSequencerTest : public ::testing::Test {
 protected:
  // A room whose newest cached message is `horizon`.
  void StartAt(int64_t horizon) {
    std::vector<FrameRef> released;
    sequencer_.Initialize(Messages({horizon}), released);
  }
  std::vector<int64_t> Arrive(std::initializer_list<int64_t> seqs) {
    std::vector<FrameRef> released;
    for (int64_t seq : seqs) sequencer_.Arrive(Message(seq), released);
    return Seqs(released);
  }

  RoomSequencer sequencer_{8};
};

TEST_F(RoomSequencerTest, InOrderMessagesAreReleasedAtOnce) {
  StartAt(10);
  EXPECT_EQ(Arrive({11, 12, 13}), (std::vector<int64_t>{11, 12, 13}));
  EXPECT_EQ(sequencer_.horizon(), 13);
  EXPECT_FALSE(sequencer_.has_gap());
}

TEST_F(RoomSequencerTest, OutOfOrderMessagesWaitForTheMissingOne) {
  StartAt(10);
  EXPECT_EQ(Arrive({12, 14}), (std::vector<int64_t>{}));
  EXPECT_TRUE(sequencer_.has_gap());
  EXPECT_EQ(sequencer_.first_pending(), 12);
  EXPECT_EQ(Arrive({11}), (std::vector<int64_t>{11, 12}));
  EXPECT_EQ(Arrive({13}), (std::vector<int64_t>{13, 14}));
  EXPECT_FALSE(sequencer_.has_gap());
}

TEST_F(RoomSequencerTest, DuplicatesAreDroppedReleasedOrHeld) {
  StartAt(10);
  std::vector<FrameRef> released;
  EXPECT_EQ(sequencer_.Arrive(Message(10), released), RoomSequencer::Arrival::kDuplicate);
  EXPECT_EQ(sequencer_.Arrive(Message(11), released), RoomSequencer::Arrival::kReleased);
  EXPECT_EQ(sequencer_.Arrive(Message(11), released), RoomSequencer::Arrival::kDuplicate);
  EXPECT_EQ(sequencer_.Arrive(Message(13), released), RoomSequencer::Arrival::kHeld);
  EXPECT_EQ(sequencer_.Arrive(Message(13), released), RoomSequencer::Arrival::kDuplicate);
  EXPECT_EQ(Seqs(released), (std::vector<int64_t>{11}));
}

TEST_F(RoomSequencerTest, GivingUpOnAGapReleasesWhatFollowsAndRestartsTheTimeline) {
  StartAt(10);
  Arrive({11, 14, 15, 17});
  std::vector<FrameRef> released;
  EXPECT_EQ(sequencer_.SkipGap(released), 13);
  EXPECT_EQ(Seqs(released), (std::vector<int64_t>{14, 15}));
  EXPECT_EQ(sequencer_.base(), 13);
  EXPECT_TRUE(sequencer_.has_gap());  // 16 is still missing
  EXPECT_FALSE(sequencer_.Covers(12));
  EXPECT_TRUE(sequencer_.Covers(13));
}

TEST_F(RoomSequencerTest, EmptySnapshotMeansARoomWithoutMessages) {
  std::vector<FrameRef> released;
  sequencer_.Initialize({}, released);
  EXPECT_TRUE(sequencer_.known());
  EXPECT_EQ(sequencer_.horizon(), 0);
  EXPECT_EQ(Arrive({2}), (std::vector<int64_t>{}));
  EXPECT_EQ(Arrive({1}), (std::vector<int64_t>{1, 2}));
}

TEST_F(RoomSequencerTest, SnapshotWithHoleHoldsWhatFollowsTheHole) {
  std::vector<FrameRef> released;
  auto snapshot = Messages({5, 6, 8, 9});
  sequencer_.Initialize(snapshot, released);
  EXPECT_EQ(Seqs(released), (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(sequencer_.base(), 4);
  EXPECT_EQ(sequencer_.horizon(), 6);
  EXPECT_EQ(sequencer_.first_pending(), 8);
}

TEST_F(RoomSequencerTest, CopyAfterReturnsTheTimelineTail) {
  StartAt(10);
  Arrive({11, 12, 13});
  std::vector<FrameRef> frames;
  ASSERT_TRUE(sequencer_.Covers(11));
  sequencer_.CopyAfter(11, frames);
  EXPECT_EQ(Seqs(frames), (std::vector<int64_t>{12, 13}));
  frames.clear();
  sequencer_.CopyAfter(13, frames);
  EXPECT_TRUE(frames.empty());
  EXPECT_FALSE(sequencer_.Covers(8));
}

TEST_F(RoomSequencerTest, ExtendBackPrependsOnlyWhatIsContiguous) {
  StartAt(10);  // base 9
  auto older = Messages({3, 4, 6, 7, 8, 9, 10});
  sequencer_.ExtendBack(older);
  EXPECT_EQ(sequencer_.base(), 5);  // 5 is missing: 3 and 4 cannot be used
  std::vector<FrameRef> frames;
  sequencer_.CopyAfter(5, frames);
  EXPECT_EQ(Seqs(frames), (std::vector<int64_t>{6, 7, 8, 9, 10}));
}

TEST_F(RoomSequencerTest, TrimKeepsTheNewestFrames) {
  StartAt(10);
  Arrive({11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
  EXPECT_EQ(sequencer_.timeline_size(), 11u);
  sequencer_.Trim();
  EXPECT_EQ(sequencer_.timeline_size(), 8u);
  EXPECT_EQ(sequencer_.base(), 12);
  EXPECT_TRUE(sequencer_.Covers(12));
  EXPECT_FALSE(sequencer_.Covers(11));
}

TEST_F(RoomSequencerTest, ManyPublishersInAnyOrderComeOutInOrderOnce) {
  StartAt(0);
  // Four "workers" publishing interleaved and out of order, some twice.
  std::vector<int64_t> order;
  for (int64_t seq = 1; seq <= 200; ++seq) order.push_back(seq);
  for (size_t i = 0; i + 3 < order.size(); i += 4) std::swap(order[i], order[i + 3]);
  for (size_t i = 0; i + 1 < order.size(); i += 7) order.push_back(order[i]);  // republished
  std::vector<FrameRef> released;
  for (int64_t seq : order) sequencer_.Arrive(Message(seq), released);
  std::vector<int64_t> expected;
  for (int64_t seq = 1; seq <= 200; ++seq) expected.push_back(seq);
  EXPECT_EQ(Seqs(released), expected);
}

}  // namespace
}  // namespace papo::pusher
