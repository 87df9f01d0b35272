// Response: status, headers and body a handler returns; serialized for
// FastCGI (a CGI "Status:" header) by fcgi_server.cc.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace papo {

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static Response Html(int status, std::string body);
  static Response Json(int status, std::string body);
  static Response NoContent();
  // 303 See Other: after a form POST the browser GETs `location`.
  static Response Redirect(std::string location);

  Response& AddHeader(std::string name, std::string value);
  std::string_view HeaderValue(std::string_view name) const;
};

std::string_view StatusReason(int status);

// "Status: 200 OK\r\nName: value\r\n...\r\n\r\n" + body.
std::string SerializeCgi(const Response& response);

}  // namespace papo
