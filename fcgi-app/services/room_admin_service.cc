#include "fcgi-app/services/room_admin_service.h"

#include "common/bus/payloads.h"
#include "common/log.h"
#include "fcgi-app/services/room_access.h"

namespace papo {
namespace {

constexpr int kRateWindowSeconds = 10;

constexpr std::string_view kDirectText = "Uma conversa direta não tem dono: ela não pode ser alterada.";
constexpr std::string_view kSeedText = "Esta sala não tem dono: ninguém pode alterá-la.";
constexpr std::string_view kPublicNoMembersText = "Salas públicas não têm lista de membros.";

// What the list stream's `sala` and the room stream's `sala_atualizada`
// say about a room (common/bus/payloads.h).
RoomFields FieldsOf(const Room& room) {
  RoomFields fields;
  fields.id = room.id;
  fields.nome = room.nome;
  fields.descricao = room.descricao;
  fields.privada = room.privada;
  fields.ultimo_seq = room.ultimo_seq;
  fields.criado_em_ms = room.criado_em;
  fields.arquivada = room.arquivada;
  fields.direta = room.direta;
  fields.direta_com = room.direta_com;
  return fields;
}

// The room as the session's user may see it: NotFound / PermissionDenied
// as for the room page.
Result<RoomForUser> Visible(RoomRepository& rooms, int64_t sala_id, int64_t usuario_id) {
  auto found = rooms.FindForUser(sala_id, usuario_id);
  if (!found.ok()) return found.status();
  if (!found->has_value() || !(*found)->room.ativa) return Status::NotFound(std::string(kRoomNotFoundText));
  if ((*found)->room.privada && !(*found)->member) return Status::PermissionDenied(std::string(kPrivateRoomText));
  return std::move(**found);
}

}  // namespace

Status RoomAdminService::Throttle(const Session& session, int& retry_after_seconds) {
  RateDecision decision =
      limiter_.Hit("alteracao", std::to_string(session.usuario_id), config_.rate_limit, kRateWindowSeconds);
  if (decision.allowed) return Status::Ok();
  retry_after_seconds = decision.retry_after_seconds;
  return Status::ResourceExhausted("Você está fazendo alterações rápido demais. Aguarde " +
                                   std::to_string(decision.retry_after_seconds) + " s e tente de novo.");
}

Result<RoomForUser> RoomAdminService::Owned(const Session& session, int64_t sala_id, std::string_view refusal) {
  auto found = Visible(rooms_, sala_id, session.usuario_id);
  if (!found.ok()) return found.status();
  if (found->room.direta) return Status::PermissionDenied(std::string(kDirectText));
  if (found->room.criado_por == 0) return Status::PermissionDenied(std::string(kSeedText));
  if (!found->dono) return Status::PermissionDenied(std::string(refusal));
  return found;
}

Result<Room> RoomAdminService::Announce(int64_t sala_id) {
  auto room = rooms_.Find(sala_id);
  if (!room.ok()) return room.status();
  if (!room->has_value()) return Status::NotFound(std::string(kRoomNotFoundText));
  RoomFields fields = FieldsOf(**room);
  std::vector<int64_t> recipients;
  if ((*room)->privada) {
    auto members = rooms_.MemberIds(sala_id);
    if (members.ok()) {
      recipients = std::move(members).value();
    } else {
      Log(LogLevel::kWarn, "room_members_not_read").Kv("sala_id", sala_id).Kv("error", members.status().message());
    }
  }
  // A failed publish never fails the change (it is stored): the next page
  // load shows it.
  Status listed = publisher_.Publish(RoomAnnouncedEvent(fields, std::move(recipients)));
  if (!listed.ok()) Log(LogLevel::kWarn, "room_event_not_published").Kv("sala_id", sala_id);
  Status updated = publisher_.Publish(RoomUpdatedEvent(fields));
  if (!updated.ok()) Log(LogLevel::kWarn, "room_update_not_published").Kv("sala_id", sala_id);
  return std::move(**room);
}

Result<Room> RoomAdminService::Edit(const Session& session, int64_t sala_id, const RoomEditInput& input,
                                    int& retry_after_seconds) {
  PAPO_RETURN_IF_ERROR(Throttle(session, retry_after_seconds));
  auto owned = Owned(session, sala_id, "Só o dono da sala pode alterar o nome e a descrição.");
  if (!owned.ok()) return owned.status();
  Status stored = admin_.Update(sala_id, input.nome, input.descricao);
  if (stored.code() == Status::Code::kConflict) return Status::Conflict("Já existe uma sala com esse nome.");
  PAPO_RETURN_IF_ERROR(stored);
  Log(LogLevel::kInfo, "room_edited").Kv("sala_id", sala_id).Kv("usuario_id", session.usuario_id);
  return Announce(sala_id);
}

Result<Room> RoomAdminService::Archive(const Session& session, int64_t sala_id, bool arquivada,
                                       int& retry_after_seconds) {
  PAPO_RETURN_IF_ERROR(Throttle(session, retry_after_seconds));
  auto owned = Owned(session, sala_id, "Só o dono da sala pode arquivá-la.");
  if (!owned.ok()) return owned.status();
  PAPO_RETURN_IF_ERROR(admin_.SetArchived(sala_id, arquivada));
  Log(LogLevel::kInfo, "room_archived").Kv("sala_id", sala_id).Kv("arquivada", arquivada);
  return Announce(sala_id);
}

Status RoomAdminService::Leave(const Session& session, int64_t sala_id, int& retry_after_seconds) {
  PAPO_RETURN_IF_ERROR(Throttle(session, retry_after_seconds));
  auto found = Visible(rooms_, sala_id, session.usuario_id);
  if (!found.ok()) return found.status();
  if (found->room.direta) return Status::PermissionDenied("Não é possível sair de uma conversa direta.");
  if (!found->room.privada) {
    return Status::InvalidArgument("Salas públicas não têm membros: não há do que sair.");
  }
  if (found->dono) return Status::InvalidArgument("Você é o dono desta sala: arquive-a em vez de sair.");
  auto removed = admin_.RemoveMember(sala_id, session.usuario_id);
  if (!removed.ok()) return removed.status();
  // Not removed: another request ended the membership first (a double
  // click); the outcome the user asked for holds.
  if (*removed) {
    Log(LogLevel::kInfo, "room_left").Kv("sala_id", sala_id).Kv("usuario_id", session.usuario_id);
    AnnounceRemoval(sala_id, session.usuario_id);
  }
  return Status::Ok();
}

Status RoomAdminService::RemoveMember(const Session& session, int64_t sala_id, int64_t usuario_id,
                                      int& retry_after_seconds) {
  PAPO_RETURN_IF_ERROR(Throttle(session, retry_after_seconds));
  auto owned = Owned(session, sala_id, "Só o dono da sala pode remover membros.");
  if (!owned.ok()) return owned.status();
  if (!owned->room.privada) return Status::InvalidArgument(std::string(kPublicNoMembersText));
  if (usuario_id == session.usuario_id) {
    return Status::InvalidArgument("Você é o dono desta sala: não é possível remover a si mesmo.");
  }
  auto removed = admin_.RemoveMember(sala_id, usuario_id);
  if (!removed.ok()) return removed.status();
  if (!*removed) return Status::NotFound("Essa pessoa não é membro desta sala.");
  Log(LogLevel::kInfo, "room_member_removed").Kv("sala_id", sala_id).Kv("usuario_id", usuario_id);
  AnnounceRemoval(sala_id, usuario_id);
  return Status::Ok();
}

void RoomAdminService::AnnounceRemoval(int64_t sala_id, int64_t usuario_id) {
  Status unindexed = private_rooms_.Remove(usuario_id, sala_id);
  if (!unindexed.ok()) {
    Log(LogLevel::kWarn, "private_room_not_unindexed").Kv("sala_id", sala_id).Kv("error", unindexed.message());
  }
  // Their open streams of the room end on this event; should it be lost,
  // every new stream, history page and send is refused by the database.
  Status published = publisher_.Publish(RoomRemovedEvent(sala_id, usuario_id, true));
  if (!published.ok()) {
    Log(LogLevel::kWarn, "room_removal_not_published").Kv("sala_id", sala_id).Kv("usuario_id", usuario_id);
  }
}

Result<std::vector<RoomMemberName>> RoomAdminService::Members(int64_t sala_id) { return admin_.Members(sala_id); }

}  // namespace papo
