#include "fcgi-app/services/delivery_ledger.h"

namespace papo {

void ApplyDeliveries(DeliveryLedger& ledger, int64_t sala_id, int64_t reader_id, std::vector<ChatMessage>& messages) {
  std::vector<ChatMessage*> pending;
  std::vector<int64_t> seqs;
  for (ChatMessage& message : messages) {
    if (message.usuario_id != reader_id || message.excluida || message.status != MessageStatus::kSent) continue;
    pending.push_back(&message);
    seqs.push_back(message.seq);
  }
  if (seqs.empty()) return;
  std::vector<bool> delivered = ledger.Delivered(sala_id, seqs);
  for (size_t i = 0; i < pending.size() && i < delivered.size(); ++i) {
    if (delivered[i]) pending[i]->status = MessageStatus::kDelivered;
  }
}

}  // namespace papo
