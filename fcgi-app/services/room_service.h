// RoomService: room creation and membership, the room page's
// data, and who may open which stream (DESIGN §3 pages, §4 auth_request).
#pragma once

#include <vector>

#include "common/config.h"
#include "common/publisher.h"
#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/room_admin_repository.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/db/user_repository.h"
#include "fcgi-app/services/delivery_ledger.h"
#include "fcgi-app/services/mention_service.h"
#include "fcgi-app/services/message_service.h"
#include "fcgi-app/services/presence_reader.h"
#include "fcgi-app/services/private_room_index.h"
#include "fcgi-app/services/rate_limiter.h"
#include "fcgi-app/services/validation.h"

namespace papo {

struct RoomPageData {
  Room room;
  std::vector<ChatMessage> messages;   // the newest CHAT_HISTORY_LIMIT, oldest first
  std::vector<OnlineUser> online;
  std::vector<ReadReceipt> reads;     // other members' read positions
  int64_t read_before = 0;             // the reader's position before this visit
  // Opened at a message (?seq=S, a search result's link): `messages` is the
  // window around S instead of the newest, and mais_recentes is false when
  // that window ends before the room's newest message.
  int64_t ancora_seq = 0;
  bool mais_recentes = true;
  std::vector<RoomMemberName> membros;  // a private room's members (RoomAdminService, by the handler)
};

struct StreamGrant {
  bool privada = false;  // the room stream's room is private
};

class RoomService final {
 public:
  RoomService(RoomRepository& rooms, MessageRepository& messages, UserRepository& users, Publisher& publisher,
              PresenceReader& presence, RateLimiter& limiter, PrivateRoomIndex& private_rooms, const Config& config,
              MentionService& mentions, DeliveryLedger& deliveries)
      : rooms_(rooms), messages_(messages), users_(users), publisher_(publisher), presence_(presence),
        limiter_(limiter), private_rooms_(private_rooms), config_(config), mentions_(mentions),
        deliveries_(deliveries) {}

  // Conflict: the name is taken. Invited e-mails without an account are
  // skipped silently (an answer must not tell which addresses have one).
  // ResourceExhausted (pt-BR text, the wait in `retry_after_seconds`): the
  // user's rooms (CHAT_ROOMS_PER_HOUR) or invitations (CHAT_INVITES_PER_HOUR,
  // one per e-mail listed) for this hour are spent; nothing is created.
  Result<Room> Create(const Session& session, const RoomInput& input, int& retry_after_seconds);
  // The room page: access check, history, presence; marks the room read.
  // ancora_seq > 0: the CHAT_HISTORY_LIMIT messages around that seq (about
  // half before it), clamped to the room's seqs.
  Result<RoomPageData> Open(const Session& session, int64_t sala_id, int64_t ancora_seq = 0);
  // Invites `email` to a private room the session's user belongs to.
  // Ok whether or not `email` has an account (none: nothing is stored);
  // InvalidArgument: the room is public. ResourceExhausted as for Create:
  // the invitations of this hour are spent (counted whether or not the
  // e-mail has an account, so the refusal tells nothing either).
  Status AddMember(const Session& session, int64_t sala_id, std::string_view email, int& retry_after_seconds);
  // NotFound / PermissionDenied as for the room page. A list stream's
  // private rooms go to `private_rooms` (Unavailable when they cannot).
  Result<StreamGrant> AuthorizeStream(const Session& session, const StreamInput& input);

 private:
  Result<std::vector<int64_t>> ResolveMembers(const std::vector<std::string>& emails);
  // Tells the pushers' list streams of new members (before the `sala` event).
  void IndexNewMembers(const std::vector<int64_t>& usuario_ids, int64_t sala_id);
  // Counts `count` invitations; ResourceExhausted once the hour's are spent.
  Status CountInvites(const Session& session, size_t count, int& retry_after_seconds);

  RoomRepository& rooms_;
  MessageRepository& messages_;
  UserRepository& users_;
  Publisher& publisher_;
  PresenceReader& presence_;
  RateLimiter& limiter_;
  PrivateRoomIndex& private_rooms_;
  const Config& config_;
  MentionService& mentions_;
  DeliveryLedger& deliveries_;
};

}  // namespace papo
