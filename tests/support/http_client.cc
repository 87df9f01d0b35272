#include "tests/support/http_client.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "common/form.h"
#include "tests/support/net.h"

namespace papo::testing {
namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

HttpResponse Exchange(UniqueFd fd, const std::string& method, const std::string& target, const HeaderList& headers,
                      const std::string& body) {
  HttpResponse response;
  if (!fd.valid()) return response;
  timeval timeout{15, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  bool has_type = false;
  for (const auto& [name, value] : headers) {
    request += name + ": " + value + "\r\n";
    if (Lower(name) == "content-type") has_type = true;
  }
  if (!body.empty() || method == "POST") {
    if (!has_type) request += "Content-Type: application/x-www-form-urlencoded\r\n";
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  if (!WriteAll(fd.get(), request)) return response;
  std::string raw;
  char buffer[16384];
  while (true) {
    ssize_t n = ::recv(fd.get(), buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<size_t>(n));
  }
  size_t body_start = 0;
  if (!ParseResponseHead(raw, response, body_start)) {
    response.status = 0;
    return response;
  }
  std::string rest = raw.substr(body_start);
  if (Lower(response.Header("transfer-encoding")) == "chunked") {
    DecodeChunked(rest, response.body);
  } else {
    response.body = std::move(rest);
  }
  return response;
}

}  // namespace

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::vector<std::string> HttpResponse::Headers(const std::string& name) const {
  std::vector<std::string> values;
  auto [begin, end] = headers.equal_range(name);
  for (auto it = begin; it != end; ++it) values.push_back(it->second);
  return values;
}

bool ParseResponseHead(const std::string& raw, HttpResponse& response, size_t& body_start) {
  size_t head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  body_start = head_end + 4;
  std::string head = raw.substr(0, head_end);
  size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  auto space = status_line.find(' ');
  if (space == std::string::npos) return false;
  response.status = std::atoi(status_line.c_str() + space + 1);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    std::string line = head.substr(pos, end - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      response.headers.emplace(Lower(line.substr(0, colon)), value);
    }
    pos = end + 2;
  }
  return true;
}

bool DecodeChunked(const std::string& raw, std::string& out) {
  size_t pos = 0;
  while (true) {
    size_t line_end = raw.find("\r\n", pos);
    if (line_end == std::string::npos) return false;
    size_t size = std::strtoul(raw.c_str() + pos, nullptr, 16);
    pos = line_end + 2;
    if (size == 0) return true;
    if (pos + size > raw.size()) return false;
    out.append(raw, pos, size);
    pos += size + 2;
  }
}

HttpResponse HttpCall(int port, const std::string& method, const std::string& target, const HeaderList& headers,
                      const std::string& body) {
  return Exchange(ConnectTcp(port), method, target, headers, body);
}

HttpResponse HttpCallUnix(const std::string& socket_path, const std::string& method, const std::string& target,
                          const HeaderList& headers, const std::string& body) {
  return Exchange(ConnectUnix(socket_path), method, target, headers, body);
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += PercentEncode(name);
    out += '=';
    out += PercentEncode(value);
  }
  return out;
}

}  // namespace papo::testing
