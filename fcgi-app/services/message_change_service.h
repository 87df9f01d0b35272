// MessageChangeService: editing, deleting and reacting to stored messages
// (DESIGN §9 /chat/mensagens/{id}/editar, /excluir, /reacoes).
//
// Who may: a message of a room the user cannot see (unknown, inactive, or
// private without membership) is NotFound, like an unknown id, so ids
// reveal nothing; the author edits; the author or the room's owner
// (sala.criado_por; the seed rooms have none) deletes; anyone who sees the
// room reacts. Each change is committed first and published second
// (PublishOrQueue): a failed publish never fails the request.
#pragma once

#include "common/config.h"
#include "common/publisher.h"
#include "fcgi-app/db/message_change_repository.h"
#include "fcgi-app/db/models.h"
#include "fcgi-app/services/mention_service.h"
#include "fcgi-app/services/rate_limiter.h"
#include "fcgi-app/services/republish_queue.h"
#include "fcgi-app/services/validation.h"

namespace papo {

inline constexpr std::string_view kMessageNotFoundText = "Mensagem não encontrada.";
inline constexpr std::string_view kDeletedMessageText = "Esta mensagem foi excluída e não pode mais ser alterada.";

class MessageChangeService final {
 public:
  MessageChangeService(MessageChangeRepository& changes, Publisher& publisher, RepublishQueue& republish,
                       MentionService& mentions, RateLimiter& limiter, const Config& config)
      : changes_(changes), publisher_(publisher), republish_(republish), mentions_(mentions), limiter_(limiter),
        config_(config) {}

  // Each returns the message as it stands now for the session's user.
  // NotFound (as above), PermissionDenied (not the author / owner),
  // Conflict (the message is deleted: kDeletedMessageText),
  // ResourceExhausted (pt-BR text, the wait in `retry_after_seconds`): the
  // user's changes are counted like sending (CHAT_RATE_LIMIT per 10 s, a
  // bucket of their own), since each one goes out to every open stream.
  Result<ChatMessage> Edit(const Session& session, int64_t mensagem_id, const std::string& mensagem,
                           int& retry_after_seconds);
  // Deleting a deleted message answers the tombstone again.
  Result<ChatMessage> Delete(const Session& session, int64_t mensagem_id, int& retry_after_seconds);
  // Adding a reaction twice keeps one; taking back an absent one is Ok.
  Result<ChatMessage> React(const Session& session, int64_t mensagem_id, const ReactionInput& input,
                            int& retry_after_seconds);

 private:
  // The message when the session's user may see it, else NotFound.
  Result<MessageTarget> Visible(const Session& session, int64_t mensagem_id);
  // Counts one change of the session's user; ResourceExhausted past the limit.
  Status Throttle(const Session& session, int& retry_after_seconds);
  // The repository's refusals in the words the user reads.
  static Status Refusal(const Status& status);

  MessageChangeRepository& changes_;
  Publisher& publisher_;
  RepublishQueue& republish_;
  MentionService& mentions_;
  RateLimiter& limiter_;
  const Config& config_;
};

}  // namespace papo
