// RoomService: the room list, room creation and membership, the room page's
// data, and who may open which stream (DESIGN §3 pages, §4 auth_request).
#pragma once

#include <vector>

#include "common/config.h"
#include "common/publisher.h"
#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/db/user_repository.h"
#include "fcgi-app/services/message_service.h"
#include "fcgi-app/services/presence_reader.h"
#include "fcgi-app/services/validation.h"

namespace papo {

struct RoomListItem {
  RoomSummary summary;
  int usuarios_online = 0;
};

struct RoomPageData {
  Room room;
  std::vector<ChatMessage> messages;   // the newest CHAT_HISTORY_LIMIT, oldest first
  std::vector<OnlineUser> online;
  std::vector<ReadReceipt> reads;     // other members' read positions
  int64_t read_before = 0;             // the reader's position before this visit
};

struct StreamGrant {
  bool privada = false;                // the room stream's room is private
  std::vector<int64_t> private_rooms;  // list stream: the user's private rooms
};

class RoomService final {
 public:
  RoomService(RoomRepository& rooms, MessageRepository& messages, UserRepository& users,
              MessageService& message_service, Publisher& publisher, PresenceReader& presence,
              const Config& config)
      : rooms_(rooms), messages_(messages), users_(users), message_service_(message_service),
        publisher_(publisher), presence_(presence), config_(config) {}

  Result<std::vector<RoomListItem>> List(const Session& session);
  // Conflict: the name is taken. Invited e-mails without an account are
  // skipped silently (an answer must not tell which addresses have one).
  Result<Room> Create(const Session& session, const RoomInput& input);
  // The room page: access check, history, presence; marks the room read.
  Result<RoomPageData> Open(const Session& session, int64_t sala_id);
  // Invites `email` to a private room the session's user belongs to.
  // Ok whether or not `email` has an account (none: nothing is stored);
  // InvalidArgument: the room is public.
  Status AddMember(const Session& session, int64_t sala_id, std::string_view email);
  // NotFound / PermissionDenied as for the room page.
  Result<StreamGrant> AuthorizeStream(const Session& session, const StreamInput& input);

 private:
  Result<std::vector<int64_t>> ResolveMembers(const std::vector<std::string>& emails);

  RoomRepository& rooms_;
  MessageRepository& messages_;
  UserRepository& users_;
  MessageService& message_service_;
  Publisher& publisher_;
  PresenceReader& presence_;
  const Config& config_;
};

}  // namespace papo
