#include "bench/loadgen/sse_scanner.h"

#include <charconv>

namespace papo::bench {

bool SseScanner::Line(const char* begin, const char* end, SseCounts& counts) {
  if (end > begin && end[-1] == '\r') --end;
  if (begin == end) return Dispatch(counts);
  if (*begin == ':') {
    ++counts.comments;
    return false;
  }
  auto* colon = static_cast<const char*>(std::memchr(begin, ':', static_cast<size_t>(end - begin)));
  std::string_view field(begin, static_cast<size_t>((colon ? colon : end) - begin));
  const char* value = colon ? colon + 1 : end;
  if (value < end && *value == ' ') ++value;
  std::string_view text(value, static_cast<size_t>(end - value));
  if (field == "data") {
    pending_.has_data = true;
    if (!pending_.has_marker) {
      pending_.has_marker = FindMarker(text.data(), text.data() + text.size(), pending_.event.marker);
    }
  } else if (field == "id") {
    IdField(text);
  } else if (field == "event") {
    pending_.named = !text.empty() && text != "message";
  }
  return false;
}

void SseScanner::IdField(std::string_view value) {
  // The spec ignores an id containing NUL; it also becomes Last-Event-ID.
  if (value.find('\0') != std::string_view::npos) return;
  if (value.size() < sizeof(last_id_)) {
    std::memcpy(last_id_, value.data(), value.size());
    last_id_length_ = static_cast<uint8_t>(value.size());
  }
  const char* p = value.data();
  const char* end = p + value.size();
  auto major = std::from_chars(p, end, pending_.event.id_major);
  pending_.event.has_id = major.ec == std::errc() && major.ptr != p;
  pending_.event.id_minor = 0;
  if (pending_.event.has_id && major.ptr < end) {
    auto minor = std::from_chars(major.ptr + 1, end, pending_.event.id_minor);
    if (minor.ec != std::errc()) pending_.event.id_minor = 0;
  }
}

bool SseScanner::Dispatch(SseCounts& counts) {
  Pending done = pending_;
  pending_ = Pending();
  if (!done.has_data) return false;  // the spec dispatches nothing without data
  if (done.named) {
    ++counts.named;
    return false;
  }
  if (!done.has_marker) {
    ++counts.unmarked;
    return false;
  }
  ++counts.marked;
  delivered_ = done.event;
  return true;
}

}  // namespace papo::bench
