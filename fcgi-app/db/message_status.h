// Where each of a reader's own messages stands (DESIGN §9 `status`):
// `lida` once another user's read position reached it, `entregue` once a
// pusher reported it written to another member's stream, else `enviada`.
// Other people's messages keep kSent: status is for their author only.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "common/chat_message.h"

namespace papo {

// `read_by_others`: the furthest read position of anyone but `reader_id`
// in the room (MessageRepository::ReadByOthers). `delivered`: seqs of the
// room reported delivered (empty until the delivery reports are read).
void FillAuthorStatus(std::vector<ChatMessage>& messages, int64_t reader_id, int64_t read_by_others,
                      const std::set<int64_t>& delivered);

}  // namespace papo
