#include "fcgi-app/services/message_change_service.h"

#include "common/bus/payloads.h"
#include "common/time_format.h"
#include "fcgi-app/services/event_publishing.h"

namespace papo {
namespace {

// The message as the bus carries it: nobody's reactions marked (done by
// the event builders) and no reader's status (the author's ticks come by
// `status` events and by their own reads of the history).
ChatMessage Published(const ChatMessage& message) {
  ChatMessage published = message;
  published.status = MessageStatus::kSent;
  return published;
}

}  // namespace

Status MessageChangeService::Refusal(const Status& status) {
  switch (status.code()) {
    case Status::Code::kNotFound: return Status::NotFound(std::string(kMessageNotFoundText));
    case Status::Code::kConflict: return Status::Conflict(std::string(kDeletedMessageText));
    default: return status;
  }
}

Status MessageChangeService::Throttle(const Session& session, int& retry_after_seconds) {
  RateDecision decision = limiter_.Hit("alteracao", std::to_string(session.usuario_id), config_.rate_limit, 10);
  if (decision.allowed) return Status::Ok();
  retry_after_seconds = decision.retry_after_seconds;
  return Status::ResourceExhausted("Você está alterando mensagens rápido demais. Aguarde " +
                                   std::to_string(decision.retry_after_seconds) + " s e tente de novo.");
}

Result<MessageTarget> MessageChangeService::Visible(const Session& session, int64_t mensagem_id) {
  auto target = changes_.FindTarget(mensagem_id, session.usuario_id);
  if (!target.ok()) return target.status();
  if (!target->has_value() || !(*target)->ativa || ((*target)->privada && !(*target)->member)) {
    return Status::NotFound(std::string(kMessageNotFoundText));
  }
  // An archived room is read-only: no edit, deletion or reaction (DESIGN §9).
  if ((*target)->arquivada) {
    return Status::PermissionDenied("Esta sala está arquivada: as mensagens não podem ser alteradas.");
  }
  return **target;
}

Result<ChatMessage> MessageChangeService::Edit(const Session& session, int64_t mensagem_id,
                                               const std::string& mensagem, int& retry_after_seconds) {
  PAPO_RETURN_IF_ERROR(Throttle(session, retry_after_seconds));
  auto target = Visible(session, mensagem_id);
  if (!target.ok()) return target.status();
  if (target->autor_id != session.usuario_id) {
    return Status::PermissionDenied("Só quem escreveu a mensagem pode editá-la.");
  }
  if (target->excluida) return Status::Conflict(std::string(kDeletedMessageText));
  auto changed = changes_.Edit(mensagem_id, mensagem, NowMillis(), session.usuario_id);
  if (!changed.ok()) return Refusal(changed.status());
  // Mentions (DESIGN §9, mention_service.h): the new text's replace the
  // old ones right after the commit; `mencao` goes to the newly mentioned.
  std::vector<int64_t> mentioned = mentions_.Record(changed->message, target->privada, true);
  PublishOrQueue(publisher_, republish_,
                 MessageEditedEvent(Published(changed->message), target->privada, changed->position));
  mentions_.Announce(changed->message, target->privada, std::move(mentioned));
  return std::move(changed->message);
}

Result<ChatMessage> MessageChangeService::Delete(const Session& session, int64_t mensagem_id,
                                                 int& retry_after_seconds) {
  PAPO_RETURN_IF_ERROR(Throttle(session, retry_after_seconds));
  auto target = Visible(session, mensagem_id);
  if (!target.ok()) return target.status();
  bool owner = target->dono_id != 0 && target->dono_id == session.usuario_id;
  if (target->autor_id != session.usuario_id && !owner) {
    return Status::PermissionDenied("Só quem escreveu a mensagem ou o dono da sala pode excluí-la.");
  }
  auto changed = changes_.Delete(mensagem_id, session.usuario_id);
  if (!changed.ok()) return Refusal(changed.status());
  if (changed->changed) {
    PublishOrQueue(publisher_, republish_,
                   MessageDeletedEvent(Published(changed->message), target->privada, changed->position));
  }
  return std::move(changed->message);
}

Result<ChatMessage> MessageChangeService::React(const Session& session, int64_t mensagem_id,
                                                const ReactionInput& input, int& retry_after_seconds) {
  PAPO_RETURN_IF_ERROR(Throttle(session, retry_after_seconds));
  auto target = Visible(session, mensagem_id);
  if (!target.ok()) return target.status();
  if (target->excluida) return Status::Conflict(std::string(kDeletedMessageText));
  auto changed = changes_.React(mensagem_id, session.usuario_id, input.emoji, input.ativo, NowMillis());
  if (!changed.ok()) return Refusal(changed.status());
  if (changed->changed) {
    ReactionChange change{input.emoji, changed->total, session.usuario_id, input.ativo};
    PublishOrQueue(publisher_, republish_,
                   ReactionEvent(Published(changed->message), target->privada, changed->position, change));
  }
  return std::move(changed->message);
}

}  // namespace papo
