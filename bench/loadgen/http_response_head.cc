#include "bench/loadgen/http_response_head.h"

#include <charconv>

namespace papo::bench {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ContainsToken(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    auto comma = list.find(',');
    if (EqualsIgnoreCase(Trim(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

void Header(std::string_view name, std::string_view value, HttpResponseHead& head) {
  if (EqualsIgnoreCase(name, "transfer-encoding")) {
    head.chunked = ContainsToken(value, "chunked");
  } else if (EqualsIgnoreCase(name, "content-length")) {
    int64_t length = -1;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec != std::errc() || ptr != value.data() + value.size() || length < 0) head.status = 0;
    head.content_length = length;
  } else if (EqualsIgnoreCase(name, "connection")) {
    if (ContainsToken(value, "close")) head.close = true;
    if (ContainsToken(value, "keep-alive")) head.close = false;
  }
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::optional<HttpResponseHead> ParseResponseHead(std::string_view data) {
  auto end = data.find("\r\n\r\n");
  if (end == std::string_view::npos) return std::nullopt;
  HttpResponseHead head;
  head.size = end + 4;
  std::string_view rest = data.substr(0, end + 2);
  auto line_end = rest.find("\r\n");
  std::string_view status_line = rest.substr(0, line_end);
  rest.remove_prefix(line_end + 2);
  // "HTTP/1.1 200 OK"
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/" || status_line[8] != ' ') {
    return head;
  }
  int status = 0;
  auto [ptr, ec] = std::from_chars(status_line.data() + 9, status_line.data() + 12, status);
  if (ec != std::errc() || ptr != status_line.data() + 12) return head;
  head.status = status;
  head.close = status_line.substr(5, 3) == "1.0";
  while (!rest.empty()) {
    line_end = rest.find("\r\n");
    std::string_view line = rest.substr(0, line_end);
    rest.remove_prefix(line_end + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    Header(Trim(line.substr(0, colon)), Trim(line.substr(colon + 1)), head);
  }
  return head;
}

}  // namespace papo::bench
