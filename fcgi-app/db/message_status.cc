#include "fcgi-app/db/message_status.h"

namespace papo {

void FillAuthorStatus(std::vector<ChatMessage>& messages, int64_t reader_id, int64_t read_by_others,
                      const std::set<int64_t>& delivered) {
  for (ChatMessage& message : messages) {
    if (message.usuario_id != reader_id) continue;
    if (message.seq <= read_by_others) {
      message.status = MessageStatus::kRead;
    } else if (delivered.count(message.seq) != 0) {
      message.status = MessageStatus::kDelivered;
    } else {
      message.status = MessageStatus::kSent;
    }
  }
}

}  // namespace papo
