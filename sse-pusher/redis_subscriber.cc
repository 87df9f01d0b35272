#include "sse-pusher/redis_subscriber.h"

#include "common/log.h"
#include "common/redis_argv.h"

namespace papo::pusher {
namespace {

constexpr size_t kChannelsPerCommand = 512;

std::string_view ReplyString(const redisReply* reply) {
  if (reply == nullptr || (reply->type != REDIS_REPLY_STRING && reply->type != REDIS_REPLY_STATUS)) return {};
  return {reply->str, reply->len};
}

}  // namespace

RedisSubscriber::RedisSubscriber(EventLoop& loop, PusherMetrics& metrics, const RedisAddress& address,
                                 int connect_timeout_ms, std::vector<std::string> permanent_channels,
                                 Listener& listener)
    : metrics_(metrics),
      listener_(listener),
      permanent_channels_(std::move(permanent_channels)),
      connection_(loop, metrics, address, "subscriber", connect_timeout_ms, /*select_database=*/false,
                  {[this] { HandleConnected(); }, [this] { HandleLost(); }}) {}

RedisSubscriber::~RedisSubscriber() = default;

void RedisSubscriber::SendCommand(const char* verb, const std::vector<const std::string*>& channels) {
  redisAsyncContext* context = connection_.context();
  if (context == nullptr || channels.empty()) return;
  RedisArgv argv;
  argv.Add(verb);
  for (const std::string* channel : channels) argv.Add(*channel);
  redisAsyncCommandArgv(context, &RedisSubscriber::OnReply, this, argv.count(), argv.data(), argv.lengths());
}

void RedisSubscriber::HandleConnected() {
  std::vector<const std::string*> batch;
  for (const std::string& channel : permanent_channels_) batch.push_back(&channel);
  for (auto& [name, channel] : channels_) {
    if (!channel.wanted) continue;
    channel.state = State::kSubscribing;
    batch.push_back(&name);
    if (batch.size() == kChannelsPerCommand) {
      SendCommand("SUBSCRIBE", batch);
      batch.clear();
    }
  }
  SendCommand("SUBSCRIBE", batch);
}

void RedisSubscriber::HandleLost() {
  std::vector<std::string> released;
  for (auto it = channels_.begin(); it != channels_.end();) {
    if (it->second.wanted) {
      it->second.state = State::kIdle;
      ++it;
    } else {
      released.push_back(it->first);
      it = channels_.erase(it);
    }
  }
  listener_.OnConnectionLost();
  for (const std::string& channel : released) listener_.OnUnsubscribed(channel);
}

void RedisSubscriber::Want(const std::string& channel) {
  Channel& state = channels_[channel];
  state.wanted = true;
  if (state.state == State::kIdle && connection_.connected()) {
    state.state = State::kSubscribing;
    SendCommand("SUBSCRIBE", {&channel});
  }
}

void RedisSubscriber::Release(const std::string& channel) {
  auto it = channels_.find(channel);
  if (it == channels_.end()) return;
  it->second.wanted = false;
  switch (it->second.state) {
    case State::kIdle:
      channels_.erase(it);
      listener_.OnUnsubscribed(channel);
      return;
    case State::kSubscribed:
      it->second.state = State::kUnsubscribing;
      SendCommand("UNSUBSCRIBE", {&it->first});
      return;
    case State::kSubscribing:    // unsubscribed when the SUBSCRIBE reply arrives
    case State::kUnsubscribing:
      return;
  }
}

bool RedisSubscriber::IsPermanent(std::string_view channel) const {
  for (const std::string& permanent : permanent_channels_) {
    if (permanent == channel) return true;
  }
  return false;
}

bool RedisSubscriber::IsSubscribed(const std::string& channel) const {
  auto it = channels_.find(channel);
  return it != channels_.end() && it->second.state == State::kSubscribed;
}

void RedisSubscriber::HandleReply(const redisReply* reply) {
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) return;
  std::string_view kind = ReplyString(reply->element[0]);
  std::string_view name = ReplyString(reply->element[1]);
  if (kind == "message") {
    ++metrics_.events_received;
    listener_.OnMessage(name, ReplyString(reply->element[2]));
    return;
  }
  // A confirmed SUBSCRIBE is the first command that worked: the server
  // accepts ours (one that refuses them, e.g. NOAUTH, drops us instead).
  if (kind == "subscribe") connection_.MarkHealthy();
  if (IsPermanent(name)) return;
  auto it = channels_.find(std::string(name));
  if (it == channels_.end()) return;
  Channel& channel = it->second;
  if (kind == "subscribe") {
    if (!channel.wanted) {
      channel.state = State::kUnsubscribing;
      SendCommand("UNSUBSCRIBE", {&it->first});
      return;
    }
    channel.state = State::kSubscribed;
    listener_.OnSubscribed(it->first);
  } else if (kind == "unsubscribe") {
    if (channel.wanted) {
      // Wanted again while the UNSUBSCRIBE was in flight: only now is it
      // safe to subscribe again (hiredis 0.14.1).
      channel.state = State::kSubscribing;
      SendCommand("SUBSCRIBE", {&it->first});
      return;
    }
    std::string released = it->first;
    channels_.erase(it);
    listener_.OnUnsubscribed(released);
  }
}

void RedisSubscriber::OnReply(redisAsyncContext* /*context*/, void* reply, void* privdata) noexcept {
  // A null reply: the context is going away; HandleLost follows.
  if (reply == nullptr) return;
  try {
    static_cast<RedisSubscriber*>(privdata)->HandleReply(static_cast<const redisReply*>(reply));
  } catch (const std::exception& error) {
    Log(LogLevel::kError, "pusher_redis_callback_exception").Kv("callback", "subscriber").Kv("error", error.what());
  } catch (...) {
    Log(LogLevel::kError, "pusher_redis_callback_exception").Kv("callback", "subscriber");
  }
}

}  // namespace papo::pusher
