// The head of an HTTP/1.1 response: status line and the few headers a
// client of SSE streams and publish endpoints needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace papo::bench {

struct HttpResponseHead {
  int status = 0;               // 0: malformed
  bool chunked = false;         // Transfer-Encoding: chunked
  int64_t content_length = -1;  // -1: none
  bool close = false;           // Connection: close (or HTTP/1.0 without keep-alive)
  size_t size = 0;              // bytes of the head, including the blank line
};

// nullopt while `data` does not yet hold the whole head (up to CRLF CRLF).
// A malformed head comes back with status 0.
std::optional<HttpResponseHead> ParseResponseHead(std::string_view data);

// Case-insensitive ASCII comparison, for header names and tokens.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace papo::bench
