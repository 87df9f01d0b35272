// Publisher: sends the run's messages on the coordinator's epoll loop.
//
// Message i goes to room index i % rooms with k = i / rooms and is due at
// start + i / rate (or at once when the rate is 0, "full speed"); its text
// carries the marker with its send time: when it was due at a fixed rate,
// when it was written at full speed.
// At most --publish-concurrency messages are in flight. Subclasses speak
// the protocol: HttpPublisher (papo's POST /chat/enviar, Nchan's publisher
// location) and RedisDirectPublisher (what papo-app does after COMMIT).
// Single-threaded.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "bench/loadgen/bench_marker.h"
#include "bench/loadgen/latency_histogram.h"
#include "bench/loadgen/loadgen_options.h"
#include "common/status.h"

namespace papo::bench {

struct PublishStats {
  uint64_t sent = 0;
  uint64_t accepted = 0;             // answered with success
  uint64_t failed = 0;               // refused, failed, or lost with its connection
  std::map<int, uint64_t> statuses;  // HTTP status (or 0: Redis error / no answer) -> count
  std::string first_error;           // the first refusal, for the report
  LatencyHistogram latency;          // write of the request -> end of its answer
  uint64_t first_sent_ns = 0;
  uint64_t last_answer_ns = 0;
  uint64_t max_lag_ns = 0;           // how late against the schedule a message left
};

class Publisher {
 public:
  explicit Publisher(const LoadgenOptions& options);
  virtual ~Publisher() = default;
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  // Connects and registers its sockets with `epoll_fd`, with event data
  // `tag_base + connection index`. May block briefly (setup).
  virtual Status Start(int epoll_fd, uint64_t tag_base, uint64_t now_ns) = 0;
  virtual void OnEvent(uint32_t connection, uint32_t events) = 0;
  // Sends what is due at `now_ns`.
  virtual void Pump(uint64_t now_ns) = 0;

  // Every message was sent and answered (or failed).
  bool done() const { return next_ == options_.messages && in_flight_ == 0; }
  // When the next message is due (0: none can be sent now: all sent, or
  // the window is full and an answer must come first).
  uint64_t NextDueNs() const;
  const PublishStats& stats() const { return stats_; }

  static std::unique_ptr<Publisher> Create(const LoadgenOptions& options);

 protected:
  struct Planned {
    uint32_t index;
    uint32_t room_index;
    uint32_t k;
    int64_t room;
    uint64_t due_ns;  // when the schedule wanted it sent
  };
  // Takes the next message if it is due and the window has room.
  bool TakeDue(uint64_t now_ns, Planned& planned);
  // The marked text of a message sent now. At a fixed rate the marker
  // holds the time the message was due, not when it left: a server that
  // cannot keep up then shows in the latency instead of hiding in a
  // publisher that falls behind (coordinated omission).
  std::string MarkedText(const Planned& planned, uint64_t now_ns) const;
  void Answered(uint64_t sent_ns, int status, bool success, std::string_view error_body);

  const LoadgenOptions& options_;
  PublishStats stats_;
  uint32_t next_ = 0;
  int in_flight_ = 0;
  uint64_t start_ns_ = 0;
};

// The message object of a benchmark message (DESIGN §3), as papo-app would
// publish it; also the body Nchan is given, so both stream the same bytes.
std::string BenchMessageJson(int64_t room, int64_t seq, const std::string& text);

}  // namespace papo::bench
