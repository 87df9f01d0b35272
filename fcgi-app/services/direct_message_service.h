// DirectMessageService: opening the direct message of two people (POST
// /chat/dm, DESIGN §9) and finding people by name for "Nova conversa"
// (GET /chat/pessoas).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/publisher.h"
#include "fcgi-app/db/direct_message_repository.h"
#include "fcgi-app/db/user_repository.h"
#include "fcgi-app/services/mention_finder.h"
#include "fcgi-app/services/private_room_index.h"
#include "fcgi-app/services/rate_limiter.h"

namespace papo {

// Who the conversation is with: an id or an e-mail (normalized), one set.
struct DirectInput {
  int64_t usuario_id = 0;
  std::string email;
};

class DirectMessageService final {
 public:
  DirectMessageService(DirectMessageRepository& direct, UserRepository& users, Publisher& publisher,
                       RateLimiter& limiter, PrivateRoomIndex& private_rooms, const Config& config)
      : direct_(direct), users_(users), publisher_(publisher), limiter_(limiter), private_rooms_(private_rooms),
        config_(config) {}

  // People offered by the finder: at most this many.
  static constexpr size_t kMaxPeople = 10;
  // The text of every "no such person" answer: an unknown e-mail and an
  // unknown id read alike, so the route tells nobody which e-mails exist.
  static constexpr std::string_view kUnknownPerson = "Pessoa não encontrada.";

  // The room id of the session's user and the person `input` names,
  // creating the room once per pair (also under concurrent requests from
  // both people). NotFound (kUnknownPerson); InvalidArgument: the person
  // is the user; ResourceExhausted (wait in `retry_after_seconds`): the
  // user created CHAT_ROOMS_PER_HOUR rooms this hour (the room-creation
  // bucket "sala": a new direct message is a new room; opening an existing
  // one is not counted).
  Result<int64_t> Open(const Session& session, const DirectInput& input, int& retry_after_seconds);
  // Users other than the session's whose name, or a word of it, starts
  // with `prefix` without case or accents; whole-name matches first, then
  // by name; at most kMaxPeople; ids and names only (never e-mails).
  Result<std::vector<MentionCandidate>> FindPeople(const Session& session, std::string_view prefix);

 private:
  Result<std::optional<User>> Resolve(const DirectInput& input);
  // The `sala` event of the new room to each side, named after the other.
  void Announce(int64_t sala_id, int64_t criado_em, const User& a, const User& b);

  DirectMessageRepository& direct_;
  UserRepository& users_;
  Publisher& publisher_;
  RateLimiter& limiter_;
  PrivateRoomIndex& private_rooms_;
  const Config& config_;
};

}  // namespace papo
