// GET /internal/auth-stream: nginx's auth_request for /chat/stream (DESIGN
// §4). Answers 204 with the user headers nginx forwards to the pusher, or
// an error. nginx's auth_request only passes 401 and 403 through (any other
// code becomes 500), so the other refusals are 403 with X-Papo-Status
// naming the real code, which the nginx config turns back into it.
#include <string>
#include <string_view>

#include "common/form.h"
#include "common/log.h"
#include "fcgi-app/app_services.h"
#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/http/error_responses.h"
#include "fcgi-app/http/response.h"

namespace papo {
namespace {

Response Refuse(int status, std::string_view message) {
  Response response = Response::Json(status == 401 ? 401 : 403, ErrorJson(message));
  response.AddHeader("X-Papo-Status", std::to_string(status));
  return response;
}

}  // namespace

Response GetStreamAuth(RequestContext& context) {
  std::string_view uri = context.request.original_uri;
  auto question = uri.find('?');
  auto query = ParseForm(question == std::string_view::npos ? std::string_view() : uri.substr(question + 1));
  if (!query.ok()) return Refuse(400, "Parâmetros malformados.");
  StreamInput input;
  FieldErrors errors = ValidateStream(*query, input);
  if (!errors.empty()) return Refuse(400, errors.begin()->second);
  const Session& session = *context.session;
  auto grant = context.services.rooms.AuthorizeStream(session, input);
  if (!grant.ok()) {
    int code = HttpStatusFor(grant.status());
    if (code < 500) return Refuse(code, grant.status().message());
    // A fault (the database restarting): logged here, never shown.
    Log(LogLevel::kWarn, "stream_auth_failed").Kv("error", grant.status().ToString());
    return Refuse(code, "Não foi possível verificar o acesso agora. Tente de novo em alguns segundos.");
  }
  Response response = Response::NoContent();
  response.AddHeader("X-Papo-User-Id", std::to_string(session.usuario_id));
  response.AddHeader("X-Papo-User-Name", PercentEncode(session.nome));
  response.AddHeader("X-Papo-Session-Expires", std::to_string(session.expira_em / 1000));
  // The pusher closes the stream when this session logs out (papo:sessoes).
  response.AddHeader("X-Papo-Session-Id", AuthService::StreamSessionId(session));
  response.AddHeader("X-Papo-Sala-Privada", grant->privada ? "1" : "0");
  // A list stream's private rooms are not in this answer: the pusher reads
  // them from Redis (RoomService::AuthorizeStream stored them), so their
  // number has no bound here and nothing a client sends can add to them.
  return response;
}

}  // namespace papo
