// RoomClient: what the room page's script does with its live stream
// (static/js/sala/main.js, comum/fluxo.js), on one thread:
// - opens /chat/stream?sala_id=X&desde=<every seq up to here is on the page>;
// - while the stream answered 200 and then ends, reconnects like EventSource
//   (after the server's `retry:`, same URL, Last-Event-ID = last id seen);
// - on any other answer gives up, polls /chat/mensagens?apos_seq every 3 s,
//   and opens a new stream after the page's backoff (jitter, 1 s doubling);
// - on `ressincronizar` {apos_seq} loads the gap over /chat/mensagens (or
//   reloads everything when apos_seq is below the stream's desde);
// - keeps one copy of each seq (the page drops a seq it already shows).
// It counts what the stream did wrong (a seq it had, a seq out of order on
// one connection, a gap without `ressincronizar`) and when the page's
// in-order prefix (1..k all present) advanced.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace papo::chaos {

struct RoomClientStats {
  int64_t stream_events = 0;      // messages received on streams
  int64_t stream_duplicates = 0;  // a seq already on the page (dropped)
  int64_t stream_out_of_order = 0;  // a seq not above the previous one on the same connection
  int64_t stream_gaps = 0;        // a seq beyond the next one with no `ressincronizar` before it
  int64_t fetched = 0;            // messages from /chat/mensagens (ressincronizar, polling)
  int64_t fetch_duplicates = 0;   // of which already on the page
  int64_t page_out_of_order = 0;  // a new seq below one the page already showed
  int64_t ressincronizar = 0;
  int64_t reloads = 0;            // ressincronizar below desde: the page reloads
  int64_t reconnects = 0;         // EventSource's own (after a 200 stream ended)
  int64_t give_ups = 0;           // non-200 or no answer: a new EventSource after backoff
};

class RoomClient final {
 public:
  using Clock = std::chrono::steady_clock;

  RoomClient(int port, std::string cookie, int64_t sala_id) : port_(port), cookie_(std::move(cookie)), sala_id_(sala_id) {}

  void Run(const std::atomic<bool>& stop);

  int64_t sala_id() const { return sala_id_; }
  int64_t prefix() const { return prefix_atomic_.load(); }  // thread-safe
  // After Run returned:
  const std::set<int64_t>& page() const { return page_; }
  const RoomClientStats& stats() const { return stats_; }
  // (when, prefix) each time the in-order prefix grew.
  const std::vector<std::pair<Clock::time_point, int64_t>>& timeline() const { return timeline_; }

 private:
  enum class Source { kStream, kFetch };
  void Receive(int64_t seq, Source source);
  void FetchAfter(int64_t after, const std::atomic<bool>& stop);  // the page's historico.lacuna
  // One EventSource: its connections until one is refused. Returns when it
  // gives up (or on stop).
  void EventSource(const std::atomic<bool>& stop);
  bool Sleep(std::chrono::milliseconds duration, const std::atomic<bool>& stop, bool polling);

  int port_;
  std::string cookie_;
  int64_t sala_id_;
  std::set<int64_t> page_;
  int64_t confirmed_ = 0;  // seqConfirmado: the greatest seq on the page
  int64_t prefix_ = 0;
  std::atomic<int64_t> prefix_atomic_{0};
  int attempt_ = 0;
  Clock::time_point next_poll_{};
  RoomClientStats stats_;
  std::vector<std::pair<Clock::time_point, int64_t>> timeline_;
};

}  // namespace papo::chaos
