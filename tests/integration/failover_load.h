// The load both failover suites (Sentinel and Cluster, issue 15, DESIGN §8)
// run while Redis changes under the whole stack: posters registered as
// WebUsers send to one room over HTTP, readers keep streams open on it,
// and afterwards every stream is checked — every message papo
// acknowledged (200 from /chat/enviar) arrived exactly once, in seq order,
// with no other event (ressincronizar would be one) — and the resume time
// is measured: from the fault to the first delivery of a message sent
// after it. What changes under the load, and when, stays in each test.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/sse_client.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {

// Two papo-app processes of 4 threads on `redis_url`, no rate limit, and a
// 2 s reorder window in the pusher (PAPO_PUSHER_REORDER_MS): a message
// published right after the fault may overtake one the republisher brings
// back (it retries every second); within the window the stream waits for
// it instead of being told to resynchronise.
StackOptions FailoverLoadStackOptions(const std::string& redis_url);

struct FailoverLoadOptions {
  int64_t room = 1;  // "Sala Geral", seeded at first start
  int posters = 4;
  int readers = 5;
  int streams_per_reader = 10;
  std::chrono::milliseconds pace{100};  // each poster's pause between sends
};

// What Verify measured.
struct FailoverLoadResult {
  size_t acknowledged = 0;  // messages papo acknowledged
  int64_t newest = 0;       // the newest acknowledged seq
  int refused = 0;          // sends not acknowledged
  size_t deferred = 0;      // event=publish_deferred lines in papo-app's logs
  // From the fault to the first message sent after it reaching a stream:
  // the soonest stream, and the latest one (-1: none did).
  int64_t first_resume_ms = -1;
  int64_t last_resume_ms = -1;
};

class FailoverLoad final {
 public:
  using Clock = std::chrono::steady_clock;

  FailoverLoad(Stack& stack, FailoverLoadOptions options);
  ~FailoverLoad();  // stops any thread still running
  FailoverLoad(const FailoverLoad&) = delete;
  FailoverLoad& operator=(const FailoverLoad&) = delete;

  // Registers the users, opens the streams and starts posting and
  // listening. Fatal failures: call under ASSERT_NO_FATAL_FAILURE.
  void Start();
  // Stops posting, waits (up to 20 s) until every stream has the newest
  // acknowledged seq, and 0.5 s more for anything repeated after it, then
  // stops listening. Fatal failure when nothing was acknowledged.
  void Stop();
  // EXPECTs the guarantees on every stream (with the stack's logs on any
  // failure) and returns the measurements, resume times from `fault`.
  FailoverLoadResult Verify(Clock::time_point fault);

  // papo-app's logs, every process's.
  std::string AppLogs() const;

 private:
  // What one stream received: message seqs with their arrival times, and
  // any other event's name.
  struct Received {
    std::atomic<int64_t> newest{0};  // read by Stop while listening
    std::vector<int64_t> seqs;
    std::vector<Clock::time_point> at;
    std::vector<std::string> others;
  };

  void Post(const WebUser& user);
  void Listen(SseClient& stream, Received& received);
  void Join();

  Stack& stack_;
  const FailoverLoadOptions options_;
  std::vector<std::unique_ptr<WebUser>> posters_;
  std::vector<std::unique_ptr<WebUser>> readers_;
  std::vector<std::unique_ptr<SseClient>> streams_;
  std::vector<Received> received_;

  std::atomic<bool> stop_posting_{false};
  std::atomic<bool> stop_reading_{false};
  std::mutex acked_mutex_;
  std::vector<int64_t> acked_;  // in order of acknowledgement
  // When each acknowledged message was sent: one sent after the fault
  // cannot have been published before it (one acknowledged after it may).
  std::map<int64_t, Clock::time_point> sent_at_by_seq_;
  std::atomic<int> refused_{0};
  std::vector<int64_t> expected_;  // acked_, sorted, once Stop ran
  std::vector<std::thread> posting_;
  std::vector<std::thread> listening_;
};

}  // namespace papo::testing
