// DeliveryLedger: which messages the pushers have written to a stream of
// someone other than their author (DESIGN §9 status `entregue`). Pushers
// record it on the bus (report_delivered.lua); papo-app reads it to show
// an author's ticks on pages and in history.
#pragma once

#include <cstdint>
#include <vector>

#include "common/chat_message.h"

namespace papo {

class DeliveryLedger {
 public:
  virtual ~DeliveryLedger() = default;
  // For each of `seqs` (messages of room `sala_id`), whether it was
  // delivered; all false when the bus cannot be read (pages still render,
  // and a read message shows `lida` regardless).
  virtual std::vector<bool> Delivered(int64_t sala_id, const std::vector<int64_t>& seqs) = 0;
};

// Moves the reader's own messages that are still `enviada` to `entregue`
// when the ledger has them delivered (one read for the page); `lida`
// (from the database) stays as it is.
void ApplyDeliveries(DeliveryLedger& ledger, int64_t sala_id, int64_t reader_id, std::vector<ChatMessage>& messages);

}  // namespace papo
