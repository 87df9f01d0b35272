// A small blocking HTTP/1.1 client for tests (one request per connection,
// Connection: close), over TCP (nginx) or a unix socket (a pusher).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace papo::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;  // 0: no answer (connection failed or timed out)
  std::multimap<std::string, std::string> headers;  // lower-case names
  std::string body;

  // The first value of header `name` (lower-case), "" when absent.
  std::string Header(const std::string& name) const;
  std::vector<std::string> Headers(const std::string& name) const;
};

HttpResponse HttpCall(int port, const std::string& method, const std::string& target, const HeaderList& headers = {},
                      const std::string& body = "");
HttpResponse HttpCallUnix(const std::string& socket_path, const std::string& method, const std::string& target,
                          const HeaderList& headers = {}, const std::string& body = "");

// "a=1&b=x+y" with every value percent-encoded.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

// Parses a response head + body from raw bytes (exposed for the SSE client).
// Returns false when the head is incomplete.
bool ParseResponseHead(const std::string& raw, HttpResponse& response, size_t& body_start);
// Decodes a complete chunked body; false when it is incomplete.
bool DecodeChunked(const std::string& raw, std::string& out);

}  // namespace papo::testing
