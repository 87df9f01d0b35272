#include "tests/support/redis_node.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

namespace papo::testing {

RedisReplyPtr NodeReply(int port, const std::vector<std::string>& command, std::chrono::milliseconds timeout) {
  struct timeval limit = {static_cast<time_t>(timeout.count() / 1000),
                          static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  RedisContextPtr context(redisConnectWithTimeout("127.0.0.1", port, limit));
  if (!context || context->err) return RedisReplyPtr();
  redisSetTimeout(context.get(), limit);
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const auto& arg : command) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return RedisReplyPtr(static_cast<redisReply*>(
      redisCommandArgv(context.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
}

}  // namespace papo::testing
