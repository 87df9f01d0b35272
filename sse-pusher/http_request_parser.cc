#include "sse-pusher/http_request_parser.h"

#include <algorithm>

namespace papo::pusher {
namespace {

constexpr HttpParseOutcome kIncomplete{HttpParseResult::kIncomplete, 0};
constexpr HttpParseOutcome kComplete{HttpParseResult::kComplete, 0};
constexpr HttpParseOutcome Error(int status) { return {HttpParseResult::kError, status}; }

// RFC 9110 tchar.
bool IsTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return IsTokenChar(c); });
}

// Visible ASCII without space: what an origin-form target may hold (percent
// encoding carries everything else).
bool IsTargetChar(unsigned char c) { return c > 0x20 && c < 0x7f && c != '#'; }

// field-value: VCHAR, obs-text, SP, HTAB.
bool IsFieldValueChar(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]);
    unsigned char y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x | 0x20);
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y | 0x20);
    if (x != y) return false;
  }
  return true;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Finds the CRLF that ends the line starting at `start`. A bare CR or LF is
// an error (request smuggling hides behind lenient line endings).
enum class LineEnd { kFound, kMissing, kBad };
LineEnd FindLineEnd(std::string_view input, size_t start, size_t& end) {
  for (size_t i = start; i < input.size(); ++i) {
    char c = input[i];
    if (c == '\n') return LineEnd::kBad;
    if (c == '\r') {
      if (i + 1 == input.size()) return LineEnd::kMissing;
      if (input[i + 1] != '\n') return LineEnd::kBad;
      end = i;
      return LineEnd::kFound;
    }
  }
  return LineEnd::kMissing;
}

HttpParseOutcome ParseRequestLine(std::string_view line, HttpRequest& request) {
  size_t first_space = line.find(' ');
  if (first_space == std::string_view::npos) return Error(400);
  size_t second_space = line.find(' ', first_space + 1);
  if (second_space == std::string_view::npos) return Error(400);
  request.method = line.substr(0, first_space);
  request.target = line.substr(first_space + 1, second_space - first_space - 1);
  std::string_view version = line.substr(second_space + 1);
  if (!IsToken(request.method)) return Error(400);
  if (request.target.empty() || request.target.front() != '/') return Error(400);
  for (char c : request.target) {
    if (!IsTargetChar(static_cast<unsigned char>(c))) return Error(400);
  }
  if (version == "HTTP/1.1") {
    request.version_minor = 1;
  } else if (version == "HTTP/1.0") {
    request.version_minor = 0;
  } else if (version.size() == 8 && version.starts_with("HTTP/") && version[5] >= '0' && version[5] <= '9' &&
             version[6] == '.' && version[7] >= '0' && version[7] <= '9') {
    return Error(505);
  } else {
    return Error(400);
  }
  size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  request.query = question == std::string_view::npos ? std::string_view() : request.target.substr(question + 1);
  return kComplete;
}

HttpParseOutcome ParseHeaderLine(std::string_view line, HttpRequest& request, const HttpLimits& limits) {
  if (line.front() == ' ' || line.front() == '\t') return Error(400);  // obs-fold
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return Error(400);
  std::string_view name = line.substr(0, colon);
  if (!IsToken(name)) return Error(400);  // also refuses "Name :" (RFC 9112 §5.1)
  std::string_view value = line.substr(colon + 1);
  for (char c : value) {
    if (!IsFieldValueChar(static_cast<unsigned char>(c))) return Error(400);
  }
  if (request.header_count >= std::min(limits.max_headers, HttpRequest::kMaxHeaders)) return Error(431);
  request.headers[request.header_count++] = HttpHeader{name, TrimSpaces(value)};
  return kComplete;
}

// Rules on the header set as a whole, once the section is complete.
HttpParseOutcome CheckHeaders(const HttpRequest& request) {
  if (request.version_minor == 1 && request.HeaderCount("Host") != 1) return Error(400);
  if (request.HeaderCount("Host") > 1) return Error(400);
  if (request.HeaderCount("Transfer-Encoding") > 0) return Error(501);
  if (request.HeaderCount("Content-Length") > 1) return Error(400);
  if (auto length = request.Header("Content-Length"); length && *length != "0") return Error(400);
  return kComplete;
}

}  // namespace

std::optional<std::string_view> HttpRequest::Header(std::string_view name) const {
  for (size_t i = 0; i < header_count; ++i) {
    if (EqualsIgnoreCase(headers[i].name, name)) return headers[i].value;
  }
  return std::nullopt;
}

size_t HttpRequest::HeaderCount(std::string_view name) const {
  size_t count = 0;
  for (size_t i = 0; i < header_count; ++i) {
    if (EqualsIgnoreCase(headers[i].name, name)) ++count;
  }
  return count;
}

HttpParseOutcome ParseHttpRequest(std::string_view input, const HttpLimits& limits, HttpRequest& request) {
  request.header_count = 0;
  size_t line_end = 0;
  switch (FindLineEnd(input, 0, line_end)) {
    case LineEnd::kBad: return Error(400);
    case LineEnd::kMissing:
      if (input.size() > limits.max_request_line) return Error(414);
      return kIncomplete;
    case LineEnd::kFound: break;
  }
  if (line_end > limits.max_request_line) return Error(414);
  if (auto outcome = ParseRequestLine(input.substr(0, line_end), request); outcome.result != HttpParseResult::kComplete) {
    return outcome;
  }
  size_t position = line_end + 2;
  while (true) {
    if (position > limits.max_header_section) return Error(431);
    switch (FindLineEnd(input, position, line_end)) {
      case LineEnd::kBad: return Error(400);
      case LineEnd::kMissing:
        return input.size() > limits.max_header_section ? Error(431) : kIncomplete;
      case LineEnd::kFound: break;
    }
    if (line_end == position) {  // the empty line: end of the header section
      request.length = position + 2;
      if (request.length > limits.max_header_section) return Error(431);
      return CheckHeaders(request);
    }
    if (line_end - position > limits.max_header_section) return Error(431);
    auto outcome = ParseHeaderLine(input.substr(position, line_end - position), request, limits);
    if (outcome.result != HttpParseResult::kComplete) return outcome;
    position = line_end + 2;
  }
}

}  // namespace papo::pusher
