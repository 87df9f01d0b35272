#include "sse-pusher/event_loop.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/unit/pusher/test_peer.h"

namespace papo::pusher {
namespace {

class Recorder final : public IoHandler {
 public:
  explicit Recorder(std::function<void()> on_read = nullptr) : on_read_(std::move(on_read)) {}
  void OnReadable() override {
    ++reads;
    if (on_read_) on_read_();
  }
  void OnWritable() override { ++writes; }
  int reads = 0;
  int writes = 0;

 private:
  std::function<void()> on_read_;
};

std::unique_ptr<EventLoop> NewLoop() {
  auto loop = EventLoop::Create();
  EXPECT_TRUE(loop.ok());
  return std::move(loop).value();
}

TEST(EventLoopTest, ReadableFdCallsItsHandler) {
  auto loop = NewLoop();
  auto [ours, peer] = test::SocketPair();
  Recorder handler;
  ASSERT_TRUE(loop->Watch(ours.get(), EventLoop::kReadable, &handler).ok());
  loop->RunOnce(0);
  EXPECT_EQ(handler.reads, 0);
  ASSERT_EQ(write(peer.get(), "x", 1), 1);
  loop->RunOnce(1000);
  EXPECT_EQ(handler.reads, 1);
  loop->Unwatch(ours.get());
}

TEST(EventLoopTest, WritableInterestIsLevelTriggered) {
  auto loop = NewLoop();
  auto [ours, peer] = test::SocketPair();
  Recorder handler;
  ASSERT_TRUE(loop->Watch(ours.get(), EventLoop::kReadable | EventLoop::kWritable, &handler).ok());
  loop->RunOnce(1000);
  loop->RunOnce(1000);
  EXPECT_EQ(handler.writes, 2);  // reported again while still writable
  ASSERT_TRUE(loop->SetInterest(ours.get(), EventLoop::kReadable).ok());
  loop->RunOnce(0);
  EXPECT_EQ(handler.writes, 2);
  loop->Unwatch(ours.get());
}

TEST(EventLoopTest, PeerHangupGoesToTheReadPath) {
  auto loop = NewLoop();
  auto [ours, peer] = test::SocketPair();
  Recorder handler;
  ASSERT_TRUE(loop->Watch(ours.get(), EventLoop::kReadable, &handler).ok());
  peer.Reset();
  loop->RunOnce(1000);
  EXPECT_GE(handler.reads, 1);
  loop->Unwatch(ours.get());
}

TEST(EventLoopTest, EventsOfAnFdUnwatchedEarlierInTheSameIterationAreNotDispatched) {
  auto loop = NewLoop();
  auto [a, a_peer] = test::SocketPair();
  auto [b, b_peer] = test::SocketPair();
  Recorder* victim = nullptr;
  int victim_fd = -1;
  // Whichever handler runs first unwatches the other one.
  Recorder first([&] {
    if (victim != nullptr) loop->Unwatch(victim_fd);
  });
  int a_fd = a.get();  // lambdas may not capture structured bindings (clang 14)
  Recorder second([&] { loop->Unwatch(a_fd); });
  ASSERT_TRUE(loop->Watch(a.get(), EventLoop::kReadable, &first).ok());
  ASSERT_TRUE(loop->Watch(b.get(), EventLoop::kReadable, &second).ok());
  victim = &second;
  victim_fd = b.get();
  ASSERT_EQ(write(a_peer.get(), "x", 1), 1);
  ASSERT_EQ(write(b_peer.get(), "x", 1), 1);
  loop->RunOnce(1000);
  EXPECT_EQ(first.reads + second.reads, 1);
  loop->Unwatch(a.get());
  loop->Unwatch(b.get());
}

TEST(EventLoopTest, TimersRunInTimeOrderAndCanBeCancelled) {
  auto loop = NewLoop();
  std::vector<int> order;
  loop->RunAfter(20, [&] { order.push_back(2); });
  loop->RunAfter(10, [&] { order.push_back(1); });
  auto cancelled = loop->RunAfter(15, [&] { order.push_back(99); });
  loop->Cancel(cancelled);
  loop->RunAfter(30, [&] { loop->Stop(); });
  loop->Run();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(EventLoopTest, TimerAddedByATimerForNowRunsNextIteration) {
  auto loop = NewLoop();
  int runs = 0;
  loop->RunAfter(0, [&] {
    ++runs;
    loop->RunAfter(0, [&] { ++runs; });
  });
  loop->RunOnce(100);
  EXPECT_EQ(runs, 1);
  loop->RunOnce(100);
  EXPECT_EQ(runs, 2);
}

TEST(EventLoopTest, DeferredCallsRunAfterBeforeSleepHooksInOrder) {
  auto loop = NewLoop();
  std::vector<std::string> order;
  loop->AddBeforeSleep([&] { order.push_back("hook"); });
  loop->Defer([&] {
    order.push_back("deferred");
    loop->Defer([&] { order.push_back("deferred-by-deferred"); });
  });
  loop->RunOnce(0);
  EXPECT_EQ(order, (std::vector<std::string>{"hook", "deferred", "deferred-by-deferred"}));
}

TEST(EventLoopTest, DestructorRunsPendingDeferredCalls) {
  bool ran = false;
  {
    auto loop = NewLoop();
    loop->Defer([&] { ran = true; });
  }
  EXPECT_TRUE(ran);
}

}  // namespace
}  // namespace papo::pusher
