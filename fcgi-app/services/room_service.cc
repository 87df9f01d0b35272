#include "fcgi-app/services/room_service.h"

#include <algorithm>
#include <set>

#include "common/bus/payloads.h"
#include "common/log.h"
#include "common/time_format.h"
#include "fcgi-app/services/room_access.h"

namespace papo {

namespace {

// What the list stream's `sala` event says about a room (common/bus/payloads.h).
RoomFields AnnouncedFields(const Room& room) {
  return {room.id, room.nome, room.descricao, room.privada, room.ultimo_seq, room.criado_em};
}

}  // namespace
namespace {

constexpr int kHourSeconds = 3600;

// "35 min" or "40 s": the wait, as a person reads it.
std::string WaitText(int seconds) {
  if (seconds >= 60) return std::to_string((seconds + 59) / 60) + " min";
  return std::to_string(seconds) + " s";
}

Status Refused(std::string_view what, const RateDecision& decision, int& retry_after_seconds) {
  retry_after_seconds = decision.retry_after_seconds;
  return Status::ResourceExhausted(std::string(what) + " Aguarde " + WaitText(decision.retry_after_seconds) +
                                   " e tente de novo.");
}

}  // namespace

Result<std::vector<int64_t>> RoomService::ResolveMembers(const std::vector<std::string>& emails) {
  std::vector<int64_t> ids;
  for (const auto& email : emails) {
    auto user = users_.FindByEmail(email);
    if (!user.ok()) return user.status();
    // An e-mail without an account is skipped, and nothing about it is
    // stored: the answer must not tell whether the address has an account.
    if (user->has_value()) ids.push_back((*user)->id);
  }
  return ids;
}

Status RoomService::CountInvites(const Session& session, size_t count, int& retry_after_seconds) {
  if (count == 0) return Status::Ok();
  // All of them in one count (one round trip); the input's size is bounded
  // by the body size nginx and papo-app accept.
  int cost = static_cast<int>(std::min<size_t>(count, 1'000'000));
  RateDecision decision =
      limiter_.Hit("convite", session.usuario_id, cost, config_.invites_per_hour, kHourSeconds);
  if (!decision.allowed) {
    Log(LogLevel::kInfo, "invite_limit_reached").Kv("usuario_id", session.usuario_id);
    return Refused("Você convidou pessoas demais na última hora.", decision, retry_after_seconds);
  }
  return Status::Ok();
}

// Limits first, so a refused request reads and writes nothing else; each
// e-mail listed is one invitation, whether or not it has an account.
Result<Room> RoomService::Create(const Session& session, const RoomInput& input, int& retry_after_seconds) {
  RateDecision decision = limiter_.Hit("sala", session.usuario_id, config_.rooms_per_hour, kHourSeconds);
  if (!decision.allowed) {
    Log(LogLevel::kInfo, "room_limit_reached").Kv("usuario_id", session.usuario_id);
    return Refused("Você criou salas demais na última hora.", decision, retry_after_seconds);
  }
  std::set<std::string_view> distinct(input.membros.begin(), input.membros.end());
  PAPO_RETURN_IF_ERROR(CountInvites(session, distinct.size(), retry_after_seconds));
  auto members = ResolveMembers(input.membros);
  if (!members.ok()) return members.status();
  Room room;
  room.nome = input.nome;
  room.descricao = input.descricao;
  room.privada = input.privada;
  room.criado_por = session.usuario_id;
  room.criado_em = NowMillis();
  auto id = rooms_.Create(room, *members);
  if (!id.ok()) {
    if (id.status().code() == Status::Code::kConflict) return Status::Conflict("Já existe uma sala com esse nome.");
    return id.status();
  }
  room.id = *id;
  std::vector<int64_t> recipients;
  if (room.privada) {
    auto all = rooms_.MemberIds(room.id);
    if (all.ok()) recipients = std::move(all).value();
    IndexNewMembers(recipients, room.id);
  }
  Status published = publisher_.Publish(RoomAnnouncedEvent(AnnouncedFields(room), recipients));
  if (!published.ok()) Log(LogLevel::kWarn, "room_event_not_published").Kv("sala_id", room.id);
  Log(LogLevel::kInfo, "room_created").Kv("sala_id", room.id).Kv("privada", room.privada);
  return room;
}

void RoomService::IndexNewMembers(const std::vector<int64_t>& usuario_ids, int64_t sala_id) {
  Status indexed = private_rooms_.Add(usuario_ids, sala_id);
  if (!indexed.ok()) {
    Log(LogLevel::kWarn, "private_rooms_not_indexed").Kv("sala_id", sala_id).Kv("error", indexed.message());
  }
}

Result<RoomPageData> RoomService::Open(const Session& session, int64_t sala_id, int64_t ancora_seq) {
  auto room = CheckRoomAccess(rooms_, sala_id, session.usuario_id);
  if (!room.ok()) return room.status();
  RoomPageData data;
  data.room = std::move(room).value();
  auto before = messages_.ReadPosition(sala_id, session.usuario_id);
  if (!before.ok()) return before.status();
  data.read_before = *before;
  HistoryQuery query;
  query.sala_id = sala_id;
  query.limit = config_.history_limit;
  query.reader_id = session.usuario_id;
  if (ancora_seq > 0) {
    // The window starts half a page before the anchor, or earlier when the
    // anchor is near the end, so it is a full page whenever the room has one.
    data.ancora_seq = std::min(ancora_seq, data.room.ultimo_seq);
    int64_t first = std::min(data.ancora_seq - config_.history_limit / 2, data.room.ultimo_seq - config_.history_limit + 1);
    query.apos_seq = std::max<int64_t>(0, first - 1);
  }
  auto history = messages_.History(query);
  if (!history.ok()) return history.status();
  data.messages = std::move(history).value();
  if (ancora_seq > 0 && !data.messages.empty()) data.mais_recentes = data.messages.back().seq >= data.room.ultimo_seq;
  ApplyDeliveries(deliveries_, sala_id, session.usuario_id, data.messages);
  // Opening the page changes nothing: a GET must be safe to follow from any
  // link, also a cross-site one. The page's script marks what the reader
  // actually sees with POST /chat/lida (CSRF-checked).
  auto reads = messages_.ReadPositions(sala_id, session.usuario_id);
  if (!reads.ok()) return reads.status();
  data.reads = std::move(reads).value();
  data.online = presence_.Online(sala_id);
  return data;
}

Status RoomService::AddMember(const Session& session, int64_t sala_id, std::string_view email,
                              int& retry_after_seconds) {
  auto room = CheckRoomAccess(rooms_, sala_id, session.usuario_id);
  if (!room.ok()) return room.status();
  if (!room->privada) return Status::InvalidArgument("Salas públicas não têm lista de membros.");
  if (room->direta) return Status::PermissionDenied("Uma conversa direta é só entre duas pessoas.");
  if (room->arquivada) return Status::PermissionDenied("Esta sala está arquivada: não é possível convidar pessoas.");
  PAPO_RETURN_IF_ERROR(CountInvites(session, 1, retry_after_seconds));
  auto members = ResolveMembers({std::string(email)});
  if (!members.ok()) return members.status();
  if (members->empty()) return Status::Ok();
  auto added = rooms_.AddMember(sala_id, members->front());
  if (!added.ok()) return added.status();
  if (*added) {
    IndexNewMembers(*members, sala_id);
    Status published = publisher_.Publish(RoomAnnouncedEvent(AnnouncedFields(*room), *members));
    if (!published.ok()) Log(LogLevel::kWarn, "room_event_not_published").Kv("sala_id", sala_id);
  }
  return Status::Ok();
}

Result<StreamGrant> RoomService::AuthorizeStream(const Session& session, const StreamInput& input) {
  StreamGrant grant;
  if (input.lista) {
    // Rewritten from the database on every list stream, so the stored set
    // is rebuilt after a Redis restart by the next stream that opens.
    auto ids = rooms_.PrivateRoomIdsOf(session.usuario_id);
    if (!ids.ok()) return ids.status();
    PAPO_RETURN_IF_ERROR(private_rooms_.Store(session.usuario_id, *ids));
    return grant;
  }
  auto room = CheckRoomAccess(rooms_, input.sala_id, session.usuario_id);
  if (!room.ok()) return room.status();
  grant.privada = room->privada;
  return grant;
}

}  // namespace papo
