// SseScanner: the EventSource parser of one stream, reduced to what a load
// generator needs (https://html.spec.whatwg.org/multipage/server-sent-events.html).
//
// It walks complete lines with memchr, keeps no copy of the data, and hands
// each dispatched default-type event that carries a benchmark marker to a
// callback. Named events (`event: presenca`, Nchan's `event: ping`),
// comments (heartbeats) and events without a marker are only counted: they
// are never deliveries. Lines end with LF or CRLF (a lone CR is not a line
// end here: no server we measure sends one). Allocation-free.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "bench/loadgen/bench_marker.h"

namespace papo::bench {

// One dispatched default event that carried a marker.
struct SseDelivery {
  Marker marker;
  bool has_id = false;     // the event had a numeric `id:` field
  uint64_t id_major = 0;   // papo: the seq; Nchan "<time>:<tag>": the time
  uint64_t id_minor = 0;   // Nchan: the tag
};

struct SseCounts {
  uint64_t marked = 0;     // default events with a marker (handed to the callback)
  uint64_t unmarked = 0;   // default events without one
  uint64_t named = 0;      // events with an event name
  uint64_t comments = 0;   // comment lines: greetings and heartbeats
};

class SseScanner final {
 public:
  // Scans the complete lines of [data, data + size), calling
  // on_delivery(const SseDelivery&) per marked default event. Returns the
  // bytes consumed (through the last LF); the caller keeps the rest and
  // passes it again in front of the next bytes.
  template <typename OnDelivery>
  size_t Scan(const char* data, size_t size, SseCounts& counts, OnDelivery&& on_delivery) {
    const char* p = data;
    const char* end = data + size;
    while (p < end) {
      auto* lf = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
      if (lf == nullptr) break;
      if (Line(p, lf, counts)) on_delivery(delivered_);
      p = lf + 1;
    }
    return static_cast<size_t>(p - data);
  }

  // The last `id:` seen, for Last-Event-ID on reconnection.
  std::string_view last_event_id() const { return {last_id_, last_id_length_}; }

  // Drops a half-received event (the connection was lost); keeps the id.
  void AbandonEvent() { pending_ = Pending(); }

 private:
  struct Pending {
    bool has_data = false;
    bool named = false;
    bool has_marker = false;
    SseDelivery event;
  };

  // Returns true when the line dispatched a marked default event.
  bool Line(const char* begin, const char* end, SseCounts& counts);
  bool Dispatch(SseCounts& counts);
  void IdField(std::string_view value);

  Pending pending_;
  SseDelivery delivered_;
  char last_id_[40] = {};
  uint8_t last_id_length_ = 0;
};

}  // namespace papo::bench
