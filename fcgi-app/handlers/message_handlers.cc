#include "fcgi-app/app_services.h"
#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/http/error_responses.h"

namespace papo {
namespace {

Response Invalid(const FieldErrors& errors) { return Response::Json(422, FieldErrorsJson(errors)); }

Response Failed(RequestContext& context, const Status& status) {
  return StatusResponse(context.services, true, status, &*context.session);
}

Response TooMany(int retry_after_seconds, std::string_view message) {
  Response response = Response::Json(429, ErrorJson(message));
  response.AddHeader("Retry-After", std::to_string(retry_after_seconds));
  return response;
}

}  // namespace

// Without JavaScript the room's form posts here as a plain browser form:
// it gets the room page back (303) or an error page, never raw JSON.
Response PostSendFromForm(RequestContext& context, const SendInput& input, const FieldErrors& errors) {
  const Session& session = *context.session;
  if (!errors.empty()) return context.services.views.Error(422, &session, errors.begin()->second);
  auto outcome = context.services.messages.Send(session, input);
  if (!outcome.ok()) return StatusResponse(context.services, false, outcome.status(), &session);
  if (!outcome->message) {
    // Same limit, same Retry-After as the JSON answer (DESIGN §3), with the
    // wait in the page's text for the person reading it.
    std::string seconds = std::to_string(outcome->retry_after_seconds);
    Response response = context.services.views.Error(
        429, &session, "Você está enviando mensagens rápido demais. Aguarde " + seconds + " s e tente de novo.");
    response.AddHeader("Retry-After", seconds);
    return response;
  }
  return Response::Redirect("/chat/sala/" + std::to_string(input.sala_id));
}

Response PostSend(RequestContext& context) {
  SendInput input;
  FieldErrors errors = ValidateSend(context.params, context.services.config.message_max_length, input);
  if (context.request.IsBrowserNavigation()) return PostSendFromForm(context, input, errors);
  if (!errors.empty()) return Invalid(errors);
  auto outcome = context.services.messages.Send(*context.session, input);
  if (!outcome.ok()) return Failed(context, outcome.status());
  if (!outcome->message) {
    return TooMany(outcome->retry_after_seconds,
                   "Você está enviando mensagens rápido demais. Aguarde " +
                       std::to_string(outcome->retry_after_seconds) + " s e tente de novo.");
  }
  return Response::Json(200, SendSuccessJson(*outcome->message));
}

Response GetMessages(RequestContext& context) {
  HistoryQuery query;
  FieldErrors errors = ValidateHistory(context.params, query);
  if (!errors.empty()) return Invalid(errors);
  auto messages = context.services.messages.History(*context.session, query);
  if (!messages.ok()) return Failed(context, messages.status());
  Response response = Response::Json(200, MessagesJson(*messages));
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

Response PostRead(RequestContext& context) {
  ReadInput input;
  FieldErrors errors = ValidateRead(context.params, input);
  if (!errors.empty()) return Invalid(errors);
  auto unread = context.services.messages.MarkRead(*context.session, input);
  if (!unread.ok()) {
    if (unread.status().code() == Status::Code::kInvalidArgument) return Invalid({{"seq", unread.status().message()}});
    return Failed(context, unread.status());
  }
  return Response::Json(200, ReadSuccessJson(*unread));
}

Response PostTyping(RequestContext& context) {
  TypingInput input;
  FieldErrors errors = ValidateTyping(context.params, input);
  if (!errors.empty()) return Invalid(errors);
  Status status = context.services.messages.Typing(*context.session, input);
  if (status.code() == Status::Code::kResourceExhausted) {
    return TooMany(std::stoi(status.message()), "Eventos de digitação demais; aguarde um instante.");
  }
  if (!status.ok()) return Failed(context, status);
  return Response::NoContent();
}

}  // namespace papo
