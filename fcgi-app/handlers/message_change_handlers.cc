// POST /chat/mensagens/{id}/editar, /excluir and /reacoes (DESIGN §9).
// JSON callers get {"success":true,"mensagem":{…}}; a plain browser form
// post (no script) is sent back to the room (303), or gets the error page.
#include "fcgi-app/app_services.h"
#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/http/error_responses.h"

namespace papo {
namespace {

// The answer to a change that validated as `errors` and then gave `result`.
Response ChangeAnswer(RequestContext& context, const FieldErrors& errors, const Result<ChatMessage>& result,
                      int retry_after_seconds = 0) {
  const Session& session = *context.session;
  bool browser = context.request.IsBrowserNavigation();
  if (!errors.empty()) {
    if (browser) return context.services.views.Error(422, &session, errors.begin()->second);
    return Response::Json(422, FieldErrorsJson(errors));
  }
  if (!result.ok()) {
    Response response = StatusResponse(context.services, !browser, result.status(), &session);
    if (retry_after_seconds > 0) response.AddHeader("Retry-After", std::to_string(retry_after_seconds));
    return response;
  }
  if (browser) return Response::Redirect("/chat/sala/" + std::to_string(result->sala_id));
  return Response::Json(200, MessageSuccessJson(*result));
}

}  // namespace

Response PostEditMessage(RequestContext& context) {
  std::string mensagem;
  FieldErrors errors = ValidateEdit(context.params, context.services.config.message_max_length, mensagem);
  if (!errors.empty()) return ChangeAnswer(context, errors, Status::InvalidArgument(""));
  int retry = 0;
  auto result = context.services.message_changes.Edit(*context.session, context.path_id, mensagem, retry);
  return ChangeAnswer(context, errors, result, retry);
}

Response PostDeleteMessage(RequestContext& context) {
  int retry = 0;
  auto result = context.services.message_changes.Delete(*context.session, context.path_id, retry);
  return ChangeAnswer(context, {}, result, retry);
}

Response PostReaction(RequestContext& context) {
  ReactionInput input;
  FieldErrors errors = ValidateReaction(context.params, input);
  if (!errors.empty()) return ChangeAnswer(context, errors, Status::InvalidArgument(""));
  int retry = 0;
  auto result = context.services.message_changes.React(*context.session, context.path_id, input, retry);
  return ChangeAnswer(context, errors, result, retry);
}

}  // namespace papo
