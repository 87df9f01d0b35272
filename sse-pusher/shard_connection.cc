#include "sse-pusher/shard_connection.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string_view>

#include "common/log.h"
#include "common/redis_argv.h"

namespace papo::pusher {
namespace {

constexpr int64_t kFirstBackoffMs = 100;
constexpr int64_t kMaxBackoffMs = 5000;
constexpr int64_t kHealthyAfterMs = 10'000;
// Read at most this much per wakeup; the loop is level-triggered, so the
// rest is read on the next iteration and the streams are not starved.
constexpr size_t kReadBudget = 1 << 20;

int64_t BackoffMs(int failures) {
  int64_t delay = kFirstBackoffMs << std::min(failures, 6);
  delay = std::min(delay, kMaxBackoffMs);
  static thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_int_distribution<int64_t> jitter(0, delay / 4);
  return delay - delay / 8 + jitter(random);
}

std::string_view Text(const redisReply* reply) {
  if (reply == nullptr || (reply->type != REDIS_REPLY_STRING && reply->type != REDIS_REPLY_STATUS &&
                           reply->type != REDIS_REPLY_ERROR)) {
    return {};
  }
  return {reply->str, reply->len};
}

// The node's IPv4/IPv6 address; cluster nodes announce IPs, but a seed may
// be a name (resolved with getaddrinfo, which blocks: only at connect).
bool Resolve(const std::string& host, int port, sockaddr_storage& address, socklen_t& length) {
  std::memset(&address, 0, sizeof address);
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    length = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    length = sizeof(sockaddr_in6);
    return true;
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || found == nullptr) return false;
  std::memcpy(&address, found->ai_addr, found->ai_addrlen);
  length = found->ai_addrlen;
  freeaddrinfo(found);
  return true;
}

}  // namespace

ShardConnection::ShardConnection(EventLoop& loop, PusherMetrics& metrics, RedisHostPort node, std::string password,
                                 std::string name, int connect_timeout_ms, bool pubsub, Handlers handlers)
    : loop_(loop),
      metrics_(metrics),
      node_(std::move(node)),
      password_(std::move(password)),
      name_(std::move(name)),
      connect_timeout_ms_(connect_timeout_ms),
      pubsub_(pubsub),
      handlers_(std::move(handlers)) {}

ShardConnection::~ShardConnection() {
  *alive_ = false;
  stopped_ = true;
  loop_.Cancel(timer_);
  timer_ = 0;
  // The callbacks' owners may be gone already: drop them unanswered.
  callbacks_.clear();
  Close();
}

void ShardConnection::Start() {
  stopped_ = false;
  if (state_ == State::kIdle && timer_ == 0) Connect();
}

void ShardConnection::Stop() {
  stopped_ = true;
  loop_.Cancel(timer_);
  timer_ = 0;
  Close();
  std::deque<ReplyCallback> failed;
  failed.swap(callbacks_);
  for (ReplyCallback& callback : failed) callback(nullptr);
}

void ShardConnection::Connect() {
  timer_ = 0;
  sockaddr_storage address;
  socklen_t length = 0;
  if (!Resolve(node_.host, node_.port, address, length)) {
    Log(LogLevel::kWarn, "pusher_redis_connect_failed").Kv("connection", name_).Kv("error", "unknown host");
    return ScheduleReconnect();
  }
  int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    Log(LogLevel::kWarn, "pusher_redis_connect_failed").Kv("connection", name_).Kv("error", std::strerror(errno));
    return ScheduleReconnect();
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 && errno != EINPROGRESS) {
    Log(LogLevel::kWarn, "pusher_redis_connect_failed").Kv("connection", name_).Kv("error", std::strerror(errno));
    ::close(fd);
    return ScheduleReconnect();
  }
  if (!loop_.Watch(fd, EventLoop::kWritable, this).ok()) {
    ::close(fd);
    return ScheduleReconnect();
  }
  fd_ = fd;
  state_ = State::kConnecting;
  reader_.reset(redisReaderCreate());
  if (!password_.empty()) {
    // Queued first: commands issued while connecting are pipelined behind it.
    Append({"AUTH", password_});
    callbacks_.push_back([this, alive = alive_](const redisReply* reply) {
      if (!*alive || reply == nullptr) return;
      if (reply->type == REDIS_REPLY_ERROR) {
        // Reconnect (with backoff) rather than run unauthenticated.
        Log(LogLevel::kError, "pusher_redis_setup_failed").Kv("connection", name_).Kv("error", Text(reply));
        return loop_.Defer([this, alive] {
          if (*alive && state_ == State::kAuthenticating) Fail(nullptr);
        });
      }
      Ready();
    });
  }
  timer_ = loop_.RunAfter(connect_timeout_ms_, [this] {
    timer_ = 0;
    if (state_ == State::kConnecting || state_ == State::kAuthenticating) {
      Log(LogLevel::kWarn, "pusher_redis_connect_timeout").Kv("connection", name_);
      Fail("connect timeout");
    }
  });
}

void ShardConnection::Connected() {
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  if (error != 0) {
    Log(LogLevel::kWarn, "pusher_redis_connect_failed").Kv("connection", name_).Kv("error", std::strerror(error));
    return Fail(nullptr);
  }
  if (password_.empty()) return Ready();
  state_ = State::kAuthenticating;  // the AUTH queued by Connect() goes out first
  Flush();
}

void ShardConnection::Ready() {
  loop_.Cancel(timer_);
  timer_ = 0;
  state_ = State::kReady;
  ready_since_ms_ = loop_.now_ms();
  if (ever_ready_) ++metrics_.redis_reconnects;
  ever_ready_ = true;
  Log(LogLevel::kInfo, "pusher_redis_connected").Kv("connection", name_);
  Flush();
  if (handlers_.connected) handlers_.connected();
}

