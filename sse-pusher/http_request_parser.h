// A small, strict HTTP/1.x request parser for the few GET requests the
// pusher serves (RFC 9112). It reads the request line and the header
// section; bodies are refused. Everything returned points into the input.
//
// Strict on purpose: the pusher trusts headers set by nginx, so anything
// ambiguous (obsolete line folding, bare LF, a space before the colon,
// duplicated identity headers, Transfer-Encoding) is a 400 rather than a
// guess. Pure function; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace papo::pusher {

struct HttpLimits {
  size_t max_request_line = 4096;    // over: 414
  size_t max_header_section = 8192;  // request line + headers; over: 431
  size_t max_headers = 48;           // over: 431
};

struct HttpHeader {
  std::string_view name;
  std::string_view value;  // without surrounding spaces
};

struct HttpRequest {
  static constexpr size_t kMaxHeaders = 64;

  std::string_view method;
  std::string_view target;  // origin-form: path[?query]
  std::string_view path;
  std::string_view query;   // after '?', may be empty
  int version_minor = 1;    // HTTP/1.0 or HTTP/1.1
  std::array<HttpHeader, kMaxHeaders> headers;
  size_t header_count = 0;
  size_t length = 0;        // bytes of the request, final CRLF CRLF included

  // The value of header `name` (case-insensitive), first occurrence.
  std::optional<std::string_view> Header(std::string_view name) const;
  // How many times header `name` occurs.
  size_t HeaderCount(std::string_view name) const;
};

enum class HttpParseResult {
  kComplete,    // `request` is filled
  kIncomplete,  // need more bytes (no limit exceeded yet)
  kError,       // answer `error_status` and close
};

struct HttpParseOutcome {
  HttpParseResult result;
  int error_status = 0;  // 400, 414, 431, 501 or 505 when result == kError
};

HttpParseOutcome ParseHttpRequest(std::string_view input, const HttpLimits& limits, HttpRequest& request);

}  // namespace papo::pusher
