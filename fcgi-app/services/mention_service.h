// MentionService: "@Nome" mentions (DESIGN §9). Resolves a message's
// mentions against the room's members, stores them, tells the mentioned
// (`mencao` on their list streams), counts each user's unread mentions for
// the room list, and offers members to the composer's @-completion.
//
// Mentions are stored right after the message (or its edit) committed, in
// a transaction of their own on this thread's connection: messages are
// written by the process's MessageWriter (group commit, one transaction for
// many senders), where a members query per message would hold every
// batch's write lock. A failure there loses the mentions, never the
// message: it is logged (mention_store_failed) and the message goes out
// with `mencoes` empty.
#pragma once

#include <map>
#include <string_view>
#include <vector>

#include "common/chat_message.h"
#include "common/publisher.h"
#include "fcgi-app/db/mention_repository.h"
#include "fcgi-app/db/models.h"
#include "fcgi-app/db/room_repository.h"

namespace papo {

class MentionService final {
 public:
  MentionService(MentionRepository& mentions, RoomRepository& rooms, Publisher& publisher)
      : mentions_(mentions), rooms_(rooms), publisher_(publisher) {}

  // Members offered by the completion: at most this many.
  static constexpr size_t kMaxCompletions = 10;

  // GET /chat/sala/{id}/membros?q=: the room's members (MentionRepository::
  // Members) but the session's user whose name, or a word of it, starts
  // with `prefix` (without case and accents); whole-name matches first,
  // then by name. NotFound / PermissionDenied as for the room's history.
  Result<std::vector<MentionCandidate>> Complete(const Session& session, int64_t sala_id, std::string_view prefix);

  // After `message` was stored (`edited`: after its text changed): finds
  // whom its text mentions, stores them (replacing an edited message's
  // earlier mentions) and sets message.mencoes (left as stored when that
  // fails, which is logged). Returns who was not mentioned by it before,
  // to Announce. A new message without "@" costs no query.
  std::vector<int64_t> Record(ChatMessage& message, bool privada, bool edited);

  // Publishes `mencao` to the list streams of `mentioned`. Best effort: a
  // notification lost while the bus is down is logged, not replayed (the
  // room list's count, read from the database, still shows it).
  void Announce(const ChatMessage& message, bool privada, std::vector<int64_t> mentioned);

  // sala_id → the user's unread mentions there (rooms with none absent).
  Result<std::map<int64_t, int64_t>> UnreadCounts(int64_t usuario_id) { return mentions_.UnreadCounts(usuario_id); }

 private:
  MentionRepository& mentions_;
  RoomRepository& rooms_;
  Publisher& publisher_;
};

}  // namespace papo
