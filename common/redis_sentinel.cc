#include "common/redis_sentinel.h"

#include <sys/time.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/redis_argv.h"
#include "common/redis_handle.h"

namespace papo {
namespace {

std::string_view Text(const redisReply* reply) {
  return reply != nullptr && (reply->type == REDIS_REPLY_STRING || reply->type == REDIS_REPLY_ERROR ||
                              reply->type == REDIS_REPLY_STATUS)
             ? std::string_view(reply->str, reply->len)
             : std::string_view();
}

Result<RedisContextPtr> Connect(const RedisHostPort& node, int timeout_ms) {
  struct timeval timeout = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  RedisContextPtr context(redisConnectWithTimeout(node.host.c_str(), node.port, timeout));
  if (!context || context->err) {
    return Status::Unavailable("connect: " + std::string(context ? context->errstr : "out of memory"));
  }
  redisSetTimeout(context.get(), timeout);
  return context;
}

Result<RedisReplyPtr> Call(redisContext* context, const std::vector<std::string>& argv) {
  RedisArgv args(argv);
  void* raw = redisCommandArgv(context, args.count(), args.data(), args.lengths());
  if (raw == nullptr) return Status::Unavailable(std::string(argv[0]) + ": " + context->errstr);
  RedisReplyPtr reply(static_cast<redisReply*>(raw));
  if (reply->type == REDIS_REPLY_ERROR) return Status::Unavailable(argv[0] + ": " + std::string(Text(reply.get())));
  return reply;
}

// What sentinel `sentinel` names as the master.
Result<RedisHostPort> AskSentinel(const RedisHostPort& sentinel, const std::string& master_name, int timeout_ms) {
  auto context = Connect(sentinel, timeout_ms);
  if (!context.ok()) return context.status();
  auto reply = Call(context->get(), {"SENTINEL", "get-master-addr-by-name", master_name});
  if (!reply.ok()) return reply.status();
  const redisReply* r = reply->get();
  if (r->type == REDIS_REPLY_NIL) return Status::Unavailable("does not monitor a master named " + master_name);
  if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 || r->element[0]->type != REDIS_REPLY_STRING ||
      r->element[1]->type != REDIS_REPLY_STRING) {
    return Status::Unavailable("unexpected reply to SENTINEL get-master-addr-by-name");
  }
  RedisHostPort master;
  master.host = std::string(Text(r->element[0]));
  std::string port(Text(r->element[1]));
  char* end = nullptr;
  long value = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || value <= 0 || value > 65535) {
    return Status::Unavailable("unexpected port in SENTINEL reply: " + port);
  }
  master.port = static_cast<int>(value);
  return master;
}

// OK when `node` says ROLE master (after AUTH, when the data nodes need it).
Status ConfirmMaster(const RedisHostPort& node, const std::string& password, int timeout_ms) {
  auto context = Connect(node, timeout_ms);
  if (!context.ok()) return context.status();
  if (!password.empty()) {
    auto auth = Call(context->get(), {"AUTH", password});
    if (!auth.ok()) return auth.status();
  }
  auto reply = Call(context->get(), {"ROLE"});
  if (!reply.ok()) return reply.status();
  const redisReply* r = reply->get();
  if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) return Status::Unavailable("unexpected reply to ROLE");
  std::string_view role = Text(r->element[0]);
  if (role != "master") return Status::Unavailable("ROLE says " + std::string(role) + ", not master");
  return Status::Ok();
}

}  // namespace

Result<RedisHostPort> ResolveSentinelMaster(const RedisAddress& address, int timeout_ms) {
  if (address.mode != RedisMode::kSentinel) return Status::InvalidArgument("not a redis-sentinel:// address");
  if (address.seeds.empty()) return Status::InvalidArgument("redis-sentinel:// address without sentinels");
  std::string why;
  // Nodes that failed the check in this call: when every sentinel still
  // names a dead master, it costs one connect timeout, not one per sentinel.
  std::vector<std::string> refused;
  for (const auto& sentinel : address.seeds) {
    const std::string name = sentinel.host + ":" + std::to_string(sentinel.port);
    auto master = AskSentinel(sentinel, address.master_name, timeout_ms);
    if (!master.ok()) {
      why += "; sentinel " + name + ": " + master.status().message();
      continue;
    }
    const std::string node = master->host + ":" + std::to_string(master->port);
    if (std::find(refused.begin(), refused.end(), node) != refused.end()) {
      why += "; sentinel " + name + " named " + node + " too";
      continue;
    }
    if (Status confirmed = ConfirmMaster(*master, address.password, timeout_ms); !confirmed.ok()) {
      why += "; sentinel " + name + " named " + node + ": " + confirmed.message();
      refused.push_back(node);
      continue;
    }
    return master;
  }
  return Status::Unavailable("redis-sentinel: no master '" + address.master_name + "' found" + why);
}

}  // namespace papo
