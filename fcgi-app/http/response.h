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

  // Html and Json carry the security headers of DESIGN §11 (kSecurityHeaders).
  static Response Html(int status, std::string body);
  static Response Json(int status, std::string body);
  static Response NoContent();
  // 303 See Other: after a form POST the browser GETs `location`.
  static Response Redirect(std::string location);

  Response& AddHeader(std::string name, std::string value);
  std::string_view HeaderValue(std::string_view name) const;
};

// DESIGN §11, on every page and JSON body papo-app answers: a CSP that
// allows only papo's own files (no inline script, no inline style
// attribute, no framing), no MIME sniffing, and no path or query in the
// Referer sent to other sites. nginx adds the same to static files.
inline constexpr std::pair<std::string_view, std::string_view> kSecurityHeaders[] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
     "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "same-origin"},
};

std::string_view StatusReason(int status);

// "Status: 200 OK\r\nName: value\r\n...\r\n\r\n" + body.
std::string SerializeCgi(const Response& response);

}  // namespace papo
