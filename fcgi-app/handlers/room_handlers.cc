#include "common/utf8.h"
#include "fcgi-app/app_services.h"
#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/http/error_responses.h"
#include "fcgi-app/services/validation.h"

namespace papo {
namespace {

// The one answer to an invitation, whether or not the e-mail has an account.
constexpr std::string_view kInviteAnswer = "Se houver uma conta com esse e-mail, ela foi adicionada.";
constexpr std::string_view kInviteSentParam = "convite";

Response RoomListPage(RequestContext& context, int status, const RoomFormModel& form,
                      const RoomListQuery& query = {}) {
  const Session& session = *context.session;
  auto rooms = context.services.room_list.List(session, query);
  if (!rooms.ok()) return StatusResponse(context.services, false, rooms.status(), &session);
  return context.services.views.RoomList(status, session, *rooms, form);
}

Response RoomPage(RequestContext& context, int64_t sala_id, const std::string& erro_membro,
                  const std::string& aviso_membro = "", int status = 200, int64_t ancora_seq = 0) {
  const Session& session = *context.session;
  auto page = context.services.rooms.Open(session, sala_id, ancora_seq);
  if (!page.ok()) return StatusResponse(context.services, false, page.status(), &session);
  if (page->room.privada && !page->room.direta) {
    // The member list (names only) with the owner's "Remover" (DESIGN §9).
    auto members = context.services.room_admin.Members(sala_id);
    if (!members.ok()) return StatusResponse(context.services, false, members.status(), &session);
    page->membros = std::move(members).value();
  }
  Response response = context.services.views.Room(session, *page, erro_membro, aviso_membro);
  if (status != 200) response.status = status;
  return response;
}

// A per-user limit's refusal (DESIGN §11): 429 pages say when to retry.
Response WithRetryAfter(Response response, int retry_after_seconds) {
  if (response.status == 429) response.AddHeader("Retry-After", std::to_string(retry_after_seconds));
  return response;
}

// ?pagina=N of the room list: absent is 1.
constexpr int kMaxListPage = 100'000;

bool ParseListPage(const FormFields& params, int& pagina) {
  if (!params.Has("pagina")) return true;
  if (params.TypeOf("pagina") != FieldType::kText) return false;
  auto value = ParsePositiveId(params.GetOr("pagina", ""));
  if (!value || *value > kMaxListPage) return false;
  pagina = static_cast<int>(*value);
  return true;
}

// ?secao= (diretas, salas, arquivadas; absent: the main view) and ?q= (the
// name filter: text, valid UTF-8, at most kMaxListFilter code points).
constexpr size_t kMaxListFilter = 100;

std::string ParseListFilter(const FormFields& params, RoomListQuery& query) {
  if (params.Has("secao")) {
    if (params.TypeOf("secao") != FieldType::kText || !ParseRoomSection(params.GetOr("secao", ""), query.secao)) {
      return "Seção inválida: use diretas, salas ou arquivadas.";
    }
  }
  if (!params.Has("q")) return "";
  std::string_view q = params.TypeOf("q") == FieldType::kText ? params.GetOr("q", "") : std::string_view();
  if (!IsValidUtf8(q) || CountCodePoints(q) > kMaxListFilter) {
    return "Filtro inválido: use um texto de até " + std::to_string(kMaxListFilter) + " caracteres.";
  }
  query.q = std::string(TrimUnicodeSpace(q));
  return "";
}

}  // namespace

Response GetRoomList(RequestContext& context) {
  RoomListQuery query;
  if (!ParseListPage(context.params, query.pagina)) {
    return context.services.views.Error(422, &*context.session,
                                        "Página inválida: use um número inteiro de 1 a " +
                                            std::to_string(kMaxListPage) + ".");
  }
  std::string invalid = ParseListFilter(context.params, query);
  if (!invalid.empty()) return context.services.views.Error(422, &*context.session, invalid);
  return RoomListPage(context, 200, RoomFormModel{}, query);
}

Response PostRoom(RequestContext& context) {
  RoomInput input;
  FieldErrors errors = ValidateRoom(context.params, input);
  RoomFormModel form;
  form.nome = std::string(TextOr(context.params, "nome", ""));
  form.descricao = std::string(TextOr(context.params, "descricao", ""));
  form.membros = std::string(TextOr(context.params, "membros", ""));
  form.privada = input.privada;
  if (errors.empty()) {
    int retry_after = 0;
    auto room = context.services.rooms.Create(*context.session, input, retry_after);
    if (room.ok()) return Response::Redirect("/chat/sala/" + std::to_string(room->id));
    if (room.status().code() == Status::Code::kResourceExhausted) {
      // The form comes back as typed, with the wait, like any form error.
      form.erro = room.status().message();
      return WithRetryAfter(RoomListPage(context, 429, form), retry_after);
    }
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
  // ?seq=S opens the room at that message (a search result's link).
  int64_t ancora_seq = 0;
  if (context.params.Has("seq")) {
    auto seq = context.params.TypeOf("seq") == FieldType::kText ? ParsePositiveId(context.params.GetOr("seq", ""))
                                                                 : std::nullopt;
    if (!seq) return context.services.views.Error(422, &*context.session, "seq deve ser um número inteiro positivo.");
    ancora_seq = *seq;
  }
  return RoomPage(context, context.path_id, "", invited ? std::string(kInviteAnswer) : "", 200, ancora_seq);
}

Response PostRoomMember(RequestContext& context) {
  if (context.params.TypeOf("email") != FieldType::kText) {
    return RoomPage(context, context.path_id, "O e-mail deve ser um texto.");
  }
  auto email = NormalizeEmail(context.params.GetOr("email", ""));
  if (!email) return RoomPage(context, context.path_id, "Informe um e-mail válido.");
  int retry_after = 0;
  Status status = context.services.rooms.AddMember(*context.session, context.path_id, *email, retry_after);
  if (status.ok()) {
    return Response::Redirect("/chat/sala/" + std::to_string(context.path_id) + "?" + std::string(kInviteSentParam) +
                              "=1");
  }
  if (status.code() == Status::Code::kInvalidArgument) return RoomPage(context, context.path_id, status.message());
  // A DM or an archived room: the page says why, with 403 (a non-member's
  // page is refused by RoomPage itself).
  if (status.code() == Status::Code::kPermissionDenied) {
    return RoomPage(context, context.path_id, status.message(), "", 403);
  }
  if (status.code() == Status::Code::kResourceExhausted) {
    return WithRetryAfter(RoomPage(context, context.path_id, status.message(), "", 429), retry_after);
  }
  return StatusResponse(context.services, false, status, &*context.session);
}

}  // namespace papo
