#include "common/redis_client.h"

#include <sys/time.h>

#include <algorithm>
#include <cerrno>

#include "common/log.h"
#include "common/redis_argv.h"
#include "common/redis_cluster_router.h"
#include "common/redis_sentinel.h"
#include "common/time_format.h"

namespace papo {
namespace {

// Sentinel mode: see EnsureConnected.
constexpr int64_t kFastResolveFailureMs = 50;
constexpr int64_t kFailoverRetryMs = 100;

Status ReplyError(const redisReply* reply) {
  return Status::Internal(std::string("redis: ") + std::string(reply->str, reply->len));
}

// A master demoted to replica (a failover it did not see, or a sentinel
// that reconfigured it) refuses writes with READONLY: the master is
// elsewhere now.
bool IsReadOnly(const redisReply* reply) {
  return reply->type == REDIS_REPLY_ERROR && std::string_view(reply->str, reply->len).starts_with("READONLY");
}

bool IsNoScript(const redisReply* reply) {
  return reply->type == REDIS_REPLY_ERROR && std::string_view(reply->str, reply->len).starts_with("NOSCRIPT");
}

}  // namespace

RedisClient::RedisClient(RedisAddress address, int timeout_ms, int retry_interval_ms)
    : address_(std::move(address)), timeout_ms_(timeout_ms), retry_interval_ms_(retry_interval_ms) {
  if (address_.mode == RedisMode::kCluster) {
    router_ = std::make_unique<RedisClusterRouter>(address_, timeout_ms_, retry_interval_ms_);
  }
}

RedisClient::~RedisClient() = default;

int RedisClient::socket_fd() const {
  if (router_) return router_->socket_fd();
  return context_ ? context_->fd : -1;
}

bool RedisClient::connected() const { return router_ ? router_->connected() : context_ != nullptr; }

void RedisClient::RetryNow() {
  if (router_) router_->RetryNow();
  next_attempt_ms_ = 0;
}

void RedisClient::Drop(const char* why, bool pause) {
  if (context_) {
    Log(LogLevel::kWarn, "redis_connection_lost")
        .Kv("reason", why)
        .Kv("error", context_->err ? context_->errstr : "");
  }
  context_.reset();
  script_shas_.clear();
  if (pause) next_attempt_ms_ = NowMillis() + retry_interval_ms_;
}

Status RedisClient::EnsureConnected() {
  if (context_) return Status::Ok();
  int64_t now = NowMillis();
  if (now < next_attempt_ms_) return Status::Unavailable("redis unavailable (waiting to retry)");
  if (address_.mode == RedisMode::kSentinel) {
    // Asked again before every connect: after a drop the master may be
    // another node (a failover), and the sentinels know which.
    auto master = ResolveSentinelMaster(address_, std::min(timeout_ms_, kSentinelTimeoutMs));
    if (!master.ok()) {
      // A failure that came at once (the sentinels answered and named a
      // node that refused: the dead master, until they promote its
      // replica) is asked again soon, so publishing resumes right after
      // the switch; one that waited on timeouts pauses the full interval,
      // so requests are not held by them.
      const bool fast = NowMillis() - now < kFastResolveFailureMs;
      next_attempt_ms_ = now + (fast ? std::min<int64_t>(retry_interval_ms_, kFailoverRetryMs) : retry_interval_ms_);
      return master.status();
    }
    address_.host = master->host;
    address_.port = master->port;
  }
  struct timeval timeout = {timeout_ms_ / 1000, (timeout_ms_ % 1000) * 1000};
  RedisContextPtr context(address_.unix_path.empty()
                              ? redisConnectWithTimeout(address_.host.c_str(), address_.port, timeout)
                              : redisConnectUnixWithTimeout(address_.unix_path.c_str(), timeout));
  if (!context || context->err) {
    next_attempt_ms_ = now + retry_interval_ms_;
    std::string error = context ? context->errstr : "out of memory";
    return Status::Unavailable("redis connect: " + error);
  }
  redisSetTimeout(context.get(), timeout);
  context_ = std::move(context);
  std::vector<std::vector<std::string>> setup;
  if (!address_.password.empty()) setup.push_back({"AUTH", address_.password});
  if (address_.database != 0) setup.push_back({"SELECT", std::to_string(address_.database)});
  if (!setup.empty()) {
    bool stale = false;  // a new connection that fails at once is not retried here
    auto replies = PipelineOnce(setup, stale);
    if (!replies.ok()) return replies.status();
    for (const auto& reply : *replies) {
      if (reply->type == REDIS_REPLY_ERROR) {
        Status error = ReplyError(reply.get());
        Drop("setup failed", true);
        return Status::Unavailable(error.message());
      }
    }
  }
  auto connected = Log(LogLevel::kInfo, "redis_connected");
  connected.Kv("host", address_.unix_path.empty() ? address_.host : address_.unix_path);
  // Which node the sentinels named: the one line that shows a failover
  // was followed.
  if (address_.mode == RedisMode::kSentinel) connected.Kv("port", address_.port).Kv("master", address_.master_name);
  return Status::Ok();
}

Result<RedisReplyPtr> RedisClient::NextPush() {
  if (router_) return router_->NextPush();
  if (!context_) return Status::Unavailable("redis: not connected");
  struct timeval forever = {0, 0};
  redisSetTimeout(context_.get(), forever);
  void* raw = nullptr;
  if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) {
    return Status::Unavailable(std::string("redis: subscription ended: ") + context_->errstr);
  }
  return RedisReplyPtr(static_cast<redisReply*>(raw));
}

