// What a subscriber process tells the coordinator, over a socketpair, one
// text line per message:
//
//   connected <established> <failed> <expected>   every subscriber resolved
//   progress <unique> <duplicates>                 about every 100 ms while it changes
//   final key=value ... hist=<histogram>           answer to "stop", then exit
//
// and what the coordinator sends: "stop".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bench/loadgen/delivery_tracker.h"
#include "bench/loadgen/latency_histogram.h"
#include "bench/loadgen/sse_scanner.h"

namespace papo::bench {

struct WorkerReport {
  uint64_t established = 0;        // subscribers whose first stream opened (200)
  uint64_t failed = 0;             // subscribers that never got a stream
  uint64_t disconnects = 0;        // established streams that ended
  uint64_t reconnects = 0;         // streams reopened after a disconnect
  uint64_t reconnect_failures = 0; // reopen attempts refused (non-200, error)
  uint64_t refused_5xx = 0;        // attempts answered 5xx (502: upstream down or full)
  uint64_t refused_other = 0;      // attempts answered another non-200 status
  uint64_t bytes = 0;              // body bytes read
  uint64_t reads = 0;              // read(2) calls that returned data
  double cpu_s = 0;                // the process's own utime + stime
  DeliveryCounts deliveries;
  SseCounts sse;
  LatencyHistogram latency;

  std::string ToLine() const;                           // "final ..."
  [[nodiscard]] bool MergeLine(std::string_view line);  // adds a "final ..." line
};

// Reads a whole line-oriented message stream without blocking: appends what
// is readable from `fd` to `buffer`; returns false on EOF or error.
bool ReadAvailable(int fd, std::string& buffer);

// Writes all of `line` + '\n', waiting while a non-blocking `fd` is full;
// false on error.
bool WriteLine(int fd, std::string_view line);

}  // namespace papo::bench
