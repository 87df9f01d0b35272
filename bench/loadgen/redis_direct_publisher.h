// RedisDirectPublisher: publishes the way papo-app does after its COMMIT,
// without papo-app: EVALSHA of PublishMessageScript() (common/bus/scripts.h)
// stores the message JSON in the room's recent cache under its seq and
// PUBLISHes the envelope on the room channel. This is the "pusher alone"
// path: what reaches papo-pusher is byte for byte what papo-app sends.
//
// Seqs continue from the newest cached one of each room (read at Start),
// so runs can follow each other on the same Redis. One connection,
// pipelined up to --publish-concurrency commands.
#pragma once

#include <hiredis/read.h>

#include <deque>
#include <string>
#include <vector>

#include "bench/loadgen/publisher.h"

namespace papo::bench {

class RedisDirectPublisher final : public Publisher {
 public:
  explicit RedisDirectPublisher(const LoadgenOptions& options);
  ~RedisDirectPublisher() override;

  Status Start(int epoll_fd, uint64_t tag_base, uint64_t now_ns) override;
  void OnEvent(uint32_t connection, uint32_t events) override;
  void Pump(uint64_t now_ns) override;

 private:
  Status LoadScriptAndSeqs();
  std::string BuildCommand(const Planned& planned, uint64_t now_ns) const;
  void Flush();
  void Read();
  void Fail(const char* why);

  int fd_ = -1;
  int epoll_fd_ = -1;
  uint64_t tag_ = 0;
  bool connected_ = false;
  bool want_write_ = false;
  std::string sha_;
  std::vector<int64_t> base_seq_;  // per room index
  std::string out_;
  size_t out_offset_ = 0;
  std::deque<uint64_t> sent_ns_;   // in-flight commands, in order
  redisReader* reader_ = nullptr;
};

}  // namespace papo::bench
