// RedisArgv: a command's arguments as hiredis's *CommandArgv functions take
// them (pointers and lengths: binary safe), viewed over strings that must
// outlive it. Every place that sends a command builds its arrays here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace papo {

class RedisArgv final {
 public:
  RedisArgv() = default;
  explicit RedisArgv(const std::vector<std::string>& args) {
    pointers_.reserve(args.size());
    lengths_.reserve(args.size());
    for (const std::string& arg : args) Add(arg);
  }

  // `arg` must outlive this view.
  void Add(std::string_view arg) {
    pointers_.push_back(arg.data());
    lengths_.push_back(arg.size());
  }

  int count() const { return static_cast<int>(pointers_.size()); }
  const char** data() { return pointers_.data(); }
  const size_t* lengths() const { return lengths_.data(); }

 private:
  std::vector<const char*> pointers_;
  std::vector<size_t> lengths_;
};

// {verb, script (EVAL) or its SHA-1 (EVALSHA), numkeys, keys..., args...}.
std::vector<std::string> ScriptCommand(std::string_view verb, std::string_view script_or_sha,
                                       const std::vector<std::string>& keys, const std::vector<std::string>& args);

// The command in Redis's wire protocol (RESP), for connections papo drives
// itself (the pusher's ShardConnection, the load generator). Throws
// std::bad_alloc as `new` would (hiredis's only failure).
std::string FormatRedisCommand(const std::vector<std::string>& args);

}  // namespace papo
