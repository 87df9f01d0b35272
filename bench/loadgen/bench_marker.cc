#include "bench/loadgen/bench_marker.h"

#include <string.h>
#include <time.h>

#include <charconv>

namespace papo::bench {
namespace {

constexpr char kPrefix[] = "~pb~";
constexpr size_t kPrefixLength = sizeof(kPrefix) - 1;

// Parses digits up to `stop`; advances `p` past it.
template <typename T>
bool ParseField(const char*& p, const char* end, char stop, T& out) {
  auto [ptr, ec] = std::from_chars(p, end, out);
  if (ec != std::errc() || ptr == p || ptr == end || *ptr != stop) return false;
  p = ptr + 1;
  return true;
}

}  // namespace

std::string FormatMarkedText(const Marker& marker, size_t total_bytes) {
  std::string text = kPrefix;
  text += std::to_string(marker.room_index);
  text += '.';
  text += std::to_string(marker.k);
  text += '.';
  text += std::to_string(marker.sent_ns);
  text += '~';
  if (text.size() < total_bytes) text.append(total_bytes - text.size(), 'x');
  return text;
}

bool FindMarker(const char* begin, const char* end, Marker& marker) {
  const char* p = begin;
  while (p < end) {
    auto* found = static_cast<const char*>(
        memmem(p, static_cast<size_t>(end - p), kPrefix, kPrefixLength));
    if (found == nullptr) return false;
    const char* q = found + kPrefixLength;
    Marker parsed;
    if (ParseField(q, end, '.', parsed.room_index) && ParseField(q, end, '.', parsed.k) &&
        ParseField(q, end, '~', parsed.sent_ns)) {
      marker = parsed;
      return true;
    }
    p = found + 1;
  }
  return false;
}

uint64_t MonotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace papo::bench
