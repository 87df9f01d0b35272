// RedisSubscriber: the process's one pub/sub connection, and the state of
// every channel on it.
//
// The connection only (UN)SUBSCRIBEs (STYLE: hiredis 0.14.1 asserts on
// other commands in subscribed mode and on a channel subscribed again
// before its UNSUBSCRIBE reply, issues #396/#581). So each channel walks
// kIdle -> kSubscribing -> kSubscribed -> kUnsubscribing -> kIdle, and a
// channel wanted again while kUnsubscribing is re-subscribed only once the
// reply arrived. Permanent channels stay subscribed for the connection's
// life (and are subscribed again after every reconnect): the private
// control channel papo:pusher:{id}, so the context never leaves subscribed
// mode when the last room goes, and papo:sessoes (logouts). Their messages
// reach the listener like any other.
//
// After a reconnect every wanted channel is subscribed again; the listener
// hears OnSubscribed for each, which is its cue to catch up from the cache.
// Thread-compatible (loop thread only).
#pragma once

#include <hiredis/async.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sse-pusher/channel_subscriptions.h"
#include "sse-pusher/redis_connection.h"

namespace papo::pusher {

class RedisSubscriber final : public ChannelSubscriptions {
 public:
  class Listener {
   public:
    // The channel's SUBSCRIBE was confirmed: from now on nothing published
    // on it is missed (until OnConnectionLost).
    virtual void OnSubscribed(const std::string& channel) = 0;
    // A released channel is fully unsubscribed.
    virtual void OnUnsubscribed(const std::string& channel) = 0;
    virtual void OnMessage(std::string_view channel, std::string_view payload) = 0;
    // The connection dropped: every channel is unsubscribed until
    // OnSubscribed is heard again.
    virtual void OnConnectionLost() = 0;

   protected:
    ~Listener() = default;
  };

  RedisSubscriber(EventLoop& loop, PusherMetrics& metrics, const RedisAddress& address, int connect_timeout_ms,
                  std::vector<std::string> permanent_channels, Listener& listener);
  ~RedisSubscriber();
  RedisSubscriber(const RedisSubscriber&) = delete;
  RedisSubscriber& operator=(const RedisSubscriber&) = delete;

  void Start() { connection_.Start(); }
  void Stop() { connection_.Stop(); }
  bool connected() const { return connection_.connected(); }
  // Sentinel mode: see RedisConnection::FollowMaster. Every wanted channel
  // is subscribed again on the new master (OnSubscribed follows).
  void FollowMaster(const RedisHostPort& master) { connection_.FollowMaster(master); }

  // Subscribes `channel` (idempotent). OnSubscribed follows.
  void Want(const std::string& channel) override;
  // Unsubscribes `channel` (idempotent). OnUnsubscribed follows.
  void Release(const std::string& channel) override;
  bool IsSubscribed(const std::string& channel) const;
  size_t channel_count() const { return channels_.size(); }

 private:
  enum class State : uint8_t { kIdle, kSubscribing, kSubscribed, kUnsubscribing };
  struct Channel {
    State state = State::kIdle;
    bool wanted = false;
  };

  void HandleConnected();
  void HandleLost();
  void HandleReply(const redisReply* reply);
  void SendCommand(const char* verb, const std::vector<const std::string*>& channels);
  bool IsPermanent(std::string_view channel) const;
  static void OnReply(redisAsyncContext* context, void* reply, void* privdata) noexcept;

  PusherMetrics& metrics_;
  Listener& listener_;
  std::vector<std::string> permanent_channels_;
  std::unordered_map<std::string, Channel> channels_;
  RedisConnection connection_;  // last: destroyed first, while the rest is alive
};

}  // namespace papo::pusher