Result<std::vector<RedisReplyPtr>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  if (router_) return router_->Pipeline(commands);
  bool stale = false;
  auto replies = PipelineOnce(commands, stale);
  // After a Redis restart each thread's first command meets the old
  // connection's EOF or reset: that says nothing about the server now, so
  // it is sent again on a new connection rather than refused for the retry
  // interval (meanwhile other threads would publish newer seqs, leaving
  // holes in the recent cache).
  if (stale) replies = PipelineOnce(commands, stale);
  return replies;
}

Result<std::vector<RedisReplyPtr>> RedisClient::PipelineOnce(
    const std::vector<std::vector<std::string>>& commands, bool& stale) {
  stale = false;
  const bool reused = context_ != nullptr;
  PAPO_RETURN_IF_ERROR(EnsureConnected());
  for (const auto& command : commands) {
    RedisArgv argv(command);
    if (redisAppendCommandArgv(context_.get(), argv.count(), argv.data(), argv.lengths()) != REDIS_OK) {
      Drop("append failed", true);
      return Status::Unavailable("redis: could not queue command");
    }
  }
  std::vector<RedisReplyPtr> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) {
      const int error_number = errno;
      // A timeout (EAGAIN on the socket's timeout) means a slow or stopped
      // server: pause. EOF or another socket error on a connection used
      // before means the server closed it (restarted): try a new one now.
      const bool timed_out = context_->err == REDIS_ERR_IO &&
                             (error_number == EAGAIN || error_number == EWOULDBLOCK || error_number == EINPROGRESS);
      std::string error = context_->errstr;
      stale = reused && !timed_out && (context_->err == REDIS_ERR_EOF || context_->err == REDIS_ERR_IO);
      Drop(stale ? "stale connection" : "read failed", !stale);
      return Status::Unavailable("redis: " + error);
    }
    replies.emplace_back(static_cast<redisReply*>(raw));
  }
  if (address_.mode == RedisMode::kSentinel) {
    for (const auto& reply : replies) {
      if (!IsReadOnly(reply.get())) continue;
      // Sent again at once, after asking the sentinels: the writes were
      // refused, and the commands are safe to repeat (see Pipeline).
      stale = true;
      Drop("master demoted (READONLY)", false);
      return Status::Unavailable("redis: " + std::string(reply->str, reply->len));
    }
  }
  return replies;
}

Result<RedisReplyPtr> RedisClient::Command(const std::vector<std::string>& command) {
  auto replies = Pipeline({command});
  if (!replies.ok()) return replies.status();
  RedisReplyPtr reply = std::move(replies->front());
  if (reply->type == REDIS_REPLY_ERROR) return ReplyError(reply.get());
  return reply;
}

Result<RedisReplyPtr> RedisClient::Eval(const std::string& script, const std::vector<std::string>& keys,
                                        const std::vector<std::string>& args) {
  if (router_) return router_->Eval(script, keys, args);
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto sha = script_shas_.find(script);
    if (sha == script_shas_.end()) {
      auto loaded = Command({"SCRIPT", "LOAD", script});
      if (!loaded.ok()) return loaded.status();
      sha = script_shas_.emplace(script, std::string((*loaded)->str, (*loaded)->len)).first;
    }
    auto replies = Pipeline({ScriptCommand("EVALSHA", sha->second, keys, args)});
    if (!replies.ok()) return replies.status();
    RedisReplyPtr reply = std::move(replies->front());
    if (IsNoScript(reply.get())) {
      // By key: Pipeline may have dropped the connection (and every SHA
      // with it) before its retry, so `sha` may point at nothing now.
      script_shas_.erase(script);
      continue;
    }
    if (reply->type == REDIS_REPLY_ERROR) return ReplyError(reply.get());
    return reply;
  }
  return Status::Internal("redis: script could not be loaded");
}

}  // namespace papo
