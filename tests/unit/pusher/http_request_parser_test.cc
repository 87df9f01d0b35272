#include "sse-pusher/http_request_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace papo::pusher {
namespace {

const char kStream[] =
    "GET /chat/stream?sala_id=1&desde=7 HTTP/1.1\r\n"
    "Host: papo\r\n"
    "X-Papo-User-Id: 3\r\n"
    "X-Papo-User-Name: Ana%20Maria\r\n"
    "Last-Event-ID:   9  \r\n"
    "\r\n";

HttpParseOutcome Parse(std::string_view input, HttpRequest& request, HttpLimits limits = {}) {
  return ParseHttpRequest(input, limits, request);
}

int ErrorOf(std::string_view input, HttpLimits limits = {}) {
  HttpRequest request;
  HttpParseOutcome outcome = Parse(input, request, limits);
  return outcome.result == HttpParseResult::kError ? outcome.error_status : 0;
}

TEST(HttpRequestParserTest, ParsesRequestLineQueryAndHeaders) {
  HttpRequest request;
  ASSERT_EQ(Parse(kStream, request).result, HttpParseResult::kComplete);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/chat/stream?sala_id=1&desde=7");
  EXPECT_EQ(request.path, "/chat/stream");
  EXPECT_EQ(request.query, "sala_id=1&desde=7");
  EXPECT_EQ(request.version_minor, 1);
  EXPECT_EQ(request.header_count, 4u);
  EXPECT_EQ(request.length, std::string(kStream).size());
}

TEST(HttpRequestParserTest, HeaderLookupIgnoresCaseAndTrimsSpaces) {
  HttpRequest request;
  ASSERT_EQ(Parse(kStream, request).result, HttpParseResult::kComplete);
  EXPECT_EQ(request.Header("last-event-id").value_or("?"), "9");
  EXPECT_EQ(request.Header("X-PAPO-USER-NAME").value_or("?"), "Ana%20Maria");
  EXPECT_FALSE(request.Header("Cookie").has_value());
}

TEST(HttpRequestParserTest, PathWithoutQueryHasEmptyQuery) {
  HttpRequest request;
  ASSERT_EQ(Parse("GET /chat/health HTTP/1.1\r\nHost: x\r\n\r\n", request).result, HttpParseResult::kComplete);
  EXPECT_EQ(request.path, "/chat/health");
  EXPECT_EQ(request.query, "");
}

TEST(HttpRequestParserTest, AcceptsHttp10WithoutHost) {
  HttpRequest request;
  ASSERT_EQ(Parse("GET /metrics HTTP/1.0\r\n\r\n", request).result, HttpParseResult::kComplete);
  EXPECT_EQ(request.version_minor, 0);
}

TEST(HttpRequestParserTest, EveryPrefixIsIncomplete) {
  std::string full(kStream);
  for (size_t length = 0; length < full.size(); ++length) {
    HttpRequest request;
    EXPECT_EQ(Parse(full.substr(0, length), request).result, HttpParseResult::kIncomplete) << "length " << length;
  }
}

TEST(HttpRequestParserTest, BytesAfterTheRequestAreNotPartOfIt) {
  HttpRequest request;
  std::string input = std::string(kStream) + "GET / HTTP/1.1\r\n";
  ASSERT_EQ(Parse(input, request).result, HttpParseResult::kComplete);
  EXPECT_EQ(request.length, std::string(kStream).size());
}

TEST(HttpRequestParserTest, BareLineFeedIsRefused) {
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\nHost: x\n\n"), 400);
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: x\n\r\n"), 400);
}

TEST(HttpRequestParserTest, BareCarriageReturnIsRefused) { EXPECT_EQ(ErrorOf("GET / HTTP/1.1\rHost: x\r\n\r\n"), 400); }

TEST(HttpRequestParserTest, LeadingEmptyLineIsRefused) { EXPECT_EQ(ErrorOf("\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"), 400); }

TEST(HttpRequestParserTest, MalformedRequestLinesAreRefused) {
  EXPECT_EQ(ErrorOf("GET\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET /\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET  / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1 \r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("G(T / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET chat HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET /\xc3\xa1 HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET / http/1.1\r\nHost: x\r\n\r\n"), 400);
}

TEST(HttpRequestParserTest, UnsupportedVersionIs505) {
  EXPECT_EQ(ErrorOf("GET / HTTP/2.0\r\nHost: x\r\n\r\n"), 505);
  EXPECT_EQ(ErrorOf("GET / HTTP/1.2\r\nHost: x\r\n\r\n"), 505);
}

TEST(HttpRequestParserTest, ObsoleteLineFoldingIsRefused) {
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  continued\r\n\r\n"), 400);
}

TEST(HttpRequestParserTest, SpaceBeforeColonIsRefused) {
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost : x\r\n\r\n"), 400);
}

TEST(HttpRequestParserTest, HeaderWithoutColonIsRefused) {
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: x\r\nnonsense\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: x\r\n: empty-name\r\n\r\n"), 400);
}

TEST(HttpRequestParserTest, ControlCharacterInValueIsRefused) {
  EXPECT_EQ(ErrorOf(std::string("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n", 36)), 400);
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x7f\r\n\r\n"), 400);
}

TEST(HttpRequestParserTest, TabAndHighBytesInValueAreAccepted) {
  HttpRequest request;
  ASSERT_EQ(Parse("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\tb \xc3\xa1\r\n\r\n", request).result,
            HttpParseResult::kComplete);
  EXPECT_EQ(request.Header("X-A").value_or(""), "a\tb \xc3\xa1");
}

TEST(HttpRequestParserTest, Http11WithoutHostIsRefused) { EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\n\r\n"), 400); }

TEST(HttpRequestParserTest, DuplicatedHostIsRefused) {
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
}

TEST(HttpRequestParserTest, TransferEncodingIsNotImplemented) {
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"), 501);
}

TEST(HttpRequestParserTest, BodyIsRefusedButZeroLengthIsFine) {
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"), 400);
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n"), 400);
  EXPECT_EQ(ErrorOf("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), 0);
}

TEST(HttpRequestParserTest, LongRequestLineIs414) {
  HttpLimits limits;
  limits.max_request_line = 64;
  std::string target = "/" + std::string(100, 'a');
  EXPECT_EQ(ErrorOf("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n", limits), 414);
  // Also before the line is complete: no need to wait for the rest.
  EXPECT_EQ(ErrorOf("GET " + target, limits), 414);
}

TEST(HttpRequestParserTest, LargeHeaderSectionIs431) {
  HttpLimits limits;
  limits.max_header_section = 128;
  std::string input = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(200, 'b') + "\r\n\r\n";
  EXPECT_EQ(ErrorOf(input, limits), 431);
  // Also while the section is still arriving.
  EXPECT_EQ(ErrorOf(input.substr(0, 150), limits), 431);
}

TEST(HttpRequestParserTest, TooManyHeadersIs431) {
  HttpLimits limits;
  limits.max_headers = 4;
  std::string input = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 5; ++i) input += "X-" + std::to_string(i) + ": v\r\n";
  input += "\r\n";
  EXPECT_EQ(ErrorOf(input, limits), 431);
}

TEST(HttpRequestParserTest, HeaderCountIsCappedByTheArrayEvenWithLooseLimits) {
  HttpLimits limits;
  limits.max_headers = 1000;
  limits.max_header_section = 1 << 20;
  std::string input = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (size_t i = 0; i < HttpRequest::kMaxHeaders + 1; ++i) input += "X-" + std::to_string(i) + ": v\r\n";
  input += "\r\n";
  EXPECT_EQ(ErrorOf(input, limits), 431);
}

}  // namespace
}  // namespace papo::pusher
