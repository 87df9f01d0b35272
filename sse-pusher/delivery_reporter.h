// DeliveryReporter: tells the bus that this process wrote a message to a
// stream of someone other than its author (DESIGN §9 status `entregue`).
//
// Every pusher that delivers the message reports it, once per message (the
// room reports at the message's live arrival, never per stream); Redis
// keeps one bit per message (report_delivered.lua), so only the first
// report publishes `status`: one publish per message however many pushers
// and subscribers there are. A report that cannot be sent is dropped: the
// message then shows `entregue` only once it is read.
// Thread-compatible (loop thread only).
#pragma once

#include <memory>
#include <string>

#include "common/bus/payloads.h"
#include "common/bus/scripts.h"
#include "common/config.h"

namespace papo::pusher {

class RedisCommander;

class DeliveryReporter {
 public:
  virtual ~DeliveryReporter() = default;
  // `delivered`: messages of one room, reported together (one call per
  // room and loop pass).
  virtual void Report(const std::vector<StatusChange>& delivered, bool privada) = 0;
};

class RedisDeliveryReporter final : public DeliveryReporter {
 public:
  // `commander` must outlive the reporter; `log_size` = CHAT_CACHE_SIZE
  // (the change log is as long as the cache, as papo-app writes it).
  RedisDeliveryReporter(RedisCommander& commander, RedisMode mode, int log_size)
      : commander_(commander), mode_(mode), log_size_(log_size) {}
  ~RedisDeliveryReporter() override { *alive_ = false; }
  RedisDeliveryReporter(const RedisDeliveryReporter&) = delete;
  RedisDeliveryReporter& operator=(const RedisDeliveryReporter&) = delete;

  void Report(const std::vector<StatusChange>& delivered, bool privada) override;

 private:
  void SendEval(const ScriptCall& call);

  RedisCommander& commander_;
  RedisMode mode_;
  int log_size_;
  // The script's SHA-1 from SCRIPT LOAD: reports go as EVALSHA (a few
  // hundred bytes, not the script's kilobytes, per message). A node that
  // lacks the script (a restart; another cluster node) answers NOSCRIPT
  // and gets that report as EVAL, which loads it there.
  std::string sha_;
  bool loading_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for Redis callbacks
};

}  // namespace papo::pusher
