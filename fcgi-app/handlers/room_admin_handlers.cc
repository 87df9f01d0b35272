// POST /chat/sala/{id}/editar, /arquivar, /sair and
// /membros/{usuario_id}/remover (DESIGN §9; RoomAdminService says who may).
// JSON callers get {"success":true,"sala":{id,nome,descricao,privada,
// arquivada}} ({"success":true} after leaving or removing); a plain browser
// form post (no script) is sent back with 303 — to the room, or to the room
// list after leaving it — or gets the error page.
#include "common/json_writer.h"
#include "fcgi-app/app_services.h"
#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/http/error_responses.h"
#include "fcgi-app/services/validation.h"

namespace papo {
namespace {

std::string RoomSuccessJson(const Room* room) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("success");
  writer.Bool(true);
  if (room != nullptr) {
    writer.Key("sala");
    writer.StartObject();
    writer.Key("id");
    writer.Int64(room->id);
    writer.Key("nome");
    WriteString(writer, room->nome);
    writer.Key("descricao");
    WriteString(writer, room->descricao);
    writer.Key("privada");
    writer.Bool(room->privada);
    writer.Key("arquivada");
    writer.Bool(room->arquivada);
    writer.EndObject();
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The answer to a change that validated as `errors` and then gave `status`
// (and `room` when it succeeded and has one); `back` is where a browser
// form post goes on success.
Response AdminAnswer(RequestContext& context, const FieldErrors& errors, const Status& status, const Room* room,
                     const std::string& back, int retry_after_seconds = 0) {
  const Session& session = *context.session;
  bool browser = context.request.IsBrowserNavigation();
  if (!errors.empty()) {
    if (browser) return context.services.views.Error(422, &session, errors.begin()->second);
    return Response::Json(422, FieldErrorsJson(errors));
  }
  if (!status.ok()) {
    Response response = StatusResponse(context.services, !browser, status, &session);
    if (retry_after_seconds > 0) response.AddHeader("Retry-After", std::to_string(retry_after_seconds));
    return response;
  }
  if (browser) return Response::Redirect(back);
  return Response::Json(200, RoomSuccessJson(room));
}

std::string RoomPath(int64_t sala_id) { return "/chat/sala/" + std::to_string(sala_id); }

}  // namespace

Response PostEditRoom(RequestContext& context) {
  // The rules of room creation for the two fields it shares (validation.h);
  // privada and membros are not editable and are not read.
  RoomInput parsed;
  FieldErrors all = ValidateRoom(context.params, parsed);
  FieldErrors errors;
  for (const char* field : {"nome", "descricao"}) {
    if (all.count(field)) errors[field] = all[field];
  }
  if (!errors.empty()) return AdminAnswer(context, errors, Status::Ok(), nullptr, "");
  int retry = 0;
  auto room = context.services.room_admin.Edit(*context.session, context.path_id,
                                               RoomEditInput{parsed.nome, parsed.descricao}, retry);
  if (!room.ok() && room.status().code() == Status::Code::kConflict) {
    // A taken name is a field error, as when creating the room.
    return AdminAnswer(context, {{"nome", room.status().message()}}, Status::Ok(), nullptr, "");
  }
  return AdminAnswer(context, {}, room.status(), room.ok() ? &*room : nullptr, RoomPath(context.path_id), retry);
}

Response PostArchiveRoom(RequestContext& context) {
  std::string_view value = TextOr(context.params, "arquivada", "");
  if (value != "1" && value != "0") {
    return AdminAnswer(context, {{"arquivada", "Indique arquivada=1 (arquivar) ou arquivada=0 (desarquivar)."}},
                       Status::Ok(), nullptr, "");
  }
  int retry = 0;
  auto room = context.services.room_admin.Archive(*context.session, context.path_id, value == "1", retry);
  return AdminAnswer(context, {}, room.status(), room.ok() ? &*room : nullptr, RoomPath(context.path_id), retry);
}

Response PostLeaveRoom(RequestContext& context) {
  int retry = 0;
  Status status = context.services.room_admin.Leave(*context.session, context.path_id, retry);
  return AdminAnswer(context, {}, status, nullptr, "/chat/listar-salas", retry);
}

Response PostRemoveRoomMember(RequestContext& context) {
  int retry = 0;
  Status status =
      context.services.room_admin.RemoveMember(*context.session, context.path_id, context.path_usuario_id, retry);
  return AdminAnswer(context, {}, status, nullptr, RoomPath(context.path_id), retry);
}

}  // namespace papo
