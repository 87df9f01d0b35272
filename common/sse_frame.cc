#include "common/sse_frame.h"

namespace papo {
namespace {

// Appends `prefix` + each line of `text`; any of CRLF, LF, CR ends a line.
void AppendLines(std::string& out, std::string_view prefix, std::string_view text) {
  size_t start = 0;
  while (true) {
    size_t end = text.find_first_of("\r\n", start);
    out += prefix;
    out += text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    out += '\n';
    if (end == std::string_view::npos) return;
    start = end + 1;
    if (text[end] == '\r' && start < text.size() && text[start] == '\n') ++start;
  }
}

}  // namespace

std::string FrameSseEvent(std::string_view event, std::string_view id, std::string_view data) {
  std::string out;
  out.reserve(data.size() + event.size() + id.size() + 24);
  if (!event.empty()) {
    out += "event: ";
    out += event;
    out += '\n';
  }
  if (!id.empty()) {
    out += "id: ";
    out += id;
    out += '\n';
  }
  AppendLines(out, "data: ", data);
  out += '\n';
  return out;
}

std::string FrameSseComment(std::string_view text) {
  std::string out;
  AppendLines(out, ": ", text);
  out += '\n';
  return out;
}

std::string FrameSseRetry(int64_t milliseconds) {
  return "retry: " + std::to_string(milliseconds) + "\n";
}

}  // namespace papo
