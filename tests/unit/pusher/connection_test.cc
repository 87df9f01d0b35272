#include "sse-pusher/connection.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/unit/pusher/test_peer.h"

namespace papo::pusher {
namespace {

class ConnectionTest : public ::testing::Test, public ConnectionOwner {
 protected:
  ConnectionTest() {
    options_.max_backlog_bytes = 64 * 1024;
    options_.heartbeat_seconds = 15;
    options_.stall_seconds = 30;
  }

  void OnRequest(Connection& connection, const HttpRequest& request) override {
    paths_.emplace_back(request.path);
    if (on_request_) on_request_(connection);
  }
  void OnClosing(Connection& /*connection*/) override { ++closings_; }

  // A connection over a socketpair; the peer end is returned.
  UniqueFd Open() {
    auto [ours, peer] = test::SocketPair();
    connection_ = std::make_unique<Connection>(context_, std::move(ours), false);
    EXPECT_TRUE(loop_->Watch(connection_->fd(), EventLoop::kReadable, connection_.get()).ok());
    return std::move(peer);
  }
  void Stream(int64_t user = 5) {
    connection_->BeginStream(Connection::Kind::kRoomStream, Frame::Make("HEAD\n", FrameKind::kControl), user, 1u << 30);
  }
  // Makes the kernel buffer between the two ends small, so it fills fast.
  static void ShrinkBuffers(int ours, int peer) {
    int size = 4096;
    setsockopt(ours, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }

  std::unique_ptr<EventLoop> loop_ = std::move(EventLoop::Create()).value();
  PusherMetrics metrics_;
  PusherOptions options_;
  ConnectionContext context_{*loop_, metrics_, options_, *this, HttpLimits{}};
  std::unique_ptr<Connection> connection_;
  std::vector<std::string> paths_;
  std::function<void(Connection&)> on_request_;
  int closings_ = 0;
};

TEST_F(ConnectionTest, RequestInPiecesReachesTheOwnerOnce) {
  UniqueFd peer = Open();
  std::string request = "GET /chat/health HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(write(peer.get(), request.data(), 10), 10);
  loop_->RunOnce(1000);
  EXPECT_TRUE(paths_.empty());
  ASSERT_EQ(write(peer.get(), request.data() + 10, request.size() - 10), static_cast<ssize_t>(request.size() - 10));
  loop_->RunOnce(1000);
  EXPECT_EQ(paths_, (std::vector<std::string>{"/chat/health"}));
}

TEST_F(ConnectionTest, MalformedRequestGets400AndCloses) {
  UniqueFd peer = Open();
  std::string request = "GET / HTTP/1.1\nHost: x\n\n";
  ASSERT_EQ(write(peer.get(), request.data(), request.size()), static_cast<ssize_t>(request.size()));
  loop_->RunOnce(1000);
  EXPECT_TRUE(paths_.empty());
  EXPECT_TRUE(connection_->closed());
  EXPECT_EQ(closings_, 1);
  EXPECT_EQ(test::ReadAvailable(peer.get()).rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u);
}

TEST_F(ConnectionTest, OversizedHeadersGet431) {
  UniqueFd peer = Open();
  std::string request = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n";
  ASSERT_EQ(write(peer.get(), request.data(), request.size()), static_cast<ssize_t>(request.size()));
  for (int i = 0; i < 3 && !connection_->closed(); ++i) loop_->RunOnce(1000);
  EXPECT_EQ(test::ReadAvailable(peer.get()).rfind("HTTP/1.1 431 ", 0), 0u);
}

TEST_F(ConnectionTest, RespondClosesOnceWritten) {
  UniqueFd peer = Open();
  connection_->Respond(Frame::Make("HTTP/1.1 200 OK\r\n\r\n", FrameKind::kControl));
  EXPECT_TRUE(connection_->closed());
  EXPECT_EQ(test::ReadAvailable(peer.get()), "HTTP/1.1 200 OK\r\n\r\n");
}

TEST_F(ConnectionTest, WritesGoOutAtOnceWithoutABacklog) {
  UniqueFd peer = Open();
  Stream();
  connection_->Send(Frame::Make("one\n", FrameKind::kControl));
  std::vector<FrameRef> two = {Frame::Make("two\n", FrameKind::kMessage, 1), Frame::Make("three\n", FrameKind::kMessage, 2)};
  connection_->SendMany(two, false);
  EXPECT_EQ(connection_->backlog_bytes(), 0u);
  EXPECT_EQ(test::ReadAvailable(peer.get()), "HEAD\none\ntwo\nthree\n");
  EXPECT_EQ(metrics_.frames_sent, 4u);
}

TEST_F(ConnectionTest, FullSocketQueuesThenDrainsInOrderWhenWritable) {
  UniqueFd peer = Open();
  ShrinkBuffers(connection_->fd(), peer.get());
  Stream();
  std::string expected = "HEAD\n";
  for (int i = 0; i < 200; ++i) {
    std::string line = "line " + std::to_string(i) + " " + std::string(200, 'x') + "\n";
    expected += line;
    connection_->Send(Frame::Make(line, FrameKind::kControl));
  }
  EXPECT_GT(connection_->backlog_bytes(), 0u);
  std::string received;
  for (int i = 0; i < 1000 && received.size() < expected.size(); ++i) {
    received += test::ReadAvailable(peer.get());
    loop_->RunOnce(10);
  }
  received += test::ReadAvailable(peer.get());
  EXPECT_EQ(received, expected);
  EXPECT_EQ(connection_->backlog_bytes(), 0u);
  EXPECT_FALSE(connection_->closed());
}

TEST_F(ConnectionTest, ReaderThatNeverReadsIsDroppedOverTheBound) {
  UniqueFd peer = Open();
  ShrinkBuffers(connection_->fd(), peer.get());
  Stream();
  FrameRef frame = Frame::Make(std::string(1000, 'm'), FrameKind::kMessage, 1);
  for (int i = 0; i < 1000 && !connection_->closed(); ++i) connection_->Send(frame);
  EXPECT_TRUE(connection_->closed());
  EXPECT_EQ(metrics_.slow_client_drops, 1u);
  EXPECT_EQ(closings_, 1);
}

TEST_F(ConnectionTest, TypingEventsAreDroppedBeforeTheSubscriber) {
  UniqueFd peer = Open();
  ShrinkBuffers(connection_->fd(), peer.get());
  Stream();
  FrameRef message = Frame::Make(std::string(1000, 'm'), FrameKind::kMessage, 1);
  FrameRef typing = Frame::Make(std::string(1000, 't'), FrameKind::kEphemeral);
  // Fill the socket, then queue mostly typing events past the bound.
  while (connection_->backlog_bytes() == 0) connection_->Send(message);
  for (int i = 0; i < 80; ++i) connection_->Send(typing);
  for (int i = 0; i < 10; ++i) connection_->Send(message);
  EXPECT_FALSE(connection_->closed());
  EXPECT_GT(metrics_.typing_dropped, 0u);
  EXPECT_LE(connection_->backlog_bytes(), options_.max_backlog_bytes);
}

TEST_F(ConnectionTest, BackfillMayExceedTheLiveBound) {
  UniqueFd peer = Open();
  ShrinkBuffers(connection_->fd(), peer.get());
  Stream();
  std::vector<FrameRef> backfill;
  for (int i = 1; i <= 200; ++i) backfill.push_back(Frame::Make(std::string(1000, 'b'), FrameKind::kMessage, i));
  connection_->SendMany(backfill, /*backfill=*/true);
  EXPECT_FALSE(connection_->closed());
  EXPECT_GT(connection_->backlog_bytes(), options_.max_backlog_bytes);
}

TEST_F(ConnectionTest, PeerClosingEndsTheStream) {
  UniqueFd peer = Open();
  Stream();
  peer.Reset();
  loop_->RunOnce(1000);
  EXPECT_TRUE(connection_->closed());
}

TEST_F(ConnectionTest, IdleStreamGetsAHeartbeat) {
  UniqueFd peer = Open();
  Stream();
  test::ReadAvailable(peer.get());
  uint32_t now = static_cast<uint32_t>(loop_->now_ms() / 1000);
  FrameRef heartbeat = Frame::Make(": ping\n\n", FrameKind::kControl);
  connection_->Sweep(now + 1, heartbeat);
  EXPECT_EQ(test::ReadAvailable(peer.get()), "");
  connection_->Sweep(now + 15, heartbeat);
  EXPECT_EQ(test::ReadAvailable(peer.get()), ": ping\n\n");
  EXPECT_EQ(metrics_.heartbeats_sent, 1u);
}

TEST_F(ConnectionTest, StreamEndsAtItsDeadline) {
  UniqueFd peer = Open();
  uint32_t now = static_cast<uint32_t>(loop_->now_ms() / 1000);
  connection_->BeginStream(Connection::Kind::kRoomStream, Frame::Make("HEAD\n", FrameKind::kControl), 5, now + 60);
  FrameRef heartbeat = Frame::Make(": ping\n\n", FrameKind::kControl);
  connection_->Sweep(now + 59, heartbeat);
  EXPECT_FALSE(connection_->closed());
  connection_->Sweep(now + 60, heartbeat);
  EXPECT_TRUE(connection_->closed());
}

TEST_F(ConnectionTest, StalledBacklogIsDropped) {
  UniqueFd peer = Open();
  ShrinkBuffers(connection_->fd(), peer.get());
  Stream();
  FrameRef frame = Frame::Make(std::string(1000, 'm'), FrameKind::kMessage, 1);
  while (connection_->backlog_bytes() == 0) connection_->Send(frame);
  uint32_t now = static_cast<uint32_t>(loop_->now_ms() / 1000);
  connection_->Sweep(now + 29, frame);
  EXPECT_FALSE(connection_->closed());
  connection_->Sweep(now + 30, frame);
  EXPECT_TRUE(connection_->closed());
  EXPECT_EQ(metrics_.slow_client_drops, 1u);
}

TEST_F(ConnectionTest, SilentClientIsClosedAfterTheRequestTimeout) {
  UniqueFd peer = Open();
  uint32_t now = static_cast<uint32_t>(loop_->now_ms() / 1000);
  FrameRef heartbeat = Frame::Make(": ping\n\n", FrameKind::kControl);
  connection_->Sweep(now + options_.request_timeout_seconds - 1, heartbeat);
  EXPECT_FALSE(connection_->closed());
  connection_->Sweep(now + options_.request_timeout_seconds, heartbeat);
  EXPECT_TRUE(connection_->closed());
}

TEST_F(ConnectionTest, CloseIsIdempotentAndStopsWrites) {
  UniqueFd peer = Open();
  Stream();
  test::ReadAvailable(peer.get());
  connection_->Close(CloseReason::kDraining);
  connection_->Close(CloseReason::kDraining);
  connection_->Send(Frame::Make("late\n", FrameKind::kControl));
  EXPECT_EQ(closings_, 1);
  EXPECT_EQ(test::ReadAvailable(peer.get()), "");
}

}  // namespace
}  // namespace papo::pusher
