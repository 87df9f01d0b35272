#include "bench/loadgen/http_response_head.h"

#include <gtest/gtest.h>

#include <string>

namespace papo::bench {
namespace {

TEST(HttpResponseHeadTest, IncompleteHead) {
  EXPECT_FALSE(ParseResponseHead("HTTP/1.1 200 OK\r\nContent-Type: x\r\n").has_value());
}

TEST(HttpResponseHeadTest, ChunkedStream) {
  std::string text =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\ntransfer-encoding:  Chunked \r\n\r\nbody";
  auto head = ParseResponseHead(text);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->chunked);
  EXPECT_EQ(head->content_length, -1);
  EXPECT_FALSE(head->close);
  EXPECT_EQ(head->size, text.find("body"));
}

TEST(HttpResponseHeadTest, LengthAndClose) {
  auto head = ParseResponseHead("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 12\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 503);
  EXPECT_EQ(head->content_length, 12);
  EXPECT_TRUE(head->close);
}

TEST(HttpResponseHeadTest, Http10ClosesUnlessKeepAlive) {
  EXPECT_TRUE(ParseResponseHead("HTTP/1.0 200 OK\r\n\r\n")->close);
  EXPECT_FALSE(ParseResponseHead("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n")->close);
}

TEST(HttpResponseHeadTest, MalformedStatusLine) {
  EXPECT_EQ(ParseResponseHead("HTTP/1.1 2x0 OK\r\n\r\n")->status, 0);
  EXPECT_EQ(ParseResponseHead("SSH-2.0\r\n\r\n")->status, 0);
  EXPECT_EQ(ParseResponseHead("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n")->status, 0);
}

}  // namespace
}  // namespace papo::bench
