// RedisDeliveryLedger: reads the delivered bitmap the pushers set
// (common/bus/names.h DeliveredKey, a ring of kDeliveredRing bits).
#pragma once

#include "common/redis_client.h"
#include "fcgi-app/services/delivery_ledger.h"

namespace papo {

class RedisDeliveryLedger final : public DeliveryLedger {
 public:
  explicit RedisDeliveryLedger(RedisClient& client) : client_(client) {}
  std::vector<bool> Delivered(int64_t sala_id, const std::vector<int64_t>& seqs) override;

 private:
  RedisClient& client_;
};

}  // namespace papo
