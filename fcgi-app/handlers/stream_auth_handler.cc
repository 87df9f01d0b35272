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

// nginx reads this answer's head into the auth location's
// fastcgi_buffer_size (2k, kept small: it lives as long as the stream); a
// bigger head is a 502 there and the list stream fails for good. The
// private room ids get what the rest of the head leaves of this budget (a
// name of 80 emoji alone is ~1 KB percent-encoded); the margin covers the
// FastCGI record framing.
constexpr size_t kAuthHeadBudget = 1900;
constexpr std::string_view kPrivateRoomsHeader = "X-Papo-Salas-Privadas";

// The ids, most recently active first, as many as fit in `budget` bytes.
// A user in more private rooms than fit (hundreds) gets live activity on
// the list for the most recent ones; the page shows all of them on load.
std::string JoinIds(const std::vector<int64_t>& ids, size_t budget, size_t& left_out) {
  std::string out;
  left_out = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string id = std::to_string(ids[i]);
    if (out.size() + 1 + id.size() > budget) {
      left_out = ids.size() - i;
      break;
    }
    if (!out.empty()) out += ',';
    out += id;
  }
  return out;
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
  size_t used = SerializeCgi(response).size() + kPrivateRoomsHeader.size() + 4;  // ": " and CRLF
  size_t left_out = 0;
  response.AddHeader(std::string(kPrivateRoomsHeader),
                     JoinIds(grant->private_rooms, used < kAuthHeadBudget ? kAuthHeadBudget - used : 0, left_out));
  if (left_out > 0) {
    Log(LogLevel::kInfo, "stream_private_rooms_capped")
        .Kv("usuario_id", session.usuario_id)
        .Kv("salas", grant->private_rooms.size())
        .Kv("sem_atividade_ao_vivo", left_out);
  }
  return response;
}

}  // namespace papo
