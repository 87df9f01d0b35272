// RedisDirectPublisher: publishes the way papo-app does after its COMMIT,
// without papo-app: EVALSHA of PublishMessageScript() (common/bus/scripts.h)
// stores the message JSON in the room's recent cache under its seq and
// publishes the envelope on the room channel. This is the "pusher alone"
// path: what reaches papo-pusher is byte for byte what papo-app sends.
//
// --publish redis: one server, one connection. --publish redis-cluster:
// --publish-target is any node of a Redis Cluster; one connection per
// primary, each message sent to the primary of its room's slot with the
// cluster's verbs (SPUBLISH), as papo-app's cluster router does.
//
// Seqs continue from the newest cached one of each room (read at Start),
// so runs can follow each other on the same Redis. Pipelined up to
// --publish-concurrency commands in all.
#pragma once

#include <hiredis/hiredis.h>  // redisReaderCreate (read.h declares only the internals)

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "bench/loadgen/endpoint.h"
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
  // One connection (to the server, or to one primary of the cluster).
  struct Lane {
    Endpoint endpoint;
    int fd = -1;
    bool connected = false;
    bool want_write = false;
    std::string out;
    size_t out_offset = 0;
    std::deque<uint64_t> sent_ns;  // in-flight commands, in order
    std::unique_ptr<redisReader, void (*)(redisReader*)> reader{redisReaderCreate(), redisReaderFree};
  };

  Status LoadScriptAndSeqs();
  std::string BuildCommand(const Planned& planned, uint64_t now_ns) const;
  void Flush(size_t lane);
  void Read(size_t lane);
  void Fail(size_t lane, const char* why);

  bool cluster_ = false;
  int epoll_fd_ = -1;
  uint64_t tag_ = 0;
  std::string sha_;
  std::vector<Lane> lanes_;
  std::vector<size_t> room_lane_;  // per room index
  std::vector<int64_t> base_seq_;  // per room index
};

}  // namespace papo::bench
