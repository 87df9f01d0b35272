#include "fcgi-app/redis/redis_delivery_ledger.h"

#include "common/bus/names.h"

namespace papo {

// One BITFIELD with a GET per message: one round trip for a page.
std::vector<bool> RedisDeliveryLedger::Delivered(int64_t sala_id, const std::vector<int64_t>& seqs) {
  std::vector<bool> delivered(seqs.size(), false);
  if (seqs.empty()) return delivered;
  std::vector<std::string> command = {"BITFIELD", DeliveredKey(sala_id)};
  command.reserve(2 + 3 * seqs.size());
  for (int64_t seq : seqs) {
    command.insert(command.end(), {"GET", "u1", std::to_string(seq % kDeliveredRing)});
  }
  auto reply = client_.Command(command);
  if (!reply.ok()) return delivered;
  const redisReply* r = reply->get();
  if (r->type != REDIS_REPLY_ARRAY || r->elements != seqs.size()) return delivered;
  for (size_t i = 0; i < seqs.size(); ++i) {
    delivered[i] = r->element[i]->type == REDIS_REPLY_INTEGER && r->element[i]->integer == 1;
  }
  return delivered;
}

}  // namespace papo