void ShardConnection::Close() {
  if (fd_ >= 0) {
    loop_.Unwatch(fd_);
    ::close(fd_);
    fd_ = -1;
  }
  ++epoch_;
  reader_.reset();
  out_.clear();
  out_sent_ = 0;
  state_ = State::kIdle;
}

void ShardConnection::Fail(const char* why) {
  bool was_ready = state_ == State::kReady;
  if (was_ready && loop_.now_ms() - ready_since_ms_ >= kHealthyAfterMs) failures_ = 0;
  if (was_ready) {
    Log(LogLevel::kWarn, "pusher_redis_connection_lost").Kv("connection", name_).Kv("reason", why ? why : "error");
  }
  loop_.Cancel(timer_);
  timer_ = 0;
  Close();
  auto alive = alive_;
  std::deque<ReplyCallback> failed;
  failed.swap(callbacks_);
  for (ReplyCallback& callback : failed) {
    callback(nullptr);
    if (!*alive) return;
  }
  if (was_ready && handlers_.lost) handlers_.lost();
  if (!*alive) return;
  ScheduleReconnect();
}

void ShardConnection::ScheduleReconnect() {
  if (stopped_ || timer_ != 0 || state_ != State::kIdle) return;
  timer_ = loop_.RunAfter(BackoffMs(failures_++), [this] { Connect(); });
}

void ShardConnection::Append(const std::vector<std::string>& argv) {
  out_ += FormatRedisCommand(argv);
}

void ShardConnection::Command(const std::vector<std::string>& argv, ReplyCallback done) {
  // While connecting the command waits in out_ (behind the AUTH); only a
  // connection waiting to reconnect refuses it.
  if (state_ == State::kIdle) {
    loop_.Defer([done = std::move(done)] { done(nullptr); });
    return;
  }
  Append(argv);
  callbacks_.push_back(std::move(done));
  Flush();
}

bool ShardConnection::Send(const std::vector<std::string>& argv) {
  if (state_ != State::kReady) return false;
  Append(argv);
  Flush();
  return true;
}

void ShardConnection::Flush() {
  if (fd_ < 0 || state_ == State::kConnecting) return;
  while (out_sent_ < out_.size()) {
    ssize_t sent = ::send(fd_, out_.data() + out_sent_, out_.size() - out_sent_, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      // The read side reports it (level-triggered EPOLLERR/HUP): failing
      // here could run callbacks inside a caller's Command().
      loop_.Defer([this, alive = alive_, epoch = epoch_] {
        if (*alive && epoch == epoch_) Fail("write failed");
      });
      break;
    }
    out_sent_ += static_cast<size_t>(sent);
  }
  if (out_sent_ == out_.size()) {
    out_.clear();
    out_sent_ = 0;
  }
  uint32_t interest = EventLoop::kReadable | (out_.empty() ? 0u : static_cast<uint32_t>(EventLoop::kWritable));
  (void)loop_.SetInterest(fd_, interest);
}

void ShardConnection::OnWritable() {
  if (state_ == State::kConnecting) {
    Connected();
    return;
  }
  Flush();
}

void ShardConnection::OnReadable() {
  if (state_ == State::kConnecting) {
    // An error before the connect completed (EPOLLERR): SO_ERROR says it.
    Connected();
    if (state_ == State::kConnecting || fd_ < 0) return;
  }
  uint64_t epoch = epoch_;
  auto alive = alive_;
  char buffer[64 * 1024];
  size_t budget = kReadBudget;
  while (budget > 0) {
    ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return Fail(std::strerror(errno));
    }
    if (got == 0) return Fail("closed by server");
    budget -= std::min(budget, static_cast<size_t>(got));
    if (redisReaderFeed(reader_.get(), buffer, static_cast<size_t>(got)) != REDIS_OK) return Fail("protocol error");
    while (true) {
      void* parsed = nullptr;
      if (redisReaderGetReply(reader_.get(), &parsed) != REDIS_OK) return Fail("protocol error");
      if (parsed == nullptr) break;
      std::unique_ptr<redisReply, decltype(&freeReplyObject)> reply(static_cast<redisReply*>(parsed),
                                                                   &freeReplyObject);
      Dispatch(reply.get());
      if (!*alive || epoch != epoch_) return;  // destroyed, stopped or failed by a callback
    }
    if (static_cast<size_t>(got) < sizeof buffer) break;
  }
}

bool ShardConnection::IsPush(const redisReply* reply) {
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) return false;
  std::string_view kind = Text(reply->element[0]);
  return kind == "smessage" || kind == "message" || kind == "ssubscribe" || kind == "sunsubscribe" ||
         kind == "subscribe" || kind == "unsubscribe";
}

void ShardConnection::Dispatch(redisReply* reply) {
  if (reply->type != REDIS_REPLY_ERROR) failures_ = 0;  // the server accepts our commands
  try {
    if (pubsub_ && IsPush(reply)) {
      if (handlers_.push) handlers_.push(*reply);
      return;
    }
    if (callbacks_.empty()) {
      if (handlers_.unsolicited) handlers_.unsolicited(*reply);
      return;
    }
    ReplyCallback callback = std::move(callbacks_.front());
    callbacks_.pop_front();
    callback(reply);
  } catch (const std::exception& error) {
    Log(LogLevel::kError, "pusher_redis_callback_exception").Kv("callback", name_).Kv("error", error.what());
  } catch (...) {
    Log(LogLevel::kError, "pusher_redis_callback_exception").Kv("callback", name_);
  }
}

}  // namespace papo::pusher
