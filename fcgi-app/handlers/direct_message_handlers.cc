// POST /chat/dm (open the direct message with a person, DESIGN §9) and
// GET /chat/pessoas?q= (the "Nova conversa" people finder).
#include "common/utf8.h"
#include "fcgi-app/app_services.h"
#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/http/error_responses.h"
#include "fcgi-app/services/validation.h"
#include "fcgi-app/views/json_views.h"

namespace papo {
namespace {

// Longer than any name (validation.h kMaxNameLength).
constexpr size_t kMaxPeopleQuery = 100;

bool IsScalar(const FormFields& params, std::string_view name) {
  FieldType type = params.TypeOf(name);
  return type == FieldType::kText || type == FieldType::kInteger;
}

// usuario_id (a positive integer) or email; a well-formed usuario_id wins
// when both are sent. Errors name each field sent malformed, or ask for one.
FieldErrors ValidateDirectInput(const FormFields& params, DirectInput& input) {
  FieldErrors errors;
  bool has_id = params.Has("usuario_id");
  bool has_email = params.Has("email");
  if (has_id) {
    auto id = IsScalar(params, "usuario_id") ? ParsePositiveId(params.GetOr("usuario_id", "")) : std::nullopt;
    if (id) {
      input.usuario_id = *id;
      return {};
    }
    errors["usuario_id"] = "A pessoa deve ser indicada por um número inteiro positivo.";
  }
  if (has_email) {
    auto email = params.TypeOf("email") == FieldType::kText ? NormalizeEmail(params.GetOr("email", ""))
                                                             : std::nullopt;
    if (email) {
      input.email = *email;
      return {};
    }
    errors["email"] = "Informe um e-mail válido.";
  }
  if (!has_id && !has_email) errors["email"] = "Informe o e-mail ou a pessoa com quem conversar.";
  return errors;
}

Response FieldErrorsResponse(RequestContext& context, bool json, const FieldErrors& errors) {
  if (json) return Response::Json(422, FieldErrorsJson(errors));
  return context.services.views.Error(422, &*context.session, errors.begin()->second);
}

// q: required text, valid UTF-8, 1..kMaxPeopleQuery code points once trimmed.
FieldErrors ValidatePeopleQuery(const FormFields& params, std::string& q) {
  FieldErrors errors;
  if (params.TypeOf("q") != FieldType::kText) {
    errors["q"] = "Digite parte do nome da pessoa.";
    return errors;
  }
  std::string_view raw = params.GetOr("q", "");
  if (!IsValidUtf8(raw)) {
    errors["q"] = "A busca não é um texto UTF-8 válido.";
    return errors;
  }
  raw = TrimUnicodeSpace(raw);
  size_t length = CountCodePoints(raw);
  if (length == 0 || length > kMaxPeopleQuery) {
    errors["q"] = "A busca deve ter de 1 a " + std::to_string(kMaxPeopleQuery) + " caracteres.";
    return errors;
  }
  q = std::string(raw);
  return errors;
}

}  // namespace

Response PostDirectMessage(RequestContext& context) {
  bool json = context.request.WantsJson();
  DirectInput input;
  FieldErrors errors = ValidateDirectInput(context.params, input);
  if (!errors.empty()) return FieldErrorsResponse(context, json, errors);
  int retry_after = 0;
  auto sala_id = context.services.direct_messages.Open(*context.session, input, retry_after);
  if (!sala_id.ok()) {
    const Status& status = sala_id.status();
    if (status.code() == Status::Code::kInvalidArgument) {
      errors[input.usuario_id > 0 ? "usuario_id" : "email"] = status.message();
      return FieldErrorsResponse(context, json, errors);
    }
    Response response = StatusResponse(context.services, json, status, &*context.session);
    if (response.status == 429) response.AddHeader("Retry-After", std::to_string(retry_after));
    return response;
  }
  if (json) return Response::Json(200, DirectRoomJson(*sala_id));
  return Response::Redirect("/chat/sala/" + std::to_string(*sala_id));
}

Response GetPeople(RequestContext& context) {
  std::string q;
  FieldErrors errors = ValidatePeopleQuery(context.params, q);
  if (!errors.empty()) return Response::Json(422, FieldErrorsJson(errors));
  auto people = context.services.direct_messages.FindPeople(*context.session, q);
  if (!people.ok()) return StatusResponse(context.services, true, people.status(), &*context.session);
  Response response = Response::Json(200, PeopleJson(*people));
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace papo
