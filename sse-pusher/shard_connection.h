// ShardConnection: one TCP connection to one Redis Cluster node, driven by
// the pusher's EventLoop, for what hiredis 0.14.1's async API cannot do:
// sharded pub/sub (it does not know SSUBSCRIBE, and an `smessage` reply
// either trips an assert or is dropped). Commands are formatted with
// redisFormatCommandArgv and replies parsed with hiredis's redisReader (its
// protocol parser); the connection itself is ours.
//
// Connects without blocking, sends AUTH first when a password is set, and
// on loss reconnects with the same backoff as RedisConnection (100 ms
// doubling to 5 s, with jitter; back to 100 ms only after a reply that was
// not an error, or 10 s up). The connect (and AUTH) has its own timeout.
//
// Replies:
//   - a pub/sub connection (`pubsub`) hands every push-shaped reply
//     (`smessage`, `ssubscribe`, `sunsubscribe`, and the classic `message`,
//     `subscribe`, `unsubscribe`) to Handlers::push, whether asked for
//     (a confirmation) or not (a `sunsubscribe` the server sends after the
//     slot moved);
//   - any other reply goes to the oldest Command() still waiting, in order;
//   - a reply no Command() waits for (an error answering a Send(), such as
//     -MOVED to an SSUBSCRIBE) goes to Handlers::unsolicited.
// So a pub/sub connection sends its (S)(UN)SUBSCRIBEs with Send(), and a
// command connection uses Command() only.
//
// Every Command() callback runs exactly once: with the reply, or with
// nullptr when the connection is waiting to reconnect (at the end of the
// loop iteration, never re-entrantly) or is lost (before Handlers::lost).
// A command given while connecting is sent once connected (behind AUTH). A reply
// is only valid during its callback. Callbacks and handlers must not
// destroy the connection (use EventLoop::Defer). Thread-compatible (loop
// thread only).
#pragma once

#include <hiredis/hiredis.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/config.h"
#include "sse-pusher/event_loop.h"
#include "sse-pusher/metrics.h"

namespace papo::pusher {

class ShardConnection final : public IoHandler {
 public:
  using ReplyCallback = std::function<void(const redisReply* reply)>;
  struct Handlers {
    std::function<void()> connected;  // ready for commands (AUTH done)
    std::function<void()> lost;       // a ready connection dropped; pending callbacks already got nullptr
    std::function<void(const redisReply& push)> push;
    std::function<void(const redisReply& reply)> unsolicited;
  };

  // `loop` and `metrics` must outlive the connection.
  ShardConnection(EventLoop& loop, PusherMetrics& metrics, RedisHostPort node, std::string password,
                  std::string name, int connect_timeout_ms, bool pubsub, Handlers handlers);
  // Closes without reconnecting; pending callbacks get nullptr.
  ~ShardConnection();
  ShardConnection(const ShardConnection&) = delete;
  ShardConnection& operator=(const ShardConnection&) = delete;

  void Start();
  // Closes for good (pending callbacks get nullptr, `lost` is not called).
  void Stop();

  bool connected() const { return state_ == State::kReady; }
  const RedisHostPort& node() const { return node_; }
  size_t pending() const { return callbacks_.size(); }

  // Sends `argv` (binary safe), or queues it while connecting; `done` gets
  // its reply (see above).
  void Command(const std::vector<std::string>& argv, ReplyCallback done);
  // Sends `argv` without a reply callback; false when not ready.
  bool Send(const std::vector<std::string>& argv);

  void OnReadable() override;
  void OnWritable() override;

 private:
  enum class State : uint8_t { kIdle, kConnecting, kAuthenticating, kReady };
  struct ReaderDeleter {
    void operator()(redisReader* reader) const { redisReaderFree(reader); }
  };

  void Connect();
  void Connected();  // TCP is up
  void Ready();
  // Closes the socket, fails the pending callbacks, and reconnects later
  // (unless stopped). `why` is logged.
  void Fail(const char* why);
  void Close();
  void ScheduleReconnect();
  void Append(const std::vector<std::string>& argv);
  void Flush();
  void Dispatch(redisReply* reply);
  static bool IsPush(const redisReply* reply);

  EventLoop& loop_;
  PusherMetrics& metrics_;
  RedisHostPort node_;
  std::string password_;
  std::string name_;
  int connect_timeout_ms_;
  bool pubsub_;
  Handlers handlers_;
  int fd_ = -1;
  State state_ = State::kIdle;
  bool stopped_ = true;
  bool ever_ready_ = false;
  int failures_ = 0;
  int64_t ready_since_ms_ = 0;
  uint64_t epoch_ = 0;  // bumped by Close: a read loop stops when it changes
  EventLoop::TimerId timer_ = 0;  // connect timeout or reconnect
  std::unique_ptr<redisReader, ReaderDeleter> reader_;
  std::string out_;      // formatted commands not yet written
  size_t out_sent_ = 0;  // bytes of out_ already written
  std::deque<ReplyCallback> callbacks_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace papo::pusher
