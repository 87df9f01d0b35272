// The stream as a browser sees it through nginx (DESIGN §4): the response
// head, the first frame, and nginx not buffering the stream.
#include <gtest/gtest.h>

#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

TEST(NginxStreamTest, ResponseHeadAndFirstFrameReachTheBrowser) {
  Stack stack;
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  auto stream = ana.Stream("sala_id=1");
  ASSERT_EQ(stream->status(), 200) << stack.Logs();
  EXPECT_EQ(stream->head().Header("content-type"), "text/event-stream");
  EXPECT_EQ(stream->head().Header("cache-control"), "no-cache");
  EXPECT_EQ(stream->head().Header("x-accel-buffering"), "no");
  // The first frame: the retry hint and a comment, before any event.
  auto first = stream->Next(std::chrono::milliseconds(5000));
  EXPECT_TRUE(stream->retry().has_value());
  EXPECT_EQ(*stream->retry(), 3000);
  EXPECT_FALSE(stream->comments().empty());
  // A message posted now arrives at once: nginx does not hold it back.
  ASSERT_EQ(ana.Send(1, "sem buffer").status, 200);
  auto message = first && first->event.empty() ? first : stream->NextOf("");
  ASSERT_TRUE(message.has_value()) << stack.Logs();
  EXPECT_NE(message->data.find("sem buffer"), std::string::npos);
}

}  // namespace
}  // namespace papo::testing
