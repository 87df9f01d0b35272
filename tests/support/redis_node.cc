#include "tests/support/redis_node.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include "common/redis_argv.h"

namespace papo::testing {

RedisReplyPtr NodeReply(int port, const std::vector<std::string>& command, std::chrono::milliseconds timeout,
                        const std::string& password) {
  struct timeval limit = {static_cast<time_t>(timeout.count() / 1000),
                          static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  RedisContextPtr context(redisConnectWithTimeout("127.0.0.1", port, limit));
  if (!context || context->err) return RedisReplyPtr();
  redisSetTimeout(context.get(), limit);
  if (!password.empty()) {
    const std::vector<std::string> auth_command = {"AUTH", password};
    RedisArgv auth(auth_command);
    RedisReplyPtr reply(
        static_cast<redisReply*>(redisCommandArgv(context.get(), auth.count(), auth.data(), auth.lengths())));
    if (!reply || reply->type == REDIS_REPLY_ERROR) return reply;
  }
  RedisArgv argv(command);
  return RedisReplyPtr(static_cast<redisReply*>(redisCommandArgv(context.get(), argv.count(), argv.data(), argv.lengths())));
}

}  // namespace papo::testing
