#include "fcgi-app/services/message_service.h"

#include "common/log.h"
#include "common/time_format.h"
#include "fcgi-app/services/event_publishing.h"
#include "fcgi-app/services/room_access.h"
#include "common/bus/payloads.h"

namespace papo {
namespace {

constexpr int kRateWindowSeconds = 10;
// Typing events: the page sends at most one every few seconds while typing.
constexpr int kTypingLimit = 40;

}  // namespace

void MessageService::PublishOrQueue(const RoomEvent& event) { papo::PublishOrQueue(publisher_, republish_, event); }

// Sending reads nothing before the write: the access rule and the resend
// (client_id) are the writer's to check, in the statement that takes the
// seq (on PostgreSQL every read is a round trip; see bench/README.md
// finding 10). Only a sender the rate limit refuses is looked up first: a
// resend of a stored message is never refused, it answers the first one.
Result<SendOutcome> MessageService::Send(const Session& session, const SendInput& input) {
  RateDecision decision = limiter_.Hit("mensagem", session.usuario_id, config_.rate_limit, kRateWindowSeconds);
  if (!decision.allowed) {
    if (!input.client_id.empty()) {
      auto existing = messages_.FindByClientId(session.usuario_id, input.client_id);
      if (!existing.ok()) return existing.status();
      if (existing->has_value()) return SendOutcome{std::move(*existing), false, 0};
    }
    return SendOutcome{std::nullopt, false, decision.retry_after_seconds};
  }
  NewMessage message;
  message.sala_id = input.sala_id;
  message.usuario_id = session.usuario_id;
  message.usuario_nome = session.nome;
  message.mensagem = input.mensagem;
  message.client_id = input.client_id;
  message.data_envio = NowMillis();
  auto inserted = writer_.Insert(message);
  if (!inserted.ok()) {
    switch (inserted.status().code()) {
      case Status::Code::kNotFound: return Status::NotFound(std::string(kRoomNotFoundText));
      case Status::Code::kPermissionDenied:
        return Status::PermissionDenied(std::string(
            inserted.status().message() == kArchivedRoomRefusal ? kArchivedRoomText : kPrivateRoomText));
      default: return inserted.status();
    }
  }
  if (inserted->created) {
    // Mentions (DESIGN §9, mention_service.h): stored right after the
    // commit, so the message goes out with its `mencoes`, then `mencao`.
    std::vector<int64_t> mentioned = mentions_.Record(inserted->message, inserted->privada, false);
    PublishOrQueue(MessageEvent(inserted->message, inserted->privada));
    mentions_.Announce(inserted->message, inserted->privada, std::move(mentioned));
  }
  return SendOutcome{std::move(inserted->message), inserted->created, 0};
}

Result<std::vector<ChatMessage>> MessageService::History(const Session& session, HistoryQuery query) {
  auto room = CheckRoomAccess(rooms_, query.sala_id, session.usuario_id);
  if (!room.ok()) return room.status();
  query.reader_id = session.usuario_id;
  auto messages = messages_.History(query);
  if (messages.ok()) ApplyDeliveries(deliveries_, query.sala_id, session.usuario_id, *messages);
  return messages;
}

Status MessageService::AdvanceRead(const Session& session, const Room& room, int64_t seq) {
  auto before = messages_.ReadPosition(room.id, session.usuario_id);
  if (!before.ok()) return before.status();
  if (seq <= *before) return Status::Ok();
  auto stored = messages_.MarkRead(room.id, session.usuario_id, seq);
  if (!stored.ok()) return stored.status();
  if (*stored <= *before) return Status::Ok();
  PublishOrQueue(ReadEvent(room.id, session.usuario_id, session.nome, *stored));
  return PublishNewlyRead(session, room, *before, *stored);
}

// DESIGN §9 `lida`: per author, their newest message the advance covers
// is read now, unless someone else had read that far already. One event
// per author: a read position only moves forward, so it stands for every
// earlier message of theirs too (StatusEvent).
Status MessageService::PublishNewlyRead(const Session& session, const Room& room, int64_t from, int64_t to) {
  auto read = messages_.NewlyReadAuthors(room.id, session.usuario_id, from, to);
  if (!read.ok()) return read.status();
  for (const AuthorMessage& newest : *read) {
    StatusChange change{room.id, newest.mensagem_id, newest.seq, newest.autor_id, MessageStatus::kRead};
    PublishOrQueue(StatusEvent(change, room.privada, to));
  }
  return Status::Ok();
}

Result<int64_t> MessageService::MarkRead(const Session& session, const ReadInput& input) {
  auto room = CheckRoomAccess(rooms_, input.sala_id, session.usuario_id);
  if (!room.ok()) return room.status();
  int64_t seq = input.seq.value_or(room->ultimo_seq);
  if (seq > room->ultimo_seq) {
    return Status::InvalidArgument("seq maior que a última mensagem da sala (" + std::to_string(room->ultimo_seq) +
                                   ").");
  }
  PAPO_RETURN_IF_ERROR(AdvanceRead(session, *room, seq));
  return messages_.UnreadCount(input.sala_id, session.usuario_id);
}

Status MessageService::Typing(const Session& session, const TypingInput& input) {
  auto room = CheckRoomAccess(rooms_, input.sala_id, session.usuario_id);
  if (!room.ok()) return room.status();
  if (room->arquivada) return Status::PermissionDenied(std::string(kArchivedRoomText));
  RateDecision decision = limiter_.Hit("digitando", session.usuario_id, kTypingLimit, kRateWindowSeconds);
  if (!decision.allowed) return Status::ResourceExhausted(std::to_string(decision.retry_after_seconds));
  PublishOrQueue(TypingEvent(input.sala_id, session.usuario_id, session.nome, input.digitando));
  return Status::Ok();
}

}  // namespace papo
