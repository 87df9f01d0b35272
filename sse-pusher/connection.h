// Connection: one accepted socket of papo-pusher, from the request bytes to
// the end of its SSE stream (or of a one-shot answer like /chat/health).
//
// Writes go out at once with send/sendmsg(MSG_NOSIGNAL); only what the
// socket refuses is queued (OutQueue, allocated on demand) and only then is
// EPOLLOUT armed, disarmed again once drained (STYLE §7.9). A backlog over
// max_backlog_bytes first loses its typing events, then the connection: the
// browser reconnects with Last-Event-ID and catches up from the cache, and
// a slow reader never delays anyone else.
//
// Lifetime: owned by the ConnectionOwner (the server). Close() only marks
// the connection and tells the owner, which unsubscribes and frees it at
// the end of the loop iteration (STYLE §7.7): a connection may be closed
// from inside its own callback or in the middle of a fan-out loop.
//
// Kept small (≈100 bytes): 50,000 idle streams must fit in 2 KiB each
// including the kernel's share. Thread-compatible (loop thread only).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/unique_fd.h"
#include "sse-pusher/event_loop.h"
#include "sse-pusher/frame.h"
#include "sse-pusher/http_request_parser.h"
#include "sse-pusher/metrics.h"
#include "sse-pusher/out_queue.h"
#include "sse-pusher/pusher_options.h"

namespace papo::pusher {

class Connection;
class Topic;

enum class CloseReason : uint8_t {
  kPeerClosed,
  kReadError,
  kWriteError,
  kBadRequest,
  kRequestTimeout,
  kResponseDone,
  kSlowClient,
  kStreamExpired,   // CHAT_SSE_TIMEOUT or the session's expiry
  kDraining,        // SIGTERM
  kSessionEnded,    // logout (papo:sessoes)
  kAccessRevoked,   // the user left or was removed from the room (sala_removida)
};
std::string_view CloseReasonName(CloseReason reason);

// Receives what a connection cannot handle by itself.
class ConnectionOwner {
 public:
  // A complete request arrived. `request` points into a buffer that is
  // released when this returns. The owner answers through Respond() or
  // starts a stream with BeginStream().
  virtual void OnRequest(Connection& connection, const HttpRequest& request) = 0;
  // Close() was called: free the connection after this loop iteration.
  virtual void OnClosing(Connection& connection) = 0;

 protected:
  ~ConnectionOwner() = default;
};

// What every connection of one server shares.
struct ConnectionContext {
  EventLoop& loop;
  PusherMetrics& metrics;
  const PusherOptions& options;
  ConnectionOwner& owner;
  HttpLimits http_limits;
  std::vector<char> scratch = std::vector<char>(16 * 1024);  // read buffer shared by all connections
};

// A connection's membership in one topic (index into the topic's list).
struct TopicSlot {
  Topic* topic;
  uint32_t index;
};

class Connection final : public IoHandler {
 public:
  // kWaiting: the request was read and its answer waits for Redis (the
  // per-user stream cap); input is only read to notice the peer leaving.
  enum class State : uint8_t { kReadingRequest, kWaiting, kResponding, kStreaming, kClosed };
  enum class Kind : uint8_t { kUnknown, kRoomStream, kListStream };

  static constexpr int64_t kNoSeq = -1;

  Connection(ConnectionContext& context, UniqueFd fd, bool metrics_only);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void OnReadable() override;
  void OnWritable() override;

  // The answer is decided later (Respond or BeginStream); meanwhile no
  // second request is read. The request timeout still applies.
  void AwaitDecision() {
    if (state_ == State::kReadingRequest) state_ = State::kWaiting;
  }
  // Sends `response` (a complete HTTP answer) and closes once it is written.
  void Respond(const FrameRef& response);
  // Turns the connection into an SSE stream; `head` holds the response
  // header and the first frame. The stream ends at `deadline_s` (monotonic
  // seconds).
  void BeginStream(Kind kind, const FrameRef& head, int64_t user_id, uint32_t deadline_s);

  // Queues or writes one frame. No-op once closed.
  void Send(const FrameRef& frame);
  // Writes several frames with one sendmsg where possible. `backfill`
  // grants the backlog limit room for them: a resume may legitimately be
  // larger than the live bound.
  void SendMany(std::span<const FrameRef> frames, bool backfill);

  // Marks the connection closed and hands it to the owner. Idempotent.
  void Close(CloseReason reason);

  // Called once a second by the server's sweep: heartbeat, deadlines, stalls.
  void Sweep(uint32_t now_s, const FrameRef& heartbeat);

  // Whether live fan-out should reach this connection now.
  bool receiving() const { return state_ == State::kStreaming && !catching_up_; }
  bool closed() const { return state_ == State::kClosed; }
  State state() const { return state_; }
  Kind kind() const { return kind_; }
  int fd() const { return fd_.get(); }
  bool metrics_only() const { return metrics_only_; }
  int64_t user_id() const { return user_id_; }
  // The login session's key (SessionStreams::KeyOf), 0 when none was named.
  uint64_t session_key() const { return session_key_; }
  void set_session_key(uint64_t key) { session_key_ = key; }
  size_t backlog_bytes() const { return out_ ? out_->bytes() : 0; }

  // Highest message seq this stream has been sent (kNoSeq: none yet).
  int64_t last_seq() const { return last_seq_; }
  void set_last_seq(int64_t seq) { last_seq_ = seq; }
  // While catching up (waiting for its backfill) live fan-out skips it.
  bool catching_up() const { return catching_up_; }
  void set_catching_up(bool value) { catching_up_ = value; }

  std::vector<TopicSlot>& topic_slots() { return topic_slots_; }
  uint32_t index() const { return index_; }
  void set_index(uint32_t index) { index_ = index; }

 private:
  void ReadRequest();
  void DiscardInput();
  void RespondError(int status);
  void StartBacklog();
  void EnforceBacklogLimit();
  void Written(size_t bytes);
  uint32_t now_s() const { return static_cast<uint32_t>(context_.loop.now_ms() / 1000); }

  ConnectionContext& context_;
  std::unique_ptr<OutQueue> out_;                 // null unless a write came back short
  std::unique_ptr<std::string> request_buffer_;  // null unless a request arrived in pieces
  std::vector<TopicSlot> topic_slots_;
  int64_t last_seq_ = kNoSeq;
  int64_t user_id_ = 0;
  uint64_t session_key_ = 0;
  UniqueFd fd_;
  uint32_t index_ = 0;
  uint32_t last_write_s_ = 0;    // last progress (or accept): heartbeats, stalls, request timeout
  uint32_t deadline_s_ = 0;
  uint32_t backlog_allowance_ = 0;
  State state_ = State::kReadingRequest;
  Kind kind_ = Kind::kUnknown;
  bool catching_up_ = false;
  bool metrics_only_;
};

}  // namespace papo::pusher
