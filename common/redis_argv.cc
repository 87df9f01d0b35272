#include "common/redis_argv.h"

#include <hiredis/hiredis.h>

#include <new>

namespace papo {

std::vector<std::string> ScriptCommand(std::string_view verb, std::string_view script_or_sha,
                                       const std::vector<std::string>& keys, const std::vector<std::string>& args) {
  std::vector<std::string> command;
  command.reserve(3 + keys.size() + args.size());
  command.emplace_back(verb);
  command.emplace_back(script_or_sha);
  command.push_back(std::to_string(keys.size()));
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

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
