#include "common/sse_frame.h"

#include <gtest/gtest.h>

namespace papo {
namespace {

TEST(SseFrameTest, MessageWithIdAndNoEventName) {
  EXPECT_EQ(FrameSseEvent("", "7", "{\"a\":1}"), "id: 7\ndata: {\"a\":1}\n\n");
}

TEST(SseFrameTest, NamedEvent) {
  EXPECT_EQ(FrameSseEvent("presenca", "", "{}"), "event: presenca\ndata: {}\n\n");
}

TEST(SseFrameTest, MultiLineDataBecomesSeveralDataLines) {
  EXPECT_EQ(FrameSseEvent("", "", "a\nb\r\nc\rd"), "data: a\ndata: b\ndata: c\ndata: d\n\n");
}

TEST(SseFrameTest, EmptyDataStillDispatches) { EXPECT_EQ(FrameSseEvent("x", "", ""), "event: x\ndata: \n\n"); }

TEST(SseFrameTest, CommentAndRetry) {
  EXPECT_EQ(FrameSseComment("ping"), ": ping\n\n");
  EXPECT_EQ(FrameSseComment("a\nb"), ": a\n: b\n\n");
  EXPECT_EQ(FrameSseRetry(3000), "retry: 3000\n");
}

}  // namespace
}  // namespace papo
