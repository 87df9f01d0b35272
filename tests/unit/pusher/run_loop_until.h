// Runs a pusher event loop until a condition holds: the tests that talk to
// real redis-server processes wait for answers this way.
#pragma once

#include <chrono>
#include <functional>

#include "sse-pusher/event_loop.h"

namespace papo::pusher::test {

// false when `limit` passed first.
inline bool RunLoopUntil(EventLoop& loop, const std::function<bool()>& done,
                         std::chrono::milliseconds limit = std::chrono::milliseconds(10000)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    loop.RunOnce(10);
  }
  return true;
}

}  // namespace papo::pusher::test
