// MessageService: sending, history, read positions and typing (DESIGN §3
// /chat/enviar, /chat/mensagens, /chat/lida, /chat/digitando).
//
// Every change is committed to SQLite first and published second; a failed
// publish never fails the request (the message is stored: the sender gets
// success) but marks the room for the Republisher.
#pragma once

#include <optional>

#include "common/config.h"
#include "common/publisher.h"
#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/services/mention_service.h"
#include "fcgi-app/services/delivery_ledger.h"
#include "fcgi-app/services/message_writer.h"
#include "fcgi-app/services/rate_limiter.h"
#include "fcgi-app/services/republish_queue.h"
#include "fcgi-app/services/validation.h"

namespace papo {

struct SendOutcome {
  std::optional<ChatMessage> message;  // empty when rate limited
  bool created = false;                // false: a repeated client_id
  int retry_after_seconds = 0;         // > 0 when rate limited
};

class MessageService final {
 public:
  // `writer` stores messages (shared by the process's threads); `messages`
  // reads them on this thread's connection.
  MessageService(MessageRepository& messages, MessageWriter& writer, RoomRepository& rooms, Publisher& publisher,
                 RateLimiter& limiter, RepublishQueue& republish, const Config& config, MentionService& mentions,
                 DeliveryLedger& deliveries)
      : messages_(messages), writer_(writer), rooms_(rooms), publisher_(publisher), limiter_(limiter),
        republish_(republish), config_(config), mentions_(mentions), deliveries_(deliveries) {}

  // NotFound (room), PermissionDenied (private room), or the outcome.
  Result<SendOutcome> Send(const Session& session, const SendInput& input);
  Result<std::vector<ChatMessage>> History(const Session& session, HistoryQuery query);
  // Moves the reader's position (default: the room's newest message) and
  // returns the unread count left. InvalidArgument when seq is beyond the
  // room's newest message.
  Result<int64_t> MarkRead(const Session& session, const ReadInput& input);
  // Publishes the typing state. ResourceExhausted (retry seconds in the
  // message) when the user sends typing events too often.
  Status Typing(const Session& session, const TypingInput& input);
 private:
  // Marks the room read up to `seq` for the session's user, publishing the
  // receipt when the position moved.
  Status AdvanceRead(const Session& session, const Room& room, int64_t seq);
  // The `lida` status events of an advance from `from` to `to`.
  Status PublishNewlyRead(const Session& session, const Room& room, int64_t from, int64_t to);
  void PublishOrQueue(const RoomEvent& event);

  MessageRepository& messages_;
  MessageWriter& writer_;
  RoomRepository& rooms_;
  Publisher& publisher_;
  RateLimiter& limiter_;
  RepublishQueue& republish_;
  const Config& config_;
  MentionService& mentions_;
  DeliveryLedger& deliveries_;
};

}  // namespace papo
