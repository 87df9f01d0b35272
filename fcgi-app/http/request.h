// Request: one HTTP request as papo-app sees it, independent of FastCGI
// (fcgi_server.cc fills it from the FastCGI parameters), so handlers and
// tests work with plain values.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/form.h"

namespace papo {

struct Request {
  std::string method;        // "GET", "POST", ...
  std::string path;          // decoded path without query, e.g. "/chat/sala/3"
  std::string query_string;  // raw, without '?'
  std::string body;
  std::string content_type;
  std::string remote_addr;
  // Lower-case header names ("cookie", "x-csrf-token", "origin", ...).
  std::map<std::string, std::string, std::less<>> headers;
  // For /internal/auth-stream: the URI of the stream request nginx checks.
  std::string original_uri;

  std::string_view Header(std::string_view name) const;
  // The value of cookie `name`, or "" when absent.
  std::string Cookie(std::string_view name) const;
  // True when the client wants JSON rather than a page (fetch() callers).
  bool WantsJson() const;
  // True for a browser's own form submission (Accept names text/html), as
  // opposed to fetch() or curl: such a POST gets a page back, not JSON.
  bool IsBrowserNavigation() const;
};

}  // namespace papo
