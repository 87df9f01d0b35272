#include "fcgi-app/app_services.h"
#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/http/error_responses.h"

namespace papo {
namespace {

// The one answer to an invitation, whether or not the e-mail has an account.
constexpr std::string_view kInviteAnswer = "Se houver uma conta com esse e-mail, ela foi adicionada.";
constexpr std::string_view kInviteSentParam = "convite";

Response RoomListPage(RequestContext& context, int status, const RoomFormModel& form) {
  const Session& session = *context.session;
  auto rooms = context.services.rooms.List(session);
  if (!rooms.ok()) return StatusResponse(context.services, false, rooms.status(), &session);
  return context.services.views.RoomList(status, session, *rooms, form);
}

Response RoomPage(RequestContext& context, int64_t sala_id, const std::string& erro_membro,
                  const std::string& aviso_membro = "") {
  const Session& session = *context.session;
  auto page = context.services.rooms.Open(session, sala_id);
  if (!page.ok()) return StatusResponse(context.services, false, page.status(), &session);
  return context.services.views.Room(session, *page, erro_membro, aviso_membro);
}

}  // namespace

Response GetRoomList(RequestContext& context) { return RoomListPage(context, 200, RoomFormModel{}); }

Response PostRoom(RequestContext& context) {
  RoomInput input;
  FieldErrors errors = ValidateRoom(context.params, input);
  RoomFormModel form;
  form.nome = std::string(TextOr(context.params, "nome", ""));
  form.descricao = std::string(TextOr(context.params, "descricao", ""));
  form.membros = std::string(TextOr(context.params, "membros", ""));
  form.privada = input.privada;
  if (errors.empty()) {
    auto room = context.services.rooms.Create(*context.session, input);
    if (room.ok()) return Response::Redirect("/chat/sala/" + std::to_string(room->id));
    switch (room.status().code()) {
      case Status::Code::kConflict: errors["nome"] = room.status().message(); break;
      case Status::Code::kNotFound: errors["membros"] = room.status().message(); break;
      default: return StatusResponse(context.services, false, room.status(), &*context.session);
    }
  }
  form.erros = std::move(errors);
  form.erro = "Não foi possível criar a sala: corrija os campos indicados.";
  return RoomListPage(context, 422, form);
}

Response GetRoom(RequestContext& context) {
  bool invited = TextOr(context.params, kInviteSentParam, "") == "1";
  return RoomPage(context, context.path_id, "", invited ? std::string(kInviteAnswer) : "");
}

Response PostRoomMember(RequestContext& context) {
  if (context.params.TypeOf("email") != FieldType::kText) {
    return RoomPage(context, context.path_id, "O e-mail deve ser um texto.");
  }
  auto email = NormalizeEmail(context.params.GetOr("email", ""));
  if (!email) return RoomPage(context, context.path_id, "Informe um e-mail válido.");
  Status status = context.services.rooms.AddMember(*context.session, context.path_id, *email);
  if (status.ok()) {
    return Response::Redirect("/chat/sala/" + std::to_string(context.path_id) + "?" + std::string(kInviteSentParam) +
                              "=1");
  }
  if (status.code() == Status::Code::kInvalidArgument) return RoomPage(context, context.path_id, status.message());
  return StatusResponse(context.services, false, status, &*context.session);
}

}  // namespace papo
