#include "sse-pusher/stream_request.h"

#include <gtest/gtest.h>

#include <string>

namespace papo::pusher {
namespace {

// Parses a request built from `target` and `headers` (each "Name: value\r\n").
Result<StreamRequest> Request(const std::string& target, const std::string& headers) {
  static std::string storage;
  storage = "GET " + target + " HTTP/1.1\r\nHost: papo\r\n" + headers + "\r\n";
  static HttpRequest http;
  HttpParseOutcome outcome = ParseHttpRequest(storage, HttpLimits{}, http);
  EXPECT_EQ(outcome.result, HttpParseResult::kComplete);
  return ParseStreamRequest(http);
}

const char kUser[] = "X-Papo-User-Id: 7\r\nX-Papo-User-Name: Jo%C3%A3o%20da%20Silva\r\n";

TEST(StreamRequestTest, RoomStreamWithDesde) {
  auto request = Request("/chat/stream?sala_id=3&desde=10", std::string(kUser) + "X-Papo-Sala-Privada: 1\r\n");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->kind, StreamRequest::Kind::kRoom);
  EXPECT_EQ(request->sala_id, 3);
  EXPECT_EQ(request->after_seq.value_or(-1), 10);
  EXPECT_TRUE(request->sala_privada);
  EXPECT_EQ(request->usuario_id, 7);
  EXPECT_EQ(request->usuario_nome, "João da Silva");
  EXPECT_FALSE(request->session_expires_s.has_value());
}

TEST(StreamRequestTest, RoomStreamWithoutResumePointIsLiveOnly) {
  auto request = Request("/chat/stream?sala_id=3", kUser);
  ASSERT_TRUE(request.ok());
  EXPECT_FALSE(request->after_seq.has_value());
  EXPECT_FALSE(request->sala_privada);
}

TEST(StreamRequestTest, LastEventIdWinsOverDesde) {
  auto request = Request("/chat/stream?sala_id=3&desde=10", std::string(kUser) + "Last-Event-ID: 25\r\n");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->after_seq.value_or(-1), 25);
}

TEST(StreamRequestTest, UnusableLastEventIdFallsBackToDesde) {
  auto request = Request("/chat/stream?sala_id=3&desde=10", std::string(kUser) + "Last-Event-ID: abc\r\n");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->after_seq.value_or(-1), 10);
}

TEST(StreamRequestTest, SessionIdIsReadAndOptional) {
  auto named = Request("/chat/stream?sala_id=3", std::string(kUser) + "X-Papo-Session-Id: 0f3a9c_x-Z\r\n");
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  EXPECT_EQ(named->session_id, "0f3a9c_x-Z");
  auto unnamed = Request("/chat/stream?sala_id=3", kUser);
  ASSERT_TRUE(unnamed.ok());
  EXPECT_EQ(unnamed->session_id, "");
}

TEST(StreamRequestTest, MalformedSessionIdIsInvalid) {
  for (const std::string& bad : {std::string("a b"), std::string("abc;def"), std::string(129, 'a')}) {
    auto request = Request("/chat/stream?sala_id=3", std::string(kUser) + "X-Papo-Session-Id: " + bad + "\r\n");
    ASSERT_FALSE(request.ok()) << bad;
    EXPECT_EQ(request.status().code(), Status::Code::kInvalidArgument);
  }
}

TEST(StreamRequestTest, MalformedLastEventIdIsIgnoredWhileAMalformedDesdeIsInvalid) {
  auto ignored = Request("/chat/stream?sala_id=3", std::string(kUser) + "Last-Event-ID: -4\r\n");
  ASSERT_TRUE(ignored.ok());
  EXPECT_FALSE(ignored->after_seq.has_value());
  EXPECT_FALSE(Request("/chat/stream?sala_id=3&desde=abc", kUser).ok());
}

TEST(StreamRequestTest, SessionExpiryIsRead) {
  auto request = Request("/chat/stream?sala_id=3", std::string(kUser) + "X-Papo-Session-Expires: 1900000000\r\n");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->session_expires_s.value_or(0), 1900000000);
}

// The private rooms come from Redis (RoomHub), never from the request: a
// header naming rooms, whoever sent it, is not read.
TEST(StreamRequestTest, ListStreamIgnoresAPrivateRoomsHeader) {
  auto request = Request("/chat/stream?lista=1", std::string(kUser) + "X-Papo-Salas-Privadas: 4, x,12\r\n");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->kind, StreamRequest::Kind::kList);
}

TEST(StreamRequestTest, MissingUserHeadersIsUnauthenticated) {
  auto no_headers = Request("/chat/stream?sala_id=1", "");
  ASSERT_FALSE(no_headers.ok());
  EXPECT_EQ(no_headers.status().code(), Status::Code::kUnauthenticated);
  auto no_name = Request("/chat/stream?sala_id=1", "X-Papo-User-Id: 7\r\n");
  EXPECT_EQ(no_name.status().code(), Status::Code::kUnauthenticated);
}

TEST(StreamRequestTest, MalformedUserHeadersAreInvalid) {
  for (const char* headers : {"X-Papo-User-Id: 0\r\nX-Papo-User-Name: a\r\n",
                              "X-Papo-User-Id: -3\r\nX-Papo-User-Name: a\r\n",
                              "X-Papo-User-Id: 7x\r\nX-Papo-User-Name: a\r\n",
                              "X-Papo-User-Id: 7\r\nX-Papo-User-Name: %ZZ\r\n",
                              "X-Papo-User-Id: 7\r\nX-Papo-User-Name: %C3%28\r\n",
                              "X-Papo-User-Id: 7\r\nX-Papo-User-Id: 8\r\nX-Papo-User-Name: a\r\n"}) {
    auto request = Request("/chat/stream?sala_id=1", headers);
    ASSERT_FALSE(request.ok()) << headers;
    EXPECT_EQ(request.status().code(), Status::Code::kInvalidArgument) << headers;
  }
}

TEST(StreamRequestTest, BadQueriesAreInvalid) {
  for (const char* target : {"/chat/stream", "/chat/stream?sala_id=0", "/chat/stream?sala_id=abc",
                             "/chat/stream?sala_id=1&lista=1", "/chat/stream?lista=2",
                             "/chat/stream?sala_id=1&desde=-1", "/chat/stream?sala_id=1&desde=x",
                             "/chat/stream?sala_id=%ZZ"}) {
    auto request = Request(target, kUser);
    ASSERT_FALSE(request.ok()) << target;
    EXPECT_EQ(request.status().code(), Status::Code::kInvalidArgument) << target;
  }
}

TEST(StreamRequestTest, BadPrivacyHeadersAreInvalid) {
  EXPECT_FALSE(Request("/chat/stream?sala_id=1", std::string(kUser) + "X-Papo-Sala-Privada: yes\r\n").ok());
  EXPECT_FALSE(Request("/chat/stream?sala_id=1", std::string(kUser) + "X-Papo-Session-Expires: soon\r\n").ok());
}

}  // namespace
}  // namespace papo::pusher
