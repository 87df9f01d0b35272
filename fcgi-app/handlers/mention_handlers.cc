// GET /chat/sala/{id}/membros?q=: the composer's @-completion (DESIGN §9
// mentions). Session required; room access as for the history.
#include "common/utf8.h"
#include "fcgi-app/app_services.h"
#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/http/error_responses.h"
#include "fcgi-app/views/json_views.h"

namespace papo {
namespace {

// Longer than any name (validation.h kMaxNameLength) plus the "@" typed.
constexpr size_t kMaxMemberQuery = 100;

// q: optional text, valid UTF-8, at most kMaxMemberQuery code points; a
// leading "@" (the composer may send what it sees) is not part of the name.
FieldErrors ValidateMemberQuery(const FormFields& params, std::string& q) {
  FieldErrors errors;
  if (!params.Has("q")) return errors;
  if (params.TypeOf("q") != FieldType::kText) {
    errors["q"] = "A busca deve ser um texto.";
    return errors;
  }
  std::string_view raw = params.GetOr("q", "");
  if (!IsValidUtf8(raw)) {
    errors["q"] = "A busca não é um texto UTF-8 válido.";
    return errors;
  }
  if (CountCodePoints(raw) > kMaxMemberQuery) {
    errors["q"] = "A busca deve ter no máximo " + std::to_string(kMaxMemberQuery) + " caracteres.";
    return errors;
  }
  raw = TrimUnicodeSpace(raw);
  if (!raw.empty() && raw.front() == '@') raw.remove_prefix(1);
  q = std::string(raw);
  return errors;
}

}  // namespace

Response GetRoomMembers(RequestContext& context) {
  std::string q;
  FieldErrors errors = ValidateMemberQuery(context.params, q);
  if (!errors.empty()) return Response::Json(422, FieldErrorsJson(errors));
  auto members = context.services.mentions.Complete(*context.session, context.path_id, q);
  if (!members.ok()) return StatusResponse(context.services, true, members.status(), &*context.session);
  Response response = Response::Json(200, MembersJson(*members));
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace papo
