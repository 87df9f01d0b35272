// The marker every benchmark message carries in its text, so that a
// subscriber can tell which message it got and when it was sent without
// parsing the JSON around it:
//
//   ~pb~<room index>.<k>.<send time ns>~xxxx...
//
// k is the message's number within its room (0, 1, 2 ...); the send time is
// CLOCK_MONOTONIC, shared by every process on the machine, so latency is
// end to end across publisher, servers and subscriber processes. Only
// unreserved URL characters are used, so the text survives form encoding,
// JSON and SSE unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace papo::bench {

struct Marker {
  uint32_t room_index = 0;
  uint32_t k = 0;
  uint64_t sent_ns = 0;
};

// The message text, padded with 'x' to `total_bytes` (never shorter than
// the marker itself).
std::string FormatMarkedText(const Marker& marker, size_t total_bytes);

// Finds the first marker in [begin, end). Allocation-free.
bool FindMarker(const char* begin, const char* end, Marker& marker);

// CLOCK_MONOTONIC in nanoseconds.
uint64_t MonotonicNs();

}  // namespace papo::bench
