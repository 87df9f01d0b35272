// Poster: one user sending messages through nginx as the room page's
// composer would, each with its own client_id, and retrying that same
// client_id on anything but 200 or 422 until it is acknowledged — so a
// message stored by a papo-app that died before answering comes back as the
// first one, never as a second.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/web_user.h"

namespace papo::chaos {

using Clock = std::chrono::steady_clock;

// Posts sent and not yet answered, across every Poster (the injector kills a
// papo-app while some are in flight).
int PostsInFlight();

struct Ack {
  int64_t usuario_id = 0;
  std::string client_id;
  int64_t sala_id = 0;
  int64_t seq = 0;
  int64_t mensagem_id = 0;
  Clock::time_point at;
};

class Poster final {
 public:
  Poster(testing::WebUser user, std::vector<int64_t> rooms, int index, int pause_ms)
      : user_(std::move(user)), rooms_(std::move(rooms)), index_(index), pause_ms_(pause_ms) {}

  // Sends until `stop`; the message in hand is still retried until it is
  // acknowledged, for at most `finish_ms` after `stop`.
  void Run(const std::atomic<bool>& stop, int finish_ms = 30000);

  const std::vector<Ack>& acks() const { return acks_; }
  // Every answer that was not 200, with its time (0 = no answer at all).
  const std::vector<std::pair<Clock::time_point, int>>& failures() const { return failures_; }
  int rejected() const { return rejected_; }    // 422: the message was refused for good
  int abandoned() const { return abandoned_; }  // never acknowledged before finish_ms

 private:
  testing::WebUser user_;
  std::vector<int64_t> rooms_;
  int index_;
  int pause_ms_;
  std::vector<Ack> acks_;
  std::vector<std::pair<Clock::time_point, int>> failures_;
  int rejected_ = 0;
  int abandoned_ = 0;
};

}  // namespace papo::chaos
