// SubscriberPool: one load-generator process's share of the SSE
// subscribers, all on one epoll loop.
//
// Subscriber s (global index) belongs to the process s % workers, joins
// room index s % rooms, connects to target s % targets. Connects are paced
// (--connect-concurrency in flight); a stream that ends is reopened after
// --reconnect-delay-ms with Last-Event-ID, like EventSource. Each read is
// one large read(2) into a buffer shared by the whole process; only the
// incomplete last line of a stream is kept per subscriber, so an idle
// subscriber owns a socket and ~200 bytes. The hot path (read, dechunk,
// scan, record) allocates nothing.
//
// Runs in a forked child, single-threaded; talks to the coordinator over
// `control_fd` (worker_report.h).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "bench/loadgen/chunked_decoder.h"
#include "bench/loadgen/delivery_tracker.h"
#include "bench/loadgen/loadgen_options.h"
#include "bench/loadgen/sse_scanner.h"
#include "bench/loadgen/worker_report.h"

namespace papo::bench {

class SubscriberPool final {
 public:
  // REQUIRES: options.sources >= 1 (resolved by the coordinator).
  SubscriberPool(const LoadgenOptions& options, int worker_index, int workers, int control_fd);
  ~SubscriberPool();
  SubscriberPool(const SubscriberPool&) = delete;
  SubscriberPool& operator=(const SubscriberPool&) = delete;

  // Runs until the coordinator says "stop" (or goes away). Returns the
  // process exit code.
  int Run();

 private:
  enum class State : uint8_t { kQueued, kConnecting, kSending, kHead, kStream, kWaiting, kFailed };

  struct Slot {
    int fd = -1;
    uint32_t global_index = 0;
    uint32_t room_index = 0;
    uint32_t track = 0;          // DeliveryTracker handle
    uint16_t target = 0;
    uint16_t source = 0;
    State state = State::kQueued;
    bool established = false;    // a stream has opened at least once
    bool chunked = false;
    uint32_t request_offset = 0;
    ChunkedDecoder decoder;
    SseScanner scanner;
    std::string pending;         // request bytes to send, or the unparsed tail
  };

  void SetState(Slot& slot, State state);
  void StartQueued(uint64_t now);
  void Start(uint32_t index, uint64_t now);
  void OnEvent(uint32_t index, uint32_t events);
  void OnWritable(Slot& slot, uint32_t index);
  void OnReadable(Slot& slot, uint32_t index);
  void OnHead(Slot& slot, uint32_t index, char* buffer, size_t size);
  void OnBody(Slot& slot, uint32_t index, char* buffer, size_t decoded, size_t raw);
  void Lost(Slot& slot, uint32_t index);
  void Retry(uint32_t index, uint64_t at_ns);
  void RunDueRetries(uint64_t now);
  std::string BuildRequest(const Slot& slot) const;
  void CheckResolved();
  void ReportProgress(uint64_t now, bool force);
  bool OnControl();
  int TimeoutMs(uint64_t now) const;

  const LoadgenOptions& options_;
  int control_fd_;
  int epoll_fd_ = -1;
  std::vector<Slot> slots_;
  std::deque<uint32_t> queued_;                         // never started yet
  std::deque<std::pair<uint64_t, uint32_t>> retries_;   // (due ns, slot), in due order
  std::vector<char> buffer_;
  std::string control_in_;
  DeliveryTracker tracker_;
  WorkerReport report_;
  int in_flight_ = 0;
  bool resolved_sent_ = false;
  bool stopping_ = false;
  uint64_t next_progress_ns_ = 0;
  uint64_t reported_unique_ = ~uint64_t{0};
  uint64_t reported_duplicates_ = 0;
  uint64_t now_ns_ = 0;
};

}  // namespace papo::bench
