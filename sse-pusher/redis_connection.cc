#include "sse-pusher/redis_connection.h"

#include <algorithm>
#include <random>

#include "common/log.h"
#include "common/redis_sentinel.h"
#include "sse-pusher/redis_epoll_adapter.h"

namespace papo::pusher {
namespace {

constexpr int64_t kFirstBackoffMs = 100;
constexpr int64_t kMaxBackoffMs = 5000;
// A connection up this long counts as healthy even if its owner never
// said so (no command needed in the meantime).
constexpr int64_t kHealthyAfterMs = 10'000;

int64_t BackoffMs(int failures) {
  int64_t delay = kFirstBackoffMs << std::min(failures, 6);
  delay = std::min(delay, kMaxBackoffMs);
  static thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_int_distribution<int64_t> jitter(0, delay / 4);
  return delay - delay / 8 + jitter(random);
}

}  // namespace

RedisConnection::RedisConnection(EventLoop& loop, PusherMetrics& metrics, RedisAddress address, std::string name,
                                 int connect_timeout_ms, bool select_database, Handlers handlers)
    : loop_(loop),
      metrics_(metrics),
      address_(std::move(address)),
      name_(std::move(name)),
      connect_timeout_ms_(connect_timeout_ms),
      select_database_(select_database),
      handlers_(std::move(handlers)) {}

RedisConnection::~RedisConnection() {
  stopped_ = true;
  loop_.Cancel(timer_);
  if (context_ != nullptr) {
    redisAsyncContext* context = context_;
    context->data = nullptr;  // our callbacks see no owner any more
    context_ = nullptr;
    connected_ = false;
    redisAsyncFree(context);
  }
}

void RedisConnection::Start() {
  stopped_ = false;
  if (context_ == nullptr && timer_ == 0) Connect();
}

void RedisConnection::Stop() {
  stopped_ = true;
  loop_.Cancel(timer_);
  timer_ = 0;
  if (context_ != nullptr) redisAsyncDisconnect(context_);
}

bool RedisConnection::ResolveMaster() {
  // Synchronous, on the loop thread: each sentinel and the node it names
  // get kSentinelTimeoutMs (300 ms) to answer, so a reconnect may stall the
  // loop that long per unreachable sentinel. Acceptable: it happens only
  // while (re)connecting, when the streams wait for Redis anyway, and on
  // one host a refused connect costs nothing.
  auto master = ResolveSentinelMaster(address_);
  if (!master.ok()) {
    Log(LogLevel::kWarn, "pusher_redis_sentinel_failed").Kv("connection", name_).Kv("error", master.status().message());
    return false;
  }
  address_.host = master->host;
  address_.port = master->port;
  return true;
}

void RedisConnection::FollowMaster(const RedisHostPort& master) {
  if (address_.mode != RedisMode::kSentinel || stopped_) return;
  const bool same = !master.host.empty() && master.host == address_.host && master.port == address_.port;
  if (same && context_ != nullptr) return;  // connected or connecting to it
  if (following_) return;                     // already leaving this one
  Log(LogLevel::kInfo, "pusher_redis_follow_master")
      .Kv("connection", name_)
      .Kv("master", master.host.empty() ? "(ask the sentinels)" : master.host + ":" + std::to_string(master.port));
  failures_ = 0;
  loop_.Cancel(timer_);
  timer_ = 0;
  if (context_ == nullptr) return Connect();
  if (connected_) {
    // Freed, not disconnected: a disconnect would first wait for the
    // pending replies, forever if the old master's host froze or is cut
    // off. hiredis calls every pending callback with null and then the
    // disconnect callback, which runs `lost` and schedules the reconnect
    // with no delay (following_); inside one of this context's callbacks
    // (a READONLY reply) it does so once the callback returns.
    following_ = true;
    redisAsyncFree(context_);
    return;
  }
  // Still connecting (to the old master): hiredis calls no disconnect
  // callback for it, so it is freed here, as on a connect timeout.
  redisAsyncContext* context = context_;
  context->data = nullptr;
  context_ = nullptr;
  redisAsyncFree(context);
  Connect();
}

void RedisConnection::Connect() {
  timer_ = 0;
  if (address_.mode == RedisMode::kSentinel && !ResolveMaster()) return ScheduleReconnect();
  redisAsyncContext* context = address_.unix_path.empty()
                                   ? redisAsyncConnect(address_.host.c_str(), address_.port)
                                   : redisAsyncConnectUnix(address_.unix_path.c_str());
  if (context == nullptr || context->err) {
    Log(LogLevel::kWarn, "pusher_redis_connect_failed")
        .Kv("connection", name_)
        .Kv("error", context ? context->errstr : "out of memory");
    if (context != nullptr) redisAsyncFree(context);
    return ScheduleReconnect();
  }
  context->data = this;
  // Attach before setting the connect callback: setting it arms the write
  // event through the adapter, and the first writable event completes the
  // connect.
  if (Status attached = RedisEpollAdapter::Attach(loop_, context); !attached.ok()) {
    redisAsyncFree(context);
    return ScheduleReconnect();
  }
  redisAsyncSetConnectCallback(context, &RedisConnection::OnConnect);
  redisAsyncSetDisconnectCallback(context, &RedisConnection::OnDisconnect);
  context_ = context;
  if (!address_.password.empty()) {
    redisAsyncCommand(context, &RedisConnection::OnSetupReply, this, "AUTH %b", address_.password.data(),
                      address_.password.size());
  }
  if (select_database_ && address_.database != 0) {
    redisAsyncCommand(context, &RedisConnection::OnSetupReply, this, "SELECT %d", address_.database);
  }
  timer_ = loop_.RunAfter(connect_timeout_ms_, [this] { OnConnectTimeout(); });
}

void RedisConnection::OnConnectTimeout() {
  timer_ = 0;
  if (connected_ || context_ == nullptr) return;
  Log(LogLevel::kWarn, "pusher_redis_connect_timeout").Kv("connection", name_);
  redisAsyncContext* context = context_;
  context->data = nullptr;
  context_ = nullptr;
  // Not connected yet: hiredis calls no disconnect callback for it.
  redisAsyncFree(context);
  ScheduleReconnect();
}

void RedisConnection::ScheduleReconnect() {
  if (stopped_ || timer_ != 0) return;
  int64_t delay = following_ ? 0 : BackoffMs(failures_++);
  following_ = false;
  timer_ = loop_.RunAfter(delay, [this] { Connect(); });
}

void RedisConnection::HandleConnect(int status) {
  loop_.Cancel(timer_);
  timer_ = 0;
  if (status != REDIS_OK) {
    // hiredis frees the context right after this callback.
    Log(LogLevel::kWarn, "pusher_redis_connect_failed").Kv("connection", name_).Kv("error", context_->errstr);
    context_ = nullptr;
    return ScheduleReconnect();
  }
  connected_ = true;
  // failures_ is not reset here: a server that accepts the connection and
  // then refuses every command (NOAUTH, a wrong password, a loading
  // replica) drops us at once, and reconnecting every 100 ms would flood
  // both logs. Only a reply that worked (MarkHealthy) or a connection that
  // lasted resets the backoff.
  connected_since_ms_ = loop_.now_ms();
  if (ever_connected_) ++metrics_.redis_reconnects;
  ever_connected_ = true;
  Log(LogLevel::kInfo, "pusher_redis_connected").Kv("connection", name_);
  if (handlers_.connected) handlers_.connected();
}

void RedisConnection::HandleDisconnect() {
  bool was_connected = connected_;
  connected_ = false;
  context_ = nullptr;
  if (was_connected && loop_.now_ms() - connected_since_ms_ >= kHealthyAfterMs) failures_ = 0;
  if (was_connected) Log(LogLevel::kWarn, "pusher_redis_connection_lost").Kv("connection", name_);
  if (handlers_.lost) handlers_.lost();
  ScheduleReconnect();
}

void RedisConnection::OnConnect(const redisAsyncContext* context, int status) noexcept {
  auto* self = static_cast<RedisConnection*>(context->data);
  if (self == nullptr) return;
  try {
    self->HandleConnect(status);
  } catch (...) {
    Log(LogLevel::kError, "pusher_redis_callback_exception").Kv("callback", "connect");
  }
}

void RedisConnection::OnDisconnect(const redisAsyncContext* context, int /*status*/) noexcept {
  auto* self = static_cast<RedisConnection*>(context->data);
  if (self == nullptr) return;
  try {
    self->HandleDisconnect();
  } catch (...) {
    Log(LogLevel::kError, "pusher_redis_callback_exception").Kv("callback", "disconnect");
  }
}

void RedisConnection::OnSetupReply(redisAsyncContext* context, void* reply, void* /*privdata*/) noexcept {
  auto* r = static_cast<redisReply*>(reply);
  if (r == nullptr || r->type != REDIS_REPLY_ERROR) return;
  try {
    Log(LogLevel::kError, "pusher_redis_setup_failed").Kv("error", std::string_view(r->str, r->len));
    // Reconnect (with backoff) rather than run without AUTH/SELECT.
    redisAsyncDisconnect(context);
  } catch (...) {
  }
}

}  // namespace papo::pusher
