#include "common/redis_argv.h"

#include <hiredis/hiredis.h>

#include <new>

namespace papo {

std::string FormatRedisCommand(const std::vector<std::string>& args) {
  RedisArgv argv(args);
  char* command = nullptr;
  int length = redisFormatCommandArgv(&command, argv.count(), argv.data(), argv.lengths());
  if (length < 0 || command == nullptr) throw std::bad_alloc();  // hiredis's only failure
  std::string out(command, static_cast<size_t>(length));
  redisFreeCommand(command);
  return out;
}

}  // namespace papo
