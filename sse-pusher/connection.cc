#include "sse-pusher/connection.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>

#include "common/log.h"
#include "sse-pusher/http_response.h"

namespace papo::pusher {
namespace {

// Fairness: at most this much per connection per wakeup (Redis
// NET_MAX_WRITES_PER_EVENT); level-triggered EPOLLOUT brings us back.
constexpr size_t kMaxWritePerWakeup = 64 * 1024;
constexpr int kMaxIov = 64;

bool WouldBlock(int error) { return error == EAGAIN || error == EWOULDBLOCK || error == EINTR; }

ssize_t SendIov(int fd, struct iovec* iov, int count) {
  struct msghdr message = {};
  message.msg_iov = iov;
  message.msg_iovlen = static_cast<size_t>(count);
  return sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
}

}  // namespace

std::string_view CloseReasonName(CloseReason reason) {
  switch (reason) {
    case CloseReason::kPeerClosed: return "peer_closed";
    case CloseReason::kReadError: return "read_error";
    case CloseReason::kWriteError: return "write_error";
    case CloseReason::kBadRequest: return "bad_request";
    case CloseReason::kRequestTimeout: return "request_timeout";
    case CloseReason::kResponseDone: return "response_done";
    case CloseReason::kSlowClient: return "slow_client";
    case CloseReason::kStreamExpired: return "stream_expired";
    case CloseReason::kDraining: return "draining";
    case CloseReason::kSessionEnded: return "session_ended";
    case CloseReason::kAccessRevoked: return "access_revoked";
  }
  return "unknown";
}

Connection::Connection(ConnectionContext& context, UniqueFd fd, bool metrics_only)
    : context_(context), fd_(std::move(fd)), metrics_only_(metrics_only) {
  last_write_s_ = now_s();
}

Connection::~Connection() { context_.loop.Unwatch(fd_.get()); }

void Connection::OnReadable() {
  switch (state_) {
    case State::kReadingRequest: ReadRequest(); break;
    case State::kWaiting:
    case State::kResponding:
    case State::kStreaming: DiscardInput(); break;
    case State::kClosed: break;
  }
}

void Connection::ReadRequest() {
  ssize_t n = read(fd_.get(), context_.scratch.data(), context_.scratch.size());
  if (n == 0) return Close(CloseReason::kPeerClosed);
  if (n < 0) {
    if (!WouldBlock(errno)) Close(CloseReason::kReadError);
    return;
  }
  // Usually the whole request arrives in one read and is parsed straight
  // from the shared scratch buffer; only a request in pieces gets its own.
  std::unique_ptr<std::string> buffer = std::move(request_buffer_);
  std::string_view input(context_.scratch.data(), static_cast<size_t>(n));
  if (buffer) {
    buffer->append(input);
    input = *buffer;
  }
  HttpRequest request;
  HttpParseOutcome outcome = ParseHttpRequest(input, context_.http_limits, request);
  switch (outcome.result) {
    case HttpParseResult::kIncomplete:
      request_buffer_ = buffer ? std::move(buffer) : std::make_unique<std::string>(input);
      return;
    case HttpParseResult::kError:
      RespondError(outcome.error_status);
      return;
    case HttpParseResult::kComplete:
      ++context_.metrics.http_requests;
      context_.owner.OnRequest(*this, request);  // `buffer` outlives the views
      return;
  }
}

void Connection::DiscardInput() {
  // After the request nothing more is expected; read to notice the end of
  // the stream (nginx closes the upstream when the browser goes away).
  ssize_t n = read(fd_.get(), context_.scratch.data(), context_.scratch.size());
  if (n == 0) return Close(CloseReason::kPeerClosed);
  if (n < 0 && !WouldBlock(errno)) Close(CloseReason::kReadError);
}

void Connection::RespondError(int status) {
  ++context_.metrics.http_rejected;
  Respond(Frame::Make(MakeErrorResponse(status), FrameKind::kControl));
}

void Connection::Respond(const FrameRef& response) {
  if (state_ == State::kClosed) return;
  state_ = State::kResponding;
  Send(response);
  if (state_ == State::kResponding && !out_) Close(CloseReason::kResponseDone);
}

void Connection::BeginStream(Kind kind, const FrameRef& head, int64_t user_id, uint32_t deadline_s) {
  state_ = State::kStreaming;
  kind_ = kind;
  user_id_ = user_id;
  deadline_s_ = deadline_s;
  Send(head);
}

void Connection::Written(size_t bytes) {
  context_.metrics.bytes_sent += bytes;
  last_write_s_ = now_s();
}

void Connection::Send(const FrameRef& frame) {
  if (state_ == State::kClosed) return;
  ++context_.metrics.frames_sent;
  if (out_) {
    out_->Push(frame);
    EnforceBacklogLimit();
    return;
  }
  ssize_t n = send(fd_.get(), frame->data(), frame->size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  if (n == static_cast<ssize_t>(frame->size())) {
    Written(frame->size());
    return;
  }
  if (n < 0) {
    if (!WouldBlock(errno)) return Close(CloseReason::kWriteError);
    n = 0;
  } else if (n > 0) {
    Written(static_cast<size_t>(n));
  }
  StartBacklog();
  if (out_) out_->Push(frame, static_cast<size_t>(n));
}

void Connection::SendMany(std::span<const FrameRef> frames, bool backfill) {
  if (state_ == State::kClosed || frames.empty()) return;
  context_.metrics.frames_sent += frames.size();
  size_t next = 0;  // first frame not yet handed to the kernel
  size_t offset = 0;
  while (!out_ && state_ != State::kClosed && next < frames.size()) {
    struct iovec iov[kMaxIov];
    int count = 0;
    size_t batch_bytes = 0;
    for (size_t i = next; i < frames.size() && count < kMaxIov; ++i, ++count) {
      iov[count].iov_base = const_cast<char*>(frames[i]->data());
      iov[count].iov_len = frames[i]->size();
      batch_bytes += frames[i]->size();
    }
    ssize_t n = SendIov(fd_.get(), iov, count);
    if (n < 0) {
      if (!WouldBlock(errno)) return Close(CloseReason::kWriteError);
      n = 0;
    }
    if (n > 0) Written(static_cast<size_t>(n));
    size_t written = static_cast<size_t>(n);
    while (next < frames.size() && written >= frames[next]->size()) written -= frames[next++]->size();
    offset = written;
    if (static_cast<size_t>(n) < batch_bytes) StartBacklog();
  }
  if (next == frames.size() || !out_) return;  // all written, or closed
  size_t queued_before = out_->bytes();
  out_->Push(frames[next], offset);
  for (size_t i = next + 1; i < frames.size(); ++i) out_->Push(frames[i]);
  if (backfill) {
    size_t granted = backlog_allowance_ + (out_->bytes() - queued_before);
    backlog_allowance_ = static_cast<uint32_t>(std::min<size_t>(granted, UINT32_MAX));
  }
  EnforceBacklogLimit();
}

void Connection::StartBacklog() {
  if (out_) return;
  if (!context_.loop.SetInterest(fd_.get(), EventLoop::kReadable | EventLoop::kWritable).ok()) {
    return Close(CloseReason::kWriteError);  // leaves out_ null: callers check
  }
  out_ = std::make_unique<OutQueue>();
  last_write_s_ = now_s();  // a stall is measured from here
}

void Connection::EnforceBacklogLimit() {
  size_t limit = context_.options.max_backlog_bytes + backlog_allowance_;
  if (!out_ || out_->bytes() <= limit) return;
  context_.metrics.typing_dropped += out_->DropEphemeral();
  if (out_->bytes() <= limit) return;
  ++context_.metrics.slow_client_drops;
  Log(LogLevel::kWarn, "pusher_slow_client_dropped")
      .Kv("fd", fd_.get())
      .Kv("user", user_id_)
      .Kv("backlog_bytes", static_cast<uint64_t>(out_->bytes()))
      .Kv("backlog_frames", static_cast<uint64_t>(out_->frames()));
  Close(CloseReason::kSlowClient);
}

void Connection::OnWritable() {
  if (state_ == State::kClosed) return;
  if (out_) {
    struct iovec iov[kMaxIov];
    int count = out_->Gather(iov, kMaxIov, kMaxWritePerWakeup);
    ssize_t n = SendIov(fd_.get(), iov, count);
    if (n < 0) {
      if (!WouldBlock(errno)) Close(CloseReason::kWriteError);
      return;
    }
    Written(static_cast<size_t>(n));
    out_->Consume(static_cast<size_t>(n));
    if (!out_->empty()) return;
    out_.reset();
    backlog_allowance_ = 0;
  }
  if (state_ == State::kResponding) return Close(CloseReason::kResponseDone);
  if (!context_.loop.SetInterest(fd_.get(), EventLoop::kReadable).ok()) Close(CloseReason::kWriteError);
}

void Connection::Sweep(uint32_t now, const FrameRef& heartbeat) {
  switch (state_) {
    case State::kReadingRequest:
    case State::kWaiting:
    case State::kResponding:
      if (now - last_write_s_ >= static_cast<uint32_t>(context_.options.request_timeout_seconds)) {
        Close(CloseReason::kRequestTimeout);
      }
      return;
    case State::kStreaming:
      if (now >= deadline_s_) return Close(CloseReason::kStreamExpired);
      if (out_) {
        if (now - last_write_s_ >= static_cast<uint32_t>(context_.options.stall_seconds)) {
          ++context_.metrics.slow_client_drops;
          Log(LogLevel::kWarn, "pusher_slow_client_dropped")
              .Kv("fd", fd_.get())
              .Kv("user", user_id_)
              .Kv("reason", "stalled")
              .Kv("backlog_bytes", static_cast<uint64_t>(out_->bytes()));
          Close(CloseReason::kSlowClient);
        }
        return;
      }
      if (now - last_write_s_ >= static_cast<uint32_t>(context_.options.heartbeat_seconds)) {
        ++context_.metrics.heartbeats_sent;
        Send(heartbeat);
      }
      return;
    case State::kClosed: return;
  }
}

void Connection::Close(CloseReason reason) {
  if (state_ == State::kClosed) return;
  bool was_stream = state_ == State::kStreaming;
  state_ = State::kClosed;
  out_.reset();
  request_buffer_.reset();
  if (was_stream) ++context_.metrics.streams_closed;
  Log(LogLevel::kDebug, "pusher_connection_closed").Kv("fd", fd_.get()).Kv("reason", CloseReasonName(reason));
  context_.owner.OnClosing(*this);
}

}  // namespace papo::pusher
