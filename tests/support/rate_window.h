// papo's rate limits count in fixed 10 s windows (CHAT_RATE_LIMIT and the
// change limit): a test that fills a limit starts its burst early in one,
// so that a slow machine does not spread it over two and see it refused
// one request late.
#pragma once

#include <chrono>
#include <thread>

namespace papo::testing {

inline void WaitForEarlyInRateWindow() {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  if (ms % 10'000 > 5'000) std::this_thread::sleep_for(std::chrono::milliseconds(10'000 - ms % 10'000 + 50));
}

}  // namespace papo::testing
